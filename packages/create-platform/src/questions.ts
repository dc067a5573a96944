import {
  availabilityZoneIds,
  CAPACITY_TYPES,
  catalogue,
  fieldPath,
  INSTANCE_TYPES,
  LANGUAGES,
  LETS_ENCRYPT_SERVERS,
  LOG_RETENTION_DAYS,
  NAT_STRATEGIES,
  REGION_NAMES,
  supportingService,
  supportingServiceModules,
  TIERS,
  type Tier,
  usesCertificateEmail,
  usesDomain,
  validateAnswers,
  type Environment,
  type Platform,
  type Service,
} from '@platform-kit/config';
import { isPlainObject, valueAt } from './answers';

/*
 * The wizard's questions: one per answer of the answers schema (a test walks the schema to keep it so).
 * Defaults come from the schema (the platform the answers so far resolve to), and an answer is checked by
 * validating the whole answers with it, so the wizard accepts exactly what an answers file accepts.
 */

export const GROUPS = {
  project: 'Project',
  aws: 'AWS',
  environments: 'Environments',
  supporting: 'Supporting services',
  services: 'Services',
  domain: 'Domain and certificates',
  cost: 'Cost guardrails',
  alerts: 'Alerts',
  github: 'GitHub',
} as const;
export type Group = keyof typeof GROUPS;

export interface Choice {
  readonly value: unknown;
  readonly name: string;
  readonly description?: string;
}

/** A list whose entries get questions of their own (`environments[].tier`). */
export type ListAnswer = 'environments' | 'services';

/**
 * Entry questions asked only when the user wants to customize, keyed by the first question gated: the confirmation.
 * It gates that question and the list's entry questions after it. Text is asked once for the whole list; a function
 * of the entry's name is asked for each entry.
 */
export const CUSTOMIZE: Readonly<Record<string, string | ((entry: string) => string)>> = {
  'environments[].tier': 'Customize each environment (tier, network, nodes)?',
  'services[].public': (service) => `Customize ${service} (public, callers, variables, bucket, replicas)?`,
};

export interface Question {
  /** The answer it sets: a path in the answers schema, `[]` standing for each entry of a list. */
  readonly field: string;
  /** For a question that sets several fields of an object at once (node counts): those fields. */
  readonly fields?: readonly string[];
  readonly group: Group;
  readonly message: string;
  /** Shown beside the question while it is asked. */
  readonly hint?: string;
  readonly kind: 'text' | 'select' | 'multi';
  /** The value the answers so far resolve to: the question's default. */
  readonly current: (platform: Platform, entry: number) => unknown;
  readonly choices?: (platform: Platform, entry: number) => readonly Choice[];
  /** Text to answer value (text questions). Throws an Error whose message is shown for unparseable text. */
  readonly parse?: (text: string) => unknown;
  /** Answer value to text (text questions' defaults). */
  readonly format?: (value: unknown) => string;
  /** The question is asked only when its answer applies to the platform so far (and to the list entry asked about). */
  readonly when?: (platform: Platform, entry: number) => boolean;
  /** Recorded even when it equals its default: a name, or a placeholder a real platform replaces. */
  readonly always?: boolean;
}

/** Comma-separated text to a list; empty or "none" is the empty list. */
export function parseList(text: string): string[] {
  return ['', 'none'].includes(text.trim().toLowerCase()) ? [] : text.split(',').map((s) => s.trim()).filter(Boolean);
}
const formatList = (value: unknown) => ((value as string[] | undefined) ?? []).join(', ');
/** A list of names, or of entries given as objects (from flags: `--public-services`), as its names; or none. */
const formatNames = (value: unknown) => ((value as (string | { name: string })[] | undefined) ?? []).map((e) => (typeof e === 'string' ? e : e.name)).join(', ') || 'none';
const optionalText = (text: string) => (text.trim() === '' ? undefined : text.trim());
const formatText = (value: unknown) => (value === undefined ? '' : String(value));
/** Digits become a number; anything else stays text, for the schema to name what is wrong. */
const parseCount = (text: string) => (/^\s*\d+\s*$/.test(text) ? Number(text) : text.trim());

function parseTags(text: string): Record<string, string> {
  const tags: Record<string, string> = {};
  for (const pair of parseList(text)) {
    const i = pair.indexOf('=');
    if (i < 1) throw new Error(`"${pair}" is not key=value. Write tags as key=value pairs separated by commas (e.g. team=platform, env=shared).`);
    tags[pair.slice(0, i).trim()] = pair.slice(i + 1).trim();
  }
  return tags;
}
const formatTags = (value: unknown) =>
  Object.entries((value as Record<string, string> | undefined) ?? {})
    .map(([k, v]) => `${k}=${v}`)
    .join(', ');

