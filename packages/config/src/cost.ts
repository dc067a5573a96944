import { clusterTarget, loadBalancerZones } from './targets';
import type { InstanceType, Region } from './aws';
import { EC2_HOURLY, isPricedRegion, PRICES_AS_OF, SERVICE_PRICES, type PricedRegion, type ServicePrices } from './prices';
import { controlPlaneLogTypes, type Environment, type NodeGroupSettings, type Platform } from './schema';
import { flowLogAggregationSeconds, INTERFACE_ENDPOINT_SERVICES } from './subnets';
import { hasDnsZone, storedInSecretsManager, supportingPlan } from './supporting-plan';
import { supportingService } from './supporting-services';

/*
 * The monthly cost estimate of a platform: what its stacks and Helm releases make AWS bill for, counted from the
 * answers, priced with the table in prices.ts. Usage-driven quantities (traffic, logs, stored data) are assumed:
 * each assumption is a named constant here and a sentence in COST_ASSUMPTIONS, which docs/cost-estimate.md repeats
 * word for word (a test keeps them equal). Money stays unrounded until it is formatted.
 */

/** AWS's convention for a month of an always-on resource. */
export const HOURS_PER_MONTH = 730;
/** Days in that month, to turn a log retention into months of stored logs. */
export const DAYS_PER_MONTH = HOURS_PER_MONTH / 24;
/** Share of the on-demand price a spot node is assumed to cost (spot prices move; 30-40% is typical for these types). */
export const SPOT_PRICE_FRACTION = 0.35;
/** GB a month all NAT gateways of one environment process together (image pulls, package and API calls). */
export const NAT_GB_PER_ENVIRONMENT = 100;
/** Average Network Load Balancer Capacity Units the NGINX NLB uses (1 NLCU: 800 new TCP flows/s or 1 GB/h). */
export const NLCU_PER_NLB = 1;
/** GB of EKS control-plane logs (api, audit, authenticator) one cluster sends to CloudWatch Logs a month. */
export const CONTROL_PLANE_LOG_GB = 10;
/** The same without the audit log (the `lean` profile): audit records every API request, most of the volume. */
export const CONTROL_PLANE_LOG_GB_WITHOUT_AUDIT = 3;
/** Client VPN connection-hours a month per environment with a VPN: 5 people, 8 hours a day, 20 days. */
export const VPN_CONNECTION_HOURS = 5 * 8 * 20;
/** GiB of the NAT instance's root volume (gp3). */
export const NAT_INSTANCE_ROOT_GIB = 8;
/** GB of VPC flow logs one environment's VPC sends to CloudWatch Logs a month (1-minute records; see FLOW_LOG_AGGREGATED_GB). */
export const FLOW_LOG_GB = 10;
/** The same with 10-minute aggregation (non-production): fewer records for the same traffic. */
export const FLOW_LOG_AGGREGATED_GB = 5;
/** GB held by each supporting-service bucket (Loki chunks, PostgreSQL backups). */
export const SERVICE_BUCKET_GB = 50;
/** GB held by the Terraform state bucket, old versions included. */
export const STATE_BUCKET_GB = 1;
/** GB of images kept in each service's ECR repository. */
export const ECR_GB_PER_SERVICE = 5;

const percent = (fraction: number) => `${Math.round(fraction * 100)}%`;

