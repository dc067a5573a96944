import {
  catalogue,
  clusterName,
  secretsManagerName,
  selectedReleases,
  supportingPlan,
  SUPPORTING_RELEASES,
  SUPPORTING_SERVICES,
  supportingServiceCatalogue,
  type AnswersInput,
  type SupportingServiceName,
} from '@platform-kit/config';
import { helmValuesFiles } from '@platform-kit/projen';
import { afterAll, describe, expect, it } from 'vitest';
import { generationLabel, PLATFORM_CHART_PATH, SECRET_GENERATOR_PATH } from '../src';
import { only, removeOutdirs, resources, synth, type Json } from './support';

const bodies = (stack: Json, type: string): Json[] => resources(stack, type).map(([, body]) => body);

/* <env>-services-aws and the supporting services' Helm releases in <env>-services, at synth level. */

afterAll(removeOutdirs);

const BASE: AnswersInput = { name: 'acme', aws: { region: 'eu-west-1', accountId: '123456789012' }, environments: ['dev', 'prod'], services: ['api'] };

/** Release body by Helm release name. */
function releases(stack: Json): Record<string, Json> {
  return Object.fromEntries(resources(stack, 'helm_release').map(([, body]) => [body.name, body]));
}
const address = (stack: Json, name: string) => `helm_release.${resources(stack, 'helm_release').find(([, b]) => b.name === name)![0]}`;

/** The selection a service needs to be valid: itself and what it requires. */
const withRequirements = (service: SupportingServiceName): SupportingServiceName[] => {
  const needed = new Set<SupportingServiceName>([service]);
  // A Set iterates over what is added while iterating: requirements of requirements are covered.
  for (const s of needed) for (const r of supportingServiceCatalogue[s].requires) needed.add(r);
  return SUPPORTING_SERVICES.filter((s) => needed.has(s));
};

it('orders the release table so that every release comes after those it names', () => {
  const seen = new Set<string>();
  for (const r of SUPPORTING_RELEASES) {
    for (const a of r.after) expect(seen.has(a), `${r.name} after ${a}`).toBe(true);
    seen.add(r.name);
  }
});

