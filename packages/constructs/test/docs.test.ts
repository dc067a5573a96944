import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { catalogue, EKS_ADDONS, ENVIRONMENT_STACKS, STACK_ORDER } from '@platform-kit/config';
import { describe, expect, it } from 'vitest';
import { RULES } from '../src';

/*
 * docs/aws-platform.md is the reference of what a platform gets on AWS. These checks keep it in step with the
 * code: a new rule, stack kind or pinned version fails here until the doc names it.
 */

const doc = readFileSync(join(__dirname, '../../../docs/aws-platform.md'), 'utf8');

/** The rows of the security rules table: `| `id` | severity | title |`. */
const ruleRows = [...doc.matchAll(/^\| `([a-z0-9-]+)` \| (critical|high|medium) \| (.+) \|$/gm)].map(([, id, severity, title]) => ({ id, severity, title }));

describe('docs/aws-platform.md', () => {
  it.each(RULES.map((r) => [r.id, r] as const))('lists the rule %s with its severity and title', (_id, rule) => {
    expect(doc).toContain(`\`${rule.id}\``);
    expect(ruleRows).toContainEqual({ id: rule.id, severity: rule.severity, title: rule.title });
  });

  it('lists no rule that does not exist', () => {
    expect(ruleRows.map((r) => r.id).sort()).toEqual(RULES.map((r) => r.id).sort());
  });

  it.each([...STACK_ORDER])('names the account-level stack %s', (stack) => {
    expect(doc).toContain(`\`${stack}\``);
  });

  it.each([...ENVIRONMENT_STACKS])('names the environment stack <env>-%s', (kind) => {
    expect(doc).toContain(`\`<env>-${kind}\``);
  });

  it('names every EKS add-on at its pinned version for every supported Kubernetes version', () => {
    for (const addon of EKS_ADDONS) {
      expect(doc).toContain(`\`${addon}\``);
      for (const version of catalogue.kubernetes.supported)
        expect(doc).toContain(`\`${catalogue.kubernetes.addons[version as keyof typeof catalogue.kubernetes.addons][addon]}\``);
    }
  });

  it('names the pinned cluster autoscaler chart and images', () => {
    expect(doc).toContain(`chart \`cluster-autoscaler\` ${catalogue.charts['cluster-autoscaler'].version}`);
    for (const tag of Object.values(catalogue.kubernetes.clusterAutoscaler)) expect(doc).toContain(`\`${tag}\``);
  });
});
