import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

/*
 * platform-plan-guard: no silent destructive change. CI plans each stack (scripts/terraform-stack.sh), then hands
 * `terraform show -json` of the plan to this command. A plan that would delete or replace a resource holding
 * identity or data (the VPC, subnets, the cluster and its node groups, buckets, keys, secrets, image repositories)
 * fails with what and why, unless the pull request carries the label `allow-destroy:<stack>`: a reviewer's explicit
 * yes, for that stack only. Kept free of cdktf imports: it only reads JSON.
 */

/** Resource types whose deletion or replacement loses identity or data, with what that means. */
export const PROTECTED_TYPES: Readonly<Record<string, string>> = {
  aws_vpc: 'the VPC: everything in it goes with it',
  aws_subnet: 'a subnet: the nodes and load balancers in it go with it',
  aws_eks_cluster: 'the EKS cluster: every workload, volume claim and in-cluster secret with it',
  aws_eks_node_group: 'a node group: its nodes are drained and replaced',
  aws_s3_bucket: 'a bucket and the data in it (Terraform state, logs, backups)',
  aws_kms_key: 'a KMS key: whatever it encrypted can no longer be read',
  aws_secretsmanager_secret: 'a secret and its generated values',
  aws_ecr_repository: 'an image repository and its images',
  aws_codestarconnections_connection: 'the GitHub connection: it must be approved again in the console',
  aws_ec2_client_vpn_endpoint: "the Client VPN endpoint: every person's configuration names it, and must be downloaded again",
  aws_route53_zone: "a hosted zone and its records: a new zone gets new name servers, which the domain's registrar (or parent zone) must be told",
};

/** The label that allows a stack's destructive changes: `allow-destroy:<stack>`. */
export const ALLOW_DESTROY_LABEL = 'allow-destroy:';

/** The part of `terraform show -json` this reads. */
export interface PlanJson {
  readonly resource_changes?: readonly {
    readonly address: string;
    readonly type: string;
    readonly mode?: string;
    readonly action_reason?: string;
    readonly change: { readonly actions: readonly string[]; readonly replace_paths?: readonly (readonly (string | number)[])[] };
  }[];
}

export interface DestructiveChange {
  readonly address: string;
  readonly type: string;
  readonly action: 'replace' | 'delete';
  /** The attributes whose change forces a replacement, e.g. `cidr_block`. */
  readonly forcedBy: readonly string[];
  /** Terraform's reason, e.g. `delete_because_no_resource_config`. */
  readonly reason?: string;
}

/** The deletions and replacements of protected resources in a plan. */
export function destructiveChanges(plan: PlanJson): DestructiveChange[] {
  return (plan.resource_changes ?? []).flatMap((rc) => {
    const { actions } = rc.change;
    if (rc.mode === 'data' || !(rc.type in PROTECTED_TYPES) || !actions.includes('delete')) return [];
    return [
      {
        address: rc.address,
        type: rc.type,
        action: actions.includes('create') ? ('replace' as const) : ('delete' as const),
        forcedBy: (rc.change.replace_paths ?? []).map((path) => path.join('.')),
        ...(rc.action_reason ? { reason: rc.action_reason } : {}),
      },
    ];
  });
}

const REASONS: Readonly<Record<string, string>> = {
  delete_because_no_resource_config: 'it is no longer in the code',
  delete_because_no_module: 'its module is no longer in the code',
  delete_because_wrong_repetition: 'its count or for_each key changed',
  delete_because_count_index: 'its count shrank',
  delete_because_each_key: 'its for_each key is gone',
  replace_because_tainted: 'it is tainted',
  replace_by_request: 'a -replace option asked for it',
  replace_by_triggers: 'a replace_triggered_by trigger changed',
};

function why(change: DestructiveChange): string {
  if (change.forcedBy.length) return `${change.forcedBy.join(', ')} cannot change in place`;
  return (change.reason && REASONS[change.reason]) ?? 'Terraform plans it';
}

