import {
  APPS_NAMESPACE,
  APPS_SECRET_STORE,
  GATEWAY_PODS,
  OATHKEEPER_PODS,
  PROMETHEUS_PODS,
  SERVICES_PROJECT,
  appsSecretPrefix,
  resolvePlatform,
  serviceDeliveries,
  supportingPlan,
  type AnswersInput,
  type Environment,
} from '@platform-kit/config';
import { rootApplications } from '@platform-kit/constructs';
import { gitopsManifests, helmValuesFiles, type GitopsManifest } from '@platform-kit/projen';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { ingressAllowed, type Namespace, type NetworkPolicy, type Pod } from './network-policy';

/*
 * The team's services in gitops/<env>/services/<name>/managed/: what runs, who may reach it (a NetworkPolicy evaluator
 * over the generated policies), where it is served, which secret it reads, and the ApplicationSet that deploys it.
 */

const ANSWERS: AnswersInput = {
  name: 'acme',
  aws: { region: 'eu-west-1', accountId: '123456789012' },
  environments: ['dev', 'prod'],
  domain: 'acme.io',
  services: [
    { name: 'web', language: 'node', port: 3000, public: true },
    { name: 'api', callers: ['web', 'worker'], env: { LOG_LEVEL: 'debug' }, secretEnv: ['DATABASE_URL', 'STRIPE_KEY'], tiers: { production: { minReplicas: 3, maxReplicas: 12, cpu: '0.5', memory: '1Gi' } } },
    { name: 'worker', bucket: true },
    { name: 'ledger', callers: ['api'] },
  ],
};

type Manifest = Record<string, any>;
const platform = resolvePlatform(ANSWERS);
const files = gitopsManifests(platform);
const [dev, prod] = platform.environments;

/** The objects of one service in one environment, by kind. */
function objects(environment: Environment, service: string): Record<string, Manifest> {
  const dir = `gitops/${environment.name}/services/${service}/managed/`;
  return Object.fromEntries(
    files
      .filter((f: GitopsManifest) => f.path.startsWith(dir) && f.manifest.kind !== 'Kustomization' && !(f.manifest as Manifest).metadata.name.endsWith('-https-redirect'))
      .map((f) => [f.manifest.kind, f.manifest as Manifest]),
  );
}

