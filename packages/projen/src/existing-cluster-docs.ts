import {
  APPS_SECRETS_NAMESPACE,
  GATEWAY_NAME,
  PLATFORM_SECRETS_NAMESPACE,
  REGISTRY_PULL,
  appsSecretPrefix,
  clusterTarget,
  ecrRegistry,
  registryPullRoleArn,
  secretsManagerName,
  serviceDeliveries,
  storedInSecretsManager,
  supportingPlan,
  supportingService,
  type Environment,
  type Platform,
} from '@platform-kit/config';
import { KUBECONFIG_SECRET, runnerVariable } from './workflows';

/*
 * What docs/existing-clusters.md says of each environment on an existing cluster: what the cluster must offer, how CI
 * and people reach it, and what a person creates outside the platform (buckets and their keys, the values of the
 * secrets backend, the DNS records, the image pull secret), each with its commands. Commands are precomputed here so
 * that the template only lays them out.
 */

/** A shell-quoted value, or a placeholder for one to type. */
const placeholder = (what: string) => `'<${what}>'`;

/** The environments on existing clusters, for the template (empty without any). */
export function existingClusterDocs(platform: Platform) {
  return platform.environments.filter((e) => e.target).map((environment) => existingCluster(platform, environment));
}

function existingCluster(platform: Platform, environment: Environment) {
  const cluster = environment.target!;
  const target = clusterTarget(platform, environment);
  const plan = supportingPlan(platform, environment);
  const has = (s: string) => plan.selected.includes(s as never);
  const kubectl = `kubectl --context ${cluster.context}`;
  const vault = cluster.secrets.kind === 'vault' ? cluster.secrets : undefined;
  const stored = plan.secrets.filter(storedInSecretsManager);
  const provided = stored.filter((s) => Object.keys(s.provided ?? {}).length);
  const generated = stored.filter((s) => Object.keys(s.generated).length);
  const deliveries = serviceDeliveries(platform, environment);
  const vaultPut = (key: string, values: string[]) => `vault kv put -mount=${vault!.path} ${key} ${values.join(' ')}`;
  const gateway = cluster.gateway;
  return {
    name: environment.name,
    tier: environment.tier,
    context: cluster.context,
    kubectl,
    apiServer: cluster.apiServer ?? '',
    storageClass: cluster.storageClass ? `\`${cluster.storageClass}\`` : "the cluster's default StorageClass",
    nodePort: gateway.exposure === 'NodePort',
    httpNodePort: gateway.exposure === 'NodePort' ? gateway.httpNodePort : 0,
    httpsNodePort: gateway.exposure === 'NodePort' ? gateway.httpsNodePort : 0,
    gatewayAddress: `${kubectl} -n ${supportingService('nginx').namespace} get gateway ${GATEWAY_NAME} -o jsonpath='{.status.addresses[0].value}'`,
    runnerVariable: runnerVariable(environment.name),
    kubeconfigSecret: KUBECONFIG_SECRET,
    routed: has('nginx'),
    tls: has('cert-manager'),
    letsEncrypt: environment.letsEncrypt,
    hosts: [...plan.routes.map((r) => r.host), ...deliveries.flatMap((d) => (d.route ? [d.route.host] : []))],
    objectStorage: !!cluster.objectStorage,
    endpoint: cluster.objectStorage?.endpoint ?? '',
    storageRegion: cluster.objectStorage?.region ?? '',
    pathStyle: cluster.objectStorage?.forcePathStyle ?? false,
    // Each bucket with the module that uses it and the Secret its access key goes in (supporting-plan.ts).
    buckets: plan.selected
      .map(supportingService)
      .filter((m) => m.bucket && plan.buckets[m.bucket.key])
      // A store's user per bucket, short enough for MinIO's access keys (at most 20 characters).
      .map((m) => ({ bucket: plan.buckets[m.bucket!.key], holds: m.bucket!.holds, service: m.title, secret: `${m.name}-object-storage`, user: `${environment.name}-${m.bucket!.purpose}`.slice(0, 20) })),
    // What is lost without object storage, by selected service.
    loki: has('loki'),
    postgresql: has('postgresql'),
    kubernetesSecrets: !vault,
    platformSecretsNamespace: PLATFORM_SECRETS_NAMESPACE,
    appsSecretsNamespace: APPS_SECRETS_NAMESPACE,
    vault: !!vault,
    vaultServer: vault?.server ?? '',
    vaultPath: vault?.path ?? '',
    vaultAuthPath: vault?.authPath ?? '',
    vaultRole: vault?.role ?? '',
    vaultPrefix: `${platform.name}/${environment.name}`,
    vaultAppsPrefix: appsSecretPrefix(platform, environment).replace(/\/$/, ''),
    apiServerOrPlaceholder: cluster.apiServer ?? placeholder('API server URL'),
    provided: provided.map((s) => {
      const keys = Object.entries(s.provided!).map(([key, holds]) => ({ key, holds }));
      return {
        id: s.id,
        keys,
        kubectl: `${kubectl} -n ${PLATFORM_SECRETS_NAMESPACE} create secret generic ${s.id} ${keys.map((k) => `--from-literal=${k.key}=${placeholder(k.key)}`).join(' ')}`,
        vault: vault ? vaultPut(secretsManagerName(platform, environment, s), keys.map((k) => `${k.key}=${placeholder(k.key)}`)) : '',
      };
    }),
    // Vault does not generate values: each generated one is put there by a person, once.
    generated: vault
      ? generated.map((s) => ({
          id: s.id,
          vault: vaultPut(
            secretsManagerName(platform, environment, s),
            Object.entries(s.generated).map(([key, length]) => `${key}="$(generate ${length})"`),
          ),
        }))
      : [],
    generatedIds: generated.map((s) => `\`${s.id}\``).join(', '),
    appSecrets: deliveries.filter((d) => d.secret).map((d) => ({
      service: d.service.name,
      keys: d.secret!.keys.join(', '),
      kubectl: `${kubectl} -n ${APPS_SECRETS_NAMESPACE} create secret generic ${d.service.name} ${d.secret!.keys.map((k) => `--from-literal=${k}=${placeholder(k)}`).join(' ')}`,
      vault: vault ? vaultPut(`${appsSecretPrefix(platform, environment)}${d.service.name}`, d.secret!.keys.map((k) => `${k}=${placeholder(k)}`)) : '',
    })),
    services: platform.services.length > 0,
    webIdentity: target.registryAccess === 'web-identity',
    issuer: cluster.serviceAccountIssuer ?? '',
    pullRoleArn: registryPullRoleArn(platform, environment),
    pullSecret: REGISTRY_PULL.secret,
    registry: ecrRegistry(platform),
    region: platform.aws.region,
  };
}
