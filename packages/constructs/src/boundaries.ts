import { boundaryPolicyName, ciBoundaryPolicyName, ciRolePath, clusterName, iamPrefix, type Platform } from '@platform-kit/config';
import type { Statement } from './iam';

/*
 * Permissions boundaries: the most a role may do, whatever policies it is given. Two kinds, both kept in the
 * `shared` stack, out of reach of every environment's apply role:
 * - an environment's workload boundary, worn by every role its stacks create (control plane, nodes, add-ons,
 *   flow logs, the supporting services' Pod Identity roles): exactly the actions those roles' policies use,
 *   with the environment's own buckets, secrets and keys;
 * - the CI boundary, worn by every CI role but `shared`'s apply role: no role chaining, no change to a CI role
 *   or a boundary, no IAM users or keys.
 */

/** Tag keys that say which platform and environment a resource belongs to: what the apply roles' scoping reads. */
export const OWNER_TAG_KEYS = ['platform', 'environment'] as const;

/**
 * EC2 actions of the control plane (AmazonEKSClusterPolicy: security groups and volumes of the in-tree cloud
 * provider), the VPC CNI (AmazonEKS_CNI_Policy: pod network interfaces) and the EBS CSI driver
 * (AmazonEBSCSIDriverPolicy: volumes and snapshots). Routes are separate: see ROUTE_ACTIONS.
 */
const WORKLOAD_EC2_ACTIONS = [
  'ec2:Describe*',
  'ec2:GetInstanceTypesFromInstanceRequirements',
  // Volumes and snapshots (EBS CSI driver, control plane)
  'ec2:AttachVolume',
  'ec2:CopyVolumes',
  'ec2:CreateSnapshot',
  'ec2:CreateVolume',
  'ec2:DeleteSnapshot',
  'ec2:DeleteVolume',
  'ec2:DetachVolume',
  'ec2:EnableFastSnapshotRestores',
  'ec2:LockSnapshot',
  'ec2:ModifyVolume',
  // Network interfaces (VPC CNI)
  'ec2:AssignPrivateIpAddresses',
  'ec2:AttachNetworkInterface',
  'ec2:CreateNetworkInterface',
  'ec2:DeleteNetworkInterface',
  'ec2:DetachNetworkInterface',
  'ec2:ModifyNetworkInterfaceAttribute',
  'ec2:UnassignPrivateIpAddresses',
  // CodeBuild's network interfaces in the VPC (the CI runner), lent to CodeBuild only
  'ec2:CreateNetworkInterfacePermission',
  // Security groups and instances of load balancers (control plane)
  'ec2:AuthorizeSecurityGroupIngress',
  'ec2:CreateSecurityGroup',
  'ec2:DeleteSecurityGroup',
  'ec2:ModifyInstanceAttribute',
  'ec2:RevokeSecurityGroupIngress',
  // Tags on what the above create (never the platform's own tags: see ProtectOwnerTags)
  'ec2:CreateTags',
  'ec2:DeleteTags',
];

/** AmazonEKSClusterPolicy's route actions (kubenet only; the VPC CNI adds none): only this environment's route tables. */
const ROUTE_ACTIONS = ['ec2:CreateRoute', 'ec2:DeleteRoute'];

/** Session Manager on the nodes (AmazonSSMManagedInstanceCore): the agent's calls, not SendCommand or parameters at large. */
const SSM_AGENT_ACTIONS = [
  'ssm:DescribeAssociation',
  'ssm:DescribeDocument',
  'ssm:GetDeployablePatchSnapshotForInstance',
  'ssm:GetDocument',
  'ssm:GetManifest',
  'ssm:GetParameter',
  'ssm:GetParameters',
  'ssm:ListAssociations',
  'ssm:ListInstanceAssociations',
  'ssm:PutComplianceItems',
  'ssm:PutConfigurePackageResult',
  'ssm:PutInventory',
  'ssm:UpdateAssociationStatus',
  'ssm:UpdateInstanceAssociationStatus',
  'ssm:UpdateInstanceInformation',
  'ssmmessages:*',
  'ec2messages:*',
];

/** The environment's own resources, by the tags every taggable resource of its stacks carries. */
export function ownedBy(platform: Platform, environment: string, key: 'ResourceTag' | 'RequestTag'): Statement['conditions'] & object {
  return [
    { test: 'StringEquals', variable: `aws:${key}/platform`, values: [platform.name] },
    { test: 'StringEquals', variable: `aws:${key}/environment`, values: [environment] },
  ];
}

/**
 * The boundary of an environment's workload roles. Whatever policy an apply role attaches to a role it creates,
 * the role can do no more than this: no network or instance deletion, no IAM beyond service-linked roles, and
 * data (buckets, secrets, keys) of this environment only.
 */
