/**
 * AWS facts the schema needs without calling AWS: the regions a platform may use (every commercial region where
 * EKS runs) and their availability zones,
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
  // The other commercial regions where EKS runs (AWS's EKS endpoints list), zone IDs from AWS's "AWS Availability
  // Zones" table, checked against a second AWS table (2026-12-04). All but us-west-1 and ap-northeast-3 are opt-in
  // regions: enable them in the account first. us-west-1: newer accounts get two zones, these (usw1-az2 is not usable
  // by EKS); an older account may lack one, and then the region cannot hold a cluster.
  'us-west-1': ['usw1-az1', 'usw1-az3'],
  'ca-west-1': ['caw1-az1', 'caw1-az2', 'caw1-az3'],
  'mx-central-1': ['mxc1-az1', 'mxc1-az2', 'mxc1-az3'],
  'af-south-1': ['afs1-az1', 'afs1-az2', 'afs1-az3'],
  'ap-east-1': ['ape1-az1', 'ape1-az2', 'ape1-az3'],
  'ap-east-2': ['ape2-az1', 'ape2-az2', 'ape2-az3'],
  'ap-northeast-3': ['apne3-az1', 'apne3-az2', 'apne3-az3'],
  'ap-south-2': ['aps2-az1', 'aps2-az2', 'aps2-az3'],
  'ap-southeast-3': ['apse3-az1', 'apse3-az2', 'apse3-az3'],
  'ap-southeast-4': ['apse4-az1', 'apse4-az2', 'apse4-az3'],
  'ap-southeast-5': ['apse5-az1', 'apse5-az2', 'apse5-az3'],
  'ap-southeast-6': ['apse6-az1', 'apse6-az2', 'apse6-az3'],
  'ap-southeast-7': ['apse7-az1', 'apse7-az2', 'apse7-az3'],
  'eu-central-2': ['euc2-az1', 'euc2-az2', 'euc2-az3'],
  'eu-south-2': ['eus2-az1', 'eus2-az2', 'eus2-az3'],
  'il-central-1': ['ilc1-az1', 'ilc1-az2', 'ilc1-az3'],
  'me-central-1': ['mec1-az1', 'mec1-az2', 'mec1-az3'],
  'me-south-1': ['mes1-az1', 'mes1-az2', 'mes1-az3'],
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
