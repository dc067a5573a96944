import { defineSupportingService } from '../module';

export default defineSupportingService({
  name: 'nginx',
  dir: __dirname,
  title: 'NGINX Gateway Fabric',
  purpose: 'Gateway API routing behind an AWS NLB',
  namespace: 'nginx-gateway',
  charts: { 'nginx-gateway-fabric': { repository: 'oci://ghcr.io/nginx/charts', chart: 'nginx-gateway-fabric', version: '2.6.7' } },
  releases: [{ name: 'nginx', chart: 'nginx-gateway-fabric', after: ['prometheus'] }],
  // The Gateway's namespace: cert-manager answers HTTP-01 challenges with routes next to it.
  gatewayAccess: true,
  freeFormValues: { 'nginx-gateway-fabric': ['nginxGateway.resources', 'nginx.config', 'nginx.container.resources', 'nginx.pod'] },
});
