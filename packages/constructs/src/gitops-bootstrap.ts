import {
  APPS_NAMESPACE,
  ARGOCD_NAMESPACE,
  ENVIRONMENT_LABEL,
  GITOPS_BRANCH,
  GITOPS_DIR,
  IN_CLUSTER,
  PLATFORM_PROJECT,
  SERVICES_PROJECT,
  argocdRepoUrl,
  allCharts,
  catalogue,
  platformRepositoryUrl,
  type Environment,
  type Platform,
} from '@platform-kit/config';
import { DataResource, type ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import { atomicRelease, catalogueChart } from './helm-release';
import { type Release } from './providers/helm';

/** The values of one release, in merge order: the managed base file, then the user's overrides (when present). */
export type HelmValuesSource = (environment: Environment, release: string) => string[];

/**
 * The script that writes Argo CD's credential for the platform repo into the cluster (scripts/argocd-repository.sh,
 * written by `npx projen`), relative to the directory Terraform runs in, cdktf.out/stacks/<stack>.
 */
export const REPOSITORY_CREDENTIAL_SCRIPT = '../../../scripts/argocd-repository.sh';

/** Name of the Argo CD repository Secret the script writes. */
export const REPOSITORY_SECRET_NAME = 'platform-repository';

export interface GitopsBootstrapProps {
  readonly platform: Platform;
  readonly environment: Environment;
  /**
   * How the cluster is reached. EKS: its name, and the Secrets Manager secret keeping Argo CD's deploy key (created
   * empty by <env>-services-aws). An existing cluster: its kubeconfig context; the key is kept in the cluster only.
   */
  readonly access: { kind: 'eks'; clusterName: string; repositoryCredentialArn: string } | { kind: 'kubeconfig'; context: string };
  readonly values: HelmValuesSource;
  /**
   * Facts about the environment for ApplicationSets (`{{.metadata.annotations.<key>}}`): the gitops-bridge
   * convention. Values may be references to other stacks' resources: Terraform resolves them.
   */
  readonly annotations: Record<string, string>;
  readonly dependsOn?: ITerraformDependable[];
}

/**
 * What Terraform installs in an environment's cluster, and nothing more: Argo CD, its credential for the platform
 * repo, and the root ApplicationSet that follows gitops/<env>/applications on `main`. Argo CD installs everything
 * else from there (docs/gitops.md of a platform repo).
 *
 * The credential is a read-only deploy key kept in Secrets Manager. The script run at apply time generates it the
 * first time, prints its public half (to add to the repository once), and writes it into the cluster as an Argo CD
 * repository Secret: the key is never in Terraform state, a plan, git or a Helm release.
 */
export class GitopsBootstrap extends Construct {
  readonly argocd: Release;
  readonly repository: DataResource;
  readonly apps: Release;

  constructor(scope: Construct, id: string, props: GitopsBootstrapProps) {
    super(scope, id);
    const { platform, environment } = props;
    const repositoryUrl = platformRepositoryUrl(platform);
    const { access } = props;
    const annotations = {
      platform: platform.name,
      environment: environment.name,
      ...(access.kind === 'eks' ? { aws_region: platform.aws.region, aws_account_id: platform.aws.accountId, aws_cluster_name: access.clusterName } : {}),
      platform_repository: repositoryUrl,
      gitops_revision: GITOPS_BRANCH,
      gitops_path: `${GITOPS_DIR}/${environment.name}`,
      ...props.annotations,
    };

    this.argocd = atomicRelease(this, 'argo-cd', {
      name: 'argo-cd',
      namespace: ARGOCD_NAMESPACE,
      createNamespace: true,
      ...catalogueChart('argo-cd'),
      values: [
        ...props.values(environment, 'argo-cd'),
        // The in-cluster cluster, declared so that it carries the environment's label and facts.
        JSON.stringify({
          configs: {
            clusterCredentials: {
              'in-cluster': {
                server: IN_CLUSTER,
                labels: { [ENVIRONMENT_LABEL]: environment.name },
                annotations,
                config: { tlsClientConfig: { insecure: false } },
              },
            },
          },
        }),
      ],
      timeout: 900,
      dependsOn: props.dependsOn,
    });

    const repository = { REPOSITORY_URL: repositoryUrl, GITHUB_REPOSITORY_NAME: `${platform.github.owner}/${platform.github.repository}` };
    this.repository = new DataResource(this, 'repository-credential', {
      triggersReplace:
        access.kind === 'eks'
          ? { secret: access.repositoryCredentialArn, repository: repositoryUrl, cluster: access.clusterName }
          : { repository: repositoryUrl, context: access.context },
      provisioners: [
        {
          type: 'local-exec',
          command: `bash ${REPOSITORY_CREDENTIAL_SCRIPT}`,
          environment:
            access.kind === 'eks'
              ? {
                  SECRET_ID: access.repositoryCredentialArn,
                  ...repository,
                  CLUSTER_NAME: access.clusterName,
                  AWS_REGION: platform.aws.region,
                  NAMESPACE: ARGOCD_NAMESPACE,
                  SECRET_NAME: REPOSITORY_SECRET_NAME,
                }
              : { ...repository, KUBE_CONTEXT: access.context, NAMESPACE: ARGOCD_NAMESPACE, SECRET_NAME: REPOSITORY_SECRET_NAME },
        },
      ],
      dependsOn: [this.argocd],
    });

    this.apps = atomicRelease(this, 'argocd-apps', {
      name: 'argocd-apps',
      namespace: ARGOCD_NAMESPACE,
      ...catalogueChart('argocd-apps'),
      values: [JSON.stringify(rootApplications(platform, environment))],
      dependsOn: [this.argocd, this.repository],
    });
  }
}

/**
 * The `platform` and `services` projects (what their Applications may install, from where) and the root ApplicationSet: one
 * Application, `platform`, generated for the in-cluster cluster of this environment from its annotations, that syncs
 * gitops/<env>/applications with prune and self-heal. Those Applications carry sync waves: Argo CD applies them in
 * order and waits for each wave to be healthy (argo-cd values: the Application health check).
 */
export function rootApplications(platform: Platform, environment: Environment) {
  const repositoryUrl = platformRepositoryUrl(platform);
  const charts = Object.values(allCharts()).map((c) => argocdRepoUrl(c.repository));
  return {
    projects: {
      [PLATFORM_PROJECT]: {
        namespace: ARGOCD_NAMESPACE,
        description: `The ${platform.name} platform's own services in ${environment.name}, from ${repositoryUrl}`,
        sourceRepos: [...new Set([repositoryUrl, catalogue.gatewayApiCrds.repoURL, ...charts])].sort(),
        destinations: [{ server: IN_CLUSTER, namespace: '*' }],
        clusterResourceWhitelist: [{ group: '*', kind: '*' }],
      },
      // The team's services (and their overlays, which the team edits): this repo only, namespaced objects in the apps
      // namespace only. No cluster-wide object, no other namespace: an overlay cannot grant itself more.
      [SERVICES_PROJECT]: {
        namespace: ARGOCD_NAMESPACE,
        description: `The team's services in ${environment.name}, from ${repositoryUrl}`,
        sourceRepos: [repositoryUrl],
        destinations: [{ server: IN_CLUSTER, namespace: APPS_NAMESPACE }],
        clusterResourceWhitelist: [],
      },
    },
    applicationsets: {
      [PLATFORM_PROJECT]: {
        namespace: ARGOCD_NAMESPACE,
        goTemplate: true,
        goTemplateOptions: ['missingkey=error'],
        generators: [
          {
            clusters: {
              selector: {
                matchLabels: { [ENVIRONMENT_LABEL]: environment.name },
              },
            },
          },
        ],
        template: {
          metadata: { name: PLATFORM_PROJECT },
          spec: {
            project: PLATFORM_PROJECT,
            source: {
              repoURL: '{{.metadata.annotations.platform_repository}}',
              targetRevision: '{{.metadata.annotations.gitops_revision}}',
              path: '{{.metadata.annotations.gitops_path}}/applications',
            },
            destination: { server: '{{.server}}', namespace: ARGOCD_NAMESPACE },
            syncPolicy: { automated: { prune: true, selfHeal: true } },
          },
        },
      },
    },
  };
}
