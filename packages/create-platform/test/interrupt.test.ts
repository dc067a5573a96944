import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { KIT_PACKAGES, tarballName } from '@platform-kit/projen';
import { beforeAll, describe, expect, it } from 'vitest';
import { tempDir, tree } from './support';
import { CLI, KEY, Terminal } from './terminal';

/*
 * Signals and failures while a repo is generated: the target is absent (or, with --force, exactly as it
 * was) afterwards, and no staging directory is left beside it. The signals arrive during `npm install`, the
 * long step, with the kit installed from tarballs of this checkout (`npm test` compiles it first).
 */

const KIT_ROOT = resolve(__dirname, '../../..');
const tmp = () => tempDir('interrupt');

/** Starts the CLI without a terminal; resolves its output once `text` has been printed. */
function startCli(args: string[]) {
  const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (err += d));
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  const printed = (text: string) =>
    new Promise<void>((resolve, reject) => {
      const check = () => (out.includes(text) ? resolve() : undefined);
      child.stdout.on('data', check);
      exited.then(() => reject(new Error(`exited before printing ${text}:\n${out}\n${err}`)));
      check();
    });
  return { child, exited, printed, output: () => ({ out, err }) };
}

const settle = () => new Promise((r) => setTimeout(r, 1000)); // time for a straggling child to write

describe('create-platform interrupted or failing', { timeout: 120_000 }, () => {
  let tarballs: string;
  beforeAll(() => {
    tarballs = tmp();
    execFileSync('npm', ['pack', ...KIT_PACKAGES.flatMap((p) => ['-w', p]), '--pack-destination', tarballs, '--silent'], { cwd: KIT_ROOT, stdio: 'ignore' });
  });

  it('SIGTERM during npm install: the target is not created, nothing is left beside it (exit 143)', async () => {
    const parent = tmp();
    const run = startCli([join(parent, 'acme-platform'), '--yes', '--kit-source', tarballs]);
    await run.printed('… Installing dependencies');
    run.child.kill('SIGTERM');
    expect(await run.exited).toBe(143);
    expect(run.output().err).toContain('Interrupted (SIGTERM): ');
    expect(run.output().err).toContain('acme-platform was not created.');
    await settle();
    expect(readdirSync(parent)).toEqual([]);
  });

  it('Ctrl-C at the terminal during npm install: the same (exit 130)', async () => {
    const parent = tmp();
    const t = new Terminal(['acme-platform', '--yes', '--kit-source', tarballs], { cwd: parent });
    await t.waitFor('Installing dependencies');
    t.write(KEY.ctrlC);
    await t.waitFor('Interrupted (SIGINT): ./acme-platform was not created.');
    expect((await t.exited).exitCode).toBe(130);
    await settle();
    expect(readdirSync(parent)).toEqual([]);
  });

  it('a signal during a --force run into a directory with your files: every file as it was', async () => {
    const parent = tmp();
    const target = join(parent, 'existing');
    mkdirSync(join(target, 'notes'), { recursive: true });
    writeFileSync(join(target, 'README.md'), '# my notes\n');
    writeFileSync(join(target, 'notes', 'todo.txt'), 'keep me\n');
    const before = tree(target);
    const run = startCli([target, '--yes', '--name', 'acme-platform', '--force', '--kit-source', tarballs]);
    await run.printed('… Installing dependencies');
    run.child.kill('SIGINT');
    expect(await run.exited).toBe(130);
    expect(run.output().err).toContain('existing was left as it was.');
    await settle();
    expect(tree(target)).toEqual(before);
    expect(readdirSync(parent)).toEqual(['existing']);
  });

  it('a failing step: exit 1, its last lines and the full log named, nothing written', async () => {
    const parent = tmp();
    const broken = tmp();
    for (const pkg of KIT_PACKAGES) writeFileSync(join(broken, tarballName(pkg)), 'not a tarball');
    const run = startCli([join(parent, 'acme-platform'), '--yes', '--kit-source', broken]);
    expect(await run.exited).toBe(1);
    const { out, err } = run.output();
    expect(out).toContain('✖ Installing dependencies: stopped after');
    expect(err).toContain('npm install --no-audit --no-fund failed (exit');
    const log = /Full log: (\S+)/.exec(err)?.[1];
    expect(log && existsSync(log)).toBe(true);
    expect(readFileSync(log!, 'utf8')).toContain('$ npm install');
    expect(err).toContain('Nothing was written: ');
    expect(readdirSync(parent)).toEqual([]);
  });
});
