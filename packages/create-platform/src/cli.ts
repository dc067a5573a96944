import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, relative, resolve } from 'node:path';
import { formatIssues, validateAnswers, type AnswersInput, type Platform } from '@platform-kit/config';
import { KIT_VERSION } from '@platform-kit/projen';
import { helpText, parseCli, type CliOptions } from './args';
import { mergeAnswers, readAnswersFile, unansweredPlaceholders, valueAt } from './answers';
import { UsageError } from './errors';
import { resolveKitSource } from './kit-source';
import { isEmptyDir, scaffold } from './scaffold';

export interface Io {
  out: (line: string) => void;
  err: (line: string) => void;
}
const consoleIo: Io = { out: (l) => process.stdout.write(`${l}\n`), err: (l) => process.stderr.write(`${l}\n`) };

/** Answers from flags over the answers file; the name defaults to the target directory's name. */
export function collectAnswers(options: CliOptions): AnswersInput {
  let answers = options.answersFile ? readAnswersFile(options.answersFile) : {};
  answers = mergeAnswers(answers, options.answers as Record<string, unknown>);
  if (answers.name === undefined && options.directory) answers.name = basename(resolve(options.directory));
  return answers as AnswersInput;
}

function seconds(since: number): string {
  return `${((Date.now() - since) / 1000).toFixed(1)}s`;
}

/** Runs a step of the new repo (npm install, synth), its output in a log file shown on failure. */
function runStep(io: Io, title: string, cwd: string, command: string, args: string[], log: string): void {
  const start = Date.now();
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, PROJEN_DISABLE_POST: undefined } });
  writeFileSync(log, `$ ${command} ${args.join(' ')}\n${result.stdout ?? ''}${result.stderr ?? ''}`, { flag: 'a' });
  if (result.status !== 0) {
    const tail = `${result.stdout ?? ''}${result.stderr ?? ''}`.trim().split('\n').slice(-15).join('\n');
    throw new Error(`${title} failed (${command} ${args.join(' ')}, exit ${result.status ?? result.signal}).\n${tail}\nFull log: ${log}`);
  }
  io.out(`✔ ${title} (${seconds(start)})`);
}

export async function main(argv: string[], io: Io = consoleIo): Promise<number> {
  try {
    const options = parseCli(argv);
    if (options.help) {
      io.out(helpText());
      return 0;
    }
    if (options.version) {
      io.out(KIT_VERSION);
      return 0;
    }
    return create(options, io);
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(`create-platform: ${e.message}`);
      return e.exitCode;
    }
    io.err(`create-platform: ${(e as Error).message}`);
    return 1;
  }
}

function create(options: CliOptions, io: Io): number {
  const answers = collectAnswers(options);

  // Without --yes, answers that only have placeholder defaults must be given (no prompts yet: flags or a file).
  const placeholders = unansweredPlaceholders(answers);
  const missing = options.yes ? [] : placeholders;
  if (missing.length)
    throw new UsageError(
      `missing answers:\n${missing.map((m) => `  ✖ ${m.field}: pass ${m.flag}, set it in --answers FILE`).join('\n')}\nOr pass --yes to take the defaults for every answer not given.`,
    );

  const result = validateAnswers(answers);
  if (!result.ok) throw new UsageError(`invalid answers (nothing was written):\n${formatIssues(result.issues)}`);
  const platform: Platform = result.platform;

  const target = resolve(options.directory ?? platform.name);
  if (!isEmptyDir(target) && !options.force)
    throw new UsageError(`${target} is not empty. Choose a new directory, or pass --force to write into it (your other files are kept).`);
  if (!isEmptyDir(target) && !existsSync(join(target, '.projenrc.ts')))
    io.out(`! writing into the non-empty ${target} (--force): files the kit does not write are kept`);

  const kitSource = options.kitSource ? resolveKitSource(options.kitSource) : undefined;

  const start = Date.now();
  const files = scaffold({ answers, target, kitSource });
  io.out(`✔ Wrote ${files.length} files to ${relative(process.cwd(), target) || '.'} (${seconds(start)})`);
  for (const p of placeholders)
    io.out(`! ${p.field} is a placeholder (${valueAt(platform, p.path)}): set it in .projenrc.ts before you bootstrap.`);

  if (!options.skipInstall) {
    const log = join(mkdtempSync(join(tmpdir(), 'create-platform-')), 'create-platform.log');
    runStep(io, 'Installed dependencies', target, 'npm', ['install', '--no-audit', '--no-fund'], log);
    runStep(io, 'Synthesized stacks', target, 'npx', ['projen', 'synth'], log);
    const stacks = join(target, 'cdktf.out', 'stacks');
    if (existsSync(stacks)) io.out(`  ${readdirSync(stacks).sort().join(', ')}`);
  }

  const dir = relative(process.cwd(), target) || '.';
  io.out('');
  io.out(`Your platform is in ${dir}. Next:`);
  io.out(`  cd ${dir}`);
  if (options.skipInstall) io.out('  npm install');
  io.out('  npx projen synth       # cdktf.out/stacks/<stack>/cdk.tf.json');
  io.out('  npx projen bootstrap   # create the state bucket (docs/bootstrap.md)');
  return 0;
}