/** `NAME=value, NAME2=value2` (or none) to a map of environment variables; names are checked by the schema. */
export function parseEnv(text: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const pair of parseList(text)) {
    const i = pair.indexOf('=');
    if (i < 1) throw new Error(`"${pair}" is not NAME=value. Write variables as NAME=value pairs separated by commas (e.g. LOG_LEVEL=info, WORKERS=4), or none.`);
    const name = pair.slice(0, i).trim();
    if (name in env) throw new Error(`${name} is set twice. Set each variable once.`);
    env[name] = pair.slice(i + 1).trim();
  }
  return env;
}

/** `none`, `create`, or an existing zone's id (the schema checks the id). */
export function parseDnsZone(text: string): { zone: string; zoneId?: string } {
  const answer = text.trim();
  return ['none', 'create'].includes(answer.toLowerCase()) ? { zone: answer.toLowerCase() } : { zone: 'existing', zoneId: answer };
}

/**
 * The alert receiver in one answer: `none`, a Slack `#channel`, or an SMTP relay as `user@host:port` (the user
 * name may hold an @ itself: the relay is after the last one).
 */
export function parseAlertReceiver(text: string): Record<string, string> {
  const answer = text.trim();
  if (answer.toLowerCase() === 'none') return { receiver: 'none' };
  if (answer.startsWith('#')) return { receiver: 'slack', slackChannel: answer };
  const at = answer.lastIndexOf('@');
  if (at <= 0) throw new Error(`"${answer}" is not a receiver. Write none, a Slack channel (#platform-alerts), or an SMTP relay as user@host:port.`);
  return { receiver: 'email', smtpUsername: answer.slice(0, at), smtpSmarthost: answer.slice(at + 1) };
}

function formatAlertReceiver(value: unknown): string {
  const alerts = value as Platform['alerts'];
  if (alerts.receiver === 'slack') return alerts.slackChannel;
  if (alerts.receiver === 'email') return `${alerts.smtpUsername}@${alerts.smtpSmarthost}`;
  return 'none';
}

/** A service's replicas and resources in one tier: `min, max, cpu, memory`. */
function parseSizing(text: string) {
  const parts = text.split(',').map((s) => s.trim());
  if (parts.length !== 4) throw new Error(`"${text}" is not four values. Write min replicas, max replicas, cpu, memory (e.g. 1, 3, 100m, 128Mi).`);
  const [minReplicas, maxReplicas, cpu, memory] = parts;
  return { minReplicas: parseCount(minReplicas), maxReplicas: parseCount(maxReplicas), cpu, memory };
}
const formatSizing = (v: unknown) => {
  const s = v as Service['tiers'][Tier];
  return `${s.minReplicas}, ${s.maxReplicas}, ${s.cpu}, ${s.memory}`;
};

const env = (p: Platform, i: number): Environment => p.environments[i];
const svc = (p: Platform, i: number): Service => p.services[i];
const options = <T extends string | number>(values: readonly T[], describe: (v: T) => string | undefined = () => undefined): Choice[] =>
  values.map((value) => ({ value, name: String(value), description: describe(value) }));
const TAGGED = ['owner', 'cost-center'];
/** The choices of a true/false answer: no, then yes, each with what it means. */
const yesNo = (no: string | undefined, yes: string): Choice[] => [{ value: false, name: 'no', ...(no === undefined ? {} : { description: no }) }, { value: true, name: 'yes', description: yes }];
/** The environment runs on an EKS cluster of its own: its network and node answers apply. */
const onEks = (p: Platform, i: number) => env(p, i).target === undefined;
/** The existing cluster an environment runs on, if it does. */
const existing = (p: Platform, i: number) => env(p, i).target;
const onExisting = (p: Platform, i: number) => existing(p, i) !== undefined;
const vault = (p: Platform, i: number) => {
  const secrets = existing(p, i)?.secrets;
  return secrets?.kind === 'vault' ? secrets : undefined;
};
/** Empty or "none" is no answer; anything else is the trimmed text. */
const noneOrText = (t: string) => (['', 'none'].includes(t.trim().toLowerCase()) ? undefined : t.trim());

/** The cluster in one answer: `eks`, or the kubeconfig context of an existing cluster. */
export function parseCluster(text: string): { kind: string; context?: string } {
  const answer = text.trim();
  return answer.toLowerCase() === 'eks' ? { kind: 'eks' } : { kind: 'kubernetes', context: answer };
}