describe.each([
  ['dev', dev],
  ['prod', prod],
] as const)('in %s', (_, environment) => {
  const production = environment.tier === 'production';

  it('runs each service hardened: non-root, read-only root, no token, probes on /healthz, requests and limits', () => {
    for (const service of platform.services) {
      const { Deployment: deployment } = objects(environment, service.name);
      const pod = deployment.spec.template.spec;
      const [container] = pod.containers;
      expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 10001, seccompProfile: { type: 'RuntimeDefault' } });
      expect(pod.automountServiceAccountToken).toBe(false);
      expect(container.securityContext).toEqual({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } });
      expect(container.readinessProbe.httpGet).toEqual({ path: '/healthz', port: 'http' });
      expect(container.livenessProbe.httpGet).toEqual({ path: '/healthz', port: 'http' });
      expect(container.ports).toEqual([{ name: 'http', containerPort: service.port, protocol: 'TCP' }]);
      expect(container.env[0]).toEqual({ name: 'PORT', value: String(service.port) });
      const sizing = service.tiers[environment.tier];
      expect(container.resources.requests).toEqual({ cpu: sizing.cpu, memory: sizing.memory });
      expect(container.resources.limits.memory).toBe(sizing.memory);
      // The HorizontalPodAutoscaler owns the replica count.
      expect(deployment.spec.replicas).toBeUndefined();
    }
  });

  it('scales each service between its tier’s replicas, and keeps one up during drains in production', () => {
    const api = objects(environment, 'api');
    expect([api.HorizontalPodAutoscaler.spec.minReplicas, api.HorizontalPodAutoscaler.spec.maxReplicas]).toEqual(production ? [3, 12] : [1, 3]);
    expect(api.Deployment.spec.template.spec.containers[0].resources).toEqual(
      production ? { requests: { cpu: '0.5', memory: '1Gi' }, limits: { cpu: '1', memory: '1Gi' } } : { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '200m', memory: '128Mi' } },
    );
    for (const service of platform.services) expect(Boolean(objects(environment, service.name).PodDisruptionBudget)).toBe(production);
  });

  it('lets each service be reached only by its callers, the Gateway when public, and Prometheus', () => {
    const policies = files.filter((f) => f.manifest.kind === 'NetworkPolicy' && f.path.startsWith(`gitops/${environment.name}/`)).map((f) => f.manifest as unknown as NetworkPolicy);
    const namespaces: Namespace[] = supportingPlan(platform, environment).namespaceList.map((ns) => ({ name: ns.name, labels: {} }));
    const pod = (service: string): Pod => ({ namespace: APPS_NAMESPACE, labels: { 'app.kubernetes.io/name': service }, ports: [{ name: 'http', port: platform.services.find((s) => s.name === service)!.port }] });
    const gateway: Pod = { namespace: GATEWAY_PODS.namespace, labels: { ...GATEWAY_PODS.labels } };
    const prometheus: Pod = { namespace: PROMETHEUS_PODS.namespace, labels: { ...PROMETHEUS_PODS.labels } };
    const stranger: Pod = { namespace: APPS_NAMESPACE, labels: { 'app.kubernetes.io/name': 'debug-shell' } };
    const grafana: Pod = { namespace: 'monitoring', labels: { 'app.kubernetes.io/name': 'grafana' } };
    const reach = (from: Pod, to: string, port: number | string = 'http') => ingressAllowed(policies, namespaces, from, pod(to), port);

    // Declared callers, and nobody else in the namespace.
    expect(reach(pod('web'), 'api')).toBe(true);
    expect(reach(pod('worker'), 'api')).toBe(true);
    expect(reach(pod('ledger'), 'api')).toBe(false);
    expect(reach(pod('api'), 'ledger')).toBe(true);
    expect(reach(pod('web'), 'ledger')).toBe(false);
    expect(reach(stranger, 'api')).toBe(false);
    expect(reach(pod('api'), 'worker')).toBe(false);
    // The Gateway reaches the public service only; Prometheus reaches every service; other namespaces nothing.
    expect(reach(gateway, 'web')).toBe(true);
    expect(reach(gateway, 'api')).toBe(false);
    // Oathkeeper proxies authenticated requests to every service (its access rules); the rest of ORY reaches none.
    const oathkeeper: Pod = { namespace: OATHKEEPER_PODS.namespace, labels: { ...OATHKEEPER_PODS.labels } };
    const kratos: Pod = { namespace: OATHKEEPER_PODS.namespace, labels: { 'app.kubernetes.io/name': 'kratos', 'app.kubernetes.io/instance': 'kratos' } };
    for (const service of platform.services) {
      expect(reach(prometheus, service.name)).toBe(true);
      expect(reach(oathkeeper, service.name)).toBe(true);
      expect(reach(grafana, service.name)).toBe(false);
      expect(reach(kratos, service.name)).toBe(false);
    }
    // Only on the service's port: a caller cannot reach another port of the pod.
    expect(reach(pod('web'), 'api', 9090)).toBe(false);
    // Without the namespace's default deny, a service with no rule for a pod would be open to it: the deny is there.
    const withoutDefaultDeny = policies.filter((p) => p.metadata.name !== 'default-deny-ingress');
    expect(ingressAllowed(withoutDefaultDeny, namespaces, stranger, { namespace: APPS_NAMESPACE, labels: { 'app.kubernetes.io/name': 'unmanaged' } }, 8080)).toBe(true);
    expect(ingressAllowed(policies, namespaces, stranger, { namespace: APPS_NAMESPACE, labels: { 'app.kubernetes.io/name': 'unmanaged' } }, 8080)).toBe(false);
  });

  it('serves a public service at https://<service>.<env>.<domain> through its own Gateway listener', () => {
    const web = files.filter((f) => f.path.startsWith(`gitops/${environment.name}/services/web/managed/`) && f.manifest.kind === 'HTTPRoute').map((f) => f.manifest as Manifest);
    expect(web.map((r) => r.spec.hostnames)).toEqual([[`web.${environment.name}.acme.io`], [`web.${environment.name}.acme.io`]]);
    expect(web[0].spec.parentRefs).toEqual([{ kind: 'Gateway', name: 'platform', namespace: 'nginx-gateway', sectionName: 'app-web' }]);
    expect(web[0].spec.rules).toEqual([{ backendRefs: [{ name: 'web', port: 80 }] }]);
    expect(web[1].spec.rules[0].filters[0].requestRedirect).toEqual({ scheme: 'https', statusCode: 301 });
    for (const service of ['api', 'worker', 'ledger']) expect(objects(environment, service).HTTPRoute).toBeUndefined();
    const nginx = parse(helmValuesFiles(platform).find((f) => f.path === `helm/${environment.name}/nginx.yaml`)!.contents);
    const listener = nginx.gateways[0].spec.listeners.find((l: Manifest) => l.name === 'app-web');
    expect(listener).toMatchObject({ hostname: `web.${environment.name}.acme.io`, port: 443, protocol: 'HTTPS', tls: { certificateRefs: [{ kind: 'Secret', name: 'app-web-tls' }] } });
  });

  it('reads secret variables from <platform>/<env>/apps/<service> through the apps store, and plain ones from git', () => {
    const api = objects(environment, 'api');
    expect(api.ExternalSecret.spec.secretStoreRef).toEqual({ kind: 'ClusterSecretStore', name: APPS_SECRET_STORE });
    expect(api.ExternalSecret.spec.data).toEqual([
      { secretKey: 'DATABASE_URL', remoteRef: { key: 'api', property: 'DATABASE_URL' } },
      { secretKey: 'STRIPE_KEY', remoteRef: { key: 'api', property: 'STRIPE_KEY' } },
    ]);
    const env = api.Deployment.spec.template.spec.containers[0].env;
    expect(env).toContainEqual({ name: 'LOG_LEVEL', value: 'debug' });
    expect(env).toContainEqual({ name: 'STRIPE_KEY', valueFrom: { secretKeyRef: { name: 'api-env', key: 'STRIPE_KEY' } } });
    expect(objects(environment, 'web').ExternalSecret).toBeUndefined();
    const store = files.find((f) => f.path === `gitops/${environment.name}/platform/secrets/secrets.yaml` && f.manifest.kind === 'ClusterSecretStore' && (f.manifest as Manifest).metadata.name === APPS_SECRET_STORE)!
      .manifest as Manifest;
    // The prefix keeps every key under the services' own secrets; only the apps namespace may use the store.
    expect(store.spec.provider.aws.prefix).toBe(`acme/${environment.name}/apps/`);
    expect(appsSecretPrefix(platform, environment)).toBe(store.spec.provider.aws.prefix);
    expect(store.spec.conditions).toEqual([{ namespaces: [APPS_NAMESPACE] }]);
    expect(serviceDeliveries(platform, environment).find((d) => d.service.name === 'api')!.secret!.secretsManagerName).toBe(`acme/${environment.name}/apps/api`);
  });

  it('gives a service that asks for a bucket its name and region; its role is bound to its service account', () => {
    const worker = serviceDeliveries(platform, environment).find((d) => d.service.name === 'worker')!;
    expect(worker.storage).toEqual({ bucket: `acme-${environment.name}-worker-123456789012`, role: `acme-${environment.name}-app-worker`, serviceAccount: 'worker' });
    const env = objects(environment, 'worker').Deployment.spec.template.spec.containers[0].env;
    expect(env).toContainEqual({ name: 'BUCKET', value: worker.storage!.bucket });
    expect(env).toContainEqual({ name: 'AWS_REGION', value: 'eu-west-1' });
    expect(objects(environment, 'worker').Deployment.spec.template.spec.serviceAccountName).toBe('worker');
    expect(serviceDeliveries(platform, environment).filter((d) => d.storage).map((d) => d.service.name)).toEqual(['worker']);
    expect(objects(environment, 'api').Deployment.spec.template.spec.containers[0].env.map((e: Manifest) => e.name)).not.toContain('BUCKET');
  });

  it("points Oathkeeper's access rules at each service's Service port", () => {
    const oathkeeper = parse(helmValuesFiles(platform).find((f) => f.path === `helm/${environment.name}/oathkeeper.yaml`)!.contents);
    const rules = JSON.parse(oathkeeper.oathkeeper.accessRules);
    expect(rules.map((r: Manifest) => r.upstream.url)).toEqual(platform.services.map((s) => `http://${s.name}.apps.svc.cluster.local:80`));
    for (const service of platform.services) expect(objects(environment, service.name).Service.spec.ports[0].port).toBe(80);
  });

  it('deploys a service once CI has recorded its image, in the services project, into the apps namespace', () => {
    const set = files.find((f) => f.path === `gitops/${environment.name}/applications/services.yaml`)!.manifest as Manifest;
    expect(set.kind).toBe('ApplicationSet');
    expect(set.spec.generators).toEqual([
      { git: { repoURL: 'git@github.com:acme/acme.git', revision: 'main', files: [{ path: `gitops/${environment.name}/services/*/image/kustomization.yaml` }] } },
    ]);
    expect(set.spec.template.spec).toMatchObject({
      project: SERVICES_PROJECT,
      source: { path: `gitops/${environment.name}/services/{{ index .path.segments 3 }}` },
      destination: { namespace: APPS_NAMESPACE },
      syncPolicy: { automated: { prune: true, selfHeal: true } },
    });
    // The path segment the template reads is the service's folder.
    expect(`gitops/${environment.name}/services/api/image`.split('/')[3]).toBe('api');
    const project = rootApplications(platform, environment).projects[SERVICES_PROJECT];
    expect(project.destinations).toEqual([{ server: 'https://kubernetes.default.svc', namespace: APPS_NAMESPACE }]);
    expect(project.clusterResourceWhitelist).toEqual([]);
    expect(project.sourceRepos).toEqual(['git@github.com:acme/acme.git']);
  });
});