/** Every assumption of the estimate, one sentence each; docs/cost-estimate.md lists them verbatim. */
export const COST_ASSUMPTIONS: readonly string[] = [
  `Prices are USD list prices (on-demand, Linux, before tax) as of ${PRICES_AS_OF}.`,
  `Outside us-east-1, us-east-2 and us-west-2, the prices of NAT gateways, EBS, load balancers, S3 and CloudWatch Logs are mostly derived from us-east-1's by the region's price level, so they can be off by several percent.`,
  `A month is ${HOURS_PER_MONTH} hours, and every resource runs all month.`,
  `Nodes are counted at the node groups' desired sizes (one group per zone, together the answered desiredSize), all of the first instance type; the groups may launch their other instance types, and the cluster autoscaler changes the count.`,
  `Spot nodes cost ${percent(SPOT_PRICE_FRACTION)} of the on-demand price; real spot prices move with demand and differ per zone.`,
  `Each node has one gp3 root volume of the environment's disk size; gp3's included 3,000 IOPS and 125 MB/s cost nothing extra.`,
  `Persistent volumes are the gp3 volumes the supporting services' Helm values request, at their requested size.`,
  `The NAT gateways of an environment process ${NAT_GB_PER_ENVIRONMENT} GB a month together.`,
  `With NGINX selected, its Gateway gets one internet-facing Network Load Balancer using ${NLCU_PER_NLB} NLCU on average, with one public IPv4 address per availability zone it spans (every zone, or one in the lean profile).`,
  `Each supporting-service bucket (Loki, PostgreSQL backups, Velero) holds ${SERVICE_BUCKET_GB} GB and the Terraform state bucket ${STATE_BUCKET_GB} GB, in S3 Standard.`,
  `A NAT instance (natGateways: instance) is a t4g.nano on demand with a gp3 root volume of ${NAT_INSTANCE_ROOT_GIB} GiB and an Elastic IP; it processes data for free, and its data transfer is not counted.`,
  `Each cluster sends ${CONTROL_PLANE_LOG_GB} GB of control-plane logs to CloudWatch Logs a month (${CONTROL_PLANE_LOG_GB_WITHOUT_AUDIT} GB without the audit log, in the lean profile), and each VPC ${FLOW_LOG_GB} GB of flow logs with 1-minute records (production) or ${FLOW_LOG_AGGREGATED_GB} GB with 10-minute records (other tiers).`,
  `Stored logs are the steady state once the retention period has filled (monthly volume × retention days ÷ ${DAYS_PER_MONTH.toFixed(2)}), at their ingested size; CloudWatch compresses them, so this overstates.`,
  `With interfaceEndpoints, each of the ${INTERFACE_ENDPOINT_SERVICES.length} interface endpoints (ECR API, ECR registry, STS) is billed in every zone of the VPC all month; their data processing is not counted, nor what they save on NAT data. The S3 gateway endpoint is free.`,
  `An environment with a VPN has its endpoint associated with its answered number of subnets all month, and ${VPN_CONNECTION_HOURS} connection-hours a month (5 people, 8 hours a day, 20 days).`,
  `Each service's ECR repository holds ${ECR_GB_PER_SERVICE} GB of images.`,
  `KMS keys and Secrets Manager secrets are counted per month; their API requests are not.`,
  `With a DNS zone, each Route 53 hosted zone (the platform's, when created, and one per environment) is counted a month; DNS queries are not.`,
  `Not counted: data transfer out and between zones, load balancers other than the NGINX one, EBS snapshots, Route 53 queries, S3 requests, CloudWatch metrics and alarms, AWS support plans, taxes, and discounts (Savings Plans, Reserved Instances, free tier).`,
];

// ---------------------------------------------------------------------------------------------------------
// What the constructs create, counted from the answers

/** A set of identical persistent volumes a chart requests. */
export interface VolumeClaim {
  readonly what: string;
  readonly count: number;
  readonly sizeGiB: number;
}

/** The persistent volumes an environment's supporting services request. */
export function persistentVolumes(platform: Platform, environment: Environment): VolumeClaim[] {
  const production = environment.tier === 'production';
  return platform.supportingServices.flatMap((service) => supportingService(service).volumes?.(production) ?? []);
}

