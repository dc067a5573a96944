import type { ChartName } from './catalogue';

/** The supporting services a platform can install into each environment's cluster. */
export const SUPPORTING_SERVICES = [
  'postgresql',
  'redis',
  'nginx',
  'cert-manager',
  'loki',
  'grafana',
  'prometheus',
  'oathkeeper',
  'hydra',
  'keto',
  'kratos',
] as const;
export type SupportingServiceName = (typeof SUPPORTING_SERVICES)[number];

export interface SupportingServiceInfo {
  /** What a person calls it. */
  readonly title: string;
  /** What it is for, in a few words. */
  readonly purpose: string;
  /** The charts that install it, from the catalogue. */
  readonly charts: readonly ChartName[];
  /** Kubernetes namespace it runs in. */
  readonly namespace: string;
  /** Other supporting services it cannot run without. */
  readonly requires: readonly SupportingServiceName[];
}

export const supportingServiceCatalogue: Record<SupportingServiceName, SupportingServiceInfo> = {
  postgresql: {
    title: 'PostgreSQL (CloudNativePG)',
    purpose: 'relational database, backed up to S3',
    charts: ['cloudnative-pg', 'cnpg-cluster', 'plugin-barman-cloud'],
    namespace: 'postgresql',
    // The Barman Cloud plugin talks to the operator over TLS with certificates from cert-manager.
    requires: ['cert-manager'],
  },
  redis: { title: 'Redis (Valkey)', purpose: 'in-memory cache', charts: ['valkey'], namespace: 'redis', requires: [] },
  nginx: {
    title: 'NGINX Gateway Fabric',
    purpose: 'Gateway API routing behind an AWS NLB',
    charts: ['nginx-gateway-fabric'],
    namespace: 'nginx-gateway',
    requires: [],
  },
  'cert-manager': {
    title: 'cert-manager',
    purpose: "TLS certificates from Let's Encrypt",
    charts: ['cert-manager'],
    namespace: 'cert-manager',
    requires: [],
  },
  loki: { title: 'Grafana Loki', purpose: 'log storage on S3, pod logs shipped by Grafana Alloy', charts: ['loki', 'alloy'], namespace: 'monitoring', requires: [] },
  grafana: { title: 'Grafana', purpose: 'dashboards for metrics and logs', charts: ['grafana'], namespace: 'monitoring', requires: [] },
  prometheus: {
    title: 'Prometheus (kube-prometheus-stack)',
    purpose: 'metrics and alerting',
    charts: ['kube-prometheus-stack'],
    namespace: 'monitoring',
    requires: [],
  },
  oathkeeper: { title: 'ORY Oathkeeper', purpose: 'identity and access proxy', charts: ['oathkeeper'], namespace: 'ory', requires: [] },
  hydra: { title: 'ORY Hydra', purpose: 'OAuth2 and OpenID Connect server', charts: ['hydra'], namespace: 'ory', requires: ['postgresql'] },
  keto: { title: 'ORY Keto', purpose: 'permissions (Zanzibar)', charts: ['keto'], namespace: 'ory', requires: ['postgresql'] },
  kratos: { title: 'ORY Kratos', purpose: 'identity and user management', charts: ['kratos'], namespace: 'ory', requires: ['postgresql'] },
};

/** Services whose configuration needs a certificate contact email. */
export const NEEDS_CERTIFICATE_EMAIL: readonly SupportingServiceName[] = ['cert-manager'];

/**
 * A Helm release of the platform: its values are `helm/<env>/<name>.yaml` (managed, rendered from
 * templates/helm/<name>.yaml.hbs) then `helm/<env>/<name>.overrides.yaml` (yours). Argo CD installs every
 * release but its own (`argo-cd`, installed by Terraform) from the repo's gitops/ folder.
 */
export interface PlatformRelease {
  readonly name: string;
  readonly chart: ChartName;
  /** The namespace it is installed into. */
  readonly namespace: string;
  /** The supporting service it belongs to; absent for the releases every environment gets. */
  readonly service?: SupportingServiceName;
  /** Releases installed first when present: their CRDs or their services are needed. */
  readonly after: readonly string[];
}

/** A release of a supporting service. */
export interface SupportingRelease extends PlatformRelease {
  readonly service: SupportingServiceName;
}

