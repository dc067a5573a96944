import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AnswersError,
  estimateCost,
  gitopsApplications,
  MODULE_DOCS_END,
  persistentVolumes,
  registerSupportingService,
  resolvePlatform,
  secretsManagerName,
  supportingPlan,
  SUPPORTING_SERVICES_DOC,
  supportingServiceNames,
  withModuleDocs,
  type AnswersInput,
} from '@platform-kit/config';
import { PlatformApp } from '@platform-kit/constructs';
import { gitopsManifests, helmValuesFiles, PlatformProject } from '@platform-kit/projen';
import { synthSnapshot } from 'projen/lib/util/synth';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { QUESTIONS } from '../packages/create-platform/src/questions';
import acmeSearch from './fixtures/supporting-module';
import { terraformAvailable, terraformValidate } from './helpers';
import { validateManifest } from './k8s-schemas';

/*
 * A supporting service is its module folder: registering a made-up one (test/fixtures/supporting-module) wires it
 * into the answers, the plan, the AWS stack, the GitOps manifests, the values files, the cost estimate, the docs and
 * the diagram, with no other file touched. docs/contributing.md has the recipe this test stands for.
 */

registerSupportingService(acmeSearch);

const ANSWERS: AnswersInput = {
  name: 'acme',
  aws: { region: 'eu-west-1', accountId: '123456789012' },
  environments: ['dev', 'prod'],
  services: [{ name: 'api', public: true }],
  supportingServices: ['acme-search' as never, 'postgresql', 'cert-manager', 'nginx', 'prometheus', 'grafana'],
};
const platform = resolvePlatform(ANSWERS);
const [dev, prod] = platform.environments;