/** What one environment's stacks (and its NGINX release) create that costs money. */
export interface EnvironmentResources {
  /** `<env>-cluster`: one EKS cluster. */
  readonly eksClusters: number;
  /** The managed node group at its desired size. */
  readonly nodes: number;
  readonly instanceType: InstanceType;
  /** `<env>-network`: one in the first zone (`single`) or one per zone (`per-az`), each with an Elastic IP. */
  readonly natGateways: number;
  /** `<env>-network` with `natGateways: instance`: one t4g.nano in the first zone, with an Elastic IP. */
  readonly natInstances: number;
  /** Customer-managed keys: flow logs (`<env>-network`), secrets and logs, volumes (`<env>-cluster`), services (`<env>-services-aws`). */
  readonly kmsKeys: number;
  /** `<env>-network` with `interfaceEndpoints`: endpoints × zones, each billed per hour. */
  readonly interfaceEndpointZones: number;
  /** `<env>-services-aws`: one bucket per data store of the selected services. */
  readonly s3Buckets: number;
  /** `<env>-services-aws`: secrets with generated or provided values, Argo CD's deploy key, and a secret per service with secret variables. */
  readonly secrets: number;
  /** Created by NGINX Gateway Fabric's LoadBalancer Service, not by Terraform. */
  readonly networkLoadBalancers: number;
  /** NAT Elastic IPs, and the NLB's address in each zone it spans. */
  readonly publicIpv4Addresses: number;
  /** GB of control-plane logs a month: with or without the audit log. */
  readonly controlPlaneLogGb: number;
  /** `shared`: the environment's Route 53 zone (with a DNS zone). */
  readonly hostedZones: number;
  /** `<env>-cluster` with `vpn`: the Client VPN endpoint's associated subnets. */
  readonly vpnSubnetAssociations: number;
}

export function environmentResources(platform: Platform, environment: Environment): EnvironmentResources {
  const plan = supportingPlan(platform, environment);
  const zones = environment.zoneIds.length;
  const natInstances = environment.natGateways === 'instance' ? 1 : 0;
  const natGateways = environment.natGateways === 'per-az' ? zones : 1 - natInstances;
  const networkLoadBalancers = platform.supportingServices.includes('nginx') ? 1 : 0;
  return {
    eksClusters: 1,
    nodes: environment.nodes.desiredSize,
    instanceType: environment.nodes.instanceTypes[0],
    natGateways,
    natInstances,
    // The services key exists even without supporting services: the stack is always there.
    kmsKeys: 4,
    interfaceEndpointZones: environment.interfaceEndpoints ? INTERFACE_ENDPOINT_SERVICES.length * zones : 0,
    s3Buckets: Object.keys(plan.buckets).length + platform.services.filter((s) => s.bucket).length,
    secrets: plan.secrets.filter(storedInSecretsManager).length + 1 + platform.services.filter((s) => s.secretEnv.length > 0).length,
    networkLoadBalancers,
    publicIpv4Addresses: natGateways + natInstances + networkLoadBalancers * loadBalancerZones(environment),
    controlPlaneLogGb: controlPlaneLogTypes(environment).includes('audit') ? CONTROL_PLANE_LOG_GB : CONTROL_PLANE_LOG_GB_WITHOUT_AUDIT,
    vpnSubnetAssociations: environment.vpn?.subnets ?? 0,
    hostedZones: hasDnsZone(platform) ? 1 : 0,
  };
}

/** What the account-level stacks create that costs money. */
export interface SharedResources {
  /** `bootstrap`: the state bucket's key; `shared`: the registries' key (with services). */
  readonly kmsKeys: number;
  /** `bootstrap`: the Terraform state bucket. */
  readonly s3Buckets: number;
  /** `shared`: one repository per service. */
  readonly ecrRepositories: number;
  /** `shared`: the platform's Route 53 zone, when it creates it (`dns.zone: create`). */
  readonly hostedZones: number;
}

export function sharedResources(platform: Platform): SharedResources {
  return { kmsKeys: platform.services.length ? 2 : 1, s3Buckets: 1, ecrRepositories: platform.services.length, hostedZones: platform.dns.zone === 'create' ? 1 : 0 };
}

// ---------------------------------------------------------------------------------------------------------
// The estimate

export interface CostLine {
  readonly item: string;
  readonly quantity: string;
  readonly unitPrice: string;
  readonly monthlyUsd: number;
}

export interface CostGroup {
  /** `shared` or the environment's name. */
  readonly name: string;
  readonly lines: readonly CostLine[];
  readonly monthlyUsd: number;
}

export interface CostEstimate {
  readonly region: PricedRegion;
  readonly pricesAsOf: string;
  readonly hoursPerMonth: typeof HOURS_PER_MONTH;
  readonly groups: readonly CostGroup[];
  readonly totalMonthlyUsd: number;
  readonly assumptions: readonly string[];
  /** Environments on clusters the estimate cannot price (an existing cluster: its cost is not AWS's): in no group, in no total. */
  readonly unpriced: readonly string[];
}

