import {
  boundaryPolicyName,
  ciRoleArn,
  clusterName,
  ciRoleName,
  ciScopes,
  GITHUB_OIDC_HOST,
  iamPrefix,
  imagesRoleArn,
  imagesRoleName,
  SHARED_SCOPE,
  stateKeyAlias,
  type CiScope,
  type Platform,
} from '@platform-kit/config';
import { IamOpenidConnectProvider } from '@cdktf/provider-aws/lib/iam-openid-connect-provider';
import { IamPolicy } from '@cdktf/provider-aws/lib/iam-policy';
import { Construct } from 'constructs';
import { policyDocument, Role, type Statement } from './iam';

export interface CiAccessProps {
  readonly platform: Platform;
}

/** The plan and apply roles of one CI scope (an environment, or `shared`). */
export interface CiRoles {
  readonly plan: Role;
  readonly apply: Role;
}

/**
 * GitHub Actions' access to AWS, without static keys: the account's GitHub OIDC provider and, for `shared`
 * and each environment, a read-only plan role and an apply role. Only the answers' repository can assume them:
 * the plan role from pull requests and main, the apply role only from a job running in the GitHub Environment
 * of the same name (whose protection rules decide who may deploy, e.g. required reviewers for prod).
 */
export class CiAccess extends Construct {
  readonly oidcProviderArn: string;
  readonly roles: Record<CiScope, CiRoles> = {};
  /** Pushes the services' images to their ECR repositories (absent without services). */
  readonly imagesRole?: Role;
  /** Per environment, the permissions boundary every IAM role of its stacks must carry. */
  readonly boundaries: Record<string, IamPolicy> = {};

  constructor(scope: Construct, id: string, props: CiAccessProps) {
    super(scope, id);
    const { platform } = props;
    const account = platform.aws.accountId;

    if (platform.github.oidcProvider === 'create') {
      const provider = new IamOpenidConnectProvider(this, 'github', {
        url: `https://${GITHUB_OIDC_HOST}`,
        clientIdList: ['sts.amazonaws.com'],
      });
      this.oidcProviderArn = provider.arn;
    } else {
      this.oidcProviderArn = `arn:aws:iam::${account}:oidc-provider/${GITHUB_OIDC_HOST}`;
    }

    const repo = `repo:${platform.github.owner}/${platform.github.repository}`;
    // StringLike only where a subject has a wildcard (release tags): every other subject matches exactly.
    const trust = (subjects: string[], match: 'StringEquals' | 'StringLike' = 'StringEquals'): Statement[] => [
      {
        actions: ['sts:AssumeRoleWithWebIdentity'],
        principals: [{ type: 'Federated', identifiers: [this.oidcProviderArn] }],
        conditions: [
          { test: 'StringEquals', variable: `${GITHUB_OIDC_HOST}:aud`, values: ['sts.amazonaws.com'] },
          { test: match, variable: `${GITHUB_OIDC_HOST}:sub`, values: subjects },
        ],
      },
    ];

    for (const environment of platform.environments)
      this.boundaries[environment.name] = new IamPolicy(this, `${environment.name}-boundary`, {
        name: boundaryPolicyName(platform, environment),
        description: `The most any IAM role of the ${environment.name} stacks of ${platform.name} may do`,
        policy: policyDocument(this, `${environment.name}-boundary-document`, WORKLOAD_BOUNDARY).json,
      });

    for (const ci of ciScopes(platform)) {
      const access = scopeAccess(platform, ci);
      this.roles[ci] = {
        plan: new Role(this, `${ci}-plan`, {
          name: ciRoleName(platform, ci, 'plan'),
          description: `Read-only: plans the ${ci} stacks of ${platform.name} from GitHub Actions`,
          trust: trust([`${repo}:pull_request`, `${repo}:ref:refs/heads/main`]),
          statements: [...readOnly(), ...access.read, ...stateAccess(platform, access.stateKeys, 'plan')],
          maxSessionDuration: 3600,
        }),
        apply: new Role(this, `${ci}-apply`, {
          name: ciRoleName(platform, ci, 'apply'),
          description: `Applies the ${ci} stacks of ${platform.name} from the GitHub Environment "${ci}"`,
          trust: trust([`${repo}:environment:${ci}`]),
          statements: [...readOnly(), ...access.read, ...access.write, ...stateAccess(platform, access.stateKeys, 'apply')],
          // An EKS cluster takes about 15 minutes; a node group replacement can take longer.
          maxSessionDuration: 3 * 3600,
        }),
      };
    }

    if (platform.services.length)
      this.imagesRole = new Role(this, 'images-push', {
        name: imagesRoleName(platform),
        description: `Pushes the service images of ${platform.name} from GitHub Actions (main and release tags)`,
        // Pull requests build without pushing: they get no AWS access at all.
        trust: trust([`${repo}:ref:refs/heads/main`, `${repo}:ref:refs/tags/v*`], 'StringLike'),
        statements: [
          { sid: 'LogInToRegistry', actions: ['ecr:GetAuthorizationToken'], resources: ['*'] },
          {
            sid: 'PushServiceImages',
            actions: [
              'ecr:BatchCheckLayerAvailability',
              'ecr:BatchGetImage',
              'ecr:CompleteLayerUpload',
              'ecr:DescribeImages',
              'ecr:GetDownloadUrlForLayer',
              'ecr:InitiateLayerUpload',
              'ecr:PutImage',
              'ecr:UploadLayerPart',
            ],
            resources: [`arn:aws:ecr:${platform.aws.region}:${account}:repository/${platform.name}/*`],
          },
        ],
        maxSessionDuration: 3600,
      });
  }
}

