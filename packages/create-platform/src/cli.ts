import { existsSync, mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { formatIssues, resolvePlatform, validateAnswers, type AnswersInput, type Platform } from '@platform-kit/config';
import { KIT_VERSION } from '@platform-kit/projen';
import { helpText, parseCli, withPublicServices, type CliOptions } from './args';
import { checkAnswersFileTarget, mergeAnswers, PLACEHOLDER_ANSWERS, readAnswersFile, unansweredPlaceholders, valueAt, writeAnswersFile } from './answers';
import { reportCost } from './cost-report';
import { UsageError } from './errors';
import { isEmptyDir } from './fs-safe';
import { generate, Interrupted, previewFiles, StepFailed, type Generated } from './generate';
import { BACKUP_DIR } from './placement';
import { createProgress } from './progress';
import { resolveKitSource } from './kit-source';
import { answersSummary, fileListing, planSummary, shownPath } from './summary';
import { parseUpgradeArgs, upgrade } from './upgrade';

export interface Io {
  out: (line: string) => void;
  err: (line: string) => void;
  /** A person at a terminal (stdin and stdout are TTYs): the wizard may ask, progress shows a spinner. */
  interactive?: boolean;
}
const consoleIo: Io = {
  out: (l) => process.stdout.write(`${l}\n`),
  err: (l) => process.stderr.write(`${l}\n`),
  interactive: Boolean(process.stdin.isTTY && process.stdout.isTTY),
};

const KIT_DOCS = 'https://github.com/platform-kit/platform-kit/tree/main/docs';

/** Answers from flags over the answers file (which is over the schema's defaults). */
export function collectAnswers(options: CliOptions): AnswersInput {
  const fromFile = options.answersFile ? readAnswersFile(options.answersFile) : {};
  const answers = mergeAnswers(fromFile, options.answers as Record<string, unknown>) as AnswersInput;
  return options.publicServices ? withPublicServices(answers, options.publicServices) : answers;
}

function invalid(issues: Parameters<typeof formatIssues>[0]): UsageError {
  return new UsageError(`invalid answers (nothing was written):\n${formatIssues(issues)}`);
}

/** Why a directory cannot take a new platform, or undefined when it can. */
function targetProblem(target: string, force: boolean): string | undefined {
  if (existsSync(target) && !statSync(target).isDirectory()) return `${shownPath(target)} is a file. Choose a directory for the platform.`;
  if (isEmptyDir(target) || force) return undefined;
  return `${shownPath(target)} is not empty. Choose a new directory, or pass --force to write into it (your files are kept).`;
}

/** Placeholder answers left at their defaults: they must be replaced before the platform is bootstrapped. */
function placeholdersLeft(platform: Platform): { field: string; value: unknown }[] {
  const defaults = resolvePlatform({ name: platform.name });
  const left = PLACEHOLDER_ANSWERS.filter((p) => (!p.applies || p.applies(platform)) && valueAt(platform, p.path) === valueAt(defaults, p.path));
  return left.map((p) => ({
    field: p.path.join('.'),
    value: valueAt(platform, p.path),
  }));
}

export async function main(argv: string[], io: Io = consoleIo): Promise<number> {
  try {
    if (argv[0] === 'upgrade') return await upgrade(parseUpgradeArgs(argv.slice(1)), io);
    const options = parseCli(argv);
    if (options.help) {
      io.out(helpText());
      return 0;
    }
    if (options.version) {
      io.out(KIT_VERSION);
      return 0;
    }
    return await create(options, io);
  } catch (e) {
    const error = e as Error;
    if (error instanceof UsageError) {
      io.err(`create-platform: ${error.message}`);
      return error.exitCode;
    }
    if (error.name === 'ExitPromptError') {
      // Ctrl-C at a question: nothing has been written yet.
      io.err('Cancelled: nothing was written.');
      return 130;
    }
    io.err(`create-platform: ${error.message}`);
    return 1;
  }
}

/** The answers: from the wizard at a terminal, else from flags and the answers file (placeholders required without --yes). */
async function collectFinalAnswers(
  options: CliOptions,
  io: Io,
  directory: string | undefined,
  prompts: typeof import('./wizard') | undefined,
  answered: (answers: AnswersInput) => void,
): Promise<AnswersInput> {
  const given = collectAnswers(options);
  const nameDefault = directory && basename(directory);
  if (prompts) {
    const flags = validateAnswers(given); // a bad flag is a usage error, not a question
    if (!flags.ok) throw invalid(flags.issues);
    return prompts.runWizard({
      given,
      nameDefault,
      checkName: directory ? undefined : (name) => targetProblem(resolve(name), options.force),
      write: io.out,
      answered,
    });
  }
  const answers = given.name === undefined && nameDefault ? { ...given, name: nameDefault } : given;
  // Every problem at once: what is invalid, then what is missing, in one run.
  const missing = options.yes ? [] : unansweredPlaceholders(answers);
  const checked = validateAnswers(answers);
  const issues = checked.ok ? [] : checked.issues;
  if (missing.length || issues.length)
    throw new UsageError(
      [
        ...(issues.length ? [`invalid answers (nothing was written):`, formatIssues(issues)] : []),
        ...(missing.length
          ? [
              'missing answers:',
              ...missing.map((m) => `  ✖ ${m.field}: pass ${m.flag}, or set it in --answers FILE`),
              'Or pass --yes to take the defaults for every answer not given, or run create-platform at a terminal for the wizard.',
            ]
          : []),
      ].join('\n'),
    );
  return answers;
}

/**
 * No admin roles: the clusters have access entries for the CI roles only (no creator admin), so nobody else can
 * use kubectl on them, not even whoever applies a cluster by hand. What to do about it, before the first apply.
 */
function noAdminRolesWarning(platform: Platform): string[] {
  if (platform.aws.adminRoleArns.length) return [];
  return [
    '! aws.adminRoleArns is empty: nobody but CI can use kubectl on the clusters (kubectl answers Unauthorized).',
    "  To fix: add your role's ARN to aws.adminRoleArns in .projenrc.ts, run npx projen and apply <env>-cluster; or pass --admin-role-arns ARN to create-platform.",
    "  Your role's ARN, path included: aws iam get-role --role-name ROLE --query Role.Arn, ROLE being the assumed-role/ROLE/... of aws sts get-caller-identity.",
  ];
}

/** After the repo is in place: what was moved aside, the placeholders left, no admin roles, and what to do next. */
function report(io: Io, platform: Platform, target: string, generated: Generated, install: boolean): void {
  if (generated.backupDir)
    io.out(`! ${generated.backedUp.length} of your files were in the way; they are in ${shownPath(generated.backupDir)}: ${generated.backedUp.join(', ')}`);
  for (const p of placeholdersLeft(platform))
    io.out(`! ${p.field} is a placeholder (${p.value}): set it in .projenrc.ts and run npx projen before you bootstrap.`);
  for (const line of noAdminRolesWarning(platform)) io.out(line);
  const dir = shownPath(target);
  io.out('');
  io.out(`Your platform is in ${dir}. Next:`);
  io.out(`  cd ${dir}`);
  io.out(install ? '  git init -b main && git add -A && git commit -m "Platform from create-platform"' : '  npm install');
  io.out('  npx projen bootstrap   # once, with administrator credentials: the Terraform state bucket');
  io.out(`Then docs/getting-started.md, step by step. All docs: ${dir}/docs/README.md and ${KIT_DOCS}`);
  if (generated.backupDir) io.out(`Review ${BACKUP_DIR}/ and delete it when you are done.`);
  reportCost(io, platform);
}

/** The file the wizard's answers are kept in when create-platform cannot go on: create-platform-answers[-N].yaml. */
export function keepAnswers(answers: AnswersInput, dir = process.cwd()): string {
  const write = (folder: string) => {
    let file = join(folder, 'create-platform-answers.yaml');
    for (let n = 2; existsSync(file); n++) file = join(folder, `create-platform-answers-${n}.yaml`);
    writeAnswersFile(file, answers);
    return file;
  };
  try {
    return write(dir);
  } catch {
    return write(mkdtempSync(join(tmpdir(), 'create-platform-answers-'))); // the folder is not writable: a temporary one
  }
}

/**
 * The wizard never loses what was typed: when create-platform stops after questions were answered (an answer the
 * whole-answers check refuses, a target that became busy, a failed step), the answers so far go to a file, and the
 * message says where and how to go on from them. Ctrl-C is not a failure: it cancels.
 */
async function create(options: CliOptions, io: Io): Promise<number> {
  let typed: AnswersInput | undefined;
  try {
    return await createWith(options, io, (answers) => (typed = answers));
  } catch (error) {
    if (!typed || (error as Error).name === 'ExitPromptError') throw error;
    const kept = keptAnswers(typed);
    if (error instanceof UsageError) throw new UsageError(`${error.message}\n${kept}`);
    throw new Error(`${(error as Error).message}\n${kept}`, { cause: error });
  }
}

/** Keeps the answers in a file and says where. */
function keptAnswers(answers: AnswersInput): string {
  const file = shownPath(keepAnswers(answers));
  return `Your answers are in ${file}: create-platform --answers ${file} goes on from them.`;
}

async function createWith(options: CliOptions, io: Io, answered: (answers: AnswersInput) => void): Promise<number> {
  // Everything that can be refused is refused before the first question.
  if (options.saveAnswers) checkAnswersFileTarget(options.saveAnswers, options.force);
  const directory = options.directory === undefined ? undefined : resolve(options.directory);
  const problem = directory && targetProblem(directory, options.force);
  if (problem) throw new UsageError(problem);
  const kitSource = options.kitSource ? resolveKitSource(options.kitSource) : undefined;

  // The prompts are loaded only for the wizard: scripted runs start faster.
  const wizard = Boolean(io.interactive) && !options.answersFile && !options.yes;
  const prompts = wizard ? await import('./wizard') : undefined;
  const answers = await collectFinalAnswers(options, io, directory, prompts, answered);
  if (prompts) answered(answers);
  const result = validateAnswers(answers);
  if (!result.ok) throw invalid(result.issues);
  const platform = result.platform;
  const target = directory ?? resolve(platform.name);
  const targetIssue = targetProblem(target, options.force);
  if (targetIssue) throw new UsageError(targetIssue);
  const install = !options.skipInstall;

  if (prompts || options.dryRun) {
    const files = previewFiles(answers, target, kitSource);
    const summary = [...answersSummary(platform), '', ...planSummary(platform, target, files, install)];
    if (options.dryRun) {
      for (const line of [...summary, '', `Files (${files.length}):`, ...fileListing(files)]) io.out(line);
    } else if (prompts && !(await prompts.confirmCreate(summary, io.out))) {
      io.out('Nothing was written.');
      return 1;
    }
  }
  if (options.saveAnswers) {
    writeAnswersFile(options.saveAnswers, answers);
    io.out(`✔ Saved the answers to ${options.saveAnswers}: create-platform --answers ${options.saveAnswers} creates this platform again`);
  }
  if (options.dryRun) {
    io.out('');
    io.out(`Dry run: nothing was written${options.saveAnswers ? ' but the answers file' : ''}.`);
    return 0;
  }

  const untouched = existsSync(target) ? `${shownPath(target)} was left as it was` : `${shownPath(target)} was not created`;
  try {
    const generated = await generate({ answers, target, kitSource, install, progress: createProgress(Boolean(io.interactive), io.out) });
    report(io, platform, target, generated, install);
    return 0;
  } catch (e) {
    if (e instanceof Interrupted) {
      io.err(`Interrupted (${e.signal}): ${untouched}.`);
      if (prompts) io.err(keptAnswers(answers));
      return e.exitCode;
    }
    if (e instanceof StepFailed) {
      io.err(`create-platform: ${e.message}`);
      io.err(`Nothing was written: ${untouched}.`);
      if (prompts) io.err(keptAnswers(answers));
      return 1;
    }
    throw e;
  }
}
