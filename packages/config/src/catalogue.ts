import { supportingCharts } from './supporting/registry';

/**
 * The version catalogue: every version a platform depends on, in one place to bump.
 * A kit release that changes a line here changes every platform that upgrades to it.
 */
export const catalogue = {
  /** When the versions below were last checked against their sources (release pages, `aws eks describe-*`). */
  checked: '2026-11-21',
  /**
   * Terraform CLI: 1.10 brought S3 native state locking (`use_lockfile`); 1.7 the `removed` blocks that hand the
   * releases of older kits over to Argo CD.
   */
  terraform: {
    requiredVersion: '>= 1.11.0',
    /** The CLI the generated workflows install: the version the kit's own tests validate the stacks with. */
    cli: '1.11.4',
  },
  /**
   * Base images of the services' Dockerfiles, pinned to exact tags (never `latest`): long-lived lines, current
   * patch releases. They land in user-owned files, so a kit upgrade changes only new services' Dockerfiles.
   */
  containerImages: {
    // Node.js 24 LTS (supported to April 2028) on Alpine 3.24.
    node: 'node:24.21.0-alpine3.24',
    // Python 3.14 (supported to October 2030) on Debian 13 (trixie).
    python: 'python:3.14.4-slim-trixie',
    // The current Go release; go.mod's `go 1.25` is the oldest Go the code needs.
    go: 'golang:1.27.1-alpine3.24',
    // Debian 13: distroless stopped updating its debian12 images in September 2026. Runs as uid 65532.
    distroless: 'gcr.io/distroless/static-debian13:nonroot',
    busybox: 'busybox:1.38.0-musl',
  },
  /** What the generated workflows run on: GitHub Actions pinned to their current major versions, Node for npm. */
  ci: {
    node: '24',
    actions: {
      checkout: 'actions/checkout@v7',
      setupNode: 'actions/setup-node@v7',
      setupTerraform: 'hashicorp/setup-terraform@v4',
      cache: 'actions/cache@v5',
      awsCredentials: 'aws-actions/configure-aws-credentials@v6',
      ecrLogin: 'aws-actions/amazon-ecr-login@v2',
      setupBuildx: 'docker/setup-buildx-action@v4',
      dockerMetadata: 'docker/metadata-action@v6',
      buildPush: 'docker/build-push-action@v7',
      createPullRequest: 'peter-evans/create-pull-request@v8',
      changesets: 'changesets/action@v2',
    },
  },
  /** Terraform providers, matching the prebuilt cdktf provider packages below. */
  providers: {
    aws: { source: 'hashicorp/aws', version: '5.100.0' },
    helm: { source: 'hashicorp/helm', version: '3.1.1' },
  },
  /** npm packages written into a generated repo (and used by the kit itself). */
  npm: {
    projen: '0.103.25',
    cdktf: '0.21.0',
    constructs: '^10.5.0',
    '@cdktf/provider-aws': '20.1.0',
    '@cdktf/provider-helm': '12.1.2',
    typescript: '5.9.3',
    tsx: '^4.23.15',
    '@types/node': '^20',
  },
  /** Node.js: the oldest release the kit and a generated repo support. */
  node: { minVersion: '20.19.0' },
  kubernetes: {
    /** Default EKS version: in standard support (14 months from release) as of `checked`. */
    default: '1.35',
    /** Versions a platform may choose: those in EKS standard support. */
    supported: ['1.34', '1.35', '1.36'],
    /** Cluster autoscaler image per Kubernetes version: its minor must match the cluster's. */
    clusterAutoscaler: { '1.34': 'v1.34.2', '1.35': 'v1.35.0', '1.36': 'v1.36.0' },
    /**
     * EKS managed add-on versions per Kubernetes version (`aws eks describe-addon-versions --kubernetes-version
     * 1.35 --addon-name coredns` lists what a version offers). Pinned, so that an add-on never changes under a
     * running cluster without a reviewed kit upgrade.
     */
    addons: {
      '1.34': {
        'vpc-cni': 'v1.21.1-eksbuild.3',
        'kube-proxy': 'v1.34.0-eksbuild.2',
        coredns: 'v1.12.3-eksbuild.1',
        'eks-pod-identity-agent': 'v1.3.10-eksbuild.2',
        'aws-ebs-csi-driver': 'v1.56.0-eksbuild.1',
      },
      '1.35': {
        'vpc-cni': 'v1.21.1-eksbuild.3',
        'kube-proxy': 'v1.35.0-eksbuild.2',
        coredns: 'v1.13.2-eksbuild.3',
        'eks-pod-identity-agent': 'v1.3.10-eksbuild.2',
        'aws-ebs-csi-driver': 'v1.56.0-eksbuild.1',
      },
      '1.36': {
        'vpc-cni': 'v1.22.3-eksbuild.1',
        'kube-proxy': 'v1.36.0-eksbuild.13',
        coredns: 'v1.14.3-eksbuild.3',
        'eks-pod-identity-agent': 'v1.3.10-eksbuild.3',
        'aws-ebs-csi-driver': 'v1.63.1-eksbuild.1',
      },
    },
  },
  /**
   * Gateway API CRDs (standard channel), installed before NGINX Gateway Fabric: the chart does not ship them.
   * NGF's own kustomization at the chart's tag, so the CRD version is always the one that NGF release supports.
   * Argo CD renders it as a kustomize source.
   */
  gatewayApiCrds: { repoURL: 'https://github.com/nginx/nginx-gateway-fabric.git', path: 'config/crd/gateway-api/standard', targetRevision: 'v2.6.7' },
  /**
   * Helm charts (repository, chart, pinned version) of what every cluster gets. Each supporting service pins its own
   * charts in its module (packages/config/src/supporting/<name>/index.ts): chartPin() finds either.
   */
  charts: {
    // Argo CD v3.4.4: installed by Terraform (<env>-services) with the root ApplicationSet (argocd-apps); it installs the rest.
    'argo-cd': { repository: 'https://argoproj.github.io/argo-helm', chart: 'argo-cd', version: '10.1.1' },
    'argocd-apps': { repository: 'https://argoproj.github.io/argo-helm', chart: 'argocd-apps', version: '2.0.5' },
    // External Secrets Operator v2.9.0: Kubernetes Secrets from Secrets Manager (API external-secrets.io/v1).
    'external-secrets': { repository: 'https://charts.external-secrets.io', chart: 'external-secrets', version: '2.9.0' },
    // metrics-server 0.8.1: resource metrics for HorizontalPodAutoscalers and `kubectl top` (EKS ships none).
    'metrics-server': { repository: 'https://kubernetes-sigs.github.io/metrics-server/', chart: 'metrics-server', version: '3.13.1' },
    'cluster-autoscaler': { repository: 'https://kubernetes.github.io/autoscaler', chart: 'cluster-autoscaler', version: '9.56.0' },
  },
} as const;

export type Catalogue = typeof catalogue;
export type KubernetesVersion = keyof Catalogue['kubernetes']['addons'];
export type EksAddonName = keyof Catalogue['kubernetes']['addons'][KubernetesVersion];
/** The EKS add-ons every cluster gets, in install order (networking and identity before nodes join). */
export const EKS_ADDONS = ['vpc-cni', 'kube-proxy', 'eks-pod-identity-agent', 'coredns', 'aws-ebs-csi-driver'] as const satisfies readonly EksAddonName[];
/** A chart of the kit's own releases (argo-cd, the cluster autoscaler, ...). */
export type CoreChartName = keyof Catalogue['charts'];

/** A Helm chart at a pinned version. */
export interface ChartPin {
  readonly repository: string;
  readonly chart: string;
  readonly version: string;
}

/** Every pinned chart: the core ones, then the supporting services' (from their modules). */
export function allCharts(): Record<string, ChartPin> {
  return { ...catalogue.charts, ...supportingCharts() };
}

/** The pin of a chart, core or a supporting service's; throws for an unknown one. */
export function chartPin(name: string): ChartPin {
  const pin = allCharts()[name];
  if (!pin) throw new Error(`no chart ${name} is pinned in the catalogue or a supporting service's module`);
  return pin;
}
