import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  allCharts,
  chartFreeFormValues,
  environmentReleases,
  platformReleases,
  resolvePlatform,
  selectableSupportingServiceNames,
  supportingReleases,
  supportingService,
  type AnswersInput,
  type Environment,
  type TargetInput,
  type Platform,
  type SupportingServiceName,
} from '@platform-kit/config';
import { helmValuesFiles } from '@platform-kit/projen';
import Ajv from 'ajv';
import Ajv2019 from 'ajv/dist/2019';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { onExistingClusters } from '../packages/config/test/support';

/*
 * Every key the kit sets in a managed values file must exist in the default values.yaml of the chart version it
 * pins (copied into test/fixtures/upstream-charts, provenance in SOURCES.md there), and the values must validate
 * against the chart's values.schema.json when it ships one. A misspelt or renamed key is silently ignored by Helm:
 * this is the only place that would notice.
 */

const FIXTURES = join(__dirname, 'fixtures', 'upstream-charts');

/** The directory holding each pinned chart's upstream defaults: named after the chart. */
const CHART_DIRS: Record<string, string> = Object.fromEntries(Object.entries(allCharts()).map(([name, pin]) => [name, join(FIXTURES, pin.chart)]));

/**
 * Keys whose default is an empty map, a null or a commented example, and which the chart documents as
 * free-form (a Kubernetes object, an application's own configuration): the kit may set keys below them.
 * Everything else must match the defaults key by key. Lists are set whole; their items are not checked here.
 * CORE_FREE_FORM_VALUES lists the core charts', each supporting service's module its own (`freeFormValues`).
 */
const FREE_FORM = chartFreeFormValues();

const ANSWER_SETS: Record<string, AnswersInput> = {
  'every selectable service, dev/staging/prod, services with ports': {
    name: 'acme',
    aws: { region: 'eu-west-1', accountId: '123456789012' },
    github: { owner: 'acme' },
    services: ['api', { name: 'billing', language: 'go', port: 9000 }],
    supportingServices: selectableSupportingServiceNames() as SupportingServiceName[],
  },
  'no team services, one production environment': {
    name: 'globex',
    aws: { region: 'us-east-2', accountId: '210987654321' },
    github: { owner: 'globex' },
    environments: ['prod'],
    services: [],
    domain: 'platform.globex.io',
  },
  'identity without monitoring': {
    name: 'initech',
    aws: { region: 'eu-central-1', accountId: '111122223333' },
    github: { owner: 'initech' },
    environments: ['dev', 'prod'],
    supportingServices: ['postgresql', 'cert-manager', 'kratos', 'hydra'],
  },
  'a DNS zone: external-dns and a wildcard certificate, a public service': {
    name: 'hooli',
    aws: { region: 'us-west-2', accountId: '777788889999' },
    github: { owner: 'hooli' },
    environments: ['dev', 'prod'],
    services: [{ name: 'web', public: true }],
    domain: 'hooli.dev',
    dns: { zone: 'create' },
  },
  'monitoring without routing': {
    name: 'umbrella',
    aws: { region: 'ap-southeast-2', accountId: '444455556666' },
    github: { owner: 'umbrella' },
    environments: ['qa'],
    supportingServices: ['loki', 'grafana', 'prometheus', 'redis'],
  },
};

type Values = Record<string, unknown>;
const isMap = (v: unknown): v is Values => typeof v === 'object' && v !== null && !Array.isArray(v);

const defaults = new Map<string, Values>();
function chartDefaults(chart: string): Values {
  if (!defaults.has(chart)) defaults.set(chart, parse(readFileSync(join(CHART_DIRS[chart], 'values.yaml'), 'utf8')) ?? {});
  return defaults.get(chart)!;
}

/** Key paths set in `values` that the chart's defaults do not have (outside the free-form prefixes). */
function unknownKeys(values: Values, upstream: Values, freeForm: string[] = [], prefix = ''): string[] {
  const unknown: string[] = [];
  for (const [key, value] of Object.entries(values)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (freeForm.includes(path)) continue;
    if (!(key in upstream)) {
      unknown.push(path);
      continue;
    }
    const theirs = upstream[key];
    if (isMap(value)) {
      if (isMap(theirs) && Object.keys(theirs).length > 0) unknown.push(...unknownKeys(value, theirs, freeForm, path));
      else if (Object.keys(value).length > 0) unknown.push(`${path} (free-form in the chart: list it in FREE_FORM or its module's freeFormValues to go deeper)`);
    }
  }
  return unknown;
}

