import { describe, expect, it } from 'vitest';
import { clusterTarget, EKS_STACKS, environmentStacks, publicSubnetName, resolvePlatform, stackNames } from '../src';

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
