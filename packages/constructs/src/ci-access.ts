import {
  boundaryPolicyName,
  ciBoundaryPolicyName,
  ciRoleName,
  ciRolePath,
  ciScopes,
  GITHUB_OIDC_HOST,
  imagesRoleName,
  SHARED_SCOPE,
  type CiScope,
  type Platform,
} from '@platform-kit/config';
import { Construct } from 'constructs';
import { ciBoundary, workloadBoundary } from './boundaries';
import { readOnly, scopeAccess, stateAccess } from './ci-permissions';
import { policyDocument, Role, type Statement } from './iam';
import { IamOpenidConnectProvider, IamPolicy } from './providers/aws';

export interface CiAccessProps {
  readonly platform: Platform;
  /** Each environment's Route 53 sub-zone, by environment (none without a DNS zone): its workload roles may change its records. */
  readonly dnsZoneArns?: Record<string, string>;
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
 * The CI roles live under their own IAM path, out of every environment's reach, and wear the CI boundary (all but
 * `shared`'s apply role, which manages them: the platform's administrator).
 */
export class CiAccess extends Construct {
  readonly oidcProviderArn: string;
  readonly roles: Record<CiScope, CiRoles> = {};
  /** Pushes the services' images to their ECR repositories (absent without services). */
  readonly imagesRole?: Role;
  /** Per environment, the permissions boundary every IAM role of its stacks must carry. */
  readonly boundaries: Record<string, IamPolicy> = {};
  /** The permissions boundary of the CI roles. */
  readonly ciBoundary: IamPolicy;

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
        policy: policyDocument(this, `${environment.name}-boundary-document`, workloadBoundary(platform, environment.name, props.dnsZoneArns?.[environment.name])).json,
      });
    this.ciBoundary = new IamPolicy(this, 'ci-boundary', {
      name: ciBoundaryPolicyName(platform),
      description: `The most a CI role of ${platform.name} may do (all but the shared apply role)`,
      policy: policyDocument(this, 'ci-boundary-document', ciBoundary(platform)).json,
    });
    const path = ciRolePath(platform);

    for (const ci of ciScopes(platform)) {
      const access = scopeAccess(platform, ci);
      this.roles[ci] = {
        plan: new Role(this, `${ci}-plan`, {
          name: ciRoleName(platform, ci, 'plan'),
          path,
          permissionsBoundary: this.ciBoundary.arn,
          description: `Read-only: plans the ${ci} stacks of ${platform.name} from GitHub Actions`,
          trust: trust([`${repo}:pull_request`, `${repo}:ref:refs/heads/main`]),
          statements: [...readOnly(platform.aws.region), ...access.read, ...stateAccess(platform, access.stateKeys, 'plan')],
          maxSessionDuration: 3600,
        }),
        apply: new Role(this, `${ci}-apply`, {
          name: ciRoleName(platform, ci, 'apply'),
          path,
          // `shared`'s apply role changes the CI roles and the boundaries themselves: a boundary would not hold it.
          permissionsBoundary: ci === SHARED_SCOPE ? undefined : this.ciBoundary.arn,
          description: `Applies the ${ci} stacks of ${platform.name} from the GitHub Environment "${ci}"`,
          trust: trust([`${repo}:environment:${ci}`]),
          statements: [...readOnly(platform.aws.region), ...access.read, ...access.write, ...stateAccess(platform, access.stateKeys, 'apply')],
          // An EKS cluster takes about 15 minutes; a node group replacement can take longer.
          maxSessionDuration: 3 * 3600,
        }),
      };
    }

    if (platform.services.length)
      this.imagesRole = new Role(this, 'images-push', {
        name: imagesRoleName(platform),
        path,
        permissionsBoundary: this.ciBoundary.arn,
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
