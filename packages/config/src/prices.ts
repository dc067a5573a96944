import { INSTANCE_TYPES, type InstanceType, type Region } from './aws';

/*
 * The price table behind the cost estimate: USD list prices, on-demand, Linux, shared tenancy, per region of
 * PRICED_REGIONS (a platform in another region of REGIONS gets no estimate, and is told so). Data in source, not fetched: an estimate must come out the same offline, in CI and in a
 * test. Every number says where it came from; a number no source gave is derived by a rule written next to it.
 * How to refresh it: docs/cost-estimate.md, "Updating the prices".
 */

/** Date of the newest price snapshot the table was checked against (see PRICE_SOURCES for each group's date). */
export const PRICES_AS_OF = '2026-02-09';

export interface PriceSource {
  /** What the source priced. */
  readonly covers: string;
  readonly source: string;
  /** Date of the data, as precise as the source gives it. */
  readonly date: string;
  /** How far to trust it: `exact` (a price list snapshot), `derived` (a rule over exact data), `list` (a published flat price). */
  readonly trust: 'exact' | 'derived' | 'list';
}

export const PRICE_SOURCES: readonly PriceSource[] = [
  {
    covers: 'EC2 on-demand prices in us-east-1 (all 18 instance types)',
    source: 'aws/karpenter-provider-aws pkg/providers/pricing/zz_generated.pricing_aws.go, generated from the AWS Price List API',
    date: '2026-02-09',
    trust: 'exact',
  },
  {
    covers: 'EC2 on-demand prices of t3, t3a, m6i, c6i, r6i in the other regions',
    source:
      'vantage-sh/ec2instances.info per-instance pages (www/<type>.html, commit 136b6119), built from the AWS Price List API; the largest size of each family is read and divided down (prices are linear in size)',
    // The pages carry no date: their region list (Jakarta, no UAE) and Bootstrap 5.2.0-beta1 put them in May-August 2022.
    date: '2022 (mid-year; unchanged where re-checked against 2025-2026 data: us-east-1, ap-northeast-2, ap-southeast-1)',
    trust: 'exact',
  },
  {
    covers: 'm7i and c7i outside us-east-1',
    source: 'rule: 1.05 x m6i / c6i of the region, the ratio in us-east-1 (2026-02-09) and ap-northeast-2 (AWS Price List Bulk API, 2026-06-29)',
    date: '2026-02-09',
    trust: 'derived',
  },
  {
    covers: 't4g.nano (the NAT instance) in us-east-1, us-east-2 and us-west-2; other regions by the rule below',
    source: '$0.0042/h, consistent across third-party price tables (e.g. the fck-nat README); not read from AWS in this pass',
    date: '2025-2026',
    trust: 'list',
  },
  {
    covers: 'AWS Client VPN in us-east-1, us-east-2 and us-west-2 (subnet association-hour, connection-hour); other regions by the rule below',
    source: '$0.10 and $0.05, AWS Client VPN pricing as quoted by secondary sources (Tokyo $0.15 per association-hour in the same tables); not read from AWS in this pass',
    date: '2025-2026',
    trust: 'list',
  },
  {
    covers: 'EKS control plane (standard support)',
    source: 'AWS Containers blog "Amazon EKS extended support for Kubernetes versions pricing": $0.10 per cluster-hour, the same in every commercial region',
    date: '2024-04-01 (unchanged in 2026 pricing guides)',
    trust: 'list',
  },
  {
    covers: 'KMS key-month, ECR storage, Secrets Manager secret-month, public IPv4 address-hour, Route 53 hosted zone-month',
    source: 'AWS pricing pages: flat prices, the same in every commercial region ($1, $0.10/GB, $0.40, $0.005/h, $0.50 for each of the first 25 zones); known values, not re-read in this pass',
    date: '2026 (not re-checked per region)',
    trust: 'list',
  },
  {
    covers: 'NAT gateway, EBS gp3, NLB, S3 Standard, CloudWatch Logs, VPC interface endpoints in us-east-1, us-east-2, us-west-2',
    source:
      'AWS us-east-1 list prices; NAT $0.045/h and /GB, gp3 $0.08, S3 $0.023 and NLB $0.0225/h seen in 2025-2026 secondary sources (an AWS Pricing API extract of 2025-10, pricing guides, cost tools); NLCU $0.006, CloudWatch Logs $0.50/GB, $0.03/GB-month and PrivateLink interface endpoints $0.01 per zone-hour known values, not re-read. The three US regions are priced alike',
    date: '2025-2026',
    trust: 'list',
  },
  {
    covers: 'NAT gateway, EBS gp3, NLB, S3 Standard, CloudWatch Logs, VPC interface endpoints, t4g.nano, Client VPN in the other regions',
    source:
      'rule: us-east-1 price x the region\'s compute factor (its m6i.large price / us-east-1\'s); no per-region source was found. Exceptions from sources: ap-southeast-1 NAT $0.059/h and /GB (an AWS invoice, May 2025) and gp3 $0.096 (an APS1 price list excerpt); ap-northeast-2 gp3 $0.0912 (AWS Price List Bulk API, 2026-06-29). Where checked, the rule is within 8%',
    date: 'rule over the 2025-2026 us-east-1 prices',
    trust: 'derived',
  },
];

