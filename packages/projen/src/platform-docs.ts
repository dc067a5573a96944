import {
  APPS_NAMESPACE,
  APPS_SECRET_STORE,
  catalogue,
  chartPin,
  clusterName,
  environmentBudget,
  environmentDomain,
  estimateCost,
  pricedEnvironments,
  platformBudget,
  type BudgetLimit,
  formatUsd,
  gatewayCertificates,
  clusterTarget,
  PLATFORM_SECRETS_NAMESPACE,
  registryPullRoleName,
  storedInSecretsManager,
  environmentHasDnsZone,
  hasDnsZone,
  LEAN_DEFAULTS,
  gitopsApplications,
  platformRepositoryUrl,
  repositoryCredentialName,
  MIN_REASON_LENGTH,
  POLICY_RULES,
  PRICE_SOURCES,
  promotions,
  environmentStackName,
  environmentStacks,
  secretsManagerName,
  selectedReleases,
  serviceDeliveries,
  stackNames,
  supportingPlan,
  supportingService,
  unpricedRegion,
  ALERTMANAGER_SECRET,
  POSTGRES_CLUSTER,
  VELERO_SCHEDULE,
  iamPrefix,
  ESTIMATED_COST_METRIC,
  REPEAT_INTERVALS,
  alertGroups,
  providedAlertSecret,
  severityIn,
  type AlertRule,
  type Environment,
  type Platform,
  type Suppression,
} from '@platform-kit/config';
import { accountDiagram, clusterDiagram } from './architecture-diagram';
import { existingClusterDocs } from './existing-cluster-docs';
import { moduleHasTemplate, render, renderModuleTemplate } from './templates';

/*
 * The generated repo's docs/: one Markdown file per question a platform team asks (what is this, how do I
 * start, deploy, reach, upgrade, cost and tear it down). Each is rendered from templates/platform/<name>.md.hbs
 * with the answers, on every `npx projen`, so the docs describe the platform as it is configured now.
 */

/** The docs, in reading order: file name (under docs/) and what it answers (for docs/README.md). */
export const PLATFORM_DOCS = [
  { name: 'getting-started', title: 'Getting started', about: 'from an empty account to a running platform, step by step' },
  { name: 'architecture', title: 'Architecture', about: 'what is in the account and in each cluster, and how it connects (diagrams)' },
  { name: 'bootstrap', title: 'Bootstrap', about: 'the Terraform state bucket, created once' },
  { name: 'deploy', title: 'Deploy', about: 'the stacks in apply order, the CI roles, reaching a cluster' },
  { name: 'gitops', title: 'GitOps', about: 'what Argo CD installs in each environment and in which order; deploying, debugging a sync, rolling back' },
  { name: 'dns', title: 'DNS', about: "the Route 53 zones, delegating the domain, the routes' records and the certificates" },
  { name: 'vpn', title: 'VPN', about: 'private access for operators with AWS Client VPN: connecting, adding and revoking a person' },
  { name: 'existing-clusters', title: 'Existing clusters', about: 'the environments on clusters the platform did not create: what each must offer, and the buckets, secrets, DNS records and image pulls to set up by hand' },
  { name: 'disaster-recovery', title: 'Disaster recovery', about: 'what is backed up, recovery objectives per tier, and the restore drills with their commands' },
  { name: 'alerts', title: 'Alerts', about: "where alerts go, setting up the receiver, and each of the platform's alerts with its runbook" },
  { name: 'ci', title: 'CI', about: 'the GitHub workflows and the repository settings they need' },
  { name: 'services', title: 'Services', about: 'what runs where, at which version, and how to reach it' },
  { name: 'cost', title: 'Cost', about: 'the monthly estimate per environment, with its prices and assumptions' },
  { name: 'policy', title: 'Policy', about: 'the security rules CI checks, and how to suppress one with a reason' },
  { name: 'upgrade', title: 'Upgrade', about: 'newer kit versions, Kubernetes versions and charts' },
  { name: 'teardown', title: 'Teardown', about: 'removing an environment or the whole platform, in order' },
] as const;

/** The docs of a platform: existing-clusters.md only when an environment runs on one. */
export function platformDocList(platform: Platform): readonly (typeof PLATFORM_DOCS)[number][] {
  return PLATFORM_DOCS.filter((doc) => doc.name !== 'existing-clusters' || platform.environments.some((e) => e.target));
}

export interface DocFile {
  readonly path: string;
  readonly contents: string;
}