const validators = new Map<string, ((data: unknown) => boolean) & { errors?: unknown }>();
function schemaValidator(chart: string) {
  const file = join(CHART_DIRS[chart], 'values.schema.json');
  if (!existsSync(file)) return undefined;
  if (!validators.has(chart)) {
    const schema = JSON.parse(readFileSync(file, 'utf8'));
    const draft = String(schema.$schema ?? '');
    const ajv = draft.includes('2020-12') ? new Ajv2020({ strict: false, allErrors: true }) : draft.includes('2019-09') ? new Ajv2019({ strict: false, allErrors: true }) : new Ajv({ strict: false, allErrors: true });
    addFormats(ajv);
    validators.set(chart, ajv.compile(schema));
  }
  return validators.get(chart)!;
}

/** Helm validates the merged values (defaults, then files), not a file alone. */
function merge(base: Values, over: Values): Values {
  const out: Values = { ...base };
  for (const [k, v] of Object.entries(over)) out[k] = isMap(v) && isMap(out[k]) ? merge(out[k] as Values, v) : v;
  return out;
}

it('finds the upstream chart defaults (test/fixtures/upstream-charts)', () => {
  for (const [chart, dir] of Object.entries(CHART_DIRS)) expect(existsSync(join(dir, 'values.yaml')), `${chart}: ${dir}/values.yaml`).toBe(true);
});

it('lists free-form keys only of charts that are pinned', () => {
  for (const chart of Object.keys(FREE_FORM)) expect(CHART_DIRS, chart).toHaveProperty([chart]);
});

/**
 * Environments on existing clusters (targets.ts: not answerable yet, so set on the resolved platform): no cloud
 * annotation, the Gateway on fixed node ports or the cluster's own balancer, volumes on the cluster's default
 * StorageClass or an answered one. Services that need object storage come with the rest of the target.
 */
const EXISTING_CLUSTERS: Record<string, TargetInput> = {
  dev: { kind: 'kubernetes', context: 'office-dev', gateway: 'NodePort', httpNodePort: 30080, httpsNodePort: 30443 },
  prod: { kind: 'kubernetes', context: 'dc-prod', storageClass: 'local-path', gateway: 'LoadBalancer' },
};
const MINIO = { endpoint: 'https://minio.office.example.com:9000' };
const WITH_MINIO = Object.fromEntries(Object.entries(EXISTING_CLUSTERS).map(([name, cluster]) => [name, { ...cluster, objectStorage: MINIO }]));
const ON_EXISTING_CLUSTERS: Record<string, Platform> = {
  'existing clusters with an S3-compatible store (MinIO): Loki, PostgreSQL and Velero with access keys': resolvePlatform(
    onExistingClusters(
      {
        name: 'soylent',
        aws: { region: 'eu-west-1', accountId: '121212121212' },
        github: { owner: 'soylent' },
        environments: ['dev', 'prod'],
        supportingServices: ['loki', 'postgresql', 'cert-manager', 'velero', 'grafana', 'prometheus'],
      },
      WITH_MINIO,
    ),
  ),
  'existing clusters without object storage: Loki on its volume, PostgreSQL without backups': resolvePlatform(
    onExistingClusters(
      {
        name: 'tyrell',
        aws: { region: 'eu-west-1', accountId: '343434343434' },
        github: { owner: 'tyrell' },
        environments: ['dev', 'prod'],
        supportingServices: ['loki', 'postgresql', 'cert-manager'],
      },
      EXISTING_CLUSTERS,
    ),
  ),
  'existing clusters: dev on node ports and the default StorageClass, prod behind its own balancer on local-path': resolvePlatform(
    onExistingClusters(
      {
        name: 'umbrella',
        aws: { region: 'eu-west-1', accountId: '444455556666' },
        github: { owner: 'umbrella' },
        environments: ['dev', 'prod'],
        supportingServices: ['nginx', 'cert-manager', 'grafana', 'prometheus', 'redis'],
      },
      EXISTING_CLUSTERS,
    ),
  ),
};
const PLATFORMS: [string, Platform][] = [...Object.entries(ANSWER_SETS).map(([name, answers]) => [name, resolvePlatform(answers)] as [string, Platform]), ...Object.entries(ON_EXISTING_CLUSTERS)];

