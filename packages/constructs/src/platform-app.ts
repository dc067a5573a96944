import { readFileSync } from 'node:fs';
import type { Platform } from '@platform-kit/config';
import { App, type AppConfig } from 'cdktf';
import { BootstrapStack, ClusterStack, NetworkStack, ServicesStack, SharedStack } from './stacks';

/** The stacks of one environment. */
export interface EnvironmentStacks {
  readonly network: NetworkStack;
  readonly cluster: ClusterStack;
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
  /** Stacks per environment name. */
  readonly environments: Record<string, EnvironmentStacks> = {};

  constructor(platform: Platform, config?: AppConfig) {
    super(config);
    this.platform = platform;
    this.bootstrap = new BootstrapStack(this, 'bootstrap', { platform });
    this.shared = new SharedStack(this, 'shared', { platform });
    for (const environment of platform.environments) {
      const network = new NetworkStack(this, { platform, environment, shared: this.shared });
      const cluster = new ClusterStack(this, { platform, environment, network: network.network, shared: this.shared });
      const services = new ServicesStack(this, { platform, environment, cluster: cluster.cluster });
      this.environments[environment.name] = { network, cluster, services };
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
