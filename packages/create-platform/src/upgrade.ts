import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { compareVersions, KIT_TARBALLS_DIR, tarballName, type Migration } from '@platform-kit/projen';
import { UsageError } from './errors';
import { listFiles, sameFile } from './fs-safe';
import { copyKitTarballs } from './generate';
import { resolveKitSource } from './kit-source';
import { parseOptions } from './options';
import type { Io } from './cli';

/*
 * `create-platform upgrade`, run inside a generated repo: stages the repo with the target kit version in a
 * scratch directory (install, `npx projen`), shows what would change (files, catalogue versions, release
 * notes) and, without --dry-run, copies exactly those changes in and installs. The repo is not touched
 * until the staged upgrade has succeeded, and never by a dry run.
 */

/** Installed or generated output, not part of the repo's reviewed files. */
const NOT_COMPARED = new Set(['node_modules', 'cdktf.out', '.git', '.terraform', '.gen']);

export interface UpgradeOptions {
  readonly to?: string;
  /** As given: a kit checkout or a folder of tarballs; default: the `kitSource` of the repo's .projenrc.ts. */
  readonly kitSource?: string;
  readonly dryRun: boolean;
  readonly dir: string;
  readonly help?: boolean;
}

export function upgradeHelp(): string {
  return [
    'Usage: create-platform upgrade [--to VERSION] [--kit-source PATH] [--dry-run]   (inside a platform repo)',
    '',
    'Upgrades the platform repo to another platform-kit version: stages it with that version (install, migrations,',
    'npx projen, npx projen synth), shows the file, version and release-note changes, then applies exactly those.',
    '',
    'Options:',
    '  --to VERSION         the version to upgrade to (default: the newest in --kit-source, else on the npm registry)',
    '  --kit-source PATH    install @platform-kit packages from a kit checkout or a folder of tarballs, as create does',
    "                       (default: the kitSource saved in .projenrc.ts, if any)",
    '  --dry-run            show what would change, change nothing',
    '  -h, --help           show this help',
    '',
    'Exit status: 0 upgraded (or nothing to do), 1 the upgrade failed (the repo is untouched), 2 usage error.',
  ].join('\n');
}

/** The `kitSource` a repo made with --kit-source saved in its .projenrc.ts, resolved from the repo. */
export function savedKitSource(repo: string): string | undefined {
  const file = join(repo, '.projenrc.ts');
  if (!existsSync(file)) return undefined;
  const match = KIT_SOURCE_LINE.exec(readFileSync(file, 'utf8'));
  return match ? resolve(repo, JSON.parse(match[2]) as string) : undefined;
}

/** The `kitSource: "..."` line of a .projenrc.ts (renderProjenrc writes it as a JSON string): its start, its value. */
const KIT_SOURCE_LINE = /^(\s*kitSource:\s*)("(?:[^"\\]|\\.)*")/m;

export interface FileChange {
  readonly path: string;
  readonly change: 'added' | 'changed' | 'removed';
}

export interface VersionChange {
  readonly key: string;
  readonly from?: string;
  readonly to?: string;
}

const versionOf = (repo: string, pkg: string): string | undefined => {
  try {
    return JSON.parse(readFileSync(join(repo, 'node_modules', pkg, 'package.json'), 'utf8')).version;
  } catch {
    return undefined;
  }
};


function run(cwd: string, command: string, args: string[]): void {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', env: { ...process.env, PROJEN_DISABLE_POST: undefined } });
  if (result.status !== 0)
    throw new Error(`${command} ${args.join(' ')} failed in ${cwd} (exit ${result.status ?? result.signal}):\n${`${result.stdout}${result.stderr}`.trim().split('\n').slice(-20).join('\n')}`);
}

