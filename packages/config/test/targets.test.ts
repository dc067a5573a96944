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
  validateAnswers,
  stackNames,
  type AnswersInput,
  type TargetInput,
} from '../src';
import { onExistingClusters } from './support';

const answers: AnswersInput = {
  name: 'acme',
  aws: { region: 'eu-central-1', accountId: '123456789012' },
  environments: [{ name: 'dev', profile: 'lean' }, 'staging', 'prod'],
};
const platform = resolvePlatform(answers);
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

describe('the existing-cluster target', () => {
  const office: TargetInput = {
    kind: 'kubernetes',
    context: 'office',
    apiServer: 'https://k8s.office.example.com:6443',
    gateway: 'NodePort',
    objectStorage: { endpoint: 'https://minio.office.example.com' },
    secrets: 'vault',
    vault: { server: 'https://vault.office.example.com', path: 'platform', role: 'external-secrets' },
  };
  const mixed = resolvePlatform(onExistingClusters({ ...answers, environments: ['dev', 'staging', 'prod'] }, { dev: office }));

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
      secrets: { kind: 'vault', server: 'https://vault.office.example.com', path: 'platform', authPath: 'kubernetes', role: 'external-secrets' },
      priced: false,
      registryAccess: 'none',
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
  const answers: AnswersInput = { name: 'acme', aws: { region: 'eu-west-1', accountId: '123456789012' }, environments: ['dev', 'prod'], supportingServices: ['prometheus', 'grafana'] };
  const eksOnly = resolvePlatform(answers);
  const mixed = resolvePlatform(onExistingClusters(answers, { dev: { kind: 'kubernetes', context: 'office' } }));

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

describe('answering an existing cluster (environments[].target)', () => {
  const issues = (environment: Record<string, unknown>, more: Partial<AnswersInput> = {}) => {
    const result = validateAnswers({ ...answers, ...more, environments: [{ name: 'dev', ...environment }, 'prod'] });
    return result.ok ? [] : result.issues.map((i) => `${i.field}: ${i.message}`);
  };

  it('takes defaults for what is not answered: its own balancer, Secrets of the cluster, and no VPC, zones, VPN or budget', () => {
    const [dev, prod] = resolvePlatform({ ...answers, environments: [{ name: 'dev', target: { kind: 'kubernetes', context: 'office' } }, 'prod'] }).environments;
    expect(dev.target).toEqual({ kind: 'kubernetes', context: 'office', gateway: { exposure: 'LoadBalancer' }, secrets: { kind: 'kubernetes' } });
    expect([dev.vpcCidr, dev.zoneIds, dev.vpn, dev.budgetUsd]).toEqual(['', [], undefined, undefined]);
    // The first EKS environment takes the first default range.
    expect(prod.vpcCidr).toBe('10.10.0.0/16');
    const full = resolvePlatform({
      ...answers,
      environments: [{ name: 'dev', target: { kind: 'kubernetes', context: 'office', gateway: 'NodePort', objectStorage: { endpoint: 'http://minio.lab:9000' }, secrets: 'vault', vault: { server: 'https://vault.lab:8200' } } }],
    }).environments[0].target;
    expect(full).toMatchObject({
      gateway: { exposure: 'NodePort', httpNodePort: 30080, httpsNodePort: 30443 },
      objectStorage: { endpoint: 'http://minio.lab:9000', region: 'us-east-1', forcePathStyle: true },
      secrets: { kind: 'vault', server: 'https://vault.lab:8200', path: 'secret', authPath: 'kubernetes', role: 'acme-dev' },
    });
    expect(resolvePlatform({ ...answers, environments: [{ name: 'dev', target: { kind: 'eks' } }] }).environments[0].target).toBeUndefined();
  });

  it('refuses the answers of an EKS cluster and VPC for it, each by name', () => {
    const eksOnly = { vpcCidr: '10.50.0.0/16', availabilityZones: 2, natGateways: 'single', clusterPublicAccessCidrs: [], logRetentionDays: 7, flowLogRetentionDays: 7, interfaceEndpoints: true, nodes: {}, vpn: true, budgetUsd: 100 };
    const found = issues({ ...eksOnly, profile: 'lean', target: { kind: 'kubernetes', context: 'office' } });
    expect(found).toEqual([
      ...Object.keys(eksOnly).map((f) => `environments[0].${f}: applies to the EKS cluster and VPC the platform creates, and dev runs on an existing cluster (target.kind: kubernetes). Remove it.`),
      'environments[0].profile: lean shapes the EKS cluster and VPC the platform creates, and dev runs on an existing cluster. Remove it.',
    ]);
  });

  it("refuses an existing cluster's answers for EKS, and what the answered exposure or backend does not use", () => {
    expect(issues({ target: { kind: 'eks', context: 'office', secrets: 'vault' } })).toEqual([
      'environments[0].target.context: applies only to an existing cluster (kind: kubernetes). Remove it, or set kind: kubernetes.',
      'environments[0].target.secrets: applies only to an existing cluster (kind: kubernetes). Remove it, or set kind: kubernetes.',
    ]);
    expect(issues({ target: { kind: 'kubernetes', httpNodePort: 30080, vault: { server: 'https://vault.lab' } } })).toEqual([
      'environments[0].target.context: is needed with kind: kubernetes. Give the kubeconfig context that reaches the cluster (`kubectl config get-contexts`).',
      'environments[0].target.httpNodePort: applies only to gateway: NodePort (gateway is LoadBalancer). Remove it, or set gateway: NodePort.',
      'environments[0].target.vault: applies only to secrets: vault (secrets is kubernetes). Remove it, or set secrets: vault.',
    ]);
    expect(issues({ target: { kind: 'kubernetes', context: 'office', secrets: 'vault', gateway: 'NodePort', httpNodePort: 30443 } })).toEqual([
      'environments[0].target.httpsNodePort: 30443 is the HTTP node port too. Give HTTP and HTTPS a port each (e.g. 30080 and 30443).',
      'environments[0].target.vault: is needed with secrets: vault. Give at least its server (e.g. vault: { server: https://vault.office.example.com:8200 }).',
    ]);
  });

  it('checks each value with a fix: context, URLs, node ports, StorageClass, Vault paths', () => {
    const bad = { kind: 'kubernetes', context: 'my office', apiServer: 'k8s.lab:6443', storageClass: 'Fast_SSD', gateway: 'Ingress', httpsNodePort: 443, vault: { server: 'https://vault.lab', path: '/secret/' } };
    expect(issues({ target: bad })).toEqual([
      'environments[0].target.context: "my office" is not valid. Use the name of a context of your kubeconfig, as `kubectl config get-contexts` lists it (no spaces).',
      `environments[0].target.apiServer: "k8s.lab:6443" is not valid. Use the server's URL with its scheme, without query or credentials (e.g. https://k8s.office.example.com:6443).`,
      'environments[0].target.storageClass: "Fast_SSD" is not valid. Use the name of a StorageClass of the cluster (`kubectl get storageclass`), e.g. longhorn.',
      'environments[0].target.gateway: "Ingress" is not a known Gateway exposure. Use one of: LoadBalancer, NodePort.',
      "environments[0].target.httpsNodePort: use a port from 30000 to 32767 (the API server's default --service-node-port-range).",
      'environments[0].target.vault.path: "/secret/" is not valid. Use the mount path of a KV version 2 engine, without slashes around it (e.g. secret).',
    ]);
  });

  it('refuses velero without object storage, and a service bucket (S3 through Pod Identity) on a platform with such an environment', () => {
    expect(issues({ target: { kind: 'kubernetes', context: 'office' } }, { supportingServices: ['velero'], services: [{ name: 'api', bucket: true }] })).toEqual([
      'environments[0].target.objectStorage: is needed by velero, which keeps dev\'s backups there. Give an S3-compatible store (e.g. objectStorage: { endpoint: https://minio.office.example.com:9000 }), or remove velero from supportingServices.',
      'services[0].bucket: gives api an S3 bucket reached with EKS Pod Identity, and dev runs on an existing cluster. Set bucket: false, or run dev on EKS.',
    ]);
    expect(issues({ target: { kind: 'kubernetes', context: 'office', objectStorage: { endpoint: 'https://minio.lab' } } }, { supportingServices: ['velero'] })).toEqual([]);
  });
});
