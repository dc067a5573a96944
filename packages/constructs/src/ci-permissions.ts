import {
  boundaryPolicyName,
  ciBoundaryPolicyName,
  ciRoleArn,
  ciRolePath,
  oidcProviderArn,
  ciScopes,
  clusterName,
  GITHUB_OIDC_HOST,
  iamPrefix,
  imagesRoleArn,
  scopeTarget,
  SHARED_SCOPE,
  stateKeyAlias,
  type CiScope,
  type Platform,
} from '@platform-kit/config';
import { OWNER_TAG_KEYS, ownedBy } from './boundaries';
import type { Statement } from './iam';

/*
 * What each CI role may do: plan roles read, apply roles change their own scope's resources. Every statement is
 * data, so that the tests can evaluate it with a real IAM policy simulator (packages/constructs/test/iam-*.ts).
 */

/** What Terraform needs to read the platform's resources when it refreshes state for a plan. No secret values. */
export function readOnly(region: string): Statement[] {
  return [
    {
      sid: 'ReadPlatformResources',
      actions: [
        'ec2:Describe*',
        'ec2:GetLaunchTemplateData',
        'ec2:GetEbsEncryptionByDefault',
        'eks:Describe*',
        'eks:List*',
        'iam:Get*',
        'iam:List*',
        'kms:Describe*',
        'kms:GetKeyPolicy',
        'kms:GetKeyRotationStatus',
        'kms:List*',
        'logs:Describe*',
        'logs:ListTagsForResource',
        'logs:ListTagsLogGroup',
        'ecr:Describe*',
        'ecr:GetLifecyclePolicy',
        'ecr:GetRepositoryPolicy',
        'ecr:ListTagsForResource',
        's3:GetBucket*',
        's3:Get*Configuration',
        's3:ListBucket',
        'autoscaling:Describe*',
        'elasticloadbalancing:Describe*',
        'secretsmanager:DescribeSecret',
        'secretsmanager:GetResourcePolicy',
        'codebuild:BatchGetProjects',
        'codestar-connections:GetConnection',
        'codestar-connections:ListTagsForResource',
        'route53:GetChange',
        'route53:GetHostedZone',
        'route53:ListResourceRecordSets',
        'route53:ListTagsForResource',
        'budgets:ViewBudget',
        'budgets:ListTagsForResource',
        'ce:GetAnomalyMonitors',
        'ce:GetAnomalySubscriptions',
        'ce:ListCostAllocationTags',
        'ce:ListTagsForResource',
        // The Client VPN's server certificate, imported into ACM outside Terraform (a public certificate, no key).
        'acm:DescribeCertificate',
        'acm:GetCertificate',
        'acm:ListCertificates',
        'acm:ListTagsForCertificate',
        'sts:GetCallerIdentity',
      ],
      resources: ['*'],
    },
    // The NAT instance's image id (natGateways: instance): AWS's public parameters only, never the account's own.
    { sid: 'ReadPublicImageIds', actions: ['ssm:GetParameter'], resources: [`arn:aws:ssm:${region}::parameter/aws/service/ami-amazon-linux-latest/*`] },
  ];
}

/**
 * The Terraform state a CI role may use: read its own stacks' state and the `shared` outputs they reference,
 * write lock files (plan) or state (apply) for its own stacks only, with the state key. Another
 * environment's state stays out of reach.
 */
export function stateAccess(platform: Platform, stateKeys: string[], kind: 'plan' | 'apply'): Statement[] {
  const bucket = `arn:aws:s3:::${platform.stateBucket}`;
  const own = stateKeys.map((key) => `${bucket}/${key}`);
  const readable = [...own, `${bucket}/${SHARED_SCOPE}/*`];
  return [
    { sid: 'ListStateBucket', actions: ['s3:ListBucket'], resources: [bucket] },
    { sid: 'ReadState', actions: ['s3:GetObject'], resources: [...new Set(readable)] },
    {
      sid: kind === 'plan' ? 'LockState' : 'WriteState',
      actions: ['s3:PutObject', 's3:DeleteObject'],
      resources: kind === 'plan' ? own.map((key) => key.replace(/\*$/, '*.tflock')) : own,
    },
    {
      sid: 'UseStateKey',
      actions: ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey'],
      resources: [`arn:aws:kms:${platform.aws.region}:${platform.aws.accountId}:key/*`],
      conditions: [{ test: 'ForAnyValue:StringEquals', variable: 'kms:ResourceAliases', values: [stateKeyAlias(platform)] }],
    },
  ];
}