export function workloadBoundary(platform: Platform, environment: string, dnsZoneArn?: string): Statement[] {
  const { region, accountId: account } = platform.aws;
  const cluster = clusterName(platform, environment);
  const logGroup = (name: string) => `arn:aws:logs:${region}:${account}:log-group:${name}`;
  const buckets = `arn:aws:s3:::${iamPrefix(platform, environment)}*`;
  return [
    {
      sid: 'ClusterNodesAndAddOns',
      actions: [
        ...WORKLOAD_EC2_ACTIONS,
        ...SSM_AGENT_ACTIONS,
        // Load balancers of LoadBalancer Services (control plane): they carry only Kubernetes' tags.
        'elasticloadbalancing:*',
        'autoscaling:Describe*',
        'autoscaling:UpdateAutoScalingGroup',
        // Image pulls (AmazonEC2ContainerRegistryPullOnly)
        'ecr:BatchGetImage',
        'ecr:BatchImportUpstreamImage',
        'ecr:GetAuthorizationToken',
        'ecr:GetDownloadUrlForLayer',
        'eks:DescribeCluster',
        'eks:DescribeNodegroup',
        'kms:DescribeKey',
        'sts:GetCallerIdentity',
      ],
      resources: ['*'],
    },
    { sid: 'RoutesOfThisEnvironment', actions: ROUTE_ACTIONS, resources: ['*'], conditions: ownedBy(platform, environment, 'ResourceTag') },
    {
      // The cluster autoscaler changes only the node groups of this cluster (EKS tags their Auto Scaling groups).
      sid: 'ScaleThisClustersNodeGroups',
      actions: ['autoscaling:SetDesiredCapacity', 'autoscaling:TerminateInstanceInAutoScalingGroup'],
      resources: ['*'],
      conditions: [{ test: 'StringEquals', variable: `aws:ResourceTag/k8s.io/cluster-autoscaler/${cluster}`, values: ['owned'] }],
    },
    {
      // The Pod Identity agent on the nodes fetches the pods' credentials (AmazonEKSWorkerNodePolicy).
      sid: 'PodIdentityOfThisCluster',
      actions: ['eks-auth:AssumeRoleForPodIdentity'],
      resources: [`arn:aws:eks:${region}:${account}:cluster/${cluster}`],
    },
    {
      sid: 'ServiceLinkedRolesOfLoadBalancers',
      actions: ['iam:CreateServiceLinkedRole'],
      resources: ['*'],
      conditions: [{ test: 'StringEquals', variable: 'iam:AWSServiceName', values: ['elasticloadbalancing.amazonaws.com'] }],
    },
    { sid: 'FindLogGroups', actions: ['logs:DescribeLogGroups'], resources: [logGroup('*')] },
    {
      // The CI runner (CodeBuild) receives GitHub's job events over the account's GitHub connection.
      sid: 'UseTheGitHubConnection',
      actions: ['codestar-connections:GetConnection', 'codestar-connections:GetConnectionToken', 'codestar-connections:UseConnection'],
      resources: [`arn:aws:codestar-connections:${region}:${account}:connection/*`],
    },
    {
      // VPC flow logs and the CI runner (the only workloads that write to CloudWatch Logs themselves).
      sid: 'LogsOfThisEnvironment',
      actions: ['logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'],
      resources: [logGroup(`/platform/${cluster}/*`), logGroup(`/aws/eks/${cluster}/*`)],
    },
    {
      sid: 'BucketsOfThisEnvironment',
      actions: ['s3:ListBucket', 's3:GetBucketLocation', 's3:GetObject', 's3:PutObject', 's3:DeleteObject', 's3:AbortMultipartUpload', 's3:ListMultipartUploadParts'],
      resources: [buckets, `${buckets}/*`],
    },
    {
      sid: 'SecretsOfThisEnvironment',
      actions: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'],
      resources: [`arn:aws:secretsmanager:${region}:${account}:secret:${platform.name}/${environment}/*`],
    },
    {
      // Buckets, secrets and volumes encrypted with this environment's keys (grants only for AWS resources).
      sid: 'KeysOfThisEnvironment',
      actions: ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey*', 'kms:ReEncrypt*', 'kms:CreateGrant', 'kms:ListGrants', 'kms:RevokeGrant'],
      resources: [`arn:aws:kms:${region}:${account}:key/*`],
      conditions: ownedBy(platform, environment, 'ResourceTag'),
    },
    ...(dnsZoneArn ? dnsRecordsOf(dnsZoneArn) : []),
    {
      // Retagging a resource as this environment's would hand it to the environment's apply role.
      sid: 'ProtectOwnerTags',
      effect: 'Deny',
      actions: ['ec2:CreateTags', 'ec2:DeleteTags'],
      resources: ['*'],
      conditions: [
        { test: 'ForAnyValue:StringEquals', variable: 'aws:TagKeys', values: [...OWNER_TAG_KEYS] },
        // Tags sent with a create call (the EBS CSI driver's volumes carry the environment's, for its budget) pass
        // when they name this environment: see OwnTagsOnCreate.
        { test: 'Null', variable: 'ec2:CreateAction', values: ['true'] },
      ],
    },
    ...OWNER_TAG_KEYS.map((key) => ({
      // A new resource may carry the owner tags, but only this platform's and this environment's values.
      sid: `OwnTagsOnCreate${key[0].toUpperCase()}${key.slice(1)}`,
      effect: 'Deny' as const,
      actions: ['ec2:CreateTags'],
      resources: ['*'],
      conditions: [
        { test: 'Null', variable: `aws:RequestTag/${key}`, values: ['false'] },
        { test: 'StringNotEquals', variable: `aws:RequestTag/${key}`, values: [key === 'platform' ? platform.name : environment] },
      ],
    })),
  ];
}

