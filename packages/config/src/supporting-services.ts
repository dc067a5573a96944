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
    requires: [],
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
  loki: { title: 'Grafana Loki', purpose: 'log storage on S3', charts: ['loki'], namespace: 'monitoring', requires: [] },
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
