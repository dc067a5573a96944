import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { resolvePlatform, supportingPlan } from '@platform-kit/config';
import { parse } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { CLI, KIT_ROOT, tempDir, terraformAvailable, terraformValidate, validatableOffline } from './helpers';

/*
 * The whole path a user takes: an answers file goes in, create-platform writes and installs a platform repo
 * from this checkout's tarballs, the repo's `npx projen` and synth task run, and every stack validates.
 */
describe('create-platform end to end', () => {
  let repo: string;
  const run = (cmd: string, args: string[], cwd = repo) =>
    execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: 'pipe', env: { ...process.env, CI: 'true' } });

  beforeAll(() => {
    repo = join(tempDir('e2e'), 'acme-platform');
    // --kit-source with the checkout: create-platform packs the compiled packages (npm test compiles first).
    const out = run('node', [CLI, repo, '--answers', join(KIT_ROOT, 'test/fixtures/answers.yaml'), '--kit-source', KIT_ROOT], KIT_ROOT);
    expect(out).toContain('Installed dependencies');
    run('git', ['init', '-q']);
    run('git', ['add', '-A']);
    run('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '-qm', 'generated']);
  });

  it('installs the kit packages at the kit version', () => {
    const version = JSON.parse(readFileSync(join(KIT_ROOT, 'packages/projen/package.json'), 'utf8')).version;
    for (const pkg of ['config', 'constructs', 'projen'])
      expect(JSON.parse(readFileSync(join(repo, 'node_modules/@platform-kit', pkg, 'package.json'), 'utf8')).version).toBe(version);
  });

  it("re-running the repo's own npx projen changes no file", () => {
    run('npx', ['projen']);
    expect(run('git', ['status', '--porcelain'])).toBe('');
  });

  it('the synth task writes cdktf.out/stacks/<stack>/cdk.tf.json for every stack', () => {
    run('npx', ['projen', 'synth']);
    const stacks = readdirSync(join(repo, 'cdktf.out/stacks')).sort();
    expect(stacks).toEqual(
      ['bootstrap', 'shared', ...['dev', 'staging', 'prod'].flatMap((env) => [`${env}-network`, `${env}-cluster`, `${env}-services-aws`, `${env}-services`])].sort(),
    );
    for (const stack of stacks) expect(existsSync(join(repo, 'cdktf.out/stacks', stack, 'cdk.tf.json'))).toBe(true);
    const shared = JSON.parse(readFileSync(join(repo, 'cdktf.out/stacks/shared/cdk.tf.json'), 'utf8'));
    expect(Object.values(shared.resource.aws_ecr_repository).map((r: any) => r.name).sort()).toEqual(['acme-platform/api', 'acme-platform/worker']);
  });

  it('the synthesized stacks break none of the security rules', () => {
    // The rules as the repo itself has them: from its installed @platform-kit/constructs.
    const script = "const c = require('@platform-kit/constructs'); console.log(JSON.stringify(c.evaluate(c.readSynthesized('cdktf.out'))))";
    expect(JSON.parse(run('node', ['-e', script]))).toEqual([]);
  });

  it('writes the Helm values of every supporting service: managed base files and user-owned overrides', () => {
    for (const env of ['dev', 'staging', 'prod']) {
      const files = readdirSync(join(repo, 'helm', env));
      expect(files).toContain('kratos.yaml');
      expect(files).toContain('kratos.overrides.yaml');
      expect(files.filter((f) => !f.endsWith('.overrides.yaml'))).toHaveLength(14);
    }
    expect(existsSync(join(repo, 'charts/platform/Chart.yaml'))).toBe(true);
  });

  it('no generated file, synthesized stack included, holds a secret value', () => {
    // Secrets are generated in Secrets Manager at apply time: the repo may name them, never hold a value.
    const answers = parse(readFileSync(join(KIT_ROOT, 'test/fixtures/answers.yaml'), 'utf8'));
    const platform = resolvePlatform(answers);
    const keys = new Set(platform.environments.flatMap((e) => supportingPlan(platform, e).secrets.flatMap((s) => [...Object.keys(s.generated), ...(s.dsn ? [s.dsn.key] : [])])));
    expect([...keys]).toEqual(expect.arrayContaining(['password', 'secretsCookie', 'admin-password', 'dsn']));
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const entry of readdirSync(dir)) {
        if (['node_modules', '.git', '.terraform'].includes(entry)) continue;
        const path = join(dir, entry);
        if (statSync(path).isDirectory()) walk(path);
        else files.push(path);
      }
    };
    walk(repo);
    expect(files.some((f) => f.includes('cdktf.out'))).toBe(true);
    const literal = new RegExp(`["']?(${[...keys].join('|')})["']?\\s*[:=]\\s*["']?(?!\\$\\{)[A-Za-z0-9+/]{16,}`);
    const dsnWithPassword = /postgres(ql)?:\/\/\w+:(?!\$\{)[^@\s"']+@/;
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      expect(text, relative(repo, file)).not.toMatch(literal);
      expect(text, relative(repo, file)).not.toMatch(dsnWithPassword);
    }
  });

  it.skipIf(!terraformAvailable)('every AWS stack passes terraform validate (the Helm stacks need a provider the mirror lacks)', () => {
    const stacks = readdirSync(join(repo, 'cdktf.out/stacks'));
    const offline = stacks.filter((stack) => validatableOffline(join(repo, 'cdktf.out/stacks', stack)));
    expect(stacks.filter((s) => !offline.includes(s)).sort()).toEqual(['dev-services', 'prod-services', 'staging-services']);
    for (const stack of offline) {
      const result = terraformValidate(join(repo, 'cdktf.out/stacks', stack));
      expect(result, stack).toMatchObject({ valid: true });
    }
  }, 300_000);
});
