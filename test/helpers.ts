import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const KIT_ROOT = resolve(__dirname, '..');
export const CLI = join(KIT_ROOT, 'packages/create-platform/bin/create-platform.js');

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `${prefix}-`));
}

// Real Terraform, offline (terraform on PATH and the provider mirror; skipped loudly without them): one copy, the constructs tests'.
export { PLUGIN_DIR, terraformAvailable, validate as terraformValidate, validateStacks } from '../packages/constructs/test/support';
export { onExistingClusters } from '../packages/config/test/support';

/** kubectl's built-in kustomize renders the services' overlays as Argo CD would (it bundles kustomize 5 too). */
export const kubectlAvailable = spawnSync('kubectl', ['kustomize', '--help'], { stdio: 'ignore' }).status === 0;
if (!kubectlAvailable) console.warn('\n*** SKIPPED: rendering the services\' kustomize overlays needs kubectl on PATH ***\n');

export function stackDirs(outdir: string): string[] {
  const stacks = join(outdir, 'stacks');
  return readdirSync(stacks).map((s) => join(stacks, s));
}

/** Providers in the offline mirror: stacks needing others (the Helm stacks) cannot be initialised here. */
export const MIRRORED_PROVIDERS = ['aws'];

/** Whether a synthesized stack needs only providers from the offline mirror (an "AWS stack"). */
export function validatableOffline(stackDir: string): boolean {
  const stack = JSON.parse(readFileSync(join(stackDir, 'cdk.tf.json'), 'utf8'));
  return Object.keys(stack.terraform?.required_providers ?? {}).every((p) => MIRRORED_PROVIDERS.includes(p));
}