/** The guard's verdict on one stack's plan: its destructive changes, and whether the labels allow them. */
export function checkPlan(stack: string, plan: PlanJson, labels: readonly string[]): { changes: DestructiveChange[]; allowed: boolean; report: string[] } {
  const changes = destructiveChanges(plan);
  const label = `${ALLOW_DESTROY_LABEL}${stack}`;
  const allowed = changes.length === 0 || labels.includes(label);
  if (!changes.length) return { changes, allowed, report: [`${stack}: no protected resource is deleted or replaced.`] };
  const report = [
    `${stack}: ${changes.length} protected resource${changes.length === 1 ? '' : 's'} would be destroyed:`,
    ...changes.map((c) => `  ${allowed ? '!' : '✖'} ${c.action} ${c.address}: ${why(c)}. It is ${PROTECTED_TYPES[c.type]}.`),
    allowed
      ? `Allowed by the label ${label}.`
      : `If this is intended, add the label ${label} to the pull request (its plan runs again); otherwise change the answers or the code back.`,
  ];
  return { changes, allowed, report };
}

export function planGuardHelp(): string {
  return [
    'Usage: platform-plan-guard --stack STACK --plan PLAN.json [--labels LABELS]',
    '',
    'Fails when a plan (terraform show -json) deletes or replaces a protected resource: a VPC, subnet, EKS cluster,',
    'node group, bucket, KMS key, secret, ECR repository or the GitHub connection. The pull request label',
    `${ALLOW_DESTROY_LABEL}<stack> allows it for that stack.`,
    '',
    'Options:',
    '  --stack STACK     the stack the plan is of (names the label)',
    '  --plan FILE       the JSON of `terraform show -json <planfile>`',
    '  --labels LABELS   the pull request labels: a JSON array or a comma-separated list (default: $PR_LABELS)',
    '  -h, --help        print this help',
    '',
    'Exit status: 0 nothing protected is destroyed, or the label allows it; 1 destructive changes; 2 usage or input error.',
  ].join('\n');
}

/** Labels as the workflow passes them: `toJSON(github.event.pull_request.labels.*.name)`, or a comma list. */
export function parseLabels(text: string | undefined): string[] {
  const trimmed = (text ?? '').trim();
  if (!trimmed || trimmed === 'null') return [];
  if (trimmed.startsWith('[')) {
    const parsed = JSON.parse(trimmed) as unknown;
    if (!Array.isArray(parsed) || !parsed.every((l) => typeof l === 'string')) throw new Error('the labels are not a JSON array of strings');
    return parsed;
  }
  return trimmed.split(',').map((l) => l.trim()).filter(Boolean);
}

/** Runs the command; returns the exit status. */
export function runPlanGuard(argv: readonly string[], io: { out(line: string): void; err(line: string): void }, env: NodeJS.ProcessEnv = process.env): number {
  try {
    const { values } = parseArgs({
      args: [...argv],
      options: { stack: { type: 'string' }, plan: { type: 'string' }, labels: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
      strict: true,
    });
    if (values.help) {
      io.out(planGuardHelp());
      return 0;
    }
    if (!values.stack || !values.plan) throw new Error('--stack and --plan are required');
    let plan: PlanJson;
    try {
      plan = JSON.parse(readFileSync(values.plan, 'utf8')) as PlanJson;
    } catch (e) {
      throw new Error(`cannot read the plan ${values.plan}: ${(e as Error).message}`, { cause: e });
    }
    const labels = parseLabels(values.labels ?? env.PR_LABELS);
    const result = checkPlan(values.stack, plan, labels);
    for (const line of result.report) (result.allowed ? io.out : io.err)(line);
    return result.allowed ? 0 : 1;
  } catch (e) {
    const message = (e as Error).message.replace(/^Unknown option '(.*)'.*$/s, "unknown option $1");
    io.err(`platform-plan-guard: ${message}. See platform-plan-guard --help.`);
    return 2;
  }
}
