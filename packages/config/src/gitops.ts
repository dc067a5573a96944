import { catalogue } from './catalogue';
import type { Environment, Platform } from './schema';
import { environmentReleases, supportingPlan } from './supporting-plan';
import { serviceDeliveries } from './service-delivery';
import { ARGOCD_NAMESPACE, supportingService, type PlatformRelease } from './supporting-services';

/*
 * What Argo CD installs in an environment's cluster, from the platform repo's gitops/<env>/ folder: one Application
 * per release (the upstream chart plus the repo's values files), the Gateway API CRDs, and the platform's own
 * objects as plain manifests (namespaces, the secret store and ExternalSecrets, ClusterIssuers, HTTPRoutes).
 * Terraform installs only Argo CD and the root ApplicationSet that follows gitops/<env>/applications.
 */

/** The folder of the platform repo Argo CD follows. */
export const GITOPS_DIR = 'gitops';
/** The branch Argo CD follows. */
export const GITOPS_BRANCH = 'main';
/** The Argo CD project every platform Application belongs to (created with the root ApplicationSet). */
export const PLATFORM_PROJECT = 'platform';
/** The in-cluster API server, as Argo CD names it. */
export const IN_CLUSTER = 'https://kubernetes.default.svc';
/** The ClusterSecretStore every ExternalSecret reads from: this environment's Secrets Manager secrets. */
export const CLUSTER_SECRET_STORE = 'aws-secrets-manager';
/** Label of the in-cluster cluster Secret naming the environment; the root ApplicationSet selects it. */
export const ENVIRONMENT_LABEL = 'platform-kit.dev/environment';

/** Where an Application's manifests come from. */
export type GitopsSource =
  /** An upstream chart from the catalogue, with `$values` from helm/<env>/<release>.yaml and its overrides. */
  | { readonly kind: 'chart'; readonly release: PlatformRelease }
  /** Plain manifests of the platform repo, in gitops/<env>/<path>. */
  | { readonly kind: 'manifests'; readonly path: string }
  /** An ApplicationSet: an Application per team service whose image tag CI recorded (gitops/<env>/services/<name>). */
  | { readonly kind: 'services' }
  /** A kustomization in another repository, pinned to a tag. */
  | {
      readonly kind: 'kustomize';
      readonly repoURL: string;
      readonly path: string;
      readonly targetRevision: string;
    };

export interface GitopsApplication {
  readonly name: string;
  readonly description: string;
  /** The namespace its namespaced objects go to. */
  readonly namespace: string;
  readonly source: GitopsSource;
  /** Applications that must be synced and healthy first. */
  readonly after: readonly string[];
  /** Argo CD sync wave: one more than the highest wave of `after`, so dependencies come first. */
  readonly wave: number;
}

/** The platform repo's address, as Argo CD clones it (over SSH, with a read-only deploy key). */
export function platformRepositoryUrl(platform: Platform): string {
  return `git@github.com:${platform.github.owner}/${platform.github.repository}.git`;
}

/**
 * A chart repository as Argo CD names it: an OCI registry without its `oci://` scheme (Argo CD's Helm OCI form,
 * which needs no repository Secret for a public registry).
 */
