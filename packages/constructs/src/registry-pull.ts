import {
  ciRolePath,
  oidcIssuerHost,
  registryPullRoleName,
  REGISTRY_PULL,
  APPS_NAMESPACE,
  type Platform,
} from '@platform-kit/config';
import { Construct } from 'constructs';
import { Role } from './iam';
import { IamOpenidConnectProvider } from './providers/aws';

export interface RegistryPullAccessProps {
  readonly platform: Platform;
  /** The boundary the pull roles carry (the CI roles'). */
  readonly permissionsBoundary: string;
}

/**
 * ECR pulls for the environments on existing clusters whose service account issuer is answered: an IAM OIDC provider
 * per issuer, and per environment a role that only the `ecr-pull` service account of its apps namespace may assume
 * (through External Secrets' ECR generator, which refreshes the pull secret) and that may only pull the platform's
 * images. No key is stored anywhere: the cluster signs the token, STS checks it against the issuer's public keys.
 */
export class RegistryPullAccess extends Construct {
  /** The pull role of each environment that has one, by name. */
  readonly roles: Record<string, Role> = {};

  constructor(scope: Construct, id: string, props: RegistryPullAccessProps) {
    super(scope, id);
    const { platform } = props;
    const providers = new Map<string, IamOpenidConnectProvider>();
    for (const environment of platform.environments) {
      // An answered issuer is what makes the target's registry access web identity (targets.ts).
      const issuer = environment.target?.serviceAccountIssuer;
      if (!issuer) continue;
      // One provider per issuer: two environments on one cluster share it (IAM refuses a second with the same URL).
      if (!providers.has(issuer)) providers.set(issuer, new IamOpenidConnectProvider(this, `issuer-${providers.size + 1}`, { url: issuer, clientIdList: ['sts.amazonaws.com'] }));
      const provider = providers.get(issuer)!;
      const host = oidcIssuerHost(issuer);
      this.roles[environment.name] = new Role(this, `${environment.name}-pull`, {
        name: registryPullRoleName(platform, environment),
        path: ciRolePath(platform),
        permissionsBoundary: props.permissionsBoundary,
        description: `Pulls the service images of ${platform.name} into the ${environment.name} cluster (its ${REGISTRY_PULL.serviceAccount} service account)`,
        trust: [
          {
            actions: ['sts:AssumeRoleWithWebIdentity'],
            principals: [{ type: 'Federated', identifiers: [provider.arn] }],
            conditions: [
              { test: 'StringEquals', variable: `${host}:aud`, values: ['sts.amazonaws.com'] },
              { test: 'StringEquals', variable: `${host}:sub`, values: [`system:serviceaccount:${APPS_NAMESPACE}:${REGISTRY_PULL.serviceAccount}`] },
            ],
          },
        ],
        statements: [
          { sid: 'LogInToRegistry', actions: ['ecr:GetAuthorizationToken'], resources: ['*'] },
          {
            sid: 'PullServiceImages',
            actions: ['ecr:BatchCheckLayerAvailability', 'ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'],
            resources: [`arn:aws:ecr:${platform.aws.region}:${platform.aws.accountId}:repository/${platform.name}/*`],
          },
        ],
        maxSessionDuration: 3600,
      });
    }
  }
}
