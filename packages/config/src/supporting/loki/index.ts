import { defineSupportingService } from '../module';

export default defineSupportingService({
  name: 'loki',
  dir: __dirname,
  title: 'Grafana Loki',
  purpose: 'log storage on S3, pod logs shipped by Grafana Alloy',
  namespace: 'monitoring',
  charts: {
    loki: { repository: 'https://grafana-community.github.io/helm-charts', chart: 'loki', version: '18.11.0' },
    alloy: { repository: 'https://grafana.github.io/helm-charts', chart: 'alloy', version: '1.11.1' },
  },
  releases: [
    { name: 'loki', chart: 'loki', after: ['prometheus'] },
    { name: 'alloy', chart: 'alloy', after: ['loki', 'prometheus'] },
  ],
  // The log agent reads the host's pods.
  podSecurity: 'privileged',
  bucket: {
    key: 'loki',
    purpose: 'loki',
    role: 'loki',
    serviceAccount: 'loki',
    holds: 'Loki chunks and index',
    via: 'Pod Identity',
    // Environment variables, expanded into Loki's configuration (-config.expand-env).
    accessKeySecret: { AWS_ACCESS_KEY_ID: '{{ .accessKeyId }}', AWS_SECRET_ACCESS_KEY: '{{ .secretAccessKey }}' },
  },
  // singleBinary.replicas × singleBinary.persistence.size
  volumes: (production) => [{ what: 'Loki', count: production ? 3 : 1, sizeGiB: production ? 50 : 10 }],
  diagram: {
    nodes: [{ name: 'alloy', lines: ['Grafana Alloy', 'ships pod logs (DaemonSet)'] }],
    edges: [{ from: 'alloy', to: 'loki', what: 'pod logs' }],
  },
  internal: 'Loki',
  freeFormValues: {
    loki: [
      'loki.schemaConfig',
      'loki.storage.bucketNames', // a commented example in the defaults
      'loki.limits_config.retention_period',
      'loki.compactor',
      'loki.analytics',
      'singleBinary.resources',
      'lokiCanary.resources',
      'memcachedExporter.resources',
    ],
    alloy: ['alloy.resources'],
  },
});
