import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { inject } from 'vitest';
import { CLI, KIT_ROOT } from './helpers';

const REPO = 'acme-platform';
const WAIT_MS = 600_000;

/**
 * A copy of the one platform repo this test run generates and installs: create-platform with test/fixtures/answers.yaml
 * and this checkout's packages (--kit-source: `npm test` compiles first). The end-to-end tests start from a copy
 * instead of each running create-platform and npm install; the first test file to ask makes it, under a lock, and the
 * others wait for it. The copy lives in another directory than the one it was installed in, so every test using it
 * also shows that a repo made with --kit-source works wherever it is cloned. Returns the copy and create's output;
 * both are removed when the run ends.
 */
export function installedRepo(prefix: string): { repo: string; createOutput: string } {
  const shared = inject('sharedDir');
  const template = join(shared, REPO);
  const ready = join(shared, 'create-output.txt');
  const failed = join(shared, 'create-failed.txt');
  try {
    mkdirSync(join(shared, 'lock'));
    try {
      const output = execFileSync('node', [CLI, template, '--answers', join(KIT_ROOT, 'test/fixtures/answers.yaml'), '--kit-source', KIT_ROOT], {
        cwd: KIT_ROOT,
        encoding: 'utf8',
        stdio: 'pipe',
        env: { ...process.env, CI: 'true' },
      });
      writeFileSync(ready, output);
    } catch (error: any) {
      writeFileSync(failed, `${error.message}\n${error.stdout ?? ''}${error.stderr ?? ''}`);
      throw error;
    }
  } catch (error: any) {
    if (error.code !== 'EEXIST') throw error;
    const deadline = Date.now() + WAIT_MS;
    while (!existsSync(ready)) {
      if (existsSync(failed)) throw new Error(`create-platform failed in another test file:\n${readFileSync(failed, 'utf8')}`, { cause: error });
      if (Date.now() > deadline) throw new Error(`No installed platform repo in ${shared} after ${WAIT_MS / 1000} s.`, { cause: error });
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 250);
    }
  }
  // In the run's directory too, which vitest's global setup removes at the end.
  const repo = join(mkdtempSync(join(shared, `${prefix}-`)), REPO);
  execFileSync('cp', ['-a', template, repo]);
  return { repo, createOutput: readFileSync(ready, 'utf8') };
}
