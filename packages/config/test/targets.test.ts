import { describe, expect, it } from 'vitest';
import {
  alertGroups,
  clusterTarget,
  EKS_STACKS,
  environmentStacks,
  ESTIMATED_COST_METRIC,
  estimateCost,
  existingClusterTarget,
  formatCostTable,
  homeDashboard,
  platformBudget,
  PLATFORM_SECRETS_NAMESPACE,
  pricedEnvironments,
  publicSubnetName,
  resolvePlatform,
  stackNames,
  type ExistingCluster,
} from '../src';
import { onExistingClusters } from './support';

const platform = resolvePlatform({
  name: 'acme',
  aws: { region: 'eu-central-1', accountId: '123456789012' },
  environments: [{ name: 'dev', profile: 'lean' }, 'staging', 'prod'],
});
const [dev, staging, prod] = platform.environments;

describe('the EKS cluster target', () => {
  it("has the environment's four stacks, in apply order, and the platform's stacks are the account's then each environment's", () => {
    expect(environmentStacks(platform, staging)).toEqual(['staging-network', 'staging-cluster', 'staging-services-aws', 'staging-services']);
    expect(clusterTarget(platform, staging).stacks).toEqual(EKS_STACKS);
    expect(stackNames(platform)).toEqual(['bootstrap', 'shared', ...platform.environments.flatMap((e) => environmentStacks(platform, e))]);
  });

  it("reaches the cluster its stacks create, keeps volumes on the EBS add-on's StorageClass, objects in S3 and secrets in Secrets Manager of the region, through Pod Identity", () => {
    const target = clusterTarget(platform, prod);
    expect(target).toMatchObject({
      kind: 'eks',
      access: { kind: 'eks', clusterName: 'acme-prod', region: 'eu-central-1' },
      storageClass: 'ebs-csi-default-sc',
      objectStorage: { region: 'eu-central-1', forcePathStyle: false, credentials: 'workload-identity' },
      workloadIdentity: 'eks-pod-identity',
      secrets: { kind: 'aws-secrets-manager', region: 'eu-central-1' },
      priced: true,
    });
    expect(target.objectStorage?.endpoint).toBeUndefined();
  });

  it("exposes the Gateway through an NLB tagged with the platform's tags, in one zone's public subnet only in the lean profile", () => {
    const annotations = (e: typeof dev) => clusterTarget(platform, e).gateway.annotations;
    expect(clusterTarget(platform, prod).gateway).toMatchObject({ type: 'LoadBalancer', externalTrafficPolicy: 'Local' });
    expect(clusterTarget(platform, prod).gateway.nodePorts).toBeUndefined();
    expect(annotations(prod)).toEqual({
      'service.beta.kubernetes.io/aws-load-balancer-type': 'nlb',
      'service.beta.kubernetes.io/aws-load-balancer-cross-zone-load-balancing-enabled': 'true',
      'service.beta.kubernetes.io/aws-load-balancer-additional-resource-tags': 'platform=acme,environment=prod,managed-by=platform-kit',
    });
    expect(annotations(dev)['service.beta.kubernetes.io/aws-load-balancer-subnets']).toBe(publicSubnetName(platform, dev, dev.zoneIds[0]));
  });
});

