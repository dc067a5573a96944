import { defineSupportingService } from '../module';

export default defineSupportingService({
  name: 'external-dns',
  dir: __dirname,
  title: 'external-dns',
  purpose: "the Gateway routes' DNS records in Route 53",
  namespace: 'external-dns',
  charts: { 'external-dns': { repository: 'https://kubernetes-sigs.github.io/external-dns/', chart: 'external-dns', version: '1.21.1' } },
  // After the Gateway: it reads the Gateway's address and the HTTPRoutes attached to it.
  releases: [{ name: 'external-dns', chart: 'external-dns', after: ['nginx', 'prometheus'] }],
  automatic: {
    why: 'installed when the platform has a DNS zone (`dns.zone` is `create` or `existing`) and the Gateway (`nginx`): it creates the records of the routes',
    when: (selection) => selection.dnsZone && selection.has('nginx'),
  },
  dns: { role: 'external-dns', serviceAccount: 'external-dns', records: 'all' },
  diagram: { edges: [{ to: 'nginx', what: 'reads routes' }] },
  internal: 'external-dns',
  freeFormValues: { 'external-dns': ['resources'] },
});
