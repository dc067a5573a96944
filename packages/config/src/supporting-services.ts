import type { CoreChartName } from './catalogue';
import { supportingServiceModules } from './supporting/registry';

export {
  BUILT_IN_MODULES,
  SUPPORTING_SERVICES,
  registerSupportingService,
  supportingService,
  supportingServiceModules,
  supportingServiceNames,
  selectableSupportingServiceNames,
  type SupportingServiceName,
} from './supporting/registry';
export { MODULE_DOCS_END, MODULE_DOCS_START, SUPPORTING_SERVICES_DOC, moduleDocSections, withModuleDocs } from './supporting/docs';
export { defineSupportingService, type ModuleBucket, type ModuleContext, type ModuleDnsAccess, type ModuleSelection, type ModuleDiagram, type ModuleRelease, type SupportingServiceModule } from './supporting/module';

/**
 * A Helm release of the platform: its values are `helm/<env>/<name>.yaml` (managed, rendered from
 * templates/helm/<name>.yaml.hbs, or the supporting service module's <name>.yaml.hbs) then `helm/<env>/<name>.overrides.yaml` (yours). Argo CD installs every
 * release but its own (`argo-cd`, installed by Terraform) from the repo's gitops/ folder.
 */
export interface PlatformRelease {
  readonly name: string;
  /** A chart of the catalogue or of its supporting service's module (chartPin()). */
  readonly chart: string;
  /** The namespace it is installed into. */
  readonly namespace: string;
  /** The supporting service it belongs to; absent for the releases every environment gets. */
  readonly service?: string;
  /** Releases installed first when present: their CRDs or their services are needed. */
  readonly after: readonly string[];
}

/** A release of a supporting service. */
export interface SupportingRelease extends PlatformRelease {
  readonly service: string;
}

/** Namespace of Argo CD (its release, the root ApplicationSet and every Application). */
export const ARGOCD_NAMESPACE = 'argocd';
/** The cluster autoscaler's service account: the cluster stack binds it to the autoscaler's IAM role with Pod Identity. */
export const CLUSTER_AUTOSCALER_SERVICE_ACCOUNT = { namespace: 'kube-system', name: 'cluster-autoscaler' } as const;
/** External Secrets Operator: its namespace and the service account its Pod Identity role is bound to. */
export const EXTERNAL_SECRETS = { namespace: 'external-secrets', serviceAccount: 'external-secrets' } as const;

/**
 * The releases every environment gets, whatever is selected: Argo CD (installed by Terraform, it installs the rest),
 * the cluster autoscaler, metrics-server, and External Secrets Operator (Kubernetes Secrets from Secrets Manager). External Secrets
 * comes after Prometheus when that is selected: its ServiceMonitors need the CRDs.
 */
export const CORE_RELEASES: readonly (PlatformRelease & { chart: CoreChartName })[] = [
  { name: 'argo-cd', chart: 'argo-cd', namespace: ARGOCD_NAMESPACE, after: [] },
  { name: 'cluster-autoscaler', chart: 'cluster-autoscaler', namespace: CLUSTER_AUTOSCALER_SERVICE_ACCOUNT.namespace, after: [] },
  // The team's services scale on its metrics (HorizontalPodAutoscalers).
  { name: 'metrics-server', chart: 'metrics-server', namespace: 'kube-system', after: [] },
  { name: 'external-secrets', chart: 'external-secrets', namespace: EXTERNAL_SECRETS.namespace, after: ['prometheus'] },
];

/**
 * Keys of the core charts' values that are free-form maps (a Kubernetes object, an application's configuration) though
 * their default is not empty: the kit's values check and the check of the user's overrides go below them freely. A
 * supporting service's charts list theirs in its module (`freeFormValues`).
 */
export const CORE_FREE_FORM_VALUES: Readonly<Partial<Record<CoreChartName, readonly string[]>>> = {
  // argocd-cm: any key is copied into the ConfigMap (the chart's `argo-cd.config.cm` helper).
  'argo-cd': ['configs.cm', 'controller.resources', 'server.resources', 'repoServer.resources'],
  'external-secrets': ['resources'],
  'cluster-autoscaler': ['extraArgs', 'resources'],
  // Commented out in values.yaml (`resources: {}` documented below it).
  'metrics-server': ['resources'],
};

/** The free-form keys of every pinned chart: the core charts', then each supporting service module's. */
export function chartFreeFormValues(): Record<string, readonly string[]> {
  return Object.assign({}, CORE_FREE_FORM_VALUES, ...supportingServiceModules().map((m) => m.freeFormValues ?? {}));
}

/**
 * Every supporting release, module by module (Argo CD's sync waves order them: a release comes after those it names).
 * A service's releases are installed only when the service is selected.
 */
export function supportingReleases(): SupportingRelease[] {
  return supportingServiceModules().flatMap((m) => m.releases.map((r) => ({ ...r, service: m.name, namespace: m.namespace })));
}

/** Keeps only the `after` releases that are installed too. */
function present<R extends PlatformRelease>(releases: readonly R[]): R[] {
  const names = new Set(releases.map((r) => r.name));
  return releases.map((r) => ({ ...r, after: r.after.filter((a) => names.has(a)) }));
}

/** The releases of the selected services, each with only the `after` releases that are installed too. */
export function selectedReleases(selected: readonly string[]): SupportingRelease[] {
  return present(supportingReleases().filter((r) => selected.includes(r.service)));
}

/** Every release of an environment: the core releases, then the selected services'. */
export function platformReleases(selected: readonly string[]): PlatformRelease[] {
  return present([...CORE_RELEASES, ...supportingReleases().filter((r) => selected.includes(r.service))]);
}
