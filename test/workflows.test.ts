import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { convertWorkflowTemplate, NoOperationTraceWriter, parseWorkflow } from '@actions/workflow-parser';
import { catalogue, ciRoleArn, ciScopes, imagesRoleArn, resolvePlatform, runnerProjectName, SHARED_SCOPE, stackNames, type AnswersInput, type Platform } from '@platform-kit/config';
import { PlatformApp } from '@platform-kit/constructs';
import { infraWorkflow, KUBECONFIG_SECRET, NODE_MODULES_CACHE_KEY, PlatformProject, plannedStacks, scopeStacks, TERRAFORM_PLUGIN_CACHE } from '@platform-kit/projen';
import { parse, stringify } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { KIT_ROOT, onExistingClusters, PLUGIN_DIR, tempDir, terraformAvailable } from './helpers';

/*
 * The generated repos' workflows (and the kit's own) parsed by GitHub's parser, then checked for what a first
 * pull request and a first push to main rely on: every scope planned and applied in order, the OIDC roles the
 * shared stack creates, `id-token: write` only where AWS is used, pinned actions; and the scripts they call.
 */

type Json = Record<string, any>;

/** GitHub's own parser: the errors it reports for a workflow file (none for a valid one). */
async function workflowErrors(name: string, content: string): Promise<string[]> {
  const result = parseWorkflow({ name, content }, new NoOperationTraceWriter());
  const errors = result.context.errors.getErrors().map((e) => e.message);
  if (result.value) {
    const template = await convertWorkflowTemplate(result.context, result.value);
    errors.push(...(template.errors ?? []).map((e) => e.Message));
  }
  return errors;
}

interface Generated {
  platform: Platform;
  repo: string;
  workflows: Record<string, { text: string; json: Json }>;
  /** ARNs of the IAM roles the shared stack creates, and their trust policies' `sub` conditions. */
  sharedRoles: Record<string, string[]>;
}

function generate(answers: AnswersInput): Generated {
  const platform = resolvePlatform(answers);
  const repo = join(tempDir('workflows'), platform.name);
  process.env.PROJEN_DISABLE_POST = 'true';
  new PlatformProject({ answers, outdir: repo }).synth();
  const dir = join(repo, '.github/workflows');
  const workflows = Object.fromEntries(
    readdirSync(dir).map((f) => {
      const text = readFileSync(join(dir, f), 'utf8');
      return [f, { text, json: parse(text) }];
    }),
  );
  const outdir = tempDir('workflows-synth');
  new PlatformApp(platform, { outdir, helmDir: join(repo, 'helm') }).synth();
  const shared = JSON.parse(readFileSync(join(outdir, 'stacks/shared/cdk.tf.json'), 'utf8'));
  const documents = shared.data?.aws_iam_policy_document ?? {};
  const sharedRoles = Object.fromEntries(
    Object.values<Json>(shared.resource.aws_iam_role).map((role) => {
      const trustRef = /aws_iam_policy_document\.([\w-]+)\.json/.exec(role.assume_role_policy)?.[1];
      const subjects = (documents[trustRef!]?.statement ?? []).flatMap((s: Json) => (s.condition ?? []).filter((c: Json) => c.variable.endsWith(':sub')).flatMap((c: Json) => c.values));
      return [`arn:aws:iam::${platform.aws.accountId}:role${role.path ?? '/'}${role.name}`, subjects];
    }),
  );
  return { platform, repo, workflows, sharedRoles };
}

const ANSWER_SETS: [string, AnswersInput][] = [
  ['defaults', {}],
  ['one environment, no services, no supporting services', { name: 'solo', environments: ['prod'], services: [], supportingServices: [] }],
  ['four environments, an existing OIDC provider', { name: 'quad', environments: ['dev', 'qa', 'staging', 'prod'], services: ['api'], github: { owner: 'quad-co', repository: 'infra', oidcProvider: 'existing' } }],
];

/** Plans Terraform really made (packages/constructs/test/fixtures/plans/SOURCES.md). */
const RECORDED_PLANS = {
  replace: join(KIT_ROOT, 'packages/constructs/test/fixtures/plans/dev-network-replace-vpc.json'),
  update: join(KIT_ROOT, 'packages/constructs/test/fixtures/plans/dev-network-update-vpc.json'),
};
const jobsOf = (workflow: Json) => workflow.jobs as Record<string, Json>;
const stepsUsing = (job: Json, action: string) => (job.steps as Json[]).filter((s) => typeof s.uses === 'string' && s.uses.startsWith(action.split('@')[0]));
const runs = (job: Json) => (job.steps as Json[]).map((s) => s.run).filter(Boolean) as string[];