describe('all eleven supporting services', () => {
  const { platform, stacks } = synth(BASE);
  const dev = stacks['dev-services'];
  const all = releases(dev);
  const dependsOn = (name: string) => all[name].depends_on as string[];

  it.each(SUPPORTING_RELEASES.map((r) => [r.name, r] as const))('installs %s from the pinned chart into its namespace', (_name, r) => {
    const chart = catalogue.charts[r.chart];
    expect(all[r.name]).toMatchObject({
      namespace: supportingServiceCatalogue[r.service].namespace,
      repository: chart.repository,
      chart: chart.chart,
      version: chart.version,
      atomic: true,
    });
    // Namespaces come from platform-base, with their Pod Security labels.
    expect(all[r.name].create_namespace).toBeUndefined();
  });

  it('passes the managed values file of the environment, as rendered', () => {
    const files = helmValuesFiles(platform).filter((f) => f.environment === 'dev');
    for (const f of files) expect(all[f.release].values, f.release).toEqual([f.contents]);
  });

  it('creates namespaces and secrets first, from the platform chart', () => {
    expect(all['platform-base'].chart).toBe(PLATFORM_CHART_PATH);
    for (const r of SUPPORTING_RELEASES) expect(dependsOn(r.name)).toContain(address(dev, 'platform-base'));
    const values = JSON.parse(all['platform-base'].values[0]);
    expect(values.namespaces.map((n: Json) => n.name).sort()).toEqual(['apps', 'cert-manager', 'monitoring', 'nginx-gateway', 'ory', 'postgresql', 'redis']);
    expect(values.namespaces.find((n: Json) => n.name === 'ory').podSecurity).toBe('baseline');
    expect(values.namespaces.find((n: Json) => n.name === 'monitoring').podSecurity).toBe('privileged');
  });

  it('installs cert-manager before the ClusterIssuers and the Gateway before the routes', () => {
    const routing = all['platform-routing'];
    expect(routing.depends_on).toEqual(expect.arrayContaining([address(dev, 'cert-manager'), address(dev, 'nginx')]));
    const values = JSON.parse(routing.values[0]);
    expect(values.clusterIssuers).toMatchObject({ enabled: true, email: platform.certificateEmail });
    expect(Object.keys(values.clusterIssuers.issuers)).toEqual(['letsencrypt-staging', 'letsencrypt-production']);
    expect(values.routes.map((r: Json) => r.host)).toEqual(['grafana.dev.acme.example.com', 'auth.dev.acme.example.com', 'id.dev.acme.example.com', 'api.dev.acme.example.com']);
  });

  it('installs PostgreSQL (operator, Barman Cloud plugin, cluster) before the ORY apps that use it', () => {
    expect(dependsOn('barman-cloud')).toEqual(expect.arrayContaining([address(dev, 'cnpg-operator'), address(dev, 'cert-manager')]));
    expect(dependsOn('postgresql')).toEqual(expect.arrayContaining([address(dev, 'cnpg-operator'), address(dev, 'barman-cloud')]));
    for (const app of ['hydra', 'keto', 'kratos']) expect(dependsOn(app), app).toContain(address(dev, 'postgresql'));
  });

  it('applies the Gateway API CRDs, pinned to NGINX Gateway Fabric, before NGINX', () => {
    const [id, crds] = only(dev, 'terraform_data');
    expect(dependsOn('nginx')).toContain(`terraform_data.${id}`);
    expect(crds.triggers_replace).toEqual({ crds: catalogue.gatewayApiCrds });
    expect(catalogue.gatewayApiCrds).toContain(`ref=v${catalogue.charts['nginx-gateway-fabric'].version}`);
    expect(crds.provisioner[0]['local-exec'].command).toContain(`--name ${clusterName(platform, 'dev')} --region eu-west-1`);
  });

  it('passes every generated secret write-only, read ephemerally from Secrets Manager', () => {
    const base = all['platform-base'];
    expect(base.set_sensitive).toBeUndefined();
    expect(base.set).toBeUndefined();
    const plan = supportingPlan(platform, platform.environments[0]);
    const expected = plan.secrets.flatMap((s) => [...Object.keys(s.generated), ...(s.dsn ? [s.dsn.key] : [])].map((k) => `secrets.${s.id}.data.${k}`));
    expect(base.set_wo.map((s: Json) => s.name).sort()).toEqual(expected.sort());
    for (const s of base.set_wo.filter((s: Json) => !s.name.endsWith('.dsn')))
      expect(s.value).toMatch(/^\$\{jsondecode\(ephemeral\.aws_secretsmanager_secret_version\.[\w-]+\.secret_string\)\["[\w-]+"\]\}$/);
    for (const [name, e] of Object.entries<Json>(dev.ephemeral.aws_secretsmanager_secret_version))
      expect(e.secret_id, name).toMatch(new RegExp(`^${platform.name}/dev/`));
  });

  it('builds each ORY DSN from its own database role password', () => {
    const dsn = all['platform-base'].set_wo.find((s: Json) => s.name === 'secrets.kratos.data.dsn').value;
    expect(dsn).toMatch(/^postgres:\/\/kratos:\$\{jsondecode\(ephemeral\.aws_secretsmanager_secret_version\.dev-kratos-db\.secret_string\)\["password"\]\}@postgresql-rw\.postgresql\.svc\.cluster\.local:5432\/kratos\?sslmode=require$/);
  });

  describe('<env>-services-aws', () => {
    const aws = stacks['dev-services-aws'];

    it('has a hardened bucket for Loki and for PostgreSQL backups, named for the environment', () => {
      expect(resources(aws, 'aws_s3_bucket').map(([, b]) => b.bucket).sort()).toEqual(['acme-dev-backup-123456789012', 'acme-dev-loki-123456789012']);
      expect(resources(aws, 'aws_s3_bucket_public_access_block')).toHaveLength(2);
      expect(resources(aws, 'aws_s3_bucket_versioning')).toHaveLength(2);
      // Only production keeps its data when the stack is destroyed.
      expect(resources(aws, 'aws_s3_bucket').every(([, b]) => b.force_destroy === true)).toBe(true);
      expect(resources(stacks['prod-services-aws'], 'aws_s3_bucket').every(([, b]) => b.lifecycle.prevent_destroy === true)).toBe(true);
    });

    it('binds Loki and the PostgreSQL instances to their roles with Pod Identity, on this cluster', () => {
      const bindings = resources(aws, 'aws_eks_pod_identity_association').map(([, a]) => `${a.namespace}/${a.service_account}`);
      expect(bindings.sort()).toEqual(['monitoring/loki', 'postgresql/postgresql']);
      for (const [, a] of resources(aws, 'aws_eks_pod_identity_association')) expect(a.cluster_name).toMatch(/cross-stack-reference-input-dev-cluster/);
      for (const [, role] of resources(aws, 'aws_iam_role')) {
        expect(role.name).toMatch(/^acme-dev-/);
        expect(role.permissions_boundary).toBeDefined();
      }
    });

    it('generates secret values at apply time only: nothing a plan reads, no value in state', () => {
      const plan = supportingPlan(platform, platform.environments[0]);
      const stored = plan.secrets.filter((s) => Object.keys(s.generated).length > 0);
      expect(resources(aws, 'aws_secretsmanager_secret').map(([, s]) => s.name).sort()).toEqual(stored.map((s) => secretsManagerName(platform, platform.environments[0], s)).sort());
      for (const [, s] of resources(aws, 'aws_secretsmanager_secret')) expect(s.kms_key_id).toMatch(/^\$\{aws_kms_key\./);
      // No secret version resource (its refresh would read the value back in every plan), no ephemeral read.
      expect(resources(aws, 'aws_secretsmanager_secret_version')).toEqual([]);
      expect(aws.ephemeral).toBeUndefined();
      const generators = bodies(aws, 'terraform_data');
      expect(generators).toHaveLength(stored.length);
      for (const secret of stored) {
        const keys = Object.entries(secret.generated).map(([key, length]) => `${key}:${length}`).join(' ');
        const generator = generators.find((g) => g.provisioner[0]['local-exec'].environment.SECRET_KEYS === keys)!;
        const exec = generator.provisioner[0]['local-exec'];
        expect(exec.command).toBe(`bash ${SECRET_GENERATOR_PATH}`);
        expect(exec.environment).toMatchObject({ SECRET_ID: expect.stringMatching(/^\$\{aws_secretsmanager_secret\./), SECRET_LABEL: generationLabel(keys), AWS_REGION: 'eu-west-1' });
        expect(generator.triggers_replace).toEqual({ secret: exec.environment.SECRET_ID, label: generationLabel(keys) });
      }
      // A new key or a new generation gets a new label: the values are generated again.
      expect(generationLabel('password:32')).not.toBe(generationLabel('password:32 cookie:48'));
    });
  });
});

describe.each(SUPPORTING_SERVICES.map((s) => [s] as const))('only %s (and what it requires)', (service) => {
  const selected = withRequirements(service);
  const { platform, stacks } = synth({ ...BASE, supportingServices: selected });
  const dev = stacks['dev-services'];
  const installed = releases(dev);
  const plan = supportingPlan(platform, platform.environments[0]);

  it('installs exactly the releases of the selection, each after installed releases only', () => {
    const expected = selectedReleases(selected).map((r) => r.name);
    const names = Object.keys(installed).filter((n) => !['cluster-autoscaler', 'platform-base', 'platform-routing'].includes(n));
    expect(names.sort()).toEqual([...expected].sort());
    for (const [name, body] of Object.entries(installed))
      for (const dep of body.depends_on ?? []) expect(dep.startsWith('helm_release.') || dep.startsWith('terraform_data.'), `${name} -> ${dep}`).toBe(true);
  });

  it('creates only the namespaces, secrets, buckets and roles the selection uses', () => {
    const base = JSON.parse(installed['platform-base'].values[0]);
    expect(base.namespaces.map((n: Json) => n.name).sort()).toEqual([...new Set([...selected.map((s) => supportingServiceCatalogue[s].namespace), 'apps'])].sort());
    expect(Object.keys(base.secrets).sort()).toEqual(plan.secrets.map((s) => s.id).sort());
    const aws = stacks['dev-services-aws'];
    expect(resources(aws, 'aws_s3_bucket').map(([, b]) => b.bucket).sort()).toEqual(Object.values(plan.buckets).sort());
    expect(resources(aws, 'aws_eks_pod_identity_association')).toHaveLength(plan.podIdentities.length);
  });

  it('routes and issues certificates only with NGINX and cert-manager', () => {
    const routing = installed['platform-routing'];
    if (!selected.includes('cert-manager') && plan.routes.length === 0) return expect(routing).toBeUndefined();
    const values = JSON.parse(routing.values[0]);
    expect(values.clusterIssuers.enabled).toBe(selected.includes('cert-manager'));
    expect(values.routes.length > 0).toBe(selected.includes('nginx') && Object.keys(plan.hosts).length > 0);
    expect(resources(dev, 'terraform_data')).toHaveLength(selected.includes('nginx') ? 1 : 0);
  });
});

describe('no supporting services', () => {
  const { stacks } = synth({ ...BASE, supportingServices: [] });

  it('keeps the autoscaler and the platform base (the apps namespace), nothing else', () => {
    expect(Object.keys(releases(stacks['dev-services'])).sort()).toEqual(['cluster-autoscaler', 'platform-base']);
    expect(stacks['dev-services'].ephemeral).toBeUndefined();
    expect(resources(stacks['dev-services-aws'], 'aws_s3_bucket')).toEqual([]);
    expect(resources(stacks['dev-services-aws'], 'aws_secretsmanager_secret')).toEqual([]);
  });
});
