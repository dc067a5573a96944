import {
  APPS_NAMESPACE,
  clusterName,
  ecrRepositoryName,
  environmentStackName,
  hasDnsZone,
  environmentServices,
  PLATFORM_SECRETS_NAMESPACE,
  supportingPlan,
  supportingService,
  type Environment,
  type Platform,
} from '@platform-kit/config';

/*
 * The mermaid diagrams of a generated repo's docs/architecture.md, drawn from the answers: what is in the account
 * (every stack and what it holds), and what runs inside each cluster (the selected supporting services, the team's
 * services, and how they connect). Flowcharts, because GitHub renders them and edges can carry labels.
 */

/** A mermaid node id: letters, digits and underscores only. */
const id = (...parts: string[]) => parts.join('_').replace(/[^A-Za-z0-9_]/g, '_');
/** A quoted label of one or more lines; `"`, `<` and `>` become mermaid entity codes (a `<` would start HTML). */
const label = (...lines: string[]) => `"${lines.map((l) => l.replace(/"/g, '#quot;').replace(/</g, '#lt;').replace(/>/g, '#gt;')).join('<br/>')}"`;

class Flowchart {
  private readonly lines: string[];
  private depth = 1;
  constructor(direction: 'TB' | 'LR') {
    this.lines = [`flowchart ${direction}`];
  }
  private add(line: string): void {
    this.lines.push(`${'  '.repeat(this.depth)}${line}`);
  }
  node(nodeId: string, text: string[], shape: 'box' | 'store' | 'round' = 'box'): void {
    const [open, close] = { box: ['[', ']'], store: ['[(', ')]'], round: ['([', '])'] }[shape];
    this.add(`${nodeId}${open}${label(...text)}${close}`);
  }
  group(groupId: string, title: string, body: () => void): void {
    this.add(`subgraph ${groupId}[${label(title)}]`);
    this.depth++;
    body();
    this.depth--;
    this.add('end');
  }
  edge(from: string, to: string, text?: string, dotted = false): void {
    const arrow = dotted ? '-.->' : '-->';
    this.add(text ? `${from} ${arrow}|${label(text)}| ${to}` : `${from} ${arrow} ${to}`);
  }
  toString(): string {
    return `${this.lines.join('\n')}\n`;
  }
}

const stackTitle = (stack: string) => `stack: ${stack}`;

