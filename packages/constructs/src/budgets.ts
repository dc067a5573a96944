import { clusterName, environmentBudget, platformBudget, type Environment, type Platform } from '@platform-kit/config';
import { Construct } from 'constructs';
import { BudgetsBudget, CeAnomalyMonitor, CeAnomalySubscription, CeCostAllocationTag } from './providers/aws';

/** Alerts of every budget: spending forecast to pass 80% of the month's limit, and spending past it. */
export const BUDGET_ALERTS = [
  { notificationType: 'FORECASTED', threshold: 80 },
  { notificationType: 'ACTUAL', threshold: 100 },
] as const;

/** The smallest anomaly (its total impact in USD) that Cost Anomaly Detection e-mails about. */
export const ANOMALY_THRESHOLD_USD = 25;

/** The cost allocation tag a budget filters by, as AWS Budgets writes it: `user:<key>$<value>`. */
export const costTag = (key: string, value: string) => `user:${key}$${value}`;

/**
 * A monthly cost budget over the resources carrying one tag, alerting by e-mail (BUDGET_ALERTS). It counts what the
 * estimate counts: list prices before tax, without credits, refunds or support; the tag must be an active cost
 * allocation tag (PlatformCostGuardrails can activate it) before any cost shows in it.
 */
function tagBudget(scope: Construct, id: string, props: { name: string; limitUsd: number; tag: string; emails: string[] }): BudgetsBudget {
  return new BudgetsBudget(scope, id, {
    name: props.name,
    budgetType: 'COST',
    limitAmount: String(props.limitUsd),
    limitUnit: 'USD',
    timeUnit: 'MONTHLY',
    costFilter: [{ name: 'TagKeyValue', values: [props.tag] }],
    costTypes: { includeTax: false, includeCredit: false, includeRefund: false, includeSupport: false },
    notification: BUDGET_ALERTS.map((alert) => ({
      ...alert,
      comparisonOperator: 'GREATER_THAN',
      thresholdType: 'PERCENTAGE',
      subscriberEmailAddresses: props.emails,
    })),
  });
}

/**
 * An environment's budget (in `<env>-network`, the environment's first stack: its apply role manages it, and it goes
 * with the environment): the resources tagged `environment = <env>`, at its estimate plus headroom or the answer.
 */
export class EnvironmentBudget extends Construct {
  readonly budget: BudgetsBudget;

  constructor(scope: Construct, id: string, props: { platform: Platform; environment: Environment }) {
    super(scope, id);
    const { platform, environment } = props;
    this.budget = tagBudget(this, 'budget', {
      name: clusterName(platform, environment),
      limitUsd: environmentBudget(platform, environment).limitUsd,
      tag: costTag('environment', environment.name),
      emails: platform.budget.emails,
    });
  }
}

/**
 * The platform's cost guardrails in `shared`: its budget (the resources tagged `platform = <name>`), optionally the
 * cost allocation tags activated (`budget.costAllocationTags`: only the management or a standalone account may) and
 * Cost Anomaly Detection on the platform's tag with a daily e-mail (`budget.anomalyDetection`).
 */
export class PlatformCostGuardrails extends Construct {
  readonly budget: BudgetsBudget;

  constructor(scope: Construct, id: string, props: { platform: Platform }) {
    super(scope, id);
    const { platform } = props;
    this.budget = tagBudget(this, 'budget', { name: platform.name, limitUsd: platformBudget(platform).limitUsd, tag: costTag('platform', platform.name), emails: platform.budget.emails });

    if (platform.budget.costAllocationTags)
      for (const key of costAllocationTagKeys(platform)) new CeCostAllocationTag(this, `tag-${key}`, { tagKey: key, status: 'Active' });

    if (platform.budget.anomalyDetection) {
      const monitor = new CeAnomalyMonitor(this, 'anomaly-monitor', {
        name: platform.name,
        monitorType: 'CUSTOM',
        // Every field spelled out, as Cost Explorer returns it: otherwise each plan shows a change.
        monitorSpecification: JSON.stringify({ And: null, CostCategories: null, Dimensions: null, Not: null, Or: null, Tags: { Key: 'platform', MatchOptions: null, Values: [platform.name] } }),
      });
      new CeAnomalySubscription(this, 'anomaly-subscription', {
        name: platform.name,
        // E-mail subscribers get a daily or weekly summary (immediate alerts need SNS).
        frequency: 'DAILY',
        monitorArnList: [monitor.arn],
        subscriber: platform.budget.emails.map((address) => ({ type: 'EMAIL', address })),
        thresholdExpression: { dimension: { key: 'ANOMALY_TOTAL_IMPACT_ABSOLUTE', matchOptions: ['GREATER_THAN_OR_EQUAL'], values: [String(ANOMALY_THRESHOLD_USD)] } },
      });
    }
  }
}

/** The tags a budget or a cost report can group by: the platform's own, and owner and cost-center when answered. */
export function costAllocationTagKeys(platform: Platform): string[] {
  return ['platform', 'environment', ...['owner', 'cost-center'].filter((key) => key in platform.tags)];
}
