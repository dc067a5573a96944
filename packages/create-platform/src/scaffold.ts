import { copyFileSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import type { AnswersInput } from '@platform-kit/config';
import { PlatformProject } from '@platform-kit/projen';

export interface ScaffoldOptions {
  readonly answers: AnswersInput;
  readonly target: string;
  readonly kitSource?: string;
}

export function isEmptyDir(dir: string): boolean {
  return !existsSync(dir) || (statSync(dir).isDirectory() && readdirSync(dir).length === 0);
}

function listFiles(dir: string, root = dir): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    return lstatSync(path).isDirectory() ? listFiles(path, root) : [relative(root, path)];
  });
}

/** Synthesizes the platform repo into `outdir` without installing anything. */
export function synthesizeProject(answers: AnswersInput, outdir: string, kitSource?: string): PlatformProject {
  const previous = process.env.PROJEN_DISABLE_POST;
  process.env.PROJEN_DISABLE_POST = 'true'; // installing is a step of its own (--skip-install)
  try {
    const project = new PlatformProject({ answers, outdir, kitSource });
    project.synth();
    return project;
  } finally {
    if (previous === undefined) delete process.env.PROJEN_DISABLE_POST;
    else process.env.PROJEN_DISABLE_POST = previous;
  }
}

/**
 * Writes the repo into a temporary sibling of the target, then moves it into place, so that a failure or
 * Ctrl-C leaves no half-written target. Returns the files written, relative to the target.
 */
export function scaffold(options: ScaffoldOptions): string[] {
  const parent = dirname(options.target);
  mkdirSync(parent, { recursive: true });
  const staging = mkdtempSync(join(parent, `.${basename(options.target)}.create-platform-`));
  const cleanup = () => rmSync(staging, { recursive: true, force: true });
  process.once('exit', cleanup);
  try {
    synthesizeProject(options.answers, staging, options.kitSource);
    const files = listFiles(staging).sort();
    if (!existsSync(options.target)) {
      renameSync(staging, options.target); // atomic on one filesystem
    } else {
      // An existing target (empty, or non-empty with --force, which the caller checks): copy file by file,
      // replacing the kit's own files. Nothing else already there is touched.
      for (const file of files) {
        const to = join(options.target, file);
        mkdirSync(dirname(to), { recursive: true });
        if (existsSync(to)) rmSync(to, { force: true }); // read-only managed files from an earlier run
        copyFileSync(join(staging, file), to);
      }
    }
    return files;
  } finally {
    cleanup();
    process.removeListener('exit', cleanup);
  }
}