/** What managing a budget takes: Budgets' API maps create, update and delete to ModifyBudget. */
const BUDGET_ACTIONS = ['budgets:ModifyBudget', 'budgets:ViewBudget', 'budgets:TagResource', 'budgets:UntagResource', 'budgets:ListTagsForResource'];

export interface ScopeAccess {
  /** State objects (keys, with wildcards) the scope's stacks write. */
  readonly stateKeys: string[];
  /** What both roles need beyond readOnly(). */
  readonly read: Statement[];
  /** What the apply role may change. */
  readonly write: Statement[];
}

/** What the apply role of a scope may change, and what its plan role needs beyond reading. */
export function scopeAccess(platform: Platform, ci: CiScope): ScopeAccess {
  if (ci === SHARED_SCOPE) return sharedAccess(platform);
  // An environment on an existing cluster: its one stack keeps no AWS resource, so its roles get its state and nothing more.
  if (scopeTarget(platform, ci)?.kind === 'kubernetes') return { stateKeys: [`${ci}-*`], read: [], write: [] };
  return environmentAccess(platform, ci);
}

/**
 * `shared`: the registries, the CI roles, the boundaries and the OIDC provider. Its apply role can change the CI
 * roles, itself included: it is the platform's administrator (docs/aws-platform.md).
 */
