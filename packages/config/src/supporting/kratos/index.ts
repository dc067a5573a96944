import { defineSupportingService } from '../module';

export default defineSupportingService({
  name: 'kratos',
  dir: __dirname,
  title: 'ORY Kratos',
  purpose: 'identity and user management',
  namespace: 'ory',
  requires: ['postgresql'],
  charts: { kratos: { repository: 'https://k8s.ory.com/helm/charts', chart: 'kratos', version: '0.62.1' } },
  releases: [{ name: 'kratos', chart: 'kratos', after: ['postgresql', 'prometheus'] }],
  host: { label: 'id', service: 'kratos-public', port: 80 },
  database: true,
  // The cipher secret must be exactly 32 characters (XChaCha20-Poly1305 / AES-256 keys).
  secrets: ({ namespace }) => [
    {
      id: 'kratos',
      namespace,
      name: 'kratos',
      type: 'Opaque',
      generated: { secretsDefault: 48, secretsCookie: 48, secretsCipher: 32 },
      fixed: {},
      dsn: { key: 'dsn', app: 'kratos' },
      readBy: ['kratos'],
    },
  ],
  internal: 'the ORY admin APIs',
  freeFormValues: { kratos: ['kratos.config', 'kratos.identitySchemas', 'deployment.resources', 'statefulSet.resources', 'job.resources'] },
});
