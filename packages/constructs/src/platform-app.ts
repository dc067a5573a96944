import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { clusterTarget, type Environment, type Platform } from '@platform-kit/config';
import { App, type AppConfig } from 'cdktf';
import { BootstrapStack, ClusterStack, NetworkStack, ServicesAwsStack, ServicesStack, SharedStack } from './stacks';
import type { HelmValuesSource } from './gitops-bootstrap';
import { checkHelmOverrides, formatProblem } from './helm-overrides';

export interface PlatformAppConfig extends AppConfig {
  /** Where the Helm values files are, `<dir>/<env>/<release>[.overrides].yaml` (default: helm). */
  readonly helmDir?: string;
  /** Values from somewhere else than files (e.g. rendered in memory by a test); replaces helmDir. */
  readonly helmValues?: HelmValuesSource;
}

/**
 * Reads a release's values: the managed base file (required: written by `npx projen`), then the user's
 * overrides file when it exists. Helm merges them in this order, so the overrides win.
 */
export function helmValuesFromDir(dir: string): HelmValuesSource {
  return (environment: Environment, release: string) => {
    const base = join(dir, environment.name, `${release}.yaml`);
    if (!existsSync(base)) throw new Error(`${base} is missing: run "npx projen" to regenerate the Helm values files.`);
    const overrides = join(dir, environment.name, `${release}.overrides.yaml`);
    return [readFileSync(base, 'utf8'), ...(existsSync(overrides) ? [readFileSync(overrides, 'utf8')] : [])];
  };
}

/** The stacks of one environment. */
export interface EnvironmentStacks {
  readonly network: NetworkStack;
  readonly cluster: ClusterStack;
  readonly servicesAws: ServicesAwsStack;
  readonly services: ServicesStack;
}

/**
 * The cdktf app of a platform: every stack of stackNames() (@platform-kit/config), in apply order. A platform repo's src/main.ts
 * creates it, may add its own constructs to the stacks, then calls synth(). Values cross stacks as cdktf
 * cross-stack references (outputs and remote state), never as copied ids.
 */
export class PlatformApp extends App {
  readonly platform: Platform;
  readonly bootstrap: BootstrapStack;
  readonly shared: SharedStack;
  /** Stacks per name of an environment on EKS. */
  readonly environments: Record<string, EnvironmentStacks> = {};
  /** The one stack per name of an environment on an existing Kubernetes cluster (docs/targets.md). */
  readonly existingClusters: Record<string, { readonly services: ServicesStack }> = {};

  constructor(platform: Platform, config: PlatformAppConfig = {}) {
    const { helmDir = 'helm', helmValues, ...appConfig } = config;
    // The user's overrides go to Argo CD untouched: stop at a YAML error or a key the chart does not have, here.
    if (!helmValues) {
      const problems = checkHelmOverrides(platform, helmDir);
      if (problems.length) throw new Error(`The Helm overrides files have problems:\n${problems.map((p) => `  ✖ ${formatProblem(p)}`).join('\n')}`);
    }
    super(appConfig);
    const values = helmValues ?? helmValuesFromDir(helmDir);
    this.platform = platform;
    this.bootstrap = new BootstrapStack(this, 'bootstrap', { platform });
    this.shared = new SharedStack(this, 'shared', { platform });
    for (const environment of platform.environments) {
      if (clusterTarget(platform, environment).kind === 'kubernetes') {
        // An existing cluster: only the in-cluster half, Argo CD through the kubeconfig context.
        this.existingClusters[environment.name] = { services: new ServicesStack(this, { platform, environment, values }) };
        continue;
      }
      const network = new NetworkStack(this, { platform, environment, shared: this.shared });
      const cluster = new ClusterStack(this, { platform, environment, network: network.network, shared: this.shared });
      const servicesAws = new ServicesAwsStack(this, { platform, environment, shared: this.shared, network: network.network, cluster: cluster.cluster });
      const services = new ServicesStack(this, { platform, environment, eks: { cluster: cluster.cluster, servicesAws }, values });
      this.environments[environment.name] = { network, cluster, servicesAws, services };
    }
  }
}

/** Reads the resolved platform written by PlatformProject (platform/platform.json). */
export function loadPlatform(file = 'platform/platform.json'): Platform {
  const data = JSON.parse(readFileSync(file, 'utf8'));
  if (typeof data?.name !== 'string' || !Array.isArray(data?.environments))
    throw new Error(`${file} is not a resolved platform: run "npx projen" to regenerate it.`);
  delete data['//'];
  return data as Platform;
}
