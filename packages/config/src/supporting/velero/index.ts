import { defineSupportingService } from '../module';

/** The AWS object store plugin paired with Velero 1.18 (the chart's velero image): an init container. */
export const VELERO_AWS_PLUGIN = 'velero/velero-plugin-for-aws:v1.14.2';
/** The daily Schedule: the chart names it `<release>-<key of schedules>` (velero.yaml's `schedules.daily`). */
export const VELERO_SCHEDULE = 'velero-daily';

export default defineSupportingService({
  name: 'velero',
  dir: __dirname,
  title: 'Velero',
  purpose: "backups of the cluster's objects and volumes to S3",
  namespace: 'velero',
  // Opted into: a privileged node agent on every node, and a bucket the estimate counts.
  selectedByDefault: false,
  charts: { velero: { repository: 'https://vmware-tanzu.github.io/helm-charts', chart: 'velero', version: '12.1.0' } },
  releases: [{ name: 'velero', chart: 'velero', after: ['prometheus'] }],
  // Its node agent reads the pods' volumes on the host (file-system backup).
  podSecurity: 'privileged',
  // The chart's server service account; the node agent runs under it too.
  bucket: {
    key: 'velero',
    purpose: 'velero',
    role: 'velero',
    serviceAccount: 'velero-server',
    holds: 'cluster backups: objects and volume data',
    via: 'Pod Identity',
    // Velero's AWS plugin reads an AWS credentials file from the key `cloud`.
    accessKeySecret: { cloud: '[default]\naws_access_key_id={{ .accessKeyId }}\naws_secret_access_key={{ .secretAccessKey }}\n' },
  },
  diagram: { nodes: [{ name: 'velero-node-agent', lines: ['Velero node agent', "copies the pods' volumes (DaemonSet)"] }], edges: [{ from: 'velero-node-agent', to: 'velero', what: 'volume data' }] },
  internal: 'Velero',
  freeFormValues: {
    velero: [
      'resources',
      'nodeAgent.resources',
      // Commented examples in the defaults.
      'initContainers',
      'schedules',
      'configuration.backupStorageLocation',
    ],
  },
});