/** Prices of everything but instances, per region. */
export interface ServicePrices {
  /** EKS control plane, standard support, per cluster-hour. */
  readonly eksClusterHour: number;
  readonly natGatewayHour: number;
  /** Per GB processed by a NAT gateway (either direction). */
  readonly natGatewayGb: number;
  readonly ebsGp3GbMonth: number;
  readonly nlbHour: number;
  /** Per Network Load Balancer Capacity Unit-hour. */
  readonly nlbNlcuHour: number;
  /** S3 Standard, first 50 TB tier. */
  readonly s3StandardGbMonth: number;
  /** Customer-managed KMS key (requests not included). */
  readonly kmsKeyMonth: number;
  readonly cloudWatchLogsIngestGb: number;
  readonly cloudWatchLogsStoreGbMonth: number;
  readonly ecrGbMonth: number;
  readonly secretsManagerSecretMonth: number;
  /** An in-use public IPv4 address (NAT gateway EIPs, internet-facing load balancer nodes). */
  readonly publicIpv4Hour: number;
  /** A VPC interface endpoint in one availability zone, per hour (AWS PrivateLink). */
  readonly interfaceEndpointHour: number;
  /** A Route 53 hosted zone a month (the first 25 of an account; global, one price everywhere). */
  readonly route53ZoneMonth: number;
  /** The NAT instance (`natGateways: instance`): a t4g.nano, on-demand, per hour. */
  readonly natInstanceHour: number;
  /** AWS Client VPN: a subnet associated with an endpoint, per hour. */
  readonly clientVpnAssociationHour: number;
  /** AWS Client VPN: one client connected, per hour. */
  readonly clientVpnConnectionHour: number;
}

// ---------------------------------------------------------------------------------------------------------
// EC2

/** Instance families of INSTANCE_TYPES, e.g. `m7i`: derived from the list, so a new family must get prices. */
type Family = InstanceType extends `${infer F}.${string}` ? F : never;
/** Families with a price from a source; the others are derived from them (see SEVENTH_GEN). */
type SourcedFamily = Exclude<Family, 'm7i' | 'c7i'>;

/** Sizes of INSTANCE_TYPES, e.g. `2xlarge`. */
type Size = InstanceType extends `${string}.${infer S}` ? S : never;
/** Price of a size relative to `.large`: on-demand prices of these families are linear in size. */
const SIZE_FACTOR: Record<Size, number> = { medium: 0.5, large: 1, xlarge: 2, '2xlarge': 4 };

/**
 * m7i and c7i cost 5% more than m6i and c6i: us-east-1 0.1008 / 0.096 and 0.08925 / 0.085 (2026-02-09);
 * ap-northeast-2 0.1239 / 0.118 and 0.1008 / 0.096 (AWS Price List Bulk API, 2026-06-29).
 */
