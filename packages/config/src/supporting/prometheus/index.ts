import { alertmanagerSecret } from '../../alertmanager';
import { defineSupportingService } from '../module';

export default defineSupportingService({
  name: 'prometheus',
  dir: __dirname,
  title: 'Prometheus (kube-prometheus-stack)',
  purpose: 'metrics and alerting',
  namespace: 'monitoring',
  charts: { 'kube-prometheus-stack': { repository: 'https://prometheus-community.github.io/helm-charts', chart: 'kube-prometheus-stack', version: '88.5.3' } },
  // First: most releases create ServiceMonitors, whose CRD it brings.
  releases: [{ name: 'prometheus', chart: 'kube-prometheus-stack', after: [] }],
  // Alertmanager's configuration, with the receiver's secret value from Secrets Manager (alertmanager.ts).
  secrets: ({ platform, namespace }) => (platform.alerts.receiver === 'none' ? [] : [alertmanagerSecret(platform, namespace)]),
  // Node exporter reads the host (host paths, host network).
  podSecurity: 'privileged',
  // prometheusSpec and alertmanagerSpec: replicas × volumeClaimTemplate storage
  volumes: (production) => [
    { what: 'Prometheus', count: production ? 2 : 1, sizeGiB: production ? 100 : 20 },
    { what: 'Alertmanager', count: production ? 2 : 1, sizeGiB: 2 },
  ],
  internal: 'Prometheus, Alertmanager',
  freeFormValues: {
    'kube-prometheus-stack': [
      // Maps by design: rule names to turn off, and the labels added to every alert.
      'defaultRules.disabled',
      'prometheus.prometheusSpec.externalLabels',
      'prometheus.prometheusSpec.resources',
      'prometheus.prometheusSpec.storageSpec',
      'alertmanager.alertmanagerSpec.resources',
      'alertmanager.alertmanagerSpec.storage',
      'prometheusOperator.resources',
      'prometheusOperator.prometheusConfigReloader.resources',
      'prometheusOperator.admissionWebhooks.patch.resources',
      // Subcharts: their own values.yaml has a top-level `resources: {}`.
      'kube-state-metrics.resources',
      'kube-state-metrics.metricLabelsAllowlist',
      'prometheus-node-exporter.resources',
    ],
  },
});
