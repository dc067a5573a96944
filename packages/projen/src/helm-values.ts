import {
  APPS_NAMESPACE,
  CLUSTER_AUTOSCALER_SERVICE_ACCOUNT,
  CLUSTER_ISSUERS,
  GATEWAY_ACCESS_LABEL,
  GATEWAY_NAME,
  POSTGRES_CLUSTER,
  SERVICE_PORT,
  EXTERNAL_SECRETS,
  VELERO_AWS_PLUGIN,
  WILDCARD_CERTIFICATE,
  WILDCARD_LISTENER,
  gatewayCertificates,
  allCharts,
  catalogue,
  clusterName,
  clusterTarget,
  environmentReleases,
  serviceDeliveries,
  supportingPlan,
  supportingService,
  supportingServiceModules,
  type Environment,
  type KubernetesVersion,
  type Platform,
  ALERTMANAGER_SECRET,
  HOME_DASHBOARD,
} from '@platform-kit/config';
import { render, renderModuleTemplate } from './templates';

/** A managed values file: `helm/<env>/<release>.yaml`. */
export interface HelmValuesFile {
  readonly environment: string;
  readonly release: string;
  readonly chart: string;
  readonly path: string;
  readonly contents: string;
}

export function helmValuesPath(environment: Environment | string, release: string, overrides = false): string {
  return `helm/${typeof environment === 'string' ? environment : environment.name}/${release}${overrides ? '.overrides' : ''}.yaml`;
}

/**
 * What every values template sees. Names come from supportingPlan() (@platform-kit/config), the same plan the
 * stacks read, so a values file and the resource it refers to (bucket, Secret, service) cannot disagree.
 */
