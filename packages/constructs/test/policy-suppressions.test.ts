import { describe, expect, it } from 'vitest';
import { applySuppressions, MIN_REASON_LENGTH, validatePolicyConfig, validateSuppressions, type Suppression, type Violation } from '@platform-kit/config';
import { checkPolicy, formatPolicyReport, RULES } from '../src';

/*
 * Suppressions: each needs a known rule and a reason a reviewer can understand; stack and resource narrow it;
 * one that matches nothing is reported as unused.
 */

const REASON = 'office access while the VPN is built: PLAT-123';
const ok = (input: unknown) => {
  const result = validateSuppressions(input);
  if (!result.ok) throw new Error(`expected valid suppressions, got:\n${result.issues.join('\n')}`);
  return result.suppressions;
};
const issues = (input: unknown) => {
  const result = validateSuppressions(input);
  if (result.ok) throw new Error('expected issues');
  return result.issues;
};

describe('validateSuppressions', () => {
  it('accepts none (undefined or an empty list)', () => {
    expect(ok(undefined)).toEqual([]);
    expect(ok([])).toEqual([]);
  });

  it('accepts rule and reason, optionally narrowed by stack and resource; trims and orders the keys', () => {
    expect(
      ok([
        { reason: `  ${REASON} `, rule: 'eks-endpoint-restricted' },
        { rule: 'eks-endpoint-restricted', stack: 'dev-cluster', resource: 'aws_eks_cluster.cluster', reason: REASON },
      ]),
    ).toEqual([
      { rule: 'eks-endpoint-restricted', reason: REASON },
      { rule: 'eks-endpoint-restricted', stack: 'dev-cluster', resource: 'aws_eks_cluster.cluster', reason: REASON },
    ]);
    expect(Object.keys(ok([{ reason: REASON, resource: 'aws_vpc.vpc', stack: 'x', rule: 'vpc-flow-logs' }])[0])).toEqual(['rule', 'stack', 'resource', 'reason']);
  });

  it('a missing reason: names the field and says why one is needed', () => {
    expect(issues([{ rule: 'vpc-flow-logs' }])).toEqual([
      expect.stringMatching(/^policy\.suppressions\[0\]\.reason: is required: a reviewer must understand why the rule does not apply here \(at least 10 characters/),
    ]);
  });

  it('a blank reason', () => {
    expect(issues([{ rule: 'vpc-flow-logs', reason: '   ' }])).toEqual([expect.stringMatching(/^policy\.suppressions\[0\]\.reason: is blank: a reviewer must understand/)]);
  });

  it(`a reason shorter than ${MIN_REASON_LENGTH} characters (after trimming)`, () => {
    const [issue] = issues([{ rule: 'vpc-flow-logs', reason: ' temp  ' }]);
    expect(issue).toMatch(/^policy\.suppressions\[0\]\.reason: "temp" is too short \(4 characters\): a reviewer must understand/);
    expect(issue).toContain(REASON); // an example of a good one
    expect(ok([{ rule: 'vpc-flow-logs', reason: 'x'.repeat(MIN_REASON_LENGTH) }])).toHaveLength(1);
  });

  it('a reason that is not a string', () => {
    expect(issues([{ rule: 'vpc-flow-logs', reason: 42 }])).toEqual([expect.stringMatching(/^policy\.suppressions\[0\]\.reason: must be a string, got number 42/)]);
  });

  it('an unknown rule: lists every known rule', () => {
    const [issue] = issues([{ rule: 'eks-endpoint', reason: REASON }]);
    expect(issue).toMatch(/^policy\.suppressions\[0\]\.rule: unknown rule "eks-endpoint"\. Known rules: /);
    for (const rule of RULES) expect(issue).toContain(rule.id);
  });

  it('a missing or non-string rule', () => {
    expect(issues([{ reason: REASON }])).toEqual([expect.stringMatching(/^policy\.suppressions\[0\]\.rule: is required: the id of the rule to suppress\. Known rules: s3-encryption, /)]);
    expect(issues([{ rule: ['vpc-flow-logs'], reason: REASON }])).toEqual([expect.stringMatching(/^policy\.suppressions\[0\]\.rule: must be a rule id \(a string\), got a list/)]);
  });

  it('an unknown key (a typo of an optional field would otherwise widen the suppression)', () => {
    expect(issues([{ rule: 'vpc-flow-logs', reason: REASON, stacks: 'dev-network' }])).toEqual([
      'policy.suppressions[0].stacks: unknown key. A suppression has rule, stack, resource, reason (stack and resource optional): remove or rename it.',
    ]);
  });

  it('a duplicate: the same rule, stack and resource twice', () => {
    expect(
      issues([
        { rule: 'vpc-flow-logs', stack: 'dev-network', reason: REASON },
        { rule: 'vpc-flow-logs', reason: REASON },
        { rule: 'vpc-flow-logs', stack: 'dev-network ', reason: 'another reason, same scope' },
      ]),
    ).toEqual(['policy.suppressions[2]: suppresses the same rule, stack and resource as policy.suppressions[0]: keep one (merge the reasons).']);
  });

  it('a stack or resource of the wrong type, blank, or a resource that is not type.logical_id', () => {
    expect(issues([{ rule: 'vpc-flow-logs', reason: REASON, stack: 3 }])).toEqual([
      'policy.suppressions[0].stack: must be a stack name, e.g. "dev-cluster" (leave it out for every stack), got number 3.',
    ]);
    expect(issues([{ rule: 'vpc-flow-logs', reason: REASON, stack: ' ' }])).toEqual([expect.stringMatching(/^policy\.suppressions\[0\]\.stack: is blank/)]);
    expect(issues([{ rule: 'vpc-flow-logs', reason: REASON, resource: 'aws_vpc' }])).toEqual([
      expect.stringMatching(/^policy\.suppressions\[0\]\.resource: "aws_vpc" is not type\.logical_id: must be a resource as the report names it/),
    ]);
  });

  it('not a list, or an entry that is not an object', () => {
    expect(issues({ rule: 'vpc-flow-logs', reason: REASON })).toEqual([expect.stringMatching(/^policy\.suppressions: must be a list of \{ rule, reason, stack\?, resource\? \}/)]);
    expect(issues(['vpc-flow-logs'])).toEqual([expect.stringMatching(/^policy\.suppressions\[0\]: must be an object/)]);
  });

  it('reports every issue of every entry at once', () => {
    expect(issues([{ rule: 'nope', reason: 'short', extra: 1 }, { rule: 'vpc-flow-logs', reason: REASON }, {}])).toEqual([
      expect.stringMatching(/^policy\.suppressions\[0\]\.extra: unknown key/),
      expect.stringMatching(/^policy\.suppressions\[0\]\.rule: unknown rule "nope"/),
      expect.stringMatching(/^policy\.suppressions\[0\]\.reason: "short" is too short/),
      expect.stringMatching(/^policy\.suppressions\[2\]\.rule: is required/),
      expect.stringMatching(/^policy\.suppressions\[2\]\.reason: is required/),
    ]);
  });

  it('names the list as told (the policy file) and checks against the rules given', () => {
    const result = validateSuppressions([{ rule: 'vpc-flow-logs', reason: REASON }], { path: 'platform/policy.json: suppressions', rules: [{ id: 'other' }] });
    expect(result).toEqual({ ok: false, issues: ['platform/policy.json: suppressions[0].rule: unknown rule "vpc-flow-logs". Known rules: other.'] });
  });
});

describe('validatePolicyConfig: { suppressions } (policy in .projenrc.ts, platform/policy.json)', () => {
  it('accepts none, an empty object, or suppressions', () => {
    expect(validatePolicyConfig(undefined)).toEqual({ ok: true, suppressions: [] });
    expect(validatePolicyConfig({})).toEqual({ ok: true, suppressions: [] });
    expect(validatePolicyConfig({ suppressions: [{ rule: 'vpc-flow-logs', reason: REASON }] })).toEqual({ ok: true, suppressions: [{ rule: 'vpc-flow-logs', reason: REASON }] });
  });

  it('unknown keys (the projen marker only where allowed), and issues of the list under policy.suppressions', () => {
    expect(validatePolicyConfig({ suppression: [], suppressions: [{ rule: 'vpc-flow-logs' }] })).toEqual({
      ok: false,
      issues: ['policy.suppression: unknown key. The policy settings have suppressions only.', expect.stringMatching(/^policy\.suppressions\[0\]\.reason: is required/)],
    });
    expect(validatePolicyConfig({ '//': 'generated', suppressions: [] }).ok).toBe(false);
    expect(validatePolicyConfig({ '//': 'generated', suppressions: [] }, { allowMarker: true })).toEqual({ ok: true, suppressions: [] });
    expect(validatePolicyConfig([], { path: 'f.json' })).toEqual({ ok: false, issues: ['f.json: must be an object { suppressions: [...] }, got a list.'] });
  });
});

const violation = (rule: string, stack: string, resource: string): Violation => ({
  rule,
  stack,
  resource,
  severity: RULES.find((r) => r.id === rule)!.severity,
  message: 'is wrong.',
});

describe('applySuppressions', () => {
  const devCluster = violation('eks-endpoint-restricted', 'dev-cluster', 'aws_eks_cluster.cluster');
  const prodCluster = violation('eks-endpoint-restricted', 'prod-cluster', 'aws_eks_cluster.cluster');
  const devNodes = violation('nodes-imdsv2', 'dev-cluster', 'aws_launch_template.nodes');
  const devVolumes = violation('volumes-encrypted', 'dev-cluster', 'aws_launch_template.nodes');
  const devExtra = violation('volumes-encrypted', 'dev-cluster', 'aws_ebs_volume.scratch');
  const all = [devCluster, prodCluster, devNodes, devVolumes, devExtra];
  const s = (fields: Omit<Suppression, 'reason'>, reason = REASON): Suppression => ({ ...fields, reason });

  it('without suppressions: every violation is left, nothing is unused', () => {
    expect(applySuppressions(all, [])).toEqual({ violations: all, suppressed: [], unused: [] });
  });

  it('a rule alone: every stack and resource', () => {
    const rule = s({ rule: 'eks-endpoint-restricted' });
    const outcome = applySuppressions(all, [rule]);
    expect(outcome.violations).toEqual([devNodes, devVolumes, devExtra]);
    expect(outcome.suppressed).toEqual([
      { violation: devCluster, reason: REASON, suppression: rule },
      { violation: prodCluster, reason: REASON, suppression: rule },
    ]);
    expect(outcome.unused).toEqual([]);
  });

  it('narrowed by stack: only that stack', () => {
    const outcome = applySuppressions(all, [s({ rule: 'eks-endpoint-restricted', stack: 'dev-cluster' })]);
    expect(outcome.suppressed.map((x) => x.violation)).toEqual([devCluster]);
    expect(outcome.violations).toContainEqual(prodCluster);
  });

  it('narrowed by resource: only that resource, in any stack unless a stack is given too', () => {
    expect(applySuppressions(all, [s({ rule: 'volumes-encrypted', resource: 'aws_ebs_volume.scratch' })]).suppressed.map((x) => x.violation)).toEqual([devExtra]);
    expect(applySuppressions(all, [s({ rule: 'eks-endpoint-restricted', resource: 'aws_eks_cluster.cluster' })]).suppressed).toHaveLength(2);
    expect(
      applySuppressions(all, [s({ rule: 'eks-endpoint-restricted', stack: 'prod-cluster', resource: 'aws_eks_cluster.cluster' })]).suppressed.map((x) => x.violation),
    ).toEqual([prodCluster]);
  });

  it('a suppression of one rule never hides another rule on the same resource', () => {
    const outcome = applySuppressions(all, [s({ rule: 'nodes-imdsv2', stack: 'dev-cluster', resource: 'aws_launch_template.nodes' })]);
    expect(outcome.suppressed.map((x) => x.violation)).toEqual([devNodes]);
    expect(outcome.violations).toContainEqual(devVolumes);
  });

  it('unused: a suppression that matches nothing (fixed, wrong stack or resource) is reported', () => {
    const wrongStack = s({ rule: 'eks-endpoint-restricted', stack: 'staging-cluster' });
    const wrongResource = s({ rule: 'nodes-imdsv2', resource: 'aws_launch_template.other' });
    const fixed = s({ rule: 'vpc-flow-logs' });
    const used = s({ rule: 'volumes-encrypted' });
    expect(applySuppressions(all, [wrongStack, wrongResource, fixed, used]).unused).toEqual([wrongStack, wrongResource, fixed]);
    expect(applySuppressions([], [used]).unused).toEqual([used]);
  });

  it('several matching: the most specific gives the reason, and all of them count as used', () => {
    const broad = s({ rule: 'eks-endpoint-restricted' }, 'every cluster: the VPN is not there yet');
    const narrow = s({ rule: 'eks-endpoint-restricted', stack: 'dev-cluster', resource: 'aws_eks_cluster.cluster' }, 'dev: office access, PLAT-123');
    const outcome = applySuppressions(all, [broad, narrow]);
    expect(outcome.suppressed.map((x) => [x.violation.stack, x.reason])).toEqual([
      ['dev-cluster', 'dev: office access, PLAT-123'],
      ['prod-cluster', 'every cluster: the VPN is not there yet'],
    ]);
    expect(outcome.unused).toEqual([]);
  });
});

describe('the report', () => {
  const stack = (name: string, json: Record<string, unknown>) => ({ name, json });
  // A stack with one unversioned bucket (and nothing else): fails s3-versioning and the other bucket rules.
  const stacks = [stack('data', { resource: { aws_s3_bucket: { logs: { bucket: 'logs' } } } }), stack('empty', {})];

  it('violations as a table, why they matter, how to suppress; the summary', () => {
    const result = checkPolicy(stacks);
    expect(result.violations.map((v) => v.rule).sort()).toEqual(['s3-encryption', 's3-owner-enforced', 's3-public-access-block', 's3-tls-only', 's3-versioning']);
    expect(result.violations[0].severity).toBe('critical'); // most severe first
    const report = formatPolicyReport(result);
    expect(report).toMatch(/^RULE +SEVERITY +STACK +RESOURCE +MESSAGE$/m);
    expect(report).toMatch(/^s3-public-access-block +critical +data +aws_s3_bucket\.logs +has no public access block/m);
    expect(report).toContain(RULES.find((r) => r.id === 's3-versioning')!.rationale);
    expect(report).toContain("policy: { suppressions: [{ rule: 's3-public-access-block', stack: 'data', resource: 'aws_s3_bucket.logs', reason: ");
    expect(report.split('\n').at(-1)).toBe(`✖ 2 stacks, ${RULES.length} rules: 5 violations, 0 suppressed`);
  });

  it('suppressed findings with their reasons, unused suppressions as warnings', () => {
    const unused: Suppression = { rule: 'vpc-flow-logs', stack: 'data', reason: 'no VPC here yet, PLAT-9' };
    const result = checkPolicy(stacks, [{ rule: 's3-versioning', reason: 'log bucket, lifecycle expires it: PLAT-7' }, unused], RULES.filter((r) => r.id === 's3-versioning' || r.id === 'vpc-flow-logs'));
    expect(result.violations).toEqual([]);
    const report = formatPolicyReport(result);
    expect(report).not.toContain('MESSAGE');
    expect(report).toMatch(/^s3-versioning +medium +data +aws_s3_bucket\.logs +log bucket, lifecycle expires it: PLAT-7$/m);
    expect(report).toContain("Warning: 1 suppression matched no finding: remove it from .projenrc.ts (policy.suppressions):\n  { rule: 'vpc-flow-logs', stack: 'data', reason: 'no VPC here yet, PLAT-9' }");
    expect(report.split('\n').at(-1)).toBe('✔ 2 stacks, 2 rules: 0 violations, 1 suppressed, 1 unused suppression');
  });
});