export function argocdRepoUrl(repository: string): string {
  return repository.replace(/^oci:\/\//, '');
}

/** Secrets Manager name of the deploy key Argo CD reads the platform repo with. */
export function repositoryCredentialName(platform: Platform, environment: Environment): string {
  return `${platform.name}/${environment.name}/argocd-repository`;
}

/** The Applications of one environment, in sync-wave order (the root ApplicationSet syncs them wave by wave). */
export function gitopsApplications(platform: Platform, environment: Environment): GitopsApplication[] {
  const plan = supportingPlan(platform, environment);
  const releases = environmentReleases(platform, environment).filter((r) => r.name !== 'argo-cd');
  const has = (name: string) => releases.some((r) => r.name === name);
  const nginx = plan.selected.includes('nginx');
  const readsSecrets = new Set(plan.secrets.flatMap((s) => s.readBy));
  const apps: Omit<GitopsApplication, 'wave'>[] = [
    {
      name: 'namespaces',
      description: 'namespaces with their Pod Security levels',
      namespace: 'default',
      source: { kind: 'manifests', path: 'platform/namespaces' },
      after: [],
    },
  ];
  if (nginx)
    apps.push({
      name: 'gateway-api-crds',
      description: "the Gateway API CRDs (standard channel), at NGINX Gateway Fabric's tag: its chart does not ship them",
      namespace: 'default',
      source: { kind: 'kustomize', ...catalogue.gatewayApiCrds },
      after: [],
    });
  for (const release of releases) {
    const after = [...release.after, 'namespaces'];
    if (readsSecrets.has(release.name)) after.push('secrets');
    // cert-manager's Gateway API support refuses to start without the CRDs, like NGINX Gateway Fabric.
    if (nginx && ['nginx', 'cert-manager'].includes(release.name)) after.push('gateway-api-crds');
    apps.push({
      name: release.name,
      description: `the ${release.chart} chart`,
      namespace: release.namespace,
      source: { kind: 'chart', release },
      after,
    });
  }
  const deliveries = serviceDeliveries(platform, environment);
  const appSecrets = deliveries.some((d) => d.secret);
  if (plan.secrets.length || appSecrets)
    apps.push({
      name: 'secrets',
      description: "the stores of this environment's Secrets Manager secrets and the platform's ExternalSecrets",
      namespace: 'default',
      source: { kind: 'manifests', path: 'platform/secrets' },
      after: ['namespaces', 'external-secrets'],
    });
  if (plan.selected.includes('prometheus'))
    apps.push({
      name: OBSERVABILITY_APPLICATION,
      description: "the platform's alert rules and dashboards, and the scraping of Argo CD's metrics",
      namespace: supportingService('prometheus').namespace,
      source: { kind: 'manifests', path: OBSERVABILITY_DIR },
      // The PrometheusRule and ServiceMonitor CRDs; Grafana's sidecar picks up the dashboards whenever they appear.
      after: ['prometheus'],
    });
  const issuers = plan.selected.includes('cert-manager');
  if (issuers || plan.routes.length)
    apps.push({
      name: 'routing',
      description: "Let's Encrypt ClusterIssuers and the HTTPRoutes of the platform's hosts",
      namespace: 'default',
      source: { kind: 'manifests', path: 'platform/routing' },
      after: ['cert-manager', 'nginx', ...plan.routes.map((r) => r.name)].filter(has),
    });
  if (deliveries.length)
    apps.push({
      name: SERVICES_APPLICATION_SET,
      description: "an Application per team service once CI has recorded its image for this environment",
      namespace: ARGOCD_NAMESPACE,
      source: { kind: 'services' },
      // Their namespace, the metrics of their autoscalers, their secrets' store, the Gateway and its listeners, the CRDs
      // of their monitors: whichever of these this environment has.
      after: ['namespaces', 'metrics-server', 'secrets', 'routing', 'nginx', 'prometheus'].filter((a) => apps.some((app) => app.name === a)),
    });
  return withWaves(apps);
}

/** The Application of the platform's alert rules, dashboards and monitors, and its folder under gitops/<env>/. */
export const OBSERVABILITY_APPLICATION = 'observability';
export const OBSERVABILITY_DIR = 'platform/observability';

/** The ApplicationSet of the team's services (in gitops/<env>/applications). */
export const SERVICES_APPLICATION_SET = 'services';

/** The promotions of the team's images: each environment to the next, in the order of the answers (promote.yml). */
export function promotions(platform: Platform): { from: string; to: string }[] {
  return platform.environments.slice(1).map((to, i) => ({ from: platform.environments[i].name, to: to.name }));
}

/** Where a service's files live: managed/ (platform-kit's), image/ (CI's) and the overlay kustomization.yaml (yours). */
export function serviceDir(environment: Environment | string, service: string): string {
  return `${GITOPS_DIR}/${typeof environment === 'string' ? environment : environment.name}/services/${service}`;
}

/** Gives each application the wave after its dependencies'; fails on an unknown dependency or a cycle. */
export function withWaves(apps: readonly Omit<GitopsApplication, 'wave'>[]): GitopsApplication[] {
  const byName = new Map(apps.map((a) => [a.name, a]));
  const waves = new Map<string, number>();
  const wave = (name: string, path: string[]): number => {
    const app = byName.get(name);
    if (!app) throw new Error(`Application ${path.at(-1)} comes after ${name}, which is not installed`);
    if (path.includes(name)) throw new Error(`Applications depend on each other in a cycle: ${[...path, name].join(' → ')}`);
    if (!waves.has(name)) waves.set(name, Math.max(-1, ...app.after.map((a) => wave(a, [...path, name]))) + 1);
    return waves.get(name)!;
  };
  return apps.map((a) => ({ ...a, wave: wave(a.name, []) })).sort((a, b) => a.wave - b.wave);
}
