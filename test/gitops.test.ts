import {
  ARGOCD_NAMESPACE,
  chartPin,
  CLUSTER_AUTOSCALER_SERVICE_ACCOUNT,
  GITOPS_DIR,
  gitopsApplications,
  platformRepositoryUrl,
  resolvePlatform,
  secretsManagerName,
  supportingPlan,
  selectableSupportingServiceNames,
  withWaves,
  type SupportingServiceName,
  type AnswersInput,
  type TargetInput,
  type GitopsApplication,
} from '@platform-kit/config';
import { PlatformApp } from '@platform-kit/constructs';
import { externalSecret, gitopsManifests, helmValuesContext, helmValuesFiles, helmValuesPath, type GitopsManifest } from '@platform-kit/projen';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { onExistingClusters } from './helpers';
import { validateManifest } from './k8s-schemas';

/*
 * gitops/<env>/: what Argo CD installs. Every manifest validates against the Kubernetes 1.35 and CRD schemas
 * (test/fixtures/k8s-schemas, kubeconform's way: an unknown kind fails); each Application installs the catalogue's
 * chart with values files that exist, into a namespace that exists, after what it needs; each ExternalSecret reads
 * secrets <env>-services-aws creates and gives the Secret the keys the values templates use.
 */

const ANSWER_SETS: Record<string, AnswersInput> = {
  'every selectable service, dev/staging/prod': {
    name: 'acme',
    aws: { region: 'eu-west-1', accountId: '123456789012' },
    github: { owner: 'acme' },
    domain: 'acme.io',
    certificateEmail: 'ops@acme.io',
    // The default selection, and those a platform opts into (Velero).
    supportingServices: selectableSupportingServiceNames() as SupportingServiceName[],
    alerts: { receiver: 'slack', slackChannel: '#acme-alerts' },
  },
  'no supporting services, one production environment': {
    name: 'globex',
    aws: { region: 'us-east-2', accountId: '210987654321' },
    environments: ['prod'],
    supportingServices: [],
  },
  'identity without monitoring or routing': {
    name: 'initech',
    aws: { region: 'eu-central-1', accountId: '111122223333' },
    environments: ['dev', 'prod'],
    supportingServices: ['postgresql', 'cert-manager', 'kratos', 'hydra', 'keto'],
  },
  'a DNS zone: DNS-01 ClusterIssuers, a wildcard Certificate, external-dns': {
    name: 'hooli',
    aws: { region: 'us-west-2', accountId: '777788889999' },
    environments: ['dev', 'prod'],
    services: [{ name: 'web', public: true }, 'worker'],
    domain: 'hooli.dev',
    dns: { zone: 'create' },
  },
  'monitoring and routing without TLS': {
    name: 'umbrella',
    aws: { region: 'ap-southeast-2', accountId: '444455556666' },
    environments: ['qa'],
    supportingServices: ['nginx', 'loki', 'grafana', 'prometheus'],
  },
};

