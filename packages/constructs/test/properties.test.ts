import { availabilityZoneIds, catalogue, INSTANCE_TYPES, REGION_NAMES, resolvePlatform, stackNames, type AnswersInput } from '@platform-kit/config';
import { afterAll, describe, expect, it } from 'vitest';
import { evaluate } from '../src';
import { asStack, removeOutdirs, resources, synth } from './support';

/*
 * Generated answer sets (seeded, so a failure reproduces): whatever valid answers a user gives, the platform
 * synthesizes exactly the stacks of stackNames(), breaks no security rule, and follows the answers.
 */

afterAll(removeOutdirs);

/** A small deterministic generator (LCG), so that no dependency is needed and every run sees the same cases. */
function random(seed: number) {
  let state = seed >>> 0;
  const next = () => (state = (Math.imul(state, 1664525) + 1013904223) >>> 0) / 2 ** 32;
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
  const pick = <T>(items: readonly T[]): T => items[int(0, items.length - 1)];
  const some = <T>(items: readonly T[], min: number, max: number): T[] => {
    const pool = [...items];
    return Array.from({ length: Math.min(int(min, max), pool.length) }, () => pool.splice(int(0, pool.length - 1), 1)[0]);
  };
  return { int, pick, some, bool: () => next() < 0.5 };
}

function answers(seed: number): AnswersInput {
  const r = random(seed);
  const region = r.pick(REGION_NAMES);
  const zones = availabilityZoneIds(region).length;
  const accountId = String(r.int(100000000000, 999999999999));
  const names = r.some(['dev', 'test', 'qa', 'staging', 'uat', 'prod', 'live', 'perf'], 1, 4);
  const octets = r.some([10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 110, 120], names.length, names.length);
  const environments = names.map((name, i) => {
    const minSize = r.int(0, 3);
    const desiredSize = r.int(minSize, minSize + 2);
    return {
      name,
      vpcCidr: `10.${octets[i]}.0.0/${r.pick([16, 17, 18, 19, 20])}`,
      availabilityZones: r.int(2, zones),
      natGateways: r.pick(['single', 'per-az'] as const),
      clusterPublicAccessCidrs: r.bool() ? [] : [`203.0.113.${r.pick([0, 64, 128])}/26`],
      nodes: {
        instanceTypes: r.some(INSTANCE_TYPES, 1, 3),
        capacityType: r.pick(['spot', 'on-demand'] as const),
        minSize,
        desiredSize,
        maxSize: r.int(Math.max(desiredSize, 1), desiredSize + 10),
        diskSizeGiB: r.pick([20, 50, 100, 200]),
      },
    };
  });
  return {
    name: `p${seed}-platform`,
    aws: { region, accountId, adminRoleArns: r.bool() ? [] : [`arn:aws:iam::${accountId}:role/Admin`] },
    environments,
    services: r.some(['api', 'worker', 'web', 'billing', 'search', 'auth', 'orders'], 0, 7),
    github: { owner: 'acme', oidcProvider: r.pick(['create', 'existing'] as const) },
    kubernetesVersion: r.pick(catalogue.kubernetes.supported),
    owner: r.bool() ? 'team-a' : undefined,
  };
}

const SEEDS = Array.from({ length: 12 }, (_, i) => 1000 + i * 7919);

describe.each(SEEDS)('generated answers (seed %i)', (seed) => {
  const input = answers(seed);
  const { platform, stacks } = synth(input);

  it('synthesizes exactly the stacks of stackNames()', () => {
    expect(Object.keys(stacks).sort()).toEqual(stackNames(resolvePlatform(input)).sort());
  });

  it('breaks none of the security rules', () => {
    expect(evaluate(Object.entries(stacks).map(([name, json]) => asStack(name, json)))).toEqual([]);
  });

  it('follows the answers: zones, NAT gateways, node sizing, Kubernetes version', () => {
    for (const env of platform.environments) {
      const network = stacks[`${env.name}-network`];
      const cluster = stacks[`${env.name}-cluster`];
      expect(resources(network, 'aws_subnet')).toHaveLength(3 * env.zoneIds.length);
      expect(resources(network, 'aws_nat_gateway')).toHaveLength(env.natGateways === 'per-az' ? env.zoneIds.length : 1);
      // One node group per zone; together they hold the answered counts (each may grow to one node at least).
      const groups = resources(cluster, 'aws_eks_node_group').map(([, g]) => g);
      expect(groups).toHaveLength(env.zoneIds.length);
      const total = (key: string) => groups.reduce((n, g) => n + g.scaling_config[key], 0);
      expect([total('min_size'), total('desired_size')]).toEqual([env.nodes.minSize, env.nodes.desiredSize]);
      expect(total('max_size')).toBe(groups.reduce((n, _g, i) => n + Math.max(1, Math.floor(env.nodes.maxSize / groups.length) + (i < env.nodes.maxSize % groups.length ? 1 : 0)), 0));
      for (const group of groups) {
        expect(group.subnet_ids).toHaveLength(1);
        expect(group.instance_types).toEqual(env.nodes.instanceTypes);
      }
      const [[, eks]] = resources(cluster, 'aws_eks_cluster');
      expect(eks.version).toBe(platform.kubernetesVersion);
      expect(eks.vpc_config.endpoint_public_access).toBe(env.clusterPublicAccessCidrs.length > 0);
    }
  });
});
