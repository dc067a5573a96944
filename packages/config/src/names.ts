import { createHash } from 'node:crypto';
import type { Environment, Platform, Service } from './schema';

/*
 * Names of the AWS resources other parts of a platform refer to by name (workflows, docs, access entries).
 * One place, so that the stack creating a resource and the workflow using it cannot disagree.
 */

/** The GitHub Actions OIDC issuer, without scheme. */
export const GITHUB_OIDC_HOST = 'token.actions.githubusercontent.com';

/**
 * Who a set of CI roles acts for: an environment, or `shared` for the account-level stack. Also the name of the
 * GitHub Environment whose jobs may assume the apply role.
 */
export type CiScope = string;
export const SHARED_SCOPE: CiScope = 'shared';

/** The CI scopes of a platform: `shared`, then every environment. */
export function ciScopes(platform: Platform): CiScope[] {
  return [SHARED_SCOPE, ...platform.environments.map((e) => e.name)];
}

export type CiRoleKind = 'plan' | 'apply';

/** Name of a CI role, e.g. acme-platform-dev-plan (IAM role names allow 64 characters; this is at most 50). */
export function ciRoleName(platform: Platform, scope: CiScope, kind: CiRoleKind): string {
  return `${platform.name}-${scope}-${kind}`;
}

/**
 * IAM path of the platform's CI roles, e.g. /acme-platform/ci/. An environment's workload roles are named
 * `<platform>-<env>-*` at the root path: a role ARN pattern over those names can never match a CI role (its ARN
 * reads role/acme-platform/ci/...), so no environment's apply role can reach the CI roles, its own included.
 */
export function ciRolePath(platform: Platform): string {
  return `/${platform.name}/ci/`;
}

export function ciRoleArn(platform: Platform, scope: CiScope, kind: CiRoleKind): string {
  return `arn:aws:iam::${platform.aws.accountId}:role${ciRolePath(platform)}${ciRoleName(platform, scope, kind)}`;
}

/** Name of an environment's EKS cluster, e.g. acme-platform-dev. */
export function clusterName(platform: Platform, environment: Environment | string): string {
  return `${platform.name}-${typeof environment === 'string' ? environment : environment.name}`;
}

/**
 * Prefix of every IAM role (at the root path), KMS alias and bucket an environment's stacks create: the apply role
 * may manage only these. CI roles live under ciRolePath(), outside every prefix.
 */
export function iamPrefix(platform: Platform, environment: Environment | string): string {
  return `${clusterName(platform, environment)}-`;
}

/**
 * Name of an environment's permissions boundary: the most any IAM role its stacks create may do. Outside the
 * environment's IAM prefix on purpose, so that the environment's apply role cannot change it.
 */
export function boundaryPolicyName(platform: Platform, environment: Environment | string): string {
  return `${platform.name}-boundary-${typeof environment === 'string' ? environment : environment.name}`;
}

/**
 * Name of the CI roles' permissions boundary: the most any CI role but `shared`'s apply role may do (no role
 * chaining, no change to CI roles or boundaries). Kept in `shared`.
 */
export function ciBoundaryPolicyName(platform: Platform): string {
  return `${platform.name}-ci-boundary`;
}

/** Alias of the KMS key that encrypts the Terraform state (created by the bootstrap stack). */
export function stateKeyAlias(platform: Platform): string {
  return `alias/${platform.stateBucket}`;
}

/** ECR repository of a service, e.g. acme-platform/api: created by the shared stack, pushed to by CI. */
export function ecrRepositoryName(platform: Platform, service: Service | string): string {
  return `${platform.name}/${typeof service === 'string' ? service : service.name}`;
}

/** The registry host of the platform's account and region, e.g. 123456789012.dkr.ecr.eu-west-1.amazonaws.com. */
export function ecrRegistry(platform: Platform): string {
  return `${platform.aws.accountId}.dkr.ecr.${platform.aws.region}.amazonaws.com`;
}

/** The CI role that pushes the services' images (main and release tags only), e.g. acme-platform-images-push. */
/** The role an existing cluster's pull secret is refreshed with (web identity of its service account issuer). */
export function registryPullRoleName(platform: Platform, environment: Environment | string): string {
  return `${iamPrefix(platform, environment)}ecr-pull`;
}