const outdirs: string[] = [];
afterAll(() => outdirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** The synthesized <env>-services-aws stacks: the secrets they create. */
function secretNames(answers: AnswersInput): Set<string> {
  const platform = resolvePlatform(answers);
  const outdir = mkdtempSync(join(tmpdir(), 'pk-gitops-'));
  outdirs.push(outdir);
  const files = new Map(helmValuesFiles(platform).map((f) => [`${f.environment}/${f.release}`, f.contents]));
  new PlatformApp(platform, {
    outdir,
    helmValues: (e, r) => [files.get(`${e.name}/${r}`)!],
  }).synth();
  const names = new Set<string>();
  for (const stack of readdirSync(join(outdir, 'stacks')).filter((s) => s.endsWith('-services-aws'))) {
    const json = JSON.parse(readFileSync(join(outdir, 'stacks', stack, 'cdk.tf.json'), 'utf8'));
    for (const secret of Object.values(json.resource.aws_secretsmanager_secret ?? {}) as { name: string }[]) names.add(secret.name);
  }
  return names;
}

type Manifest = Record<string, any>;
const ofKind = (files: GitopsManifest[], kind: string, environment?: string) =>
  files.filter((f) => f.manifest.kind === kind && (!environment || f.path.startsWith(`${GITOPS_DIR}/${environment}/`))).map((f) => f.manifest as Manifest);

/** Problems with the order: an Application whose wave is not after every Application it needs. */
function orderProblems(apps: readonly GitopsApplication[]): string[] {
  const wave = new Map(apps.map((a) => [a.name, a.wave]));
  return apps.flatMap((a) => a.after.filter((d) => !(wave.get(d)! < a.wave)).map((d) => `${a.name} (wave ${a.wave}) is not after ${d} (wave ${wave.get(d)})`));
}

describe.each(Object.entries(ANSWER_SETS))('%s', (_, answers) => {
  const platform = resolvePlatform(answers);
  const files = gitopsManifests(platform);
  // Kubernetes objects: everything but the kustomizations of the services' managed folders.
  const objects = files.filter((f) => !f.path.endsWith('/kustomization.yaml'));
  const valuesFiles = new Set(helmValuesFiles(platform).flatMap((f) => [f.path, helmValuesPath(f.environment, f.release, true)]));

  it('writes only manifests that validate against the Kubernetes 1.35 and CRD schemas', () => {
    const problems = objects.flatMap((f) => validateManifest(f.manifest).map((p) => `${f.path}: ${p}`));
    expect(problems).toEqual([]);
    // Objects of a folder or a service share a file: never two objects of the same kind and name in one.
    const ids = files.map((f) => `${f.path} ${f.manifest.kind} ${(f.manifest.metadata as { name?: string })?.name}`);
    expect(new Set(ids).size).toBe(files.length);
    const shared = [...new Set(files.map((f) => f.path))].filter((path) => files.filter((f) => f.path === path).length > 1);
    for (const path of shared) expect(path, path).toMatch(/^gitops\/[a-z0-9]+\/(services\/[a-z0-9-]+\/managed\/manifests|platform\/(namespaces\/namespaces|secrets\/secrets|routing\/routing|observability\/(alerts|dashboards)))\.yaml$/);
  });

  it("lists in each service's managed kustomization exactly the files of its folder", () => {
    const kustomizations = files.filter((f) => f.path.endsWith('/kustomization.yaml'));
    expect(kustomizations).toHaveLength(platform.environments.length * platform.services.length);
    for (const k of kustomizations) {
      const dir = k.path.replace(/\/kustomization\.yaml$/, '');
      expect(k.manifest).toMatchObject({ apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization' });
      const inFolder = [...new Set(objects.filter((f) => f.path.startsWith(`${dir}/`)).map((f) => f.path.slice(dir.length + 1)))];
      expect([...(k.manifest.resources as string[])].sort()).toEqual(inFolder.sort());
    }
  });

  describe.each(platform.environments.map((e) => [e.name, e] as const))('environment %s', (name, environment) => {
    const apps = gitopsApplications(platform, environment);
    const manifests = new Map([...ofKind(files, 'Application', name), ...ofKind(files, 'ApplicationSet', name)].map((m) => [m.metadata.name, m]));
    const plan = supportingPlan(platform, environment);
    const namespaces = new Set([...ofKind(files, 'Namespace', name).map((m) => m.metadata.name), 'default', 'kube-system', ARGOCD_NAMESPACE]);

    it('has an Application per entry, in the folder the root ApplicationSet follows', () => {
      expect([...manifests.keys()].sort()).toEqual(apps.map((a) => a.name).sort());
      for (const app of apps) expect(files.some((f) => f.path === `${GITOPS_DIR}/${name}/applications/${app.name}.yaml`)).toBe(true);
    });

    it("installs each release from the catalogue's chart and version, with values files that exist", () => {
      for (const app of apps.filter((a) => a.source.kind === 'chart')) {
        const release = (
          app.source as {
            release: { name: string; chart: string };
          }
        ).release;
        const [chart, values] = manifests.get(app.name)!.spec.sources;
        const pinned = chartPin(release.chart);
        expect(chart.repoURL).toBe(pinned.repository.replace(/^oci:\/\//, ''));
        expect([chart.chart, chart.targetRevision]).toEqual([pinned.chart, pinned.version]);
        expect(chart.helm.releaseName).toBe(release.name);
        expect(values).toEqual({
          repoURL: platformRepositoryUrl(platform),
          targetRevision: 'main',
          ref: 'values',
        });
        for (const file of chart.helm.valueFiles) expect(valuesFiles.has(file.replace(/^\$values\//, '')), file).toBe(true);
      }
    });

    it('points the manifest Applications at folders that hold manifests', () => {
      for (const app of apps.filter((a) => a.source.kind === 'manifests')) {
        const path = manifests.get(app.name)!.spec.source.path;
        expect(files.filter((f) => f.path.startsWith(`${path}/`)).length, path).toBeGreaterThan(0);
      }
    });

    it('never prunes a namespace (its volumes would go with it)', () => {
      for (const ns of ofKind(files, 'Namespace', name)) expect(ns.metadata.annotations['argocd.argoproj.io/sync-options']).toBe('Prune=false');
    });

    it('installs into namespaces that exist', () => {
      for (const m of manifests.values()) expect(namespaces.has((m.spec.destination ?? m.spec.template.spec.destination).namespace), m.metadata.name).toBe(true);
      for (const f of objects.filter((f) => f.path.startsWith(`${GITOPS_DIR}/${name}/platform/`) || f.path.startsWith(`${GITOPS_DIR}/${name}/services/`)))
        if ((f.manifest as Manifest).metadata.namespace) expect(namespaces.has((f.manifest as Manifest).metadata.namespace), f.path).toBe(true);
      expect(namespaces.has(CLUSTER_AUTOSCALER_SERVICE_ACCOUNT.namespace)).toBe(true);
    });

    it('syncs every Application in a wave after the Applications it needs', () => {
      expect(orderProblems(apps)).toEqual([]);
      for (const app of apps) expect(manifests.get(app.name)!.metadata.annotations['argocd.argoproj.io/sync-wave']).toBe(String(app.wave));
      // The namespaces first; every release after them, and after the Secrets its values name.
      expect(apps.find((a) => a.name === 'namespaces')!.wave).toBe(0);
      for (const secret of plan.secrets) for (const release of secret.readBy) expect(apps.find((a) => a.name === release)!.after).toContain('secrets');
    });

    it('reads every Secret from a secret <env>-services-aws creates, with the keys the values templates use', () => {
      const created = secretNames(answers);
      const context = helmValuesContext(platform, environment);
      const externalSecrets = ofKind(files, 'ExternalSecret', name);
      expect(externalSecrets.map((e) => `${e.metadata.namespace}/${e.metadata.name}`).sort()).toEqual(
        plan.secrets.map((s) => `${s.namespace}/${s.name}`).sort()
      );
      for (const secret of plan.secrets) {
        const es = externalSecrets.find((e) => e.metadata.name === secret.name && e.metadata.namespace === secret.namespace)!;
        for (const data of es.spec.data) expect(created.has(data.remoteRef.key), data.remoteRef.key).toBe(true);
        expect(Object.keys(es.spec.target.template.data).sort()).toEqual([...context.secrets[secret.id].keys].sort());
        expect(es.spec.target.template.type).toBe(secret.type);
      }
      // The store serves exactly the namespaces holding those Secrets.
      const stores = ofKind(files, 'ClusterSecretStore', name);
      if (!plan.secrets.length) return expect(stores).toEqual([]);
      expect(stores[0].spec.provider.aws).toEqual({
        service: 'SecretsManager',
        region: platform.aws.region,
      });
      expect(stores[0].spec.conditions).toEqual([
        {
          namespaces: [...new Set(plan.secrets.map((s) => s.namespace))].sort(),
        },
      ]);
    });
  });
});

describe('the order check', () => {
  const platform = resolvePlatform(ANSWER_SETS['every selectable service, dev/staging/prod']);
  const apps = gitopsApplications(platform, platform.environments[0]);

  it('fails when an Application is moved before something it needs', () => {
    const broken = apps.map((a) => (a.name === 'oathkeeper' ? { ...a, wave: apps.find((b) => b.name === 'kratos')!.wave } : a));
    // Kratos and Hydra share a wave: Oathkeeper, now in it, is after neither.
    expect(orderProblems(broken)).toEqual([
      expect.stringMatching(/^oathkeeper \(wave \d+\) is not after kratos/),
      expect.stringMatching(/^oathkeeper \(wave \d+\) is not after hydra/),
    ]);
  });

  it('refuses a cycle and a dependency on something not installed', () => {
    expect(() =>
      withWaves([
        { ...apps[0], name: 'a', after: ['b'] },
        { ...apps[0], name: 'b', after: ['a'] },
      ])
    ).toThrow(/cycle: a → b → a/);
    expect(() => withWaves([{ ...apps[0], name: 'a', after: ['nope'] }])).toThrow(/a comes after nope, which is not installed/);
  });
});

describe('ExternalSecret templates', () => {
  const platform = resolvePlatform(ANSWER_SETS['every selectable service, dev/staging/prod']);
  const [dev] = platform.environments;
  const plan = supportingPlan(platform, dev);

  it("build each ORY DSN from its own database role's password, never from a value in git", () => {
    const kratos = externalSecret(platform, dev, plan, plan.secrets.find((s) => s.id === 'kratos')!) as Manifest;
    expect(kratos.spec.target.template.data.dsn).toBe(
      'postgres://kratos:{{ .databasePassword }}@postgresql-rw.postgresql.svc.cluster.local:5432/kratos?sslmode=require'
    );
    expect(kratos.spec.data).toContainEqual({
      secretKey: 'databasePassword',
      remoteRef: {
        key: secretsManagerName(platform, dev, 'kratos-db'),
        property: 'password',
      },
    });
  });

  it('name keys Go templates cannot read as fields with index', () => {
    const grafana = externalSecret(platform, dev, plan, plan.secrets.find((s) => s.id === 'grafana-admin')!) as Manifest;
    expect(grafana.spec.target.template.data).toEqual({
      'admin-user': 'admin',
      'admin-password': '{{ index . "admin-password" }}',
    });
  });
});

describe('certificates and routes with a DNS zone', () => {
  const platform = resolvePlatform(ANSWER_SETS['a DNS zone: DNS-01 ClusterIssuers, a wildcard Certificate, external-dns']);
  const files = gitopsManifests(platform);
  const ofKindIn = (env: string, kind: string) => files.filter((f) => f.path.startsWith(`gitops/${env}/`) && f.manifest.kind === kind).map((f) => f.manifest as Manifest);

  it("answers ACME challenges with TXT records in the environment's own zone (DNS-01), for every issuer", () => {
    for (const env of ['dev', 'prod'])
      for (const issuer of ofKindIn(env, 'ClusterIssuer'))
        expect(issuer.spec.acme.solvers).toEqual([{ selector: { dnsZones: [`${env}.hooli.dev`] }, dns01: { route53: { region: 'us-west-2' } } }]);
  });

  it("keeps one wildcard certificate per environment, from the environment's Let's Encrypt server", () => {
    expect(ofKindIn('dev', 'Certificate').map((c) => [c.metadata.namespace, c.spec.secretName, c.spec.dnsNames, c.spec.issuerRef.name])).toEqual([
      ['nginx-gateway', 'wildcard-tls', ['*.dev.hooli.dev'], 'letsencrypt-staging'],
    ]);
    expect(ofKindIn('prod', 'Certificate').map((c) => c.spec.issuerRef.name)).toEqual(['letsencrypt-production']);
  });

  it('attaches every HTTPS route, the team services\' included, to the wildcard listener', () => {
    const routes = ofKindIn('dev', 'HTTPRoute').filter((r) => !r.metadata.name.endsWith('-https-redirect'));
    expect(routes.map((r) => r.metadata.name)).toEqual(expect.arrayContaining(['grafana', 'web']));
    for (const route of routes) expect(route.spec.parentRefs.map((p: { sectionName: string }) => p.sectionName), route.metadata.name).toEqual(['https']);
  });

  it('installs external-dns after the Gateway, with the records of the routes', () => {
    const app = gitopsApplications(platform, platform.environments[0]).find((a) => a.name === 'external-dns');
    const gateway = gitopsApplications(platform, platform.environments[0]).find((a) => a.name === 'nginx');
    expect(app && gateway && app.wave > gateway.wave).toBe(true);
    expect(gitopsApplications(resolvePlatform(ANSWER_SETS['every selectable service, dev/staging/prod']), platform.environments[0]).some((a) => a.name === 'external-dns')).toBe(false);
  });
});

describe('secrets of environments on existing clusters (answered `target`)', () => {
  const base: AnswersInput = {
    name: 'acme',
    aws: { region: 'eu-west-1', accountId: '123456789012' },
    environments: ['dev', 'staging', 'prod'],
    services: [{ name: 'web', public: true, secretEnv: ['API_TOKEN'] }],
    supportingServices: ['postgresql', 'cert-manager', 'nginx', 'redis', 'grafana', 'prometheus', 'kratos'],
    alerts: { receiver: 'slack', slackChannel: '#ops' },
  };
  const targets: Record<string, TargetInput> = {
    dev: { kind: 'kubernetes', context: 'office', objectStorage: { endpoint: 'https://minio.acme.example.com' }, serviceAccountIssuer: 'https://oidc.acme.example.com/office' },
    staging: { kind: 'kubernetes', context: 'office', secrets: 'vault', vault: { server: 'https://vault.acme.example.com:8200', authPath: 'kubernetes-office' } },
  };
  const platform = resolvePlatform(onExistingClusters(base, targets));
  const files = gitopsManifests(platform);
  const inEnv = (environment: string) => files.filter((f) => f.path.startsWith(`${GITOPS_DIR}/${environment}/platform/secrets/`)).map((f) => f.manifest as Manifest);
  const stores = (environment: string) => Object.fromEntries(inEnv(environment).filter((m) => m.kind === 'ClusterSecretStore').map((m) => [m.metadata.name, m.spec.provider]));

  it('writes only manifests that validate against the Kubernetes 1.35 and CRD schemas (the Password generator included)', () => {
    const problems = files.filter((f) => !f.path.endsWith('/kustomization.yaml')).flatMap((f) => validateManifest(f.manifest).map((p) => `${f.path}: ${p}`));
    expect(problems).toEqual([]);
    expect(inEnv('dev').filter((m) => m.kind === 'Password').length).toBeGreaterThan(0);
  });

  it("with Kubernetes Secrets: generates each secret once in platform-secrets, and the stores read that namespace and the apps' own", () => {
    const plan = supportingPlan(platform, platform.environments[0]);
    const manifests = inEnv('dev');
    expect(manifests.filter((m) => m.kind === 'Namespace').map((m) => m.metadata.name)).toEqual(['platform-secrets', 'platform-apps-secrets']);
    const kept = plan.secrets.filter((s) => Object.keys(s.generated).length);
    expect(kept.length).toBeGreaterThan(0);
    for (const secret of kept) {
      const names = new Set(Object.values(secret.generated).map((length) => `${secret.id}-${length}`));
      const generator = manifests.filter((m) => m.kind === 'Password' && names.has(m.metadata.name));
      expect(generator.flatMap((g) => g.spec.secretKeys).sort(), secret.id).toEqual(Object.keys(secret.generated).sort());
      for (const g of generator) expect(g.spec).toMatchObject({ length: secret.generated[g.spec.secretKeys[0]], symbols: 0, allowRepeat: true, noUpper: false });
      const made = manifests.find((m) => m.kind === 'ExternalSecret' && m.metadata.namespace === 'platform-secrets' && m.metadata.name === secret.id)!;
      // Made once and kept: a new password would lock the database out.
      expect(made.spec).toMatchObject({ refreshPolicy: 'CreatedOnce', target: { name: secret.id, creationPolicy: 'Orphan' } });
      expect(made.spec.dataFrom.map((d: Manifest) => d.sourceRef.generatorRef.name).sort()).toEqual(generator.map((g) => g.metadata.name).sort());
    }
    expect(stores('dev')['aws-secrets-manager'].kubernetes).toMatchObject({ remoteNamespace: 'platform-secrets', auth: { serviceAccount: { name: 'external-secrets', namespace: 'external-secrets' } } });
    expect(stores('dev')['apps-secrets'].kubernetes.remoteNamespace).toBe('platform-apps-secrets');
    // Every value read from the store is a key of a Secret generated there, or a provided one a person puts there.
    for (const es of manifests.filter((m) => m.kind === 'ExternalSecret' && m.spec.secretStoreRef))
      for (const data of es.spec.data) {
        const secret = plan.secrets.find((s) => s.id === data.remoteRef.key)!;
        expect(secret, data.remoteRef.key).toBeDefined();
        expect([...Object.keys(secret.generated), ...Object.keys(secret.provided ?? {})]).toContain(data.remoteRef.property);
      }
    const web = files.find((f) => f.path.startsWith(`${GITOPS_DIR}/dev/services/web/`) && f.manifest.kind === 'ExternalSecret')!.manifest as Manifest;
    expect(web.spec.data[0].remoteRef.key).toBe('web');
    // The backup bucket's access key, provided by a person, in the keys the cluster chart's ObjectStore names.
    const backupKey = manifests.find((m) => m.kind === 'ExternalSecret' && m.metadata.name === 'postgresql-object-storage')!;
    expect(backupKey.spec.data.map((d: Manifest) => d.remoteRef)).toEqual([
      { key: 'postgresql-object-storage', property: 'accessKeyId' },
      { key: 'postgresql-object-storage', property: 'secretAccessKey' },
    ]);
    expect(backupKey.spec.target.template.data).toEqual({ ACCESS_KEY_ID: '{{ .accessKeyId }}', ACCESS_SECRET_KEY: '{{ .secretAccessKey }}' });
  });

  it('with Vault: KV version 2 through its Kubernetes auth, the apps store with a role of its own, keys by path', () => {
    expect(stores('staging')['aws-secrets-manager'].vault).toEqual({
      server: 'https://vault.acme.example.com:8200',
      path: 'secret',
      version: 'v2',
      auth: { kubernetes: { mountPath: 'kubernetes-office', role: 'acme-staging', serviceAccountRef: { name: 'external-secrets', namespace: 'external-secrets' } } },
    });
    expect(stores('staging')['apps-secrets'].vault.auth.kubernetes.role).toBe('acme-staging-apps');
    expect(inEnv('staging').filter((m) => m.kind === 'Namespace' || m.kind === 'Password')).toEqual([]);
    const keys = inEnv('staging').filter((m) => m.kind === 'ExternalSecret').flatMap((m) => m.spec.data.map((d: Manifest) => d.remoteRef.key));
    for (const key of keys) expect(key).toMatch(/^acme\/staging\/[a-z0-9-]+$/);
    const web = files.find((f) => f.path.startsWith(`${GITOPS_DIR}/staging/services/web/`) && f.manifest.kind === 'ExternalSecret')!.manifest as Manifest;
    expect(web.spec.data[0].remoteRef.key).toBe('acme/staging/apps/web');
  });

  it("leaves an EKS environment of the same platform on Secrets Manager, its nodes pulling the images with their role", () => {
    expect(Object.keys(stores('prod')['aws-secrets-manager'])).toEqual(['aws']);
    expect(inEnv('prod').filter((m) => m.kind === 'Namespace' || m.kind === 'Password' || m.kind === 'ECRAuthorizationToken')).toEqual([]);
    expect(serviceAccount('prod').imagePullSecrets).toBeUndefined();
  });

  const serviceAccount = (environment: string) =>
    files.find((f) => f.path.startsWith(`${GITOPS_DIR}/${environment}/services/web/`) && f.manifest.kind === 'ServiceAccount')!.manifest as Manifest;

  it("pulls the team's images from ECR with a pull secret: refreshed from a web identity token where the issuer is answered, named anyway", () => {
    const pull = inEnv('dev').filter((m) => m.metadata.namespace === 'apps');
    expect(pull.map((m) => `${m.kind}/${m.metadata.name}`)).toEqual(['ServiceAccount/ecr-pull', 'ECRAuthorizationToken/ecr', 'ExternalSecret/ecr-pull']);
    const [account, generator, secret] = pull;
    expect(account.metadata.annotations).toEqual({ 'eks.amazonaws.com/role-arn': 'arn:aws:iam::123456789012:role/acme/ci/acme-dev-ecr-pull' });
    expect(generator.spec).toEqual({ region: 'eu-west-1', auth: { jwt: { serviceAccountRef: { name: 'ecr-pull' } } } });
    expect(secret.spec.target.template.type).toBe('kubernetes.io/dockerconfigjson');
    // The token lasts 12 hours.
    expect(secret.spec.refreshInterval).toBe('6h');
    expect(serviceAccount('dev').imagePullSecrets).toEqual([{ name: 'ecr-pull' }]);
    // Without an issuer the platform cannot make it: the service still names it, for the one a person provides.
    expect(inEnv('staging').filter((m) => m.kind === 'ECRAuthorizationToken')).toEqual([]);
    expect(serviceAccount('staging').imagePullSecrets).toEqual([{ name: 'ecr-pull' }]);
  });
});
