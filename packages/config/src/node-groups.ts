import type { Environment } from './schema';

/** The managed node group of one availability zone. */
export interface ZoneNodeGroup {
  readonly zoneId: string;
  readonly minSize: number;
  readonly desiredSize: number;
  readonly maxSize: number;
}

/** `total` spread over `parts` as evenly as whole numbers allow, the first parts taking the remainder. */
function spread(total: number, parts: number): number[] {
  return Array.from({ length: parts }, (_, i) => Math.floor(total / parts) + (i < total % parts ? 1 : 0));
}

/**
 * One managed node group per availability zone, with the answers' node counts (cluster totals) spread over them.
 * EBS volumes are zonal: a pod whose volume sits in a zone can only run there, and a node group spanning every zone
 * may have no node left in that zone after a spot reclaim or a scale-down. With a group per zone, the cluster
 * autoscaler (balance-similar-node-groups) can always add a node in the zone a pending pod needs. Each group may grow
 * to at least one node, so the sum of the groups' maximums can exceed `maxSize` by up to one node per zone.
 */
export function zoneNodeGroups(environment: Pick<Environment, 'zoneIds' | 'nodes'>): ZoneNodeGroup[] {
  const { zoneIds, nodes } = environment;
  const n = zoneIds.length;
  const min = spread(nodes.minSize, n);
  const desired = spread(nodes.desiredSize, n);
  const max = spread(nodes.maxSize, n);
  return zoneIds.map((zoneId, i) => ({ zoneId, minSize: min[i], desiredSize: desired[i], maxSize: Math.max(1, max[i]) }));
}