export function registryPullRoleArn(platform: Platform, environment: Environment | string): string {
  return `arn:aws:iam::${platform.aws.accountId}:role${ciRolePath(platform)}${registryPullRoleName(platform, environment)}`;
}

/** An OIDC issuer as IAM names it, in provider ARNs and condition keys: its URL without the scheme. */
export function oidcIssuerHost(issuer: string): string {
  return issuer.replace(/^https:\/\//, '');
}

/** The IAM OIDC provider of a service account issuer. */
export function oidcProviderArn(platform: Platform, issuer: string): string {
  return `arn:aws:iam::${platform.aws.accountId}:oidc-provider/${oidcIssuerHost(issuer)}`;
}

export function imagesRoleName(platform: Platform): string {
  return `${platform.name}-images-push`;
}

export function imagesRoleArn(platform: Platform): string {
  return `arn:aws:iam::${platform.aws.accountId}:role${ciRolePath(platform)}${imagesRoleName(platform)}`;
}

/**
 * The account's connection to GitHub (AWS CodeConnections), created by the shared stack and approved once in the
 * console: what the CI runners' CodeBuild projects use to receive GitHub's job events. Connection names allow 32 characters.
 */
export function githubConnectionName(platform: Platform): string {
  return `${platform.name.slice(0, 25)}-github`;
}

/** The CodeBuild project hosting an environment's GitHub Actions runner (in its VPC), e.g. acme-platform-dev-runner. */
export function runnerProjectName(platform: Platform, environment: Environment | string): string {
  return `${clusterName(platform, environment)}-runner`;
}

/**
 * `name` when it fits in `max` characters; otherwise cut, with a hash of the whole name so that two long names that
 * share a beginning stay apart (IAM role names allow 64 characters, bucket names 63).
 */
export function fitName(name: string, max: number): string {
  if (name.length <= max) return name;
  const hash = createHash('sha256').update(name).digest('hex').slice(0, 8);
  return `${name.slice(0, max - hash.length - 1).replace(/-+$/, '')}-${hash}`;
}

/** The S3 bucket of a team service that asks for one (`bucket: true`), e.g. acme-platform-dev-api-123456789012. */
export function appBucketName(platform: Platform, environment: Environment | string, service: string): string {
  const account = platform.aws.accountId;
  return `${fitName(`${clusterName(platform, environment)}-${service}`, 63 - account.length - 1)}-${account}`;
}

/** The IAM role of a team service's Pod Identity, e.g. acme-platform-dev-app-api (in the environment's IAM prefix). */
export function appRoleName(platform: Platform, environment: Environment | string, service: string): string {
  return fitName(`${iamPrefix(platform, environment)}app-${service}`, 64);
}

/** The end of a zone ID, e.g. az1 of euw1-az1: what subnet names and Terraform ids of a zone end in. */
export function zoneSuffix(zoneId: string): string {
  return zoneId.split('-').pop()!;
}

/** The Name tag of an environment's public subnet in a zone, e.g. acme-platform-dev-public-az1 (the NLB's subnet annotation names it). */
export function publicSubnetName(platform: Platform, environment: Environment, zoneId: string): string {
  return `${clusterName(platform, environment)}-public-${zoneSuffix(zoneId)}`;
}

/** The Name tag of an environment's Client VPN endpoint, e.g. acme-platform-dev-vpn (scripts/vpn-certificates.sh finds it by it). */
export function vpnEndpointName(platform: Platform, environment: Environment): string {
  return `${clusterName(platform, environment)}-vpn`;
}

/**
 * The name on an environment's Client VPN server certificate, e.g. vpn.dev.acme.example.com: the platform looks the
 * certificate up in ACM by it (scripts/vpn-certificates.sh imports it there), so no key passes through Terraform.
 */
export function vpnServerName(platform: Platform, environment: Environment | string): string {
  return `vpn.${typeof environment === 'string' ? environment : environment.name}.${platform.domain}`;
}

/** The log group of an environment's Client VPN connections, e.g. /platform/acme-platform-dev/client-vpn. */
export function vpnLogGroupName(platform: Platform, environment: Environment | string): string {
  return `/platform/${clusterName(platform, environment)}/client-vpn`;
}