describe('the answers', () => {
  const issues = (services: unknown[], extra: Partial<AnswersInput> = {}) => {
    try {
      resolvePlatform({ ...ANSWERS, ...extra, services } as AnswersInput);
      return [];
    } catch (error) {
      return String((error as Error).message).split('\n');
    }
  };

  it('refuse callers that are not services, a service calling itself, and public hosts taken by the platform', () => {
    expect(issues([{ name: 'api', callers: ['nope'] }]).join('\n')).toMatch(/services\[0\]\.callers\[0\].*"nope" is not one of the services/);
    expect(issues([{ name: 'api', callers: ['api'] }]).join('\n')).toMatch(/api cannot list itself/);
    // oathkeeper serves api.<env>.<domain>.
    expect(issues([{ name: 'api', public: true }]).join('\n')).toMatch(/api\.<env>\.<domain> is oathkeeper's host name/);
    expect(issues([{ name: 'web', public: true }], { supportingServices: [] }).join('\n')).toMatch(/web is public, which needs the Gateway/);
  });

  it('refuse variables the platform sets, or set twice, and replicas out of order', () => {
    expect(issues([{ name: 'api', env: { PORT: '1' } }]).join('\n')).toMatch(/PORT is set by the platform/);
    expect(issues([{ name: 'api', bucket: true, env: { BUCKET: 'x' } }]).join('\n')).toMatch(/BUCKET is set by the platform when bucket is true/);
    expect(issues([{ name: 'api', env: { BUCKET: 'x' } }])).toEqual([]);
    expect(issues([{ name: 'api', env: { A: '1' }, secretEnv: ['A'] }]).join('\n')).toMatch(/A is also a plain variable/);
    expect(issues([{ name: 'api', env: { 'not-a-name': '1' } }]).join('\n')).toMatch(/variable name "not-a-name" is not valid/);
    expect(issues([{ name: 'api', tiers: { production: { minReplicas: 5, maxReplicas: 2 } } }]).join('\n')).toMatch(/minReplicas <= maxReplicas/);
    expect(issues([{ name: 'api', tiers: { production: { cpu: '2 cores' } } }]).join('\n')).toMatch(/Use millicores or cores/);
  });

  it('read numbers and booleans of env as text, as YAML writes them unquoted', () => {
    const p = resolvePlatform({ ...ANSWERS, services: [{ name: 'api', env: { WORKERS: 4, DEBUG: false } }] } as unknown as AnswersInput);
    expect(p.services[0].env).toEqual({ WORKERS: '4', DEBUG: 'false' });
  });
});
