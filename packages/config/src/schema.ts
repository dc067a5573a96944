import { z } from 'zod';
import { availabilityZoneIds, INSTANCE_TYPES, REGION_NAMES, REGIONS, type InstanceType, type Region } from './aws';
import { catalogue } from './catalogue';
import { contains, formatCidr, networkOf, overlaps, parseCidr, PRIVATE_RANGES, type Cidr } from './cidr';
import { ciRoleName, ciScopes } from './names';
import { closest } from './closest';
import type { EnvironmentIdentity, IdentityLock } from './identity';
import type { ExistingCluster } from './targets';
import { supportingHosts } from './supporting-plan';
import {
  SUPPORTING_SERVICES,
  selectableSupportingServiceNames,
  supportingService,
  supportingServiceNames,
  type SupportingServiceName,
} from './supporting-services';

/*
 * The answers schema: the single source of the answers' TypeScript types, defaults and validation messages.
 * Every message names what is wrong and how to fix it; the field path is added by formatIssues().
 */

const show = (input: unknown) => (typeof input === 'string' ? `"${input}"` : JSON.stringify(input));

/** A string matching `re`, with a message that shows the bad value and says how to fix it. */
function pattern(re: RegExp, fix: string) {
  return z.string({ error: (iss) => `expected text, got ${show(iss.input)}. ${fix}` }).regex(re, {
    error: (iss) => `${show(iss.input)} is not valid. ${fix}`,
  });
}

function oneOf<const T extends readonly [string, ...string[]]>(values: T, what: string) {
  return z.enum(values, {
    error: (iss) => `${show(iss.input)} is not a known ${what}. Use one of: ${values.join(', ')}.`,
  });
}

/**
 * A name from a list that grows at run time (the registry of supporting service modules): checked against the list
 * as it is when the answers are read. Tools that read the schema see the choices known when it was built.
 */
function oneOfRegistered(values: () => readonly string[], what: string, refused: (input: unknown) => string | undefined = () => undefined) {
  const message = (input: unknown) => refused(input) ?? `${show(input)} is not a known ${what}. Use one of: ${values().join(', ')}.`;
  return z
    .string({ error: (iss) => message(iss.input) })
    .refine((v) => values().includes(v), { error: (iss) => message(iss.input) })
    .meta({ enum: [...values()] });
}

function oneOfNumbers<const T extends readonly number[]>(values: T, what: string) {
  return z
    .number({ error: (iss) => `expected a number of ${what}, got ${show(iss.input)}. Use one of: ${values.join(', ')}, unquoted.` })
    .refine((n) => values.includes(n), { error: (iss) => `${show(iss.input)} is not a valid ${what}. Use one of: ${values.join(', ')}.` })
    // The refine hides the choices: state them for tools that read the schema (docs/answers.md, answers.schema.json).
    .meta({ enum: [...values] });
}

/**
 * The two forms of each name-or-object list entry (`environments[]`, `services[]`), which the entry's transform
 * hides: for tools that walk the schema (docs/answers.md, answers.schema.json). Metadata only.
 */
export const answerEntryForms = new WeakMap<z.ZodType, { readonly name: z.ZodType; readonly object: z.ZodType }>();

function list<T extends z.ZodType>(item: T, what: string) {
  return z.array(item, { error: (iss) => `expected a list of ${what}, got ${show(iss.input)}.` });
}

/**
 * A list entry given as a name or as an object with settings. Unlike z.union, a bad setting inside the object
 * is reported at its own path with its own fix, not as "expected a name or object".
 */
function nameOrObject<N extends z.ZodType, O extends z.ZodType>(name: N, object: O, what: string) {
  const entry = z.any().transform((value, ctx) => {
    const isObject = typeof value === 'object' && value !== null && !Array.isArray(value);
    if (typeof value !== 'string' && !isObject) {
      ctx.addIssue({ code: 'custom', message: `expected ${what} name or object, got ${show(value)}.` });
      return z.NEVER;
    }
    const result = (isObject ? object : name).safeParse(value);
    if (result.success) return result.data as z.output<N> | z.output<O>;
    for (const issue of result.error.issues) ctx.addIssue({ code: 'custom', path: issue.path as PropertyKey[], message: issue.message });
    return z.NEVER;
  });
  answerEntryForms.set(entry, { name, object });
  return entry as unknown as z.ZodType<z.output<N> | z.output<O>, z.input<N> | z.input<O>>;
}

/** An object that rejects unknown fields by name, with the field each one likely meant, listing the known ones. */
function record<S extends z.ZodRawShape>(shape: S) {
  const fields = Object.keys(shape);
  const known = fields.join(', ');
  const named = (key: string) => {
    const meant = closest(key, fields);
    return meant ? `"${key}" (did you mean "${meant}"?)` : `"${key}"`;
  };
  return z.strictObject(shape, {
    error: (iss) =>
      iss.code === 'unrecognized_keys'
        ? `unknown field${iss.keys.length > 1 ? 's' : ''} ${iss.keys.map(named).join(', ')}. Remove or rename ${iss.keys.length > 1 ? 'them' : 'it'}; known fields: ${known}.`
        : `expected an object with fields ${known}, got ${show(iss.input)}.`,
  });
}

const tagValue = z
  .string({ error: 'expected a text tag value.' })
  .max(256, { error: 'use at most 256 characters.' })
  .regex(/^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u, { error: (iss) => `${show(iss.input)} is not a valid tag value. Use letters, digits, spaces and _ . : / = + - @.` });

const dnsLabel = '[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?';
const DOMAIN_RE = new RegExp(`^(?=.{4,253}$)(${dnsLabel}\\.)+[a-z]{2,63}$`);

export const platformName = pattern(
  /^[a-z](?!.*--)[a-z0-9-]{1,28}[a-z0-9]$/,
  'Use 3-30 lowercase letters, digits and single dashes, starting with a letter and not ending with a dash (e.g. acme-platform).',
);

const ACCOUNT_ID_FIX = 'Use the 12-digit AWS account id (e.g. 123456789012, or 1234-5678-9012 as the console shows it).';
export const accountId = z.preprocess(
  // YAML reads an unquoted account id as a number: accepted when all 12 digits are there. The console's
  // 1234-5678-9012 loses its dashes.
  (v) => (typeof v === 'number' && Number.isInteger(v) && String(v).length === 12 ? String(v) : typeof v === 'string' && /^\d{4}-\d{4}-\d{4}$/.test(v.trim()) ? v.trim().replace(/-/g, '') : v),
  z
    .string({
      error: (iss) =>
        typeof iss.input === 'number' && Number.isInteger(iss.input)
          ? `${show(iss.input)} is not 12 digits: YAML read the id as a number and dropped its leading zeros. Quote it in the answers file (e.g. "012345678901").`
          : `expected text, got ${show(iss.input)}. ${ACCOUNT_ID_FIX}`,
    })
    .regex(/^\d{12}$/, { error: (iss) => `${show(iss.input)} is not valid. ${ACCOUNT_ID_FIX}` }),
);

export const region = oneOf(REGION_NAMES as [Region, ...Region[]], 'AWS region for platform-kit');

export const environmentName = pattern(
  /^(?!(bootstrap|shared)$)[a-z][a-z0-9]{1,11}$/,
  'Use 2-12 lowercase letters and digits, starting with a letter (e.g. dev, staging, prod); "bootstrap" and "shared" are reserved.',
);

export const serviceName = pattern(
  /^[a-z](?!.*--)[a-z0-9-]{0,38}[a-z0-9]$/,
  'Use 2-40 lowercase letters, digits and single dashes, starting with a letter (e.g. api, order-worker).',
);

export const domain = z.preprocess(
  (v) => (typeof v === 'string' ? v.trim().replace(/\.$/, '') : v),
  pattern(DOMAIN_RE, 'Use a lowercase DNS name with at least two labels, without scheme or path (e.g. acme.example.com).'),
);

export const email = z.email({ error: (iss) => `${show(iss.input)} is not an email address. Use e.g. platform@acme.example.com.` });

const githubOwner = pattern(
  /^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}$/,
  'Use the GitHub user or organisation name: letters, digits and single dashes, at most 39 characters (e.g. acme).',
);
const githubRepository = pattern(
  /^(?!\.{1,2}$)[A-Za-z0-9._-]{1,100}$/,
  'Use the repository name only (letters, digits, ".", "_", "-"), not a URL (e.g. acme-platform).',
);