/** The secrets backend in one answer: `kubernetes`, or the URL of a Vault server. */
export function parseSecretsBackend(text: string): { secrets: string; vault?: { server: string } } {
  const answer = text.trim();
  return answer.toLowerCase() === 'kubernetes' ? { secrets: 'kubernetes' } : { secrets: 'vault', vault: { server: answer } };
}

/** The Gateway (NGINX Gateway Fabric) is installed: a service can be public. */
const usesGateway = (p: Platform) => p.supportingServices.includes('nginx');

/** A service's sizing question for one tier: asked when an environment has that tier. */
const sizing = (tier: Tier): Question => ({
  field: `services[].tiers.${tier}`,
  fields: ['minReplicas', 'maxReplicas', 'cpu', 'memory'].map((f) => `services[].tiers.${tier}.${f}`),
  group: 'services',
  kind: 'text',
  message: `${tier}: min and max replicas, cpu, memory`,
  hint: 'e.g. 2, 6, 250m, 256Mi; the cpu limit is twice the request, memory limit = request',
  current: (p, i) => svc(p, i).tiers[tier],
  parse: parseSizing,
  format: formatSizing,
  when: (p) => p.environments.some((e) => e.tier === tier),
});

export const QUESTIONS: readonly Question[] = [
  // Project
  { field: 'name', group: 'project', kind: 'text', message: 'Platform name', hint: 'prefixes every resource; 3-30 lowercase letters, digits, dashes', current: (p) => p.name, parse: (t) => t.trim(), format: formatText, always: true },
  { field: 'owner', group: 'project', kind: 'text', message: 'Owning team', hint: 'the owner tag of every resource; optional', current: (p) => p.tags.owner, parse: optionalText, format: formatText },
  { field: 'costCenter', group: 'project', kind: 'text', message: 'Cost center', hint: 'the cost-center tag of every resource; optional', current: (p) => p.tags['cost-center'], parse: optionalText, format: formatText },
  {
    field: 'tags',
    group: 'project',
    kind: 'text',
    message: 'More tags',
    hint: 'key=value, comma-separated; optional',
    current: (p) => Object.fromEntries(Object.entries(p.tags).filter(([k]) => !TAGGED.includes(k))),
    parse: parseTags,
    format: formatTags,
  },

  // AWS
  { field: 'aws.region', group: 'aws', kind: 'select', message: 'AWS region', current: (p) => p.aws.region, choices: () => options(REGION_NAMES, (r) => `${availabilityZoneIds(r).length} availability zones`) },
  { field: 'aws.accountId', group: 'aws', kind: 'text', message: 'AWS account id', hint: '12 digits: aws sts get-caller-identity', current: (p) => p.aws.accountId, parse: (t) => t.trim(), format: formatText, always: true },
  { field: 'aws.adminRoleArns', group: 'aws', kind: 'text', message: 'Cluster administrator roles', hint: 'comma-separated role ARNs; find yours: aws sts get-caller-identity, then aws iam get-role', current: (p) => p.aws.adminRoleArns, parse: parseList, format: formatList },
  {
    field: 'kubernetesVersion',
    group: 'aws',
    kind: 'select',
    message: 'Kubernetes version (EKS)',
    current: (p) => p.kubernetesVersion,
    choices: () => options(catalogue.kubernetes.supported, (v) => (v === catalogue.kubernetes.default ? 'the kit default' : undefined)),
  },
  { field: 'stateBucket', group: 'aws', kind: 'text', message: 'Terraform state bucket', hint: 'S3 bucket name', current: (p) => p.stateBucket, parse: (t) => t.trim(), format: formatText },

  // Environments: the names, then (if asked for) each environment's settings
  { field: 'environments', group: 'environments', kind: 'text', message: 'Environments', hint: 'in promotion order, comma-separated', current: (p) => p.environments.map((e) => e.name), parse: parseList, format: formatList },
  {
    // One question for both fields: an existing cluster is answered by its kubeconfig context.
    field: 'environments[].target',
    fields: ['environments[].target.kind', 'environments[].target.context'],
    group: 'environments',
    kind: 'text',
    message: 'cluster',
    hint: 'eks (a cluster the platform creates), or the kubeconfig context of an existing cluster',
    current: (p, i) => ({ kind: existing(p, i) ? 'kubernetes' : 'eks', context: existing(p, i)?.context }),
    parse: parseCluster,
    format: (v) => {
      const cluster = v as { kind: string; context?: string };
      return cluster.kind === 'eks' ? 'eks' : (cluster.context ?? '');
    },
  },
  { field: 'environments[].target.apiServer', group: 'environments', kind: 'text', message: 'API server URL', hint: 'for the docs; optional', current: (p, i) => existing(p, i)?.apiServer, parse: optionalText, format: formatText, when: onExisting },
  {
    field: 'environments[].target.storageClass',
    group: 'environments',
    kind: 'text',
    message: 'StorageClass',
    hint: "kubectl get storageclass; empty: the cluster's default",
    current: (p, i) => existing(p, i)?.storageClass,
    parse: optionalText,
    format: formatText,
    when: onExisting,
  },
  {
    field: 'environments[].target.gateway',
    group: 'environments',
    kind: 'select',
    message: 'Gateway exposure',
    current: (p, i) => existing(p, i)?.gateway.exposure,
    choices: () => [
      { value: 'LoadBalancer', name: 'LoadBalancer', description: "an address from the cluster's own balancer (MetalLB, a cloud's)" },
      { value: 'NodePort', name: 'NodePort', description: 'node ports that a balancer of yours sends ports 80 and 443 to' },
    ],
    when: onExisting,
  },
  {
    field: 'environments[].target',
    fields: ['environments[].target.httpNodePort', 'environments[].target.httpsNodePort'],
    group: 'environments',
    kind: 'text',
    message: 'node ports: http, https',
    hint: 'e.g. 30080, 30443; 30000 to 32767',
    current: (p, i) => {
      const gateway = existing(p, i)?.gateway;
      return gateway?.exposure === 'NodePort' ? { httpNodePort: gateway.httpNodePort, httpsNodePort: gateway.httpsNodePort } : undefined;
    },
    parse: (text) => {
      const parts = text.split(',').map((s) => s.trim());
      if (parts.length !== 2) throw new Error(`"${text}" is not two ports. Write the HTTP and HTTPS node ports (e.g. 30080, 30443).`);
      return { httpNodePort: parseCount(parts[0]), httpsNodePort: parseCount(parts[1]) };
    },
    format: (v) => {
      const ports = v as { httpNodePort: number; httpsNodePort: number } | undefined;
      return ports ? `${ports.httpNodePort}, ${ports.httpsNodePort}` : '';
    },
    when: (p, i) => existing(p, i)?.gateway.exposure === 'NodePort',
  },
  {
    field: 'environments[].target.objectStorage.endpoint',
    group: 'environments',
    kind: 'text',
    message: 'S3-compatible object storage',
    hint: 'its URL (e.g. MinIO); none: Loki on one volume and no PostgreSQL backups',
    current: (p, i) => existing(p, i)?.objectStorage?.endpoint,
    parse: noneOrText,
    format: (v) => (v === undefined ? 'none' : String(v)),
    when: onExisting,
  },
  {
    field: 'environments[].target.objectStorage.region',
    group: 'environments',
    kind: 'text',
    message: 'object storage region',
    hint: 'what the store expects in signatures',
    current: (p, i) => existing(p, i)?.objectStorage?.region,
    parse: (t) => t.trim(),
    format: formatText,
    when: (p, i) => existing(p, i)?.objectStorage !== undefined,
  },
  {
    field: 'environments[].target.objectStorage.forcePathStyle',
    group: 'environments',
    kind: 'select',
    message: 'path-style requests',
    current: (p, i) => existing(p, i)?.objectStorage?.forcePathStyle,
    choices: () => yesNo('virtual-hosted: <bucket>.<endpoint>/<key>', '<endpoint>/<bucket>/<key>, which MinIO needs'),
    when: (p, i) => existing(p, i)?.objectStorage !== undefined,
  },
  {
    // One question for both fields: Vault is answered by its URL.
    field: 'environments[].target',
    fields: ['environments[].target.secrets', 'environments[].target.vault.server'],
    group: 'environments',
    kind: 'text',
    message: 'secrets backend',
    hint: 'kubernetes (Secrets in the cluster, passwords generated there), or the URL of a Vault server',
    current: (p, i) => ({ secrets: existing(p, i)?.secrets.kind, vault: vault(p, i) ? { server: vault(p, i)!.server } : undefined }),
    parse: parseSecretsBackend,
    format: (v) => (v as { vault?: { server: string } }).vault?.server ?? 'kubernetes',
    when: onExisting,
  },
  {
    field: 'environments[].target.serviceAccountIssuer',
    group: 'environments',
    kind: 'text',
    message: 'service account issuer',
    hint: 'a public https URL AWS can read, for ECR pulls without a key; empty: you provide the pull secret',
    current: (p, i) => existing(p, i)?.serviceAccountIssuer,
    parse: optionalText,
    format: formatText,
    when: onExisting,
  },
  { field: 'environments[].target.vault.path', group: 'environments', kind: 'text', message: 'Vault KV v2 mount', current: (p, i) => vault(p, i)?.path, parse: (t) => t.trim(), format: formatText, when: (p, i) => vault(p, i) !== undefined },
  {
    field: 'environments[].target.vault.authPath',
    group: 'environments',
    kind: 'text',
    message: "Vault's Kubernetes auth mount",
    hint: 'one per cluster',
    current: (p, i) => vault(p, i)?.authPath,
    parse: (t) => t.trim(),
    format: formatText,
    when: (p, i) => vault(p, i) !== undefined,
  },
  { field: 'environments[].target.vault.role', group: 'environments', kind: 'text', message: 'Vault role', hint: 'of that auth method; the apps store uses <role>-apps', current: (p, i) => vault(p, i)?.role, parse: (t) => t.trim(), format: formatText, when: (p, i) => vault(p, i) !== undefined },
  { field: 'environments[].tier', group: 'environments', kind: 'select', message: 'tier', current: (p, i) => env(p, i).tier, choices: () => options(TIERS, (t) => (t === 'production' ? 'highly available: a NAT gateway per zone, on-demand nodes' : 'cheapest real thing: one NAT gateway, spot nodes')) },
  {
    field: 'environments[].profile',
    group: 'environments',
    kind: 'select',
    message: 'profile',
    current: (p, i) => env(p, i).profile,
    choices: () => [
      { value: 'standard', name: 'standard', description: "the tier's defaults" },
      { value: 'lean', name: 'lean', description: 'non-production only: a NAT instance, one spot node, no audit log; about $150 a month' },
    ],
    when: onEks,
  },
  { field: 'environments[].vpcCidr', group: 'environments', kind: 'text', message: 'VPC range', hint: 'a private /16 to /20', current: (p, i) => env(p, i).vpcCidr, parse: (t) => t.trim(), format: formatText, when: onEks },
  {
    field: 'environments[].availabilityZones',
    group: 'environments',
    kind: 'select',
    message: 'availability zones',
    current: (p, i) => env(p, i).zoneIds.length,
    choices: (p) => options(availabilityZoneIds(p.aws.region).map((_, n) => n + 1).filter((n) => n >= 2)),
    when: onEks,
  },
  {
    field: 'environments[].natGateways',
    group: 'environments',
    kind: 'select',
    message: 'NAT gateways',
    current: (p, i) => env(p, i).natGateways,
    choices: () =>
      options(NAT_STRATEGIES, (n) => ({ single: 'one: cheaper, but a zone outage stops outbound traffic', 'per-az': 'one per zone: highly available', instance: 'one small NAT instance: cheapest, least available' })[n]),
    when: onEks,
  },
  { field: 'environments[].clusterPublicAccessCidrs', group: 'environments', kind: 'text', message: 'public Kubernetes API access', hint: 'CIDRs, comma-separated; none keeps the endpoint private', current: (p, i) => env(p, i).clusterPublicAccessCidrs, parse: parseList, format: (v) => formatList(v) || 'none', when: onEks },
  {
    field: 'environments[].interfaceEndpoints',
    group: 'environments',
    kind: 'select',
    message: 'ECR and STS interface endpoints',
    current: (p, i) => env(p, i).interfaceEndpoints,
    choices: () => yesNo('through the NAT gateways (S3 always has a free gateway endpoint)', 'inside the VPC; billed per zone and hour'),
    when: onEks,
  },
  { field: 'environments[].logRetentionDays', group: 'environments', kind: 'select', message: 'control-plane log retention (days)', current: (p, i) => env(p, i).logRetentionDays, choices: () => options(LOG_RETENTION_DAYS), when: onEks },
  { field: 'environments[].flowLogRetentionDays', group: 'environments', kind: 'select', message: 'flow log retention (days)', current: (p, i) => env(p, i).flowLogRetentionDays, choices: () => options(LOG_RETENTION_DAYS), when: onEks },
  {
    field: 'environments[].letsEncrypt',
    group: 'environments',
    kind: 'select',
    message: "Let's Encrypt server",
    current: (p, i) => env(p, i).letsEncrypt,
    choices: () => options(LETS_ENCRYPT_SERVERS, (s) => (s === 'staging' ? 'untrusted certificates, no rate-limit lockouts on rebuilds' : 'trusted certificates')),
    when: usesCertificateEmail,
  },
  { field: 'environments[].nodes.instanceTypes', group: 'environments', kind: 'multi', message: 'node instance types', current: (p, i) => env(p, i).nodes.instanceTypes, choices: () => options(INSTANCE_TYPES), when: onEks },
  { field: 'environments[].nodes.capacityType', group: 'environments', kind: 'select', message: 'node capacity', current: (p, i) => env(p, i).nodes.capacityType, choices: () => options(CAPACITY_TYPES, (c) => (c === 'spot' ? 'up to 90% cheaper, can be reclaimed' : undefined)), when: onEks },
  {
    // One question: minSize <= desiredSize <= maxSize can only be checked together.
    field: 'environments[].nodes',
    fields: ['environments[].nodes.minSize', 'environments[].nodes.desiredSize', 'environments[].nodes.maxSize'],
    group: 'environments',
    kind: 'text',
    message: 'nodes: min, desired, max',
    hint: 'e.g. 1, 2, 5',
    current: (p, i) => ({ minSize: env(p, i).nodes.minSize, desiredSize: env(p, i).nodes.desiredSize, maxSize: env(p, i).nodes.maxSize }),
    parse: (text) => {
      const parts = text.split(',').map((s) => s.trim());
      if (parts.length !== 3) throw new Error(`"${text}" is not three numbers. Write min, desired, max (e.g. 1, 2, 5).`);
      const [minSize, desiredSize, maxSize] = parts.map(parseCount);
      return { minSize, desiredSize, maxSize };
    },
    format: (v) => {
      const n = v as { minSize: number; desiredSize: number; maxSize: number };
      return `${n.minSize}, ${n.desiredSize}, ${n.maxSize}`;
    },
    when: onEks,
  },
  { field: 'environments[].nodes.diskSizeGiB', group: 'environments', kind: 'text', message: 'node disk (GiB)', current: (p, i) => env(p, i).nodes.diskSizeGiB, parse: parseCount, format: formatText, when: onEks },
  {
    // On or off here; its client range and subnets keep their defaults (an answers file can set them).
    field: 'environments[].vpn',
    group: 'environments',
    kind: 'select',
    message: 'VPN for operators (AWS Client VPN)',
    current: (p, i) => env(p, i).vpn !== undefined,
    choices: () => yesNo('reach the private API from inside the VPC (the CI runner)', 'mutual TLS, split tunnel; about $73 a month per subnet plus connection hours'),
    when: onEks,
  },
  {
    field: 'environments[].budgetUsd',
    group: 'environments',
    kind: 'text',
    message: 'monthly budget (USD)',
    hint: 'empty: the estimate plus the headroom',
    current: (p, i) => env(p, i).budgetUsd,
    parse: (t) => (t.trim() === '' ? undefined : parseCount(t)),
    format: formatText,
    when: onEks,
  },

  // Supporting services: before the services, whose public answer needs the Gateway (nginx)
  {
    field: 'supportingServices',
    group: 'supporting',
    kind: 'multi',
    message: 'Supporting services',
    // Automatic modules (external-dns) follow from other answers: not a choice.
    current: (p) => p.supportingServices.filter((s) => !supportingService(s).automatic),
    choices: () => supportingServiceModules().flatMap((m) => (m.automatic ? [] : [{ value: m.name, name: m.title, description: m.purpose }])),
  },

  // Services: the names, each one's language and port, then (if asked for, service by service) the rest
  { field: 'services', group: 'services', kind: 'text', message: 'Your services', hint: 'an ECR repository and a Dockerfile each; comma-separated, or none', current: (p) => p.services.map((s) => s.name), parse: parseList, format: formatNames },
  { field: 'services[].language', group: 'services', kind: 'select', message: 'language', current: (p, i) => svc(p, i).language, choices: () => options(LANGUAGES, (l) => (l === 'generic' ? 'a Dockerfile to fill in' : undefined)) },
  { field: 'services[].port', group: 'services', kind: 'text', message: 'port', hint: 'the port it listens on', current: (p, i) => svc(p, i).port, parse: parseCount, format: formatText },
  {
    field: 'services[].public',
    group: 'services',
    kind: 'select',
    message: 'public',
    current: (p, i) => svc(p, i).public,
    choices: (p, i) => yesNo('reached from inside the cluster only', `from the internet at https://${svc(p, i).name}.<env>.<domain>, through the Gateway`),
    when: usesGateway,
  },
  {
    field: 'services[].callers',
    group: 'services',
    kind: 'multi',
    message: 'callers',
    hint: 'the services that may call it; other pods are denied',
    current: (p, i) => svc(p, i).callers,
    choices: (p, i) => p.services.filter((_, j) => j !== i).map((s) => ({ value: s.name, name: s.name })),
    when: (p) => p.services.length > 1,
  },
  { field: 'services[].env', group: 'services', kind: 'text', message: 'environment variables', hint: 'NAME=value, comma-separated, or none; kept in git: nothing secret', current: (p, i) => svc(p, i).env, parse: parseEnv, format: (v) => formatTags(v) || 'none' },
  {
    field: 'services[].secretEnv',
    group: 'services',
    kind: 'text',
    message: 'secret environment variables',
    hint: 'names, comma-separated, or none; values from Secrets Manager <platform>/<env>/apps/<service>',
    current: (p, i) => svc(p, i).secretEnv,
    parse: parseList,
    format: (v) => formatList(v) || 'none',
  },
  {
    field: 'services[].bucket',
    group: 'services',
    kind: 'select',
    message: 'S3 bucket',
    current: (p, i) => svc(p, i).bucket,
    choices: () => yesNo(undefined, 'one per environment, reached with its own IAM role (Pod Identity); BUCKET names it'),
  },
  sizing('non-production'),
  sizing('production'),

  // Domain and certificates
  { field: 'domain', group: 'domain', kind: 'text', message: 'DNS domain', hint: 'services get <name>.<env>.<domain>', current: (p) => p.domain, parse: (t) => t.trim(), format: formatText, when: usesDomain, always: true },
  {
    // One question for both fields: an existing zone is answered by its id.
    field: 'dns',
    fields: ['dns.zone', 'dns.zoneId'],
    group: 'domain',
    kind: 'text',
    message: 'DNS zone (Route 53)',
    hint: 'none (records by hand), create (a new hosted zone), or the id of an existing one (Z...)',
    current: (p) => p.dns,
    parse: parseDnsZone,
    format: (v) => {
      const dns = v as Platform['dns'];
      return dns.zone === 'existing' ? (dns.zoneId ?? '') : dns.zone;
    },
    when: usesDomain,
  },
  { field: 'certificateEmail', group: 'domain', kind: 'text', message: "Let's Encrypt contact email", current: (p) => p.certificateEmail, parse: (t) => t.trim(), format: formatText, when: usesCertificateEmail },

  // Cost guardrails
  { field: 'budget.emails', group: 'cost', kind: 'text', message: 'Budget alert e-mails', hint: 'comma-separated; alerts at 80% forecast and 100% actual of each monthly budget', current: (p) => p.budget.emails, parse: parseList, format: formatList },
  { field: 'budget.headroomPercent', group: 'cost', kind: 'text', message: 'Budget headroom (%)', hint: 'each budget is the estimate plus this much', current: (p) => p.budget.headroomPercent, parse: parseCount, format: formatText },
  {
    field: 'budget.costAllocationTags',
    group: 'cost',
    kind: 'select',
    message: 'Activate cost allocation tags',
    current: (p) => p.budget.costAllocationTags,
    choices: () => yesNo('activate platform and environment in the billing console yourself (needed for the budgets)', 'management or standalone account only; a tag can be activated up to 24 h after first use'),
  },
  {
    field: 'budget.anomalyDetection',
    group: 'cost',
    kind: 'select',
    message: 'Cost Anomaly Detection',
    current: (p) => p.budget.anomalyDetection,
    choices: () => yesNo(undefined, "a daily e-mail of anomalies over $25 on the platform's tag"),
  },

  // Alerts
  {
    // One question for the receiver and what it needs: a Slack channel, or the SMTP relay and its user.
    field: 'alerts',
    fields: ['alerts.receiver', 'alerts.slackChannel', 'alerts.smtpUsername', 'alerts.smtpSmarthost'],
    group: 'alerts',
    kind: 'text',
    message: 'Alert receiver',
    hint: 'none, a Slack #channel, or e-mail through an SMTP relay as user@host:port; the webhook URL or password goes in Secrets Manager later',
    current: (p) => p.alerts,
    parse: parseAlertReceiver,
    format: formatAlertReceiver,
    when: (p) => p.supportingServices.includes('prometheus'),
  },
  {
    field: 'alerts.emails',
    group: 'alerts',
    kind: 'text',
    message: 'Alert e-mails',
    hint: 'comma-separated',
    current: (p) => (p.alerts.receiver === 'email' ? p.alerts.emails : p.budget.emails),
    parse: parseList,
    format: formatList,
    when: (p) => p.alerts.receiver === 'email',
  },
  {
    field: 'alerts.smtpFrom',
    group: 'alerts',
    kind: 'text',
    message: 'Alert sender address',
    current: (p) => (p.alerts.receiver === 'email' ? p.alerts.smtpFrom : `alerts@${p.domain}`),
    parse: (t) => t.trim(),
    format: formatText,
    when: (p) => p.alerts.receiver === 'email',
  },

  // GitHub
  { field: 'github.owner', group: 'github', kind: 'text', message: 'GitHub owner', hint: 'organisation or user', current: (p) => p.github.owner, parse: (t) => t.trim(), format: formatText, always: true },
  { field: 'github.repository', group: 'github', kind: 'text', message: 'GitHub repository', hint: 'the name only', current: (p) => p.github.repository, parse: (t) => t.trim(), format: formatText },
  {
    field: 'github.oidcProvider',
    group: 'github',
    kind: 'select',
    message: 'GitHub OIDC provider',
    current: (p) => p.github.oidcProvider,
    choices: () => [
      { value: 'create', name: 'create', description: 'the platform creates it in the account' },
      { value: 'existing', name: 'existing', description: 'the account has one already (one per account)' },
    ],
  },
];