const outdirs: string[] = [];
afterAll(() => outdirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
const tempDir = (prefix: string) => {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  outdirs.push(dir);
  return dir;
};

describe('the answers', () => {
  it('accept the registered service, listed after the kit’s (registry order, whatever order the answers used)', () => {
    expect(supportingServiceNames().at(-1)).toBe('acme-search');
    expect(platform.supportingServices).toEqual(['postgresql', 'nginx', 'cert-manager', 'grafana', 'prometheus', 'acme-search']);
  });

  it('check what it requires, and still refuse a name no module has', () => {
    const without = () => resolvePlatform({ ...ANSWERS, supportingServices: ['acme-search' as never, 'cert-manager'] });
    expect(without).toThrow(AnswersError);
    expect(without).toThrow('acme-search needs postgresql. Add postgresql, or remove acme-search.');
    expect(() => resolvePlatform({ ...ANSWERS, supportingServices: ['acme-serch' as never] })).toThrow(/"acme-serch" is not a known supporting service\. Use one of: .*, acme-search\./);
  });

  it("keep its host name from the team's public services", () => {
    expect(() => resolvePlatform({ ...ANSWERS, services: [{ name: 'search', public: true }] })).toThrow("search.<env>.<domain> is acme-search's host name");
  });

  it('offer it in the wizard', () => {
    const question = QUESTIONS.find((q) => q.field === 'supportingServices')!;
    const choices = question.choices!(platform, 0);
    expect(choices).toContainEqual(expect.objectContaining({ value: 'acme-search', name: 'Acme Search', description: 'full-text search' }));
  });

  it('refuse a second module with a name, release, chart or host label already taken', () => {
    expect(() => registerSupportingService({ ...acmeSearch })).toThrow('the name acme-search is taken');
    expect(() => registerSupportingService({ ...acmeSearch, name: 'b', releases: [{ name: 'grafana', chart: 'acme-search', after: [] }] })).toThrow('the release grafana is taken');
    expect(() => registerSupportingService({ ...acmeSearch, name: 'c', releases: [{ name: 'c', chart: 'nope', after: [] }] })).toThrow('installs nope, which is not in its charts');
    expect(() => registerSupportingService({ ...acmeSearch, name: 'd', releases: [{ name: 'd', chart: 'acme-search', after: [] }] })).toThrow('the chart acme-search is taken');
    expect(() => registerSupportingService({ ...acmeSearch, name: 'e', releases: [], charts: {}, host: { label: 'grafana', service: 'x', port: 1 } })).toThrow('the host label grafana is taken');
    expect(() => registerSupportingService({ ...acmeSearch, name: 'f', releases: [], charts: {}, host: undefined, requires: ['nothing'] })).toThrow('requires nothing');
  });
});

describe('the plan of an environment', () => {
  const plan = supportingPlan(platform, dev);

  it('has its namespace (allowed on the Gateway: it has a host), host, route, bucket and Pod Identity role', () => {
    expect(plan.namespaceList).toContainEqual({ name: 'search', podSecurity: 'baseline', gatewayAccess: true });
    expect(plan.hosts['acme-search']).toBe('search.dev.acme.example.com');
    expect(plan.routes).toContainEqual({ name: 'acme-search', host: 'search.dev.acme.example.com', namespace: 'search', service: 'acme-search-http', port: 7700 });
    expect(plan.buckets.snapshots).toBe('acme-dev-search-123456789012');
    expect(plan.podIdentities).toContainEqual({ id: 'acme-search', namespace: 'search', serviceAccount: 'acme-search', bucket: 'snapshots' });
  });

  it('gives it a database and a role in PostgreSQL, and its own generated secret', () => {
    expect(plan.databaseApps).toEqual(['acme-search']);
    expect(plan.secrets.map((s) => s.id)).toEqual(expect.arrayContaining(['acme-search-db', 'acme-search']));
    expect(plan.secrets.find((s) => s.id === 'acme-search-db')).toMatchObject({ namespace: 'postgresql', name: 'postgresql-acme-search', fixed: { username: 'acme-search' } });
  });
});

describe('the AWS stack', () => {
  const outdir = tempDir('pk-module-');
  const values = new Map(helmValuesFiles(platform).map((f) => [`${f.environment}/${f.release}`, f.contents]));
  new PlatformApp(platform, { outdir, helmValues: (e, r) => [values.get(`${e.name}/${r}`)!] }).synth();
  const stackDir = join(outdir, 'stacks', 'dev-services-aws');
  const stack = JSON.parse(readFileSync(join(stackDir, 'cdk.tf.json'), 'utf8'));
  const bodies = (type: string) => Object.values(stack.resource[type] ?? {}) as Record<string, any>[];

  it('creates its bucket, its role bound to its service account, and its secret; External Secrets may read the secret', () => {
    expect(bodies('aws_s3_bucket').map((b) => b.bucket)).toContain('acme-dev-search-123456789012');
    expect(bodies('aws_iam_role').map((r) => r.name)).toContain('acme-dev-acme-search');
    expect(bodies('aws_eks_pod_identity_association')).toContainEqual(expect.objectContaining({ namespace: 'search', service_account: 'acme-search' }));
    const secrets = bodies('aws_secretsmanager_secret').map((s) => s.name);
    expect(secrets).toEqual(expect.arrayContaining([secretsManagerName(platform, dev, 'acme-search'), secretsManagerName(platform, dev, 'acme-search-db')]));
    const statements = Object.values(stack.data.aws_iam_policy_document as Record<string, { statement: { sid: string; resources: string[] }[] }>).flatMap((d) => d.statement);
    const readable = statements.find((st) => st.sid === 'ReadPlatformAndServiceSecrets')!.resources;
    expect(readable).toContainEqual(expect.stringMatching(/^\$\{aws_secretsmanager_secret\.services_secret-acme-search_secret_[0-9A-F]+\.arn\}$/));
  });

  it.skipIf(!terraformAvailable)('validates with real Terraform', async () => {
    const result = await terraformValidate(stackDir);
    expect(result.diagnostics).toEqual([]);
    expect(result.valid).toBe(true);
  }, 120_000);

  it('has the stacks of every environment', () => {
    expect(readdirSync(join(outdir, 'stacks'))).toEqual(expect.arrayContaining(['dev-services-aws', 'prod-services-aws']));
  });
});

describe('the GitOps manifests and values files', () => {
  const files = gitopsManifests(platform);
  const apps = gitopsApplications(platform, dev);
  const app = apps.find((a) => a.name === 'acme-search')!;
  const manifest = (kind: string, name: string) => files.find((f) => f.path.startsWith('gitops/dev/') && f.manifest.kind === kind && (f.manifest.metadata as { name: string }).name === name)?.manifest as Record<string, any>;

  it('installs its chart after PostgreSQL, Prometheus, the namespaces and the secrets, in a later wave', () => {
    expect(app.after).toEqual(['postgresql', 'prometheus', 'namespaces', 'secrets']);
    for (const before of app.after) expect(apps.find((a) => a.name === before)!.wave).toBeLessThan(app.wave);
    const application = manifest('Application', 'acme-search');
    expect(application.spec.sources[0]).toMatchObject({ repoURL: 'registry.example.com/charts', chart: 'acme-search', targetRevision: '1.2.3' });
    expect(application.spec.destination.namespace).toBe('search');
  });

  it('creates its namespace, its ExternalSecrets, its route and its Gateway listener; every object validates', () => {
    expect(manifest('Namespace', 'search')).toBeDefined();
    expect(manifest('ExternalSecret', 'acme-search')).toBeDefined();
    expect(manifest('HTTPRoute', 'acme-search').spec.hostnames).toEqual(['search.dev.acme.example.com']);
    for (const f of files.filter((f) => !f.path.endsWith('/kustomization.yaml'))) expect(validateManifest(f.manifest), f.path).toEqual([]);
    const nginx = parse(helmValuesFiles(platform).find((f) => f.path === 'helm/dev/nginx.yaml')!.contents);
    expect(JSON.stringify(nginx)).toContain('search.dev.acme.example.com');
  });

  it("renders its values from the module's template, per environment", () => {
    const values = (env: string) => parse(helmValuesFiles(platform).find((f) => f.path === `helm/${env}/acme-search.yaml`)!.contents);
    expect(values('dev')).toEqual({
      replicaCount: 1,
      publicUrl: 'https://search.dev.acme.example.com/',
      bucket: 'acme-dev-search-123456789012',
      serviceAccount: { name: 'acme-search' },
      existingSecret: 'acme-search',
      database: { host: 'postgresql-rw.postgresql.svc.cluster.local' },
    });
    expect(values('prod').replicaCount).toBe(3);
  });
});

describe('the cost estimate', () => {
  it('counts its volumes and its bucket', () => {
    expect(persistentVolumes(platform, prod)).toContainEqual({ what: 'Acme Search', count: 3, sizeGiB: 7 });
    const estimate = JSON.stringify(estimateCost(platform));
    const without = JSON.stringify(estimateCost(resolvePlatform({ ...ANSWERS, supportingServices: ['postgresql', 'cert-manager', 'nginx', 'prometheus', 'grafana'] })));
    expect(estimate).not.toEqual(without);
  });
});

describe("the kit's docs", () => {
  it("give it a section in docs/supporting-services.md from its module's docs.md", () => {
    const doc = withModuleDocs(readFileSync(join(__dirname, '..', SUPPORTING_SERVICES_DOC), 'utf8'));
    expect(doc).toContain('### Acme Search\n\n- The made-up chart');
    expect(doc.indexOf('### Acme Search')).toBeLessThan(doc.indexOf(MODULE_DOCS_END));
  });
});

describe('the docs of the platform repo', () => {
  const files = synthSnapshot(new PlatformProject({ answers: ANSWERS, outdir: tempDir('pk-module-repo-') }));
  const services = files['docs/services.md'] as string;
  const architecture = files['docs/architecture.md'] as string;

  it('list it with its chart, its URL, its access notes and what stays in the cluster', () => {
    expect(services).toContain('| Acme Search | full-text search | `search` | `acme-search` (acme-search 1.2.3) |');
    expect(services).toContain('| https://search.dev.acme.example.com/ | `acme-search-http:7700` in `search` |');
    expect(services).toContain('**Acme Search** at https://search.prod.acme.example.com/: the master key is in acme/prod/acme-search.');
    expect(services).toMatch(/In-cluster only, by design: [^\n]*the Acme Search admin API/);
  });

  it('draw it in its namespace, with its database, its bucket and the arrows whose both ends are there', () => {
    expect(architecture).toContain('svc_acme_search["Acme Search<br/>full-text search"]');
    expect(architecture).toContain('svc_acme_search -->|"SQL"| svc_postgresql');
    expect(architecture).toContain('s3_snapshots[("S3 bucket<br/>search snapshots")]');
    expect(architecture).toContain('svc_acme_search -->|"snapshots, Pod Identity"| s3_snapshots');
    expect(architecture).toContain('svc_grafana -->|"search dashboards"| svc_acme_search');
    expect(architecture).not.toContain('user lookups'); // kratos is not selected
  });

  it('write its values files and its Application', () => {
    expect(files['helm/dev/acme-search.yaml']).toContain('publicUrl: https://search.dev.acme.example.com/');
    expect(files['gitops/prod/applications/acme-search.yaml']).toBeDefined();
  });
});
