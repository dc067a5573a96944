import { defineSupportingService } from '../module';

export default defineSupportingService({
  name: 'grafana',
  dir: __dirname,
  title: 'Grafana',
  purpose: 'dashboards for metrics and logs',
  namespace: 'monitoring',
  charts: { grafana: { repository: 'https://grafana-community.github.io/helm-charts', chart: 'grafana', version: '12.11.1' } },
  releases: [{ name: 'grafana', chart: 'grafana', after: ['prometheus', 'loki'] }],
  host: { label: 'grafana', service: 'grafana', port: 80 },
  secrets: ({ namespace }) => [
    { id: 'grafana-admin', namespace, name: 'grafana-admin', type: 'Opaque', generated: { 'admin-password': 32 }, fixed: { 'admin-user': 'admin' }, readBy: ['grafana'] },
  ],
  // one replica, persistence.size
  volumes: () => [{ what: 'Grafana', count: 1, sizeGiB: 10 }],
  diagram: {
    edges: [
      { to: 'prometheus', what: 'metrics queries' },
      { to: 'loki', what: 'log queries' },
    ],
  },
  internalWithoutGateway: 'Grafana',
  freeFormValues: { grafana: ['grafana.ini', 'datasources', 'persistence.storageClassName', 'resources', 'sidecar.resources'] },
});
