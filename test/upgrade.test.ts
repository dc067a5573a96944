import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { CLI, KIT_ROOT, tempDir } from './helpers';
import { installedRepo } from './installed-repo';

/*
 * An upgrade between two kit versions, end to end: a platform generated with this checkout (version N, from
 * its tarballs), the user's own edits committed, then a version N+1 built here from the compiled packages with
 * a changed template, a managed file the new version no longer writes, a bumped chart version and release
 * notes. `create-platform upgrade --dry-run` must show exactly what the upgrade then does, and the user's files
 * must come out byte for byte.
 */

const PACKAGES = ['config', 'constructs', 'projen'];
const NEXT = '0.1.0';
const env = { ...process.env, CI: 'true' };

let kit: string;
let repo: string;
const run = (cmd: string, args: string[], cwd = repo) => execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: 'pipe', env });
const git = (...args: string[]) => run('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args]);
const version = (pkg: string) => JSON.parse(readFileSync(join(repo, 'node_modules/@platform-kit', pkg, 'package.json'), 'utf8')).version;

/** Version N+1 of the kit, from the compiled packages: the three tarballs land beside version N's in `kit`. */
function buildNextVersion(current: string) {
  const next = tempDir('kit-next');
  for (const name of PACKAGES) {
    const dir = join(next, name);
    cpSync(join(KIT_ROOT, 'packages', name), dir, { recursive: true, filter: (src) => !/\/(node_modules|src|test)(\/|$)/.test(src.slice(join(KIT_ROOT, 'packages', name).length)) });
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    pkg.version = NEXT;
    for (const deps of [pkg.dependencies ?? {}, pkg.peerDependencies ?? {}]) for (const dep of Object.keys(deps)) if (dep.startsWith('@platform-kit/')) deps[dep] = NEXT;
    writeFileSync(join(dir, 'package.json'), JSON.stringify(pkg, null, 2));
  }
  const edit = (file: string, from: string | RegExp, to: string) => {
    const text = readFileSync(file, 'utf8');
    const changed = text.replace(from, to);
    if (changed === text) throw new Error(`${file}: nothing matched ${from}`);
    writeFileSync(file, changed);
  };
  // A changed template, a managed file the new version no longer writes, a bumped chart.
  edit(join(next, 'projen/templates/platform/deploy.md.hbs'), /^# Deploying (.*)$/m, '# Deploying $1\n\nThis platform was upgraded to platform-kit 0.1.0.');
  edit(join(next, 'projen/lib/platform-docs.js'), /^\s*\{ name: 'ci',.*$/m, '');
  edit(join(next, 'config/lib/supporting/redis/index.js'), "chart: 'valkey', version: '0.11.0'", "chart: 'valkey', version: '0.11.1'");
  writeFileSync(
    join(next, 'projen/CHANGELOG.md'),
    `# @platform-kit/projen\n\n## ${NEXT}\n\n### Minor Changes\n\n- Valkey chart 0.11.1; docs/ci.md is gone.\n\n## ${current}\n\n- The first release.\n`,
  );
  for (const name of PACKAGES) run('npm', ['pack', join(next, name), '--pack-destination', kit, '--silent'], next);
}

describe('create-platform upgrade, from this kit to a newer one', () => {
  const userEdits: Record<string, string> = {
    'README.md': '# Our platform\n\nOur notes.\n',
    'helm/dev/redis.overrides.yaml': 'replica:\n  replicas: 1\n',
    'services/api/Dockerfile': '# ours now\nFROM scratch\n',
  };
  let preview: string;
  let serviceFiles: string[];

  beforeAll(() => {
    const current = JSON.parse(readFileSync(join(KIT_ROOT, 'packages/projen/package.json'), 'utf8')).version;
    // Version N: the run's installed repo (test/installed-repo.ts). `kit` will hold version N+1's tarballs.
    kit = tempDir('kit');
    repo = installedRepo('upgrade').repo;
    // Our own code in src/main.ts (it must still synthesize), and files replaced outright.
    userEdits['src/main.ts'] = `${readFileSync(join(repo, 'src/main.ts'), 'utf8')}\n// Our own resources will go here.\n`;
    for (const [file, text] of Object.entries(userEdits)) writeFileSync(join(repo, file), text);
    serviceFiles = readdirSync(join(repo, 'services/api')).sort();
    git('init', '-q', '-b', 'main');
    git('add', '-A');
    git('commit', '-qm', 'platform with our edits');
    buildNextVersion(current);
    // The upgrade prints its preview before it applies it. (--dry-run, which stops there and changes nothing, is
    // run from the registry in test/registry.test.ts: one staging fewer here.)
    preview = run('node', [CLI, 'upgrade', '--kit-source', kit]);
    if (process.env.SHOW_PREVIEW) console.log(preview);
  });

  it('lists the file changes, the version changes and the release notes before it applies them', () => {
    expect(preview).toMatch(/^ {2}changed +docs\/deploy\.md$/m);
    expect(preview).toMatch(/^ {2}removed +docs\/ci\.md$/m);
    expect(preview).toContain('charts.valkey.version: 0.11.0 -> 0.11.1');
    // The target kit's migrations ran on the staged copy; the README is ours, so it was left alone.
    expect(preview).toContain('Migrations (1):');
    expect(preview).toContain('0.1.0 readme-files-and-upgrade');
    expect(preview).toContain('Files table edited by you, left as is');
    expect(preview).toContain('Valkey chart 0.11.1; docs/ci.md is gone.');
    // The diff itself, with paths relative to the repo.
    expect(preview).toContain('--- a/docs/deploy.md\n+++ b/docs/deploy.md');
    expect(preview).toContain('+This platform was upgraded to platform-kit 0.1.0.');
    expect(preview).toContain('--- a/docs/ci.md\n+++ /dev/null');
    expect(preview).not.toContain('The first release.');
    for (const file of Object.keys(userEdits)) expect(preview).not.toContain(` ${file}\n`);
  });

  it('makes exactly the listed file changes and installs the new version', () => {
    const changed = git('status', '--porcelain')
      .split('\n')
      .filter(Boolean)
      .map((line) => line.slice(3))
      .sort();
    const previewed = [...preview.matchAll(/^ {2}(?:added|changed|removed) +(\S+)$/gm)].map((m) => m[1]).sort();
    expect(changed).toEqual(previewed);
    for (const pkg of PACKAGES) expect(version(pkg)).toBe(NEXT);
    expect(readFileSync(join(repo, 'docs/deploy.md'), 'utf8')).toContain('This platform was upgraded to platform-kit 0.1.0.');
    expect(existsSync(join(repo, 'docs/ci.md'))).toBe(false);
  });

  it("leaves the user's files byte for byte as they were", () => {
    for (const [file, text] of Object.entries(userEdits)) expect(readFileSync(join(repo, file), 'utf8'), file).toBe(text);
    expect(readdirSync(join(repo, 'services/api')).sort()).toEqual(serviceFiles);
  });

  it('the upgraded repo passes the drift check: npx projen changes nothing', () => {
    git('add', '-A');
    git('commit', '-qm', 'upgrade');
    run('npx', ['projen']);
    expect(git('status', '--porcelain')).toBe('');
  });

  it('upgrading again to the same version is a no-op; a bad --to is a usage error', () => {
    expect(run('node', [CLI, 'upgrade', '--kit-source', kit])).toContain(`Already on platform-kit ${NEXT}.`);
    const bad = spawnSync('node', [CLI, 'upgrade', '--to', 'latest'], { cwd: repo, encoding: 'utf8' });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('--to latest is not a version');
  });
});