function sharedAccess(platform: Platform): ScopeAccess {
  const account = platform.aws.accountId;
  const ciRoles = [...ciScopes(platform).flatMap((scope) => (['plan', 'apply'] as const).map((kind) => ciRoleArn(platform, scope, kind))), imagesRoleArn(platform)];
  return {
    stateKeys: [`${SHARED_SCOPE}/*`],
    read: [],
    write: [
      { sid: 'ManageRegistries', actions: ['ecr:*'], resources: [`arn:aws:ecr:${platform.aws.region}:${account}:repository/${platform.name}/*`] },
      { sid: 'CreateRegistries', actions: ['ecr:CreateRepository', 'ecr:GetAuthorizationToken'], resources: ['*'] },
      {
        // The account's GitHub connection (the CI runners'): created pending; a person approves it in the console.
        sid: 'ManageTheGitHubConnection',
        actions: ['codestar-connections:DeleteConnection', 'codestar-connections:GetConnection', 'codestar-connections:TagResource', 'codestar-connections:UntagResource', 'codestar-connections:ListTagsForResource'],
        resources: [`arn:aws:codestar-connections:${platform.aws.region}:${account}:connection/*`],
      },
      {
        // CreateConnection authorizes against no resource: only with the platform's tag (the provider's default tags).
        sid: 'CreateTheGitHubConnection',
        actions: ['codestar-connections:CreateConnection'],
        resources: ['*'],
        conditions: [{ test: 'StringEquals', variable: 'aws:RequestTag/platform', values: [platform.name] }],
      },
      {
        sid: 'ManageCiRoles',
        actions: [
          'iam:*Role',
          'iam:*RolePolicy',
          'iam:*RolePolicies',
          'iam:*RolePermissionsBoundary',
          'iam:UpdateRoleDescription',
          'iam:TagRole',
          'iam:UntagRole',
          'iam:UpdateAssumeRolePolicy',
          'iam:*OpenIDConnectProvider*',
        ],
        // The CI roles and the existing clusters' ECR pull roles (under the CI path), GitHub's OIDC provider and the
        // service account issuers of the existing clusters that pull with web identity.
        resources: [
          ...new Set([...ciRoles, `arn:aws:iam::${account}:role${ciRolePath(platform)}*`]),
          `arn:aws:iam::${account}:oidc-provider/${GITHUB_OIDC_HOST}`,
          ...new Set(platform.environments.flatMap((e) => (e.target?.serviceAccountIssuer ? [oidcProviderArn(platform, e.target.serviceAccountIssuer)] : []))),
        ],
      },
      {
        sid: 'ManageBoundaries',
        actions: ['iam:CreatePolicy', 'iam:DeletePolicy', 'iam:*PolicyVersion', 'iam:TagPolicy', 'iam:UntagPolicy'],
        resources: [`arn:aws:iam::${account}:policy/${boundaryPolicyName(platform, '*')}`, `arn:aws:iam::${account}:policy/${ciBoundaryPolicyName(platform)}`],
      },
      {
        // The registries' own key: ECR encrypts with it through grants it makes when a repository is created.
        sid: 'CreateRegistryKey',
        actions: ['kms:CreateKey', 'kms:TagResource'],
        resources: ['*'],
        conditions: [{ test: 'StringEquals', variable: 'aws:RequestTag/platform', values: [platform.name] }, { test: 'Null', variable: 'aws:RequestTag/environment', values: ['true'] }],
      },
      {
        sid: 'ManageRegistryKey',
        actions: ['kms:*'],
        resources: [`arn:aws:kms:${platform.aws.region}:${account}:key/*`],
        conditions: [{ test: 'StringEquals', variable: 'aws:ResourceTag/platform', values: [platform.name] }, { test: 'Null', variable: 'aws:ResourceTag/environment', values: ['true'] }],
      },
      { sid: 'ManageRegistryKeyAlias', actions: ['kms:CreateAlias', 'kms:DeleteAlias', 'kms:UpdateAlias'], resources: [`arn:aws:kms:${platform.aws.region}:${account}:alias/${platform.name}-ecr`] },
      {
        // The platform's zone and the environments' sub-zones (Route 53 authorizes by zone, not by tag).
        sid: 'ManageDnsZones',
        actions: [
          'route53:DeleteHostedZone',
          'route53:UpdateHostedZoneComment',
          'route53:ChangeTagsForResource',
          'route53:ChangeResourceRecordSets',
          'route53:GetDNSSEC',
          'route53:DisableHostedZoneDNSSEC',
        ],
        // ChangeTagsForResource authorizes against a zone or a health check (the kit tags only zones).
        resources: ['arn:aws:route53:::hostedzone/*', 'arn:aws:route53:::change/*', 'arn:aws:route53:::healthcheck/*'],
      },
      // CreateHostedZone authorizes against no resource (and Route 53 has no tag conditions).
      { sid: 'CreateDnsZones', actions: ['route53:CreateHostedZone'], resources: ['*'] },
      { sid: 'ManageThePlatformsBudget', actions: BUDGET_ACTIONS, resources: [`arn:aws:budgets::${account}:budget/${platform.name}`] },
      {
        // Cost allocation tags are account-wide switches; anomaly monitors and subscriptions have generated ids.
        sid: 'CostAllocationTagsAndAnomalyDetection',
        actions: [
          'ce:UpdateCostAllocationTagsStatus',
          'ce:CreateAnomalyMonitor',
          'ce:UpdateAnomalyMonitor',
          'ce:DeleteAnomalyMonitor',
          'ce:CreateAnomalySubscription',
          'ce:UpdateAnomalySubscription',
          'ce:DeleteAnomalySubscription',
          'ce:TagResource',
          'ce:UntagResource',
        ],
        resources: ['*'],
      },
      {
        sid: 'EncryptNewVolumes',
        actions: ['ec2:EnableEbsEncryptionByDefault', 'ec2:DisableEbsEncryptionByDefault', 'ec2:GetEbsEncryptionByDefault'],
        resources: ['*'],
      },
    ],
  };
}

/**
 * EC2 resources an environment's stacks create, by the action that creates them and the resource type it creates.
 * The create action is allowed only for that type and only with the environment's tags in the request; every other
 * resource the action touches (the VPC of a subnet, the subnet of a NAT gateway) must already carry them.
 */
