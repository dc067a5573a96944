import {
  ARGOCD_NAMESPACE,
  catalogue,
  ENVIRONMENT_LABEL,
  IN_CLUSTER,
  EXTERNAL_SECRETS,
  platformRepositoryUrl,
  repositoryCredentialName,
  secretsManagerName,
  supportingPlan,
  selectableSupportingServiceNames,
  CORE_RELEASES,
  supportingReleases,
  supportingService,
  type AnswersInput,
  type SupportingServiceName,
} from '@platform-kit/config';
import { helmValuesFiles } from '@platform-kit/projen';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generationLabel, REPOSITORY_CREDENTIAL_SCRIPT, SECRET_GENERATOR_PATH } from '../src';
import { removeOutdirs, resources, synth, type Json } from './support';

const bodies = (stack: Json, type: string): Json[] => resources(stack, type).map(([, body]) => body);

/* <env>-services-aws (what the supporting services need from AWS) and <env>-services (Argo CD and its root), at synth level. */

afterAll(removeOutdirs);

const BASE: AnswersInput = {
  name: 'acme',
  aws: { region: 'eu-west-1', accountId: '123456789012' },
  environments: ['dev', 'prod'],
  services: ['api'],
  // Every selectable service: the default selection and those opted into (Velero).
  supportingServices: selectableSupportingServiceNames() as SupportingServiceName[],
};

/** Release body by Helm release name. */
function releases(stack: Json): Record<string, Json> {
  return Object.fromEntries(resources(stack, 'helm_release').map(([, body]) => [body.name, body]));
}
const address = (stack: Json, type: string, body: Json) => `${type}.${resources(stack, type).find(([, b]) => b === body)![0]}`;

/** The selection a service needs to be valid: itself and what it requires. */
const withRequirements = (service: SupportingServiceName): SupportingServiceName[] => {
  const needed = new Set<SupportingServiceName>([service]);
  // A Set iterates over what is added while iterating: requirements of requirements are covered.
  for (const s of needed) for (const r of supportingService(s).requires ?? []) needed.add(r as SupportingServiceName);
  return (selectableSupportingServiceNames() as SupportingServiceName[]).filter((s) => needed.has(s));
};

it('orders every release only after releases that exist (Argo CD derives its sync waves from them)', () => {
  const known = new Set([...CORE_RELEASES, ...supportingReleases()].map((r) => r.name));
  for (const r of supportingReleases()) for (const a of r.after) expect(known.has(a), `${r.name} after ${a}`).toBe(true);
});