// Number formats made once: toLocaleString with options builds a new Intl.NumberFormat on every call.
let cents: Intl.NumberFormat | undefined;
let unitPrices: Intl.NumberFormat | undefined;

/** `$1,234.56`: money, rounded to the cent. */
export function formatUsd(amount: number): string {
  cents ??= new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  return `$${cents.format(amount)}`;
}

/** `$0.0912/h`: a unit price, with the digits AWS lists (up to five decimals). */
function rate(price: number, unit: string): string {
  unitPrices ??= new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 5 });
  return `$${unitPrices.format(price)}/${unit}`;
}

const plural = (n: number, word: string, words = `${word}s`) => `${n} ${n === 1 ? word : words}`;
const gb = (n: number) => `${Number(n.toFixed(2))} GB`;

function group(name: string, lines: CostLine[]): CostGroup {
  const kept = lines.filter((l) => l.monthlyUsd > 0);
  return { name, lines: kept, monthlyUsd: kept.reduce((sum, l) => sum + l.monthlyUsd, 0) };
}

/** A node's hourly price as the estimate counts it: the first instance type on demand, or its spot fraction. */
function nodeHourlyUsd(region: PricedRegion, nodes: NodeGroupSettings): { onDemand: number; hourly: number } {
  const onDemand = EC2_HOURLY[region][nodes.instanceTypes[0]];
  return { onDemand, hourly: nodes.capacityType === 'spot' ? onDemand * SPOT_PRICE_FRACTION : onDemand };
}

