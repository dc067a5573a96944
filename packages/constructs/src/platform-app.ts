import { readFileSync } from 'node:fs';
import type { Platform } from '@platform-kit/config';
import { App, type AppConfig } from 'cdktf';
import { BootstrapStack, SharedStack } from './stacks';

/**
 * The cdktf app of a platform: every stack of stackNames() (@platform-kit/config), in apply order. A platform repo's src/main.ts
 * creates it, may add its own constructs to the stacks, then calls synth().
 */
export class PlatformApp extends App {
  readonly platform: Platform;
  readonly bootstrap: BootstrapStack;
  readonly shared: SharedStack;

  constructor(platform: Platform, config?: AppConfig) {
    super(config);
    this.platform = platform;
    this.bootstrap = new BootstrapStack(this, 'bootstrap', { platform });
    this.shared = new SharedStack(this, 'shared', { platform });
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