/** The list a question's field belongs to (`environments[].tier` → environments), if any. */
export function listOf(question: Question): ListAnswer | undefined {
  const m = /^(environments|services)\[\]/.exec(question.field);
  return m ? (m[1] as ListAnswer) : undefined;
}

/** A question's answer path, with `[]` replaced by the entry's index. */
export function answerPath(question: Question, entry = 0): (string | number)[] {
  return question.field.split('.').flatMap((part) => (part.endsWith('[]') ? [part.slice(0, -2), entry] : [part]));
}

type Draft = Record<string, unknown>;

/** A copy of the answers with `value` at `path`; list entries given as names become objects to take settings. */
export function withAnswer(answers: Draft, path: readonly (string | number)[], value: unknown, merge = false): Draft {
  if (value === undefined) return withoutAnswer(answers, path);
  const copy = structuredClone(answers);
  let node: Record<string | number, unknown> = copy;
  path.forEach((key, depth) => {
    const last = depth === path.length - 1;
    if (last) {
      node[key] = merge && isPlainObject(node[key]) && isPlainObject(value) ? { ...(node[key] as Draft), ...value } : value;
      return;
    }
    let next = node[key];
    if (typeof next === 'string' && typeof key === 'number') next = { name: next };
    if (next === undefined || next === null) next = {};
    node[key] = next;
    node = next as Record<string | number, unknown>;
  });
  return copy;
}

