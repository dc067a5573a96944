import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A directory of this test run where test/installed-repo.ts keeps the one installed platform repo. */
    sharedDir: string;
  }
}

/**
 * Once per `vitest run`: a directory for the run, removed when it ends. It is the run's TMPDIR too, which the test
 * workers and every process they start inherit, so the temporary repos, outdirs and installs of the tests (hundreds
 * of megabytes a run) go with it. `sharedDir` in it is where the test files share their one installed repo.
 */
export default function setup(project: TestProject) {
  const run = mkdtempSync(join(tmpdir(), 'platform-kit-run-'));
  const shared = join(run, 'shared');
  mkdirSync(shared);
  process.env.TMPDIR = run;
  project.provide('sharedDir', shared);
  return () => rmSync(run, { recursive: true, force: true });
}