/** The account: GitHub, every stack (grouped by environment) and what each one holds. */
export function accountDiagram(platform: Platform): string {
  const chart = new Flowchart('TB');
  const hasServices = platform.services.length > 0;
  const routed = platform.supportingServices.includes('nginx');
  chart.node('github', [`GitHub Actions`, `${platform.github.owner}/${platform.github.repository}`], 'round');
  if (routed) chart.node('users', ['Users'], 'round');
  chart.group('account', `AWS account ${platform.aws.accountId} · ${platform.aws.region}`, () => {
    chart.group(id('stack', 'bootstrap'), stackTitle('bootstrap'), () => chart.node('state', ['S3 state bucket', platform.stateBucket, 'KMS key, versioned, TLS only'], 'store'));
    chart.group(id('stack', 'shared'), stackTitle('shared'), () => {
      chart.node('ci_roles', ['GitHub OIDC provider', 'plan and apply role per scope', 'permissions boundaries']);
      if (hasServices) chart.node('ecr', ['ECR repositories', ...platform.services.map((s) => ecrRepositoryName(platform, s))], 'store');
      if (hasDnsZone(platform)) chart.node('dns', ['Route 53', `${platform.domain}${platform.dns.zone === 'create' ? '' : ' (existing)'}`, 'a zone per environment'], 'store');
    });
    for (const environment of platform.environments.filter((e) => !e.target)) {
      const env = environment.name;
      const nodes = environment.nodes;
      const zones = environment.zoneIds.length;
      const nat = { single: '1 NAT gateway', 'per-az': `${zones} NAT gateways`, instance: 'a NAT instance' }[environment.natGateways];
      const supporting = platform.supportingServices.length;
      chart.group(id('env', env), `${env} (${environment.tier})`, () => {
        chart.group(id('stack', environmentStackName(env, 'network')), stackTitle(environmentStackName(env, 'network')), () =>
          chart.node(id(env, 'vpc'), [`VPC ${environment.vpcCidr}`, `${zones} zones, ${nat}`, 'flow logs']),
        );
        chart.group(id('stack', environmentStackName(env, 'cluster')), stackTitle(environmentStackName(env, 'cluster')), () =>
          chart.node(id(env, 'eks'), [
            `EKS ${clusterName(platform, environment)}`,
            `Kubernetes ${platform.kubernetesVersion}`,
            `${nodes.minSize}-${nodes.maxSize} × ${nodes.instanceTypes[0]} (${nodes.capacityType})`,
            ...(environment.vpn ? [`Client VPN ${environment.vpn.clientCidr}`] : []),
          ]),
        );
        chart.group(id('stack', environmentStackName(env, 'services-aws')), stackTitle(environmentStackName(env, 'services-aws')), () =>
          chart.node(id(env, 'service_data'), serviceDataLines(platform, environment), 'store'),
        );
        chart.group(id('stack', environmentStackName(env, 'services')), stackTitle(environmentStackName(env, 'services')), () =>
          chart.node(id(env, 'helm'), ['Argo CD', `syncs gitops/${env}: cluster autoscaler,`, `External Secrets, ${supporting} supporting service${supporting === 1 ? '' : 's'}`]),
        );
      });
    }
  });
  // Environments on existing clusters are outside the account: only their state is in it.
  for (const environment of platform.environments.filter((e) => e.target)) existingClusterGroup(chart, platform, environment);
  chart.edge('github', 'ci_roles', 'OIDC: assume plan / apply roles');
  chart.edge('ci_roles', 'state', 'Terraform state', true);
  if (hasServices) chart.edge('github', 'ecr', 'push images');
  for (const environment of platform.environments) {
    const env = environment.name;
    if (environment.target) {
      existingClusterEdges(chart, platform, environment, hasServices, routed);
      continue;
    }
    chart.edge(id(env, 'eks'), id(env, 'vpc'), 'nodes in private subnets');
    chart.edge(id(env, 'helm'), id(env, 'eks'), 'installed into');
    chart.edge(id(env, 'helm'), id(env, 'service_data'), 'Pod Identity, Secrets', true);
    chart.edge(id(env, 'helm'), 'github', `pulls gitops/${env} (deploy key)`, true);
    if (hasServices) chart.edge(id(env, 'eks'), 'ecr', 'pull images', true);
    if (routed) chart.edge('users', id(env, 'helm'), `HTTPS *.${env}.${platform.domain} (NLB)`);
    if (routed && hasDnsZone(platform)) chart.edge(id(env, 'helm'), 'dns', `records of ${env}.${platform.domain} (external-dns)`, true);
  }
  return chart.toString();
}

/** An environment on an existing cluster: the cluster, and what the platform installs into it. */
function existingClusterGroup(chart: Flowchart, platform: Platform, environment: Environment): void {
  const env = environment.name;
  const target = environment.target!;
  const supporting = environmentServices(platform, environment).length;
  chart.group(id('env', env), `${env} (${environment.tier}) · existing cluster`, () => {
    chart.node(id(env, 'cluster'), ['Kubernetes cluster', `context ${target.context}`, ...(target.apiServer ? [target.apiServer] : [])]);
    chart.group(id('stack', environmentStackName(env, 'services')), stackTitle(environmentStackName(env, 'services')), () =>
      chart.node(id(env, 'helm'), ['Argo CD', `syncs gitops/${env}: External Secrets,`, `${supporting} supporting service${supporting === 1 ? '' : 's'}`]),
    );
    chart.node(id(env, 'secrets'), [target.secrets.kind === 'vault' ? `Vault ${target.secrets.server}` : `Secrets in ${PLATFORM_SECRETS_NAMESPACE}`], 'store');
    if (target.objectStorage) chart.node(id(env, 'objects'), ['S3-compatible store', target.objectStorage.endpoint], 'store');
  });
}

function existingClusterEdges(chart: Flowchart, platform: Platform, environment: Environment, hasServices: boolean, routed: boolean): void {
  const env = environment.name;
  const target = environment.target!;
  chart.edge(id(env, 'helm'), id(env, 'cluster'), `installed into (context ${target.context})`);
  chart.edge(id(env, 'helm'), 'state', 'Terraform state', true);
  chart.edge(id(env, 'helm'), id(env, 'secrets'), 'External Secrets reads', true);
  if (target.objectStorage) chart.edge(id(env, 'helm'), id(env, 'objects'), 'logs and backups (access keys)', true);
  chart.edge(id(env, 'helm'), 'github', `pulls gitops/${env} (deploy key)`, true);
  if (hasServices) chart.edge(id(env, 'cluster'), 'ecr', 'pull images (pull secret)', true);
  const gateway = target.gateway.exposure === 'NodePort' ? `node ports ${target.gateway.httpNodePort}/${target.gateway.httpsNodePort}, your balancer` : 'its load balancer';
  if (routed) chart.edge('users', id(env, 'helm'), `HTTPS *.${env}.${platform.domain} (${gateway})`);
}

