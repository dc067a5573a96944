import { defineSupportingService } from '../module';

/** The CloudNativePG cluster: also its service account's name and the prefix of its services (`-rw`, `-ro`). */
export const POSTGRES_CLUSTER = 'postgresql';

export default defineSupportingService({
  name: 'postgresql',
  dir: __dirname,
  title: 'PostgreSQL (CloudNativePG)',
  purpose: 'relational database, backed up to S3',
  namespace: 'postgresql',
  requires: ['cert-manager'],
  requiresWhy: "the Barman Cloud plugin's TLS certificates",
  charts: {
    'cloudnative-pg': { repository: 'https://cloudnative-pg.github.io/charts', chart: 'cloudnative-pg', version: '0.29.0' },
    'cnpg-cluster': { repository: 'https://cloudnative-pg.github.io/charts', chart: 'cluster', version: '0.8.1' },
    'plugin-barman-cloud': { repository: 'https://cloudnative-pg.github.io/charts', chart: 'plugin-barman-cloud', version: '0.7.0' },
  },
  releases: [
    { name: 'cnpg-operator', chart: 'cloudnative-pg', after: ['prometheus'] },
    // The Barman Cloud plugin talks to the operator over TLS with certificates from cert-manager.
    { name: 'barman-cloud', chart: 'plugin-barman-cloud', after: ['cnpg-operator', 'cert-manager'] },
    { name: 'postgresql', chart: 'cnpg-cluster', after: ['cnpg-operator', 'barman-cloud', 'prometheus'] },
  ],
  // CloudNativePG runs each instance (and its Barman Cloud sidecar) under a service account named after the cluster.
  bucket: {
    key: 'backups',
    purpose: 'backup',
    role: 'postgresql-backup',
    serviceAccount: POSTGRES_CLUSTER,
    holds: 'PostgreSQL backups and WAL',
    via: 'Barman Cloud, Pod Identity',
    // The keys the cluster chart's ObjectStore names (s3Credentials).
    accessKeySecret: { ACCESS_KEY_ID: '{{ .accessKeyId }}', ACCESS_SECRET_KEY: '{{ .secretAccessKey }}' },
  },
  // A login role and a database per app that keeps its state here; the CloudNativePG cluster sets each role's password.
  secrets: ({ namespace, databases }) =>
    databases.map((app) => ({
      id: `${app}-db`,
      namespace,
      name: `${POSTGRES_CLUSTER}-${app}`,
      type: 'kubernetes.io/basic-auth',
      generated: { password: 32 },
      fixed: { username: app },
      readBy: ['postgresql'],
    })),
  // cluster.instances × cluster.storage.size
  volumes: (production) => [{ what: 'PostgreSQL', count: production ? 3 : 1, sizeGiB: production ? 20 : 5 }],
  internal: 'PostgreSQL',
  freeFormValues: {
    'cloudnative-pg': ['resources'],
    'plugin-barman-cloud': ['resources'],
    'cnpg-cluster': ['cluster.resources', 'backups.pluginConfiguration', 'backups.instanceSidecarConfiguration'],
  },
});
