import { defineSupportingService } from '../module';

export default defineSupportingService({
  name: 'hydra',
  dir: __dirname,
  title: 'ORY Hydra',
  purpose: 'OAuth2 and OpenID Connect server',
  namespace: 'ory',
  requires: ['postgresql'],
  charts: { hydra: { repository: 'https://k8s.ory.com/helm/charts', chart: 'hydra', version: '0.62.1' } },
  releases: [{ name: 'hydra', chart: 'hydra', after: ['postgresql', 'prometheus'] }],
  host: { label: 'auth', service: 'hydra-public', port: 4444 },
  database: true,
  secrets: ({ namespace }) => [
    { id: 'hydra', namespace, name: 'hydra', type: 'Opaque', generated: { secretsSystem: 48, secretsCookie: 48 }, fixed: {}, dsn: { key: 'dsn', app: 'hydra' }, readBy: ['hydra'] },
  ],
  diagram: { edges: [{ to: 'kratos', what: 'login and consent' }] },
  internal: 'the ORY admin APIs',
  // The app's own configuration (Ory's config reference), and Kubernetes objects.
  freeFormValues: { hydra: ['hydra.config', 'deployment.extraEnv', 'deployment.resources', 'job.resources'] },
});