/** The target version: --to, else the newest tarball in --kit-source, else the newest on the npm registry. */
function targetVersion(options: UpgradeOptions): string {
  if (options.to) return options.to;
  if (options.kitSource) {
    const versions = readdirSync(options.kitSource)
      .map((f) => /^platform-kit-projen-(\d+\.\d+\.\d+(?:-[\w.]+)?)\.tgz$/.exec(f)?.[1])
      .filter((v): v is string => v !== undefined)
      .sort(compareVersions);
    if (!versions.length) throw new UsageError(`--kit-source ${options.kitSource} holds no platform-kit-projen-<version>.tgz.`);
    return versions[versions.length - 1];
  }
  const view = spawnSync('npm', ['view', '@platform-kit/projen', 'version'], { encoding: 'utf8' });
  if (view.status !== 0) throw new Error(`cannot ask the npm registry for the latest platform-kit: ${view.stderr.trim()}`);
  return view.stdout.trim();
}

/** How to install a kit package at a version: from the registry, or from its tarball in the repo's .platform-kit/. */
function spec(pkg: string, version: string, kitSource?: string): string {
  if (!kitSource) return version;
  const file = join(kitSource, tarballName(pkg, version));
  if (!existsSync(file)) throw new UsageError(`--kit-source has no ${relative(process.cwd(), file)} for version ${version}.`);
  return `file:${KIT_TARBALLS_DIR}/${tarballName(pkg, version)}`;
}

/**
 * A repo upgraded from local tarballs keeps those of the new version in .platform-kit/ (the old ones go), and its
 * .projenrc.ts names that folder: relative, so that the repo installs wherever it is cloned (repos made before 0.1
 * named an absolute path).
 */
function stageKitTarballs(staged: string, kitSource: string, version: string): string | undefined {
  rmSync(join(staged, KIT_TARBALLS_DIR), { recursive: true, force: true });
  copyKitTarballs(kitSource, staged, version);
  const projenrc = join(staged, '.projenrc.ts');
  const text = readFileSync(projenrc, 'utf8');
  const relative = text.replace(KIT_SOURCE_LINE, `$1${JSON.stringify(KIT_TARBALLS_DIR)}`);
  if (relative === text) return undefined;
  writeFileSync(projenrc, relative);
  return `.projenrc.ts: kitSource is now ${JSON.stringify(KIT_TARBALLS_DIR)}, the repo's copy of the kit's tarballs`;
}

/** Every leaf of a catalogue as `dotted.key -> value`. */
function flatten(value: unknown, prefix = ''): Record<string, string> {
  if (value === null || typeof value !== 'object') return { [prefix]: String(value) };
  return Object.assign({}, ...Object.entries(value).map(([k, v]) => flatten(v, prefix ? `${prefix}.${k}` : k)));
}

/** The migrations of the @platform-kit/projen installed in a repo: the target kit's, which know what it changed. */
function targetKit(repo: string): { pendingMigrations: (from: string, to: string) => Migration[] } {
  return createRequire(join(repo, 'package.json'))('@platform-kit/projen');
}

/** The catalogue of the @platform-kit/config installed in a repo. */
function catalogueOf(repo: string): Record<string, string> {
  // That exact copy, not the one this command runs with.
  const load = createRequire(join(repo, 'package.json'));
  const { catalogue, allCharts } = load('@platform-kit/config') as { catalogue: Record<string, unknown>; allCharts?: () => Record<string, unknown> };
  // Since the supporting services became modules, their charts are pinned in their modules: allCharts() has both.
  const flat = flatten({ ...catalogue, charts: allCharts?.() ?? catalogue.charts });
  delete flat.checked;
  return flat;
}

export function versionChanges(from: Record<string, string>, to: Record<string, string>): VersionChange[] {
  return [...new Set([...Object.keys(from), ...Object.keys(to)])].sort().filter((key) => from[key] !== to[key]).map((key) => ({ key, from: from[key], to: to[key] }));
}

