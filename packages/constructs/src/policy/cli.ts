import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { POLICY_RULES, validatePolicyConfig, type Suppression } from '@platform-kit/config';
import { checkPolicy, formatPolicyReport, formatRuleList, policyResultJson } from './report';
import { readSynthesized, type SynthesizedStack } from './terraform-json';

/*
 * platform-policy: the generated repo's `npx projen policy` (synth, then this). Evaluates the synthesized
 * Terraform JSON against the kit's rules, applies the suppressions projen wrote to platform/policy.json, prints
 * a report and exits 0 (clean; suppressed findings are fine), 1 (violations) or 2 (usage or input errors).
 * Kept free of cdktf imports: it only reads JSON.
 */

export interface PolicyIo {
  out(line: string): void;
  err(line: string): void;
  /** Where relative paths start (default: the process's working directory). */
  readonly cwd?: string;
}

export const POLICY_OUTDIR = 'cdktf.out';
export const POLICY_FILE = 'platform/policy.json';

const NAME = 'platform-policy';

export function policyHelp(): string {
  return [
    `Usage: ${NAME} [--outdir DIR] [--suppressions FILE] [--json] | --list`,
    '',
    "Checks the synthesized stacks (DIR/stacks/<stack>/cdk.tf.json) against platform-kit's security rules.",
    'In a platform repo, run it as `npx projen policy`: that synthesizes first.',
    '',
    'Options:',
    `  --outdir DIR          the cdktf output directory (default: ${POLICY_OUTDIR})`,
    `  --suppressions FILE   the suppressions projen writes from .projenrc.ts (default: ${POLICY_FILE}; none if absent)`,
    '  --json                print the result as JSON',
    '  --list                print every rule (id, severity, title, rationale) and how to suppress one',
    '  -h, --help            print this help',
    '',
    'Exit status: 0 no violations (suppressed findings allowed), 1 violations, 2 usage, input or internal error.',
  ].join('\n');
}

class UsageError extends Error {}

/** Reads and validates the suppressions file; an absent file means none. */
function readSuppressions(file: string, shown: string): Suppression[] {
  if (!existsSync(file)) return [];
  let content: unknown;
  try {
    content = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new UsageError(`${shown} is not valid JSON (${(e as Error).message}). It is generated: fix policy.suppressions in .projenrc.ts and run npx projen.`);
  }
  const result = validatePolicyConfig(content, { path: '', allowMarker: true });
  if (!result.ok)
    throw new UsageError(
      [`invalid suppressions in ${shown}:`, ...result.issues.map((i) => `  ✖ ${shown}: ${i}`), 'Fix policy.suppressions in .projenrc.ts and run npx projen (it rewrites this file).'].join('\n'),
    );
  return result.suppressions;
}

function readStacks(outdir: string, shown: string): SynthesizedStack[] {
  const stacksDir = join(outdir, 'stacks');
  const hint = 'run npx projen synth first (npx projen policy does both).';
  if (!existsSync(stacksDir)) throw new UsageError(`no synthesized stacks (${join(shown, 'stacks')} does not exist): ${hint}`);
  if (!readdirSync(stacksDir).some((s) => existsSync(join(stacksDir, s, 'cdk.tf.json'))))
    throw new UsageError(`no synthesized stacks (${join(shown, 'stacks')} holds no <stack>/cdk.tf.json): ${hint}`);
  try {
    return readSynthesized(outdir);
  } catch (e) {
    throw new UsageError(`cannot read the synthesized stacks in ${shown}: ${(e as Error).message}. ${hint}`);
  }
}

/** Runs the policy command; returns the exit status (0 clean, 1 violations, 2 usage or input error). */
export function runPolicy(argv: readonly string[], io: PolicyIo): number {
  try {
    let parsed;
    try {
      parsed = parseArgs({
        args: [...argv],
        strict: true,
        allowPositionals: false,
        options: {
          outdir: { type: 'string' },
          suppressions: { type: 'string' },
          json: { type: 'boolean' },
          list: { type: 'boolean' },
          help: { type: 'boolean', short: 'h' },
        },
      });
    } catch (e) {
      throw new UsageError(`${(e as Error).message}\n\n${policyHelp()}`);
    }
    const options = parsed.values;
    if (options.help) {
      io.out(policyHelp());
      return 0;
    }
    for (const key of ['outdir', 'suppressions'] as const)
      if (options[key] !== undefined && !options[key].trim()) throw new UsageError(`--${key} needs a value.\n\n${policyHelp()}`);
    if (options.list) {
      if (options.json) io.out(JSON.stringify(POLICY_RULES, null, 2));
      else io.out(formatRuleList());
      return 0;
    }
    const cwd = io.cwd ?? process.cwd();
    const outdir = options.outdir ?? POLICY_OUTDIR;
    const suppressionsFile = options.suppressions ?? POLICY_FILE;
    // An explicitly named suppressions file must exist; the default one is absent when nothing is suppressed.
    if (options.suppressions !== undefined && !existsSync(resolve(cwd, suppressionsFile))) throw new UsageError(`--suppressions ${suppressionsFile}: no such file.`);
    const suppressions = readSuppressions(resolve(cwd, suppressionsFile), suppressionsFile);
    const stacks = readStacks(resolve(cwd, outdir), outdir);
    const result = checkPolicy(stacks, suppressions);
    io.out(options.json ? JSON.stringify(policyResultJson(result), null, 2) : formatPolicyReport(result));
    return result.violations.length ? 1 : 0;
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(`${NAME}: ${e.message}`);
      return 2;
    }
    // Not a violation (that is 1): a bug or an unreadable input. Fail with what happened.
    io.err(`${NAME}: unexpected error: ${(e as Error).stack ?? String(e)}`);
    return 2;
  }
}
