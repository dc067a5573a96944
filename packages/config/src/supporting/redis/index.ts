import { defineSupportingService } from '../module';

export default defineSupportingService({
  name: 'redis',
  dir: __dirname,
  title: 'Redis (Valkey)',
  purpose: 'in-memory cache',
  namespace: 'redis',
  charts: { valkey: { repository: 'https://valkey.io/valkey-helm/', chart: 'valkey', version: '0.11.0' } },
  releases: [{ name: 'redis', chart: 'valkey', after: ['prometheus'] }],
  secrets: ({ namespace }) => [{ id: 'valkey-users', namespace, name: 'valkey-users', type: 'Opaque', generated: { default: 32 }, fixed: {}, readBy: ['redis'] }],
  // production: a primary and replica.replicas = 2, one volume each; otherwise dataStorage
  volumes: (production) => [{ what: 'Valkey', count: production ? 3 : 1, sizeGiB: production ? 8 : 1 }],
  internal: 'Valkey',
  freeFormValues: { valkey: ['auth.aclUsers', 'resources', 'initResources', 'metrics.exporter.resources'] },
});
