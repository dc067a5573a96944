import { appBucketName, appRoleName, ecrRegistry, ecrRepositoryName } from './names';
import type { Environment, Platform, Service, ServiceSizing } from './schema';
import { APPS_NAMESPACE, GATEWAY_NAME, environmentDomain, gatewayListener, secretsManagerName } from './supporting-plan';
import { supportingService } from './supporting-services';
import { clusterTarget } from './targets';

/*
 * How the team's services run in an environment: one plan per service, read by the GitOps writer (Deployment,
 * Service, HPA, PDB, ServiceAccount, NetworkPolicy, HTTPRoute, ServiceMonitor, ExternalSecret), the Gateway's
 * listeners (helm/<env>/nginx.yaml) and the AWS stack (the Secrets Manager secret of its secret variables, its bucket
 * and the Pod Identity role that uses it).
 */

/** The Argo CD project of the team's services: namespaced objects in the apps namespace only. */
export const SERVICES_PROJECT = 'services';
/** The ClusterSecretStore of the team's services: reads only `<platform>/<env>/apps/*`, only from the apps namespace. */
export const APPS_SECRET_STORE = 'apps-secrets';
/** The port of each service's Service (in front of the container's `http` port): what callers, routes and proxies use. */
export const SERVICE_PORT = 80;
/**
 * The pull secret of the team's images on a cluster outside EKS: External Secrets refreshes it from an ECR token,
 * generated with the service account's web identity (`target.serviceAccountIssuer`), or a person provides it.
 */
export const REGISTRY_PULL = { secret: 'ecr-pull', serviceAccount: 'ecr-pull', generator: 'ecr' } as const;

/** Label every object of a team's service carries: its name (also the pods' selector). */
export const SERVICE_LABEL = 'app.kubernetes.io/name';

/** One team service in one environment. */
export interface ServiceDelivery {
  readonly service: Service;
  readonly namespace: string;
  /** Its replicas and resources in this environment's tier. */
  readonly sizing: ServiceSizing;
  /** The image, without a tag: CI records the tag per environment (gitops/<env>/services/<name>/image). */
  readonly image: string;
  /** Public host name and the Gateway listener serving it (`app-<name>`, or the wildcard listener); absent for a private service. */
  readonly route?: { readonly host: string; readonly listener: string };
  /** The Kubernetes Secret holding its secret variables, and where External Secrets reads them. */
  readonly secret?: { readonly name: string; readonly remoteKey: string; readonly secretsManagerName: string; readonly keys: readonly string[] };
  /** Its own S3 bucket and the IAM role bound to its service account by Pod Identity (`bucket: true`). */
  readonly storage?: { readonly bucket: string; readonly role: string; readonly serviceAccount: string };
  /** The image pull secret its pods use: on a cluster whose nodes have no ECR access of their own. */
  readonly pullSecret?: string;
  /** A PodDisruptionBudget keeps a replica up during node drains (production tiers). */
  readonly disruptionBudget: boolean;
  /** A ServiceMonitor scrapes GET /metrics (when Prometheus is selected). */
  readonly monitored: boolean;
  /** Oathkeeper proxies authenticated requests to it (when Oathkeeper is selected: an access rule per service). */
  readonly proxied: boolean;
}

/** Prefix of the team's services' secrets in Secrets Manager (the apps store reads nothing else). */
export function appsSecretPrefix(platform: Platform, environment: Environment): string {
  return `${secretsManagerName(platform, environment, 'apps')}/`;
}

/** The Gateway pods, which public services accept traffic from: NGINX Gateway Fabric labels them with the Gateway's name. */
export const GATEWAY_PODS = { namespace: supportingService('nginx').namespace, labels: { 'gateway.networking.k8s.io/gateway-name': GATEWAY_NAME } } as const;
/** The Oathkeeper proxy pods: with Oathkeeper, every service is also served at https://api.<env>.<domain>/<service>/ to authenticated callers. */
export const OATHKEEPER_PODS = { namespace: supportingService('oathkeeper').namespace, labels: { 'app.kubernetes.io/name': 'oathkeeper', 'app.kubernetes.io/instance': 'oathkeeper' } } as const;
/** The Prometheus pods (kube-prometheus-stack), which scrape each monitored service. */
export const PROMETHEUS_PODS = { namespace: supportingService('prometheus').namespace, labels: { 'app.kubernetes.io/name': 'prometheus' } } as const;

export function serviceDeliveries(platform: Platform, environment: Environment): ServiceDelivery[] {
  const production = environment.tier === 'production';
  const target = clusterTarget(platform, environment);
  const pulled = target.registryAccess !== 'node-role';
  return platform.services.map((service) => ({
    service,
    namespace: APPS_NAMESPACE,
    sizing: service.tiers[environment.tier],
    image: `${ecrRegistry(platform)}/${ecrRepositoryName(platform, service)}`,
    ...(service.public ? { route: { host: `${service.name}.${environmentDomain(platform, environment)}`, listener: gatewayListener(platform, environment, `app-${service.name}`) } } : {}),
    ...(service.secretEnv.length
      ? {
          secret: {
            name: `${service.name}-env`,
            // Under the apps store's prefix in Secrets Manager, in its own namespace as a Kubernetes Secret; Vault has no prefix.
            remoteKey: target.secrets.kind === 'vault' ? `${appsSecretPrefix(platform, environment)}${service.name}` : service.name,
            secretsManagerName: `${appsSecretPrefix(platform, environment)}${service.name}`,
            keys: service.secretEnv,
          },
        }
      : {}),
    ...(service.bucket
      ? { storage: { bucket: appBucketName(platform, environment, service.name), role: appRoleName(platform, environment, service.name), serviceAccount: service.name } }
      : {}),
    ...(pulled ? { pullSecret: REGISTRY_PULL.secret } : {}),
    disruptionBudget: production,
    monitored: platform.supportingServices.includes('prometheus'),
    proxied: platform.supportingServices.includes('oathkeeper'),
  }));
}

/** A CPU quantity twice as large (the limit from the request): 250m → 500m, 0.5 → 1. */
export function doubleCpu(cpu: string): string {
  const millicores = cpu.endsWith('m') ? Number(cpu.slice(0, -1)) : Math.round(Number(cpu) * 1000);
  const doubled = millicores * 2;
  return doubled % 1000 === 0 ? String(doubled / 1000) : `${doubled}m`;
}
