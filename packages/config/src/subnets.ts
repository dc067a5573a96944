import { formatCidr, parseCidr, subnet } from './cidr';
import type { Environment } from './schema';

/**
 * Seconds over which the VPC's flow logs aggregate records: one minute in production (for investigations), ten
 * minutes elsewhere (fewer records for the same traffic). The network stack sets it; the cost estimate counts it.
 */
export function flowLogAggregationSeconds(environment: Pick<Environment, 'tier'>): 60 | 600 {
  return environment.tier === 'production' ? 60 : 600;
}

/** AWS services an environment reaches through interface endpoints when it answers `interfaceEndpoints`. */
export const INTERFACE_ENDPOINT_SERVICES = ['ecr.api', 'ecr.dkr', 'sts'] as const;

/** The subnets of one availability zone. */
export interface ZoneSubnets {
  /** The zone's ID, e.g. euw1-az1. */
  zoneId: string;
  /** Load balancers and NAT gateways. */
  public: string;
  /** Nodes and pods (the VPC CNI gives every pod a VPC address): the largest tier. */
  private: string;
  /** The EKS control plane's network interfaces: no route to the internet. */
  intra: string;
}

/**
 * The subnet plan of an environment's VPC, computed from its CIDR (no network data sources, stable across runs).
 * The VPC splits into eight blocks: blocks 0-5 are one private subnet per zone (up to six zones), block 6 holds
 * the public subnets and block 7 the intra subnets, each an eighth of its block. A /16 gives /19 private and
 * /22 public and intra subnets; a /20 gives /23 and /26.
 */
export function subnetPlan(environment: Pick<Environment, 'vpcCidr' | 'zoneIds'>): ZoneSubnets[] {
  const vpc = parseCidr(environment.vpcCidr);
  if (!vpc || vpc.hostBitsSet) throw new Error(`not a network CIDR: ${environment.vpcCidr}`);
  const block = (index: number) => subnet(vpc, vpc.prefix + 3, index);
  return environment.zoneIds.map((zoneId, i) => ({
    zoneId,
    public: formatCidr(subnet(block(6), vpc.prefix + 6, i)),
    private: formatCidr(block(i)),
    intra: formatCidr(subnet(block(7), vpc.prefix + 6, i)),
  }));
}