/**
 * Every generated doc, rendered. `data` is what the other templates get (answers, deployment facts, marker);
 * `suppressions` are the policy suppressions of .projenrc.ts, already validated.
 */
export function platformDocs(platform: Platform, data: object, suppressions: readonly Suppression[] = []): DocFile[] {
  const docsData = {
    ...data,
    ...architecture(platform),
    ...services(platform),
    ...teardown(platform),
    gitops: gitops(platform),
    dns: dns(platform),
    alerts: alerts(platform),
    recovery: recovery(platform),
    cost: cost(platform),
    policy: policy(platform, suppressions),
    existingClusters: existingClusterDocs(platform),
    // The environments on existing clusters, for the pages that say what differs for them.
    existing: {
      any: platform.environments.some((e) => e.target),
      names: platform.environments.filter((e) => e.target).map((e) => `\`${e.name}\``).join(', '),
    },
    // The index names the services this platform reaches by a host, and only those.
    docs: platformDocList(platform).map((doc) => (doc.name === 'services' ? { ...doc, about: servicesAbout(platform) } : doc)),
    nodeVersion: catalogue.node.minVersion,
    terraformVersion: catalogue.terraform.cli,
  };
  return [
    ...platformDocList(platform).map((doc) => ({ path: `docs/${doc.name}.md`, contents: render(`platform/${doc.name}.md`, docsData) })),
    { path: 'docs/README.md', contents: render('platform/docs-index.md', docsData) },
  ];
}

/** The zones, who writes them, and how the Gateway's certificates are issued (docs/dns.md, getting-started). */
function dns(platform: Platform) {
  const certificates = new Set(platform.environments.map((e) => gatewayCertificates(platform, e)));
  const zoned = platform.environments.filter((e) => environmentHasDnsZone(platform, e)).map((e) => ({ name: e.name, zone: environmentDomain(platform, e), cluster: clusterName(platform, e) }));
  return {
    managed: hasDnsZone(platform),
    created: platform.dns.zone === 'create',
    zoneId: platform.dns.zoneId,
    externalDns: platform.supportingServices.includes('external-dns'),
    // Per environment: wildcard certificates where the environment has its zone (EKS), one per host elsewhere.
    wildcard: certificates.has('wildcard'),
    perHost: certificates.has('per-host'),
    // The environments with a zone of their own (on EKS); those on existing clusters get their records by hand.
    environments: zoned,
    firstZone: zoned[0]?.zone ?? '',
    issuers: platform.environments.map((e) => ({ name: e.name, issuer: e.letsEncrypt })),
  };
}

/** What is backed up where, for how long, and the names the restore drills use (docs/disaster-recovery.md). */
function recovery(platform: Platform) {
  const has = (s: string) => platform.supportingServices.includes(s as never);
  return {
    postgresql: has('postgresql'),
    velero: has('velero'),
    loki: has('loki'),
    prometheus: has('prometheus'),
    cluster: POSTGRES_CLUSTER,
    objectStore: `${POSTGRES_CLUSTER}-backups`,
    drillCluster: `${POSTGRES_CLUSTER}-drill`,
    schedule: VELERO_SCHEDULE,
    region: platform.aws.region,
    tiers: (['production', 'non-production'] as const)
      .filter((tier) => platform.environments.some((e) => e.tier === tier))
      .map((tier) => ({
        tier,
        environments: platform.environments.filter((e) => e.tier === tier).map((e) => `\`${e.name}\``).join(', '),
        // What every store keeps, the values templates' retentions: Velero's TTL, Loki's, Prometheus', PostgreSQL's.
        days: tier === 'production' ? 30 : 7,
        postgres: tier === 'production' ? 'three PostgreSQL instances in different zones (a failover takes seconds)' : 'one PostgreSQL instance',
      })),
    // The buckets of every environment that has them; the Pod Identity step of the drills is EKS's only.
    backupBuckets: platform.environments.flatMap((e) => supportingPlan(platform, e).buckets.backups ?? []).map((b) => `\`${b}\``).join(', '),
    veleroBuckets: platform.environments.flatMap((e) => supportingPlan(platform, e).buckets.velero ?? []).map((b) => `\`${b}\``).join(', '),
    withoutObjectStorage: platform.environments.filter((e) => e.target && !e.target.objectStorage).map((e) => `\`${e.name}\``).join(', '),
    withObjectStorage: platform.environments.filter((e) => e.target?.objectStorage).map((e) => `\`${e.name}\``).join(', '),
    environments: platform.environments
      .filter((e) => !e.target)
      .map((e) => ({
        name: e.name,
        cluster: clusterName(platform, e),
        backupRole: `${iamPrefix(platform, e)}${supportingService('postgresql').bucket!.role}`,
      })),
  };
}

