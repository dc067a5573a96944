import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { resolvePlatform, supportingPlan } from '@platform-kit/config';
import { parse, parseAllDocuments } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { installedRepo } from './installed-repo';
import { KIT_ROOT, kubectlAvailable, terraformAvailable, validatableOffline, validateStacks } from './helpers';
import { validateYamlDocuments } from './k8s-schemas';

/*
 * The whole path a user takes: an answers file goes in, create-platform writes and installs a platform repo
 * from this checkout's tarballs, the repo's `npx projen` and synth task run, and every stack validates.
 */
describe('create-platform end to end', () => {
  let repo: string;
  const run = (cmd: string, args: string[], cwd = repo) =>
    execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: 'pipe', env: { ...process.env, CI: 'true' } });

  beforeAll(() => {
    // --kit-source with the checkout: create-platform packs the compiled packages (npm test compiles first).
    const installed = installedRepo('e2e');
    repo = installed.repo;
    expect(installed.createOutput).toContain('Installed dependencies');
    run('git', ['init', '-q']);
    run('git', ['add', '-A']);
    run('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '-qm', 'generated']);
  });

  it('installs the kit packages at the kit version', () => {
    const version = JSON.parse(readFileSync(join(KIT_ROOT, 'packages/projen/package.json'), 'utf8')).version;
    for (const pkg of ['config', 'constructs', 'projen'])
      expect(JSON.parse(readFileSync(join(repo, 'node_modules/@platform-kit', pkg, 'package.json'), 'utf8')).version).toBe(version);
  });

  it('installs no provider package: the constructs carry the provider classes they use, and the install stays under 150 MB', () => {
    expect(existsSync(join(repo, 'node_modules/@cdktf/provider-aws'))).toBe(false);
    expect(existsSync(join(repo, 'node_modules/@cdktf/provider-helm'))).toBe(false);
    const megabytes = Number(execFileSync('du', ['-sm', join(repo, 'node_modules')], { encoding: 'utf8' }).split('\t')[0]);
    expect(megabytes).toBeLessThanOrEqual(150);
  });

  it('made with --kit-source, it carries the kit in .platform-kit/ and names it by relative paths only: it installs wherever it is cloned', () => {
    const version = JSON.parse(readFileSync(join(KIT_ROOT, 'packages/projen/package.json'), 'utf8')).version;
    const tarballs = ['config', 'constructs', 'projen'].map((p) => `platform-kit-${p}-${version}.tgz`);
    expect(readdirSync(join(repo, '.platform-kit')).sort()).toEqual(tarballs);
    expect(run('git', ['ls-files', '.platform-kit']).trim().split('\n')).toEqual(tarballs.map((t) => `.platform-kit/${t}`));
    expect(readFileSync(join(repo, '.projenrc.ts'), 'utf8')).toContain('kitSource: ".platform-kit"');
    const pkg = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8'));
    expect(pkg.devDependencies['@platform-kit/projen']).toBe(`file:.platform-kit/platform-kit-projen-${version}.tgz`);
    for (const file of ['package.json', 'package-lock.json', '.projenrc.ts']) expect(readFileSync(join(repo, file), 'utf8'), file).not.toContain(KIT_ROOT);
  });

  it("re-running the repo's own npx projen changes no file", () => {
    run('npx', ['projen']);
    expect(run('git', ['status', '--porcelain'])).toBe('');
  });

  it('the synth task writes cdktf.out/stacks/<stack>/cdk.tf.json for every stack, and says how many in how long', () => {
    const out = spawnSync('npx', ['projen', 'synth'], { cwd: repo, encoding: 'utf8' });
    expect(out.status, out.stderr).toBe(0);
    expect(out.stdout + out.stderr).toMatch(/Synthesized 14 stacks into cdktf\.out\/stacks in \d+\.\d s\./);
    const stacks = readdirSync(join(repo, 'cdktf.out/stacks')).sort();
    expect(stacks).toEqual(
      ['bootstrap', 'shared', ...['dev', 'staging', 'prod'].flatMap((env) => [`${env}-network`, `${env}-cluster`, `${env}-services-aws`, `${env}-services`])].sort(),
    );
    for (const stack of stacks) expect(existsSync(join(repo, 'cdktf.out/stacks', stack, 'cdk.tf.json'))).toBe(true);
    const shared = JSON.parse(readFileSync(join(repo, 'cdktf.out/stacks/shared/cdk.tf.json'), 'utf8'));
    expect(Object.values(shared.resource.aws_ecr_repository).map((r: any) => r.name).sort()).toEqual(['acme-platform/api', 'acme-platform/web', 'acme-platform/worker']);
  });

  it('synth stops at a broken or misspelt Helm overrides file, naming the file, the line and the fix', () => {
    const file = join(repo, 'helm/dev/nginx.overrides.yaml');
    const original = readFileSync(file, 'utf8');
    try {
      writeFileSync(file, 'nginx:\n  replicas: [3\n');
      const broken = spawnSync('npx', ['projen', 'synth'], { cwd: repo, encoding: 'utf8' });
      expect(broken.status).not.toBe(0);
      expect(broken.stdout + broken.stderr).toMatch(/helm\/dev\/nginx\.overrides\.yaml:\d+:\d+: .*Fix the YAML/);
      writeFileSync(file, 'nginxGateway:\n  replica: 2\n');
      const misspelt = spawnSync('npx', ['projen', 'synth'], { cwd: repo, encoding: 'utf8' });
      expect(misspelt.status).not.toBe(0);
      expect(misspelt.stdout + misspelt.stderr).toContain('helm/dev/nginx.overrides.yaml:2:3: nginxGateway.replica is not a value of the chart nginx-gateway-fabric');
      expect(misspelt.stdout + misspelt.stderr).toContain('(did you mean nginxGateway.replicas?)');
    } finally {
      writeFileSync(file, original);
    }
  });

  it("the repo's policy task passes the synthesized stacks", () => {
    const out = run('npx', ['projen', 'policy']);
    expect(out).toMatch(/14 stacks, \d+ rules: 0 violations, 0 suppressed/);
  });

  it('the policy check fails on a violation, and passes once it is suppressed with a reason in .projenrc.ts', () => {
    // A bucket added without encryption, versioning, public access block or TLS policy (as src/main.ts could).
    const sharedFile = join(repo, 'cdktf.out/stacks/shared/cdk.tf.json');
    const shared = JSON.parse(readFileSync(sharedFile, 'utf8'));
    shared.resource.aws_s3_bucket = { scratch: { bucket: 'acme-platform-scratch' } };
    writeFileSync(sharedFile, JSON.stringify(shared));
    const failed = spawnSync('npx', ['--no', 'platform-policy'], { cwd: repo, encoding: 'utf8' });
    expect(failed.status).toBe(1);
    expect(failed.stdout).toContain('aws_s3_bucket.scratch');
    expect(failed.stdout).toContain('s3-public-access-block');

    const projenrc = join(repo, '.projenrc.ts');
    const original = readFileSync(projenrc, 'utf8');
    const rules = ['s3-encryption', 's3-versioning', 's3-public-access-block', 's3-tls-only', 's3-owner-enforced'];
    const suppressions = rules.map((rule) => `{ rule: '${rule}', stack: 'shared', resource: 'aws_s3_bucket.scratch', reason: 'scratch bucket for the e2e test' }`);
    try {
      writeFileSync(projenrc, original.replace('const project = new PlatformProject({', `const project = new PlatformProject({\n  policy: { suppressions: [${suppressions.join(', ')}] },`));
      run('npx', ['projen']);
      const passed = spawnSync('npx', ['--no', 'platform-policy'], { cwd: repo, encoding: 'utf8' });
      expect(passed.stderr).not.toContain('platform-policy:');
      expect(passed.status).toBe(0);
      expect(passed.stdout).toContain('scratch bucket for the e2e test');

      // A suppression without a reason stops `npx projen` itself.
      writeFileSync(projenrc, original.replace('const project = new PlatformProject({', "const project = new PlatformProject({\n  policy: { suppressions: [{ rule: 's3-encryption', reason: '' }] },"));
      const refused = spawnSync('npx', ['projen'], { cwd: repo, encoding: 'utf8' });
      expect(refused.status).not.toBe(0);
      expect(refused.stdout + refused.stderr).toContain('policy.suppressions[0].reason');
    } finally {
      writeFileSync(projenrc, original);
      run('npx', ['projen']);
      run('npx', ['projen', 'synth']);
    }
    expect(run('git', ['status', '--porcelain'])).toBe('');
  });

  it("the repo's plan guard fails a recorded plan that replaces the VPC, and passes it with allow-destroy:<stack>", () => {
    const plan = join(KIT_ROOT, 'packages/constructs/test/fixtures/plans/dev-network-replace-vpc.json');
    const refused = spawnSync('npx', ['--no', '--', 'platform-plan-guard', '--stack', 'dev-network', '--plan', plan], { cwd: repo, encoding: 'utf8', env: { ...process.env, PR_LABELS: '' } });
    expect(refused.status, refused.stderr).toBe(1);
    expect(refused.stderr).toContain('replace aws_vpc.network_vpc_4E8F0223: cidr_block cannot change in place');
    const allowed = spawnSync('npx', ['--no', '--', 'platform-plan-guard', '--stack', 'dev-network', '--plan', plan], { cwd: repo, encoding: 'utf8', env: { ...process.env, PR_LABELS: '["allow-destroy:dev-network"]' } });
    expect(allowed.status).toBe(0);
  });

  it('adding, removing or reordering environments in .projenrc.ts moves no existing environment (platform/identity.json)', () => {
    const projenrc = join(repo, '.projenrc.ts');
    const original = readFileSync(projenrc, 'utf8');
    const resolved = () => JSON.parse(readFileSync(join(repo, 'platform/platform.json'), 'utf8')) as { environments: { name: string; vpcCidr: string; zoneIds: string[] }[] };
    const identity = (platform: ReturnType<typeof resolved>) => Object.fromEntries(platform.environments.map((e) => [e.name, [e.vpcCidr, e.zoneIds]]));
    const before = identity(resolved());
    try {
      // qa between dev and staging: with defaults by position, staging and prod would move to the next /16.
      writeFileSync(projenrc, original.replace(/"dev",\n(\s*)"staging",/, '"dev",\n$1"qa",\n$1"staging",'));
      const added = spawnSync('npx', ['projen'], { cwd: repo, encoding: 'utf8' });
      expect(added.status, added.stderr).toBe(0);
      expect(added.stdout + added.stderr).not.toContain(' -> ');
      const after = identity(resolved());
      expect(Object.keys(after)).toEqual(['dev', 'qa', 'staging', 'prod']);
      expect({ ...after, qa: undefined }).toEqual({ ...before, qa: undefined });
      expect(after.qa[0]).toBe('10.40.0.0/16');
      expect(readFileSync(join(repo, 'platform/identity.json'), 'utf8')).toContain('"qa"');

      // Removing dev: staging and prod stay, and npx projen says what removing an environment means.
      writeFileSync(projenrc, original.replace(/"dev",\n\s*/, ''));
      const removed = spawnSync('npx', ['projen'], { cwd: repo, encoding: 'utf8' });
      expect(removed.status, removed.stderr).toBe(0);
      expect(removed.stdout + removed.stderr).toContain('environments.dev: present -> removed');
      expect(identity(resolved())).toEqual({ staging: before.staging, prod: before.prod });
    } finally {
      writeFileSync(projenrc, original);
      run('npx', ['projen']);
      // qa's user-owned files (values overrides, service overlays) stay behind when it goes: yours to delete.
      rmSync(join(repo, 'gitops/qa'), { recursive: true, force: true });
      rmSync(join(repo, 'helm/qa'), { recursive: true, force: true });
    }
    expect(run('git', ['status', '--porcelain'])).toBe('');
  });

  it('writes the Helm values of every supporting service: managed base files and user-owned overrides', () => {
    for (const env of ['dev', 'staging', 'prod']) {
      const files = readdirSync(join(repo, 'helm', env));
      expect(files).toContain('kratos.yaml');
      expect(files).toContain('kratos.overrides.yaml');
      // The fourteen supporting releases, Argo CD, the cluster autoscaler, metrics-server and External Secrets.
      expect(files.filter((f) => !f.endsWith('.overrides.yaml'))).toHaveLength(18);
    }
  });

  it('writes gitops/<env>/ for Argo CD, every manifest valid against the Kubernetes and CRD schemas', () => {
    const problems: string[] = [];
    let count = 0;
    const walk = (dir: string) => {
      for (const entry of readdirSync(dir)) {
        const path = join(dir, entry);
        if (statSync(path).isDirectory()) walk(path);
        // Kustomizations are not Kubernetes objects: rendered and checked below.
        else if (entry !== 'kustomization.yaml') {
          count++;
          const text = readFileSync(path, 'utf8');
          problems.push(...validateYamlDocuments(text, relative(repo, path)));
          // No YAML anchors or aliases: every reader (kustomize, Argo CD, people) sees each value where it applies.
          if (/(^|\s)[&*]a\d+\s*$/m.test(text)) problems.push(`${relative(repo, path)}: YAML anchor or alias`);
        }
      }
    };
    walk(join(repo, 'gitops'));
    expect(problems).toEqual([]);
    for (const env of ['dev', 'staging', 'prod']) expect(existsSync(join(repo, 'gitops', env, 'applications', 'namespaces.yaml'))).toBe(true);
    expect(count).toBeGreaterThan(80);
  });

  it("records a service's image for an environment with the repo's image:set task", () => {
    const tag = 'a1b2c3d4e5f6a1b2c3d4e5f6a1b2c3d4e5f6a1b2';
    expect(run('npx', ['projen', 'image:set', 'dev', 'api', tag])).toContain('gitops/dev/services/api/image/kustomization.yaml');
    const component = parse(readFileSync(join(repo, 'gitops/dev/services/api/image/kustomization.yaml'), 'utf8'));
    expect(component).toEqual({
      apiVersion: 'kustomize.config.k8s.io/v1alpha1',
      kind: 'Component',
      images: [{ name: '123456789012.dkr.ecr.eu-west-1.amazonaws.com/acme-platform/api', newTag: tag }],
    });
  });

  it.skipIf(!kubectlAvailable)("renders each service's overlay with kustomize into valid objects running the recorded image", () => {
    const tag = 'f00dfeedf00dfeedf00dfeedf00dfeedf00dfeed';
    for (const env of ['dev', 'prod'])
      for (const service of ['web', 'api', 'worker']) {
        run('bash', ['scripts/image-tags.sh', 'set', env, service, tag]);
        const rendered = run('kubectl', ['kustomize', `gitops/${env}/services/${service}`]);
        expect(validateYamlDocuments(rendered, `${env}/${service}`)).toEqual([]);
        const objects = parseAllDocuments(rendered).map((d) => d.toJS());
        const deployment = objects.find((o) => o.kind === 'Deployment');
        expect(deployment.spec.template.spec.containers[0].image).toBe(`123456789012.dkr.ecr.eu-west-1.amazonaws.com/acme-platform/${service}:${tag}`);
        expect(objects.every((o) => o.metadata.namespace === 'apps')).toBe(true);
        expect(objects.some((o) => o.kind === 'PodDisruptionBudget')).toBe(env === 'prod');
        expect(objects.some((o) => o.kind === 'HTTPRoute')).toBe(service === 'web');
        expect(objects.some((o) => o.kind === 'ExternalSecret')).toBe(service === 'api');
      }
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

  it.skipIf(!terraformAvailable)('every AWS stack passes terraform validate (the Helm stacks need a provider the mirror lacks)', async () => {
    const stacks = readdirSync(join(repo, 'cdktf.out/stacks'));
    const offline = stacks.filter((stack) => validatableOffline(join(repo, 'cdktf.out/stacks', stack)));
    expect(stacks.filter((s) => !offline.includes(s)).sort()).toEqual(['dev-services', 'prod-services', 'staging-services']);
    const reports = await validateStacks(Object.fromEntries(offline.map((stack) => [stack, join(repo, 'cdktf.out/stacks', stack)])));
    expect(Object.keys(reports).sort()).toEqual(offline.sort());
    for (const [stack, result] of Object.entries(reports)) expect(result, stack).toMatchObject({ valid: true, error_count: 0 });
  }, 300_000);
});