/** The sections of a changesets CHANGELOG.md for versions after `from`, up to `to`. */
export function releaseNotes(changelog: string, from: string, to: string): string {
  const sections = changelog.split(/^(?=## )/m).filter((s) => s.startsWith('## '));
  return sections
    .filter((s) => {
      const version = /^## (\S+)/.exec(s)?.[1] ?? '';
      return compareVersions(version, from) > 0 && compareVersions(version, to) <= 0;
    })
    .join('')
    .trim();
}

/** The repo's files, without installed or generated output. */
function comparedFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => !NOT_COMPARED.has(entry.name))
    .flatMap((entry) => (entry.isDirectory() ? listFiles(join(dir, entry.name)).map((f) => `${entry.name}/${f}`) : [entry.name]))
    .sort();
}

export function fileChanges(repo: string, staged: string): FileChange[] {
  const before = new Set(comparedFiles(repo));
  const after = new Set(comparedFiles(staged));
  return [...new Set([...before, ...after])]
    .sort()
    .flatMap((path): FileChange[] => {
      if (!before.has(path)) return [{ path, change: 'added' }];
      if (!after.has(path)) return [{ path, change: 'removed' }];
      return sameFile(join(repo, path), join(staged, path)) ? [] : [{ path, change: 'changed' }];
    });
}

export function parseUpgradeArgs(argv: string[], cwd = process.cwd()): UpgradeOptions {
  const { values } = parseOptions(
    argv,
    { to: { type: 'string' }, 'kit-source': { type: 'string' }, 'dry-run': { type: 'boolean', default: false }, help: { type: 'boolean', short: 'h', default: false } },
    'create-platform upgrade --help',
  );
  const to = values.to as string | undefined;
  if (to !== undefined && !/^\d+\.\d+\.\d+(-[\w.]+)?$/.test(to)) throw new UsageError(`--to ${to} is not a version. Use e.g. --to 1.4.0.`);
  return { to, kitSource: values['kit-source'] as string | undefined, dryRun: values['dry-run'] as boolean, dir: cwd, help: values.help as boolean };
}

/** A unified diff of one file between the repo and the staged upgrade (git's, which works outside a repository). */
function filePatch(repo: string, staged: string, file: FileChange): string {
  const side = (root: string, present: boolean) => (present ? join(root, file.path) : '/dev/null');
  const result = spawnSync('git', ['diff', '--no-index', '--no-color', '--', side(repo, file.change !== 'added'), side(staged, file.change !== 'removed')], { encoding: 'utf8' });
  if (result.error) return `  (${file.path}: install git to see the diff)`;
  // Paths relative to the repo, as in a normal diff.
  return result.stdout.split(`${repo}/`).join('/').split(`${staged}/`).join('/').trimEnd();
}

