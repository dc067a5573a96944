import { clusterName, publicSubnetName } from './names';
import type { Environment, Platform } from './schema';
import type { EnvironmentStackKind } from './stacks';

/*
 * The cluster-target seam: what differs between an environment on an EKS cluster the kit creates and one on a
 * Kubernetes cluster someone already runs. The stacks, the values templates, the GitOps manifests and the docs ask an
 * environment's target (clusterTarget()) for these instead of assuming AWS. docs/targets.md describes the targets and
 * what another (AKS, GKE) would add.
 */

/** How the Gateway's Service reaches clients. */
export interface GatewayExposure {
  type: 'LoadBalancer' | 'NodePort';
  /** `Local` keeps the client's source address and skips a node hop (the balancer health-checks each node). */
  externalTrafficPolicy: 'Local' | 'Cluster';
  /** Annotations the Service needs from its creation (a cloud's controller reads them when it makes the balancer). */
  annotations: Record<string, string>;
  /** Fixed node ports for an external balancer to send HTTP and HTTPS to (NodePort only). */
  nodePorts?: { http: number; https: number };
}

/** Where the supporting services keep objects (Loki's chunks, PostgreSQL's and Velero's backups). */
export interface ObjectStorage {
  /** The S3 API's URL; undefined: AWS S3 in `region`. */
  endpoint?: string;
  region: string;
  /** Path-style requests (`<endpoint>/<bucket>/<key>`), which MinIO and most S3-compatible stores want. */
  forcePathStyle: boolean;
  /** `workload-identity`: pods get credentials from the cluster (no key anywhere); `keys`: an access key in a Secret. */
  credentials: 'workload-identity' | 'keys';
}

/** What External Secrets reads the platform's secrets from. */
export type SecretsBackend =
  | { kind: 'aws-secrets-manager'; region: string }
  | { kind: 'kubernetes'; namespace: string }
  | { kind: 'vault'; server: string; path: string; authPath: string; role: string };

/** How Terraform (and a person) reaches the cluster's API. */
export type ClusterAccess =
  | { kind: 'eks'; clusterName: string; region: string }
  | { kind: 'kubeconfig'; context: string; apiServer?: string };

export interface ClusterTarget {
  kind: 'eks' | 'kubernetes';
  /** The environment's stacks, in apply order. */
  stacks: readonly EnvironmentStackKind[];
  access: ClusterAccess;
  /** The StorageClass of the services' volumes; undefined: the cluster's default StorageClass. */
  storageClass?: string;
  gateway: GatewayExposure;
  /** undefined: no object storage (Loki keeps logs on a volume, backups are off). */
  objectStorage?: ObjectStorage;
  /** `eks-pod-identity`: IAM roles bound to service accounts by the environment's Terraform; `none`: keys or nothing. */
  workloadIdentity: 'eks-pod-identity' | 'none';
  secrets: SecretsBackend;
  /** Whether the cost estimate can price the environment (AWS prices; another cluster's cost is not known here). */
  priced: boolean;
  /**
   * How the nodes pull the team's images from ECR: `node-role` (the EKS nodes' IAM role), `web-identity` (a pull
   * secret External Secrets refreshes with a role that trusts the cluster's service account issuer), or `none` (a pull
   * secret a person provides, or a registry of the cluster's own).
   */
  registryAccess: 'node-role' | 'web-identity' | 'none';
}

/** How many zones the Gateway's load balancer spans: every zone of the VPC, or one with the `lean` profile. */
export function loadBalancerZones(environment: Pick<Environment, 'profile' | 'zoneIds'>): number {
  return environment.profile === 'lean' ? 1 : environment.zoneIds.length;
}

/** An EKS environment's stacks: its VPC, its cluster, the AWS side of its services, then Argo CD in the cluster. */
export const EKS_STACKS = ['network', 'cluster', 'services-aws', 'services'] as const satisfies readonly EnvironmentStackKind[];

/**
 * An environment on the EKS cluster its own stacks create: the EBS CSI add-on's default StorageClass (gp3), the Gateway
 * behind an NLB made by the in-tree cloud controller, S3 and Secrets Manager in the platform's region through EKS Pod
 * Identity.
 */