/** A VPC range like the one given that passes every check: its network at a /16 to /20, else 10.10.0.0/16. */
function validVpcRange(c: Cidr): string {
  const network = networkOf(c.address, Math.min(20, Math.max(16, c.prefix)));
  return PRIVATE_RANGES.some((r) => contains(r, network)) ? formatCidr(network) : '10.10.0.0/16';
}

export const vpcCidr = z.string({ error: (iss) => `expected an IPv4 CIDR, got ${show(iss.input)}.` }).superRefine((text, ctx) => {
  const c = parseCidr(text);
  if (!c) return ctx.addIssue({ code: 'custom', message: `${show(text)} is not an IPv4 CIDR. Use a private range of /16 to /20, e.g. 10.10.0.0/16.` });
  // A suggestion is itself a valid answer: the network address, at an allowed size, in a private range.
  if (c.hostBitsSet) {
    const valid = validVpcRange(c);
    const fix = valid === formatCidr(c) ? `Use the network address: ${valid}.` : `Use a range such as ${valid} (a /16 to /20 in a private range).`;
    return ctx.addIssue({ code: 'custom', message: `${show(text)} has host bits set. ${fix}` });
  }
  if (c.prefix < 16 || c.prefix > 20)
    ctx.addIssue({ code: 'custom', message: `${show(text)} is a /${c.prefix}. Use a /16 to /20 (three subnet tiers across the zones need room), e.g. ${validVpcRange(c)}.` });
  else if (!PRIVATE_RANGES.some((r) => contains(r, c)))
    ctx.addIssue({ code: 'custom', message: `${show(text)} is not a private range. Use one inside 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16.` });
});

/** A CIDR allowed to reach the cluster's public API endpoint: never a large part of the internet. */
const publicAccessCidr = z.string({ error: (iss) => `expected an IPv4 CIDR, got ${show(iss.input)}.` }).superRefine((text, ctx) => {
  const c = parseCidr(text);
  if (!c) ctx.addIssue({ code: 'custom', message: `${show(text)} is not an IPv4 CIDR. Use e.g. 203.0.113.0/24.` });
  else if (c.prefix < 8)
    ctx.addIssue({
      code: 'custom',
      message: `${show(text)} opens the Kubernetes API to a large part of the internet. Use your office or VPN ranges (e.g. 203.0.113.0/24), or none for a private-only endpoint.`,
    });
  else if (c.hostBitsSet)
    ctx.addIssue({ code: 'custom', message: `${show(text)} has host bits set. Use the network address: ${formatCidr(c)}.` });
});

/** Retention periods CloudWatch Logs accepts (days). */
export const LOG_RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653] as const;

const roleArn = pattern(
  /^arn:aws:iam::\d{12}:role\/([\w+=,.@-]+\/)*[\w+=,.@-]{1,64}$/,
  'Use the ARN of an IAM role, with its path if it has one (e.g. arn:aws:iam::123456789012:role/Admin).',
);

const kubernetesVersion = z.enum(catalogue.kubernetes.supported as unknown as [string, ...string[]], {
    error: (iss) =>
      `${show(iss.input)} is not a Kubernetes version in EKS standard support. Use one of: ${catalogue.kubernetes.supported.join(', ')}${typeof iss.input === 'number' ? ', quoted in YAML (an unquoted 1.30 reads as 1.3)' : ''}.`,
});

const instanceType = oneOf(INSTANCE_TYPES as unknown as [InstanceType, ...InstanceType[]], 'node instance type');
const count = (what: string, max: number) =>
  z
    .number({ error: (iss) => `expected a whole number of ${what}, got ${show(iss.input)}.` })
    .int({ error: `use a whole number of ${what}.` })
    .min(0, { error: `use 0 or more ${what}.` })
    .max(max, { error: `use at most ${max} ${what}.` });

/** The range VPN clients get their addresses from: a /12 to /22 (AWS Client VPN's limits). */
const vpnClientCidr = z.string({ error: (iss) => `expected an IPv4 CIDR, got ${show(iss.input)}.` }).superRefine((text, ctx) => {
  const c = parseCidr(text);
  if (!c) ctx.addIssue({ code: 'custom', message: `${show(text)} is not an IPv4 CIDR. Use a /12 to /22 that no VPC of the platform uses, e.g. 10.255.252.0/22.` });
  else if (c.prefix < 12 || c.prefix > 22) ctx.addIssue({ code: 'custom', message: `${show(text)} is a /${c.prefix}. AWS Client VPN takes a /12 to /22, e.g. 10.255.252.0/22.` });
  else if (c.hostBitsSet) ctx.addIssue({ code: 'custom', message: `${show(text)} has host bits set. Use the network address: ${formatCidr(c)}.` });
});

/** AWS Client VPN into an environment's VPC (`environments[].vpn`). */
export const vpnInputSchema = record({
  clientCidr: vpnClientCidr.optional(),
  subnets: count('subnets', 6).min(1, { error: 'use at least 1 subnet.' }).optional(),
});

/** Client ranges tried in order for an environment's VPN: the first that its VPC does not overlap. */
export const VPN_CLIENT_CIDRS = ['10.255.252.0/22', '172.31.252.0/22', '192.168.252.0/22'] as const;

export const TIERS = ['production', 'non-production'] as const;
export type Tier = (typeof TIERS)[number];
/** `single`: one NAT gateway; `per-az`: one per zone; `instance`: one small EC2 NAT instance (cheapest, least available). */
export const NAT_STRATEGIES = ['single', 'per-az', 'instance'] as const;
export type NatStrategy = (typeof NAT_STRATEGIES)[number];
export const CAPACITY_TYPES = ['spot', 'on-demand'] as const;
export type CapacityType = (typeof CAPACITY_TYPES)[number];
export const LANGUAGES = ['node', 'python', 'go', 'generic'] as const;
export type Language = (typeof LANGUAGES)[number];
/** Which Let's Encrypt server an environment's certificates come from (`staging`: untrusted, generous rate limits). */
export const LETS_ENCRYPT_SERVERS = ['staging', 'production'] as const;
export type LetsEncryptServer = (typeof LETS_ENCRYPT_SERVERS)[number];

/** `standard`: the tier's defaults; `lean`: the cheapest environment that runs the whole platform (non-production only). */
export const PROFILES = ['standard', 'lean'] as const;
export type Profile = (typeof PROFILES)[number];

/** Node group settings of an environment (`environments[].nodes`). */
export const nodesInputSchema = record({
  instanceTypes: list(instanceType, 'instance types').min(1, { error: 'give at least one instance type.' }).optional(),
  capacityType: oneOf(CAPACITY_TYPES, 'capacity type').optional(),
  minSize: count('nodes', 100).optional(),
  desiredSize: count('nodes', 100).optional(),
  maxSize: count('nodes', 100).min(1, { error: 'use at least 1 node.' }).optional(),
  diskSizeGiB: count('GiB', 16384).min(20, { error: 'use at least 20 GiB (the AL2023 image and container images need room).' }).optional(),
});

/** What an environment runs on (`environments[].target.kind`): an EKS cluster the platform creates, or an existing cluster. */
export const TARGET_KINDS = ['eks', 'kubernetes'] as const;
/** How an existing cluster exposes the Gateway (`environments[].target.gateway`). */
export const GATEWAY_EXPOSURES = ['LoadBalancer', 'NodePort'] as const;
/** What External Secrets reads an existing cluster's secrets from (`environments[].target.secrets`). */
export const SECRETS_BACKENDS = ['kubernetes', 'vault'] as const;
/** The node ports an external balancer sends HTTP and HTTPS to, unless answered. */
export const DEFAULT_NODE_PORTS = { http: 30080, https: 30443 } as const;

const yesOrNo = z.boolean({ error: (iss) => `expected true or false, got ${show(iss.input)}.` });

/** An http(s) URL of a server: scheme, host, optional port and path, nothing else. */
const serverUrl = (example: string) =>
  pattern(/^https?:\/\/[A-Za-z0-9.-]+(:\d{1,5})?(\/[\w.~%/-]*)?$/, `Use the server's URL with its scheme, without query or credentials (e.g. ${example}).`);