interface ScopeAccess {
  /** State objects (keys, with wildcards) the scope's stacks write. */
  readonly stateKeys: string[];
  /** What both roles need beyond readOnly() (e.g. the secrets a plan reads ephemerally). */
  readonly read: Statement[];
  /** What the apply role may change. */
  readonly write: Statement[];
}

/** What Terraform needs to read the platform's resources when it refreshes state for a plan. */
function readOnly(): Statement[] {
  return [
    {
      sid: 'ReadPlatformResources',
      actions: [
        'ec2:Describe*',
        'ec2:GetLaunchTemplateData',
        'eks:Describe*',
        'eks:List*',
        'iam:Get*',
        'iam:List*',
        'kms:Describe*',
        'kms:Get*',
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
        'secretsmanager:DescribeSecret',
        'secretsmanager:GetResourcePolicy',
        'sts:GetCallerIdentity',
      ],
      resources: ['*'],
    },
  ];
}

/**
 * The Terraform state a CI role may use: read its own stacks' state and the `shared` outputs they reference,
 * write lock files (plan) or state (apply) for its own stacks only, with the state key. Another
 * environment's state (which may hold its secrets) stays out of reach.
 */
function stateAccess(platform: Platform, stateKeys: string[], kind: 'plan' | 'apply'): Statement[] {
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

/** What the apply role of a scope may change: the resource kinds its stacks create, IAM only under its prefix. */
function scopeAccess(platform: Platform, ci: CiScope): ScopeAccess {
  const account = platform.aws.accountId;
  if (ci === SHARED_SCOPE) {
    const ciRoles = [...ciScopes(platform).flatMap((scope) => (['plan', 'apply'] as const).map((kind) => ciRoleArn(platform, scope, kind))), imagesRoleArn(platform)];
    return {
      stateKeys: [`${SHARED_SCOPE}/*`],
      read: [],
      write: [
        { sid: 'ManageRegistries', actions: ['ecr:*'], resources: [`arn:aws:ecr:${platform.aws.region}:${account}:repository/${platform.name}/*`] },
        { sid: 'CreateRegistries', actions: ['ecr:CreateRepository', 'ecr:GetAuthorizationToken'], resources: ['*'] },
        {
          sid: 'ManageCiRoles',
          actions: ['iam:*Role', 'iam:*RolePolicy', 'iam:*RolePolicies', 'iam:TagRole', 'iam:UntagRole', 'iam:UpdateAssumeRolePolicy', 'iam:*OpenIDConnectProvider*'],
          resources: [...ciRoles, `arn:aws:iam::${account}:oidc-provider/${GITHUB_OIDC_HOST}`],
        },
        {
          sid: 'ManageBoundaries',
          actions: ['iam:CreatePolicy', 'iam:DeletePolicy', 'iam:*PolicyVersion', 'iam:TagPolicy', 'iam:UntagPolicy'],
          resources: [`arn:aws:iam::${account}:policy/${boundaryPolicyName(platform, '*')}`],
        },
        {
          // KMS-encrypted repositories use the account's aws/ecr key through grants made by ECR.
          sid: 'EncryptRegistries',
          actions: ['kms:CreateGrant', 'kms:RetireGrant', 'kms:DescribeKey'],
          resources: ['*'],
          conditions: [{ test: 'StringEquals', variable: 'kms:ViaService', values: [`ecr.${platform.aws.region}.amazonaws.com`] }],
        },
        {
          sid: 'EncryptNewVolumes',
          actions: ['ec2:EnableEbsEncryptionByDefault', 'ec2:DisableEbsEncryptionByDefault', 'ec2:GetEbsEncryptionByDefault'],
          resources: ['*'],
        },
      ],
    };
  }
  const { region } = platform.aws;
  const prefix = iamPrefix(platform, ci);
  const iam = (kind: string) => `arn:aws:iam::${account}:${kind}/${prefix}*`;
  const cluster = clusterName(platform, ci);
  const eks = (resource: string) => `arn:aws:eks:${region}:${account}:${resource}`;
  const logGroup = (name: string) => `arn:aws:logs:${region}:${account}:log-group:${name}`;
  // Keys carry the platform's default tags from creation: an environment may use only its own.
  const ownTags = (key: 'RequestTag' | 'ResourceTag') => [
    { test: 'StringEquals', variable: `aws:${key}/platform`, values: [platform.name] },
    { test: 'StringEquals', variable: `aws:${key}/environment`, values: [ci] },
  ];
  const secrets = `arn:aws:secretsmanager:${region}:${account}:secret:${platform.name}/${ci}/*`;
  const buckets = `arn:aws:s3:::${cluster}-*`;
  return {
    stateKeys: [`${ci}-*`],
    // Plans open the environment's generated secrets as ephemeral values (never stored): the plan role reads them too.
    read: [
      { sid: 'GenerateSecrets', actions: ['secretsmanager:GetRandomPassword'], resources: ['*'] },
      { sid: 'ReadThisEnvironmentsSecrets', actions: ['secretsmanager:GetSecretValue'], resources: [secrets] },
      { sid: 'DecryptThisEnvironmentsSecrets', actions: ['kms:Decrypt'], resources: [`arn:aws:kms:${region}:${account}:key/*`], conditions: ownTags('ResourceTag') },
    ],
    write: [
      { sid: 'ManageThisEnvironmentsSecrets', actions: ['secretsmanager:*'], resources: [secrets] },
      { sid: 'ManageThisEnvironmentsBuckets', actions: ['s3:*'], resources: [buckets, `${buckets}/*`] },
      {
        // Broad within the region: EC2 networking actions mostly cannot be limited by tags (see docs).
        sid: 'ManageNetworkAndNodes',
        actions: ['ec2:*', 'autoscaling:*', 'elasticloadbalancing:*'],
        resources: ['*'],
        conditions: [{ test: 'StringEquals', variable: 'aws:RequestedRegion', values: [region] }],
      },
      {
        sid: 'ManageThisEnvironmentsCluster',
        actions: ['eks:*'],
        resources: [cluster, `nodegroup/${cluster}/*`, `addon/${cluster}/*`, `access-entry/${cluster}/*`, `podidentityassociation/${cluster}/*`].map((r) =>
          eks(r === cluster ? `cluster/${cluster}` : r),
        ),
      },
      { sid: 'ManageThisEnvironmentsLogs', actions: ['logs:*'], resources: [logGroup(`/aws/eks/${cluster}/*`), logGroup(`/platform/${cluster}/*`)] },
      { sid: 'CreateKeys', actions: ['kms:CreateKey', 'kms:TagResource'], resources: ['*'], conditions: ownTags('RequestTag') },
      { sid: 'ManageThisEnvironmentsKeys', actions: ['kms:*'], resources: [`arn:aws:kms:${region}:${account}:key/*`], conditions: ownTags('ResourceTag') },
      { sid: 'ManageThisEnvironmentsAliases', actions: ['kms:CreateAlias', 'kms:DeleteAlias', 'kms:UpdateAlias'], resources: [`arn:aws:kms:${region}:${account}:alias/${prefix}*`] },
      {
        // A new role must carry the environment's boundary, which this role can neither change nor remove.
        sid: 'CreateBoundedRoles',
        actions: ['iam:CreateRole', 'iam:PutRolePermissionsBoundary'],
        resources: [iam('role')],
        conditions: [{ test: 'StringEquals', variable: 'iam:PermissionsBoundary', values: [`arn:aws:iam::${account}:policy/${boundaryPolicyName(platform, ci)}`] }],
      },
      {
        sid: 'ManageEnvironmentRoles',
        actions: [
          'iam:DeleteRole',
          'iam:UpdateRole',
          'iam:UpdateRoleDescription',
          'iam:TagRole',
          'iam:UntagRole',
          'iam:UpdateAssumeRolePolicy',
          'iam:*RolePolicy',
          'iam:PassRole',
          'iam:*InstanceProfile*',
        ],
        resources: [iam('role'), iam('instance-profile')],
      },
      {
        sid: 'CreateServiceLinkedRoles',
        actions: ['iam:CreateServiceLinkedRole'],
        resources: ['*'],
        conditions: [
          {
            test: 'StringEquals',
            variable: 'iam:AWSServiceName',
            values: ['eks.amazonaws.com', 'eks-nodegroup.amazonaws.com', 'autoscaling.amazonaws.com', 'elasticloadbalancing.amazonaws.com', 'spot.amazonaws.com'],
          },
        ],
      },
    ],
  };
}

/**
 * The permissions boundary of an environment's workload roles (cluster, nodes, add-ons, flow logs and the
 * supporting services): the AWS services a platform runs on, and no IAM change beyond service-linked roles.
 * Whatever policy an apply role attaches to a role it creates, the role can do no more than this.
 */
const WORKLOAD_BOUNDARY: Statement[] = [
  {
    sid: 'PlatformServices',
    actions: [
      'ec2:*',
      'eks:*',
      'ecr:*',
      'elasticloadbalancing:*',
      'autoscaling:*',
      'logs:*',
      'cloudwatch:*',
      'kms:*',
      's3:*',
      'secretsmanager:*',
      'ssm:*',
      'ssmmessages:*',
      'ec2messages:*',
      'sts:AssumeRole',
      'sts:TagSession',
      'sts:GetCallerIdentity',
      'iam:CreateServiceLinkedRole',
      'iam:Get*',
      'iam:List*',
    ],
    resources: ['*'],
  },
];
