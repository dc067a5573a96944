import { catalogue, type Environment, type KubernetesVersion, type Platform } from '@platform-kit/config';
import type { Release } from '@cdktf/provider-helm/lib/release';
import { Construct } from 'constructs';
import { CLUSTER_AUTOSCALER_SERVICE_ACCOUNT } from './cluster';
import { atomicRelease, catalogueChart } from './helm-release';

export interface ClusterAutoscalerProps {
  readonly platform: Platform;
  readonly environment: Environment;
  readonly clusterName: string;
}

/**
 * The Kubernetes cluster autoscaler (Helm chart from the catalogue): adds nodes when pods cannot be
 * scheduled and removes idle ones, within the node group's min and max. It finds the node groups by the tags
 * EKS puts on their Auto Scaling groups, and acts through the IAM role the cluster stack binds to its service
 * account with Pod Identity.
 */
export class ClusterAutoscaler extends Construct {
  readonly release: Release;
  /** The chart values, as set (also what the values tests check against the chart's defaults). */
  readonly values: Record<string, unknown>;

  constructor(scope: Construct, id: string, props: ClusterAutoscalerProps) {
    super(scope, id);
    const { platform, environment, clusterName } = props;
    const production = environment.tier === 'production';
    this.values = {
      cloudProvider: 'aws',
      awsRegion: platform.aws.region,
      autoDiscovery: { clusterName },
      image: { tag: catalogue.kubernetes.clusterAutoscaler[platform.kubernetesVersion as KubernetesVersion] },
      rbac: { serviceAccount: { create: true, name: CLUSTER_AUTOSCALER_SERVICE_ACCOUNT.name } },
      // Two replicas in production (leader election keeps one active) so a node drain never stops scaling.
      replicaCount: production ? 2 : 1,
      extraArgs: {
        'balance-similar-node-groups': true,
        'skip-nodes-with-system-pods': false,
        expander: 'least-waste',
        // Non-production scales down sooner: idle nodes cost money and nobody waits on them.
        'scale-down-unneeded-time': production ? '10m' : '5m',
      },
      resources: { requests: { cpu: '100m', memory: '300Mi' }, limits: { memory: '600Mi' } },
    };
    this.release = atomicRelease(this, 'release', {
      name: 'cluster-autoscaler',
      namespace: CLUSTER_AUTOSCALER_SERVICE_ACCOUNT.namespace,
      ...catalogueChart('cluster-autoscaler'),
      // JSON is YAML: the values stay a plain object in the stack, readable by tests and reviews.
      values: [JSON.stringify(this.values)],
      timeout: 600,
    });
  }
}
