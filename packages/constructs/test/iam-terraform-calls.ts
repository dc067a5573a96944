/*
 * The AWS API calls Terraform's AWS provider (5.100) makes for each resource type the platform's stacks contain,
 * by operation: what a CI role must be allowed to do to plan (read) or apply (create, update, delete) them. Read
 * from the provider's source (internal/service/*: the Create/Read/Update/Delete functions), the EKS user guide for
 * the caller permissions EKS checks, and the IAM service reference for the resources each action authorizes.
 * A resource type a stack contains but this table lacks fails the tests: a new resource must say what it calls.
 */

export interface Call {
  /** `service:Action`. */
  readonly action: string;
  /** Optional resource types of the action that this call also touches (its required ones are always checked). */
  readonly also?: readonly string[];
  /** The resource exists but carries none of the platform's tags yet (e.g. the VPC's default security group). */
  readonly untagged?: boolean;
  /** A role passed to a service, or a policy attached: the IAM role or policy named in the call. */
  readonly passes?: 'workload-role';
  /** Extra request context (condition keys) the call carries. */
  readonly context?: Record<string, string | string[]>;
}

export interface Operations {
  readonly create: readonly Call[];
  readonly read: readonly Call[];
  readonly update?: readonly Call[];
  readonly delete: readonly Call[];
}

const c = (action: string, extra: Omit<Call, 'action'> = {}): Call => ({ action, ...extra });
const ec2 = (...actions: string[]) => actions.map((a) => c(`ec2:${a}`));
const s3 = (put: string, get: string, del?: string): Operations => ({
  create: [c(`s3:${put}`)],
  read: [c(`s3:${get}`)],
  delete: del ? [c(`s3:${del}`)] : [],
});
const tagsUpdate = [c('ec2:CreateTags'), c('ec2:DeleteTags')];

