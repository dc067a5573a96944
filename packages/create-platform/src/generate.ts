import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, closeSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { constants, tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import type { AnswersInput } from '@platform-kit/config';
import { KIT_PACKAGES, KIT_TARBALLS_DIR, KIT_VERSION, PlatformProject, tarballName } from '@platform-kit/projen';
import { moveIntoPlace, planFiles, type Placed, type PlannedFile } from './placement';
import type { Progress } from './progress';

/** A run stopped by a signal (Ctrl-C, kill): exit code 128 + the signal's number, as shells report it. */
export class Interrupted extends Error {
  constructor(readonly signal: NodeJS.Signals) {
    super(`interrupted by ${signal}`);
    this.name = 'Interrupted';
  }
  get exitCode(): number {
    return 128 + (constants.signals[this.signal] ?? constants.signals.SIGINT);
  }
}

/** A step of the new repo (npm install, synth) that failed: its message ends with the full log's path. */
export class StepFailed extends Error {
  constructor(
    message: string,
    readonly log: string,
  ) {
    super(message);
    this.name = 'StepFailed';
  }
}

const SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/**
 * Holds the signals that would end the process while a repo is generated, so that the run stops its child,
 * removes its staging directory and says so, instead of leaving half a repo behind.
 */
class SignalGuard {
  received?: NodeJS.Signals;
  child?: ChildProcess;
  private readonly handler = (signal: NodeJS.Signals) => {
    this.received ??= signal;
    this.child?.kill('SIGTERM');
  };
  constructor() {
    for (const signal of SIGNALS) process.on(signal, this.handler);
  }
  /** Lets a signal that arrived during synchronous work be handled, then stops if one did. */
  async checkpoint(): Promise<void> {
    await new Promise((resolve) => setImmediate(resolve));
    if (this.received) throw new Interrupted(this.received);
  }
  dispose(): void {
    for (const signal of SIGNALS) process.removeListener(signal, this.handler);
  }
}

/**
 * Copies the kit's tarballs of this version from a --kit-source folder into the repo's .platform-kit/, where
 * package.json points (relative paths: the repo works wherever it is cloned). Returns the repo-relative folder.
 */
export function copyKitTarballs(kitSource: string, outdir: string, version = KIT_VERSION): string {
  const dir = join(outdir, KIT_TARBALLS_DIR);
  mkdirSync(dir, { recursive: true });
  for (const pkg of KIT_PACKAGES) copyFileSync(join(kitSource, tarballName(pkg, version)), join(dir, tarballName(pkg, version)));
  return KIT_TARBALLS_DIR;
}

/** Synthesizes the platform repo into `outdir` without installing anything. */
export function synthesizeProject(answers: AnswersInput, outdir: string, kitSource?: string): PlatformProject {
  const previous = process.env.PROJEN_DISABLE_POST;
  process.env.PROJEN_DISABLE_POST = 'true'; // installing is a step of its own (--skip-install)
  try {
    const project = new PlatformProject({ answers, outdir, kitSource: kitSource && copyKitTarballs(kitSource, outdir) });
    project.synth();
    return project;
  } finally {
    if (previous === undefined) delete process.env.PROJEN_DISABLE_POST;
    else process.env.PROJEN_DISABLE_POST = previous;
  }
}

/** The files a run would write into `target` and what each does there, from a synth into a scratch directory. */
export function previewFiles(answers: AnswersInput, target: string, kitSource?: string): PlannedFile[] {
  const scratch = mkdtempSync(join(tmpdir(), 'create-platform-preview-'));
  try {
    synthesizeProject(answers, scratch, kitSource);
    return planFiles(scratch, target);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** Runs a command in the staged repo, its output appended to `log`; the failure message quotes the end of it. */
function runLogged(guard: SignalGuard, cwd: string, command: string, args: string[], log: string): Promise<void> {
  const line = `${command} ${args.join(' ')}`;
  appendFileSync(log, `$ ${line}\n`);
  const offset = statSync(log).size;
  return new Promise((resolve, reject) => {
    const fd = openSync(log, 'a');
    const child = spawn(command, args, { cwd, stdio: ['ignore', fd, fd], env: { ...process.env, PROJEN_DISABLE_POST: undefined } });
    guard.child = child;
    child.on('error', (e) => reject(new StepFailed(`${line} could not start: ${e.message}. Full log: ${log}`, log)));
    child.on('close', (code, signal) => {
      closeSync(fd);
      guard.child = undefined;
      const settle = () => {
        if (guard.received) return reject(new Interrupted(guard.received));
        if (code === 0) return resolve();
        const tail = readFileSync(log).subarray(offset).toString('utf8').trim().split('\n').slice(-15).join('\n');
        reject(new StepFailed(`${line} failed (${signal ?? `exit ${code}`}). Its last lines:\n${tail}\nFull log: ${log}`, log));
      };
      // Ctrl-C at a terminal signals the child and this process together: let ours arrive before deciding.
      if (signal || (code ?? 0) > 128) setTimeout(settle, 200);
      else settle();
    });
  });
}

export interface GenerateOptions {
  readonly answers: AnswersInput;
  readonly target: string;
  readonly kitSource?: string;
  /** npm install and the first synth, in the staged repo. */
  readonly install: boolean;
  readonly progress: Progress;
}

export interface Generated extends Placed {
  readonly files: PlannedFile[];
  /** The synthesized stacks (after the first synth). */
  readonly stacks: string[];
}

/**
 * Generates the repo in a staging directory beside the target (same filesystem), installs and synthesizes it
 * there, and only then moves it into place. A failure or a signal before that move removes the staging
 * directory and leaves the target as it was; the move itself runs to its end.
 */
export async function generate(options: GenerateOptions): Promise<Generated> {
  const { answers, target, kitSource, progress } = options;
  const guard = new SignalGuard();
  mkdirSync(dirname(target), { recursive: true });
  const staging = mkdtempSync(join(dirname(target), `.${basename(target)}.create-platform-`));
  const removeStaging = () => rmSync(staging, { recursive: true, force: true });
  process.once('exit', removeStaging); // the last resort: an uncaught error
  let logDir: string | undefined;
  try {
    const files = await progress.step(
      'Writing files',
      async () => {
        synthesizeProject(answers, staging, kitSource);
        return planFiles(staging, target);
      },
      (f) => `Wrote ${f.length} files`,
    );
    await guard.checkpoint();

    let stacks: string[] = [];
    if (options.install) {
      logDir = mkdtempSync(join(tmpdir(), 'create-platform-'));
      const log = join(logDir, 'create-platform.log');
      await progress.step('Installing dependencies', () => runLogged(guard, staging, 'npm', ['install', '--no-audit', '--no-fund'], log), () => 'Installed dependencies');
      stacks = await progress.step(
        'Synthesizing stacks',
        async () => {
          await runLogged(guard, staging, 'npx', ['projen', 'synth'], log);
          const dir = join(staging, 'cdktf.out', 'stacks');
          return existsSync(dir) ? readdirSync(dir).sort() : [];
        },
        (s) => `Synthesized ${s.length} stacks`,
      );
      await guard.checkpoint();
    }
    const placed = moveIntoPlace(staging, target); // synchronous: a signal now waits until the repo is in place
    if (logDir) rmSync(logDir, { recursive: true, force: true }); // kept only when a step failed
    return { files, stacks, ...placed };
  } finally {
    removeStaging();
    process.removeListener('exit', removeStaging);
    guard.dispose();
  }
}
