import { defineSupportingService } from '../module';

export default defineSupportingService({
  name: 'oathkeeper',
  dir: __dirname,
  title: 'ORY Oathkeeper',
  purpose: 'identity and access proxy',
  namespace: 'ory',
  charts: { oathkeeper: { repository: 'https://k8s.ory.com/helm/charts', chart: 'oathkeeper', version: '0.62.1' } },
  releases: [{ name: 'oathkeeper', chart: 'oathkeeper', after: ['kratos', 'hydra', 'prometheus'] }],
  host: { label: 'api', service: 'oathkeeper-proxy', port: 4455 },
  diagram: {
    edges: [
      { to: 'kratos', what: 'sessions' },
      { to: 'hydra', what: 'token introspection' },
    ],
  },
  internal: 'the ORY admin APIs',
  freeFormValues: { oathkeeper: ['oathkeeper.config', 'deployment.resources'] },
});