const SEVENTH_GEN = { m7i: { from: 'm6i', factor: 1.05 }, c7i: { from: 'c6i', factor: 1.05 } } as const satisfies Record<
  Exclude<Family, SourcedFamily>,
  { from: SourcedFamily; factor: number }
>;

/** Rounds to the precision AWS lists prices with; toPrecision drops float noise (0.422 / 8 * 1e4 = 527.4999…). */
const round = (price: number, decimals: number) => Math.round(Number((price * 10 ** decimals).toPrecision(12))) / 10 ** decimals;

/** t3/t3a `.large` from the `.2xlarge` price: AWS lists burstable prices to 4 decimals at `.medium` (e.g. 0.0416). */
const burstable = (price2xlarge: number) => 2 * round(price2xlarge / 8, 4);

/** The regions the table has prices for: the others of REGIONS (aws.ts) get no estimate until their prices are added. */
export const PRICED_REGIONS = [
  'us-east-1',
  'us-east-2',
  'us-west-2',
  'ca-central-1',
  'sa-east-1',
  'eu-west-1',
  'eu-west-2',
  'eu-west-3',
  'eu-central-1',
  'eu-north-1',
  'eu-south-1',
  'ap-south-1',
  'ap-northeast-1',
  'ap-northeast-2',
  'ap-southeast-1',
  'ap-southeast-2',
] as const satisfies readonly Region[];
export type PricedRegion = (typeof PRICED_REGIONS)[number];
export const isPricedRegion = (region: Region): region is PricedRegion => (PRICED_REGIONS as readonly Region[]).includes(region);

/** Regions AWS prices alike: the 2022 snapshot has us-east-1's price in all three for all five families. */
const US_PRICED_ALIKE = ['us-east-1', 'us-east-2', 'us-west-2'] as const satisfies readonly PricedRegion[];
type UsRegion = (typeof US_PRICED_ALIKE)[number];
const isUsRegion = (region: PricedRegion): region is UsRegion => (US_PRICED_ALIKE as readonly PricedRegion[]).includes(region);

/** us-east-1, exact (karpenter, 2026-02-09): the `.large` price of each family. */
const US_LARGE: Record<Family, number> = { t3: 0.0832, t3a: 0.0752, m6i: 0.096, m7i: 0.1008, c6i: 0.085, c7i: 0.08925, r6i: 0.126 };

/*
 * The `.large` price of each family in the other regions: the 2022 ec2instances.info price of the family's largest
 * size, divided down, so that its 3-decimal rounding shrinks: t3/t3a `.2xlarge` / 8 rounded to 4 decimals gives
 * `.medium` (see burstable); m6i/c6i/r6i `.32xlarge` / 64 rounded to 5 decimals gives `.large` (within
 * $0.000008/h). Gaps in that snapshot, filled by a rule:
 * - eu-central-1 c6i, r6i and eu-north-1, eu-south-1 m6i, c6i, r6i were not listed yet: the region's 5th-generation
 *   price (`.24xlarge` / 48 of m5, c5, r5) is used; 6th-generation Intel sizes cost the same as 5th in 12 of 13 checks
 *   (eu-west-1 c6i is 5% cheaper than c5).
 * - eu-north-1 t3a was not listed: 0.9 x the region's t3, the t3a/t3 ratio of every listed region but ap-south-1.
 */