const nodePort = z
  .number({ error: (iss) => `expected a port number, got ${show(iss.input)}. Use one of the cluster's node ports, 30000 to 32767 by default.` })
  .int({ error: 'use a whole port number.' })
  .min(30000, { error: "use a port from 30000 to 32767 (the API server's default --service-node-port-range)." })
  .max(32767, { error: "use a port from 30000 to 32767 (the API server's default --service-node-port-range)." });

/** An S3-compatible object store of an existing cluster (`environments[].target.objectStorage`). */
export const objectStorageInputSchema = record({
  endpoint: serverUrl('https://minio.office.example.com:9000'),
  region: pattern(/^[a-z0-9][a-z0-9-]{0,31}$/, 'Use the region the store expects in signatures, lowercase (MinIO and most stores: us-east-1).').optional(),
  forcePathStyle: yesOrNo.optional(),
});

/** HashiCorp Vault as an existing cluster's secrets backend (`environments[].target.vault`). */
export const vaultInputSchema = record({
  server: serverUrl('https://vault.office.example.com:8200'),
  path: pattern(/^[A-Za-z0-9_-]+(\/[A-Za-z0-9_-]+)*$/, 'Use the mount path of a KV version 2 engine, without slashes around it (e.g. secret).').optional(),
  authPath: pattern(/^[A-Za-z0-9_-]+(\/[A-Za-z0-9_-]+)*$/, "Use the mount path of the cluster's Kubernetes auth method, without slashes around it (e.g. kubernetes-office).").optional(),
  role: pattern(/^[A-Za-z0-9_.-]{1,128}$/, "Use the name of a role of that auth method: letters, digits, dots, dashes, underscores.").optional(),
});

/** The cluster an environment runs on (`environments[].target`): by default, an EKS cluster its own stacks create. */
export const targetInputSchema = record({
  kind: oneOf(TARGET_KINDS, 'cluster target kind'),
  context: pattern(/^\S{1,253}$/, 'Use the name of a context of your kubeconfig, as `kubectl config get-contexts` lists it (no spaces).').optional(),
  apiServer: serverUrl('https://k8s.office.example.com:6443').optional(),
  storageClass: pattern(/^[a-z0-9]([a-z0-9.-]{0,251}[a-z0-9])?$/, 'Use the name of a StorageClass of the cluster (`kubectl get storageclass`), e.g. longhorn.').optional(),
  gateway: oneOf(GATEWAY_EXPOSURES, 'Gateway exposure').optional(),
  httpNodePort: nodePort.optional(),
  httpsNodePort: nodePort.optional(),
  objectStorage: objectStorageInputSchema.optional(),
  secrets: oneOf(SECRETS_BACKENDS, 'secrets backend').optional(),
  vault: vaultInputSchema.optional(),
  serviceAccountIssuer: pattern(
    /^https:\/\/[A-Za-z0-9.-]+(\/[\w.~%-]+)*$/,
    "Use the cluster's service account issuer (`kubectl get --raw /.well-known/openid-configuration`, its issuer): an https URL without port, query or trailing slash, e.g. https://oidc.office.example.com/k8s.",
  ).optional(),
});

/** An environment given as an object (`environments[]`): its name and per-environment settings. */
export const environmentInputSchema = record({
  name: environmentName,
  target: targetInputSchema.optional().describe('The cluster it runs on: an EKS cluster the platform creates (default), or an existing Kubernetes cluster.'),
  tier: oneOf(TIERS, 'environment tier').optional(),
  profile: oneOf(PROFILES, 'environment profile').optional(),
  vpcCidr: vpcCidr.optional(),
  availabilityZones: count('availability zones', 6).min(2, { error: 'use at least 2 availability zones (EKS needs two).' }).optional(),
  natGateways: oneOf(NAT_STRATEGIES, 'NAT gateway strategy').optional(),
  clusterPublicAccessCidrs: list(publicAccessCidr, 'CIDRs').optional(),
  logRetentionDays: oneOfNumbers(LOG_RETENTION_DAYS, 'CloudWatch Logs retention (days)').optional(),
  flowLogRetentionDays: oneOfNumbers(LOG_RETENTION_DAYS, 'CloudWatch Logs retention (days)').optional(),
  interfaceEndpoints: z.boolean({ error: (iss) => `expected true or false, got ${show(iss.input)}.` }).optional(),
  letsEncrypt: oneOf(LETS_ENCRYPT_SERVERS, "Let's Encrypt server").optional(),
  nodes: nodesInputSchema.optional(),
  vpn: z
    .preprocess((v) => (v === true ? {} : v === false ? undefined : v), vpnInputSchema.optional())
    .describe('AWS Client VPN into the VPC (true, or { clientCidr, subnets }).'),
  budgetUsd: z
    .number({ error: (iss) => `expected a monthly amount in US dollars, got ${show(iss.input)}. Use a whole number, unquoted (e.g. 500).` })
    .int({ error: 'use a whole number of dollars.' })
    .min(10, { error: 'use at least 10 (a month of the smallest environment costs more).' })
    .max(1_000_000, { error: 'use at most 1000000.' })
    .optional(),
});

/** An environment variable name, as containers and shells accept it. */
export const envVarName = pattern(/^[A-Za-z_][A-Za-z0-9_]{0,127}$/, 'Use letters, digits and underscores, not starting with a digit (e.g. LOG_LEVEL).');

const envValue = z.preprocess(
  // YAML reads `WORKERS: 4` or `DEBUG: false` as a number or a boolean: an environment variable is text either way.
  (v) => (typeof v === 'number' || typeof v === 'boolean' ? String(v) : v),
  z.string({ error: (iss) => `expected a text value, got ${show(iss.input)}.` }).max(4096, { error: 'use at most 4096 characters; put larger configuration in a file of the overlay.' }),
);

const cpuQuantity = pattern(/^(?:[1-9]\d{0,5}m|(?:0\.\d{1,3}|[1-9]\d{0,2}(?:\.\d{1,3})?))$/, 'Use millicores or cores (e.g. 100m, 250m, 0.5, 2).');
const memoryQuantity = pattern(/^[1-9]\d{0,6}(?:Mi|Gi)$/, 'Use mebibytes or gibibytes (e.g. 128Mi, 1Gi).');

/** Replicas and resources of a service in the environments of one tier (`services[].tiers.<tier>`). */
export const serviceTierInputSchema = record({
  minReplicas: count('replicas', 100).min(1, { error: 'use at least 1 replica.' }).optional(),
  maxReplicas: count('replicas', 100).min(1, { error: 'use at least 1 replica.' }).optional(),
  cpu: cpuQuantity.optional(),
  memory: memoryQuantity.optional(),
});

/** A service's sizing per tier (`services[].tiers`): only the tiers and fields that differ from SERVICE_TIER_DEFAULTS. */
export const serviceTiersInputSchema = record({ production: serviceTierInputSchema.optional(), 'non-production': serviceTierInputSchema.optional() });

/** A service given as an object (`services[]`). */
export const serviceInputSchema = record({
  name: serviceName,
  language: oneOf(LANGUAGES, 'service language').optional(),
  port: z
    .number({ error: (iss) => `expected a port number, got ${show(iss.input)}.` })
    .int({ error: 'use a whole port number.' })
    .min(1, { error: 'use a port from 1 to 65535.' })
    .max(65535, { error: 'use a port from 1 to 65535.' })
    .optional(),
  public: z.boolean({ error: (iss) => `expected true or false, got ${show(iss.input)}.` }).optional(),
  callers: list(serviceName, 'service names').optional(),
  env: z
    .record(envVarName, envValue, {
      error: (iss) =>
        iss.code === 'invalid_key'
          ? `variable name ${show(iss.input)} is not valid. Use letters, digits and underscores, not starting with a digit (e.g. LOG_LEVEL).`
          : `expected a map of variable names to values, got ${show(iss.input)}.`,
    })
    .optional(),
  secretEnv: list(envVarName, 'variable names').optional(),
  bucket: z.boolean({ error: (iss) => `expected true or false, got ${show(iss.input)}.` }).optional(),
  tiers: serviceTiersInputSchema.optional(),
});

/** A service's replicas and resources in one tier. */
export interface ServiceSizing {
  minReplicas: number;
  maxReplicas: number;
  /** CPU request (the limit is twice as much: room for bursts without starving neighbours). */
  cpu: string;
  /** Memory request and limit (equal: a container over its request is the first to be killed anyway). */
  memory: string;
}