/** Where alerts go and every alert rule with its runbook (docs/alerts.md): the rules of the first environment that has each. */
function alerts(platform: Platform) {
  const receiver = platform.alerts;
  const provided = providedAlertSecret(receiver);
  // Each rule once, with the severity it fires with in each environment that has it.
  const byName = new Map<string, { rule: AlertRule; group: string; severities: Map<string, string> }>();
  for (const environment of platform.environments)
    for (const group of alertGroups(platform, environment))
      for (const rule of group.rules) {
        const entry = byName.get(rule.alert) ?? { rule, group: group.name, severities: new Map<string, string>() };
        entry.severities.set(environment.name, severityIn(rule, environment));
        byName.set(rule.alert, entry);
      }
  return {
    monitored: platform.supportingServices.includes('prometheus'),
    receiver: receiver.receiver,
    email: receiver.receiver === 'email' ? receiver : undefined,
    slack: receiver.receiver === 'slack' ? receiver : undefined,
    secretKey: Object.keys(provided)[0] ?? '',
    secretHolds: Object.values(provided)[0] ?? '',
    secretName: ALERTMANAGER_SECRET.name,
    region: platform.aws.region,
    repeat: REPEAT_INTERVALS,
    environments: platform.environments.map((e) => ({ name: e.name, production: e.tier === 'production', secret: secretsManagerName(platform, e, ALERTMANAGER_SECRET.id) })),
    rules: [...byName.values()].map(({ rule, group, severities }) => ({
      ...rule,
      group,
      // One severity everywhere, or each environment's.
      severities: new Set(severities.values()).size === 1 ? [...severities.values()][0] : [...severities].map(([env, severity]) => `${severity} in ${env}`).join(', '),
      expr: rule.shownExpr ?? rule.expr,
      anchor: rule.alert.toLowerCase(),
    })),
    costMetric: ESTIMATED_COST_METRIC,
  };
}

function architecture(platform: Platform) {
  return {
    accountDiagram: accountDiagram(platform),
    clusterDiagram: clusterDiagram(platform),
    existingFacts: platform.environments.flatMap((e) =>
      e.target
        ? [
            {
              name: e.name,
              tier: e.tier,
              context: e.target.context,
              storage: e.target.storageClass ? `\`${e.target.storageClass}\`` : 'default StorageClass',
              gateway: e.target.gateway.exposure === 'NodePort' ? `node ports ${e.target.gateway.httpNodePort}/${e.target.gateway.httpsNodePort}` : 'LoadBalancer',
              objects: e.target.objectStorage?.endpoint ?? 'none',
              secrets: e.target.secrets.kind === 'vault' ? `Vault ${e.target.secrets.server}` : 'Secrets of the cluster',
            },
          ]
        : [],
    ),
    // One NAT gateway for every zone: said in the docs, a trade of resilience for cost.
    singleNat: platform.environments.filter((e) => !e.target && e.natGateways === 'single').map((e) => e.name),
    environmentFacts: platform.environments.filter((e) => !e.target).map((e) => ({
      name: e.name,
      tier: e.tier,
      vpcCidr: e.vpcCidr,
      zones: e.zoneIds.join(', '),
      nat: { single: 'one (first zone)', 'per-az': `one per zone (${e.zoneIds.length})`, instance: 'a NAT instance (first zone)' }[e.natGateways],
      nodes: `${e.nodes.minSize}-${e.nodes.maxSize} (desired ${e.nodes.desiredSize}) × ${e.nodes.instanceTypes.join(' / ')}, ${e.nodes.capacityType}, ${e.nodes.diskSizeGiB} GiB`,
      endpoint: e.clusterPublicAccessCidrs.length ? `private + public for ${e.clusterPublicAccessCidrs.join(', ')}` : 'private only',
      logRetentionDays: e.logRetentionDays,
    })),
  };
}