const LARGE: Record<Exclude<PricedRegion, UsRegion>, Record<SourcedFamily, number>> = {
  'ca-central-1': { t3: burstable(0.371), t3a: burstable(0.334), m6i: 6.848 / 64, c6i: 5.952 / 64, r6i: 8.832 / 64 },
  'sa-east-1': { t3: burstable(0.538), t3a: burstable(0.484), m6i: 9.792 / 64, c6i: 8.384 / 64, r6i: 12.864 / 64 },
  'eu-west-1': { t3: burstable(0.365), t3a: burstable(0.326), m6i: 6.848 / 64, c6i: 5.837 / 64, r6i: 9.024 / 64 },
  'eu-west-2': { t3: burstable(0.378), t3a: burstable(0.34), m6i: 7.104 / 64, c6i: 6.464 / 64, r6i: 9.472 / 64 },
  'eu-west-3': { t3: burstable(0.378), t3a: burstable(0.34), m6i: 7.168 / 64, c6i: 6.464 / 64, r6i: 9.472 / 64 },
  'eu-central-1': { t3: burstable(0.384), t3a: burstable(0.346), m6i: 7.36 / 64, c6i: 4.656 / 48, r6i: 7.296 / 48 },
  'eu-north-1': { t3: burstable(0.346), t3a: burstable(0.9 * 0.346), m6i: 4.896 / 48, c6i: 4.368 / 48, r6i: 6.432 / 48 },
  'eu-south-1': { t3: burstable(0.383), t3a: burstable(0.345), m6i: 5.376 / 48, c6i: 4.848 / 48, r6i: 7.104 / 48 },
  'ap-south-1': { t3: burstable(0.358), t3a: burstable(0.197), m6i: 6.464 / 64, c6i: 5.44 / 64, r6i: 8.32 / 64 },
  'ap-northeast-1': { t3: burstable(0.435), t3a: burstable(0.392), m6i: 7.936 / 64, c6i: 6.848 / 64, r6i: 9.728 / 64 },
  'ap-northeast-2': { t3: burstable(0.416), t3a: burstable(0.374), m6i: 7.552 / 64, c6i: 6.144 / 64, r6i: 9.728 / 64 },
  'ap-southeast-1': { t3: burstable(0.422), t3a: burstable(0.378), m6i: 7.68 / 64, c6i: 6.272 / 64, r6i: 9.728 / 64 },
  'ap-southeast-2': { t3: burstable(0.422), t3a: burstable(0.38), m6i: 7.68 / 64, c6i: 7.104 / 64, r6i: 9.664 / 64 },
};

function largePrice(region: PricedRegion, family: Family): number {
  if (isUsRegion(region)) return US_LARGE[family];
  if (family === 'm7i' || family === 'c7i') return round(LARGE[region][SEVENTH_GEN[family].from] * SEVENTH_GEN[family].factor, 5);
  return round(LARGE[region][family], 5);
}

/** The region's on-demand price level relative to us-east-1, measured on m6i.large. */
function computeFactor(region: PricedRegion): number {
  return largePrice(region, 'm6i') / US_LARGE.m6i;
}

function instancePrice(region: PricedRegion, type: InstanceType): number {
  const [family, size] = type.split('.') as [Family, Size];
  return largePrice(region, family) * SIZE_FACTOR[size];
}

/** On-demand Linux USD per instance-hour, per region and instance type the schema allows. */
export const EC2_HOURLY: Record<PricedRegion, Record<InstanceType, number>> = Object.fromEntries(
  PRICED_REGIONS.map((region) => [region, Object.fromEntries(INSTANCE_TYPES.map((type) => [type, instancePrice(region, type)]))]),
) as Record<PricedRegion, Record<InstanceType, number>>;

// ---------------------------------------------------------------------------------------------------------
// Everything else

/** us-east-1 list prices; AWS charges the same in us-east-2 and us-west-2. EKS, KMS, ECR, Secrets Manager, public IPv4 and Route 53 are flat. */
const US_EAST_1_SERVICES: ServicePrices = {
  eksClusterHour: 0.1,
  natGatewayHour: 0.045,
  natGatewayGb: 0.045,
  ebsGp3GbMonth: 0.08,
  nlbHour: 0.0225,
  nlbNlcuHour: 0.006,
  s3StandardGbMonth: 0.023,
  kmsKeyMonth: 1,
  cloudWatchLogsIngestGb: 0.5,
  cloudWatchLogsStoreGbMonth: 0.03,
  ecrGbMonth: 0.1,
  secretsManagerSecretMonth: 0.4,
  publicIpv4Hour: 0.005,
  interfaceEndpointHour: 0.01,
  route53ZoneMonth: 0.5,
  natInstanceHour: 0.0042,
  clientVpnAssociationHour: 0.1,
  clientVpnConnectionHour: 0.05,
};

