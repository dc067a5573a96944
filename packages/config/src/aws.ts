/**
 * AWS facts the schema needs without calling AWS: the regions a platform may use and their availability
 * zones, named explicitly (network data sources hang an offline plan and make plans non-deterministic).
 * Only zones that exist for every account and support EKS control planes are listed.
 */
export const REGIONS = {
  'us-east-1': ['a', 'b', 'c', 'd', 'f'],
  'us-east-2': ['a', 'b', 'c'],
  'us-west-2': ['a', 'b', 'c', 'd'],
  'ca-central-1': ['a', 'b', 'd'],
  'sa-east-1': ['a', 'b', 'c'],
  'eu-west-1': ['a', 'b', 'c'],
  'eu-west-2': ['a', 'b', 'c'],
  'eu-west-3': ['a', 'b', 'c'],
  'eu-central-1': ['a', 'b', 'c'],
  'eu-north-1': ['a', 'b', 'c'],
  'eu-south-1': ['a', 'b', 'c'],
  'ap-south-1': ['a', 'b', 'c'],
  'ap-northeast-1': ['a', 'c', 'd'],
  'ap-northeast-2': ['a', 'b', 'c', 'd'],
  'ap-southeast-1': ['a', 'b', 'c'],
  'ap-southeast-2': ['a', 'b', 'c'],
} as const satisfies Record<string, readonly string[]>;
export type Region = keyof typeof REGIONS;
export const REGION_NAMES = Object.keys(REGIONS) as Region[];

/** Availability zone names of a region, e.g. eu-west-1a. */
export function availabilityZones(region: Region): string[] {
  return REGIONS[region].map((suffix) => `${region}${suffix}`);
}

/** Node instance types a platform may use (x86_64, AL2023): each has a price in the cost table. */
export const INSTANCE_TYPES = [
  't3.medium',
  't3.large',
  't3.xlarge',
  't3a.medium',
  't3a.large',
  't3a.xlarge',
  'm6i.large',
  'm6i.xlarge',
  'm6i.2xlarge',
  'm7i.large',
  'm7i.xlarge',
  'm7i.2xlarge',
  'c6i.large',
  'c6i.xlarge',
  'c7i.large',
  'c7i.xlarge',
  'r6i.large',
  'r6i.xlarge',
] as const;
export type InstanceType = (typeof INSTANCE_TYPES)[number];