/** Per environment: each selected service with its releases, namespace and address, and how to reach the UIs. */
function services(platform: Platform) {
  const releases = selectedReleases(platform.supportingServices);
  const tls = platform.supportingServices.includes('cert-manager');
  const routed = platform.supportingServices.includes('nginx');
  const scheme = urlScheme(platform);
  return {
    routed,
    tls,
    scheme,
    appsNamespace: APPS_NAMESPACE,
    internalOnly: internalOnly(platform),
    autoscalerChart: chartVersion('cluster-autoscaler'),
    externalSecretsChart: chartVersion('external-secrets'),
    kubernetesVersion: platform.kubernetesVersion,
    addons: Object.entries(catalogue.kubernetes.addons[platform.kubernetesVersion as keyof typeof catalogue.kubernetes.addons]).map(([name, version]) => ({ name, version })),
    supportingRows: platform.supportingServices.map((service) => {
      const info = supportingService(service);
      return {
        title: info.title,
        purpose: info.purpose,
        namespace: info.namespace,
        releases: releases
          .filter((r) => r.service === service)
          .map((r) => `\`${r.name}\` (${chartVersion(r.chart)})`)
          .join(', '),
      };
    }),
    serviceEnvironments: platform.environments.map((environment) => {
      const plan = supportingPlan(platform, environment);
      const backend = clusterTarget(platform, environment).secrets;
      // Where each secret is kept: its Secrets Manager name (which the access notes use), or its place in the backend.
      const secrets = backend.kind === 'aws-secrets-manager' ? Object.fromEntries(plan.secrets.map((s) => [s.id, secretsManagerName(platform, environment, s)])) : {};
      const keptAt = (s: (typeof plan.secrets)[number]) =>
        backend.kind === 'kubernetes' ? `${backend.namespace}/${s.id}` : backend.kind === 'vault' ? `${backend.path}/${secretsManagerName(platform, environment, s)}` : secretsManagerName(platform, environment, s);
      return {
        name: environment.name,
        cluster: clusterName(platform, environment),
        // The kubeconfig context of an existing cluster; empty on EKS.
        context: environment.target?.context ?? '',
        domain: plan.domain,
        routes: plan.routes.map((r) => ({ ...r, url: `${scheme}://${r.host}/` })),
        // How to reach each selected service that says so in its module (access.md.hbs).
        access: platform.supportingServices
          .map(supportingService)
          .filter((m) => moduleHasTemplate(m, 'access.md'))
          .map((m) => renderModuleTemplate(m, 'access.md', { routed, scheme, host: plan.hosts[m.name] ?? '', namespace: m.namespace, secrets }).trimEnd()),
        store: { 'aws-secrets-manager': 'AWS Secrets Manager', kubernetes: 'Secret of the cluster', vault: `Vault ${backend.kind === 'vault' ? backend.server : ''}` }[backend.kind],
        secrets: plan.secrets.map((s) => ({ kubernetes: `${s.namespace}/${s.name}`, secretsManager: storedInSecretsManager(s) ? keptAt(s) : undefined })),
        buckets: Object.values(plan.buckets),
      };
    }),
  };
}

/** Per environment: the Applications Argo CD syncs, in wave order, and where each comes from. */
function gitops(platform: Platform) {
  return {
    repository: platformRepositoryUrl(platform),
    repositoryName: `${platform.github.owner}/${platform.github.repository}`,
    argocdChart: chartVersion('argo-cd'),
    appsNamespace: APPS_NAMESPACE,
    appsSecretStore: APPS_SECRET_STORE,
    firstEnvironment: platform.environments[0].name,
    // promote.yml exists with services and a next environment.
    promote: platform.services.length > 0 && platform.environments.length > 1,
    promotions: promotions(platform),
    firstPublic: firstPublicService(platform),
    oathkeeper: platform.supportingServices.includes('oathkeeper'),
    environments: platform.environments.map((environment) => ({
      name: environment.name,
      cluster: clusterName(platform, environment),
      credential: repositoryCredentialName(platform, environment),
      services: serviceDeliveries(platform, environment).map((d) => ({
        name: d.service.name,
        url: d.route ? `${urlScheme(platform)}://${d.route.host}/` : undefined,
        address: `http://${d.service.name}.${APPS_NAMESPACE}.svc.cluster.local`,
        callers: d.service.callers.map((c) => `\`${c}\``).join(', ') || 'none',
        replicas: `${d.sizing.minReplicas}-${d.sizing.maxReplicas}`,
        resources: `${d.sizing.cpu} CPU, ${d.sizing.memory}`,
        secret: d.secret?.secretsManagerName,
        secretKeys: d.secret?.keys.join(', '),
        bucket: d.storage?.bucket,
      })),
      applications: gitopsApplications(platform, environment).map((app) => ({
        name: app.name,
        wave: app.wave,
        namespace: app.namespace,
        after: app.after.map((a) => `\`${a}\``).join(', '),
        from:
          app.source.kind === 'chart'
            ? `chart \`${chartPin(app.source.release.chart).chart}\` ${chartPin(app.source.release.chart).version}, values \`helm/${environment.name}/${app.name}.yaml\` + \`.overrides.yaml\``
            : app.source.kind === 'manifests'
              ? `\`gitops/${environment.name}/${app.source.path}/\``
              : app.source.kind === 'services'
                ? `an Application per \`gitops/${environment.name}/services/<service>/\` with a recorded image`
                : `\`${app.source.path}\` of ${app.source.repoURL} at \`${app.source.targetRevision}\``,
      })),
    })),
  };
}