function environmentGroup(platform: Platform, environment: Environment, region: PricedRegion, prices: ServicePrices): CostGroup {
  const r = environmentResources(platform, environment);
  const { nodes } = environment;
  const h = HOURS_PER_MONTH;
  const spot = nodes.capacityType === 'spot';
  const { onDemand, hourly: nodeHourly } = nodeHourlyUsd(region, nodes);
  const rootGiB = r.nodes * nodes.diskSizeGiB;
  const volumes = persistentVolumes(platform, environment);
  const volumeGiB = volumes.reduce((sum, v) => sum + v.count * v.sizeGiB, 0);
  const volumeCount = volumes.reduce((sum, v) => sum + v.count, 0);
  const flowLogGb = flowLogAggregationSeconds(environment) === 60 ? FLOW_LOG_GB : FLOW_LOG_AGGREGATED_GB;
  const controlPlaneLogGb = r.eksClusters * r.controlPlaneLogGb;
  const logGb = controlPlaneLogGb + flowLogGb;
  const storedLogGb = (controlPlaneLogGb * environment.logRetentionDays + flowLogGb * environment.flowLogRetentionDays) / DAYS_PER_MONTH;
  return group(environment.name, [
    { item: 'EKS control plane', quantity: `${plural(r.eksClusters, 'cluster')} × ${h} h`, unitPrice: rate(prices.eksClusterHour, 'h'), monthlyUsd: r.eksClusters * prices.eksClusterHour * h },
    {
      item: `Nodes (${r.instanceType}${spot ? ', spot' : ''})`,
      quantity: `${r.nodes} × ${h} h${spot ? ` at ${percent(SPOT_PRICE_FRACTION)} of on-demand` : ''}`,
      unitPrice: rate(onDemand, 'h'),
      monthlyUsd: r.nodes * nodeHourly * h,
    },
    { item: 'Node root volumes (gp3)', quantity: `${r.nodes} × ${nodes.diskSizeGiB} GiB`, unitPrice: rate(prices.ebsGp3GbMonth, 'GB-month'), monthlyUsd: rootGiB * prices.ebsGp3GbMonth },
    {
      item: 'Persistent volumes (gp3)',
      quantity: `${plural(volumeCount, 'volume')}, ${volumeGiB} GiB`,
      unitPrice: rate(prices.ebsGp3GbMonth, 'GB-month'),
      monthlyUsd: volumeGiB * prices.ebsGp3GbMonth,
    },
    { item: 'NAT gateways', quantity: `${r.natGateways} × ${h} h`, unitPrice: rate(prices.natGatewayHour, 'h'), monthlyUsd: r.natGateways * prices.natGatewayHour * h },
    {
      item: 'NAT data processed',
      quantity: gb(r.natGateways ? NAT_GB_PER_ENVIRONMENT : 0),
      unitPrice: rate(prices.natGatewayGb, 'GB'),
      monthlyUsd: (r.natGateways ? NAT_GB_PER_ENVIRONMENT : 0) * prices.natGatewayGb,
    },
    { item: 'NAT instance (t4g.nano)', quantity: `${r.natInstances} × ${h} h`, unitPrice: rate(prices.natInstanceHour, 'h'), monthlyUsd: r.natInstances * prices.natInstanceHour * h },
    {
      item: 'NAT instance root volume (gp3)',
      quantity: `${r.natInstances} × ${NAT_INSTANCE_ROOT_GIB} GiB`,
      unitPrice: rate(prices.ebsGp3GbMonth, 'GB-month'),
      monthlyUsd: r.natInstances * NAT_INSTANCE_ROOT_GIB * prices.ebsGp3GbMonth,
    },
    {
      item: 'Network Load Balancer (NGINX)',
      quantity: `${r.networkLoadBalancers} × ${h} h`,
      unitPrice: rate(prices.nlbHour, 'h'),
      monthlyUsd: r.networkLoadBalancers * prices.nlbHour * h,
    },
    {
      item: 'NLB capacity units',
      quantity: `${r.networkLoadBalancers * NLCU_PER_NLB} NLCU × ${h} h`,
      unitPrice: rate(prices.nlbNlcuHour, 'NLCU-h'),
      monthlyUsd: r.networkLoadBalancers * NLCU_PER_NLB * prices.nlbNlcuHour * h,
    },
    {
      item: 'Public IPv4 addresses',
      quantity: `${r.publicIpv4Addresses} × ${h} h`,
      unitPrice: rate(prices.publicIpv4Hour, 'h'),
      monthlyUsd: r.publicIpv4Addresses * prices.publicIpv4Hour * h,
    },
    {
      item: 'VPC interface endpoints',
      quantity: `${r.interfaceEndpointZones} endpoint-zones × ${h} h`,
      unitPrice: rate(prices.interfaceEndpointHour, 'h'),
      monthlyUsd: r.interfaceEndpointZones * prices.interfaceEndpointHour * h,
    },
    {
      item: 'Client VPN subnet associations',
      quantity: `${r.vpnSubnetAssociations} × ${h} h`,
      unitPrice: rate(prices.clientVpnAssociationHour, 'h'),
      monthlyUsd: r.vpnSubnetAssociations * prices.clientVpnAssociationHour * h,
    },
    {
      item: 'Client VPN connections',
      quantity: `${r.vpnSubnetAssociations ? VPN_CONNECTION_HOURS : 0} connection-hours`,
      unitPrice: rate(prices.clientVpnConnectionHour, 'h'),
      monthlyUsd: (r.vpnSubnetAssociations ? VPN_CONNECTION_HOURS : 0) * prices.clientVpnConnectionHour,
    },
    {
      item: 'S3 buckets (Standard)',
      quantity: `${plural(r.s3Buckets, 'bucket')} × ${gb(SERVICE_BUCKET_GB)}`,
      unitPrice: rate(prices.s3StandardGbMonth, 'GB-month'),
      monthlyUsd: r.s3Buckets * SERVICE_BUCKET_GB * prices.s3StandardGbMonth,
    },
    { item: 'KMS keys', quantity: plural(r.kmsKeys, 'key'), unitPrice: rate(prices.kmsKeyMonth, 'month'), monthlyUsd: r.kmsKeys * prices.kmsKeyMonth },
    {
      item: 'Secrets Manager secrets',
      quantity: plural(r.secrets, 'secret'),
      unitPrice: rate(prices.secretsManagerSecretMonth, 'month'),
      monthlyUsd: r.secrets * prices.secretsManagerSecretMonth,
    },
    { item: 'Route 53 hosted zone', quantity: plural(r.hostedZones, 'zone'), unitPrice: rate(prices.route53ZoneMonth, 'month'), monthlyUsd: r.hostedZones * prices.route53ZoneMonth },
    { item: 'CloudWatch Logs ingested', quantity: gb(logGb), unitPrice: rate(prices.cloudWatchLogsIngestGb, 'GB'), monthlyUsd: logGb * prices.cloudWatchLogsIngestGb },
    {
      item: 'CloudWatch Logs stored',
      quantity: `${gb(storedLogGb)} (control plane ${environment.logRetentionDays} days, flow logs ${environment.flowLogRetentionDays} days)`,
      unitPrice: rate(prices.cloudWatchLogsStoreGbMonth, 'GB-month'),
      monthlyUsd: storedLogGb * prices.cloudWatchLogsStoreGbMonth,
    },
  ]);
}