/**
 * The region's prices where no source was found: us-east-1's, scaled by the region's compute factor (its m6i.large
 * price over us-east-1's), rounded to 4 decimals. EKS, KMS, ECR, Secrets Manager, public IPv4 and Route 53 have one price everywhere and are kept.
 * Checked against the sourced exceptions below, the rule is within 8% (ap-southeast-1 NAT: rule 0.0563, source 0.059;
 * gp3: 0.100 vs 0.096; ap-northeast-2 gp3: 0.0983 vs 0.0912).
 */
function scaledFromUsEast1(region: PricedRegion, sourced: Partial<ServicePrices> = {}): ServicePrices {
  const us = US_EAST_1_SERVICES;
  const scaled = (price: number) => round(price * computeFactor(region), 4);
  return {
    ...us,
    natGatewayHour: scaled(us.natGatewayHour),
    natGatewayGb: scaled(us.natGatewayGb),
    ebsGp3GbMonth: scaled(us.ebsGp3GbMonth),
    nlbHour: scaled(us.nlbHour),
    nlbNlcuHour: scaled(us.nlbNlcuHour),
    s3StandardGbMonth: scaled(us.s3StandardGbMonth),
    cloudWatchLogsIngestGb: scaled(us.cloudWatchLogsIngestGb),
    cloudWatchLogsStoreGbMonth: scaled(us.cloudWatchLogsStoreGbMonth),
    interfaceEndpointHour: scaled(us.interfaceEndpointHour),
    natInstanceHour: scaled(us.natInstanceHour),
    clientVpnAssociationHour: scaled(us.clientVpnAssociationHour),
    clientVpnConnectionHour: scaled(us.clientVpnConnectionHour),
    ...sourced,
  };
}

/** Per-region prices of everything but instances (see PRICE_SOURCES for how far each one can be trusted). */
export const SERVICE_PRICES: Record<PricedRegion, ServicePrices> = {
  'us-east-1': US_EAST_1_SERVICES,
  'us-east-2': US_EAST_1_SERVICES,
  'us-west-2': US_EAST_1_SERVICES,
  'ca-central-1': scaledFromUsEast1('ca-central-1'),
  'sa-east-1': scaledFromUsEast1('sa-east-1'),
  'eu-west-1': scaledFromUsEast1('eu-west-1'),
  'eu-west-2': scaledFromUsEast1('eu-west-2'),
  'eu-west-3': scaledFromUsEast1('eu-west-3'),
  'eu-central-1': scaledFromUsEast1('eu-central-1'),
  'eu-north-1': scaledFromUsEast1('eu-north-1'),
  'eu-south-1': scaledFromUsEast1('eu-south-1'),
  'ap-south-1': scaledFromUsEast1('ap-south-1'),
  'ap-northeast-1': scaledFromUsEast1('ap-northeast-1'),
  // AWS Price List Bulk API, APN2-EBS:VolumeUsage.gp3 (ahnjonggyu/aws-estimator public/prices.json, 2026-06-29).
  'ap-northeast-2': scaledFromUsEast1('ap-northeast-2', { ebsGp3GbMonth: 0.0912 }),
  // An AWS invoice for May 2025 ("$0.059 per NAT Gateway Hour", "$0.059 per GB Data Processed"); gp3 from
  // an APS1-EBS:VolumeUsage.gp3 price list excerpt.
  'ap-southeast-1': scaledFromUsEast1('ap-southeast-1', { natGatewayHour: 0.059, natGatewayGb: 0.059, ebsGp3GbMonth: 0.096 }),
  'ap-southeast-2': scaledFromUsEast1('ap-southeast-2'),
};