describe.each(ANSWER_SETS)('generated workflows: %s', (_, answers) => {
  let g: Generated;
  beforeAll(() => {
    g = generate(answers);
  });

  it("parse without errors with GitHub's workflow parser", async () => {
    const expected = ['infra.yml', 'upgrade-platform.yml', ...(g.platform.services.length ? ['images.yml'] : []), ...(g.platform.services.length && g.platform.environments.length > 1 ? ['promote.yml'] : [])];
    expect(Object.keys(g.workflows).sort()).toEqual(expected.sort());
    for (const [name, { text }] of Object.entries(g.workflows)) expect(await workflowErrors(name, text), name).toEqual([]);
  });

  it('infra: a plan job per scope on pull requests, applies on main scope after scope, every stack but bootstrap in order', () => {
    const { platform } = g;
    const jobs = jobsOf(g.workflows['infra.yml'].json);
    const scopes = ciScopes(platform);
    const environments = platform.environments.map((e) => e.name);
    expect(Object.keys(jobs).sort()).toEqual(['drift', 'validate', 'applied', ...scopes.flatMap((s) => [`plan-${s}`, `apply-${s}`]), ...environments.map((e) => `runner-${e}`)].sort());
    const stackOrder = (kind: 'plan' | 'apply') =>
      scopes.flatMap((scope) => runs(jobs[`${kind}-${scope}`]).flatMap((r) => new RegExp(`^bash scripts/terraform-stack\\.sh ${kind} (\\S+)$`).exec(r)?.[1] ?? []));
    const expected = stackNames(platform).filter((s) => s !== 'bootstrap');
    expect(stackOrder('plan')).toEqual(expected.filter((s) => !s.endsWith('-services')));
    expect(stackOrder('apply')).toEqual(expected);
    // Each environment's apply job runs on its CodeBuild runner in the VPC once the runner-<env> job finds it.
    for (const env of environments) {
      const probe = jobs[`runner-${env}`];
      expect(stepsUsing(probe, catalogue.ci.actions.awsCredentials)[0].with['role-to-assume']).toBe(ciRoleArn(platform, env, 'plan'));
      expect(probe.steps.at(-1).env).toEqual({ PROJECT: runnerProjectName(platform, env), LABEL: `codebuild-${runnerProjectName(platform, env)}-\${{ github.run_id }}-\${{ github.run_attempt }}` });
      expect(probe.outputs).toEqual({ label: '${{ steps.find.outputs.label }}' });
      const apply = jobs[`apply-${env}`];
      expect(apply['runs-on']).toBe(`\${{ vars.CLUSTER_RUNNER_${env.toUpperCase()} && fromJSON(vars.CLUSTER_RUNNER_${env.toUpperCase()}) || needs.runner-${env}.outputs.label || 'ubuntu-latest' }}`);
      expect(jobs[`plan-${env}`]['runs-on']).not.toContain('needs.');
      // After apply-shared, which creates the read-only role of an environment added since the last run.
      expect(probe.needs).toEqual(['apply-shared']);
      // Right before <env>-services: without a runner in the VPC it is skipped (the other stacks create the runner),
      // and the run fails at its end saying so; kubectl is made sure of.
      const steps = apply.steps as Json[];
      const at = steps.findIndex((step) => step.name === `Apply ${env}-services`);
      expect(steps.slice(at - 2, at).map((step) => step.name)).toEqual(['A runner inside the VPC', 'kubectl']);
      expect(steps[at].if).toBe("steps.inside.outputs.ok == 'true'");
      expect(apply.outputs).toEqual({ 'in-cluster': '${{ steps.inside.outputs.ok }}' });
    }
    expect(jobs.applied.needs).toEqual(environments.map((e) => `apply-${e}`));
    expect(jobs.applied.if).toContain('always()');
    // The two scripts, run: the guard says whether the job is inside the VPC; the last job fails when one was not.
    const guard = (jobs[`apply-${environments[0]}`].steps as Json[]).find((step) => step.id === 'inside')!;
    const runScript = (script: string, env: Record<string, string>) => {
      const out = join(tempDir('gh-output'), 'out');
      writeFileSync(out, '');
      const result = spawnSync('bash', ['-e', '-c', script], { encoding: 'utf8', env: { ...process.env, GITHUB_OUTPUT: out, ...env } });
      return { status: result.status, stdout: result.stdout, output: readFileSync(out, 'utf8') };
    };
    expect(runScript(guard.run, { CODEBUILD_RUNNER: 'codebuild-x-1-1', OWN_RUNNER: '' }).output).toBe('ok=true\n');
    expect(runScript(guard.run, { CODEBUILD_RUNNER: '', OWN_RUNNER: '["self-hosted"]' }).output).toBe('ok=true\n');
    const outside = runScript(guard.run, { CODEBUILD_RUNNER: '', OWN_RUNNER: '' });
    expect([outside.status, outside.output]).toEqual([0, 'ok=false\n']);
    expect(outside.stdout).toContain('::warning::');
    const inside = Object.fromEntries(environments.map((e) => [`IN_CLUSTER_${e.toUpperCase()}`, 'true']));
    expect(runScript(runs(jobs.applied)[0], inside).status).toBe(0);
    const last = environments.at(-1)!;
    const skipped = runScript(runs(jobs.applied)[0], { ...inside, [`IN_CLUSTER_${last.toUpperCase()}`]: 'false' });
    expect(skipped.status).toBe(1);
    expect(skipped.stdout).toContain(`Not applied yet: ${last}-services`);
    scopes.forEach((scope, i) => {
      const apply = jobs[`apply-${scope}`];
      expect(apply.environment).toBe(scope); // its protection rules gate it; only its jobs may assume the apply role
      expect(apply.needs).toEqual([...(i === 0 ? ['validate', 'drift'] : [`apply-${scopes[i - 1]}`]), ...(scope === SHARED_SCOPE ? [] : [`runner-${scope}`])]);
      expect(apply.if).toContain("github.ref == 'refs/heads/main'");
      expect(jobs[`plan-${scope}`].if).toBe("github.event_name == 'pull_request'");
      // Pull requests plan every stack but <env>-services with the read-only role: its Helm releases live in
      // Kubernetes Secrets, which plan roles cannot read. Its apply job plans it before applying.
      const planned = runs(jobs[`plan-${scope}`]).filter((r) => r.startsWith('bash scripts/terraform-stack.sh plan'));
      expect(planned).toEqual(plannedStacks(g.platform, scope).map((s) => `bash scripts/terraform-stack.sh plan ${s}`));
      expect(plannedStacks(g.platform, scope)).toEqual(scopeStacks(g.platform, scope).filter((s) => !s.endsWith('-services')));
      expect(runs(apply).filter((r) => r.startsWith('bash scripts/terraform-stack.sh'))).toEqual(scopeStacks(g.platform, scope).map((s) => `bash scripts/terraform-stack.sh apply ${s}`));
    });
    expect(runs(jobs.drift)).toEqual(expect.arrayContaining(['npx projen']));
    expect(runs(jobs.drift).join('\n')).toContain('git diff --exit-code');
    expect(runs(jobs.validate).join('\n')).toContain('terraform fmt -check');
    expect(runs(jobs.validate).join('\n')).toContain('terraform-stack.sh validate');
    // Two applies never overlap: one run on main at a time.
    expect(g.workflows['infra.yml'].json.concurrency.group).toContain("|| 'main'");
  });

  it('infra: plans see the pull request labels and run again when one changes; applies see the labels of the merged pull request', () => {
    const workflow = g.workflows['infra.yml'].json;
    expect(workflow.on.pull_request.types).toEqual(expect.arrayContaining(['labeled', 'unlabeled', 'opened', 'synchronize', 'reopened']));
    for (const scope of ciScopes(g.platform)) {
      const plan = jobsOf(workflow)[`plan-${scope}`];
      expect(plan.env.PR_LABELS).toBe('${{ toJSON(github.event.pull_request.labels.*.name) }}');
      const apply = jobsOf(workflow)[`apply-${scope}`];
      const labels = (apply.steps as Json[]).findIndex((step) => step.name === 'Labels of the merged pull request');
      const firstStack = (apply.steps as Json[]).findIndex((step) => String(step.run ?? '').startsWith('bash scripts/terraform-stack.sh apply'));
      expect(labels, scope).toBeGreaterThanOrEqual(0);
      expect(labels).toBeLessThan(firstStack);
      expect((apply.steps as Json[])[labels].run).toContain('commits/$GITHUB_SHA/pulls');
      expect(apply.permissions).toEqual({ contents: 'read', 'id-token': 'write', 'pull-requests': 'read' });
    }
  });

  it("assumes exactly the shared stack's roles: plan and apply per scope, and the images role", () => {
    const { platform } = g;
    const jobs = jobsOf(g.workflows['infra.yml'].json);
    for (const scope of ciScopes(platform))
      for (const kind of ['plan', 'apply'] as const) {
        const [step] = stepsUsing(jobs[`${kind}-${scope}`], catalogue.ci.actions.awsCredentials);
        expect(step.with['role-to-assume']).toBe(ciRoleArn(platform, scope, kind));
        expect(g.sharedRoles).toHaveProperty([ciRoleArn(platform, scope, kind)]);
        expect(step.with['aws-region']).toBe(platform.aws.region);
      }
    const repo = `repo:${platform.github.owner}/${platform.github.repository}`;
    expect(g.sharedRoles[ciRoleArn(platform, SHARED_SCOPE, 'apply')]).toEqual([`${repo}:environment:${SHARED_SCOPE}`]);
    if (!platform.services.length) {
      expect(g.sharedRoles).not.toHaveProperty([imagesRoleArn(platform)]);
      return;
    }
    const push = jobsOf(g.workflows['images.yml'].json).push;
    expect(stepsUsing(push, catalogue.ci.actions.awsCredentials)[0].with['role-to-assume']).toBe(imagesRoleArn(platform));
    // The images role is trusted from main and release tags only: a pull request cannot push.
    expect(g.sharedRoles[imagesRoleArn(platform)].sort()).toEqual([`${repo}:ref:refs/heads/main`, `${repo}:ref:refs/tags/v*`]);
  });

  it('grants id-token: write only to jobs that assume an AWS role, and nothing at the workflow level', () => {
    for (const [name, { json }] of Object.entries(g.workflows)) {
      expect(json.permissions, name).toEqual({});
      for (const [id, job] of Object.entries(jobsOf(json))) {
        const usesAws = stepsUsing(job, catalogue.ci.actions.awsCredentials).length > 0;
        expect(job.permissions?.['id-token'] === 'write', `${name} ${id}`).toBe(usesAws);
        expect(job.permissions, `${name} ${id}: every job declares its permissions`).toBeDefined();
      }
    }
  });

  it('pins every action to its current major version from the catalogue', () => {
    const pinned = new Set<string>(Object.values(catalogue.ci.actions));
    for (const [name, { json }] of Object.entries(g.workflows))
      for (const job of Object.values(jobsOf(json)))
        for (const step of job.steps as Json[]) if (step.uses) expect(pinned.has(step.uses), `${name}: ${step.uses}`).toBe(true);
    for (const action of pinned) expect(action).toMatch(/^[\w-]+\/[\w-]+@v\d+$/);
  });

  it('caches npm and node_modules in every job that installs, and the providers in every job that runs Terraform, keyed on their pinned versions', () => {
    const installing: string[] = [];
    for (const [name, { json }] of Object.entries(g.workflows))
      for (const [jobName, job] of Object.entries(jobsOf(json))) {
        const where = `${name} ${jobName}`;
        const steps = job.steps as Json[];
        const caches = stepsUsing(job, catalogue.ci.actions.cache);
        for (const step of stepsUsing(job, catalogue.ci.actions.setupNode)) expect(step.with.cache, where).toBe('npm');
        const npmCi = steps.find((s) => typeof s.run === 'string' && s.run.startsWith('npm ci'));
        if (npmCi) {
          installing.push(where);
          expect(npmCi.run, where).toBe('npm ci --prefer-offline');
          const modules = caches.find((c) => c.with.path === 'node_modules');
          if (runs(job).some((r) => r.includes('npm install'))) {
            // A job that changes node_modules must not save it under the key of the lock file it started from.
            expect(modules, where).toBeUndefined();
            expect(npmCi.if, where).toBeUndefined();
          } else {
            expect(modules?.with.key, where).toBe(NODE_MODULES_CACHE_KEY);
            expect(steps.indexOf(modules!), where).toBeLessThan(steps.indexOf(npmCi));
            expect(npmCi.if, where).toBe(`steps.${modules!.id}.outputs.cache-hit != 'true'`);
          }
        }
        if (!stepsUsing(job, catalogue.ci.actions.setupTerraform).length) continue;
        const cache = caches.find((c) => c.with.path === TERRAFORM_PLUGIN_CACHE);
        expect(cache, where).toBeDefined();
        for (const [provider, { version }] of Object.entries(catalogue.providers)) expect(cache!.with.key, where).toContain(`${provider}-${version}`);
        const env = steps.find((s) => typeof s.run === 'string' && s.run.includes('TF_PLUGIN_CACHE_DIR'));
        // Set before the first terraform command of the job.
        expect(steps.indexOf(env!), where).toBeLessThan(steps.findIndex((s) => typeof s.run === 'string' && /terraform|terraform-stack\.sh/.test(s.run) && s !== env));
      }
    expect(installing).toEqual(expect.arrayContaining(['infra.yml drift', 'infra.yml validate', 'upgrade-platform.yml upgrade']));
    // A new lock file, runner or Node version is a new key (tsx's esbuild is a native binary).
    for (const part of ["hashFiles('package-lock.json')", 'runner.os', 'runner.arch', `node${catalogue.ci.node}`]) expect(NODE_MODULES_CACHE_KEY).toContain(part);
  });

  it('images: pull requests build the changed services without pushing; main and tags push with the sha or the version', () => {
    if (!g.platform.services.length) return;
    const images = g.workflows['images.yml'].json;
    const { build, push, changes } = jobsOf(images);
    expect(images.on.push.tags).toEqual(['v*.*.*']);
    expect(build.if).toContain("github.event_name == 'pull_request'");
    expect(push.if).toContain("github.event_name != 'pull_request'");
    expect(stepsUsing(build, catalogue.ci.actions.buildPush)[0].with.push).toBe(false);
    expect(stepsUsing(push, catalogue.ci.actions.buildPush)[0].with.push).toBe(true);
    for (const job of [build, push]) {
      expect(job.strategy.matrix.service).toBe('${{ fromJSON(needs.changes.outputs.services) }}');
      const build = stepsUsing(job, catalogue.ci.actions.buildPush)[0].with;
      expect(build.context).toBe('services/${{ matrix.service }}');
      expect(build['cache-from']).toContain('type=gha');
      const tags = stepsUsing(job, catalogue.ci.actions.dockerMetadata)[0].with.tags;
      expect(tags).toContain('type=sha');
      expect(tags).toContain('type=semver,pattern={{version}}');
    }
    expect(runs(changes)).toEqual(['bash scripts/changed-services.sh >> "$GITHUB_OUTPUT"']);
  });

  it('images: what main pushed is recorded for the first environment, by the one job that writes to the repository', () => {
    if (!g.platform.services.length) return;
    const { record, push, changes, build } = jobsOf(g.workflows['images.yml'].json);
    const first = g.platform.environments[0].name;
    expect(record.needs).toEqual(['changes', 'push']);
    expect(record.if).toContain("github.ref == 'refs/heads/main'");
    expect(record.permissions).toEqual({ contents: 'write', 'id-token': 'write' });
    for (const job of [push, changes, build]) expect(job.permissions.contents).toBe('read');
    // The whole history, for the check that never records an older commit over a newer one.
    expect(stepsUsing(record, catalogue.ci.actions.checkout)[0].with['fetch-depth']).toBe(0);
    expect(runs(record).join('\n')).toContain(`bash scripts/image-tags.sh record ${first} "$COMMIT" "\${pushed[@]}"`);
  });

  it('promote: a pull request copying the tags of one environment to the next, for every environment but the last', () => {
    const promote = g.workflows['promote.yml']?.json;
    if (!promote) return expect(g.platform.services.length === 0 || g.platform.environments.length === 1).toBe(true);
    const names = g.platform.environments.map((e) => e.name);
    expect(promote.on.workflow_dispatch.inputs.from.options).toEqual(names.slice(0, -1));
    const job = jobsOf(promote).promote;
    expect(job.permissions).toEqual({ contents: 'write', 'pull-requests': 'write' });
    const script = runs(job).join('\n');
    names.slice(0, -1).forEach((from, i) => expect(script).toContain(`${from}) to=${names[i + 1]} ;;`));
    expect(script).toContain('bash scripts/image-tags.sh promote "$FROM" "$to"');
    expect(stepsUsing(job, catalogue.ci.actions.createPullRequest)).toHaveLength(1);
  });

  it('upgrade-platform: scheduled, bumps the kit packages, re-synthesizes, opens a pull request', () => {
    const upgrade = g.workflows['upgrade-platform.yml'].json;
    expect(upgrade.on.schedule).toHaveLength(1);
    const job = jobsOf(upgrade).upgrade;
    expect(job.permissions).toEqual({ contents: 'write', 'pull-requests': 'write' });
    const script = runs(job).join('\n');
    for (const pkg of ['projen', 'config', 'constructs']) expect(script).toContain(`@platform-kit/${pkg}@latest`);
    expect(script).toContain('npx projen synth');
    expect(stepsUsing(job, catalogue.ci.actions.createPullRequest)).toHaveLength(1);
  });

  it('the scripts the workflows call exist, are executable and pass bash -n (and shellcheck where installed)', () => {
    const scripts = ['scripts/terraform-stack.sh', 'scripts/generate-secret.sh', 'scripts/argocd-repository.sh', ...(g.platform.services.length ? ['scripts/changed-services.sh', 'scripts/image-tags.sh'] : [])];
    for (const script of scripts) {
      const path = join(g.repo, script);
      expect(existsSync(path), script).toBe(true);
      expect(spawnSync('bash', ['-n', path]).status, script).toBe(0);
      const shellcheck = spawnSync('shellcheck', [path], { encoding: 'utf8' });
      if (shellcheck.error) console.warn(`shellcheck not installed: ${script} only checked with bash -n`);
      else expect(shellcheck.stdout, script).toBe('');
    }
  });
});

