/**
 * AWS facts the schema needs without calling AWS: the regions a platform may use and their availability zones,
 * by zone ID. A zone *name* (eu-west-1a) maps to a different physical zone in each account; a zone *ID*
 * (euw1-az1) is the same zone everywhere, so subnets are placed by ID (network data sources would hang an
 * offline plan and make plans differ per account). Listed: the zone IDs every account has, minus those where EKS
 * cannot place a control plane (use1-az3, cac1-az3: the EKS user guide's subnet requirements; eksctl avoids the
 * same ones). Zones only older accounts have (apne1-az3, retired) are left out.
 */
export const REGIONS = {
  'us-east-1': ['use1-az1', 'use1-az2', 'use1-az4', 'use1-az5', 'use1-az6'],
  'us-east-2': ['use2-az1', 'use2-az2', 'use2-az3'],
  'us-west-2': ['usw2-az1', 'usw2-az2', 'usw2-az3', 'usw2-az4'],
  'ca-central-1': ['cac1-az1', 'cac1-az2', 'cac1-az4'],
  'sa-east-1': ['sae1-az1', 'sae1-az2', 'sae1-az3'],
  'eu-west-1': ['euw1-az1', 'euw1-az2', 'euw1-az3'],
  'eu-west-2': ['euw2-az1', 'euw2-az2', 'euw2-az3'],
  'eu-west-3': ['euw3-az1', 'euw3-az2', 'euw3-az3'],
  'eu-central-1': ['euc1-az1', 'euc1-az2', 'euc1-az3'],
  'eu-north-1': ['eun1-az1', 'eun1-az2', 'eun1-az3'],
  'eu-south-1': ['eus1-az1', 'eus1-az2', 'eus1-az3'],
  'ap-south-1': ['aps1-az1', 'aps1-az2', 'aps1-az3'],
  'ap-northeast-1': ['apne1-az1', 'apne1-az2', 'apne1-az4'],
  'ap-northeast-2': ['apne2-az1', 'apne2-az2', 'apne2-az3', 'apne2-az4'],
  'ap-southeast-1': ['apse1-az1', 'apse1-az2', 'apse1-az3'],
  'ap-southeast-2': ['apse2-az1', 'apse2-az2', 'apse2-az3'],
} as const satisfies Record<string, readonly string[]>;
export type Region = keyof typeof REGIONS;
export const REGION_NAMES = Object.keys(REGIONS) as Region[];

/** Zone IDs EKS refuses for control-plane subnets (UnsupportedAvailabilityZoneException): never listed above. */
export const EKS_UNSUPPORTED_ZONE_IDS = ['use1-az3', 'usw1-az2', 'cac1-az3'] as const;

/** The usable availability zone IDs of a region, e.g. euw1-az1, in the order environments take them. */
export function availabilityZoneIds(region: Region): string[] {
  return [...REGIONS[region]];
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
