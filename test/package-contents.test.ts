import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { KIT_ROOT } from './helpers';

/*
 * What each package publishes, as `npm pack` sees it (npm test compiles first): what a consumer needs is there
 * (compiled JS, types, templates, bins, README, LICENSE, CHANGELOG once versioned), sources and tests are not, every
 * module the compiled code requires is a dependency, and no compiled file is left over from a source that is gone.
 */

interface Packed {
  name: string;
  version: string;
  size: number;
  unpackedSize: number;
  files: { path: string; size: number }[];
}

const PACKAGE_DIRS = ['config', 'constructs', 'projen', 'create-platform'];

/** `npm pack --dry-run --json` of a package: its tarball's files, without writing it. */
function packed(dir: string): Packed {
  const [result] = JSON.parse(execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: join(KIT_ROOT, 'packages', dir), encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }));
  return result;
}

/** Compiled files made at build time from something other than a source file of the same name. */
const GENERATED = ['lib/templates.precompiled.js', 'lib/providers/aws/', 'lib/providers/helm/'];

describe.each(PACKAGE_DIRS)('the published package of packages/%s', (dir) => {
  const root = join(KIT_ROOT, 'packages', dir);
  const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const pack = packed(dir);
  const files = pack.files.map((f) => f.path);

  it('holds what a consumer reads: package.json, README, LICENSE, the entry point and its types, the bins, the changelog once versioned', () => {
    const needed = ['package.json', 'README.md', 'LICENSE', manifest.main, manifest.types, ...Object.values<string>(manifest.bin ?? {})];
    if (existsSync(join(root, 'CHANGELOG.md'))) needed.push('CHANGELOG.md');
    for (const file of needed) expect(files, file).toContain(file);
    for (const bin of Object.values<string>(manifest.bin ?? {})) expect(readFileSync(join(root, bin), 'utf8').split('\n')[0], bin).toBe('#!/usr/bin/env node');
    // Every compiled module has its type declarations.
    for (const file of files.filter((f) => f.startsWith('lib/') && f.endsWith('.js') && !GENERATED.some((g) => f.startsWith(g))))
      expect(files, file).toContain(file.replace(/\.js$/, '.d.ts'));
  });

  it('holds no source, test, build configuration or compiled file whose source is gone', () => {
    expect(files.filter((f) => /^(src|test)\/|^tsconfig|^\.projen|\.tsbuildinfo$|\.test\.|^\.npmignore$/.test(f))).toEqual([]);
    const orphans = files.filter(
      (f) => f.startsWith('lib/') && f.endsWith('.js') && !GENERATED.some((g) => f.startsWith(g)) && !existsSync(join(root, f.replace(/^lib\//, 'src/').replace(/\.js$/, '.ts'))),
    );
    expect(orphans, 'compiled files without a source: a stale build (delete lib/ and compile again)').toEqual([]);
  });

  it('lists every module its compiled code requires as a dependency', () => {
    const declared = new Set([...Object.keys(manifest.dependencies ?? {}), ...Object.keys(manifest.peerDependencies ?? {}), manifest.name]);
    const builtins = new Set(builtinModules);
    const required = new Set<string>();
    for (const file of files.filter((f) => f.endsWith('.js')))
      for (const [, spec] of readFileSync(join(root, file), 'utf8').matchAll(/\brequire\(\s*["']([^"']+)["']\s*\)/g)) {
        if (spec.startsWith('.') || spec.startsWith('node:') || builtins.has(spec.split('/')[0])) continue;
        required.add(spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]);
      }
    expect(required.size).toBeGreaterThan(0);
    expect([...required].filter((m) => !declared.has(m)).sort()).toEqual([]);
  });
});
