import { catalogue, CLUSTER_AUTOSCALER_SERVICE_ACCOUNT, controlPlaneLogTypes, EKS_ADDONS, vpnLogGroupName, zoneNodeGroups, type EksAddonName, type Environment, type KubernetesVersion, type Platform } from '@platform-kit/config';
import { Token, type ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import { EncryptionKey } from './encryption-key';
import { awsManagedPolicy, podIdentityTrust, Role, serviceTrust } from './iam';
import { platformTags } from './platform-stack';
import { CloudwatchLogGroup, EksAccessEntry, EksAccessPolicyAssociation, EksAddon, EksCluster, EksNodeGroup, EksPodIdentityAssociation, LaunchTemplate } from './providers/aws';

/** Where a principal's cluster access comes from, and what it may do. */
export interface ClusterAccess {
  readonly principalArn: string;
  /** `admin`: cluster-admin; `view`: read most objects, never Secrets (AmazonEKSViewPolicy). */
  readonly level: 'admin' | 'view';
}

/**
 * The VPC CNI's settings: it enforces NetworkPolicies (the team's services are reachable only by their callers) and,
 * in the lean profile, hands out /28 prefixes instead of single addresses, so that one small node holds every pod of the
 * platform (a managed node group then allows 110 pods instead of 35 on a t3.large). The add-on is created before the
 * node groups, which read it when they compute their pod limit.
 */
export function vpcCniConfiguration(environment: Environment): Record<string, unknown> {
  return {
    enableNetworkPolicy: 'true',
    ...(environment.profile === 'lean' ? { env: { ENABLE_PREFIX_DELEGATION: 'true', WARM_PREFIX_TARGET: '1' } } : {}),
  };
}

export interface ClusterProps {
  readonly platform: Platform;
  /** ARN of the environment's permissions boundary: every IAM role created here carries it. */
  readonly permissionsBoundary: string;
  readonly environment: Environment;
  readonly name: string;
  /** Subnets of the control plane's network interfaces (intra: no internet route). */
  readonly controlPlaneSubnetIds: string[];
  /** The nodes' subnet in each availability zone (private, egress through NAT): one node group per zone. */
  readonly nodeSubnets: { readonly zoneId: string; readonly subnetId: string }[];
  /** Access entries, keyed by a stable id (the id names Terraform resources: keep it when a principal changes). */
  readonly access: Record<string, ClusterAccess>;
}

const ACCESS_POLICIES = {
  admin: 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy',
  view: 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy',
} as const;

/**
 * An EKS cluster: API authentication with access entries (no aws-auth ConfigMap), secrets encrypted with its
 * own KMS key, control-plane logs, a private endpoint (public only for the answered CIDRs), one managed node
 * group per availability zone on AL2023 through a launch template (IMDSv2 only, gp3 root volume encrypted with the
 * cluster's volume key), the core add-ons at the catalogue's versions, and the AWS side of the cluster autoscaler
 * (an IAM role bound by Pod Identity).
 */
export class Cluster extends Construct {
  readonly cluster: EksCluster;
  /** One per availability zone, in the zones' order. */
  readonly nodeGroups: EksNodeGroup[];
  /** Encrypts the nodes' root volumes (and the persistent volumes of the cluster's storage class). */
  readonly volumeKey: EncryptionKey;
  /** Encrypts the Kubernetes secrets and the control-plane logs (and the VPN's connection logs, with a VPN). */
  readonly key: EncryptionKey;
  readonly addons: Partial<Record<EksAddonName, EksAddon>> = {};
  readonly autoscalerRole: Role;
  private readonly boundary: string;

  constructor(scope: Construct, id: string, props: ClusterProps) {
    super(scope, id);
    const { platform, environment, name } = props;
    this.boundary = props.permissionsBoundary;
    const { accountId, region } = platform.aws;
    const version = platform.kubernetesVersion as KubernetesVersion;

    const logGroupName = `/aws/eks/${name}/cluster`;
    const key = (this.key = new EncryptionKey(this, 'key', {
      alias: `alias/${name}-eks`,
      description: `Encrypts the Kubernetes secrets and control-plane logs of ${name}`,
      accountId,
      region,
      logGroupArns: [logGroupName, ...(environment.vpn ? [vpnLogGroupName(platform, environment)] : [])].map((n) => `arn:aws:logs:${region}:${accountId}:log-group:${n}`),
    }));
    // Created before the cluster: otherwise EKS creates it without retention or encryption.
    const logGroup = new CloudwatchLogGroup(this, 'logs', { name: logGroupName, retentionInDays: environment.logRetentionDays, kmsKeyId: key.arn });

    const clusterRole = new Role(this, 'cluster-role', {
      permissionsBoundary: this.boundary,
      name: `${name}-cluster`,
      description: `The EKS control plane of ${name}`,
      trust: serviceTrust('eks.amazonaws.com'),
      managedPolicyArns: [awsManagedPolicy('AmazonEKSClusterPolicy')],
    });

    const publicCidrs = environment.clusterPublicAccessCidrs;
    this.cluster = new EksCluster(this, 'cluster', {
      name,
      version,
      roleArn: clusterRole.arn,
      vpcConfig: {
        subnetIds: props.controlPlaneSubnetIds,
        endpointPrivateAccess: true,
        endpointPublicAccess: publicCidrs.length > 0,
        publicAccessCidrs: publicCidrs.length > 0 ? publicCidrs : undefined,
      },
      accessConfig: { authenticationMode: 'API', bootstrapClusterCreatorAdminPermissions: false },
      encryptionConfig: { resources: ['secrets'], provider: { keyArn: key.arn } },
      // All three, but the lean profile leaves out audit (most of the volume): docs/cost.md of a platform repo.
      enabledClusterLogTypes: controlPlaneLogTypes(environment),
      // Standard support only: extended support costs six times as much per hour; upgrade instead.
      upgradePolicy: { supportType: 'STANDARD' },
      // The core add-ons are EKS managed add-ons below, at pinned versions, not the unmanaged defaults.
      bootstrapSelfManagedAddons: false,
      dependsOn: [logGroup, ...clusterRole.dependables],
    });

    for (const [accessId, access] of Object.entries(props.access)) {
      const entry = new EksAccessEntry(this, `access-${accessId}`, { clusterName: this.cluster.name, principalArn: access.principalArn, type: 'STANDARD' });
      new EksAccessPolicyAssociation(this, `access-${accessId}-policy`, {
        clusterName: this.cluster.name,
        principalArn: entry.principalArn,
        policyArn: ACCESS_POLICIES[access.level],
        accessScope: { type: 'cluster' },
      });
    }

    // Networking and identity add-ons go first: nodes join with a working CNI and Pod Identity agent.
    const beforeNodes = EKS_ADDONS.filter((a) => a === 'vpc-cni' || a === 'kube-proxy' || a === 'eks-pod-identity-agent');
    for (const addon of beforeNodes)
      this.addons[addon] = this.addon(
        addon,
        version,
        // The VPC CNI enforces NetworkPolicies (its node agent): the team's services are reachable only by their callers.
        addon === 'vpc-cni' ? { configurationValues: JSON.stringify(vpcCniConfiguration(environment)) } : {},
      );

    // Managed node groups launch through the account's Auto Scaling service-linked role: it encrypts the volumes.
    this.volumeKey = new EncryptionKey(this, 'volume-key', {
      alias: `alias/${name}-ebs`,
      description: `Encrypts the node and persistent volumes of ${name}`,
      accountId,
      region,
      volumeLaunchers: [`arn:aws:iam::${accountId}:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling`],
    });
    this.nodeGroups = this.zoneNodeGroups(props, Object.values(this.addons));

    const ebsRole = new Role(this, 'ebs-csi-role', {
      permissionsBoundary: this.boundary,
      name: `${name}-ebs-csi`,
      description: `The EBS CSI driver of ${name} (Pod Identity)`,
      trust: podIdentityTrust,
      managedPolicyArns: [awsManagedPolicy('service-role/AmazonEBSCSIDriverPolicy')],
    });
    this.addons.coredns = this.addon('coredns', version, { dependsOn: this.nodeGroups });
    this.addons['aws-ebs-csi-driver'] = this.addon('aws-ebs-csi-driver', version, {
      dependsOn: this.nodeGroups,
      podIdentityAssociation: [{ roleArn: ebsRole.arn, serviceAccount: 'ebs-csi-controller-sa' }],
      // A default StorageClass (ebs-csi-default-sc): gp3, bound when the pod is scheduled, expandable.
      // New volumes are encrypted by the account's EBS encryption by default (the shared stack). They and their
      // snapshots carry the platform's tags: the environment's budget counts them.
      configurationValues: JSON.stringify({ defaultStorageClass: { enabled: true }, controller: { extraVolumeTags: { ...platformTags(platform), environment: environment.name } } }),
    });

    // Cluster autoscaler: may change only the node groups of this cluster (EKS tags their Auto Scaling groups).
    this.autoscalerRole = new Role(this, 'autoscaler-role', {
      permissionsBoundary: this.boundary,
      name: `${name}-cluster-autoscaler`,
      description: `The cluster autoscaler of ${name} (Pod Identity)`,
      trust: podIdentityTrust,
      statements: [
        {
          sid: 'ScaleThisClustersNodeGroups',
          actions: ['autoscaling:SetDesiredCapacity', 'autoscaling:TerminateInstanceInAutoScalingGroup'],
          resources: ['*'],
          conditions: [{ test: 'StringEquals', variable: `aws:ResourceTag/k8s.io/cluster-autoscaler/${name}`, values: ['owned'] }],
        },
        {
          sid: 'DiscoverNodeGroups',
          actions: [
            'autoscaling:DescribeAutoScalingGroups',
            'autoscaling:DescribeAutoScalingInstances',
            'autoscaling:DescribeLaunchConfigurations',
            'autoscaling:DescribeScalingActivities',
            'autoscaling:DescribeTags',
            'ec2:DescribeImages',
            'ec2:DescribeInstanceTypes',
            'ec2:DescribeLaunchTemplateVersions',
            'ec2:GetInstanceTypesFromInstanceRequirements',
            'eks:DescribeNodegroup',
          ],
          resources: ['*'],
        },
      ],
    });
    new EksPodIdentityAssociation(this, 'autoscaler-identity', {
      clusterName: this.cluster.name,
      namespace: CLUSTER_AUTOSCALER_SERVICE_ACCOUNT.namespace,
      serviceAccount: CLUSTER_AUTOSCALER_SERVICE_ACCOUNT.name,
      roleArn: this.autoscalerRole.arn,
    });
  }

  private addon(addon: EksAddonName, version: KubernetesVersion, extra: Partial<ConstructorParameters<typeof EksAddon>[2]> = {}): EksAddon {
    return new EksAddon(this, `addon-${addon}`, {
      clusterName: this.cluster.name,
      addonName: addon,
      addonVersion: catalogue.kubernetes.addons[version][addon],
      resolveConflictsOnCreate: 'OVERWRITE',
      resolveConflictsOnUpdate: 'OVERWRITE',
      ...extra,
    });
  }

  private zoneNodeGroups(props: ClusterProps, after: ITerraformDependable[]): EksNodeGroup[] {
    const { environment, name } = props;
    const nodes = environment.nodes;
    const nodeRole = new Role(this, 'node-role', {
      permissionsBoundary: this.boundary,
      name: `${name}-node`,
      description: `The worker nodes of ${name}`,
      trust: serviceTrust('ec2.amazonaws.com'),
      managedPolicyArns: [
        awsManagedPolicy('AmazonEKSWorkerNodePolicy'),
        awsManagedPolicy('AmazonEC2ContainerRegistryPullOnly'),
        // The VPC CNI assigns pod addresses from the node's role: it must work before any pod identity does.
        awsManagedPolicy('AmazonEKS_CNI_Policy'),
        // Shell access through Session Manager, audited, instead of SSH keys and open ports.
        awsManagedPolicy('AmazonSSMManagedInstanceCore'),
      ],
    });
    // Default tags do not reach what the node group launches: instances and volumes get them here.
    const nameTag = { ...platformTags(props.platform), environment: environment.name, Name: `${name}-node` };
    const template = new LaunchTemplate(this, 'node-template', {
      namePrefix: `${name}-node-`,
      description: `Nodes of ${name}: IMDSv2 only, gp3 root volume encrypted with ${name}'s volume key`,
      updateDefaultVersion: true,
      metadataOptions: {
        httpEndpoint: 'enabled',
        httpTokens: 'required',
        // Pods (one more network hop) cannot reach the node's credentials; they use Pod Identity.
        httpPutResponseHopLimit: 1,
      },
      blockDeviceMappings: [
        {
          deviceName: '/dev/xvda',
          ebs: { volumeSize: nodes.diskSizeGiB, volumeType: 'gp3', encrypted: 'true', kmsKeyId: this.volumeKey.arn, deleteOnTermination: 'true' },
        },
      ],
      tagSpecifications: [
        { resourceType: 'instance', tags: nameTag },
        { resourceType: 'volume', tags: nameTag },
      ],
    });
    const subnetOf = Object.fromEntries(props.nodeSubnets.map((s) => [s.zoneId, s.subnetId]));
    return zoneNodeGroups(environment).map(
      (group) =>
        new EksNodeGroup(this, `nodes-${group.zoneId}`, {
          clusterName: this.cluster.name,
          // Node group names are per cluster and at most 63 characters with Terraform's 26-character suffix.
          nodeGroupNamePrefix: `${group.zoneId}-`,
          nodeRoleArn: nodeRole.arn,
          subnetIds: [subnetOf[group.zoneId]],
          amiType: 'AL2023_x86_64_STANDARD',
          capacityType: nodes.capacityType === 'spot' ? 'SPOT' : 'ON_DEMAND',
          instanceTypes: nodes.instanceTypes,
          scalingConfig: { minSize: group.minSize, desiredSize: group.desiredSize, maxSize: group.maxSize },
          updateConfig: { maxUnavailable: 1 },
          launchTemplate: { id: template.id, version: Token.asString(template.latestVersion) },
          // The same labels in every zone: the autoscaler balances groups that differ only in their zone.
          labels: { 'platform-kit/node-group': 'default', 'platform-kit/capacity-type': nodes.capacityType },
          // The autoscaler owns the desired size once the group exists; a new template replaces nodes first.
          lifecycle: { ignoreChanges: ['scaling_config[0].desired_size'], createBeforeDestroy: true },
          dependsOn: [...after, ...nodeRole.dependables],
        }),
    );
  }
}
