import type { Environment, Platform } from './schema';
import { clusterTarget } from './targets';

/** The account-level stacks, in apply order. */
export const STACK_ORDER = ['bootstrap', 'shared'] as const;

/**
 * Every kind of environment stack, in apply order: `<env>-network` (AWS), `<env>-cluster` (AWS), then
 * `<env>-services-aws` (the AWS resources the supporting services use: buckets, Pod Identity roles, generated
 * secrets; AWS only, so it validates offline), then `<env>-services` (Helm releases inside the cluster). Which of
 * them an environment has is its cluster target's answer (environmentStacks()).
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
  return [...STACK_ORDER, ...platform.environments.flatMap((e) => environmentStacks(platform, e))];
}

/** An environment's stacks, in apply order: those its cluster target has. */
export function environmentStacks(platform: Platform, environment: Environment): string[] {
  return clusterTarget(platform, environment).stacks.map((kind) => environmentStackName(environment, kind));
}