export const TERRAFORM_CALLS: Record<string, Operations> = {
  // ---- network
  aws_vpc: {
    create: [...ec2('CreateVpc', 'DescribeVpcs', 'ModifyVpcAttribute', 'DescribeVpcAttribute')],
    read: ec2('DescribeVpcs', 'DescribeVpcAttribute', 'DescribeNetworkAcls', 'DescribeRouteTables', 'DescribeSecurityGroups'),
    update: [...ec2('ModifyVpcAttribute'), ...tagsUpdate],
    delete: ec2('DeleteVpc', 'DescribeVpcs'),
  },
  aws_default_security_group: {
    // Tags first (the group exists untagged), then every rule is revoked; a destroy makes no call.
    create: [...ec2('DescribeSecurityGroups', 'DescribeSecurityGroupRules'), c('ec2:CreateTags', { untagged: true, also: ['security-group'] }), ...ec2('RevokeSecurityGroupIngress', 'RevokeSecurityGroupEgress')],
    read: ec2('DescribeSecurityGroups'),
    update: tagsUpdate,
    delete: [],
  },
  aws_internet_gateway: {
    create: [...ec2('CreateInternetGateway', 'AttachInternetGateway', 'DescribeInternetGateways')],
    read: ec2('DescribeInternetGateways'),
    update: tagsUpdate,
    delete: ec2('DetachInternetGateway', 'DeleteInternetGateway'),
  },
  aws_route_table: {
    create: ec2('CreateRouteTable', 'DescribeRouteTables', 'CreateRoute'),
    read: ec2('DescribeRouteTables', 'DescribeNetworkInterfaces'),
    update: [...ec2('CreateRoute', 'ReplaceRoute', 'DeleteRoute'), ...tagsUpdate],
    delete: ec2('DescribeRouteTables', 'DisassociateRouteTable', 'DeleteRouteTable'),
  },
  aws_route_table_association: {
    create: [c('ec2:AssociateRouteTable', { also: ['subnet'] }), ...ec2('DescribeRouteTables')],
    read: ec2('DescribeRouteTables'),
    update: ec2('ReplaceRouteTableAssociation'),
    delete: ec2('DisassociateRouteTable'),
  },
  aws_subnet: {
    create: ec2('CreateSubnet', 'DescribeSubnets'),
    read: ec2('DescribeSubnets'),
    update: [...ec2('ModifySubnetAttribute'), ...tagsUpdate],
    delete: ec2('DescribeNetworkInterfaces', 'DeleteSubnet'),
  },
  aws_eip: {
    // AssociateAddress: the NAT instance's address (natGateways: instance).
    create: [...ec2('AllocateAddress', 'DescribeAddresses'), c('ec2:AssociateAddress', { also: ['instance'] })],
    read: ec2('DescribeAddresses', 'DescribeAddressesAttribute'),
    update: [...tagsUpdate, c('ec2:AssociateAddress', { also: ['instance'] })],
    delete: ec2('DisassociateAddress', 'ReleaseAddress'),
  },
  aws_instance: {
    // The NAT instance: launched with its volume tagged, then its source/destination check turned off.
    create: [
      c('ec2:RunInstances', { also: ['volume', 'network-interface', 'security-group', 'subnet', 'image'] }),
      ...ec2('DescribeInstances', 'DescribeInstanceAttribute', 'DescribeInstanceCreditSpecifications', 'DescribeVolumes', 'ModifyInstanceAttribute'),
    ],
    read: ec2('DescribeInstances', 'DescribeInstanceAttribute', 'DescribeInstanceCreditSpecifications', 'DescribeVolumes', 'DescribeInstanceTypes'),
    update: [...ec2('ModifyInstanceAttribute', 'ModifyInstanceMetadataOptions', 'ModifyInstanceCreditSpecification', 'StopInstances', 'StartInstances'), ...tagsUpdate],
    delete: ec2('TerminateInstances', 'DescribeInstances'),
  },
  // ---- <env>-cluster: the Client VPN (environments[].vpn)
  aws_ec2_client_vpn_endpoint: {
    // Joins the cluster's security group, which EKS made (it carries EKS's tags, not the platform's).
    create: [
      c('ec2:CreateClientVpnEndpoint', { also: ['vpc', 'security-group'] }),
      ...ec2('DescribeClientVpnEndpoints'),
      c('acm:GetCertificate'),
      c('logs:DescribeLogGroups'),
      c('logs:DescribeLogStreams'),
      c('logs:CreateLogStream'),
    ],
    read: ec2('DescribeClientVpnEndpoints'),
    update: [c('ec2:ModifyClientVpnEndpoint', { also: ['vpc', 'security-group'] }), ...tagsUpdate],
    delete: ec2('DeleteClientVpnEndpoint', 'DescribeClientVpnEndpoints'),
  },
  aws_ec2_client_vpn_network_association: {
    create: [c('ec2:AssociateClientVpnTargetNetwork', { also: ['subnet'] }), ...ec2('DescribeClientVpnTargetNetworks')],
    read: ec2('DescribeClientVpnTargetNetworks'),
    delete: ec2('DisassociateClientVpnTargetNetwork', 'DescribeClientVpnTargetNetworks'),
  },
  aws_ec2_client_vpn_authorization_rule: {
    create: ec2('AuthorizeClientVpnIngress', 'DescribeClientVpnAuthorizationRules'),
    read: ec2('DescribeClientVpnAuthorizationRules'),
    delete: ec2('RevokeClientVpnIngress', 'DescribeClientVpnAuthorizationRules'),
  },
  aws_vpc_security_group_egress_rule: {
    create: [c('ec2:AuthorizeSecurityGroupEgress', { also: ['security-group-rule'] }), c('ec2:CreateTags', { untagged: true, also: ['security-group-rule'] })],
    read: ec2('DescribeSecurityGroupRules'),
    update: ec2('ModifySecurityGroupRules'),
    delete: ec2('RevokeSecurityGroupEgress'),
  },
  aws_nat_gateway: {
    create: [c('ec2:CreateNatGateway', { also: ['subnet', 'elastic-ip'] }), ...ec2('DescribeNatGateways')],
    read: ec2('DescribeNatGateways'),
    update: tagsUpdate,
    delete: ec2('DeleteNatGateway', 'DescribeNatGateways'),
  },
  aws_flow_log: {
    create: [c('ec2:CreateFlowLogs', { also: ['vpc'] }), c('iam:PassRole', { passes: 'workload-role' })],
    read: ec2('DescribeFlowLogs'),
    update: tagsUpdate,
    delete: ec2('DeleteFlowLogs'),
  },
  aws_vpc_endpoint: {
    create: [c('ec2:CreateVpcEndpoint', { also: ['route-table', 'subnet', 'security-group'] }), ...ec2('DescribeVpcEndpoints', 'DescribePrefixLists')],
    read: ec2('DescribeVpcEndpoints', 'DescribePrefixLists', 'DescribeNetworkInterfaces'),
    update: [c('ec2:ModifyVpcEndpoint', { also: ['route-table', 'subnet', 'security-group'] }), ...tagsUpdate],
    delete: ec2('DeleteVpcEndpoints', 'DescribeVpcEndpoints'),
  },
  aws_security_group: {
    // The provider always revokes the default allow-all egress rule of a new group.
    create: ec2('CreateSecurityGroup', 'DescribeSecurityGroups', 'RevokeSecurityGroupEgress'),
    read: ec2('DescribeSecurityGroups'),
    update: tagsUpdate,
    delete: ec2('DescribeNetworkInterfaces', 'DeleteSecurityGroup'),
  },
  aws_vpc_security_group_ingress_rule: {
    // Some provider versions tag the new rule with a separate call after creating it.
    create: [c('ec2:AuthorizeSecurityGroupIngress', { also: ['security-group-rule'] }), c('ec2:CreateTags', { untagged: true, also: ['security-group-rule'] })],
    read: ec2('DescribeSecurityGroupRules'),
    update: ec2('ModifySecurityGroupRules'),
    delete: ec2('RevokeSecurityGroupIngress'),
  },
  aws_cloudwatch_log_group: {
    create: [c('logs:CreateLogGroup'), c('logs:PutRetentionPolicy'), c('logs:TagResource')],
    read: [c('logs:DescribeLogGroups'), c('logs:ListTagsForResource')],
    update: [c('logs:PutRetentionPolicy'), c('logs:TagResource'), c('logs:UntagResource')],
    delete: [c('logs:DeleteLogGroup')],
  },
  aws_kms_key: {
    create: [c('kms:CreateKey'), c('kms:EnableKeyRotation'), c('kms:DescribeKey'), c('kms:GetKeyPolicy'), c('kms:GetKeyRotationStatus'), c('kms:ListResourceTags')],
    read: [c('kms:DescribeKey'), c('kms:GetKeyPolicy'), c('kms:GetKeyRotationStatus'), c('kms:ListResourceTags')],
    update: [c('kms:PutKeyPolicy'), c('kms:UpdateKeyDescription'), c('kms:TagResource'), c('kms:UntagResource')],
    delete: [c('kms:ScheduleKeyDeletion')],
  },
  aws_kms_alias: {
    create: [c('kms:CreateAlias')],
    read: [c('kms:ListAliases')],
    update: [c('kms:UpdateAlias')],
    delete: [c('kms:DeleteAlias')],
  },
  aws_iam_role: {
    create: [c('iam:CreateRole'), c('iam:GetRole'), c('iam:ListRolePolicies'), c('iam:ListAttachedRolePolicies')],
    read: [c('iam:GetRole'), c('iam:ListRolePolicies'), c('iam:ListAttachedRolePolicies')],
    update: [c('iam:UpdateAssumeRolePolicy'), c('iam:UpdateRole'), c('iam:UpdateRoleDescription'), c('iam:PutRolePermissionsBoundary'), c('iam:TagRole'), c('iam:UntagRole')],
    delete: [c('iam:ListInstanceProfilesForRole'), c('iam:DeleteRole')],
  },
  aws_iam_role_policy: {
    create: [c('iam:PutRolePolicy')],
    read: [c('iam:GetRolePolicy')],
    delete: [c('iam:DeleteRolePolicy')],
  },
  aws_iam_role_policy_attachment: {
    create: [c('iam:AttachRolePolicy', { context: { 'iam:PolicyARN': 'arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy' } })],
    read: [c('iam:ListAttachedRolePolicies')],
    delete: [c('iam:DetachRolePolicy', { context: { 'iam:PolicyARN': 'arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy' } })],
  },

  // ---- cluster
  aws_launch_template: {
    create: ec2('CreateLaunchTemplate', 'DescribeLaunchTemplates', 'DescribeLaunchTemplateVersions'),
    read: ec2('DescribeLaunchTemplates', 'DescribeLaunchTemplateVersions'),
    update: [...ec2('CreateLaunchTemplateVersion', 'ModifyLaunchTemplate'), ...tagsUpdate],
    delete: ec2('DeleteLaunchTemplate'),
  },
  aws_eks_cluster: {
    // The caller must be able to use the secrets key (EKS user guide, envelope encryption).
    create: [c('eks:CreateCluster'), c('eks:TagResource'), c('iam:PassRole', { passes: 'workload-role' }), c('kms:DescribeKey'), c('kms:CreateGrant'), c('eks:DescribeCluster')],
    read: [c('eks:DescribeCluster')],
    update: [c('eks:UpdateClusterVersion'), c('eks:UpdateClusterConfig'), c('eks:TagResource'), c('eks:UntagResource')],
    delete: [c('eks:DeleteCluster'), c('eks:DescribeCluster')],
  },
  aws_eks_node_group: {
    // A launch template that tags instances needs a caller that may launch with it (EKS user guide, launch templates).
    create: [
      c('eks:CreateNodegroup'),
      c('eks:TagResource'),
      c('iam:PassRole', { passes: 'workload-role' }),
      c('ec2:RunInstances', { also: ['launch-template', 'volume'] }),
      c('eks:DescribeNodegroup'),
    ],
    read: [c('eks:DescribeNodegroup')],
    update: [c('eks:UpdateNodegroupConfig'), c('eks:UpdateNodegroupVersion')],
    delete: [c('eks:DeleteNodegroup'), c('eks:DescribeNodegroup')],
  },
  aws_eks_addon: {
    create: [c('eks:CreateAddon'), c('eks:TagResource'), c('iam:PassRole', { passes: 'workload-role' }), c('eks:DescribeAddon')],
    read: [c('eks:DescribeAddon')],
    update: [c('eks:UpdateAddon')],
    delete: [c('eks:DeleteAddon'), c('eks:DescribeAddon')],
  },
  aws_eks_access_entry: {
    create: [c('eks:CreateAccessEntry'), c('eks:DescribeAccessEntry')],
    read: [c('eks:DescribeAccessEntry')],
    delete: [c('eks:DeleteAccessEntry')],
  },
  aws_eks_access_policy_association: {
    create: [c('eks:AssociateAccessPolicy')],
    read: [c('eks:ListAssociatedAccessPolicies')],
    delete: [c('eks:DisassociateAccessPolicy')],
  },
  aws_eks_pod_identity_association: {
    create: [c('eks:CreatePodIdentityAssociation'), c('iam:PassRole', { passes: 'workload-role' })],
    read: [c('eks:DescribePodIdentityAssociation')],
    update: [c('eks:UpdatePodIdentityAssociation'), c('iam:PassRole', { passes: 'workload-role' })],
    delete: [c('eks:DeletePodIdentityAssociation')],
  },

  // ---- services-aws
  aws_s3_bucket: {
    create: [c('s3:CreateBucket'), c('s3:PutBucketTagging'), c('s3:ListBucket')],
    read: [c('s3:ListBucket'), c('s3:GetBucketTagging'), c('s3:GetBucketPolicy'), c('s3:GetBucketAcl'), c('s3:GetBucketCORS'), c('s3:GetBucketVersioning'), c('s3:GetEncryptionConfiguration'), c('s3:GetLifecycleConfiguration'), c('s3:GetBucketLogging'), c('s3:GetBucketObjectLockConfiguration'), c('s3:GetReplicationConfiguration'), c('s3:GetAccelerateConfiguration'), c('s3:GetBucketRequestPayment'), c('s3:GetBucketWebsite')],
    update: [c('s3:PutBucketTagging')],
    delete: [c('s3:DeleteBucket'), c('s3:ListBucketVersions'), c('s3:DeleteObjectVersion')],
  },
  aws_s3_bucket_versioning: s3('PutBucketVersioning', 'GetBucketVersioning'),
  aws_s3_bucket_lifecycle_configuration: s3('PutLifecycleConfiguration', 'GetLifecycleConfiguration', 'PutLifecycleConfiguration'),
  aws_s3_bucket_ownership_controls: s3('PutBucketOwnershipControls', 'GetBucketOwnershipControls', 'PutBucketOwnershipControls'),
  aws_s3_bucket_policy: s3('PutBucketPolicy', 'GetBucketPolicy', 'DeleteBucketPolicy'),
  aws_s3_bucket_public_access_block: s3('PutBucketPublicAccessBlock', 'GetBucketPublicAccessBlock', 'PutBucketPublicAccessBlock'),
  aws_s3_bucket_server_side_encryption_configuration: s3('PutEncryptionConfiguration', 'GetEncryptionConfiguration', 'PutEncryptionConfiguration'),
  aws_secretsmanager_secret: {
    create: [c('secretsmanager:CreateSecret'), c('secretsmanager:TagResource'), c('secretsmanager:DescribeSecret'), c('secretsmanager:GetResourcePolicy')],
    read: [c('secretsmanager:DescribeSecret'), c('secretsmanager:GetResourcePolicy')],
    update: [c('secretsmanager:UpdateSecret'), c('secretsmanager:TagResource'), c('secretsmanager:UntagResource')],
    delete: [c('secretsmanager:DeleteSecret')],
  },

  // ---- cluster: the CI runner (CodeBuild), created once the GitHub connection is approved
  aws_codebuild_project: {
    // The project's role is passed to CodeBuild; its source names the account's GitHub connection.
    create: [
      c('codebuild:CreateProject'),
      c('codebuild:BatchGetProjects'),
      c('iam:PassRole', { passes: 'workload-role', context: { 'iam:PassedToService': 'codebuild.amazonaws.com' } }),
      c('codestar-connections:PassConnection', { context: { 'codestar-connections:PassedToService': 'codebuild.amazonaws.com' } }),
      c('codestar-connections:UseConnection'),
    ],
    read: [c('codebuild:BatchGetProjects')],
    update: [c('codebuild:UpdateProject'), c('iam:PassRole', { passes: 'workload-role', context: { 'iam:PassedToService': 'codebuild.amazonaws.com' } })],
    delete: [c('codebuild:DeleteProject')],
  },
  aws_codebuild_webhook: {
    // CodeBuild makes the repository's webhook over the connection.
    create: [c('codebuild:CreateWebhook'), c('codebuild:UpdateWebhook'), c('codebuild:BatchGetProjects'), c('codestar-connections:UseConnection')],
    read: [c('codebuild:BatchGetProjects')],
    update: [c('codebuild:UpdateWebhook')],
    delete: [c('codebuild:DeleteWebhook')],
  },

  // ---- shared
  // ---- shared: the platform's Route 53 zones (with a DNS zone)
  aws_route53_zone: {
    // Tags are set after the zone exists; the change is waited for.
    create: [c('route53:CreateHostedZone'), c('route53:GetChange'), c('route53:ChangeTagsForResource'), c('route53:GetHostedZone'), c('route53:ListTagsForResource')],
    read: [c('route53:GetHostedZone'), c('route53:ListTagsForResource')],
    update: [c('route53:UpdateHostedZoneComment'), c('route53:ChangeTagsForResource')],
    // force_destroy (non-production sub-zones): the records go first, and DNSSEC signing is turned off if on.
    delete: [c('route53:ListResourceRecordSets'), c('route53:ChangeResourceRecordSets'), c('route53:GetDNSSEC'), c('route53:DisableHostedZoneDNSSEC'), c('route53:DeleteHostedZone'), c('route53:GetChange')],
  },
  aws_route53_record: {
    create: [c('route53:ChangeResourceRecordSets'), c('route53:GetChange'), c('route53:ListResourceRecordSets')],
    read: [c('route53:ListResourceRecordSets')],
    update: [c('route53:ChangeResourceRecordSets'), c('route53:GetChange')],
    delete: [c('route53:ChangeResourceRecordSets'), c('route53:GetChange')],
  },
  // ---- cost guardrails: budgets (shared, and each <env>-network), cost allocation tags and anomaly detection (shared)
  aws_budgets_budget: {
    // Budgets' own API (CreateBudget, CreateNotification, DescribeBudget...) authorizes as these actions.
    create: [c('budgets:ModifyBudget'), c('budgets:TagResource'), c('budgets:ViewBudget'), c('budgets:ListTagsForResource')],
    read: [c('budgets:ViewBudget'), c('budgets:ListTagsForResource')],
    update: [c('budgets:ModifyBudget'), c('budgets:TagResource'), c('budgets:UntagResource')],
    delete: [c('budgets:ModifyBudget')],
  },
  aws_ce_cost_allocation_tag: {
    create: [c('ce:UpdateCostAllocationTagsStatus'), c('ce:ListCostAllocationTags')],
    read: [c('ce:ListCostAllocationTags')],
    update: [c('ce:UpdateCostAllocationTagsStatus')],
    // Destroying it sets the tag back to Inactive.
    delete: [c('ce:UpdateCostAllocationTagsStatus')],
  },
  aws_ce_anomaly_monitor: {
    create: [c('ce:CreateAnomalyMonitor'), c('ce:TagResource'), c('ce:GetAnomalyMonitors'), c('ce:ListTagsForResource')],
    read: [c('ce:GetAnomalyMonitors'), c('ce:ListTagsForResource')],
    update: [c('ce:UpdateAnomalyMonitor'), c('ce:TagResource'), c('ce:UntagResource')],
    delete: [c('ce:DeleteAnomalyMonitor')],
  },
  aws_ce_anomaly_subscription: {
    create: [c('ce:CreateAnomalySubscription'), c('ce:TagResource'), c('ce:GetAnomalySubscriptions'), c('ce:ListTagsForResource')],
    read: [c('ce:GetAnomalySubscriptions'), c('ce:ListTagsForResource')],
    update: [c('ce:UpdateAnomalySubscription'), c('ce:TagResource'), c('ce:UntagResource')],
    delete: [c('ce:DeleteAnomalySubscription')],
  },
  aws_codestarconnections_connection: {
    create: [c('codestar-connections:CreateConnection'), c('codestar-connections:TagResource'), c('codestar-connections:GetConnection')],
    read: [c('codestar-connections:GetConnection'), c('codestar-connections:ListTagsForResource')],
    update: [c('codestar-connections:TagResource'), c('codestar-connections:UntagResource')],
    delete: [c('codestar-connections:DeleteConnection')],
  },
  aws_ecr_repository: {
    // ECR makes itself grants on the repository's key with the creator's permissions.
    create: [c('ecr:CreateRepository'), c('ecr:TagResource'), c('ecr:DescribeRepositories'), c('kms:DescribeKey'), c('kms:CreateGrant')],
    read: [c('ecr:DescribeRepositories'), c('ecr:ListTagsForResource')],
    update: [c('ecr:PutImageTagMutability'), c('ecr:PutImageScanningConfiguration'), c('ecr:TagResource'), c('ecr:UntagResource')],
    delete: [c('ecr:DeleteRepository'), c('kms:RetireGrant')],
  },
  aws_ecr_lifecycle_policy: {
    create: [c('ecr:PutLifecyclePolicy')],
    read: [c('ecr:GetLifecyclePolicy')],
    delete: [c('ecr:DeleteLifecyclePolicy')],
  },
  aws_iam_openid_connect_provider: {
    create: [c('iam:CreateOpenIDConnectProvider'), c('iam:TagOpenIDConnectProvider')],
    read: [c('iam:GetOpenIDConnectProvider')],
    update: [c('iam:UpdateOpenIDConnectProviderThumbprint'), c('iam:AddClientIDToOpenIDConnectProvider')],
    delete: [c('iam:DeleteOpenIDConnectProvider')],
  },
  aws_iam_policy: {
    create: [c('iam:CreatePolicy'), c('iam:TagPolicy'), c('iam:GetPolicy'), c('iam:GetPolicyVersion')],
    read: [c('iam:GetPolicy'), c('iam:GetPolicyVersion'), c('iam:ListPolicyVersions'), c('iam:ListPolicyTags')],
    update: [c('iam:CreatePolicyVersion'), c('iam:DeletePolicyVersion')],
    delete: [c('iam:ListPolicyVersions'), c('iam:DeletePolicy')],
  },
  aws_ebs_encryption_by_default: {
    create: ec2('EnableEbsEncryptionByDefault'),
    read: ec2('GetEbsEncryptionByDefault'),
    delete: ec2('DisableEbsEncryptionByDefault'),
  },
};

/**
 * Calls outside any resource's lifecycle: the secret generator of `<env>-services-aws` (at apply only) and
 * `<env>-services`' ephemeral reads of the generated secrets (at apply only; pull requests do not plan that stack).
 */
export const APPLY_ONLY_CALLS: Record<string, readonly Call[]> = {
  // scripts/generate-secret.sh; the secret is encrypted with the environment's services key.
  terraform_data: [c('secretsmanager:DescribeSecret'), c('secretsmanager:GetRandomPassword'), c('secretsmanager:PutSecretValue'), c('kms:GenerateDataKey')],
  aws_secretsmanager_secret_version: [c('secretsmanager:GetSecretValue'), c('kms:Decrypt')],
};