function sharedGroup(platform: Platform, prices: ServicePrices): CostGroup {
  const r = sharedResources(platform);
  const ecrGb = r.ecrRepositories * ECR_GB_PER_SERVICE;
  return group('shared', [
    {
      item: 'Terraform state bucket (S3)',
      quantity: `${plural(r.s3Buckets, 'bucket')} × ${gb(STATE_BUCKET_GB)}`,
      unitPrice: rate(prices.s3StandardGbMonth, 'GB-month'),
      monthlyUsd: r.s3Buckets * STATE_BUCKET_GB * prices.s3StandardGbMonth,
    },
    { item: 'KMS keys', quantity: plural(r.kmsKeys, 'key'), unitPrice: rate(prices.kmsKeyMonth, 'month'), monthlyUsd: r.kmsKeys * prices.kmsKeyMonth },
    { item: 'Route 53 hosted zone', quantity: plural(r.hostedZones, 'zone'), unitPrice: rate(prices.route53ZoneMonth, 'month'), monthlyUsd: r.hostedZones * prices.route53ZoneMonth },
    { item: 'ECR storage', quantity: `${plural(r.ecrRepositories, 'repository', 'repositories')} × ${gb(ECR_GB_PER_SERVICE)}`, unitPrice: rate(prices.ecrGbMonth, 'GB-month'), monthlyUsd: ecrGb * prices.ecrGbMonth },
  ]);
}

/** The environments whose cost the kit can estimate: those on EKS (cluster targets with AWS prices). */
export function pricedEnvironments(platform: Platform): Environment[] {
  return platform.environments.filter((e) => clusterTarget(platform, e).priced);
}

/**
 * The monthly cost of a platform: a `shared` group, then one group per environment. Undefined in a region the price
 * table has no prices for (unpricedRegion() says so in words).
 */
export function estimateCost(platform: Platform): CostEstimate | undefined {
  const region = platform.aws.region;
  if (!isPricedRegion(region)) return undefined;
  const prices = SERVICE_PRICES[region];
  const groups = [sharedGroup(platform, prices), ...pricedEnvironments(platform).map((e) => environmentGroup(platform, e, region, prices))];
  return {
    region,
    pricesAsOf: PRICES_AS_OF,
    hoursPerMonth: HOURS_PER_MONTH,
    groups,
    totalMonthlyUsd: groups.reduce((sum, g) => sum + g.monthlyUsd, 0),
    assumptions: COST_ASSUMPTIONS,
    unpriced: platform.environments.filter((e) => !clusterTarget(platform, e).priced).map((e) => e.name),
  };
}

// ---------------------------------------------------------------------------------------------------------
// Budgets: the estimate plus headroom, or an answered amount

/** Budget limits round up to whole steps: a limit that moved by cents with every price update would churn plans. */
export const BUDGET_STEP_USD = 10;

export interface BudgetLimit {
  readonly limitUsd: number;
  /** Where the limit comes from, in words (docs/cost.md). */
  readonly basis: string;
}

const roundUpToStep = (usd: number) => Math.ceil(usd / BUDGET_STEP_USD) * BUDGET_STEP_USD;

