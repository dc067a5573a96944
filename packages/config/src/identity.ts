import type { Platform } from './schema';

/*
 * What identifies an environment's live infrastructure, fixed when the environment first appears. Defaults derived
 * from a position in a list (each environment's VPC range) or from the kit's tables (a region's zones) would move
 * when the list or a table changes, and a moved VPC range or zone replaces the VPC, its subnets and the cluster in
 * them. A platform repo keeps the identity of every environment in platform/identity.json: `npx projen` reads it,
 * resolves the answers with it (an answer that sets a value wins), records new environments and never rewrites a
 * recorded value on its own.
 */

/**
 * The values of one environment that replace its network and cluster when they change: an EKS environment's VPC range
 * and zones, or the kubeconfig context of the existing cluster it runs on.
 */
export type EnvironmentIdentity = { readonly vpcCidr: string; readonly zoneIds: readonly string[] } | { readonly context: string };

/** platform/identity.json: the identity of the platform and of each environment, by name. */
export interface IdentityLock {
  readonly platform: { readonly name: string; readonly region: string; readonly accountId: string; readonly stateBucket: string };
  readonly environments: Readonly<Record<string, EnvironmentIdentity>>;
}

/** The file a platform repo keeps its identity in. */
export const IDENTITY_FILE = 'platform/identity.json';

/** The identity of a resolved platform. */
export function identityOf(platform: Platform): IdentityLock {
  return {
    platform: { name: platform.name, region: platform.aws.region, accountId: platform.aws.accountId, stateBucket: platform.stateBucket },
    environments: Object.fromEntries(platform.environments.map((e) => [e.name, e.target ? { context: e.target.context } : { vpcCidr: e.vpcCidr, zoneIds: [...e.zoneIds] }])),
  };
}

/** A change of identity between the recorded platform and the one the answers now give. */
export interface IdentityChange {
  /** e.g. `environments.prod.vpcCidr`, `platform.region`, or `environments.qa` (gone). */
  readonly field: string;
  readonly from: string;
  readonly to: string;
  /** What it replaces or leaves behind, in sentences. */
  readonly consequence: string;
}

const show = (value: string | readonly string[]) => (typeof value === 'string' ? value : value.join(', '));

/** What differs between the recorded identity and the answers' platform: each a replacement, none silent. */
export function identityChanges(recorded: IdentityLock, platform: Platform): IdentityChange[] {
  const now = identityOf(platform);
  const changes: IdentityChange[] = [];
  const elsewhere = 'Every resource would be created anew there, and the existing ones left behind.';
  const platformConsequences: Record<keyof IdentityLock['platform'], string> = {
    name: 'Every resource is named after it: each would be replaced.',
    region: elsewhere,
    accountId: elsewhere,
    stateBucket: 'Terraform keeps its state there: every stack would start from an empty state and create its resources again.',
  };
  for (const key of Object.keys(platformConsequences) as (keyof IdentityLock['platform'])[])
    if (recorded.platform[key] !== now.platform[key]) changes.push({ field: `platform.${key}`, from: recorded.platform[key], to: now.platform[key], consequence: platformConsequences[key] });
  for (const [name, before] of Object.entries(recorded.environments)) {
    const after = now.environments[name];
    if (!after) {
      changes.push({ field: `environments.${name}`, from: 'present', to: 'removed', consequence: 'Its stacks are no longer synthesized: destroy them first (docs/teardown.md), or they keep running, and costing, outside the code.' });
      continue;
    }
    const change = targetChange(name, before, after);
    if (change) {
      changes.push(change);
      continue;
    }
    if (!('vpcCidr' in before && 'vpcCidr' in after)) continue;
    if (before.vpcCidr !== after.vpcCidr)
      changes.push({ field: `environments.${name}.vpcCidr`, from: before.vpcCidr, to: after.vpcCidr, consequence: `This replaces ${name}'s VPC, its subnets and the EKS cluster in them.` });
    if (show(before.zoneIds) !== show(after.zoneIds))
      changes.push({ field: `environments.${name}.zoneIds`, from: show(before.zoneIds), to: show(after.zoneIds), consequence: `This replaces ${name}'s subnets, and the cluster and node groups in them.` });
  }
  return changes;
}

/** A move of an environment between clusters: from EKS to an existing cluster, back, or to another context. */
function targetChange(name: string, before: EnvironmentIdentity, after: EnvironmentIdentity): IdentityChange | undefined {
  const describe = (identity: EnvironmentIdentity) => ('context' in identity ? `the existing cluster of context ${identity.context}` : `EKS in ${identity.vpcCidr}`);
  const field = `environments.${name}.target`;
  const leftBehind = 'What runs there now is left behind with its data: move the data first (docs/disaster-recovery.md).';
  if ('context' in before && 'context' in after)
    return before.context === after.context
      ? undefined
      : {
          field: `${field}.context`,
          from: before.context,
          to: after.context,
          consequence: `Argo CD and every service of ${name} would be installed on the cluster of ${after.context}, if it is another cluster. ${leftBehind}`,
        };
  if ('context' in after)
    return {
      field,
      from: describe(before),
      to: describe(after),
      consequence: `${name}'s network, cluster and services-aws stacks are no longer synthesized: destroy them first (docs/teardown.md), or they keep running, and costing, outside the code. ${leftBehind}`,
    };
  if ('context' in before)
    return { field, from: describe(before), to: describe(after), consequence: `This creates a VPC and an EKS cluster for ${name}, and installs it there. ${leftBehind}` };
  return undefined;
}

/** Reads an identity lock's JSON; throws a message naming the file when it is not one. */
export function parseIdentityLock(text: string): IdentityLock {
  const lock = JSON.parse(text) as Partial<IdentityLock>;
  const environments = lock.environments;
  const valid =
    typeof lock.platform === 'object' &&
    typeof environments === 'object' &&
    environments !== null &&
    Object.values(environments).every((e) =>
      typeof e === 'object' && e !== null && 'context' in e ? typeof e.context === 'string' : typeof e?.vpcCidr === 'string' && Array.isArray(e.zoneIds) && e.zoneIds.every((z) => typeof z === 'string'),
    );
  if (!valid) throw new Error(`${IDENTITY_FILE} is not an identity record (platform, environments: { vpcCidr, zoneIds } or { context }). Restore it from git.`);
  return lock as IdentityLock;
}
