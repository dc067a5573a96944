import { estimateCost, environmentBudget, platformBudget, type AnswersInput } from '@platform-kit/config';
import { afterAll, describe, expect, it } from 'vitest';
import { BUDGET_ALERTS, costAllocationTagKeys } from '../src';
import { removeOutdirs, resources, synth, terraformAvailable, validateStacks, type Json } from './support';

/* The cost guardrails: a budget per environment (its network stack) and for the platform, with their alerts. */

afterAll(removeOutdirs);

const bodies = (stack: Json, type: string): Json[] => resources(stack, type).map(([, body]) => body);

describe('the default answers', () => {
  const { platform, stacks } = synth({});
  const estimate = estimateCost(platform)!;

  it.each(platform.environments.map((e) => [e.name, e] as const))("%s: a budget on the environment's tag at its estimate plus 20%, rounded up to $10", (name, environment) => {
    const [budget] = bodies(stacks[`${name}-network`], 'aws_budgets_budget');
    const monthly = estimate.groups.find((g) => g.name === name)!.monthlyUsd;
    expect(Number(budget.limit_amount)).toBe(Math.ceil((monthly * 1.2) / 10) * 10);
    expect(Number(budget.limit_amount)).toBe(environmentBudget(platform, environment).limitUsd);
    expect(budget).toMatchObject({ name: `acme-platform-${name}`, budget_type: 'COST', limit_unit: 'USD', time_unit: 'MONTHLY' });
    expect(budget.cost_filter).toEqual([{ name: 'TagKeyValue', values: [`user:environment$${name}`] }]);
    // What the estimate counts: list prices, without tax, credits, refunds or support.
    expect(budget.cost_types).toEqual({ include_tax: false, include_credit: false, include_refund: false, include_support: false });
  });

  it('alerts at 80% forecast and 100% actual, by e-mail to certificateEmail by default', () => {
    const [budget] = bodies(stacks['dev-network'], 'aws_budgets_budget');
    expect(budget.notification.map((n: Json) => [n.notification_type, n.threshold, n.threshold_type, n.comparison_operator])).toEqual([
      ['FORECASTED', 80, 'PERCENTAGE', 'GREATER_THAN'],
      ['ACTUAL', 100, 'PERCENTAGE', 'GREATER_THAN'],
    ]);
    for (const n of budget.notification) expect(n.subscriber_email_addresses).toEqual([platform.certificateEmail]);
    expect(BUDGET_ALERTS).toHaveLength(2);
  });

  it("keeps the platform's budget in shared, over its tag, at least the environments' together", () => {
    const [budget] = bodies(stacks.shared, 'aws_budgets_budget');
    expect(budget.name).toBe('acme-platform');
    expect(budget.cost_filter).toEqual([{ name: 'TagKeyValue', values: ['user:platform$acme-platform'] }]);
    expect(Number(budget.limit_amount)).toBe(platformBudget(platform).limitUsd);
    const environments = platform.environments.reduce((sum, e) => sum + environmentBudget(platform, e).limitUsd, 0);
    expect(Number(budget.limit_amount)).toBeGreaterThanOrEqual(environments);
    expect(Number(budget.limit_amount)).toBeGreaterThanOrEqual(estimate.totalMonthlyUsd);
  });

  it('activates no cost allocation tag and watches no anomaly unless answered', () => {
    for (const type of ['aws_ce_cost_allocation_tag', 'aws_ce_anomaly_monitor', 'aws_ce_anomaly_subscription']) expect(resources(stacks.shared, type), type).toEqual([]);
  });
});

describe('answered guardrails', () => {
  const answers: AnswersInput = {
    environments: ['dev', { name: 'prod', budgetUsd: 2500 }],
    owner: 'platform-team',
    budget: { emails: ['finance@acme.example.com', 'ops@acme.example.com'], headroomPercent: 50, costAllocationTags: true, anomalyDetection: true },
  };
  const { platform, stacks } = synth(answers);

  it('takes an answered amount as it is, and the headroom for the others', () => {
    expect(Number(bodies(stacks['prod-network'], 'aws_budgets_budget')[0].limit_amount)).toBe(2500);
    const devEstimate = estimateCost(platform)!.groups.find((g) => g.name === 'dev')!.monthlyUsd;
    expect(Number(bodies(stacks['dev-network'], 'aws_budgets_budget')[0].limit_amount)).toBe(Math.ceil((devEstimate * 1.5) / 10) * 10);
    for (const n of bodies(stacks['dev-network'], 'aws_budgets_budget')[0].notification) expect(n.subscriber_email_addresses).toEqual(['finance@acme.example.com', 'ops@acme.example.com']);
  });

  it('activates the platform, environment and owner tags', () => {
    expect(bodies(stacks.shared, 'aws_ce_cost_allocation_tag').map((t) => `${t.tag_key} ${t.status}`).sort()).toEqual(['environment Active', 'owner Active', 'platform Active']);
    expect(costAllocationTagKeys(platform)).toEqual(['platform', 'environment', 'owner']);
  });

  it("watches the platform's tag for anomalies and e-mails a daily summary of those over $25", () => {
    const [monitor] = bodies(stacks.shared, 'aws_ce_anomaly_monitor');
    expect(monitor.monitor_type).toBe('CUSTOM');
    expect(JSON.parse(monitor.monitor_specification).Tags).toEqual({ Key: 'platform', MatchOptions: null, Values: ['acme-platform'] });
    const [subscription] = bodies(stacks.shared, 'aws_ce_anomaly_subscription');
    expect(subscription.frequency).toBe('DAILY');
    expect(subscription.subscriber).toEqual([
      { type: 'EMAIL', address: 'finance@acme.example.com' },
      { type: 'EMAIL', address: 'ops@acme.example.com' },
    ]);
    expect(subscription.threshold_expression.dimension).toEqual({ key: 'ANOMALY_TOTAL_IMPACT_ABSOLUTE', match_options: ['GREATER_THAN_OR_EQUAL'], values: ['25'] });
  });

  it.skipIf(!terraformAvailable)('validates with Terraform', async () => {
    const { dirs } = synth(answers);
    const reports = await validateStacks({ shared: dirs.shared, 'dev-network': dirs['dev-network'] });
    for (const [stack, result] of Object.entries(reports)) {
      expect(result.diagnostics, stack).toEqual([]);
      expect(result.valid, stack).toBe(true);
    }
  }, 120_000);
});

describe('a region without prices', () => {
  it('still gets budgets, priced as in us-east-1, and says so', () => {
    const { platform, stacks } = synth({ aws: { region: 'us-west-1', accountId: '123456789012' }, environments: ['dev'] });
    expect(estimateCost(platform)).toBeUndefined();
    const budget = environmentBudget(platform, platform.environments[0]);
    expect(budget.basis).toContain('priced as in us-east-1 (the kit has no prices for us-west-1)');
    expect(Number(bodies(stacks['dev-network'], 'aws_budgets_budget')[0].limit_amount)).toBe(budget.limitUsd);
  });
});
