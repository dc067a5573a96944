import type { Environment, Platform } from './schema';

/** The account-level stacks, in apply order. */
export const STACK_ORDER = ['bootstrap', 'shared'] as const;

/**
 * The stacks of each environment, in apply order: `<env>-network` (AWS), `<env>-cluster` (AWS), then
 * `<env>-services-aws` (the AWS resources the supporting services use: buckets, Pod Identity roles, generated
 * secrets; AWS only, so it validates offline), then `<env>-services` (Helm releases inside the cluster).
 */
export const ENVIRONMENT_STACKS = ['network', 'cluster', 'services-aws', 'services'] as const;
export type EnvironmentStackKind = (typeof ENVIRONMENT_STACKS)[number];

export function environmentStackName(environment: Environment | string, stack: EnvironmentStackKind): string {
  return `${typeof environment === 'string' ? environment : environment.name}-${stack}`;
}

/**
 * Every stack of a platform, in apply order: what @platform-kit/constructs synthesizes and what the
 * generated repo's docs and tasks name. One list, so that the two cannot disagree.
 */
export function stackNames(platform: Platform): string[] {
  return [...STACK_ORDER, ...platform.environments.flatMap((e) => ENVIRONMENT_STACKS.map((s) => environmentStackName(e, s)))];
}