/**
 * A copy of the answers without the one at `path` (no answer: its default). Nothing is created on the way, so that
 * leaving out an optional object's field (object storage: none) does not leave an empty object behind.
 */
function withoutAnswer(answers: Draft, path: readonly (string | number)[]): Draft {
  const copy = structuredClone(answers);
  const parent = valueAt(copy, path.slice(0, -1));
  if (isPlainObject(parent)) delete parent[path[path.length - 1]];
  return copy;
}

/** The answers with a list that was left to its default written out (names), so that an entry can take settings. */
export function withListExplicit(answers: Draft, path: readonly (string | number)[]): Draft {
  const [list, entry] = path;
  if (typeof entry !== 'number' || answers[list as string] !== undefined) return answers;
  const result = validateAnswers(answers);
  if (!result.ok) return answers;
  return { ...answers, [list]: result.platform[list as ListAnswer].map((e) => e.name) };
}

/**
 * Checks an answer the way an answers file is checked: the whole answers are validated with it, and the
 * issues about this answer (its field, or inside it) are returned as one message. True when it is valid.
 * An answer that makes valid answers given before it invalid is refused too, with their issues.
 */
export function checkAnswer(answers: Draft, path: readonly (string | number)[], value: unknown, merge = false): true | string {
  const result = validateAnswers(withAnswer(withListExplicit(answers, path), path, value, merge));
  if (result.ok) return true;
  const key = fieldPath(path);
  const mine = result.issues.filter((i) => i.field === key || i.field.startsWith(`${key}.`) || i.field.startsWith(`${key}[`));
  // Inside a list, the entry's index means nothing at a prompt: the message names the value already ("Prod" is not valid).
  const within = (field: string) => field.slice(key.length).replace(/^\[\d+\]/, '').replace(/^\./, '');
  if (mine.length) return mine.map((i) => (within(i.field) ? `${within(i.field)}: ${i.message}` : i.message)).join(' ');
  if (!validateAnswers(answers).ok) return true; // issues of their own, not this answer's
  return result.issues.map((i) => `${i.field}: ${i.message}`).join(' ');
}
