import { execFile, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { promisify } from 'node:util';
import { resolvePlatform, type AnswersInput, type TargetInput, type Platform } from '@platform-kit/config';
import { expect } from 'vitest';
import { helmValuesFiles } from '@platform-kit/projen';
import { PlatformApp, type HelmValuesSource, type SynthesizedStack } from '../src';
import { onExistingClusters } from '../../config/test/support';

/* Shared by the constructs tests: synthesizing a platform, reading its JSON, and running real Terraform. */

export type Json = Record<string, any>;

export interface Synthesized {
  platform: Platform;
  app: PlatformApp;
  outdir: string;
  /** Stack name -> directory holding its cdk.tf.json. */
  dirs: Record<string, string>;
  /** Stack name -> parsed cdk.tf.json. */
  stacks: Record<string, Json>;
}

/** Twelve services, some with a language and port. */
export const SERVICES_12 = [
  'api',
  'worker',
  'order-worker',
  { name: 'billing', language: 'go', port: 9000 },
  { name: 'auth', language: 'node' },
  { name: 'search', language: 'python', port: 8000 },
  'notifications',
  'gateway',
  'reports',
  'inventory',
  'payments',
  'catalog-sync',
] satisfies AnswersInput['services'];

/** Another account, region, state bucket and tags. */
export const CUSTOM: AnswersInput = {
  name: 'globex',
  aws: { region: 'us-east-2', accountId: '210987654321' },
  stateBucket: 'globex-terraform-state',
  tags: { owner: 'platform-team', 'cost-center': 'cc-1234', 'team:area': 'infra/core' },
  services: ['api'],
};

const outdirs: string[] = [];

/** Removes every output directory synth() made; call from afterAll. */
export function removeOutdirs(): void {
  for (const dir of outdirs.splice(0)) rmSync(dir, { recursive: true, force: true });
}

export function synth(answers: AnswersInput, existingClusters: Record<string, TargetInput> = {}): Synthesized {
  const platform = resolvePlatform(onExistingClusters(answers, existingClusters));
  const outdir = mkdtempSync(join(tmpdir(), 'pk-stacks-'));
  outdirs.push(outdir);
  const app = new PlatformApp(platform, { outdir, helmValues: renderedValues(platform) });
  app.synth();
  const dirs: Record<string, string> = {};
  const stacks: Record<string, Json> = {};
  for (const stack of readdirSync(join(outdir, 'stacks'))) {
    dirs[stack] = join(outdir, 'stacks', stack);
    stacks[stack] = JSON.parse(readFileSync(join(dirs[stack], 'cdk.tf.json'), 'utf8'));
  }
  return { platform, app, outdir, dirs, stacks };
}

/** The managed values files a platform repo would hold, rendered in memory (no overrides). */
export function renderedValues(platform: Platform): HelmValuesSource {
  const files = new Map(helmValuesFiles(platform).map((f) => [`${f.environment}/${f.release}`, f.contents]));
  return (environment, release) => {
    const contents = files.get(`${environment.name}/${release}`);
    if (contents === undefined) throw new Error(`no values rendered for ${environment.name}/${release}`);
    return [contents];
  };
}

export const asStack = (name: string, json: Json): SynthesizedStack => ({ name, json });

/** Resources of one type as [logical id, body] pairs (cdktf's "//" metadata left in the body). */
export function resources(stack: Json, type: string): [string, Json][] {
  return Object.entries(stack.resource?.[type] ?? {});
}

/** The single resource of a type; fails the test when there is not exactly one. */
export function only(stack: Json, type: string): [string, Json] {
  const found = resources(stack, type);
  expect(found, `expected exactly one ${type}`).toHaveLength(1);
  return found[0];
}

/** The Terraform reference `${type.id.attribute}` a resource uses to point at another. */
export const ref = (type: string, id: string, attribute: string) => `\${${type}.${id}.${attribute}}`;

/** The statements of the aws_iam_policy_document a `${data.aws_iam_policy_document.x.json}` reference names. */
export function documentStatements(stack: Json, reference: string): Json[] {
  const id = /^\$\{data\.aws_iam_policy_document\.([^.]+)\.json\}$/.exec(reference)?.[1];
  expect(id, `not a policy document reference: ${reference}`).toBeDefined();
  return stack.data.aws_iam_policy_document[id!].statement;
}

// ---------------------------------------------------------------------------------------------------------
// Real Terraform, offline: `validate` from the provider mirror; `plan` with a local backend and fake credentials.

export const PLUGIN_DIR = '/opt/tf-plugins';
const terraformOnPath = spawnSync('terraform', ['version'], { stdio: 'ignore' }).status === 0;
export const terraformAvailable = terraformOnPath && existsSync(PLUGIN_DIR);
if (!terraformAvailable)
  console.warn(
    `\n*** SKIPPED: the terraform validate and plan tests need terraform and ${PLUGIN_DIR} ` +
      `(terraform on PATH: ${terraformOnPath}, ${PLUGIN_DIR} exists: ${existsSync(PLUGIN_DIR)}) ***\n`,
  );

const run = promisify(execFile);
const TF_ENV = { ...process.env, TF_IN_AUTOMATION: '1', CHECKPOINT_DISABLE: '1', TF_CLI_CONFIG_FILE: '/dev/null' };
const options = (cwd: string) => ({ cwd, env: TF_ENV, timeout: 180_000, maxBuffer: 64 * 1024 * 1024 });

async function terraform(dir: string, args: string[]): Promise<string> {
  try {
    return (await run('terraform', [...args, '-no-color'], options(dir))).stdout;
  } catch (error: any) {
    throw new Error(`terraform ${args[0]} failed in ${dir}:\n${error.stdout ?? ''}\n${error.stderr ?? error.message}`, { cause: error });
  }
}

/** `terraform init` (no backend, providers from the local mirror only) then `terraform validate -json`. */
export async function validate(dir: string): Promise<Json> {
  await terraform(dir, ['init', '-backend=false', `-plugin-dir=${PLUGIN_DIR}`, '-input=false']);
  try {
    const { stdout } = await run('terraform', ['validate', '-json', '-no-color'], options(dir));
    return JSON.parse(stdout);
  } catch (error: any) {
    // validate exits 1 for an invalid configuration but still prints its JSON report.
    if (error.stdout) return JSON.parse(error.stdout);
    throw error;
  }
}

/** A warning Terraform gives for each stack validated as a module: its S3 backend applies only in a root module. */
const BACKEND_IGNORED = 'Backend configuration ignored';

/**
 * `terraform validate` of several stacks at once: each stack becomes a module of one temporary root, so Terraform
 * loads the AWS provider's schema once instead of once per stack (most of validate's time; about five times faster
 * for a platform's eleven AWS stacks). The stacks are checked against the same schema as alone; what a module
 * cannot check is the backend block, which `validate` (one stack, as its root) covers. Returns each stack's report
 * as `validate -json` prints it, its diagnostics found by file, without the expected backend warning.
 */
export async function validateStacks(dirs: Record<string, string>): Promise<Record<string, Json>> {
  const root = mkdtempSync(join(tmpdir(), 'validate-stacks-'));
  try {
    // A local module source starts with ./ or ../ (the stacks are outside the root: ../).
    const source = (dir: string) => (relative(root, dir).startsWith('..') ? relative(root, dir) : `./${relative(root, dir)}`);
    const module = Object.fromEntries(Object.entries(dirs).map(([stack, dir]) => [stack, { source: source(dir) }]));
    writeFileSync(join(root, 'main.tf.json'), JSON.stringify({ module }));
    const report = await validate(root);
    const diagnostics = (report.diagnostics ?? []).filter((d: Json) => d.summary !== BACKEND_IGNORED);
    const ofStack = (dir: string) => (d: Json) => d.range?.filename === undefined || resolve(root, d.range.filename).startsWith(`${dir}/`);
    return Object.fromEntries(
      Object.entries(dirs).map(([stack, dir]) => {
        const own = diagnostics.filter(ofStack(resolve(dir)));
        const errors = own.filter((d: Json) => d.severity === 'error').length;
        return [stack, { valid: errors === 0, error_count: errors, warning_count: own.length - errors, diagnostics: own }];
      }),
    );
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

/**
 * An offline `terraform plan` of one stack: an override file swaps the S3 backend for a local one, gives the
 * provider fake credentials with every AWS call skipped, and points each cross-stack remote state at a local
 * state file holding placeholder outputs. Returns the plan as `terraform show -json` prints it.
 */
export async function planOffline(dir: string, stack: Json): Promise<Json> {
  const override: Json = {
    terraform: { backend: { local: { path: join(dir, 'offline.tfstate') } } },
    provider: {
      aws: [
        {
          access_key: 'AKIAOFFLINEPLAN00000',
          secret_key: 'offline-plan-fake-secret',
          skip_credentials_validation: true,
          skip_requesting_account_id: true,
          skip_metadata_api_check: true,
          skip_region_validation: true,
          max_retries: 1,
          // Checking the account needs an STS call; the stack keeps its allowed_account_ids for real runs.
          allowed_account_ids: null,
        },
      ],
    },
  };
  const remoteStates = Object.entries(stack.data?.terraform_remote_state ?? {}) as [string, Json][];
  if (remoteStates.length) {
    override.data = { terraform_remote_state: {} };
    for (const [id, remote] of remoteStates) {
      const source = String(remote.config.key).split('/')[0];
      const stateFile = join(dir, `remote-${source}.tfstate`);
      writeFileSync(stateFile, JSON.stringify(placeholderState(dir, source)));
      override.data.terraform_remote_state[id] = { backend: 'local', config: { path: stateFile } };
    }
  }
  writeFileSync(join(dir, 'offline_override.tf.json'), JSON.stringify(override, null, 2));
  await terraform(dir, ['init', `-plugin-dir=${PLUGIN_DIR}`, '-input=false']);
  await terraform(dir, ['plan', '-input=false', '-lock=false', '-out=offline.plan']);
  return JSON.parse(await terraform(dir, ['show', '-json', 'offline.plan']));
}

/** A state file with a placeholder string for every output the `source` stack (a sibling directory) declares. */
function placeholderState(dir: string, source: string): Json {
  const sourceStack = JSON.parse(readFileSync(join(dir, '..', source, 'cdk.tf.json'), 'utf8'));
  const outputs = Object.fromEntries(
    Object.keys(sourceStack.output ?? {}).map((name, i) => [name, { value: placeholder(name, i), type: 'string', sensitive: true }]),
  );
  return { version: 4, terraform_version: '1.10.0', serial: 1, lineage: `offline-${source}`, outputs, resources: [] };
}

function placeholder(output: string, index: number): string {
  const n = String(index).padStart(8, '0');
  if (/iam_policy/.test(output)) return `arn:aws:iam::123456789012:policy/offline-${n}`;
  if (/role.*arn|arn.*role|iam_role/.test(output)) return `arn:aws:iam::123456789012:role/offline-${n}`;
  if (/subnet/.test(output)) return `subnet-0${n}`;
  if (/vpc/.test(output)) return `vpc-0${n}`;
  return `offline-${n}`;
}

/** Planned resource counts by type (create actions only). */
export function plannedCounts(plan: Json): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const change of plan.resource_changes ?? []) {
    if (change.mode !== 'managed' || !change.change.actions.includes('create')) continue;
    counts[change.type] = (counts[change.type] ?? 0) + 1;
  }
  return counts;
}