/** The prices a budget is derived from: the region's, or us-east-1's where the table has none (said in the basis). */
function budgetPrices(platform: Platform): { region: PricedRegion; prices: ServicePrices; note: string } {
  const region = platform.aws.region;
  if (isPricedRegion(region)) return { region, prices: SERVICE_PRICES[region], note: '' };
  return { region: 'us-east-1', prices: SERVICE_PRICES['us-east-1'], note: `, priced as in us-east-1 (the kit has no prices for ${region})` };
}

/**
 * The monthly budget of an environment (AWS Budgets, alerting at 80% forecast and 100% actual): the answered
 * `budgetUsd`, else its estimate plus `budget.headroomPercent`, rounded up to BUDGET_STEP_USD.
 */
export function environmentBudget(platform: Platform, environment: Environment): BudgetLimit {
  if (environment.budgetUsd !== undefined) return { limitUsd: environment.budgetUsd, basis: 'answered (`budgetUsd`)' };
  const { region, prices, note } = budgetPrices(platform);
  const estimate = environmentGroup(platform, environment, region, prices).monthlyUsd;
  const headroom = platform.budget.headroomPercent;
  return { limitUsd: roundUpToStep(estimate * (1 + headroom / 100)), basis: `the estimate ${formatUsd(estimate)} + ${headroom}%${note}` };
}

/** The platform's budget: every environment's, and the account-level stacks' estimate plus headroom. */
export function platformBudget(platform: Platform): BudgetLimit {
  const { prices, note } = budgetPrices(platform);
  const shared = sharedGroup(platform, prices).monthlyUsd * (1 + platform.budget.headroomPercent / 100);
  const environments = pricedEnvironments(platform).reduce((sum, e) => sum + environmentBudget(platform, e).limitUsd, 0);
  return { limitUsd: roundUpToStep(environments + shared), basis: `the environments' budgets + the shared stacks' estimate + ${platform.budget.headroomPercent}%${note}` };
}

/**
 * The estimate of an environment as a function of its node count, for the in-cluster cost alert: what each node
 * adds a month (the node at the estimate's price, and its root volume) and what does not change with the node count.
 */
export interface RunningCostModel {
  readonly perNodeUsd: number;
  readonly fixedUsd: number;
  readonly budgetUsd: number;
}

export function runningCostModel(platform: Platform, environment: Environment): RunningCostModel {
  const { region, prices } = budgetPrices(platform);
  const { nodes } = environment;
  const perNodeUsd = nodeHourlyUsd(region, nodes).hourly * HOURS_PER_MONTH + nodes.diskSizeGiB * prices.ebsGp3GbMonth;
  const estimate = environmentGroup(platform, environment, region, prices).monthlyUsd;
  return { perNodeUsd, fixedUsd: estimate - nodes.desiredSize * perNodeUsd, budgetUsd: environmentBudget(platform, environment).limitUsd };
}

/** Why a platform has no estimate: its region is not in the price table yet. */
export function unpricedRegion(region: Region): string {
  return `No cost estimate: platform-kit's price table has no prices for ${region} yet (docs/cost-estimate.md of platform-kit says how to add them).`;
}

/**
 * The estimate for a terminal: one row per group and the total, amounts aligned; then, unless `footer` is false
 * (the caller prints the date itself), where the prices and assumptions are.
 */
export function formatCostTable(estimate: CostEstimate, options: { footer?: boolean } = {}): string[] {
  const rows: [string, string][] = [...estimate.groups.map((g): [string, string] => [g.name, formatUsd(g.monthlyUsd)]), ['total', formatUsd(estimate.totalMonthlyUsd)]];
  const nameWidth = Math.max(...rows.map(([name]) => name.length));
  const amountWidth = Math.max(...rows.map(([, amount]) => amount.length));
  const lines = rows.map(([name, amount]) => `  ${name.padEnd(nameWidth)}  ${amount.padStart(amountWidth)}`);
  for (const name of estimate.unpriced) lines.push(`  ${name}: not priced (an existing cluster: its cost is not in the total)`);
  if (options.footer !== false) lines.push(`  prices as of ${estimate.pricesAsOf}, see docs/cost.md`);
  return lines;
}
