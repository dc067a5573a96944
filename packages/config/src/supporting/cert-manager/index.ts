import { defineSupportingService } from '../module';

export default defineSupportingService({
  name: 'cert-manager',
  dir: __dirname,
  title: 'cert-manager',
  purpose: "TLS certificates from Let's Encrypt",
  namespace: 'cert-manager',
  charts: { 'cert-manager': { repository: 'oci://quay.io/jetstack/charts', chart: 'cert-manager', version: 'v1.21.1' } },
  releases: [{ name: 'cert-manager', chart: 'cert-manager', after: ['prometheus'] }],
  // With a DNS zone: DNS-01 challenges in the environment's zone (the wildcard certificate of the Gateway).
  dns: { role: 'cert-manager', serviceAccount: 'cert-manager', records: 'acme-challenge' },
  diagram: { edges: [{ to: 'nginx', what: 'TLS certificates' }] },
  freeFormValues: {
    'cert-manager': [
      'config', // the ControllerConfiguration object
      'resources',
      'webhook.resources',
      'cainjector.resources',
      'startupapicheck.resources',
      // Commented out in values.yaml, declared in values.schema.json.
      'podDisruptionBudget.minAvailable',
      'webhook.podDisruptionBudget.minAvailable',
      'cainjector.podDisruptionBudget.minAvailable',
    ],
  },
});