export function eksTarget(platform: Platform, environment: Environment): ClusterTarget {
  const region = platform.aws.region;
  // The lean profile puts the NLB in one zone's public subnet (one public address); otherwise every zone's.
  const subnet = loadBalancerZones(environment) < environment.zoneIds.length ? publicSubnetName(platform, environment, environment.zoneIds[0]) : undefined;
  return {
    kind: 'eks',
    stacks: EKS_STACKS,
    access: { kind: 'eks', clusterName: clusterName(platform, environment), region },
    storageClass: 'ebs-csi-default-sc',
    gateway: {
      type: 'LoadBalancer',
      externalTrafficPolicy: 'Local',
      annotations: {
        'service.beta.kubernetes.io/aws-load-balancer-type': 'nlb',
        'service.beta.kubernetes.io/aws-load-balancer-cross-zone-load-balancing-enabled': 'true',
        // The platform's tags on the NLB, so that the environment's budget counts it.
        'service.beta.kubernetes.io/aws-load-balancer-additional-resource-tags': `platform=${platform.name},environment=${environment.name},managed-by=platform-kit`,
        ...(subnet ? { 'service.beta.kubernetes.io/aws-load-balancer-subnets': subnet } : {}),
      },
    },
    objectStorage: { region, forcePathStyle: false, credentials: 'workload-identity' },
    workloadIdentity: 'eks-pod-identity',
    secrets: { kind: 'aws-secrets-manager', region },
    priced: true,
    registryAccess: 'node-role',
  };
}

/** An environment on an existing cluster has only the in-cluster half: Argo CD, which installs the rest. */
export const EXISTING_CLUSTER_STACKS = ['services'] as const satisfies readonly EnvironmentStackKind[];

/** The namespace holding the platform's secrets when External Secrets reads Kubernetes Secrets of the cluster itself. */
export const PLATFORM_SECRETS_NAMESPACE = 'platform-secrets';
/** The namespace holding the team's services' secrets then (the apps store reads nothing else). */
export const APPS_SECRETS_NAMESPACE = 'platform-apps-secrets';


/** What an environment on a Kubernetes cluster someone already runs (on premises, another cloud) is given. */
export interface ExistingCluster {
  kind: 'kubernetes';
  /** The kubeconfig context Terraform and people reach the cluster's API with. */
  context: string;
  /** The API server's URL, for the docs. */
  apiServer?: string;
  /** undefined: the cluster's default StorageClass. */
  storageClass?: string;
  /** `LoadBalancer`: the cluster's own balancer implementation (MetalLB, a cloud's); `NodePort`: an external balancer in front. */
  gateway: { exposure: 'LoadBalancer' } | { exposure: 'NodePort'; httpNodePort: number; httpsNodePort: number };
  /** An S3-compatible store (MinIO, Ceph RGW, a cloud's); undefined: none (Loki on a volume, backups off). */
  objectStorage?: { endpoint: string; region: string; forcePathStyle: boolean };
  /** Vault: its URL, the KV version 2 mount, the mount of the cluster's Kubernetes auth method, and the role to log in with. */
  secrets: { kind: 'kubernetes' } | { kind: 'vault'; server: string; path: string; authPath: string; role: string };
  /**
   * The cluster's service account issuer, published where AWS STS can read it: an IAM OIDC provider trusts it, and the
   * team's services pull their images from ECR with a token of a role that trusts it. Undefined: no pull credentials.
   */
  serviceAccountIssuer?: string;
}

/**
 * An environment on an existing cluster: no AWS. The cluster is reached through a kubeconfig context; volumes use the
 * answered StorageClass or the cluster's default; the Gateway gets no cloud annotations; objects go to the answered
 * S3-compatible store with an access key kept in a Secret (no workload identity); External Secrets reads Kubernetes
 * Secrets of the platform-secrets namespace, or Vault through its Kubernetes auth.
 */
export function existingClusterTarget(cluster: ExistingCluster): ClusterTarget {
  const { gateway } = cluster;
  return {
    kind: 'kubernetes',
    stacks: EXISTING_CLUSTER_STACKS,
    access: { kind: 'kubeconfig', context: cluster.context, ...(cluster.apiServer ? { apiServer: cluster.apiServer } : {}) },
    ...(cluster.storageClass ? { storageClass: cluster.storageClass } : {}),
    gateway: {
      type: gateway.exposure,
      externalTrafficPolicy: 'Local',
      annotations: {},
      ...(gateway.exposure === 'NodePort' ? { nodePorts: { http: gateway.httpNodePort, https: gateway.httpsNodePort } } : {}),
    },
    ...(cluster.objectStorage ? { objectStorage: { ...cluster.objectStorage, credentials: 'keys' as const } } : {}),
    workloadIdentity: 'none',
    secrets: cluster.secrets.kind === 'kubernetes' ? { kind: 'kubernetes', namespace: PLATFORM_SECRETS_NAMESPACE } : cluster.secrets,
    priced: false,
    registryAccess: cluster.serviceAccountIssuer ? 'web-identity' : 'none',
  };
}

/** The target of an environment: the existing cluster it is given, else EKS. */
export function clusterTarget(platform: Platform, environment: Environment): ClusterTarget {
  return environment.target?.kind === 'kubernetes' ? existingClusterTarget(environment.target) : eksTarget(platform, environment);
}

/** The target of a CI scope that is an environment (by its name); undefined for `shared`. */
export function scopeTarget(platform: Platform, scope: string): ClusterTarget | undefined {
  const environment = platform.environments.find((e) => e.name === scope);
  return environment && clusterTarget(platform, environment);
}
