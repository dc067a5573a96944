import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KIT_ROOT } from './helpers';
import { startRegistry, type LocalRegistry } from './local-registry';

/*
 * The path users take: the kit published to an npm registry (Verdaccio on loopback, test/local-registry.ts) the way
 * release.yml publishes it, then `npx create-platform@<version>` from that registry in an empty directory with an empty
 * npm cache, and the generated repo installed from it with `npm ci`. Nothing comes from this checkout but through the
 * registry: a wrong `files` list, a missing dependency or a bin without its shebang fails here.
 */

const VERSION: string = JSON.parse(readFileSync(join(KIT_ROOT, 'packages/create-platform/package.json'), 'utf8')).version;
const KIT = ['@platform-kit/config', '@platform-kit/constructs', '@platform-kit/projen', 'create-platform'];

describe('the kit from a real npm registry', { timeout: 600_000 }, () => {
  let registry: LocalRegistry;
  let work: string;
  let published: string;
  const run = (cmd: string, args: string[], cwd: string) => spawnSync(cmd, args, { cwd, env: registry.env, encoding: 'utf8' });

  beforeAll(async () => {
    registry = await startRegistry();
    work = mkdtempSync(join(tmpdir(), 'from-registry-'));
    published = registry.publish();
  }, 300_000);

  afterAll(() => {
    registry?.stop();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('publishes every package with release:publish, at the kit version, and tags nothing', () => {
    for (const name of KIT) {
      expect(published).toContain(`${name}@${VERSION}`);
      const view = JSON.parse(execFileSync('npm', ['view', `${name}@${VERSION}`, '--json'], { env: registry.env, encoding: 'utf8' }));
      expect(view.dist.tarball.startsWith(registry.url)).toBe(true);
    }
    expect(execFileSync('git', ['tag', '--list', `*@${VERSION}`], { cwd: KIT_ROOT, encoding: 'utf8' })).toBe('');
  });

  describe('npx create-platform@<version> demo --yes, in an empty directory with an empty npm cache', () => {
    let repo: string;
    beforeAll(() => {
      const created = run('npx', ['--yes', `create-platform@${VERSION}`, 'demo', '--yes'], work);
      expect(created.status, `${created.stdout}\n${created.stderr}`).toBe(0);
      expect(created.stdout).toContain('Installed dependencies');
      repo = join(work, 'demo');
    }, 300_000);

    it('pins the kit at the published version and records no local path (package.json, lock file, .projenrc.ts)', () => {
      const manifest = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8'));
      const deps = { ...manifest.dependencies, ...manifest.devDependencies };
      for (const name of KIT.filter((n) => n !== 'create-platform')) expect(deps[name], name).toBe(VERSION);
      for (const file of ['package.json', 'package-lock.json', '.projenrc.ts']) {
        const text = readFileSync(join(repo, file), 'utf8');
        expect(text, file).not.toMatch(/file:|\.platform-kit/);
        expect(text, file).not.toContain(KIT_ROOT);
        expect(text, file).not.toContain(work);
      }
      // Each package of the lock file comes from the registry (npm writes where it resolved it).
      const lock = JSON.parse(readFileSync(join(repo, 'package-lock.json'), 'utf8'));
      const resolved = Object.values<{ resolved?: string }>(lock.packages).flatMap((p) => (p.resolved ? [p.resolved] : []));
      expect(resolved.length).toBeGreaterThan(0);
      expect(resolved.filter((r) => !r.startsWith(registry.url))).toEqual([]);
      expect(existsSync(join(repo, '.platform-kit'))).toBe(false);
      expect(readFileSync(join(repo, '.projenrc.ts'), 'utf8')).not.toContain('kitSource');
    });

    // `npm ci` from the registry is the first step of the weekly workflow, run below on a copy of this repo.
    it('synthesizes and passes policy', () => {
      expect(JSON.parse(readFileSync(join(repo, 'node_modules/@platform-kit/projen/package.json'), 'utf8')).version).toBe(VERSION);
      // create-platform ran the first synth; the policy task's check runs on its stacks (the task would synthesize again).
      expect(readdirSync(join(repo, 'cdktf.out/stacks'))).toHaveLength(14);
      const policy = run('npx', ['platform-policy'], repo);
      expect(policy.status, `${policy.stdout}\n${policy.stderr}`).toBe(0);
      expect(policy.stdout).toMatch(/14 stacks, \d+ rules: 0 violations/);
    });
  });

  describe('upgrading the generated repo from the registry, to a next version published by the test', () => {
    let repo: string;
    const NEXT = nextPatch(VERSION);
    const NOTE = `The docs say how this test release upgrades (${NEXT}).`;
    const git = (...args: string[]) => execFileSync('git', args, { cwd: repo, encoding: 'utf8' });

    beforeAll(() => {
      repo = join(work, 'demo');
      git('init', '-q', '-b', 'main');
      git('add', '-A');
      git('-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '-qm', 'Platform from create-platform');
      // A copy for the weekly workflow's steps below, before the upgrade changes the repo.
      // Without node_modules: the workflow's first step installs it with npm ci.
      cpSync(repo, join(work, 'demo-workflow'), { recursive: true, verbatimSymlinks: true, filter: (src) => !src.includes('/node_modules') });
      publishNext(registry, VERSION, NEXT, NOTE, join(work, 'next'));
    }, 300_000);

    let previewed: string[];
    it('upgrade --dry-run shows the changed files, the bumped chart and the release notes, and changes nothing', () => {
      const preview = run('npx', ['--yes', `create-platform@${NEXT}`, 'upgrade', '--dry-run'], repo);
      expect(preview.status, `${preview.stdout}\n${preview.stderr}`).toBe(0);
      expect(preview.stdout).toContain(`Staging platform-kit ${VERSION} -> ${NEXT}`);
      previewed = filesOf(preview.stdout);
      expect(previewed).toEqual(expect.arrayContaining(['docs/upgrade.md', 'package.json', 'package-lock.json', 'gitops/dev/applications/metrics-server.yaml']));
      expect(preview.stdout).toContain('charts.metrics-server.version: 3.13.1 -> 3.13.2');
      expect(preview.stdout).toContain(NOTE);
      expect(git('status', '--porcelain')).toBe('');
    });

    it('upgrade applies exactly the previewed files, and npx projen afterwards changes nothing', () => {
      const upgrade = run('npx', ['--yes', `create-platform@${NEXT}`, 'upgrade'], repo);
      expect(upgrade.status, `${upgrade.stdout}\n${upgrade.stderr}`).toBe(0);
      expect(filesOf(upgrade.stdout)).toEqual(previewed);
      const changed = git('status', '--porcelain').split('\n').filter(Boolean).map((l) => l.slice(3)).sort();
      expect(changed).toEqual([...previewed].sort());
      expect(readFileSync(join(repo, 'docs/upgrade.md'), 'utf8')).toContain(NOTE);
      // The bumped chart is what Argo CD installs now.
      expect(readFileSync(join(repo, 'gitops/dev/applications/metrics-server.yaml'), 'utf8')).toContain('targetRevision: 3.13.2');
      git('add', '-A');
      git('-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '-qm', `Upgrade platform-kit to ${NEXT}`);
      const projen = run('npx', ['projen'], repo);
      expect(projen.status, projen.stderr).toBe(0);
      expect(git('status', '--porcelain')).toBe('');
    });

    it("the weekly upgrade-platform.yml's script steps, run as GitHub would: npm ci from the registry, then the next version installed and the repo regenerated", () => {
      const copy = join(work, 'demo-workflow');
      const workflow = parse(readFileSync(join(copy, '.github/workflows/upgrade-platform.yml'), 'utf8'));
      const steps = (Object.values(workflow.jobs)[0] as { steps: { id?: string; name?: string; run?: string; if?: string }[] }).steps.filter((s) => s.run);
      expect(steps.map((s) => s.name)).toEqual(['Install', 'Install the latest platform-kit', 'Regenerate the managed files', 'Every stack still synthesizes']);
      const output = join(work, 'github-output');
      writeFileSync(output, '');
      for (const step of steps) {
        const outputs = Object.fromEntries(readFileSync(output, 'utf8').split('\n').filter(Boolean).map((l) => l.split('=') as [string, string]));
        // The conditions these steps have: the version changed.
        if (step.if) expect(step.if).toBe('steps.bump.outputs.before != steps.bump.outputs.after');
        if (step.if && outputs.before === outputs.after) continue;
        const result = spawnSync('bash', ['-e', '-c', step.run!], { cwd: copy, env: { ...registry.env, GITHUB_OUTPUT: output }, encoding: 'utf8' });
        expect(result.status, `${step.name}: ${result.stderr}`).toBe(0);
        // npm ci installed the lock file's versions, from the registry (the lock names it).
        if (step.name === 'Install') expect(JSON.parse(readFileSync(join(copy, 'node_modules/@platform-kit/projen/package.json'), 'utf8')).version).toBe(VERSION);
      }
      expect(readFileSync(output, 'utf8')).toBe(`before=${VERSION}\nafter=${NEXT}\n`);
      expect(readFileSync(join(copy, 'docs/upgrade.md'), 'utf8')).toContain(NOTE);
    });
  });

  it('npx create-platform@<version> with an answers file', () => {
    const created = run('npx', ['--yes', `create-platform@${VERSION}`, 'from-answers', '--answers', join(KIT_ROOT, 'test/fixtures/answers.yaml'), '--skip-install'], work);
    expect(created.status, `${created.stdout}\n${created.stderr}`).toBe(0);
    const projenrc = readFileSync(join(work, 'from-answers', '.projenrc.ts'), 'utf8');
    expect(projenrc).toContain('"acme-platform"');
    expect(projenrc).not.toContain('kitSource');
    expect(JSON.parse(readFileSync(join(work, 'from-answers', 'package.json'), 'utf8')).devDependencies['@platform-kit/projen']).toBe(VERSION);
  });
});

/** The next patch version: 0.3.1 -> 0.3.2 (a prerelease, 0.3.1-next.0, -> 0.3.1). */
function nextPatch(version: string): string {
  const [core, pre] = version.split('-');
  if (pre) return core;
  const [major, minor, patch] = core.split('.').map(Number);
  return `${major}.${minor}.${patch + 1}`;
}

/** The files an upgrade's output lists under "Files (n):". */
function filesOf(output: string): string[] {
  const lines = output.split('\n');
  const start = lines.findIndex((l) => /^Files \(\d+\):$/.test(l));
  const end = lines.findIndex((l, i) => i > start && l.trim() === '');
  return lines.slice(start + 1, end).map((l) => l.trim().split(/\s+/)[1]).sort();
}

/**
 * Publishes `next` of every kit package, made from this checkout's packages the way a release changes them: each
 * version and its @platform-kit dependencies bumped, a changed template (docs/upgrade.md of a platform repo gets a
 * line), a bumped chart (metrics-server 3.13.1 -> 3.13.2, its keys as before), and a release note in the changelog.
 */
function publishNext(registry: LocalRegistry, version: string, next: string, note: string, dir: string): void {
  mkdirSync(dir, { recursive: true });
  const edit = (file: string, change: (text: string) => string) => {
    const text = readFileSync(file, 'utf8');
    const changed = change(text);
    if (changed === text) throw new Error(`publishNext: ${file} did not change`);
    writeFileSync(file, changed);
  };
  for (const name of ['config', 'constructs', 'projen', 'create-platform']) {
    const [{ filename }] = JSON.parse(execFileSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', dir], { cwd: join(KIT_ROOT, 'packages', name), encoding: 'utf8' }));
    const pkg = join(dir, name);
    mkdirSync(pkg);
    execFileSync('tar', ['-xzf', join(dir, filename), '-C', pkg, '--strip-components', '1']);
    const manifest = JSON.parse(readFileSync(join(pkg, 'package.json'), 'utf8'));
    manifest.version = next;
    for (const dep of Object.keys(manifest.dependencies ?? {})) if (dep.startsWith('@platform-kit/')) manifest.dependencies[dep] = next;
    writeFileSync(join(pkg, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
    if (name === 'config') edit(join(pkg, 'lib/catalogue.js'), (t) => t.replace("chart: 'metrics-server', version: '3.13.1'", "chart: 'metrics-server', version: '3.13.2'"));
    if (name === 'constructs')
      edit(join(pkg, 'data/chart-keys.json'), (t) => {
        const keys = JSON.parse(t);
        return JSON.stringify({ ...keys, 'metrics-server@3.13.2': keys['metrics-server@3.13.1'] });
      });
    if (name === 'projen') {
      edit(join(pkg, 'templates/platform/upgrade.md.hbs'), (t) => `${t}\n${note}\n`);
      writeFileSync(join(pkg, 'CHANGELOG.md'), `# @platform-kit/projen\n\n## ${next}\n\n### Patch Changes\n\n- ${note}\n\n## ${version}\n\n- The version the repo was made with.\n`);
    }
    execFileSync('npm', ['publish', pkg, '--ignore-scripts'], { env: registry.env, stdio: 'pipe' });
  }
}