describe('scripts/changed-services.sh: the services images.yml builds', () => {
  let repo: string;
  const run = (env: Record<string, string>) =>
    execFileSync('bash', ['scripts/changed-services.sh'], { cwd: repo, encoding: 'utf8', env: { ...process.env, ...env } }).trim();
  const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], { cwd: repo, encoding: 'utf8' }).trim();
  let first: string;

  beforeAll(() => {
    repo = generate({ services: ['api', 'worker', 'web'], supportingServices: [] }).repo;
    git('init', '-q', '-b', 'main');
    git('add', '-A');
    git('commit', '-qm', 'first');
    first = git('rev-parse', 'HEAD');
    mkdirSync(join(repo, 'services/api'), { recursive: true });
    writeFileSync(join(repo, 'services/api/extra.txt'), 'change');
    writeFileSync(join(repo, 'README.md'), 'docs change');
    git('add', '-A');
    git('commit', '-qm', 'second');
    git('update-ref', 'refs/remotes/origin/main', first); // the pull request's base
  });

  it('a pull request: only the services whose folder changed', () => {
    expect(run({ GITHUB_EVENT_NAME: 'pull_request', BASE_REF: 'main' })).toBe('services=["api"]');
  });

  it('a push to main: the services changed since the previous head; none when only other files changed', () => {
    expect(run({ GITHUB_EVENT_NAME: 'push', BEFORE: first, GITHUB_SHA: git('rev-parse', 'HEAD') })).toBe('services=["api"]');
    writeFileSync(join(repo, 'docs/only-docs.md'), 'x');
    git('add', '-A');
    git('commit', '-qm', 'docs');
    expect(run({ GITHUB_EVENT_NAME: 'push', BEFORE: git('rev-parse', 'HEAD~1'), GITHUB_SHA: git('rev-parse', 'HEAD') })).toBe('services=[]');
  });

  it('every service on a tag, a manual run, an unknown previous head, or a change of the images workflow', () => {
    const all = 'services=["api","worker","web"]';
    expect(run({ GITHUB_EVENT_NAME: 'push', GITHUB_REF_TYPE: 'tag' })).toBe(all);
    expect(run({ GITHUB_EVENT_NAME: 'workflow_dispatch' })).toBe(all);
    expect(run({ GITHUB_EVENT_NAME: 'push', BEFORE: '0000000000000000000000000000000000000000' })).toBe(all);
    expect(run({ GITHUB_EVENT_NAME: 'push', BEFORE: 'deadbeefdeadbeefdeadbeefdeadbeefdeadbeef' })).toBe(all);
    writeFileSync(join(repo, '.github/workflows/images.yml'), `${readFileSync(join(repo, '.github/workflows/images.yml'), 'utf8')}\n`);
    git('add', '-A');
    git('commit', '-qm', 'workflow');
    expect(run({ GITHUB_EVENT_NAME: 'push', BEFORE: git('rev-parse', 'HEAD~1'), GITHUB_SHA: git('rev-parse', 'HEAD') })).toBe(all);
  });
});