/** How the platform's hosts are served: HTTPS when cert-manager issues their certificates. */
function urlScheme(platform: Platform): 'https' | 'http' {
  return platform.supportingServices.includes('cert-manager') ? 'https' : 'http';
}

/** The first public team service and its URL in the first environment: where getting-started ends. */
function firstPublicService(platform: Platform) {
  const [first] = platform.environments;
  const delivery = serviceDeliveries(platform, first).find((d) => d.route);
  if (!delivery) return undefined;
  const scheme = urlScheme(platform);
  // Let's Encrypt's staging server (the default outside production) issues certificates no client trusts.
  return { name: delivery.service.name, environment: first.name, url: `${scheme}://${delivery.route!.host}/`, untrusted: scheme === 'https' && first.letsEncrypt === 'staging' };
}

/** The selected services that have no route by design (reached with kubectl port-forward), as their modules say. */
function internalOnly(platform: Platform): string[] {
  const routed = platform.supportingServices.includes('nginx');
  const modules = platform.supportingServices.map(supportingService);
  return [...new Set(modules.flatMap((m) => [m.internal, routed ? undefined : m.internalWithoutGateway].filter((what): what is string => !!what)))];
}

/** Text for one Markdown table cell: one line, `|` escaped, and `<` as an entity (it would open an HTML tag). */
const cell = (text: string) => text.replace(/\s+/g, ' ').replace(/\|/g, '\\|').replace(/</g, '&lt;');

const chartVersion = (chart: string) => `${chartPin(chart).chart} ${chartPin(chart).version}`;

/** Teardown: environments in reverse, each one's stacks in reverse, then the account-level stacks. */
function teardown(platform: Platform) {
  const reversed = [...platform.environments].reverse();
  return {
    teardownEnvironments: reversed.map((environment) => {
      const plan = supportingPlan(platform, environment);
      const target = clusterTarget(platform, environment);
      const stacks = environmentStacks(platform, environment).reverse();
      return {
        name: environment.name,
        production: environment.tier === 'production',
        cluster: clusterName(platform, environment),
        // An existing cluster's kubeconfig context (empty on EKS) and what stays outside the platform when it goes.
        context: environment.target?.context ?? '',
        platformSecretsNamespace: target.secrets.kind === 'kubernetes' ? PLATFORM_SECRETS_NAMESPACE : '',
        pullRole: target.registryAccess === 'web-identity' ? registryPullRoleName(platform, environment) : '',
        // The environment's stacks in reverse: the Helm releases first, on their own (see teardown.md).
        servicesStack: stacks[0],
        awsStacks: stacks.slice(1),
        buckets: Object.values(plan.buckets),
      };
    }),
    reverseStacks: [...stackNames(platform)].reverse(),
  };
}

/** What docs/policy.md shows: every rule, and the active suppressions (Markdown table cells). */
function policy(platform: Platform, suppressions: readonly Suppression[]) {
  return {
    minReason: MIN_REASON_LENGTH,
    exampleStack: environmentStackName(platform.environments[0].name, 'cluster'),
    rules: POLICY_RULES.map((r) => ({ id: r.id, severity: r.severity, title: cell(r.title), rationale: cell(r.rationale) })),
    suppressions: suppressions.map((s) => ({
      rule: s.rule,
      stack: s.stack ? `\`${s.stack}\`` : 'every stack',
      resource: s.resource ? `\`${s.resource}\`` : 'every resource',
      reason: cell(s.reason),
    })),
  };
}