/** Per-tier sizing of a service: one small replica outside production; two (one per zone at least) in production. */
export const SERVICE_TIER_DEFAULTS: Record<Tier, ServiceSizing> = {
  'non-production': { minReplicas: 1, maxReplicas: 3, cpu: '100m', memory: '128Mi' },
  production: { minReplicas: 2, maxReplicas: 6, cpu: '250m', memory: '256Mi' },
};

/** Variables the kit sets in every service's container: an answer cannot set them. */
export const RESERVED_ENV = ['PORT'] as const;
/** Variables the kit sets in the container of a service with a bucket. */
export const BUCKET_ENV = ['BUCKET', 'AWS_REGION'] as const;

/** Per-tier defaults: non-production is the cheapest real thing, production is highly available. */
export const TIER_DEFAULTS = {
  'non-production': {
    natGateways: 'single',
    availabilityZones: 3,
    logRetentionDays: 30,
    // Flow logs are the largest log stream and rarely read after a week outside production.
    flowLogRetentionDays: 7,
    interfaceEndpoints: false,
    // Rebuilt environments would hit the production server's rate limits (50 certificates per domain a week).
    letsEncrypt: 'staging',
    nodes: { instanceTypes: ['t3.large', 't3a.large', 'm6i.large', 'm7i.large'], capacityType: 'spot', minSize: 1, desiredSize: 2, maxSize: 5, diskSizeGiB: 50 },
  },
  production: {
    natGateways: 'per-az',
    availabilityZones: 3,
    logRetentionDays: 365,
    flowLogRetentionDays: 90,
    interfaceEndpoints: false,
    letsEncrypt: 'production',
    nodes: { instanceTypes: ['m7i.large', 'm6i.large'], capacityType: 'on-demand', minSize: 3, desiredSize: 3, maxSize: 10, diskSizeGiB: 100 },
  },
} as const satisfies Record<Tier, unknown>;

/**
 * The `lean` profile's defaults, over the non-production tier's (answers still win): a NAT instance instead of a NAT
 * gateway, two zones (the least EKS takes), one spot node that holds every pod of the platform (the VPC CNI's prefix
 * delegation lifts the per-node pod limit; the autoscaler adds nodes when requests need them), a 20 GiB root volume,
 * the load balancer in one zone, and no audit logs. Each trade-off is written in docs/cost.md of a platform repo.
 */
export const LEAN_DEFAULTS = {
  natGateways: 'instance',
  availabilityZones: 2,
  nodes: { instanceTypes: ['t3a.large', 't3.large'], capacityType: 'spot', minSize: 1, desiredSize: 1, maxSize: 3, diskSizeGiB: 20 },
} as const;

/** The control-plane logs an environment sends to CloudWatch: all three, but the `lean` profile leaves out `audit`. */
export function controlPlaneLogTypes(environment: Pick<Environment, 'profile'>): string[] {
  return environment.profile === 'lean' ? ['api', 'authenticator'] : ['api', 'audit', 'authenticator'];
}

/** Environment names whose tier defaults to production. */
export const PRODUCTION_NAMES = /^(prod|production|prd|live)$/;

export const DEFAULT_ENVIRONMENTS = ['dev', 'staging', 'prod'];
export const DEFAULT_SERVICES = ['api', 'worker'];

/** Where the platform runs (`aws`). */
export const awsInputSchema = record({
  region: region.default('eu-west-1').describe('AWS region of every environment.'),
  accountId: accountId.default('123456789012').describe('AWS account id the platform deploys into.'),
  adminRoleArns: list(roleArn, 'IAM role ARNs')
    .default([])
    .describe('IAM roles of the people who administer the clusters: each gets cluster-admin through an EKS access entry.'),
});

/** The repository CI runs in (`github`). */
export const githubInputSchema = record({
  owner: githubOwner.default('acme').describe('GitHub organisation or user that owns the platform repository.'),
  repository: githubRepository.optional().describe('Repository name (default: the platform name).'),
  oidcProvider: oneOf(['create', 'existing'], 'OIDC provider choice')
    .default('create')
    .describe('"create" the GitHub OIDC provider in the account, or use the "existing" one (an account holds one per URL).'),
});

/** Route 53 choices for the platform's zone (`dns.zone`). */
export const DNS_ZONE_CHOICES = ['none', 'create', 'existing'] as const;
export type DnsZoneChoice = (typeof DNS_ZONE_CHOICES)[number];

