import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { installedRepo } from './installed-repo';
import { CLI, KIT_ROOT } from './helpers';
import { validateYamlDocuments } from './k8s-schemas';

/*
 * A mixed platform end to end, from an answers file: dev and qa on existing clusters, prod on EKS. create-platform
 * writes the repo from test/fixtures/answers-existing-cluster.yaml; it takes the dependencies of the run's installed
 * repo (the same kit, name and dependencies: the same package.json), then its own npx projen, synth and policy run,
 * and every manifest validates against the schemas. (Such a platform's AWS stacks pass terraform validate in
 * packages/constructs/test/existing-cluster.test.ts.)
 */
describe('create-platform end to end: environments on existing clusters next to EKS', () => {
  let repo: string;
  const run = (cmd: string, args: string[], cwd = repo) => execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: 'pipe', env: { ...process.env, CI: 'true' } });
  const stack = (name: string) => JSON.parse(readFileSync(join(repo, 'cdktf.out/stacks', name, 'cdk.tf.json'), 'utf8'));

  beforeAll(() => {
    const installed = installedRepo('existing-cluster').repo;
    repo = join(installed, '..', 'mixed');
    run('node', [CLI, repo, '--answers', join(KIT_ROOT, 'test/fixtures/answers-existing-cluster.yaml'), '--kit-source', KIT_ROOT, '--skip-install'], KIT_ROOT);
    expect(readFileSync(join(repo, 'package.json'), 'utf8')).toBe(readFileSync(join(installed, 'package.json'), 'utf8'));
    for (const path of ['node_modules', 'package-lock.json']) cpSync(join(installed, path), join(repo, path), { recursive: true, verbatimSymlinks: true });
    run('git', ['init', '-q']);
    run('git', ['add', '-A']);
    run('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '-qm', 'generated']);
  }, 300_000);

  it("re-running the repo's own npx projen changes no file", () => {
    run('npx', ['projen']);
    expect(run('git', ['status', '--porcelain'])).toBe('');
  });

  it("synthesizes the account stacks, prod on EKS, and only the in-cluster stack of dev and qa, with nothing of AWS in it; the repo's policy task passes all 8", () => {
    // The policy task synthesizes every stack first.
    const out = spawnSync('npx', ['projen', 'policy'], { cwd: repo, encoding: 'utf8' });
    expect(out.status, `${out.stdout}\n${out.stderr}`).toBe(0);
    expect(out.stdout).toMatch(/8 stacks, \d+ rules: 0 violations, 0 suppressed/);
    expect(readdirSync(join(repo, 'cdktf.out/stacks')).sort()).toEqual(['bootstrap', 'dev-services', 'prod-cluster', 'prod-network', 'prod-services', 'prod-services-aws', 'qa-services', 'shared'].sort());
    for (const name of ['dev-services', 'qa-services']) {
      const text = JSON.stringify(stack(name));
      expect(text.match(/"(aws_[a-z0-9_]+|hashicorp\/aws)"/g) ?? [], name).toEqual([]);
      // Argo CD through the answered context; the state in the platform's bucket.
      expect(stack(name).provider.helm[0].kubernetes).toMatchObject({ config_context: name === 'dev-services' ? 'office' : 'lab' });
      expect(stack(name).terraform.backend.s3.bucket).toBe('acme-platform-tfstate-123456789012');
    }
    // dev pulls the images with its issuer's web identity; qa gets no pull role (its pull secret is provided by hand).
    expect(Object.values(stack('shared').resource.aws_iam_openid_connect_provider).map((p: any) => p.url).sort()).toEqual(['https://oidc.office.example.com/k8s', 'https://token.actions.githubusercontent.com']);
    expect(Object.keys(stack('shared').output).filter((o) => o.endsWith('_registry_pull_role_arn'))).toEqual(['dev_registry_pull_role_arn']);
    // DNS: a sub-zone for prod only.
    expect(Object.values(stack('shared').resource.aws_route53_zone ?? {}).map((z: any) => z.name).sort()).toEqual(['acme.example.com', 'prod.acme.example.com']);
  });

  it('writes values that use the answers of each cluster: node ports and MinIO for dev, Vault and no object storage for qa', () => {
    const values = (env: string, file: string) => readFileSync(join(repo, 'helm', env, file), 'utf8');
    expect(values('dev', 'nginx.yaml')).toMatch(/type: NodePort[\s\S]*- port: 30080\n\s+listenerPort: 80\n\s+- port: 30443\n\s+listenerPort: 443/);
    expect(values('dev', 'loki.yaml')).toContain('https://minio.office.example.com:9000');
    expect(values('dev', 'postgresql.yaml')).toContain('longhorn');
    expect(values('qa', 'loki.yaml')).toContain('object_store: filesystem');
    expect(values('qa', 'loki.yaml')).not.toContain('s3:');
    const stores = readFileSync(join(repo, 'gitops/qa/platform/secrets/secrets.yaml'), 'utf8');
    expect(stores).toContain('https://vault.lab.example.com:8200');
    expect(stores).toContain('mountPath: kubernetes-lab');
  });

  it('writes gitops/<env>/ for each cluster, every manifest valid against the Kubernetes and CRD schemas', () => {
    const problems: string[] = [];
    const walk = (dir: string): void => {
      for (const entry of readdirSync(dir)) {
        const path = join(dir, entry);
        if (statSync(path).isDirectory()) walk(path);
        else if (entry !== 'kustomization.yaml') problems.push(...validateYamlDocuments(readFileSync(path, 'utf8'), relative(repo, path)));
      }
    };
    walk(join(repo, 'gitops'));
    expect(problems).toEqual([]);
  });
});