describe('the existing-cluster target (not answerable yet: set on the resolved platform)', () => {
  const office: ExistingCluster = {
    kind: 'kubernetes',
    context: 'office',
    apiServer: 'https://k8s.office.example.com:6443',
    gateway: { exposure: 'NodePort', httpNodePort: 30080, httpsNodePort: 30443 },
    objectStorage: { endpoint: 'https://minio.office.example.com', region: 'us-east-1', forcePathStyle: true },
    secrets: { kind: 'vault', server: 'https://vault.office.example.com', path: 'platform', role: 'external-secrets' },
  };
  const mixed = onExistingClusters(platform, { dev: office });

  it('has only the in-cluster stack, and a mixed platform lists each environment with its own', () => {
    expect(environmentStacks(mixed, mixed.environments[0])).toEqual(['dev-services']);
    expect(stackNames(mixed)).toEqual(['bootstrap', 'shared', 'dev-services', ...environmentStacks(mixed, staging), ...environmentStacks(mixed, prod)]);
    expect(clusterTarget(mixed, mixed.environments[1]).kind).toBe('eks');
  });

  it('uses no AWS: a kubeconfig context, keys for the S3-compatible store, the answered secrets backend, and no price', () => {
    expect(clusterTarget(mixed, mixed.environments[0])).toEqual({
      kind: 'kubernetes',
      stacks: ['services'],
      access: { kind: 'kubeconfig', context: 'office', apiServer: 'https://k8s.office.example.com:6443' },
      gateway: { type: 'NodePort', externalTrafficPolicy: 'Local', annotations: {}, nodePorts: { http: 30080, https: 30443 } },
      objectStorage: { endpoint: 'https://minio.office.example.com', region: 'us-east-1', forcePathStyle: true, credentials: 'keys' },
      workloadIdentity: 'none',
      secrets: { kind: 'vault', server: 'https://vault.office.example.com', path: 'platform', role: 'external-secrets' },
      priced: false,
    });
  });

  it("without answers for them: the cluster's default StorageClass, its own balancer, no object storage, Secrets of the cluster", () => {
    const bare = existingClusterTarget({ kind: 'kubernetes', context: 'lab', gateway: { exposure: 'LoadBalancer' }, secrets: { kind: 'kubernetes' } });
    expect(bare.storageClass).toBeUndefined();
    expect(bare.objectStorage).toBeUndefined();
    expect(bare.gateway).toEqual({ type: 'LoadBalancer', externalTrafficPolicy: 'Local', annotations: {} });
    expect(bare.secrets).toEqual({ kind: 'kubernetes', namespace: PLATFORM_SECRETS_NAMESPACE });
  });
});

describe('cost, alerts and dashboards of an environment on an existing cluster', () => {
  const office: ExistingCluster = { kind: 'kubernetes', context: 'office', gateway: { exposure: 'LoadBalancer' }, secrets: { kind: 'kubernetes' } };
  const answers = { name: 'acme', aws: { region: 'eu-west-1' as const, accountId: '123456789012' }, environments: ['dev', 'prod'], supportingServices: ['prometheus', 'grafana'] as const };
  const eksOnly = resolvePlatform({ ...answers, supportingServices: [...answers.supportingServices] });
  const mixed = onExistingClusters(eksOnly, { dev: office });

  it('leaves it out of the estimate, its total and the platform budget, and says so', () => {
    const estimate = estimateCost(mixed)!;
    expect(estimate.groups.map((g) => g.name)).toEqual(['shared', 'prod']);
    expect(estimate.unpriced).toEqual(['dev']);
    const all = estimateCost(eksOnly)!;
    expect(estimate.totalMonthlyUsd).toBeCloseTo(all.totalMonthlyUsd - all.groups.find((g) => g.name === 'dev')!.monthlyUsd, 6);
    expect(formatCostTable(estimate)).toContain('  dev: not priced (an existing cluster: its cost is not in the total)');
    expect(platformBudget(mixed).limitUsd).toBeLessThan(platformBudget(eksOnly).limitUsd);
    expect(pricedEnvironments(mixed).map((e) => e.name)).toEqual(['prod']);
  });

  it('gives it no cost rule and no cost panels, and keeps both for the EKS environment', () => {
    const [dev, prod] = mixed.environments;
    expect(alertGroups(mixed, dev).map((g) => g.name)).not.toContain('platform.cost');
    expect(alertGroups(mixed, prod).map((g) => g.name)).toContain('platform.cost');
    const titles = (e: typeof dev) => JSON.stringify(homeDashboard(mixed, e));
    expect(titles(dev)).not.toContain(ESTIMATED_COST_METRIC);
    expect(titles(prod)).toContain(ESTIMATED_COST_METRIC);
  });
});
