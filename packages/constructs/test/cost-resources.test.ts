import { environmentResources, environmentStackName, loadBalancerZones, persistentVolumes, sharedResources, type AnswersInput, type Environment } from '@platform-kit/config';
import { helmValuesFiles } from '@platform-kit/projen';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { removeOutdirs, resources, synth, type Json } from './support';

/*
 * The cost estimate counts resources from the answers (environmentResources, sharedResources in @platform-kit/config).
 * These tests synthesize the real stacks and count the resources there, so that a construct that gains or loses a
 * key, bucket, NAT gateway or secret fails here until the estimate counts it too.
 */

afterAll(removeOutdirs);

const count = (stack: Json | undefined, type: string) => (stack ? resources(stack, type).length : 0);

/** A smaller platform in another region: two environments, per-az NAT in production, some supporting services. */
const CUSTOM_ANSWERS: AnswersInput = {
  name: 'globex',
  aws: { region: 'eu-central-1', accountId: '210987654321' },
  environments: [
    { name: 'test', availabilityZones: 2, natGateways: 'per-az' },
    { name: 'live', tier: 'production', availabilityZones: 3 },
    { name: 'sandbox', profile: 'lean' },
  ],
  services: ['api', 'billing', 'search'],
  supportingServices: ['nginx', 'cert-manager', 'postgresql', 'kratos', 'loki'],
  domain: 'globex.example.com',
  dns: { zone: 'create' },
};

describe.each([
  ['the default answers', {}],
  ['a custom answer set', CUSTOM_ANSWERS],
] as [string, AnswersInput][])('the estimate counts what the stacks create, for %s', (_, answers) => {
  const { platform, stacks } = synth(answers);
  const stack = (environment: Environment, kind: Parameters<typeof environmentStackName>[1]) => stacks[environmentStackName(environment, kind)];

  it.each(platform.environments.map((e) => [e.name, e] as const))('environment %s', (_name, environment) => {
    const counted = environmentResources(platform, environment);
    const [network, cluster, servicesAws] = [stack(environment, 'network'), stack(environment, 'cluster'), stack(environment, 'services-aws')];
    expect(network && cluster && servicesAws, 'the environment stacks exist').toBeTruthy();
    expect(count(cluster, 'aws_eks_cluster')).toBe(counted.eksClusters);
    expect(count(network, 'aws_nat_gateway')).toBe(counted.natGateways);
    // One Elastic IP per NAT gateway: the addresses the estimate charges public IPv4 for, besides the NLB's.
    expect(count(network, 'aws_eip')).toBe(counted.publicIpv4Addresses - counted.networkLoadBalancers * loadBalancerZones(environment));
    expect(count(network, 'aws_instance')).toBe(counted.natInstances);
    expect(count(network, 'aws_kms_key') + count(cluster, 'aws_kms_key') + count(servicesAws, 'aws_kms_key')).toBe(counted.kmsKeys);
    expect(count(network, 'aws_s3_bucket') + count(cluster, 'aws_s3_bucket') + count(servicesAws, 'aws_s3_bucket')).toBe(counted.s3Buckets);
    expect(count(servicesAws, 'aws_secretsmanager_secret')).toBe(counted.secrets);
    // No stack creates a load balancer: the estimate's NLB comes from NGINX Gateway Fabric's Service.
    for (const kind of ['network', 'cluster', 'services-aws'] as const) expect(count(stack(environment, kind), 'aws_lb')).toBe(0);
    const nodeGroups = resources(cluster, 'aws_eks_node_group').map(([, g]) => g);
    expect(nodeGroups.reduce((n, g) => n + g.scaling_config.desired_size, 0)).toBe(counted.nodes);
    for (const group of nodeGroups) expect(group.instance_types[0]).toBe(counted.instanceType);
    expect(count(network, 'aws_vpc_endpoint')).toBe(1 + (counted.interfaceEndpointZones > 0 ? 3 : 0));
    // The environment's zone is in `shared`, named after it.
    expect(resources(stacks.shared, 'aws_route53_zone').filter(([, z]) => z.name === `${environment.name}.${platform.domain}`).length).toBe(counted.hostedZones);
  });

  it('the account-level stacks', () => {
    const counted = sharedResources(platform);
    expect(count(stacks.bootstrap, 'aws_kms_key') + count(stacks.shared, 'aws_kms_key')).toBe(counted.kmsKeys);
    expect(count(stacks.bootstrap, 'aws_s3_bucket') + count(stacks.shared, 'aws_s3_bucket')).toBe(counted.s3Buckets);
    expect(count(stacks.shared, 'aws_ecr_repository')).toBe(counted.ecrRepositories);
    expect(resources(stacks.shared, 'aws_route53_zone').filter(([, z]) => z.name === platform.domain).length).toBe(counted.hostedZones);
    expect(count(stacks.shared, 'aws_nat_gateway') + count(stacks.bootstrap, 'aws_nat_gateway')).toBe(0);
  });

  it('persistent volumes match the rendered Helm values', () => {
    const values = new Map(helmValuesFiles(platform).map((f) => [`${f.environment}/${f.release}`, parse(f.contents) as Json]));
    for (const environment of platform.environments) {
      const release = (name: string) => values.get(`${environment.name}/${name}`);
      const gib = (size: string) => Number(/^(\d+)Gi$/.exec(size)?.[1] ?? NaN);
      // What the charts will request, read from the values the platform repo gets (replicas × size per release).
      const requested: Record<string, number> = {};
      const postgres = release('postgresql');
      if (postgres) requested.PostgreSQL = postgres.cluster.instances * gib(postgres.cluster.storage.size);
      const redis = release('redis');
      if (redis)
        requested.Valkey = redis.replica?.enabled ? (redis.replica.replicas + 1) * gib(redis.replica.persistence.size) : gib(redis.dataStorage.requestedSize);
      const loki = release('loki');
      if (loki) requested.Loki = loki.singleBinary.replicas * gib(loki.singleBinary.persistence.size);
      const grafana = release('grafana');
      if (grafana) requested.Grafana = gib(grafana.persistence.size);
      const prometheus = release('prometheus');
      if (prometheus) {
        const spec = prometheus.prometheus.prometheusSpec;
        requested.Prometheus = spec.replicas * gib(spec.storageSpec.volumeClaimTemplate.spec.resources.requests.storage);
        const am = prometheus.alertmanager.alertmanagerSpec;
        requested.Alertmanager = am.replicas * gib(am.storage.volumeClaimTemplate.spec.resources.requests.storage);
      }
      const estimated = Object.fromEntries(persistentVolumes(platform, environment).map((v) => [v.what, v.count * v.sizeGiB]));
      expect(estimated, environment.name).toEqual(requested);
    }
  });
});