function serviceDataLines(platform: Platform, environment: Platform['environments'][number]): string[] {
  const plan = supportingPlan(platform, environment);
  const buckets = Object.keys(plan.buckets);
  return [
    buckets.length ? `S3: ${buckets.join(', ')}` : 'no buckets',
    plan.secrets.length ? `Secrets Manager: ${plan.secrets.length} secrets` : 'no secrets',
    `${plan.podIdentities.length} Pod Identity roles`,
  ];
}

/**
 * Inside every environment's cluster: namespaces, the selected services and the team's services, and their links.
 * Each supporting service's module draws its own box, its extra boxes and arrows, and its bucket.
 */
export function clusterDiagram(platform: Platform): string {
  const chart = new Flowchart('LR');
  // An EKS environment's, where there is one: it has every selected service (external-dns only runs where a zone is).
  const environment = platform.environments.find((e) => !e.target) ?? platform.environments[0];
  const plan = supportingPlan(platform, environment);
  const modules = plan.selected.map(supportingService);
  const has = (s: string) => plan.selected.includes(s as never);
  const node = (name: string) => id('svc', name);
  // Extra boxes (e.g. Loki's Alloy) are named like services: an arrow is drawn when both of its ends are.
  const drawn = new Set([...plan.selected, ...modules.flatMap((m) => (m.diagram?.nodes ?? []).map((n) => n.name))]);

  if (has('nginx')) chart.node('internet', ['Internet'], 'round');
  const onEks = platform.environments.filter((e) => !e.target).length;
  const clusters = onEks === platform.environments.length ? 'EKS cluster' : onEks ? 'EKS or existing cluster' : 'Existing cluster';
  chart.group('cluster', `${clusters} (every environment)`, () => {
    for (const namespace of plan.namespaceList) {
      chart.group(id('ns', namespace.name), `namespace ${namespace.name}`, () => {
        for (const module of modules.filter((m) => m.namespace === namespace.name)) {
          chart.node(node(module.name), [module.title, module.purpose]);
          for (const extra of module.diagram?.nodes ?? []) chart.node(node(extra.name), [...extra.lines]);
        }
        if (namespace.name === APPS_NAMESPACE)
          if (platform.services.length) for (const service of platform.services) chart.node(id('app', service.name), [`${service.name}`, `your service, port ${service.port}`]);
          else chart.node('app_none', ['your services']);
      });
    }
  });
  const bucket = onEks === platform.environments.length ? 'S3 bucket' : 'bucket (S3 or S3-compatible)';
  for (const module of modules) if (module.bucket) chart.node(id('s3', module.bucket.key), [bucket, module.bucket.holds], 'store');
  if (plan.secrets.length) chart.node('secrets_manager', [secretStores(platform), 'generated passwords'], 'store');

  if (has('nginx')) {
    chart.edge('internet', node('nginx'), onEks === platform.environments.length ? 'NLB, HTTP(S)' : 'load balancer, HTTP(S)');
    for (const route of plan.routes) chart.edge(node('nginx'), node(route.name), route.host.replace(`.${plan.domain}`, '.<env>.<domain>'));
  }
  for (const module of modules) {
    const edges = [...(module.diagram?.edges ?? []), ...(module.database ? [{ to: 'postgresql', what: 'SQL' }] : [])];
    for (const edge of edges) {
      const from = edge.from ?? module.name;
      if (drawn.has(from) && drawn.has(edge.to)) chart.edge(node(from), node(edge.to), edge.what);
    }
    if (module.bucket) chart.edge(node(module.name), id('s3', module.bucket.key), module.bucket.via);
  }
  if (has('oathkeeper')) for (const service of platform.services) chart.edge(node('oathkeeper'), id('app', service.name), `/${service.name}/`);
  if (plan.secrets.length) chart.edge('secrets_manager', 'cluster', 'Kubernetes Secrets, written at apply', true);
  return chart.toString();
}

/** Where the environments' secrets are kept, each backend once: Secrets Manager on EKS, the answered one elsewhere. */
function secretStores(platform: Platform): string {
  const names = platform.environments.map((e) => (!e.target ? 'AWS Secrets Manager' : e.target.secrets.kind === 'vault' ? 'Vault' : 'Secrets of the cluster'));
  return [...new Set(names)].join(' / ');
}
