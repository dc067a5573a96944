import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const KIT_ROOT = resolve(__dirname, '..');
export const CLI = join(KIT_ROOT, 'packages/create-platform/bin/create-platform.js');
export const PLUGIN_DIR = '/opt/tf-plugins';

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `${prefix}-`));
}

function hasTerraform(): boolean {
  return spawnSync('terraform', ['version'], { stdio: 'ignore' }).status === 0;
}

/** Offline terraform validate needs terraform and the provider mirror; say so loudly when they are missing. */
export const terraformAvailable = hasTerraform() && existsSync(PLUGIN_DIR);
if (!terraformAvailable)
  console.warn(`\n*** SKIPPED: terraform validate needs terraform on PATH and the provider mirror ${PLUGIN_DIR} ***\n`);

/** `terraform init -backend=false` (offline, from the mirror) then `validate -json` in a stack directory. */
export function terraformValidate(stackDir: string): { valid: boolean; diagnostics: unknown[] } {
  execFileSync('terraform', ['init', '-backend=false', `-plugin-dir=${PLUGIN_DIR}`, '-input=false', '-no-color'], {
    cwd: stackDir,
    stdio: 'pipe',
    env: { ...process.env, TF_IN_AUTOMATION: '1' },
  });
  const result = spawnSync('terraform', ['validate', '-json', '-no-color'], { cwd: stackDir, encoding: 'utf8' });
  return JSON.parse(result.stdout);
}

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
