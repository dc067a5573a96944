import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkPlan, destructiveChanges, parseLabels, runPlanGuard, type PlanJson } from '../src/plan-guard';

/* The plan guard on plans Terraform really made (fixtures/plans, see SOURCES.md there). */

const fixture = (name: string) => join(__dirname, 'fixtures', 'plans', name);
const plan = (name: string) => JSON.parse(readFileSync(fixture(name), 'utf8')) as PlanJson;
const REPLACE = 'dev-network-replace-vpc.json';
const UPDATE = 'dev-network-update-vpc.json';

function guard(args: string[], env: Record<string, string> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const status = runPlanGuard(args, { out: (l) => out.push(l), err: (l) => err.push(l) }, env);
  return { status, out: out.join('\n'), err: err.join('\n') };
}

describe('destructiveChanges', () => {
  it('finds the replaced VPC (with the attribute that forces it) and the deleted bucket, and nothing that is created', () => {
    expect(destructiveChanges(plan(REPLACE))).toEqual([
      { address: 'aws_s3_bucket.old_bucket', type: 'aws_s3_bucket', action: 'delete', forcedBy: [], reason: 'delete_because_no_resource_config' },
      { address: 'aws_vpc.network_vpc_4E8F0223', type: 'aws_vpc', action: 'replace', forcedBy: ['cidr_block'], reason: 'replace_because_cannot_update' },
    ]);
  });

  it('finds nothing in an update in place', () => {
    expect(plan(UPDATE).resource_changes!.some((rc) => rc.type === 'aws_vpc' && rc.change.actions.join() === 'update')).toBe(true);
    expect(destructiveChanges(plan(UPDATE))).toEqual([]);
  });

  it('ignores unprotected types and removed blocks that only forget', () => {
    const made: PlanJson = {
      resource_changes: [
        { address: 'aws_iam_role.x', type: 'aws_iam_role', mode: 'managed', change: { actions: ['delete', 'create'] } },
        { address: 'aws_s3_bucket.kept', type: 'aws_s3_bucket', mode: 'managed', change: { actions: ['forget'] } },
      ],
    };
    expect(destructiveChanges(made)).toEqual([]);
  });
});

describe('platform-plan-guard', () => {
  it('fails a replace and a delete, naming the stack, the resources, why, and the label that allows them', () => {
    const result = guard(['--stack', 'dev-network', '--plan', fixture(REPLACE)]);
    expect(result.status).toBe(1);
    expect(result.err.split('\n')).toEqual([
      'dev-network: 2 protected resources would be destroyed:',
      '  ✖ delete aws_s3_bucket.old_bucket: it is no longer in the code. It is a bucket and the data in it (Terraform state, logs, backups).',
      '  ✖ replace aws_vpc.network_vpc_4E8F0223: cidr_block cannot change in place. It is the VPC: everything in it goes with it.',
      'If this is intended, add the label allow-destroy:dev-network to the pull request (its plan runs again); otherwise change the answers or the code back.',
    ]);
  });

  it("passes them with the pull request's label for that stack, from PR_LABELS as the workflow sets it", () => {
    const result = guard(['--stack', 'dev-network', '--plan', fixture(REPLACE)], { PR_LABELS: '["documentation","allow-destroy:dev-network"]' });
    expect(result.status).toBe(0);
    expect(result.out).toContain('Allowed by the label allow-destroy:dev-network.');
    expect(guard(['--stack', 'dev-network', '--plan', fixture(REPLACE), '--labels', 'allow-destroy:prod-network']).status).toBe(1);
  });

  it('passes an update in place and a plan without changes', () => {
    expect(guard(['--stack', 'dev-network', '--plan', fixture(UPDATE)])).toEqual({ status: 0, out: 'dev-network: no protected resource is deleted or replaced.', err: '' });
  });

  it('says how to use it, and exits 2 on bad usage or input', () => {
    expect(guard(['--help']).out).toContain('allow-destroy:<stack>');
    expect(guard(['--stack', 'dev-network'])).toMatchObject({ status: 2, err: expect.stringContaining('--stack and --plan are required') });
    expect(guard(['--stack', 'x', '--plan', '/nonexistent.json'])).toMatchObject({ status: 2, err: expect.stringContaining('cannot read the plan /nonexistent.json') });
    expect(guard(['--stak', 'x'])).toMatchObject({ status: 2, err: expect.stringContaining('unknown option --stak') });
  });

  it('reads labels as a JSON array, a comma list, or none', () => {
    expect(parseLabels('["a","allow-destroy:x"]')).toEqual(['a', 'allow-destroy:x']);
    expect(parseLabels('a, allow-destroy:x')).toEqual(['a', 'allow-destroy:x']);
    expect(parseLabels('null')).toEqual([]);
    expect(parseLabels(undefined)).toEqual([]);
    expect(() => parseLabels('[1]')).toThrow('not a JSON array of strings');
  });

  it('checkPlan reports what the label allowed', () => {
    expect(checkPlan('dev-network', plan(REPLACE), ['allow-destroy:dev-network']).report[1]).toMatch(/^ {2}! delete aws_s3_bucket\.old_bucket/);
  });
});