describe('every selectable supporting service', () => {
  const { platform, stacks } = synth(BASE);
  const dev = stacks['dev-services'];
  const installed = releases(dev);

  it('installs in the cluster only Argo CD and its root ApplicationSet, from the pinned charts', () => {
    expect(Object.keys(installed).sort()).toEqual(['argo-cd', 'argocd-apps']);
    for (const name of ['argo-cd', 'argocd-apps'] as const) {
      const chart = catalogue.charts[name];
      expect(installed[name]).toMatchObject({
        namespace: ARGOCD_NAMESPACE,
        repository: chart.repository,
        chart: chart.chart,
        version: chart.version,
        atomic: true,
      });
    }
  });

  it("passes Argo CD's managed values file, then the in-cluster cluster with the environment's label and facts", () => {
    const argocd = installed['argo-cd'];
    expect(argocd.values[0]).toBe(helmValuesFiles(platform).find((f) => f.environment === 'dev' && f.release === 'argo-cd')!.contents);
    const cluster = JSON.parse(argocd.values[1]).configs.clusterCredentials['in-cluster'];
    expect(cluster.server).toBe(IN_CLUSTER);
    expect(cluster.labels).toEqual({ [ENVIRONMENT_LABEL]: 'dev' });
    expect(cluster.annotations).toMatchObject({
      environment: 'dev',
      aws_region: 'eu-west-1',
      aws_account_id: '123456789012',
      platform_repository: platformRepositoryUrl(platform),
      gitops_path: 'gitops/dev',
      gitops_revision: 'main',
      domain: 'dev.acme.example.com',
    });
    // Outputs of the other stacks, resolved by Terraform: nothing copied by hand.
    for (const key of ['aws_cluster_name', 'loki_bucket', 'backups_bucket', 'external_secrets_role_arn', 'loki_role_arn', 'postgresql_backup_role_arn'])
      expect(cluster.annotations[key], key).toMatch(/^\$\{data\.terraform_remote_state\./);
  });

  it('roots everything in one ApplicationSet that follows gitops/<env>/applications for this environment only', () => {
    const values = JSON.parse(installed['argocd-apps'].values[0]);
    const root = values.applicationsets.platform;
    expect(root.generators).toEqual([
      {
        clusters: { selector: { matchLabels: { [ENVIRONMENT_LABEL]: 'dev' } } },
      },
    ]);
    expect(root.template.spec.source).toEqual({
      repoURL: '{{.metadata.annotations.platform_repository}}',
      targetRevision: '{{.metadata.annotations.gitops_revision}}',
      path: '{{.metadata.annotations.gitops_path}}/applications',
    });
    expect(root.template.spec.syncPolicy.automated).toEqual({
      prune: true,
      selfHeal: true,
    });
    // The project admits this repo, the Gateway API CRDs' repo and the catalogue's chart repositories only.
    expect(values.projects.platform.sourceRepos).toContain(platformRepositoryUrl(platform));
    expect(values.projects.platform.sourceRepos).toContain('ghcr.io/nginx/charts');
    expect(values.projects.platform.sourceRepos).not.toContain('*');
  });

  it("writes Argo CD's deploy key into the cluster at apply time, from Secrets Manager, before the root is installed", () => {
    const [credential] = bodies(dev, 'terraform_data');
    const exec = credential.provisioner[0]['local-exec'];
    expect(exec.command).toBe(`bash ${REPOSITORY_CREDENTIAL_SCRIPT}`);
    expect(exec.environment).toMatchObject({
      REPOSITORY_URL: platformRepositoryUrl(platform),
      AWS_REGION: 'eu-west-1',
      NAMESPACE: ARGOCD_NAMESPACE,
    });
    expect(exec.environment.SECRET_ID).toMatch(/^\$\{data\.terraform_remote_state\./);
    expect(credential.depends_on).toEqual([address(dev, 'helm_release', installed['argo-cd'])]);
    expect(installed['argocd-apps'].depends_on).toEqual(expect.arrayContaining([address(dev, 'terraform_data', credential)]));
    // No secret value anywhere in the stack: no ephemeral read, no write-only Helm value.
    expect(dev.ephemeral).toBeUndefined();
    for (const release of Object.values(installed)) expect(release.set_wo).toBeUndefined();
  });

  it('forgets, without uninstalling, every release Terraform installed before Argo CD (Argo CD adopts them)', () => {
    const before: string[] = JSON.parse(readFileSync(join(__dirname, 'fixtures/services-stack-before-gitops.json'), 'utf8')).addresses;
    const removed = dev.removed as {
      from: string;
      lifecycle: { destroy: boolean };
    }[];
    expect(removed.map((r) => r.from).sort()).toEqual([...before].sort());
    for (const r of removed) expect(r.lifecycle).toEqual({ destroy: false });
    // None of them is still declared (Terraform refuses a removed block for a resource in the configuration).
    for (const from of before) expect(resources(dev, from.split('.')[0]).map(([id]) => id)).not.toContain(from.split('.')[1]);
  });

  describe('<env>-services-aws', () => {
    const aws = stacks['dev-services-aws'];

    it('has a hardened bucket for Loki, PostgreSQL backups and Velero, named for the environment', () => {
      expect(
        resources(aws, 'aws_s3_bucket')
          .map(([, b]) => b.bucket)
          .sort()
      ).toEqual(['acme-dev-backup-123456789012', 'acme-dev-loki-123456789012', 'acme-dev-velero-123456789012']);
      expect(resources(aws, 'aws_s3_bucket_public_access_block')).toHaveLength(3);
      expect(resources(aws, 'aws_s3_bucket_versioning')).toHaveLength(3);
      // Only production keeps its data when the stack is destroyed.
      expect(resources(aws, 'aws_s3_bucket').every(([, b]) => b.force_destroy === true)).toBe(true);
      expect(resources(stacks['prod-services-aws'], 'aws_s3_bucket').every(([, b]) => b.lifecycle.prevent_destroy === true)).toBe(true);
    });

    it('binds Loki, the PostgreSQL instances and Velero to their roles with Pod Identity, on this cluster', () => {
      const bindings = resources(aws, 'aws_eks_pod_identity_association').map(([, a]) => `${a.namespace}/${a.service_account}`);
      expect(bindings.sort()).toEqual(['external-secrets/external-secrets', 'monitoring/loki', 'postgresql/postgresql', 'velero/velero-server']);
      for (const [, a] of resources(aws, 'aws_eks_pod_identity_association')) expect(a.cluster_name).toMatch(/cross-stack-reference-input-dev-cluster/);
      for (const [, role] of resources(aws, 'aws_iam_role')) {
        expect(role.name).toMatch(/^acme-dev-/);
        expect(role.permissions_boundary).toBeDefined();
      }
    });

    it("lets External Secrets read the platform's generated secrets and the services', not Argo CD's deploy key", () => {
      const [, role] = resources(aws, 'aws_iam_role').find(([, r]) => r.name === 'acme-dev-external-secrets')!;
      expect(role.permissions_boundary).toBeDefined();
      const [, association] = resources(aws, 'aws_eks_pod_identity_association').find(([, a]) => a.namespace === EXTERNAL_SECRETS.namespace)!;
      expect(association.service_account).toBe(EXTERNAL_SECRETS.serviceAccount);
      const statements = Object.values(aws.data.aws_iam_policy_document as Record<string, Json>).flatMap((d) => d.statement as Json[]);
      const read = statements.find((s) => s.sid === 'ReadPlatformAndServiceSecrets')!;
      expect(read.actions.sort()).toEqual(['secretsmanager:DescribeSecret', 'secretsmanager:GetSecretValue']);
      // The generated secrets by reference to their resources (the deploy key is not one of them), and the services' prefix.
      const generated = resources(aws, 'aws_secretsmanager_secret').filter(([, s]) => s.name !== repositoryCredentialName(platform, platform.environments[0]));
      expect([...read.resources].sort()).toEqual(
        [
          ...generated.map(([id]) => `\${aws_secretsmanager_secret.${id}.arn}`),
          `arn:aws:secretsmanager:eu-west-1:123456789012:secret:${secretsManagerName(platform, platform.environments[0], 'apps')}/*`,
        ].sort(),
      );
    });

    it("creates Argo CD's deploy-key secret empty, encrypted with the environment's key", () => {
      const credential = bodies(aws, 'aws_secretsmanager_secret').find((s) => s.name === repositoryCredentialName(platform, platform.environments[0]))!;
      expect(credential.kms_key_id).toMatch(/^\$\{aws_kms_key\./);
      expect(resources(aws, 'aws_secretsmanager_secret_version')).toEqual([]);
    });

    it('generates secret values at apply time only: nothing a plan reads, no value in state', () => {
      const plan = supportingPlan(platform, platform.environments[0]);
      const stored = plan.secrets.filter((s) => Object.keys(s.generated).length > 0);
      expect(
        resources(aws, 'aws_secretsmanager_secret')
          .map(([, s]) => s.name)
          .sort()
      ).toEqual(
        [...stored.map((s) => secretsManagerName(platform, platform.environments[0], s)), repositoryCredentialName(platform, platform.environments[0])].sort()
      );
      for (const [, s] of resources(aws, 'aws_secretsmanager_secret')) expect(s.kms_key_id).toMatch(/^\$\{aws_kms_key\./);
      // No secret version resource (its refresh would read the value back in every plan), no ephemeral read.
      expect(resources(aws, 'aws_secretsmanager_secret_version')).toEqual([]);
      expect(aws.ephemeral).toBeUndefined();
      const generators = bodies(aws, 'terraform_data');
      expect(generators).toHaveLength(stored.length);
      for (const secret of stored) {
        const keys = Object.entries(secret.generated)
          .map(([key, length]) => `${key}:${length}`)
          .join(' ');
        const generator = generators.find((g) => g.provisioner[0]['local-exec'].environment.SECRET_KEYS === keys)!;
        const exec = generator.provisioner[0]['local-exec'];
        expect(exec.command).toBe(`bash ${SECRET_GENERATOR_PATH}`);
        expect(exec.environment).toMatchObject({
          SECRET_ID: expect.stringMatching(/^\$\{aws_secretsmanager_secret\./),
          SECRET_LABEL: generationLabel(keys),
          AWS_REGION: 'eu-west-1',
        });
        expect(generator.triggers_replace).toEqual({
          secret: exec.environment.SECRET_ID,
          label: generationLabel(keys),
        });
      }
      // A new key or a new generation gets a new label: the values are generated again.
      expect(generationLabel('password:32')).not.toBe(generationLabel('password:32 cookie:48'));
    });
  });
});

describe.each((selectableSupportingServiceNames() as SupportingServiceName[]).map((s) => [s] as const))('only %s (and what it requires)', (service) => {
  const selected = withRequirements(service);
  const { platform, stacks } = synth({
    ...BASE,
    supportingServices: selected,
  });
  const plan = supportingPlan(platform, platform.environments[0]);

  it('creates only the secrets, buckets and roles the selection uses', () => {
    const aws = stacks['dev-services-aws'];
    expect(
      resources(aws, 'aws_s3_bucket')
        .map(([, b]) => b.bucket)
        .sort()
    ).toEqual(Object.values(plan.buckets).sort());
    // The selection's Pod Identity roles, and External Secrets'.
    expect(resources(aws, 'aws_eks_pod_identity_association')).toHaveLength(plan.podIdentities.length + 1);
    expect(resources(aws, 'aws_secretsmanager_secret')).toHaveLength(plan.secrets.filter((s) => Object.keys(s.generated).length).length + 1);
    expect(Object.keys(releases(stacks['dev-services'])).sort()).toEqual(['argo-cd', 'argocd-apps']);
  });
});

describe('no supporting services', () => {
  const { stacks } = synth({ ...BASE, supportingServices: [] });

  it("keeps Argo CD and its credential, External Secrets' role, and no bucket or generated secret", () => {
    expect(Object.keys(releases(stacks['dev-services'])).sort()).toEqual(['argo-cd', 'argocd-apps']);
    expect(resources(stacks['dev-services-aws'], 'aws_s3_bucket')).toEqual([]);
    expect(bodies(stacks['dev-services-aws'], 'aws_secretsmanager_secret').map((s) => s.name)).toEqual(['acme/dev/argocd-repository']);
  });
});

describe("the team's services' secret variables", () => {
  const { stacks } = synth({ ...BASE, supportingServices: [], services: [{ name: 'api', secretEnv: ['DATABASE_URL'] }, 'worker'] });

  it('get an empty secret per service and environment, encrypted, for the team to fill; no value from Terraform', () => {
    const aws = stacks['dev-services-aws'];
    const secret = bodies(aws, 'aws_secretsmanager_secret').find((s) => s.name === 'acme/dev/apps/api')!;
    expect(secret.kms_key_id).toMatch(/^\$\{aws_kms_key\./);
    expect(secret.description).toContain('DATABASE_URL');
    expect(bodies(aws, 'aws_secretsmanager_secret').map((s) => s.name)).not.toContain('acme/dev/apps/worker');
    expect(resources(aws, 'aws_secretsmanager_secret_version')).toEqual([]);
    expect(resources(aws, 'terraform_data')).toEqual([]);
  });
});

describe("Alertmanager's receiver secret (alerts answered)", () => {
  const { stacks } = synth({ ...BASE, supportingServices: ['prometheus'], alerts: { receiver: 'slack', slackChannel: '#acme-alerts' } });

  it('is created empty for a person to fill, encrypted, and readable by External Secrets; no value from Terraform', () => {
    const aws = stacks['dev-services-aws'];
    const secret = bodies(aws, 'aws_secretsmanager_secret').find((s) => s.name === 'acme/dev/alertmanager')!;
    expect(secret.kms_key_id).toMatch(/^\$\{aws_kms_key\./);
    expect(secret.description).toContain('slack-webhook-url');
    expect(resources(aws, 'aws_secretsmanager_secret_version')).toEqual([]);
    expect(resources(aws, 'terraform_data')).toEqual([]);
    const statements = Object.values(aws.data.aws_iam_policy_document as Record<string, Json>).flatMap((d) => d.statement as Json[]);
    expect(statements.find((st) => st.sid === 'ReadPlatformAndServiceSecrets')!.resources).toContain(`\${${address(aws, 'aws_secretsmanager_secret', secret)}.arn}`);
  });
});

describe("a team service's bucket (bucket: true)", () => {
  const { platform, stacks } = synth({ ...BASE, supportingServices: [], services: [{ name: 'api', bucket: true }, 'worker'] });

  it('is hardened like the platform buckets, kept in production, and reached only by the service through Pod Identity', () => {
    for (const env of ['dev', 'prod']) {
      const aws = stacks[`${env}-services-aws`];
      const [[bucketId, bucket]] = resources(aws, 'aws_s3_bucket');
      expect(bucket.bucket).toBe(`acme-${env}-api-123456789012`);
      expect(bucket.lifecycle?.prevent_destroy ?? false).toBe(env === 'prod');
      for (const type of ['aws_s3_bucket_versioning', 'aws_s3_bucket_public_access_block', 'aws_s3_bucket_server_side_encryption_configuration', 'aws_s3_bucket_policy'])
        expect(resources(aws, type), type).toHaveLength(1);
      const [roleId, role] = resources(aws, 'aws_iam_role').find(([, r]) => r.name === `acme-${env}-app-api`)!;
      expect(role.permissions_boundary).toBeDefined();
      const [, association] = resources(aws, 'aws_eks_pod_identity_association').find(([, a]) => a.namespace === 'apps')!;
      expect([association.service_account, association.role_arn]).toEqual(['api', `\${aws_iam_role.${roleId}.arn}`]);
      const statements = Object.values(aws.data.aws_iam_policy_document as Record<string, Json>).flatMap((d) => d.statement as Json[]);
      const objects = statements.find((s) => s.sid === 'ReadWriteObjects' && s.resources[0].includes(bucketId))!;
      expect(objects.resources).toEqual([`\${aws_s3_bucket.${bucketId}.arn}/*`]);
    }
    expect(platform.services.find((s) => s.name === 'worker')!.bucket).toBe(false);
  });
});