const hostedZoneId = z.preprocess(
  // The console and the CLI show ids as /hostedzone/Z..., or Z... alone.
  (v) => (typeof v === 'string' ? v.trim().replace(/^\/?hostedzone\//, '') : v),
  pattern(/^Z[A-Z0-9]{1,31}$/, 'Use the id Route 53 shows for the zone (e.g. Z0123456789ABCDEFGHIJ): `aws route53 list-hosted-zones-by-name --dns-name <domain>`.'),
);

/** The platform's DNS (`dns`). */
export const dnsInputSchema = record({
  zone: oneOf(DNS_ZONE_CHOICES, 'DNS zone choice')
    .default('none')
    .describe('"create" a Route 53 hosted zone for the domain, use an "existing" one (zoneId), or "none" (records by hand).'),
  zoneId: hostedZoneId.optional().describe('With zone "existing": the id of the hosted zone of the domain.'),
});

/** Why an automatic module (external-dns) is not an answer: what installs it. */
function automaticModuleAnswered(input: unknown): string | undefined {
  const module = typeof input === 'string' && supportingServiceNames().includes(input) ? supportingService(input) : undefined;
  return module?.automatic ? `${show(input)} is not chosen: it is ${module.automatic.why}. Remove it from supportingServices.` : undefined;
}

/** Cost guardrails (`budget`): AWS Budgets per environment and for the platform, alerts by e-mail. */
export const budgetInputSchema = record({
  emails: list(email, 'e-mail addresses')
    .min(1, { error: 'give at least one address: a budget nobody hears of protects nothing.' })
    .max(10, { error: 'use at most 10 addresses (AWS Budgets sends to 10 per alert); use a mailing list for more.' })
    .optional()
    .describe('Who gets the budget alerts (default: certificateEmail).'),
  headroomPercent: z
    .number({ error: (iss) => `expected a percentage, got ${show(iss.input)}. Use a whole number, unquoted (e.g. 20).` })
    .int({ error: 'use a whole percentage.' })
    .min(0, { error: 'use 0 or more.' })
    .max(500, { error: 'use at most 500.' })
    .default(20)
    .describe('How far above the cost estimate a budget is set, when environments[].budgetUsd is not answered.'),
  costAllocationTags: z
    .boolean({ error: (iss) => `expected true or false, got ${show(iss.input)}.` })
    .default(false)
    .describe('Activate the platform, environment, owner and cost-center tags as cost allocation tags (management or standalone account only).'),
  anomalyDetection: z
    .boolean({ error: (iss) => `expected true or false, got ${show(iss.input)}.` })
    .default(false)
    .describe("Cost Anomaly Detection on the platform's tag, with a daily e-mail of anomalies."),
});

/** Where Alertmanager sends the platform's alerts (`alerts.receiver`). */
export const ALERT_RECEIVERS = ['none', 'email', 'slack'] as const;
export type AlertReceiver = (typeof ALERT_RECEIVERS)[number];

/** Where the platform's alerts go (`alerts`): e-mail through an SMTP relay, or a Slack channel. */
export const alertsInputSchema = record({
  receiver: oneOf(ALERT_RECEIVERS, 'alert receiver')
    .default('none')
    .describe('Where Alertmanager sends warnings and critical alerts: "email" (an SMTP relay), "slack" (an incoming webhook), or "none".'),
  emails: list(email, 'e-mail addresses')
    .min(1, { error: 'give at least one address.' })
    .optional()
    .describe('With receiver "email": who gets the alerts (default: budget.emails).'),
  smtpSmarthost: pattern(
    new RegExp(`^(?=.{4,253}:)(${dnsLabel}\\.)+[a-z]{2,63}:(25|465|587|2525)$`),
    'Use the SMTP relay as host:port, port 25, 465, 587 or 2525 (e.g. email-smtp.eu-west-1.amazonaws.com:587).',
  )
    .optional()
    .describe('With receiver "email": the SMTP relay, host:port (its password is put in Secrets Manager, never in git).'),
  smtpUsername: z
    .string({ error: (iss) => `expected text, got ${show(iss.input)}. Use the SMTP user name.` })
    .min(1, { error: 'is empty. Use the SMTP user name.' })
    .max(256, { error: 'use at most 256 characters.' })
    .optional()
    .describe('With receiver "email": the SMTP user name.'),
  smtpFrom: email.optional().describe('With receiver "email": the sender address (default: alerts@<domain>).'),
  slackChannel: pattern(/^#[a-z0-9][a-z0-9_-]{0,79}$/, 'Use the channel with its # (e.g. #platform-alerts): lowercase letters, digits, - and _.')
    .optional()
    .describe('With receiver "slack": the channel, e.g. #platform-alerts (the webhook URL is put in Secrets Manager, never in git).'),
});

/** The answers as a user writes them (answers file, flags, wizard, `.projenrc.ts`). */
export const answersSchema = record({
  name: platformName.default('acme-platform').describe('Platform name: prefixes every AWS resource and stack.'),
  aws: awsInputSchema.prefault({}).describe('Where the platform runs.'),
  environments: list(nameOrObject(environmentName, environmentInputSchema, 'an environment'), 'environments')
    .min(1, { error: 'give at least one environment (e.g. [dev, prod]).' })
    .max(8, { error: 'use at most 8 environments.' })
    .default(DEFAULT_ENVIRONMENTS)
    .describe('Environments, in promotion order: names, or objects with per-environment settings.'),
  services: list(nameOrObject(serviceName, serviceInputSchema, 'a service'), 'services')
    .max(50, { error: 'use at most 50 services.' })
    .default(DEFAULT_SERVICES)
    .describe("The team's microservices: an ECR repository and a Dockerfile each."),
  supportingServices: list(oneOfRegistered(selectableSupportingServiceNames, 'supporting service', automaticModuleAnswered), 'supporting services')
    .default([...SUPPORTING_SERVICES])
    .describe('Supporting services installed into every cluster.'),
  domain: domain.optional().describe('DNS domain the platform serves (default: <name>.example.com).'),
  certificateEmail: email.optional().describe("Contact email for Let's Encrypt certificates (default: platform@<domain>)."),
  budget: budgetInputSchema.prefault({}).describe('Cost guardrails: a monthly AWS Budget per environment and for the platform, alerting by e-mail.'),
  alerts: alertsInputSchema.prefault({}).describe("Where Alertmanager sends the platform's alerts, by severity."),
  dns: dnsInputSchema.prefault({}).describe("The platform's DNS zone in Route 53: each environment gets a delegated sub-zone that external-dns keeps."),
  github: githubInputSchema.prefault({}).describe('The GitHub repository CI runs in: trusted by the OIDC roles.'),
  kubernetesVersion: kubernetesVersion.default(catalogue.kubernetes.default).describe('EKS Kubernetes version.'),
  owner: tagValue.optional().describe('Team that owns the platform: the `owner` tag of every resource.'),
  costCenter: tagValue.optional().describe('Cost center the platform is billed to: the `cost-center` tag of every resource.'),
  tags: z
    .record(
      z.string().regex(/^(?!aws:)[\w .:/=+@-]{1,128}$/i),
      tagValue,
      {
        error: (iss) =>
          iss.code === 'invalid_key'
            ? `tag name ${show(iss.input)} is not valid. Use 1-128 letters, digits, spaces and _ . : / = + - @, not starting with "aws:".`
            : `expected a map of tag names to values, got ${show(iss.input)}.`,
      },
    )
    .default({})
    .describe('Extra tags on every AWS resource (e.g. owner, cost-center).'),
  stateBucket: pattern(
    /^(?!xn--|sthree-|amzn-s3-demo-)(?!.*(-s3alias|--ol-s3|--x-s3)$)[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/,
    'Use 3-63 lowercase letters, digits and dashes (an S3 bucket name), without the prefixes and suffixes AWS reserves (xn--, sthree-, amzn-s3-demo-, -s3alias, --ol-s3, --x-s3).',
  )
    .optional()
    .describe('Name of the Terraform state bucket (default: <name>-tfstate-<accountId>).'),
});

export type AnswersInput = z.input<typeof answersSchema>;
/** An environment's `target` as answered. */
export type TargetInput = z.input<typeof targetInputSchema>;

/**
 * The answers with their fields in the schema's order (unknown fields last), so that the same answers print
 * the same way whether they came from a file, flags or the wizard.
 */
export function canonicalAnswers(answers: AnswersInput): AnswersInput {
  type Order = (value: unknown) => unknown;
  const fields =
    (shape: z.ZodRawShape, nested: Record<string, Order> = {}): Order =>
    (value) => {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
      const known = Object.keys(shape);
      const keys = [...known.filter((k) => k in value), ...Object.keys(value).filter((k) => !known.includes(k))];
      return Object.fromEntries(keys.map((k) => [k, nested[k] ? nested[k]((value as Record<string, unknown>)[k]) : (value as Record<string, unknown>)[k]]));
    };
  const entries = (order: Order): Order => (value) => (Array.isArray(value) ? value.map(order) : value);
  return fields(answersSchema.shape, {
    aws: fields(awsInputSchema.shape),
    github: fields(githubInputSchema.shape),
    budget: fields(budgetInputSchema.shape),
    alerts: fields(alertsInputSchema.shape),
    dns: fields(dnsInputSchema.shape),
    environments: entries(
      fields(environmentInputSchema.shape, {
        target: fields(targetInputSchema.shape, { objectStorage: fields(objectStorageInputSchema.shape), vault: fields(vaultInputSchema.shape) }),
        nodes: fields(nodesInputSchema.shape),
        vpn: fields(vpnInputSchema.shape),
      }),
    ),
    services: entries(
      fields(serviceInputSchema.shape, {
        tiers: fields(serviceTiersInputSchema.shape, { production: fields(serviceTierInputSchema.shape), 'non-production': fields(serviceTierInputSchema.shape) }),
      }),
    ),
  })(answers) as AnswersInput;
}

type ParsedAnswers = z.output<typeof answersSchema>;

export interface NodeGroupSettings {
  instanceTypes: InstanceType[];
  capacityType: CapacityType;
  minSize: number;
  desiredSize: number;
  maxSize: number;
  diskSizeGiB: number;
}

export interface Environment {
  name: string;
  tier: Tier;
  /** `lean`: LEAN_DEFAULTS over the tier's defaults, the load balancer in one zone and no audit logs. */
  profile: Profile;
  vpcCidr: string;
  /**
   * Availability zone IDs, e.g. euw1-az1 (the same physical zone in every account, unlike names such as
   * eu-west-1a): the first `availabilityZones` of the region's list, never looked up.
   */
  zoneIds: string[];
  natGateways: NatStrategy;
  /** Empty: the cluster's API endpoint is private only. */
  clusterPublicAccessCidrs: string[];
  /** Retention of the control-plane logs. */
  logRetentionDays: number;
  /** Retention of the VPC flow logs. */
  flowLogRetentionDays: number;
  /** Interface endpoints for ECR and STS in the VPC (image pulls and token calls skip the NAT gateways). */
  interfaceEndpoints: boolean;
  /** The Let's Encrypt server the Gateway's certificates come from. */
  letsEncrypt: LetsEncryptServer;
  nodes: NodeGroupSettings;
  /** The answered monthly budget in USD; without one, the budget is the estimate plus `budget.headroomPercent` (cost.ts). */
  budgetUsd?: number;
  /**
   * AWS Client VPN into the VPC (mutual TLS, split tunnel), when answered: its clients' range, and how many private
   * subnets (zones) it is associated with (each billed by the hour).
   */
  vpn?: { clientCidr: string; subnets: number };
  /**
   * The existing Kubernetes cluster the environment runs on (`target.kind: kubernetes`, targets.ts); absent: an EKS
   * cluster of its own. Such an environment has no VPC (`vpcCidr` is empty, `zoneIds` too), node groups or budget.
   */
  target?: ExistingCluster;
}

export interface Service {
  name: string;
  language: Language;
  port: number;
  /** Reachable from the internet at https://<name>.<env>.<domain>, through the Gateway. */
  public: boolean;
  /** The services that may call it: every other pod is denied by its NetworkPolicy. */
  callers: string[];
  /** Plain environment variables (in git: nothing secret). */
  env: Record<string, string>;
  /** Variables read from Secrets Manager, `<platform>/<env>/apps/<name>` (a JSON object with these keys). */
  secretEnv: string[];
  /** An S3 bucket of its own per environment, reached through its Pod Identity role (variables BUCKET, AWS_REGION). */
  bucket: boolean;
  tiers: Record<Tier, ServiceSizing>;
}

/** The resolved platform: every default applied. What the generated repo's code reads. */
export interface Platform {
  name: string;
  aws: { region: Region; accountId: string; adminRoleArns: string[] };
  environments: Environment[];
  services: Service[];
  supportingServices: SupportingServiceName[];
  domain: string;
  certificateEmail: string;
  /**
   * `create` or `existing`: the platform's hosted zone (created in `shared`, or the answered id), with a delegated
   * sub-zone `<env>.<domain>` per environment; `none`: the kit creates no DNS records.
   */
  dns: { zone: DnsZoneChoice; zoneId?: string };
  budget: { emails: string[]; headroomPercent: number; costAllocationTags: boolean; anomalyDetection: boolean };
  /** Where Alertmanager sends warnings and critical alerts; the secret part (password, webhook) is in Secrets Manager. */
  alerts: Alerts;
  github: { owner: string; repository: string; oidcProvider: 'create' | 'existing' };
  kubernetesVersion: string;
  /** Tags on every resource: the answers' tags, then owner and cost-center. */
  tags: Record<string, string>;
  stateBucket: string;
}

export type Alerts =
  | { receiver: 'none' }
  | { receiver: 'email'; emails: string[]; smtpSmarthost: string; smtpUsername: string; smtpFrom: string }
  | { receiver: 'slack'; slackChannel: string };

type Issue = { path: (string | number)[]; message: string };

/** The answers of an environment that shape an EKS cluster and its VPC: they do not apply to an existing cluster. */
const EKS_ONLY_FIELDS = ['vpcCidr', 'availabilityZones', 'natGateways', 'clusterPublicAccessCidrs', 'logRetentionDays', 'flowLogRetentionDays', 'interfaceEndpoints', 'nodes', 'vpn', 'budgetUsd'] as const;
/** The answers of `environments[].target` that describe an existing cluster. */
const EXISTING_CLUSTER_FIELDS = ['context', 'apiServer', 'storageClass', 'gateway', 'httpNodePort', 'httpsNodePort', 'objectStorage', 'secrets', 'vault', 'serviceAccountIssuer'] as const;

type EnvironmentInput = Exclude<ParsedAnswers['environments'][number], string>;

/**
 * The existing cluster an environment's answers give (`target.kind: kubernetes`), with its defaults; undefined for EKS.
 * The answers that belong to the other kind are refused, each with the fix.
 */
function resolveTarget(e: EnvironmentInput, path: (string | number)[], platformName: string, issues: Issue[]): ExistingCluster | undefined {
  const t = e.target;
  const at = [...path, 'target'];
  if (!t || t.kind === 'eks') {
    for (const field of EXISTING_CLUSTER_FIELDS)
      if (t?.[field] !== undefined) issues.push({ path: [...at, field], message: 'applies only to an existing cluster (kind: kubernetes). Remove it, or set kind: kubernetes.' });
    return undefined;
  }
  for (const field of EKS_ONLY_FIELDS)
    if (e[field] !== undefined)
      issues.push({ path: [...path, field], message: `applies to the EKS cluster and VPC the platform creates, and ${e.name} runs on an existing cluster (target.kind: kubernetes). Remove it.` });
  if (e.profile === 'lean')
    issues.push({ path: [...path, 'profile'], message: `lean shapes the EKS cluster and VPC the platform creates, and ${e.name} runs on an existing cluster. Remove it.` });
  if (t.context === undefined)
    issues.push({ path: [...at, 'context'], message: 'is needed with kind: kubernetes. Give the kubeconfig context that reaches the cluster (`kubectl config get-contexts`).' });
  const exposure = t.gateway ?? 'LoadBalancer';
  if (exposure !== 'NodePort')
    for (const field of ['httpNodePort', 'httpsNodePort'] as const)
      if (t[field] !== undefined) issues.push({ path: [...at, field], message: `applies only to gateway: NodePort (gateway is ${exposure}). Remove it, or set gateway: NodePort.` });
  const http = t.httpNodePort ?? DEFAULT_NODE_PORTS.http;
  const https = t.httpsNodePort ?? DEFAULT_NODE_PORTS.https;
  if (exposure === 'NodePort' && http === https)
    issues.push({ path: [...at, 'httpsNodePort'], message: `${https} is the HTTP node port too. Give HTTP and HTTPS a port each (e.g. ${DEFAULT_NODE_PORTS.http} and ${DEFAULT_NODE_PORTS.https}).` });
  const backend = t.secrets ?? 'kubernetes';
  if (backend === 'vault' && t.vault === undefined)
    issues.push({ path: [...at, 'vault'], message: 'is needed with secrets: vault. Give at least its server (e.g. vault: { server: https://vault.office.example.com:8200 }).' });
  if (backend !== 'vault' && t.vault !== undefined)
    issues.push({ path: [...at, 'vault'], message: `applies only to secrets: vault (secrets is ${backend}). Remove it, or set secrets: vault.` });
  const storage = t.objectStorage;
  return {
    kind: 'kubernetes',
    context: t.context ?? '',
    ...(t.apiServer === undefined ? {} : { apiServer: t.apiServer }),
    ...(t.storageClass === undefined ? {} : { storageClass: t.storageClass }),
    gateway: exposure === 'NodePort' ? { exposure, httpNodePort: http, httpsNodePort: https } : { exposure },
    ...(storage === undefined ? {} : { objectStorage: { endpoint: storage.endpoint, region: storage.region ?? 'us-east-1', forcePathStyle: storage.forcePathStyle ?? true } }),
    secrets:
      backend === 'vault'
        ? { kind: 'vault', server: t.vault?.server ?? '', path: t.vault?.path ?? 'secret', authPath: t.vault?.authPath ?? 'kubernetes', role: t.vault?.role ?? `${platformName}-${e.name}` }
        : { kind: 'kubernetes' },
    ...(t.serviceAccountIssuer === undefined ? {} : { serviceAccountIssuer: t.serviceAccountIssuer }),
  };
}

function resolveEnvironment(input: ParsedAnswers['environments'][number], index: number, platformName: string, region: Region, issues: Issue[], locked?: EnvironmentIdentity): Environment {
  const e: EnvironmentInput = typeof input === 'string' ? { name: input } : input;
  const tier: Tier = e.tier ?? (PRODUCTION_NAMES.test(e.name) ? 'production' : 'non-production');
  const profile: Profile = e.profile ?? 'standard';
  const defaults = profile === 'lean' ? { ...TIER_DEFAULTS[tier], ...LEAN_DEFAULTS } : TIER_DEFAULTS[tier];
  const nodes: NodeGroupSettings = { ...defaults.nodes, instanceTypes: [...defaults.nodes.instanceTypes], ...e.nodes };
  const path = ['environments', index];
  const target = resolveTarget(e, path, platformName, issues);
  if (profile === 'lean' && tier === 'production')
    issues.push({
      path: [...path, 'profile'],
      message: 'lean trades availability for cost (one NAT instance, one node, one zone for the load balancer): not for production. Remove it, or set tier: non-production.',
    });
  // An existing cluster has no VPC or zones of the platform's: its network is the cluster's own.
  const zones = target ? [] : availabilityZoneIds(region);
  // Recorded zones stay (platform/identity.json) unless the answers ask for another number of them.
  const recorded = locked && 'vpcCidr' in locked ? locked : undefined;
  const lockedZones = recorded?.zoneIds.every((z) => zones.includes(z)) ? recorded.zoneIds : undefined;
  // A region with fewer zones than the tier's default (us-west-1 has two) gets them all; an answer asking for more is an error.
  const azCount = e.availabilityZones ?? lockedZones?.length ?? Math.min(defaults.availabilityZones, zones.length);
  if (!target && azCount > zones.length)
    issues.push({ path: [...path, 'availabilityZones'], message: `${azCount} zones asked, but ${region} has ${zones.length} usable availability zones. Use at most ${zones.length}.` });
  if (!(nodes.minSize <= nodes.desiredSize && nodes.desiredSize <= nodes.maxSize))
    issues.push({
      path: [...path, 'nodes'],
      message: `needs minSize <= desiredSize <= maxSize, got ${nodes.minSize} <= ${nodes.desiredSize} <= ${nodes.maxSize}. Adjust the sizes.`,
    });
  for (const dup of duplicates(nodes.instanceTypes))
    issues.push({ path: [...path, 'nodes', 'instanceTypes'], message: `lists ${dup} twice. Remove the duplicate.` });
  return {
    name: e.name,
    tier,
    profile,
    // The answer, else the recorded range; else a default, given once every environment's is known (resolve()).
    vpcCidr: target ? '' : (e.vpcCidr ?? recorded?.vpcCidr ?? ''),
    zoneIds: lockedZones?.length === azCount ? [...lockedZones] : zones.slice(0, Math.min(azCount, zones.length)),
    natGateways: e.natGateways ?? defaults.natGateways,
    clusterPublicAccessCidrs: e.clusterPublicAccessCidrs ?? [],
    logRetentionDays: e.logRetentionDays ?? defaults.logRetentionDays,
    flowLogRetentionDays: e.flowLogRetentionDays ?? defaults.flowLogRetentionDays,
    interfaceEndpoints: e.interfaceEndpoints ?? defaults.interfaceEndpoints,
    letsEncrypt: e.letsEncrypt ?? defaults.letsEncrypt,
    nodes,
    ...(e.budgetUsd === undefined || target ? {} : { budgetUsd: e.budgetUsd }),
    ...(e.vpn === undefined || target ? {} : { vpn: { clientCidr: e.vpn.clientCidr ?? '', subnets: e.vpn.subnets ?? (tier === 'production' ? 2 : 1) } }),
    ...(target ? { target } : {}),
  };
}

function resolveService(input: ParsedAnswers['services'][number], index: number, issues: Issue[]): Service {
  const s = typeof input === 'string' ? { name: input } : input;
  const path = ['services', index];
  const tiers = Object.fromEntries(TIERS.map((tier) => [tier, { ...SERVICE_TIER_DEFAULTS[tier], ...s.tiers?.[tier] }])) as Record<Tier, ServiceSizing>;
  for (const tier of TIERS)
    if (tiers[tier].minReplicas > tiers[tier].maxReplicas)
      issues.push({
        path: [...path, 'tiers', tier],
        message: `needs minReplicas <= maxReplicas, got ${tiers[tier].minReplicas} > ${tiers[tier].maxReplicas}. Adjust the replicas.`,
      });
  const env = s.env ?? {};
  const secretEnv = s.secretEnv ?? [];
  for (const name of [...Object.keys(env), ...secretEnv].filter((n) => (RESERVED_ENV as readonly string[]).includes(n)))
    issues.push({ path: [...path, secretEnv.includes(name) ? 'secretEnv' : 'env'], message: `${name} is set by the platform (the service's port). Remove it, or change the port answer.` });
  if (s.bucket)
    for (const name of [...Object.keys(env), ...secretEnv].filter((n) => (BUCKET_ENV as readonly string[]).includes(n)))
      issues.push({ path: [...path, secretEnv.includes(name) ? 'secretEnv' : 'env'], message: `${name} is set by the platform when bucket is true. Remove it.` });
  for (const name of secretEnv.filter((n) => n in env))
    issues.push({ path: [...path, 'secretEnv'], message: `${name} is also a plain variable (env). Keep it in one of env and secretEnv.` });
  for (const dup of duplicates(secretEnv)) issues.push({ path: [...path, 'secretEnv'], message: `lists ${dup} twice. Remove the duplicate.` });
  for (const dup of duplicates(s.callers ?? [])) issues.push({ path: [...path, 'callers'], message: `lists ${dup} twice. Remove the duplicate.` });
  return {
    name: s.name,
    language: s.language ?? 'generic',
    port: s.port ?? 8080,
    public: s.public ?? false,
    callers: s.callers ?? [],
    env,
    secretEnv,
    bucket: s.bucket ?? false,
    tiers,
  };
}

function duplicates(names: string[]): string[] {
  return [...new Set(names.filter((n, i) => names.indexOf(n) !== i))];
}

/**
 * The default VPC ranges: one /16 per environment, so that environments can be peered later, 10.10.0.0/16, then
 * 10.20.0.0/16 and so on, each the first that no answered or recorded range of another environment overlaps. A range
 * never depends on the environments listed before it once recorded (platform/identity.json).
 */
function withDefaultRanges(environments: Environment[]): Environment[] {
  const taken = environments.flatMap((e) => (e.vpcCidr ? [parseCidr(e.vpcCidr)!] : []));
  return environments.map((e) => {
    if (e.vpcCidr || e.target) return e;
    // At most 8 environments, each range (/16 to /20) overlapping at most one candidate: one of the 25 is free.
    const vpcCidr = [...Array(25).keys()].map((k) => `10.${(k + 1) * 10}.0.0/16`).find((c) => !taken.some((t) => overlaps(t, parseCidr(c)!)))!;
    taken.push(parseCidr(vpcCidr)!);
    return { ...e, vpcCidr };
  });
}

/** Applies defaults and the checks that span fields. Issues are collected, never thrown one at a time. */
function resolve(a: ParsedAnswers, issues: Issue[], identity?: IdentityLock): Platform {
  const environments = withDefaultRanges(
    a.environments.map((e, i) => resolveEnvironment(e, i, a.name, a.aws.region, issues, identity?.environments[typeof e === 'string' ? e : e.name])),
  );
  for (const dup of duplicates(environments.map((e) => e.name)))
    issues.push({ path: ['environments'], message: `"${dup}" is listed twice. Give each environment a unique name.` });
  environments.forEach((e, i) => {
    if (e.target) return;
    const mine = parseCidr(e.vpcCidr)!;
    const other = environments.find((o, j) => j < i && !o.target && overlaps(parseCidr(o.vpcCidr)!, mine));
    if (other)
      issues.push({ path: ['environments', i, 'vpcCidr'], message: `${e.vpcCidr} overlaps ${other.name}'s ${other.vpcCidr}. Give each environment its own range.` });
  });

  // A VPN's client range: the answer, else the first candidate its VPC leaves free; never inside its VPC.
  environments.forEach((e, i) => {
    if (!e.vpn) return;
    const vpc = parseCidr(e.vpcCidr)!;
    // A VPC is at most a /16, so one of the three candidates is always free.
    const free = VPN_CLIENT_CIDRS.find((c) => !overlaps(parseCidr(c)!, vpc))!;
    e.vpn.clientCidr ||= free;
    const path = ['environments', i, 'vpn'];
    if (overlaps(parseCidr(e.vpn.clientCidr)!, vpc))
      issues.push({ path: [...path, 'clientCidr'], message: `${e.vpn.clientCidr} overlaps the VPC's ${e.vpcCidr}. Use a range outside it, e.g. ${free}.` });
    if (e.vpn.subnets > e.zoneIds.length)
      issues.push({ path: [...path, 'subnets'], message: `${e.vpn.subnets} subnets asked, but ${e.name} has ${e.zoneIds.length} zones. Use at most ${e.zoneIds.length}.` });
  });

  const services = a.services.map((s, i) => resolveService(s, i, issues));
  for (const dup of duplicates(services.map((s) => s.name)))
    issues.push({ path: ['services'], message: `"${dup}" is listed twice. Give each service a unique name.` });
  const serviceNames = services.map((s) => s.name);
  services.forEach((s, i) =>
    s.callers.forEach((caller, j) => {
      const path = ['services', i, 'callers', j];
      if (caller === s.name) issues.push({ path, message: `${s.name} cannot list itself: a service always reaches its own pods. Remove it.` });
      else if (!serviceNames.includes(caller)) issues.push({ path, message: `"${caller}" is not one of the services (${serviceNames.join(', ')}). Add it to services, or remove it.` });
    }),
  );

  for (const dup of duplicates(a.supportingServices))
    issues.push({ path: ['supportingServices'], message: `"${dup}" is listed twice. List each supporting service once.` });
  for (const svc of a.supportingServices)
    for (const needed of supportingService(svc).requires ?? [])
      if (!a.supportingServices.includes(needed))
        issues.push({ path: ['supportingServices'], message: `${svc} needs ${needed}. Add ${needed}, or remove ${svc}.` });

  // What an existing cluster lacks: object storage unless answered, and the AWS identity a service's bucket is reached with.
  environments.forEach((e, i) => {
    if (!e.target) return;
    if (!e.target.objectStorage && a.supportingServices.includes('velero'))
      issues.push({
        path: ['environments', i, 'target', 'objectStorage'],
        message: `is needed by velero, which keeps ${e.name}'s backups there. Give an S3-compatible store (e.g. objectStorage: { endpoint: https://minio.office.example.com:9000 }), or remove velero from supportingServices.`,
      });
  });
  const existing = environments.find((e) => e.target);
  services.forEach((s, i) => {
    if (s.bucket && existing)
      issues.push({
        path: ['services', i, 'bucket'],
        message: `gives ${s.name} an S3 bucket reached with EKS Pod Identity, and ${existing.name} runs on an existing cluster. Set bucket: false, or run ${existing.name} on EKS.`,
      });
  });

  services.forEach((s, i) => {
    if (!s.public) return;
    const path = ['services', i, 'public'];
    if (!a.supportingServices.includes('nginx'))
      issues.push({ path, message: `${s.name} is public, which needs the Gateway. Add nginx to supportingServices, or set public: false.` });
    const taken = Object.entries(supportingHosts()).find(([svc, label]) => label === s.name && a.supportingServices.includes(svc as SupportingServiceName));
    if (taken)
      issues.push({ path, message: `${s.name}.<env>.<domain> is ${taken[0]}'s host name. Rename the service, or set public: false.` });
  });

  for (const dup of duplicates(a.budget.emails ?? []))
    issues.push({ path: ['budget', 'emails'], message: `lists ${dup} twice. Remove the duplicate.` });
  for (const dup of duplicates(a.aws.adminRoleArns))
    issues.push({ path: ['aws', 'adminRoleArns'], message: `lists ${dup} twice. Remove the duplicate.` });
  const domainName = a.domain ?? `${a.name}.example.com`;
  if (a.dns.zone === 'existing' && !a.dns.zoneId)
    issues.push({
      path: ['dns', 'zoneId'],
      message: `is needed with zone "existing". Give the id of ${domainName}'s hosted zone (\`aws route53 list-hosted-zones-by-name --dns-name ${domainName}\`), or set zone: create.`,
    });
  if (a.dns.zone !== 'existing' && a.dns.zoneId)
    issues.push({ path: ['dns', 'zoneId'], message: `applies only to zone "existing" (zone is "${a.dns.zone}"). Remove it, or set zone: existing.` });
  if (a.dns.zone !== 'none' && a.domain === undefined)
    issues.push({ path: ['domain'], message: `is needed with dns.zone "${a.dns.zone}": the zone is for a domain you own. Set domain (e.g. acme.example.com), or dns.zone: none.` });
  const stateBucket = a.stateBucket ?? `${a.name}-tfstate-${a.aws.accountId}`;
  const budgetEmails = a.budget.emails ?? [a.certificateEmail ?? `platform@${domainName}`];
  const alerts = resolveAlerts(a.alerts, budgetEmails, domainName, issues);
  if (alerts.receiver !== 'none' && !a.supportingServices.includes('prometheus'))
    issues.push({ path: ['alerts', 'receiver'], message: `sends what Prometheus' rules fire, and prometheus is not installed. Add prometheus to supportingServices, or set receiver: none.` });
  const platform: Platform = {
    name: a.name,
    aws: { region: a.aws.region, accountId: a.aws.accountId, adminRoleArns: a.aws.adminRoleArns },
    environments,
    services,
    // Catalogue order, whatever order the answers used: stable output for stable diffs. With the automatic modules
    // the answers imply (external-dns with a DNS zone).
    supportingServices: supportingServiceNames().filter(
      (s) => a.supportingServices.includes(s as SupportingServiceName) || supportingService(s).automatic?.when({ dnsZone: a.dns.zone !== 'none', has: (x) => a.supportingServices.includes(x as SupportingServiceName) }),
    ) as SupportingServiceName[],
    domain: domainName,
    certificateEmail: a.certificateEmail ?? `platform@${domainName}`,
    dns: a.dns.zone === 'existing' ? { zone: a.dns.zone, zoneId: a.dns.zoneId } : { zone: a.dns.zone },
    budget: {
      emails: budgetEmails,
      headroomPercent: a.budget.headroomPercent,
      costAllocationTags: a.budget.costAllocationTags,
      anomalyDetection: a.budget.anomalyDetection,
    },
    alerts,
    github: { owner: a.github.owner, repository: a.github.repository ?? a.name, oidcProvider: a.github.oidcProvider },
    kubernetesVersion: a.kubernetesVersion,
    tags: { ...a.tags, ...(a.owner === undefined ? {} : { owner: a.owner }), ...(a.costCenter === undefined ? {} : { 'cost-center': a.costCenter }) },
    stateBucket,
  };

  // The kit's CI roles get their own access entries; a second entry for the same principal fails the apply. By
  // name (role names are unique in an account, whatever their path): an ARN missing the CI path names them too.
  const ciRoles = new Set(ciScopes(platform).flatMap((scope) => (['plan', 'apply'] as const).map((kind) => ciRoleName(platform, scope, kind))));
  platform.aws.adminRoleArns.forEach((arn, i) => {
    if (arn.split(':')[4] === platform.aws.accountId && ciRoles.has(arn.split('/').pop()!))
      issues.push({ path: ['aws', 'adminRoleArns', i], message: `${arn} is one of the platform's own CI roles, which get cluster access already. Remove it.` });
  });
  return platform;
}

/** The receiver's settings: those of the answered receiver are needed, those of another are refused. */
function resolveAlerts(a: ParsedAnswers['alerts'], budgetEmails: string[], domainName: string, issues: Issue[]): Alerts {
  const fields = { email: ['emails', 'smtpSmarthost', 'smtpUsername', 'smtpFrom'], slack: ['slackChannel'] } as const;
  for (const [receiver, names] of Object.entries(fields))
    for (const name of names)
      if (a[name] !== undefined && a.receiver !== receiver)
        issues.push({ path: ['alerts', name], message: `applies only to receiver "${receiver}" (receiver is "${a.receiver}"). Remove it, or set receiver: ${receiver}.` });
  for (const dup of duplicates(a.emails ?? [])) issues.push({ path: ['alerts', 'emails'], message: `lists ${dup} twice. Remove the duplicate.` });
  const needed = (name: string, example: string) =>
    issues.push({ path: ['alerts', name], message: `is needed with receiver "${a.receiver}". Set it (e.g. ${example}), or set receiver: none.` });
  switch (a.receiver) {
    case 'none':
      return { receiver: 'none' };
    case 'slack':
      if (a.slackChannel === undefined) needed('slackChannel', '#platform-alerts');
      return { receiver: 'slack', slackChannel: a.slackChannel ?? '' };
    case 'email':
      if (a.smtpSmarthost === undefined) needed('smtpSmarthost', 'email-smtp.eu-west-1.amazonaws.com:587');
      if (a.smtpUsername === undefined) needed('smtpUsername', 'the user name your SMTP relay gave you');
      return {
        receiver: 'email',
        emails: a.emails ?? budgetEmails,
        smtpSmarthost: a.smtpSmarthost ?? '',
        smtpUsername: a.smtpUsername ?? '',
        smtpFrom: a.smtpFrom ?? `alerts@${domainName}`,
      };
  }
}

/**
 * The schema that turns answers into a resolved Platform (defaults, cross-field checks), with the identity a platform
 * repo recorded (platform/identity.json): recorded values stand in for the defaults of the environments it names.
 */
export function platformSchemaWith(identity?: IdentityLock) {
  return answersSchema.transform((answers, ctx) => {
    const issues: Issue[] = [];
    const platform = resolve(answers, issues, identity);
    for (const issue of issues) ctx.addIssue({ code: 'custom', path: issue.path, message: issue.message });
    return issues.length ? z.NEVER : platform;
  });
}

/** The schema that turns answers into a resolved Platform, for a platform with nothing recorded yet. */
export const platformSchema = platformSchemaWith();

export { REGIONS };
