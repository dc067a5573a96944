import { defineSupportingService } from '../module';

export default defineSupportingService({
  name: 'keto',
  dir: __dirname,
  title: 'ORY Keto',
  purpose: 'permissions (Zanzibar)',
  namespace: 'ory',
  requires: ['postgresql'],
  charts: { keto: { repository: 'https://k8s.ory.com/helm/charts', chart: 'keto', version: '0.62.1' } },
  releases: [{ name: 'keto', chart: 'keto', after: ['postgresql', 'prometheus'] }],
  database: true,
  // Nothing random: only the connection string, built from its database role's password.
  secrets: ({ namespace }) => [{ id: 'keto', namespace, name: 'keto', type: 'Opaque', generated: {}, fixed: {}, dsn: { key: 'dsn', app: 'keto' }, readBy: ['keto'] }],
  internal: 'Keto',
  freeFormValues: { keto: ['keto.config', 'deployment.resources', 'job.resources'] },
});