export function helmValuesContext(platform: Platform, environment: Environment) {
  const plan = supportingPlan(platform, environment);
  const has = (s: string) => plan.selected.includes(s as never);
  const target = clusterTarget(platform, environment);
  return {
    platform: { name: platform.name, region: platform.aws.region, accountId: platform.aws.accountId, domain: platform.domain },
    // An existing cluster's zones are not known here: two, so that production's Gateway survives the loss of a node.
    environment: { name: environment.name, tier: environment.tier, zones: target.kind === 'eks' ? environment.zoneIds.length : 2 },
    cluster: {
      name: clusterName(platform, environment),
      autoscalerImageTag: catalogue.kubernetes.clusterAutoscaler[platform.kubernetesVersion as KubernetesVersion],
      autoscalerServiceAccount: CLUSTER_AUTOSCALER_SERVICE_ACCOUNT.name,
    },
    externalSecrets: EXTERNAL_SECRETS,
    production: plan.production,
    /** `selected.<service>`: true when the supporting service is installed (e.g. `{{#if selected.prometheus}}`). */
    selected: Object.fromEntries(supportingServiceModules().map((m) => [m.name, has(m.name)])),
    namespaces: Object.fromEntries(supportingServiceModules().map((m) => [m.name, m.namespace])),
    appsNamespace: APPS_NAMESPACE,
    /** The port of every team service's Service. */
    servicePort: SERVICE_PORT,
    domain: plan.domain,
    hosts: plan.hosts,
    /**
     * The Gateway's HTTPS listeners and their certificates' Secrets: one listener for `*.<env>.<domain>` with the
     * wildcard certificate (DNS-01), else one per host of a supporting service and per public team service.
     */
    listeners:
      gatewayCertificates(platform, environment) === 'wildcard'
        ? [{ name: WILDCARD_LISTENER, host: `*.${plan.domain}`, secret: WILDCARD_CERTIFICATE.secret }]
        : [
            ...Object.entries(plan.hosts).map(([name, host]) => ({ name, host })),
            ...serviceDeliveries(platform, environment).flatMap((d) => (d.route ? [{ name: d.route.listener, host: d.route.host }] : [])),
          ].map((l) => ({ ...l, secret: `${l.name}-tls` })),
    /** The Gateway's Service as the cluster target exposes it: its type, traffic policy and annotations (a list). */
    gatewayService: { ...target.gateway, annotations: Object.entries(target.gateway.annotations).map(([name, value]) => ({ name, value })) },
    /** `wildcard`, `per-host` or `none`: how the Gateway's certificates are issued. */
    certificates: gatewayCertificates(platform, environment),
    /** The environment's Route 53 zone (`<env>.<domain>`), when the platform has a DNS zone. */
    dnsZone: plan.dnsZone,
    buckets: plan.buckets,
    /** `secrets.<id>`: the Kubernetes Secret the platform creates (name, namespace, keys). */
    secrets: Object.fromEntries(
      plan.secrets.map((s) => [s.id, { name: s.name, namespace: s.namespace, keys: [...Object.keys(s.fixed), ...Object.keys(s.generated), ...(s.dsn ? [s.dsn.key] : [])] }]),
    ),
    postgres: {
      cluster: POSTGRES_CLUSTER,
      host: plan.postgresHost,
      databases: plan.databaseApps.map((app) => ({ app, secret: plan.secrets.find((s) => s.id === `${app}-db`)!.name })),
    },
    certificateEmail: platform.certificateEmail,
    /** Where Alertmanager sends alerts (`none`, `email`, `slack`), and the Secret holding its configuration. */
    alerts: { receiver: platform.alerts.receiver, secret: ALERTMANAGER_SECRET.name },
    /** The file of the platform's home dashboard, which Grafana opens first. */
    homeDashboard: HOME_DASHBOARD.file,
    clusterIssuers: CLUSTER_ISSUERS,
    /**
     * The issuer Gateway certificates come from: Let's Encrypt staging unless the environment answers `letsEncrypt:
     * production` (non-production tiers default to staging: rebuilt environments would hit production's rate limits).
     */
    clusterIssuer: CLUSTER_ISSUERS[environment.letsEncrypt].name,
    letsEncrypt: environment.letsEncrypt,
    gateway: { name: GATEWAY_NAME, namespace: supportingService('nginx').namespace, accessLabel: GATEWAY_ACCESS_LABEL },
    services: platform.services,
    /** The StorageClass of the services' volumes, from the cluster target (EKS: the EBS CSI add-on's gp3 default). */
    storageClass: target.storageClass,
    /** Where Loki, PostgreSQL's and Velero's objects go (the cluster target's S3 or S3-compatible store). */
    objectStorage: target.objectStorage,
    /**
     * How pods reach it: `workload-identity` (no key anywhere), `keys` (an access key in a Secret) or `none`. A field of its
     * own because templates test it where `objectStorage` is undefined, which strict Handlebars refuses to look into.
     */
    objectStorageCredentials: target.objectStorage?.credentials ?? 'none',
    kubernetesVersion: platform.kubernetesVersion,
    charts: allCharts(),
    /** Velero's AWS object store plugin image. */
    veleroAwsPlugin: VELERO_AWS_PLUGIN,
  };
}

export type HelmValuesContext = ReturnType<typeof helmValuesContext>;

/** The managed values files of every environment: Argo CD, the cluster autoscaler, metrics-server, External Secrets, the selected services. */
export function helmValuesFiles(platform: Platform): HelmValuesFile[] {
  return platform.environments.flatMap((environment) => {
    const context = helmValuesContext(platform, environment);
    return environmentReleases(platform, environment).map((release) => ({
      environment: environment.name,
      release: release.name,
      chart: release.chart,
      path: helmValuesPath(environment, release.name),
      // The core releases' templates are templates/helm/<release>.yaml.hbs; a supporting service's are in its module.
      contents: release.service ? renderModuleTemplate(supportingService(release.service), `${release.name}.yaml`, context) : render(`helm/${release.name}.yaml`, context),
    }));
  });
}
