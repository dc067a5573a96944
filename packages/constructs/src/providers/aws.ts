/*
 * The classes of @cdktf/provider-aws the constructs use, and only those. Every construct imports them from here, so
 * that the build can bundle them into lib/providers/aws.js (scripts/bundle-providers.ts, with cdktf and constructs
 * left external and shared): a platform repo then installs 2 MB of provider classes instead of the 360 MB package.
 * A class a construct needs is added here; a platform's own resources in src/main.ts come from the full provider,
 * which the repo installs itself (docs/architecture.md).
 */

export { BudgetsBudget } from '@cdktf/provider-aws/lib/budgets-budget';
export { CeAnomalyMonitor } from '@cdktf/provider-aws/lib/ce-anomaly-monitor';
export { CeAnomalySubscription } from '@cdktf/provider-aws/lib/ce-anomaly-subscription';
export { CeCostAllocationTag } from '@cdktf/provider-aws/lib/ce-cost-allocation-tag';
export { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
export { CodebuildProject } from '@cdktf/provider-aws/lib/codebuild-project';
export { CodebuildWebhook } from '@cdktf/provider-aws/lib/codebuild-webhook';
export { CodestarconnectionsConnection } from '@cdktf/provider-aws/lib/codestarconnections-connection';
export { DataAwsAcmCertificate } from '@cdktf/provider-aws/lib/data-aws-acm-certificate';
export { DataAwsCodestarconnectionsConnection } from '@cdktf/provider-aws/lib/data-aws-codestarconnections-connection';
export { DataAwsIamPolicyDocument } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
export { DataAwsSsmParameter } from '@cdktf/provider-aws/lib/data-aws-ssm-parameter';
export { DefaultSecurityGroup } from '@cdktf/provider-aws/lib/default-security-group';
export { EbsEncryptionByDefault } from '@cdktf/provider-aws/lib/ebs-encryption-by-default';
export { Ec2ClientVpnAuthorizationRule } from '@cdktf/provider-aws/lib/ec2-client-vpn-authorization-rule';
export { Ec2ClientVpnEndpoint } from '@cdktf/provider-aws/lib/ec2-client-vpn-endpoint';
export { Ec2ClientVpnNetworkAssociation } from '@cdktf/provider-aws/lib/ec2-client-vpn-network-association';
export { EcrLifecyclePolicy } from '@cdktf/provider-aws/lib/ecr-lifecycle-policy';
export { EcrRepository } from '@cdktf/provider-aws/lib/ecr-repository';
export { Eip } from '@cdktf/provider-aws/lib/eip';
export { EksAccessEntry } from '@cdktf/provider-aws/lib/eks-access-entry';
export { EksAccessPolicyAssociation } from '@cdktf/provider-aws/lib/eks-access-policy-association';
export { EksAddon } from '@cdktf/provider-aws/lib/eks-addon';
export { EksCluster } from '@cdktf/provider-aws/lib/eks-cluster';
export { EksNodeGroup } from '@cdktf/provider-aws/lib/eks-node-group';
export { EksPodIdentityAssociation } from '@cdktf/provider-aws/lib/eks-pod-identity-association';
export { FlowLog } from '@cdktf/provider-aws/lib/flow-log';
export { IamOpenidConnectProvider } from '@cdktf/provider-aws/lib/iam-openid-connect-provider';
export { IamPolicy } from '@cdktf/provider-aws/lib/iam-policy';
export { IamRole } from '@cdktf/provider-aws/lib/iam-role';
export { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
export { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
export { Instance } from '@cdktf/provider-aws/lib/instance';
export { InternetGateway } from '@cdktf/provider-aws/lib/internet-gateway';
export { KmsAlias } from '@cdktf/provider-aws/lib/kms-alias';
export { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
export { LaunchTemplate } from '@cdktf/provider-aws/lib/launch-template';
export { NatGateway } from '@cdktf/provider-aws/lib/nat-gateway';
export { AwsProvider } from '@cdktf/provider-aws/lib/provider';
export { RouteTable } from '@cdktf/provider-aws/lib/route-table';
export { RouteTableAssociation } from '@cdktf/provider-aws/lib/route-table-association';
export { Route53Record } from '@cdktf/provider-aws/lib/route53-record';
export { Route53Zone } from '@cdktf/provider-aws/lib/route53-zone';
export { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
export { S3BucketLifecycleConfiguration } from '@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration';
export { S3BucketOwnershipControls } from '@cdktf/provider-aws/lib/s3-bucket-ownership-controls';
export { S3BucketPolicy } from '@cdktf/provider-aws/lib/s3-bucket-policy';
export { S3BucketPublicAccessBlock } from '@cdktf/provider-aws/lib/s3-bucket-public-access-block';
export { S3BucketServerSideEncryptionConfigurationA } from '@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration';
export { S3BucketVersioningA } from '@cdktf/provider-aws/lib/s3-bucket-versioning';
export { SecretsmanagerSecret } from '@cdktf/provider-aws/lib/secretsmanager-secret';
export { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
export { Subnet } from '@cdktf/provider-aws/lib/subnet';
export { Vpc } from '@cdktf/provider-aws/lib/vpc';
export { VpcEndpoint } from '@cdktf/provider-aws/lib/vpc-endpoint';
export { VpcSecurityGroupEgressRule } from '@cdktf/provider-aws/lib/vpc-security-group-egress-rule';
export { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule';