/** What docs/services.md is about, naming the selected supporting services that have a host (Grafana, Hydra, ...). */
function servicesAbout(platform: Platform): string {
  const hosted = platform.supportingServices.map(supportingService).filter((m) => m.host);
  const names = hosted.map((m) => m.title.replace(/^ORY /, ''));
  if (!names.length) return 'what runs where, at which version, and how to reach it';
  return `what runs where, at which version, and how to reach ${names.length === 1 ? names[0] : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`}`;
}

/** What docs/cost.md shows: the estimate per group, line by line, with the price sources and assumptions. */
/** The budgets AWS watches (docs/cost.md): each environment's and the platform's, with where each limit comes from. */
function budgets(platform: Platform) {
  const total = platformBudget(platform);
  return {
    rows: [
      ...pricedEnvironments(platform).map((e) => ({ name: clusterName(platform, e), tag: `environment = ${e.name}`, stack: `${e.name}-network`, ...limit(environmentBudget(platform, e)) })),
      { name: platform.name, tag: `platform = ${platform.name}`, stack: 'shared', ...limit(total) },
    ],
    emails: platform.budget.emails.join(', '),
    costAllocationTags: platform.budget.costAllocationTags,
    anomalyDetection: platform.budget.anomalyDetection,
  };
}
const limit = (b: BudgetLimit) => ({ limit: formatUsd(b.limitUsd), basis: b.basis });

function cost(platform: Platform) {
  const estimate = estimateCost(platform);
  if (!estimate) return { region: platform.aws.region, unpriced: unpricedRegion(platform.aws.region), costCenter: platform.tags['cost-center'], budgets: budgets(platform) };
  return {
    budgets: budgets(platform),
    region: estimate.region,
    unpriced: undefined,
    pricesAsOf: estimate.pricesAsOf,
    total: formatUsd(estimate.totalMonthlyUsd),
    groups: estimate.groups.map((g) => ({
      name: g.name,
      monthly: formatUsd(g.monthlyUsd),
      lines: g.lines.map((l) => ({ ...l, monthly: formatUsd(l.monthlyUsd) })),
    })),
    assumptions: estimate.assumptions,
    sources: PRICE_SOURCES.map((source) => Object.fromEntries(Object.entries(source).map(([k, v]) => [k, cell(v)]))),
    costCenter: platform.tags['cost-center'],
    savings: savings(platform, estimate.totalMonthlyUsd),
  };
}

/** What switching an environment to the cheaper choice saves a month, and what it gives up (docs/cost.md). */
function savings(platform: Platform, total: number) {
  const choices = [
    {
      applies: (e: Environment) => e.natGateways === 'per-az' && e.zoneIds.length > 1,
      change: (e: Environment): Environment => ({ ...e, natGateways: 'single' }),
      setting: '`natGateways: single`',
      cost: 'one NAT gateway serves every zone: if its zone fails, every private subnet loses Internet egress',
    },
    {
      applies: (e: Environment) => e.tier === 'non-production' && e.profile === 'standard',
      change: (e: Environment): Environment => ({ ...e, profile: 'lean', natGateways: LEAN_DEFAULTS.natGateways, nodes: { ...LEAN_DEFAULTS.nodes, instanceTypes: [...LEAN_DEFAULTS.nodes.instanceTypes] } }),
      setting: '`profile: lean`',
      cost: `a NAT instance replaces the NAT gateway (egress stops while it is down), one ${LEAN_DEFAULTS.nodes.instanceTypes[0]} spot node runs everything (a reclaim stops the environment until the next node starts), the load balancer uses one zone, and the cluster sends no audit log`,
    },
    {
      applies: (e: Environment) => e.nodes.capacityType === 'on-demand',
      change: (e: Environment): Environment => ({ ...e, nodes: { ...e.nodes, capacityType: 'spot' } }),
      setting: '`nodes: { capacityType: spot }`',
      cost: 'spot nodes can be reclaimed at two minutes\' notice',
    },
  ];
  return platform.environments.flatMap((environment) =>
    choices
      .filter((choice) => choice.applies(environment))
      .map((choice) => {
        const changed = { ...platform, environments: platform.environments.map((e) => (e === environment ? choice.change(e) : e)) };
        return { environment: environment.name, setting: choice.setting, saves: formatUsd(total - estimateCost(changed)!.totalMonthlyUsd), cost: choice.cost };
      }),
  );
}