describe.each(PLATFORMS)('%s', (_, platform) => {
  const files = helmValuesFiles(platform);

  it('renders a values file per environment and selected release (the cluster autoscaler on EKS only)', () => {
    const releases = (e: Environment) => environmentReleases(platform, e).map((r) => r.name);
    for (const e of platform.environments) {
      const core = e.target ? ['argo-cd', 'metrics-server', 'external-secrets'] : ['argo-cd', 'cluster-autoscaler', 'metrics-server', 'external-secrets'];
      expect(releases(e).slice(0, core.length)).toEqual(core);
      expect(releases(e).slice(core.length)).toEqual(platformReleases(platform.supportingServices).map((r) => r.name).slice(4));
    }
    expect(files.map((f) => f.path)).toEqual(platform.environments.flatMap((e) => releases(e).map((r) => `helm/${e.name}/${r}.yaml`)));
  });

  describe.each(files.map((f) => [f.path, f] as const))('%s', (_path, file) => {
    const chart = file.chart as string;
    const values = parse(file.contents) ?? {};

    it('is a YAML map', () => expect(isMap(values)).toBe(true));

    it(`sets only keys that exist in the chart's default values`, () => {
      expect(unknownKeys(values, chartDefaults(chart), [...(FREE_FORM[chart] ?? [])])).toEqual([]);
    });

    it(`validates against the chart's values.schema.json, where it ships one`, () => {
      const validate = schemaValidator(chart);
      if (!validate) return; // the chart has no schema: the key check above is all there is
      const valid = validate(merge(chartDefaults(chart), values));
      expect(validate.errors ?? [], JSON.stringify(validate.errors, null, 1)).toEqual([]);
      expect(valid).toBe(true);
    });

    it('carries no secret value: credentials come from Secrets referenced by name', () => {
      expect(file.contents).not.toMatch(/postgres(ql)?:\/\/[^\s"']*:[^\s"'@]+@/); // no DSN with a password
      expect(file.contents).not.toMatch(/^[ \t]*(password|adminPassword|secretKey|accessKey|secret_access_key)[ \t]*:[ \t]*["']?[^"'\s{}]+/im);
    });
  });

  it.runIf(platform.supportingServices.includes('grafana'))("puts every dashboard ConfigMap where Grafana's dashboard sidecar looks", () => {
    for (const environment of platform.environments) {
      const valuesOf = (release: string) => {
        const file = files.find((f) => f.environment === environment.name && f.release === release);
        return file ? (parse(file.contents) as Values) : undefined;
      };
      const grafana = valuesOf('grafana')!;
      const ns = (release: string) => supportingService(supportingReleases().find((r) => r.name === release)!.service).namespace;
      const sidecar = ((grafana.sidecar as Values).dashboards as Values) ?? {};
      const watched = [(sidecar.searchNamespace as string[] | undefined) ?? [ns('grafana')]].flat();
      // Where each chart writes its dashboard ConfigMaps (the keys its templates read).
      const cnpg = valuesOf('cnpg-operator')?.monitoring as Values | undefined;
      const stack = valuesOf('prometheus')?.grafana as Values | undefined;
      const dashboards = [
        ...((cnpg?.grafanaDashboard as Values | undefined)?.create ? [['cnpg-operator', ((cnpg!.grafanaDashboard as Values).namespace as string) || ns('cnpg-operator')]] : []),
        ...(stack?.forceDeployDashboards ? [['prometheus', (stack.namespaceOverride as string) || ns('prometheus')]] : []),
      ];
      expect(dashboards.length, 'the answer sets with Grafana have dashboards').toBeGreaterThan(0);
      for (const [release, namespace] of dashboards) expect(watched.includes('ALL') || watched.includes(namespace), `${environment.name}/${release}: ${namespace} not in ${watched}`).toBe(true);
    }
  });
});

describe('the key check itself', () => {
  const upstream = { replicaCount: 1, image: { tag: '' }, resources: {}, config: { serve: { port: 1 } } };

  it('accepts keys the defaults have', () => expect(unknownKeys({ replicaCount: 2, image: { tag: 'v1' }, config: { serve: { port: 2 } } }, upstream)).toEqual([]));
  it('reports a misspelt key with its path', () => expect(unknownKeys({ image: { tags: 'v1' } }, upstream)).toEqual(['image.tags']));
  it('refuses to go below an empty map unless it is listed', () => {
    expect(unknownKeys({ resources: { requests: { cpu: '1' } } }, upstream)).toEqual(["resources (free-form in the chart: list it in FREE_FORM or its module's freeFormValues to go deeper)"]);
    expect(unknownKeys({ resources: { requests: { cpu: '1' } } }, upstream, ['resources'])).toEqual([]);
  });
});

describe('values that depend on the environment', () => {
  const platform = resolvePlatform({ environments: ['dev', { name: 'qa', letsEncrypt: 'production' }, 'prod'] });
  const files = helmValuesFiles(platform);
  const values = (environment: string, release: string) => parse(files.find((f) => f.environment === environment && f.release === release)!.contents);

  it("issues Gateway certificates from Let's Encrypt staging outside production, unless the environment answers production", () => {
    const issuer = (environment: string) => values(environment, 'nginx').gateways[0].annotations['cert-manager.io/cluster-issuer'];
    expect([issuer('dev'), issuer('qa'), issuer('prod')]).toEqual(['letsencrypt-staging', 'letsencrypt-production', 'letsencrypt-production']);
  });

  it('serves every host of an environment with a DNS zone on one wildcard listener, its certificate from DNS-01', () => {
    const withZone = resolvePlatform({ domain: 'acme.io', dns: { zone: 'existing', zoneId: 'Z0123456789ABCDEFGHIJ' }, environments: ['dev', 'prod'], services: [{ name: 'web', public: true }] });
    const gateway = (environment: string) => parse(helmValuesFiles(withZone).find((f) => f.environment === environment && f.release === 'nginx')!.contents).gateways[0];
    const dev = gateway('dev');
    expect(dev.annotations).toBeUndefined();
    expect(dev.spec.listeners.map((l: { name: string; hostname: string }) => [l.name, l.hostname])).toEqual([
      ['http', '*.dev.acme.io'],
      ['https', '*.dev.acme.io'],
    ]);
    expect(dev.spec.listeners[1].tls.certificateRefs).toEqual([{ kind: 'Secret', name: 'wildcard-tls' }]);
    const externalDns = parse(helmValuesFiles(withZone).find((f) => f.environment === 'prod' && f.release === 'external-dns')!.contents);
    expect(externalDns).toMatchObject({ policy: 'sync', txtOwnerId: 'acme-platform-prod', domainFilters: ['prod.acme.io'], sources: ['gateway-httproute'] });
    // Without a zone: no external-dns, a listener and a certificate per host (HTTP-01).
    expect(helmValuesFiles(platform).some((f) => f.release === 'external-dns')).toBe(false);
    expect(values('dev', 'nginx').gateways[0].spec.listeners.length).toBeGreaterThan(2);
  });

  it('tells the Barman Cloud sidecar its region (Pod Identity credentials carry none, and pods cannot reach IMDS)', () => {
    for (const environment of ['dev', 'prod'])
      expect(values(environment, 'postgresql').backups.instanceSidecarConfiguration.env).toEqual([
        { name: 'AWS_REGION', value: platform.aws.region },
        { name: 'AWS_DEFAULT_REGION', value: platform.aws.region },
      ]);
  });
});

describe('values of environments on existing clusters', () => {
  const platform = ON_EXISTING_CLUSTERS['existing clusters: dev on node ports and the default StorageClass, prod behind its own balancer on local-path'];
  const files = helmValuesFiles(platform);
  const values = (environment: string, release: string) => parse(files.find((f) => f.environment === environment && f.release === release)!.contents);

  it('put the Gateway on the answered node ports, or behind the cluster\'s own balancer, with no cloud annotation', () => {
    expect(values('dev', 'nginx').nginx.service).toEqual({
      type: 'NodePort',
      externalTrafficPolicy: 'Local',
      nodePorts: [
        { port: 30080, listenerPort: 80 },
        { port: 30443, listenerPort: 443 },
      ],
    });
    expect(values('prod', 'nginx').nginx.service).toEqual({ type: 'LoadBalancer', externalTrafficPolicy: 'Local' });
    for (const file of files) expect(file.contents, file.path).not.toContain('service.beta.kubernetes.io/aws');
  });

  it("keep volumes on the cluster's default StorageClass unless one is answered", () => {
    for (const file of files.filter((f) => f.environment === 'dev')) expect(file.contents, file.path).not.toMatch(/storageClass(Name)?:|className:/);
    expect(values('prod', 'grafana').persistence.storageClassName).toBe('local-path');
    expect(values('prod', 'redis').replica.persistence.storageClass).toBe('local-path');
    for (const file of files) expect(file.contents, file.path).not.toContain('ebs-csi');
  });
});

describe('object storage on existing clusters', () => {
  const valuesOf = (set: string) => {
    const files = helmValuesFiles(ON_EXISTING_CLUSTERS[set]);
    return (environment: string, release: string) => parse(files.find((f) => f.environment === environment && f.release === release)!.contents);
  };

  it('sends Loki, PostgreSQL and Velero to the S3-compatible endpoint, path-style, with an access key from a Secret named in the values', () => {
    const values = valuesOf('existing clusters with an S3-compatible store (MinIO): Loki, PostgreSQL and Velero with access keys');
    const loki = values('prod', 'loki');
    expect(loki.loki.storage.s3).toEqual({ region: 'us-east-1', endpoint: MINIO.endpoint, s3ForcePathStyle: true, accessKeyId: '${AWS_ACCESS_KEY_ID}', secretAccessKey: '${AWS_SECRET_ACCESS_KEY}' });
    expect(loki.singleBinary.extraArgs).toEqual(['-config.expand-env=true']);
    expect(loki.singleBinary.extraEnvFrom).toEqual([{ secretRef: { name: 'loki-object-storage' } }]);
    expect(loki.singleBinary.replicas).toBe(3);
    const backups = values('prod', 'postgresql').backups;
    expect(backups).toMatchObject({ enabled: true, endpointURL: MINIO.endpoint, s3: { region: 'us-east-1', inheritFromIAMRole: false }, secret: { create: false, name: 'postgresql-object-storage' } });
    const velero = values('prod', 'velero');
    expect(velero.credentials).toEqual({ useSecret: true, existingSecret: 'velero-object-storage' });
    expect(velero.configuration.backupStorageLocation[0].config).toEqual({ region: 'us-east-1', s3Url: MINIO.endpoint, s3ForcePathStyle: 'true' });
  });

  it('without object storage: Loki keeps one replica on its volume and PostgreSQL has no backups', () => {
    const values = valuesOf('existing clusters without object storage: Loki on its volume, PostgreSQL without backups');
    const loki = values('prod', 'loki');
    expect(loki.loki.storage).toEqual({ type: 'filesystem' });
    expect(loki.loki.schemaConfig.configs[0].object_store).toBe('filesystem');
    expect(loki.loki.compactor.delete_request_store).toBe('filesystem');
    expect([loki.singleBinary.replicas, loki.loki.commonConfig.replication_factor]).toEqual([1, 1]);
    expect(loki.singleBinary.extraEnvFrom).toBeUndefined();
    expect(values('prod', 'postgresql').backups).toEqual({ enabled: false });
  });

  it('keeps EKS on Pod Identity: no endpoint, no key, no Secret', () => {
    const platform = resolvePlatform({ name: 'acme', environments: ['prod'], supportingServices: ['loki', 'postgresql', 'cert-manager', 'velero'] });
    const files = helmValuesFiles(platform);
    const values = (release: string) => parse(files.find((f) => f.release === release)!.contents);
    expect(values('loki').loki.storage.s3).toEqual({ region: platform.aws.region });
    expect(values('postgresql').backups.s3.inheritFromIAMRole).toBe(true);
    expect(values('velero').credentials).toEqual({ useSecret: false });
    for (const file of files) expect(file.contents, file.path).not.toMatch(/object-storage|endpointURL|s3Url/);
  });
});

