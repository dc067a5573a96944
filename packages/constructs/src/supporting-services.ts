import {
  CLUSTER_ISSUERS,
  GATEWAY_ACCESS_LABEL,
  GATEWAY_NAME,
  catalogue,
  postgresDsn,
  secretsManagerName,
  selectedReleases,
  supportingServiceCatalogue,
  type Environment,
  type Platform,
  type PlatformSecret,
  type SupportingPlan,
  type SupportingRelease,
} from '@platform-kit/config';
import type { Release } from '@cdktf/provider-helm/lib/release';
import { DataResource, TerraformStack, type ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import { ephemeral, terraformName } from './ephemeral';
import { atomicRelease, catalogueChart } from './helm-release';

/** The values of one release, in merge order: the managed base file, then the user's overrides (when present). */
export type HelmValuesSource = (environment: Environment, release: string) => string[];

/**
 * The platform's own chart (namespaces, Secrets, ClusterIssuers, HTTPRoutes), written by `npx projen` into
 * the platform repo's charts/platform. Relative to the directory Terraform runs in, cdktf.out/stacks/<stack>.
 */
export const PLATFORM_CHART_PATH = '../../../charts/platform';

export interface SupportingServicesProps {
  readonly platform: Platform;
  readonly environment: Environment;
  readonly plan: SupportingPlan;
  readonly clusterName: string;
  readonly values: HelmValuesSource;
  /** What must exist before anything is installed (e.g. the cluster autoscaler, so new pods get nodes). */
  readonly dependsOn?: ITerraformDependable[];
}

/**
 * The selected supporting services of one environment as Helm releases, in dependency order:
 * `platform-base` (namespaces with Pod Security labels, the generated Secrets) first; the Gateway API CRDs
 * before NGINX Gateway Fabric; each service after the releases it needs (SUPPORTING_RELEASES); then
 * `platform-routing` (ClusterIssuers, HTTPRoutes) once cert-manager and the Gateway are up.
 */
export class SupportingServices extends Construct {
  readonly releases: Record<string, Release> = {};
  readonly base: Release;
  readonly routing?: Release;
  readonly gatewayApiCrds?: DataResource;

  constructor(scope: Construct, id: string, props: SupportingServicesProps) {
    super(scope, id);
    const { platform, environment, plan } = props;
    const stack = TerraformStack.of(this);

    // Secret values are read ephemerally from Secrets Manager and passed write-only: never in state.
    const ephemeralName = (secret: PlatformSecret) => terraformName(`${environment.name}-${secret.id}`);
    const secretValue = (secret: PlatformSecret, key: string) =>
      `\${jsondecode(ephemeral.aws_secretsmanager_secret_version.${ephemeralName(secret)}.secret_string)[${JSON.stringify(key)}]}`;
    const setWo: { name: string; value: string }[] = [];
    const secrets: Record<string, { name: string; namespace: string; type: string; data: Record<string, string> }> = {};
    for (const secret of plan.secrets) {
      secrets[secret.id] = { name: secret.name, namespace: secret.namespace, type: secret.type, data: { ...secret.fixed } };
      const generated = Object.keys(secret.generated);
      if (generated.length)
        ephemeral(stack, 'aws_secretsmanager_secret_version', ephemeralName(secret), { secret_id: secretsManagerName(platform, environment, secret) });
      for (const key of generated) setWo.push({ name: `secrets.${secret.id}.data.${key}`, value: secretValue(secret, key) });
      if (secret.dsn) {
        // The role's own secret (`<app>-db`) comes earlier in the plan, so its ephemeral read exists already.
        const db = plan.secrets.find((s) => s.id === `${secret.dsn!.app}-db`)!;
        setWo.push({ name: `secrets.${secret.id}.data.${secret.dsn.key}`, value: postgresDsn(plan, secret.dsn.app, secretValue(db, 'password')) });
      }
    }
    this.base = atomicRelease(this, 'platform-base', {
      name: 'platform-base',
      namespace: 'kube-system',
      chart: PLATFORM_CHART_PATH,
      values: [JSON.stringify({ gatewayAccessLabel: GATEWAY_ACCESS_LABEL, namespaces: plan.namespaceList, secrets })],
      dependsOn: props.dependsOn,
    });
    if (setWo.length) {
      this.base.addOverride('set_wo', setWo.map((s) => ({ ...s, type: 'string' })));
      // Bump (with the secrets' secret_string_wo_version) to push regenerated values into the cluster.
      this.base.addOverride('set_wo_revision', 1);
    }

    if (plan.selected.includes('nginx')) {
      // NGINX Gateway Fabric's chart does not ship the Gateway API CRDs: apply the kustomization pinned to its version.
      const kubeconfig = `aws eks update-kubeconfig --name ${props.clusterName} --region ${platform.aws.region} --kubeconfig "$kubeconfig" >/dev/null`;
      this.gatewayApiCrds = new DataResource(this, 'gateway-api-crds', {
        triggersReplace: { crds: catalogue.gatewayApiCrds },
        provisioners: [
          {
            type: 'local-exec',
            interpreter: ['bash', '-c'],
            command: `set -euo pipefail; kubeconfig=$(mktemp); trap 'rm -f "$kubeconfig"' EXIT; ${kubeconfig}; kubectl --kubeconfig "$kubeconfig" apply --server-side --force-conflicts -k '${catalogue.gatewayApiCrds}'`,
          },
        ],
        dependsOn: props.dependsOn,
      });
    }

    for (const r of selectedReleases(plan.selected)) {
      this.releases[r.name] = atomicRelease(this, r.name, {
        name: r.name,
        namespace: supportingServiceCatalogue[r.service].namespace,
        ...catalogueChart(r.chart),
        values: props.values(environment, r.name),
        // cert-manager's Gateway API support refuses to start without the CRDs, like NGINX Gateway Fabric.
        dependsOn: [this.base, ...r.after.map((a) => this.releases[a]), ...(NEEDS_GATEWAY_API.includes(r.name) && this.gatewayApiCrds ? [this.gatewayApiCrds] : [])],
        timeout: timeoutFor(r),
        // Jobs (database migrations) must finish before a release counts as installed.
        waitForJobs: true,
      });
    }

    const issuers = plan.selected.includes('cert-manager');
    if (issuers || plan.routes.length) {
      const gateway = { name: GATEWAY_NAME, namespace: supportingServiceCatalogue.nginx.namespace };
      this.routing = atomicRelease(this, 'platform-routing', {
        name: 'platform-routing',
        namespace: 'kube-system',
        chart: PLATFORM_CHART_PATH,
        values: [
          JSON.stringify({
            clusterIssuers: {
              enabled: issuers,
              email: platform.certificateEmail,
              issuers: Object.fromEntries(Object.values(CLUSTER_ISSUERS).map((i) => [i.name, i.server])),
              gateway,
            },
            routes: plan.routes,
            gateway: { ...gateway, tls: issuers },
          }),
        ],
        dependsOn: [this.base, ...(['cert-manager', 'nginx', ...plan.routes.map((r) => r.name)] as const).flatMap((n) => (this.releases[n] ? [this.releases[n]] : []))],
      });
    }
  }
}

/** Releases that need the Gateway API CRDs when they are installed. */
const NEEDS_GATEWAY_API = ['nginx', 'cert-manager'];

/** Seconds Helm waits for a release: database-backed releases run their migrations first. */
function timeoutFor(release: SupportingRelease): number {
  return release.after.includes('postgresql') || release.name === 'postgresql' ? 900 : 600;
}