/** Namespace of Argo CD (its release, the root ApplicationSet and every Application). */
export const ARGOCD_NAMESPACE = 'argocd';
/** The cluster autoscaler's service account: the cluster stack binds it to the autoscaler's IAM role with Pod Identity. */
export const CLUSTER_AUTOSCALER_SERVICE_ACCOUNT = { namespace: 'kube-system', name: 'cluster-autoscaler' } as const;
/** External Secrets Operator: its namespace and the service account its Pod Identity role is bound to. */
export const EXTERNAL_SECRETS = { namespace: 'external-secrets', serviceAccount: 'external-secrets' } as const;

/**
 * The releases every environment gets, whatever is selected: Argo CD (installed by Terraform, it installs the rest),
 * the cluster autoscaler, metrics-server, and External Secrets Operator (Kubernetes Secrets from Secrets Manager). External Secrets
 * comes after Prometheus when that is selected: its ServiceMonitors need the CRDs.
 */
export const CORE_RELEASES: readonly PlatformRelease[] = [
  { name: 'argo-cd', chart: 'argo-cd', namespace: ARGOCD_NAMESPACE, after: [] },
  { name: 'cluster-autoscaler', chart: 'cluster-autoscaler', namespace: CLUSTER_AUTOSCALER_SERVICE_ACCOUNT.namespace, after: [] },
  // The team's services scale on its metrics (HorizontalPodAutoscalers).
  { name: 'metrics-server', chart: 'metrics-server', namespace: 'kube-system', after: [] },
  { name: 'external-secrets', chart: 'external-secrets', namespace: EXTERNAL_SECRETS.namespace, after: ['prometheus'] },
];

/**
 * Every supporting release, in install order (a release comes after those it names; Prometheus first, since most
 * releases create ServiceMonitors). A service's releases are installed only when the service is selected. */
export const SUPPORTING_RELEASES: readonly SupportingRelease[] = (
  [
    { name: 'prometheus', service: 'prometheus', chart: 'kube-prometheus-stack', after: [] },
    { name: 'cert-manager', service: 'cert-manager', chart: 'cert-manager', after: ['prometheus'] },
    { name: 'cnpg-operator', service: 'postgresql', chart: 'cloudnative-pg', after: ['prometheus'] },
    { name: 'barman-cloud', service: 'postgresql', chart: 'plugin-barman-cloud', after: ['cnpg-operator', 'cert-manager'] },
    { name: 'postgresql', service: 'postgresql', chart: 'cnpg-cluster', after: ['cnpg-operator', 'barman-cloud', 'prometheus'] },
    { name: 'redis', service: 'redis', chart: 'valkey', after: ['prometheus'] },
    { name: 'nginx', service: 'nginx', chart: 'nginx-gateway-fabric', after: ['prometheus'] },
    { name: 'loki', service: 'loki', chart: 'loki', after: ['prometheus'] },
    { name: 'alloy', service: 'loki', chart: 'alloy', after: ['loki', 'prometheus'] },
    { name: 'grafana', service: 'grafana', chart: 'grafana', after: ['prometheus', 'loki'] },
    { name: 'hydra', service: 'hydra', chart: 'hydra', after: ['postgresql', 'prometheus'] },
    { name: 'keto', service: 'keto', chart: 'keto', after: ['postgresql', 'prometheus'] },
    { name: 'kratos', service: 'kratos', chart: 'kratos', after: ['postgresql', 'prometheus'] },
    { name: 'oathkeeper', service: 'oathkeeper', chart: 'oathkeeper', after: ['kratos', 'hydra', 'prometheus'] },
  ] as const
).map((r) => ({ ...r, namespace: supportingServiceCatalogue[r.service].namespace }));

/** Keeps only the `after` releases that are installed too. */
function present<R extends PlatformRelease>(releases: readonly R[]): R[] {
  const names = new Set(releases.map((r) => r.name));
  return releases.map((r) => ({ ...r, after: r.after.filter((a) => names.has(a)) }));
}

/** The releases of the selected services, each with only the `after` releases that are installed too. */
export function selectedReleases(selected: readonly SupportingServiceName[]): SupportingRelease[] {
  return present(SUPPORTING_RELEASES.filter((r) => selected.includes(r.service)));
}

/** Every release of an environment: the core releases, then the selected services'. */
export function platformReleases(selected: readonly SupportingServiceName[]): PlatformRelease[] {
  return present([...CORE_RELEASES, ...SUPPORTING_RELEASES.filter((r) => selected.includes(r.service))]);
}