export const EC2_CREATES = {
  CreateVpc: 'vpc',
  CreateSubnet: 'subnet',
  CreateRouteTable: 'route-table',
  CreateInternetGateway: 'internet-gateway',
  AllocateAddress: 'elastic-ip',
  CreateNatGateway: 'natgateway',
  CreateFlowLogs: 'vpc-flow-log',
  CreateVpcEndpoint: 'vpc-endpoint',
  CreateSecurityGroup: 'security-group',
  CreateLaunchTemplate: 'launch-template',
  CreateClientVpnEndpoint: 'client-vpn-endpoint',
} as const;

/** EC2 actions on an environment's existing resources (and the create actions, for the resources they touch). */
const EC2_CHANGES = [
  ...Object.keys(EC2_CREATES),
  // The Client VPN endpoint (environments[].vpn)
  'ApplySecurityGroupsToClientVpnTargetNetwork',
  'AssociateClientVpnTargetNetwork',
  'AuthorizeClientVpnIngress',
  'DeleteClientVpnEndpoint',
  'DisassociateClientVpnTargetNetwork',
  'ModifyClientVpnEndpoint',
  'RevokeClientVpnIngress',
  'AssociateAddress',
  'AssociateRouteTable',
  'AttachInternetGateway',
  'AuthorizeSecurityGroupEgress',
  'AuthorizeSecurityGroupIngress',
  'CreateLaunchTemplateVersion',
  'CreateRoute',
  'DeleteFlowLogs',
  'DeleteInternetGateway',
  'DeleteLaunchTemplate',
  'DeleteLaunchTemplateVersions',
  'DeleteNatGateway',
  'DeleteRoute',
  'DeleteRouteTable',
  'DeleteSecurityGroup',
  'DeleteSubnet',
  'DeleteVpc',
  'DeleteVpcEndpoints',
  'DetachInternetGateway',
  'DisassociateAddress',
  'DisassociateRouteTable',
  'ModifyInstanceAttribute',
  'ModifyInstanceCreditSpecification',
  'ModifyInstanceMetadataOptions',
  'ModifyLaunchTemplate',
  'ModifySecurityGroupRules',
  'ModifySubnetAttribute',
  'ModifyVpcAttribute',
  'ModifyVpcEndpoint',
  'ReleaseAddress',
  'ReplaceRoute',
  'ReplaceRouteTableAssociation',
  'RevokeSecurityGroupEgress',
  'RevokeSecurityGroupIngress',
  // The NAT instance (natGateways: instance); the nodes are EKS's, terminated through their Auto Scaling groups.
  'StartInstances',
  'StopInstances',
  'TerminateInstances',
  'UpdateSecurityGroupRuleDescriptionsIngress',
].map((action) => `ec2:${action}`);

/**
 * An environment's stacks: network, cluster, the supporting services' AWS side. IAM only for the environment's
 * workload roles and only with its boundary; EC2 only on resources tagged with the environment (and created only
 * with those tags); no Auto Scaling or load balancer changes at all (EKS and Kubernetes make those).
 */