describe('scripts/generate-secret.sh: the values of a generated secret, stored once at apply time', () => {
  let repo: string;
  let bin: string;
  /** A fake aws CLI: a secret whose versions' labels and last value live in files; random passwords per length. */
  const run = (dir: string, env: Record<string, string> = {}) =>
    spawnSync('bash', ['scripts/generate-secret.sh'], {
      cwd: repo,
      encoding: 'utf8',
      env: { ...process.env, PATH: `${bin}:${process.env.PATH}`, FAKE_DIR: dir, SECRET_ID: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:acme/dev/kratos-AbCdEf', SECRET_KEYS: 'secretsDefault:48 secretsCipher:32', SECRET_LABEL: 'platform-kit-g1-abc', ...env },
    });

  beforeAll(() => {
    repo = generate({ environments: ['dev'], supportingServices: [] }).repo;
    bin = tempDir('fake-aws');
    writeFileSync(
      join(bin, 'aws'),
      String.raw`#!/usr/bin/env bash
echo "aws $*" >> "$FAKE_DIR/calls"
case "$2" in
  describe-secret) if [ -f "$FAKE_DIR/stages" ]; then cat "$FAKE_DIR/stages"; else echo null; fi ;;
  get-random-password) len=$(sed -E 's/.*--password-length ([0-9]+).*/\1/' <<<"$*"); printf '%*s\n' "$len" '' | tr ' ' a ;;
  put-secret-value)
    file=$(sed -E 's|.*file://([^ ]+).*|\1|' <<<"$*"); cp "$file" "$FAKE_DIR/value"; stat -c %a "$file" > "$FAKE_DIR/mode"
    label=$(sed -E 's/.* AWSCURRENT ([^ ]+).*/\1/' <<<"$*"); printf '{"v1": ["AWSCURRENT", "%s"]}\n' "$label" > "$FAKE_DIR/stages" ;;
esac
`,
    );
    chmodSync(join(bin, 'aws'), 0o755);
  });

  it('generates every key once, as one JSON object passed through a private file, labelled; a re-run keeps them', () => {
    const dir = tempDir('secret-1');
    const first = run(dir);
    expect(first.status, first.stderr).toBe(0);
    expect(first.stdout).toContain('acme/dev/kratos-AbCdEf: generated platform-kit-g1-abc');
    expect(JSON.parse(readFileSync(join(dir, 'value'), 'utf8'))).toEqual({ secretsDefault: 'a'.repeat(48), secretsCipher: 'a'.repeat(32) });
    expect(readFileSync(join(dir, 'mode'), 'utf8').trim()).toBe('600');
    const calls = readFileSync(join(dir, 'calls'), 'utf8');
    expect(calls).toContain('--version-stages AWSCURRENT platform-kit-g1-abc');
    expect(calls).toContain('--exclude-punctuation');
    // The values are never on a command line or in the output.
    expect(calls).not.toContain('a'.repeat(32) + '"');
    expect(`${first.stdout}${first.stderr}`).not.toContain('a'.repeat(32));
    const again = run(dir);
    expect(again.stdout).toContain('values of platform-kit-g1-abc already stored');
    expect(readFileSync(join(dir, 'calls'), 'utf8').match(/put-secret-value/g)).toHaveLength(1);
    // A new generation (or a new key) generates again.
    expect(run(dir, { SECRET_LABEL: 'platform-kit-g2-abc' }).stdout).toContain('generated platform-kit-g2-abc');
  });

  it('refuses to run without its inputs', () => {
    const r = run(tempDir('secret-2'), { SECRET_KEYS: '' });
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain('SECRET_KEYS is not set');
  });
});

describe('scripts/terraform-stack.sh: validate, plan and apply one stack', () => {
  let repo: string;
  let bin: string;
  /**
   * Fake terraform and aws on PATH: they log their calls; aws knows only the state objects in AWS_STATES; `terraform
   * show -json` prints FAKE_PLAN_JSON, a recorded plan. npx runs the kit's own platform-plan-guard.
   */
  const script = (action: string, stack: string, env: Record<string, string> = {}) => {
    const summary = join(repo, `summary-${Math.random()}.md`);
    const result = spawnSync('bash', ['scripts/terraform-stack.sh', action, stack], {
      cwd: repo,
      encoding: 'utf8',
      env: { ...process.env, PATH: `${bin}:${process.env.PATH}`, GITHUB_STEP_SUMMARY: summary, FAKE_PLAN_JSON: RECORDED_PLANS.update, PR_LABELS: '', ...env },
    });
    return { status: result.status, out: `${result.stdout}${result.stderr}`, summary: existsSync(summary) ? readFileSync(summary, 'utf8') : '' };
  };

  beforeAll(() => {
    repo = generate({ environments: ['dev'], supportingServices: [] }).repo;
    const platform = resolvePlatform({ environments: ['dev'], supportingServices: [] });
    new PlatformApp(platform, { outdir: join(repo, 'cdktf.out'), helmDir: join(repo, 'helm') }).synth();
    bin = join(tempDir('fake-bin'));
    mkdirSync(bin, { recursive: true });
    writeFileSync(
      join(bin, 'terraform'),
      [
        '#!/usr/bin/env bash',
        'echo "terraform $*" >> "$FAKE_LOG"',
        'for a in "$@"; do case "$a" in init) echo "the init output"; exit "${FAKE_INIT_EXIT:-0}";; plan) echo "Plan: 1 to add"; exit "${FAKE_PLAN_EXIT:-2}";; show) case "$*" in *-json*) cat "$FAKE_PLAN_JSON";; *) echo "the saved plan";; esac; exit 0;; esac; done',
        'exit 0',
      ].join('\n'),
    );
    writeFileSync(join(bin, 'npx'), ['#!/usr/bin/env bash', '[ "$1 $2 $3" = "--no -- platform-plan-guard" ] || exit 127', `exec node ${join(KIT_ROOT, 'packages/constructs/bin/platform-plan-guard.js')} "\${@:4}"`].join('\n'));
    chmodSync(join(bin, 'npx'), 0o755);
    writeFileSync(join(bin, 'aws'), ['#!/usr/bin/env bash', 'args="$*"; key=${args##*--key }; key=${key%% *}', 'case " ${AWS_STATES:-} " in *" $key "*) exit 0;; *) exit 255;; esac'].join('\n'));
    chmodSync(join(bin, 'terraform'), 0o755);
    chmodSync(join(bin, 'aws'), 0o755);
  });

  it('plan: a stack whose upstream stacks were never applied is not planned, and the summary says why', () => {
    const r = script('plan', 'dev-cluster', { FAKE_LOG: join(repo, 'log1'), AWS_STATES: 'shared/terraform.tfstate' });
    expect(r.status).toBe(0);
    expect(r.summary).toContain('### dev-cluster: not planned');
    expect(r.summary).toContain('dev-network/terraform.tfstate');
    expect(readFileSync(join(repo, 'log1'), 'utf8')).not.toContain(' plan ');
  });

  it('plan: with its upstream state, a plan summarised in the job summary; a failed plan fails the step', () => {
    const states = { AWS_STATES: 'shared/terraform.tfstate dev-network/terraform.tfstate' };
    const changes = script('plan', 'dev-cluster', { FAKE_LOG: join(repo, 'log2'), ...states });
    expect(changes.status).toBe(0);
    expect(changes.summary).toContain('### dev-cluster: changes');
    expect(changes.summary).toContain('the saved plan');
    expect(readFileSync(join(repo, 'log2'), 'utf8')).toMatch(/plan -input=false .*-detailed-exitcode -out=tfplan/);
    expect(script('plan', 'dev-cluster', { FAKE_LOG: join(repo, 'log3'), FAKE_PLAN_EXIT: '0', ...states }).summary).toContain('### dev-cluster: no changes');
    const failed = script('plan', 'dev-cluster', { FAKE_LOG: join(repo, 'log4'), FAKE_PLAN_EXIT: '1', ...states });
    expect(failed.status).toBe(1);
    expect(failed.summary).toContain('### dev-cluster: failed');
  });

  it('apply: refuses a stack whose upstream state is missing; applies when it is there', () => {
    const refused = script('apply', 'dev-cluster', { FAKE_LOG: join(repo, 'log5'), AWS_STATES: '' });
    expect(refused.status).toBe(1);
    expect(refused.out).toContain('upstream state missing');
    const applied = script('apply', 'dev-cluster', { FAKE_LOG: join(repo, 'log6'), AWS_STATES: 'shared/terraform.tfstate dev-network/terraform.tfstate' });
    expect(applied.status).toBe(0);
    // The saved plan the guard read, nothing planned anew.
    expect(readFileSync(join(repo, 'log6'), 'utf8')).toContain('apply -input=false -no-color -lock-timeout=10m tfplan');
  });

  it('plan and apply: a plan destroying protected resources fails, and is not applied, without allow-destroy:<stack>', () => {
    const states = { AWS_STATES: 'shared/terraform.tfstate', FAKE_PLAN_JSON: RECORDED_PLANS.replace };
    const planned = script('plan', 'dev-network', { FAKE_LOG: join(repo, 'log10'), ...states });
    expect(planned.status).toBe(1);
    expect(planned.out).toContain('replace aws_vpc.network_vpc_4E8F0223: cidr_block cannot change in place');
    expect(planned.out).toContain('::error title=dev-network destroys protected resources::');
    expect(planned.summary).toContain('### dev-network: destructive changes');
    expect(planned.summary).toContain('### dev-network: changes'); // the plan is shown too
    const refused = script('apply', 'dev-network', { FAKE_LOG: join(repo, 'log11'), ...states });
    expect(refused.status).toBe(1);
    expect(readFileSync(join(repo, 'log11'), 'utf8')).not.toContain(' apply ');

    const labels = { PR_LABELS: '["allow-destroy:dev-network"]' };
    expect(script('plan', 'dev-network', { FAKE_LOG: join(repo, 'log12'), ...states, ...labels }).status).toBe(0);
    expect(script('apply', 'dev-network', { FAKE_LOG: join(repo, 'log13'), ...states, ...labels }).status).toBe(0);
    expect(readFileSync(join(repo, 'log13'), 'utf8')).toContain('apply -input=false -no-color -lock-timeout=10m tfplan');
  });

  it('a failing terraform init shows its output and fails', () => {
    const r = script('plan', 'dev-cluster', { FAKE_LOG: join(repo, 'log9'), FAKE_INIT_EXIT: '1' });
    expect(r.status).toBe(1);
    expect(r.out).toContain('the init output');
    expect(r.out).toContain('dev-cluster: terraform init failed');
  });

  it('an unknown stack or action: exit 2, naming the stacks', () => {
    const unknown = script('plan', 'nope', { FAKE_LOG: join(repo, 'log7') });
    expect(unknown.status).toBe(2);
    expect(unknown.out).toContain('Stacks: bootstrap dev-cluster');
    expect(script('destroy', 'dev-cluster', { FAKE_LOG: join(repo, 'log8') }).status).toBe(2);
  });

  it.runIf(terraformAvailable)('validate: real terraform, offline, on an AWS stack', () => {
    const r = spawnSync('bash', ['scripts/terraform-stack.sh', 'validate', 'dev-network'], {
      cwd: repo,
      encoding: 'utf8',
      env: { ...process.env, TF_CLI_ARGS_init: `-plugin-dir=${PLUGIN_DIR}` },
    });
    expect(`${r.stdout}${r.stderr}`).toContain('Success! The configuration is valid.');
    expect(r.status).toBe(0);
  });
});

describe("the kit's own workflows", () => {
  const dir = join(KIT_ROOT, '.github/workflows');
  const files = () => readdirSync(dir).filter((f) => f.endsWith('.yml'));

  it("parse without errors with GitHub's workflow parser", async () => {
    expect(files().sort()).toEqual(['ci.yml', 'release.yml']);
    for (const f of files()) expect(await workflowErrors(f, readFileSync(join(dir, f), 'utf8')), f).toEqual([]);
  });

  it('ci: build, lint and test on Node 20, 22 and 24', () => {
    const ci = parse(readFileSync(join(dir, 'ci.yml'), 'utf8'));
    const jobs = Object.values<Json>(ci.jobs);
    const matrix = jobs.flatMap((j) => j.strategy?.matrix?.node ?? []);
    expect(matrix.map(String).sort()).toEqual(['20', '22', '24']);
    const commands = jobs.flatMap(runs).join('\n');
    for (const command of ['npm ci', 'npm run lint', 'npm test', 'npm run package', 'git diff --exit-code']) expect(commands).toContain(command);
    // The Terraform tests run there too: terraform and the provider mirror they validate against.
    expect(commands).toContain('providers mirror');
  });

  it('ci: a pull request that changes a package without a changeset fails the changeset job', () => {
    const ci = parse(readFileSync(join(dir, 'ci.yml'), 'utf8'));
    const check = ci.jobs.changeset;
    expect(check.if).toContain("github.event_name == 'pull_request'");
    expect(runs(check)).toContain('npx changeset status --since="origin/$BASE_REF"');

    // The same command in a small monorepo with the kit's changesets configuration.
    const repo = tempDir('changesets');
    const sh = (command: string) => spawnSync('bash', ['-c', command], { cwd: repo, encoding: 'utf8' });
    const git = (args: string) => execFileSync('bash', ['-c', `git -c user.name=t -c user.email=t@example.com ${args}`], { cwd: repo, encoding: 'utf8' });
    mkdirSync(join(repo, 'packages/lib'), { recursive: true });
    mkdirSync(join(repo, '.changeset'));
    writeFileSync(join(repo, 'package.json'), JSON.stringify({ name: 'root', private: true, workspaces: ['packages/lib'] }));
    writeFileSync(join(repo, 'packages/lib/package.json'), JSON.stringify({ name: '@scratch/lib', version: '1.0.0' }));
    writeFileSync(join(repo, 'packages/lib/index.js'), 'module.exports = 1;\n');
    const config = JSON.parse(readFileSync(join(KIT_ROOT, '.changeset/config.json'), 'utf8'));
    writeFileSync(join(repo, '.changeset/config.json'), JSON.stringify({ ...config, fixed: [] }));
    git('init -q -b main && git add -A && git -c user.name=t -c user.email=t@example.com commit -qm base');
    git('checkout -q -b feature');
    writeFileSync(join(repo, 'packages/lib/index.js'), 'module.exports = 2;\n');
    git('commit -qam "a change without a changeset"');
    const changeset = `${join(KIT_ROOT, 'node_modules/.bin/changeset')} status --since=main`;
    const missing = sh(changeset);
    expect(missing.status).toBe(1);
    writeFileSync(join(repo, '.changeset/lib-two.md'), '---\n"@scratch/lib": patch\n---\n\nReturns 2.\n');
    git('add -A && git -c user.name=t -c user.email=t@example.com commit -qm changeset');
    const present = sh(changeset);
    expect(`${present.stdout}${present.stderr}`).toContain('@scratch/lib');
    expect(present.status).toBe(0);
  });

  it('release: a version pull request from changesets, then npm publish with provenance', () => {
    const release = parse(readFileSync(join(dir, 'release.yml'), 'utf8'));
    const job = Object.values<Json>(release.jobs)[0];
    expect(job.permissions['id-token']).toBe('write'); // npm provenance
    const [changesets] = stepsUsing(job, catalogue.ci.actions.changesets);
    expect(changesets.with.publish).toContain('release');
    expect(`${JSON.stringify(job.env ?? {})}${JSON.stringify(changesets.env ?? {})}`).toContain('NPM_CONFIG_PROVENANCE');
  });
});

describe('infra.yml: the security rules (npx projen policy)', () => {
  it('the validate job runs platform-policy after synthesizing, and every plan and apply waits for it', () => {
    const g = generate({ name: 'policed', environments: ['dev'], services: [] });
    const jobs = jobsOf(g.workflows['infra.yml'].json);
    const commands = runs(jobs.validate);
    const policy = commands.indexOf('npx --no platform-policy');
    expect(policy).toBeGreaterThan(commands.indexOf('npx projen synth'));
    expect(policy).toBeGreaterThan(commands.findIndex((c) => c.includes('terraform-stack.sh validate')));
    // Plans wait for validate; applies follow the first apply, which waits for validate.
    for (const scope of ciScopes(g.platform)) expect(jobs[`plan-${scope}`].needs).toContain('validate');
    expect(jobs[`apply-${ciScopes(g.platform)[0]}`].needs).toContain('validate');
    // The command the step runs is the one the repo's policy task runs after its synth.
    const tasks = JSON.parse(readFileSync(join(g.repo, '.projen/tasks.json'), 'utf8')).tasks;
    expect(tasks.policy.steps).toEqual([{ spawn: 'synth' }, { exec: 'platform-policy', receiveArgs: true }]);
  });
});

describe('scripts/image-tags.sh: the image each service runs in each environment', () => {
  let origin: string;
  let base: string;
  const clones: Record<string, string> = {};
  const git = (cwd: string, ...args: string[]) => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], { cwd, encoding: 'utf8' }).trim();
  const tags = (cwd: string, ...args: string[]) => spawnSync('bash', ['scripts/image-tags.sh', ...args], { cwd, encoding: 'utf8' });
  const ok = (cwd: string, ...args: string[]) => {
    const result = tags(cwd, ...args);
    expect(result.status, `${args.join(' ')}: ${result.stderr}`).toBe(0);
    return result.stdout.trim();
  };
  /** A commit on main of `clone`, pushed: what images.yml would build. */
  const commit = (clone: string, message: string) => {
    writeFileSync(join(clones[clone], 'services/api/change.txt'), message);
    git(clones[clone], 'add', '-A');
    git(clones[clone], 'commit', '-qm', message);
    git(clones[clone], 'push', '-q', 'origin', 'HEAD:main');
    return git(clones[clone], 'rev-parse', 'HEAD');
  };
  const onMain = (environment: string, service: string) => {
    git(clones.check, 'pull', '-q', '--ff-only', 'origin', 'main');
    return tags(clones.check, 'get', environment, service).stdout.trim();
  };

  beforeAll(() => {
    base = generate({ services: ['api', 'worker', 'web'], supportingServices: [] }).repo;
    origin = join(tempDir('image-tags'), 'origin.git');
    execFileSync('git', ['init', '-q', '--bare', '-b', 'main', origin]);
    git(base, 'init', '-q', '-b', 'main');
    git(base, 'add', '-A');
    git(base, 'commit', '-qm', 'generated');
    git(base, 'remote', 'add', 'origin', origin);
    git(base, 'push', '-q', 'origin', 'main');
    // Two CI runs (a and b) and a reader.
    for (const name of ['a', 'b', 'check']) {
      clones[name] = join(tempDir(`image-tags-${name}`), 'repo');
      execFileSync('git', ['clone', '-q', origin, clones[name]]);
    }
  });

  it('sets, gets and lists tags; refuses what is not an environment, a service or a tag with exit code 2', () => {
    expect(ok(clones.check, 'get', 'dev', 'api')).toBe('');
    expect(ok(clones.check, 'set', 'dev', 'api', 'v1.2.3')).toContain('gitops/dev/services/api/image/kustomization.yaml');
    expect(ok(clones.check, 'get', 'dev', 'api')).toBe('v1.2.3');
    expect(ok(clones.check, 'list').split('\n')).toContain('dev api v1.2.3');
    expect(ok(clones.check, 'list').split('\n')).toContain('prod web -');
    for (const args of [['set', 'qa', 'api', 'x'], ['set', 'dev', 'nope', 'x'], ['set', 'dev', 'api', 'bad tag'], ['set', 'dev'], ['promote', 'dev', 'dev'], ['frobnicate']]) {
      const result = tags(clones.check, ...args);
      expect(result.status, args.join(' ')).toBe(2);
      expect(result.stderr).not.toBe('');
    }
    git(clones.check, 'checkout', '-q', '--', '.');
    git(clones.check, 'clean', '-qfd');
  });

  it('records what main pushed, and two runs recording different services at once both land without a conflict', () => {
    const first = commit('a', 'first');
    expect(ok(clones.a, 'record', 'dev', first, 'api', 'worker')).toContain('recorded api worker');
    expect(onMain('dev', 'api')).toBe(first);
    const second = commit('a', 'second');
    git(clones.b, 'fetch', '-q', 'origin');
    git(clones.b, 'reset', '-q', '--hard', second); // run b checked out `second` before run a recorded anything
    ok(clones.a, 'record', 'dev', second, 'api');
    const b = tags(clones.b, 'record', 'dev', second, 'web');
    expect(b.status, b.stderr).toBe(0);
    expect(b.stderr).toContain('recording again on top of it');
    expect([onMain('dev', 'api'), onMain('dev', 'web'), onMain('dev', 'worker')]).toEqual([second, second, first]);
  });

  it('never records an older commit over a newer one (runs finishing out of order)', () => {
    const newer = onMain('dev', 'api');
    git(clones.a, 'pull', '-q', '--ff-only', 'origin', 'main');
    const older = git(clones.a, 'rev-parse', `${newer}~1`);
    const result = tags(clones.a, 'record', 'dev', older, 'api');
    expect(result.status).toBe(0);
    expect(result.stderr).toContain(`already runs ${newer}, newer than ${older}: skipped`);
    expect(onMain('dev', 'api')).toBe(newer);
  });

  it('promotes every recorded tag to the next environment, and a revert rolls the promotion back', () => {
    const check = clones.check;
    git(check, 'pull', '-q', '--ff-only', 'origin', 'main');
    const changes = ok(check, 'promote', 'dev', 'staging').split('\n');
    expect(changes).toEqual([`api: (none) -> ${onMain('dev', 'api')}`, `worker: (none) -> ${onMain('dev', 'worker')}`, `web: (none) -> ${onMain('dev', 'web')}`]);
    git(check, 'add', '-A');
    git(check, 'commit', '-qm', 'Promote dev to staging');
    expect(ok(check, 'promote', 'dev', 'staging')).toBe(''); // nothing left to promote
    expect(tags(check, 'get', 'staging', 'api').stdout.trim()).toBe(onMain('dev', 'api'));
    // Roll back: revert the promotion; staging has no image recorded again, as before it.
    git(check, 'revert', '--no-edit', 'HEAD');
    expect(tags(check, 'get', 'staging', 'api').stdout.trim()).toBe('');
    expect(existsSync(join(check, 'gitops/staging/services/api/image/kustomization.yaml'))).toBe(false);
  });
});