/** external-dns and cert-manager's DNS-01 solver: records of this environment's zone only; finding zones anywhere. */
function dnsRecordsOf(zoneArn: string): Statement[] {
  return [
    { sid: 'RecordsOfThisEnvironmentsZone', actions: ['route53:ChangeResourceRecordSets', 'route53:ListResourceRecordSets', 'route53:ListTagsForResources'], resources: [zoneArn] },
    { sid: 'FindZonesAndChanges', actions: ['route53:GetChange', 'route53:ListHostedZones', 'route53:ListHostedZonesByName'], resources: ['*'] },
  ];
}

/**
 * The boundary of the CI roles (every plan role, every environment's apply role, the images role): the services
 * the stacks use, and never role chaining (a role an apply role creates and trusts could otherwise lend it its
 * permissions), a change to a CI role or a boundary, removing a boundary, or IAM users and keys.
 */
export function ciBoundary(platform: Platform): Statement[] {
  const account = platform.aws.accountId;
  return [
    {
      sid: 'PlatformServices',
      actions: [
        'ec2:*',
        'eks:*',
        'codebuild:*',
        'codestar-connections:*',
        'iam:*',
        'kms:*',
        'logs:*',
        'ecr:*',
        's3:*',
        'secretsmanager:*',
        // The platform's zones are in `shared`: the other CI roles only read them (a plan's refresh).
        'route53:Get*',
        'route53:List*',
        // Each environment's budget is in its network stack; the platform's cost settings are in `shared`.
        'budgets:*',
        'ce:Get*',
        'ce:List*',
        // AWS's public parameters (the NAT instance's image id); the identity policies narrow it to those.
        'ssm:GetParameter',
        // The Client VPN's server certificate (imported outside Terraform), read only.
        'acm:DescribeCertificate',
        'acm:GetCertificate',
        'acm:ListCertificates',
        'acm:ListTagsForCertificate',
        'autoscaling:Describe*',
        'elasticloadbalancing:Describe*',
        'sts:GetCallerIdentity',
      ],
      resources: ['*'],
    },
    {
      sid: 'NoRoleChaining',
      effect: 'Deny',
      actions: ['sts:AssumeRole', 'sts:AssumeRoleWithWebIdentity', 'sts:AssumeRoleWithSAML', 'sts:TagSession', 'sts:SetSourceIdentity'],
      resources: ['*'],
    },
    {
      sid: 'NoChangeToCiRolesOrBoundaries',
      effect: 'Deny',
      actions: [
        'iam:Attach*',
        'iam:Create*',
        'iam:Delete*',
        'iam:Detach*',
        'iam:PassRole',
        'iam:Put*',
        'iam:Tag*',
        'iam:Untag*',
        'iam:Update*',
      ],
      resources: [
        `arn:aws:iam::${account}:role${ciRolePath(platform)}*`,
        `arn:aws:iam::${account}:policy/${boundaryPolicyName(platform, '*')}`,
        `arn:aws:iam::${account}:policy/${ciBoundaryPolicyName(platform)}`,
        `arn:aws:iam::${account}:oidc-provider/*`,
      ],
    },
    {
      sid: 'NoBoundaryRemovalNoUsers',
      effect: 'Deny',
      actions: [
        'iam:DeleteRolePermissionsBoundary',
        'iam:DeleteUserPermissionsBoundary',
        'iam:CreateUser',
        'iam:CreateAccessKey',
        'iam:CreateLoginProfile',
        'iam:UpdateLoginProfile',
        'iam:CreatePolicyVersion',
        'iam:SetDefaultPolicyVersion',
      ],
      resources: ['*'],
    },
  ];
}