export async function upgrade(given: UpgradeOptions, io: Io): Promise<number> {
  if (given.help) {
    io.out(upgradeHelp());
    return 0;
  }
  const repo = given.dir;
  // The same forms as create's --kit-source (a checkout is packed), any version; else the one the repo was made with.
  const source = given.kitSource ? resolve(given.kitSource) : savedKitSource(repo);
  if (source && !given.kitSource && !existsSync(source))
    throw new UsageError(`the kitSource in .projenrc.ts, ${source}, does not exist. Give --kit-source, or remove kitSource from .projenrc.ts to use the npm registry.`);
  const options: UpgradeOptions = { ...given, kitSource: source && resolveKitSource(source, { anyVersion: true }) };
  if (!existsSync(join(repo, '.projenrc.ts')) || !existsSync(join(repo, '.projen/files.json')))
    throw new UsageError(`${repo} is not a generated platform repo (no .projenrc.ts and .projen/files.json). Run create-platform upgrade inside one.`);
  const from = versionOf(repo, '@platform-kit/projen');
  if (!from) throw new UsageError('the @platform-kit packages are not installed here: run npm install first.');
  const to = targetVersion(options);
  if (compareVersions(to, from) === 0) {
    io.out(`Already on platform-kit ${from}.`);
    return 0;
  }

  const scratch = mkdtempSync(join(tmpdir(), 'platform-upgrade-'));
  const staged = join(scratch, 'repo');
  try {
    io.out(`Staging platform-kit ${from} -> ${to} in ${staged} ...`);
    cpSync(repo, staged, { recursive: true, filter: (src) => !NOT_COMPARED.has(relative(repo, src).split('/')[0]) });
    // The installed dependencies too: npm install then changes only what the new versions change, instead of
    // installing every package again (most of an upgrade's time).
    if (existsSync(join(repo, 'node_modules'))) cpSync(join(repo, 'node_modules'), join(staged, 'node_modules'), { recursive: true, verbatimSymlinks: true });
    // All three at once, where package.json has them: each depends on the others at the same version.
    const kitNote = options.kitSource ? stageKitTarballs(staged, options.kitSource, to) : undefined;
    const pkgFile = join(staged, 'package.json');
    const pkg = JSON.parse(readFileSync(pkgFile, 'utf8'));
    for (const section of ['dependencies', 'devDependencies'])
      for (const name of Object.keys(pkg[section] ?? {})) if (name.startsWith('@platform-kit/')) pkg[section][name] = spec(name, to, options.kitSource);
    writeFileSync(pkgFile, `${JSON.stringify(pkg, null, 2)}\n`);
    run(staged, 'npm', ['install', '--no-audit', '--no-fund']);
    // The target kit's migrations rewrite the user-owned files it restructures; then it regenerates every
    // managed file (package.json included) from .projenrc.ts.
    const migrations = targetKit(staged).pendingMigrations(from, to);
    const migrated = migrations.map((m) => `  ${m.version} ${m.id}: ${m.description}\n    ${m.run({ repo: staged })}`);
    run(staged, 'npx', ['projen']);
    // Every stack must still synthesize with the new kit before the repo is touched.
    run(staged, 'npx', ['projen', 'synth']);

    const files = fileChanges(repo, staged);
    const versions = versionChanges(catalogueOf(repo), catalogueOf(staged));
    const changelog = join(staged, 'node_modules/@platform-kit/projen/CHANGELOG.md');
    const notes = existsSync(changelog) ? releaseNotes(readFileSync(changelog, 'utf8'), from, to) : '';

    io.out('');
    io.out(`Files (${files.length}):`);
    for (const f of files) io.out(`  ${f.change.padEnd(8)} ${f.path}`);
    io.out('');
    io.out('Diff (package-lock.json left out):');
    for (const f of files.filter((f) => f.path !== 'package-lock.json')) io.out(filePatch(repo, staged, f));
    io.out('');
    io.out(`Migrations (${migrations.length}):`);
    for (const line of migrated) io.out(line);
    if (kitNote) io.out(`  ${kitNote}`);
    io.out('');
    io.out(`Versions (${versions.length} changed):`);
    for (const v of versions) io.out(`  ${v.key}: ${v.from ?? '(none)'} -> ${v.to ?? '(removed)'}`);
    io.out('');
    io.out(`Release notes ${from} -> ${to}:`);
    io.out(notes || '  (none published with the packages)');

    if (options.dryRun) {
      io.out('');
      io.out('Dry run: nothing was changed. Run without --dry-run to upgrade.');
      return 0;
    }
    // The staged repo is complete: copy exactly the changes shown, then install what package-lock.json says.
    for (const { path, change } of files) {
      const target = join(repo, path);
      rmSync(target, { force: true });
      if (change === 'removed') continue;
      mkdirSync(dirname(target), { recursive: true });
      copyFileSync(join(staged, path), target);
      chmodSync(target, statSync(join(staged, path)).mode & 0o777); // managed files stay read-only
    }
    run(repo, 'npm', ['install', '--no-audit', '--no-fund']);
    io.out('');
    io.out(`✔ Upgraded to platform-kit ${to}: ${files.length} files changed. Review them (git diff), then npx projen synth.`);
    return 0;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