describe('infra.yml with an environment on an existing cluster (answered `target`)', () => {
  const platform = resolvePlatform(onExistingClusters({ name: 'acme', environments: ['dev', 'prod'], services: ['api'] }, { dev: { kind: 'kubernetes', context: 'office' } }));
  const workflow = infraWorkflow(platform);
  const jobs = workflow.jobs as Record<string, Json>;

  it("parses with GitHub's parser", async () => {
    expect(await workflowErrors('infra.yml', stringify(workflow))).toEqual([]);
  });

  it("applies dev's one stack with the kubeconfig from its GitHub Environment's secret, on a runner of its own or GitHub's", () => {
    expect(jobs['runner-dev']).toBeUndefined();
    expect(jobs['runner-prod']).toBeDefined();
    const apply = jobs['apply-dev'];
    expect(apply.needs).toEqual(['apply-shared']);
    expect(apply['runs-on']).toBe("${{ vars.CLUSTER_RUNNER_DEV && fromJSON(vars.CLUSTER_RUNNER_DEV) || 'ubuntu-latest' }}");
    expect(runs(apply).filter((r) => r.startsWith('bash scripts/terraform-stack.sh'))).toEqual(['bash scripts/terraform-stack.sh apply dev-services']);
    const kubeconfig = (apply.steps as Json[]).find((s) => s.id === 'inside')!;
    expect(kubeconfig.env).toEqual({ KUBECONFIG_DATA: `\${{ secrets.${KUBECONFIG_SECRET} }}` });
    // It writes the file Helm reads (the stack's config_path), and says what to do without it.
    expect(kubeconfig.run).toContain('> ~/.kube/config');
    expect(kubeconfig.run).toContain(`has no secret ${KUBECONFIG_SECRET}`);
    expect((apply.steps as Json[]).find((s) => s.run === 'bash scripts/terraform-stack.sh apply dev-services')!.if).toBe("steps.inside.outputs.ok == 'true'");
    // The role it assumes may use dev's state only (packages/constructs/test/existing-cluster.test.ts).
    expect(stepsUsing(apply, catalogue.ci.actions.awsCredentials)[0].with['role-to-assume']).toBe(ciRoleArn(platform, 'dev', 'apply'));
  });

  it('runs the kubeconfig step for real: no secret, a warning and no apply; a secret, the file', () => {
    const step = (jobs['apply-dev'].steps as Json[]).find((s) => s.id === 'inside')!;
    const home = tempDir('kubeconfig-home');
    const run = (data: string) => {
      const output = join(home, `output-${data.length}`);
      writeFileSync(output, '');
      const result = spawnSync('bash', ['-e', '-c', step.run], { encoding: 'utf8', env: { ...process.env, HOME: home, GITHUB_OUTPUT: output, KUBECONFIG_DATA: data } });
      return { ...result, output: readFileSync(output, 'utf8') };
    };
    const none = run('');
    expect(none.status).toBe(0);
    expect(none.output).toBe('ok=false\n');
    expect(none.stdout).toContain('::warning::dev-services skipped');
    const given = run('apiVersion: v1\nkind: Config\ncurrent-context: office');
    expect(given.output).toBe('ok=true\n');
    expect(readFileSync(join(home, '.kube/config'), 'utf8')).toBe('apiVersion: v1\nkind: Config\ncurrent-context: office\n');
    expect(statSync(join(home, '.kube/config')).mode & 0o077).toBe(0);
  });

  it('keeps prod on its CodeBuild runner inside the VPC', () => {
    expect(jobs['apply-prod'].needs).toEqual(['apply-dev', 'runner-prod']);
    expect((jobs['apply-prod'].steps as Json[]).find((s) => s.id === 'inside')!.name).toBe('A runner inside the VPC');
  });
});