function environmentAccess(platform: Platform, ci: CiScope): ScopeAccess {
  const { region, accountId: account } = platform.aws;
  const prefix = iamPrefix(platform, ci);
  const cluster = clusterName(platform, ci);
  const eks = (resource: string) => `arn:aws:eks:${region}:${account}:${resource}`;
  const ec2 = (resource: string) => `arn:aws:ec2:${region}:${account}:${resource}`;
  const logGroup = (name: string) => `arn:aws:logs:${region}:${account}:log-group:${name}`;
  const workloadRoles = `arn:aws:iam::${account}:role/${prefix}*`;
  const withBoundary = [{ test: 'StringEquals', variable: 'iam:PermissionsBoundary', values: [`arn:aws:iam::${account}:policy/${boundaryPolicyName(platform, ci)}`] }];
  const secrets = `arn:aws:secretsmanager:${region}:${account}:secret:${platform.name}/${ci}/*`;
  const buckets = `arn:aws:s3:::${prefix}*`;
  return {
    stateKeys: [`${ci}-*`],
    // Plans open aws_secretsmanager_random_password as an ephemeral value: a generator, not a secret read.
    read: [{ sid: 'GenerateSecrets', actions: ['secretsmanager:GetRandomPassword'], resources: ['*'] }],
    write: [
      { sid: 'ManageThisEnvironmentsSecrets', actions: ['secretsmanager:*'], resources: [secrets] },
      { sid: 'ManageThisEnvironmentsBuckets', actions: ['s3:*'], resources: [buckets, `${buckets}/*`] },
      ...Object.entries(EC2_CREATES).map(([action, type]) => ({
        sid: `${action}WithThisEnvironmentsTags`,
        actions: [`ec2:${action}`],
        resources: [ec2(`${type}/*`)],
        conditions: ownedBy(platform, ci, 'RequestTag'),
      })),
      { sid: 'ChangeThisEnvironmentsNetwork', actions: EC2_CHANGES, resources: [ec2('*')], conditions: ownedBy(platform, ci, 'ResourceTag') },
      {
        // The Client VPN's network interfaces join the cluster's security group, which EKS created with its own tags
        // (aws:eks:cluster-name), not the environment's.
        sid: 'ClientVpnInThisClustersSecurityGroup',
        actions: ['ec2:CreateClientVpnEndpoint', 'ec2:ModifyClientVpnEndpoint', 'ec2:ApplySecurityGroupsToClientVpnTargetNetwork'],
        resources: [ec2('security-group/*')],
        conditions: [{ test: 'StringEquals', variable: 'aws:ResourceTag/aws:eks:cluster-name', values: [cluster] }],
      },
      {
        // A node group whose launch template tags instances needs its creator to be allowed to launch with it
        // (EKS launches them): only instances and volumes with this environment's tags, in its subnets.
        sid: 'LaunchNodesWithThisEnvironmentsTags',
        actions: ['ec2:RunInstances'],
        resources: [ec2('instance/*'), ec2('volume/*')],
        conditions: ownedBy(platform, ci, 'RequestTag'),
      },
      { sid: 'LaunchNodesInThisEnvironment', actions: ['ec2:RunInstances'], resources: [ec2('subnet/*'), ec2('launch-template/*')], conditions: ownedBy(platform, ci, 'ResourceTag') },
      {
        // The image is AWS's (EKS-optimized AL2023); the network interface and the cluster security group are EKS's.
        sid: 'LaunchNodesFromEksImages',
        actions: ['ec2:RunInstances'],
        resources: [`arn:aws:ec2:${region}::image/*`, ec2('network-interface/*'), ec2('security-group/*')],
      },
      {
        // A security group rule is a resource of its own, created untagged inside a group this environment owns.
        sid: 'RulesInThisEnvironmentsGroups',
        actions: ['ec2:AuthorizeSecurityGroupIngress', 'ec2:AuthorizeSecurityGroupEgress'],
        resources: [ec2('security-group-rule/*')],
      },
      {
        // Tags sent with a create call are authorized as ec2:CreateTags on the new resource.
        sid: 'TagOnCreate',
        actions: ['ec2:CreateTags'],
        resources: [ec2('*')],
        conditions: [{ test: 'StringEquals', variable: 'ec2:CreateAction', values: [...Object.keys(EC2_CREATES), 'RunInstances'] }, ...ownedBy(platform, ci, 'RequestTag')],
      },
      {
        // Other tags on its own resources; never the owner tags, which would move a resource between environments.
        sid: 'RetagThisEnvironmentsResources',
        actions: ['ec2:CreateTags', 'ec2:DeleteTags'],
        resources: [ec2('*')],
        conditions: [...ownedBy(platform, ci, 'ResourceTag'), { test: 'ForAllValues:StringNotEquals', variable: 'aws:TagKeys', values: [...OWNER_TAG_KEYS] }],
      },
      {
        // The VPC's default security group exists untagged: it may be tagged as this environment's once, then
        // emptied. Security group rules may be tagged after they are created.
        sid: 'AdoptUntaggedSecurityGroups',
        actions: ['ec2:CreateTags'],
        resources: [ec2('security-group/*'), ec2('security-group-rule/*')],
        conditions: [{ test: 'Null', variable: 'aws:ResourceTag/environment', values: ['true'] }, ...ownedBy(platform, ci, 'RequestTag')],
      },
      {
        // CreateCluster authorizes against no resource: only with the environment's tags (the provider's default tags).
        sid: 'CreateThisEnvironmentsCluster',
        actions: ['eks:CreateCluster'],
        resources: ['*'],
        conditions: ownedBy(platform, ci, 'RequestTag'),
      },
      {
        sid: 'ManageThisEnvironmentsCluster',
        actions: ['eks:*'],
        resources: [`cluster/${cluster}`, `nodegroup/${cluster}/*`, `addon/${cluster}/*`, `access-entry/${cluster}/*`, `podidentityassociation/${cluster}/*`].map(eks),
      },
      { sid: 'ManageThisEnvironmentsBudget', actions: BUDGET_ACTIONS, resources: [`arn:aws:budgets::${account}:budget/${cluster}`] },
      { sid: 'ManageThisEnvironmentsLogs', actions: ['logs:*'], resources: [logGroup(`/aws/eks/${cluster}/*`), logGroup(`/platform/${cluster}/*`)] },
      // The CI runner: its CodeBuild project and webhook, made over the account's GitHub connection.
      { sid: 'ManageThisEnvironmentsRunner', actions: ['codebuild:*'], resources: [`arn:aws:codebuild:${region}:${account}:project/${prefix}*`] },
      {
        sid: 'UseTheGitHubConnection',
        actions: ['codestar-connections:GetConnection', 'codestar-connections:PassConnection', 'codestar-connections:UseConnection'],
        resources: [`arn:aws:codestar-connections:${region}:${account}:connection/*`],
      },
      { sid: 'CreateKeys', actions: ['kms:CreateKey', 'kms:TagResource'], resources: ['*'], conditions: ownedBy(platform, ci, 'RequestTag') },
      { sid: 'ManageThisEnvironmentsKeys', actions: ['kms:*'], resources: [`arn:aws:kms:${region}:${account}:key/*`], conditions: ownedBy(platform, ci, 'ResourceTag') },
      { sid: 'ManageThisEnvironmentsAliases', actions: ['kms:CreateAlias', 'kms:DeleteAlias', 'kms:UpdateAlias'], resources: [`arn:aws:kms:${region}:${account}:alias/${prefix}*`] },
      {
        // A role is created, and its policies changed, only while it carries the environment's boundary, which
        // this role can neither change nor remove.
        sid: 'BoundedWorkloadRoles',
        actions: ['iam:CreateRole', 'iam:PutRolePermissionsBoundary', 'iam:PutRolePolicy', 'iam:DeleteRolePolicy'],
        resources: [workloadRoles],
        conditions: withBoundary,
      },
      {
        // Only AWS managed policies are attached: a customer policy would be one more thing to keep in check.
        sid: 'AwsManagedPoliciesOnBoundedWorkloadRoles',
        actions: ['iam:AttachRolePolicy', 'iam:DetachRolePolicy'],
        resources: [workloadRoles],
        conditions: [...withBoundary, { test: 'ArnLike', variable: 'iam:PolicyARN', values: ['arn:aws:iam::aws:policy/*'] }],
      },
      {
        sid: 'ManageWorkloadRoles',
        actions: ['iam:DeleteRole', 'iam:UpdateRole', 'iam:UpdateRoleDescription', 'iam:UpdateAssumeRolePolicy', 'iam:TagRole', 'iam:UntagRole', 'iam:PassRole'],
        resources: [workloadRoles],
      },
      {
        sid: 'CreateServiceLinkedRoles',
        actions: ['iam:CreateServiceLinkedRole'],
        resources: ['*'],
        conditions: [
          {
            test: 'StringEquals',
            variable: 'iam:AWSServiceName',
            values: ['eks.amazonaws.com', 'eks-nodegroup.amazonaws.com', 'autoscaling.amazonaws.com', 'elasticloadbalancing.amazonaws.com', 'spot.amazonaws.com', 'clientvpn.amazonaws.com'],
          },
        ],
      },
    ],
  };
}
