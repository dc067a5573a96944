import {
  catalogue,
  ciRoleArn,
  ciScopes,
  ecrRegistry,
  ecrRepositoryName,
  environmentStackName,
  scopeTarget,
  githubConnectionName,
  imagesRoleArn,
  promotions,
  runnerProjectName,
  SHARED_SCOPE,
  type CiScope,
  type Platform,
} from '@platform-kit/config';

/*
 * The generated repo's GitHub Actions workflows, as plain objects (PlatformProject writes them as YAML).
 * No static keys: every AWS step assumes a role of the shared stack through GitHub OIDC, and only the jobs
 * that do get `id-token: write`. Every job declares its own least permissions; the workflow grants none.
 */

type Step = Record<string, unknown>;
type Job = Record<string, unknown>;
export type Workflow = Record<string, unknown>;

const { actions } = catalogue.ci;
const RUNNER = 'ubuntu-latest';

const checkout = (fetchDepth?: number): Step => ({ uses: actions.checkout, ...(fetchDepth === undefined ? {} : { with: { 'fetch-depth': fetchDepth } }) });
const setupNode: Step = { uses: actions.setupNode, with: { 'node-version': catalogue.ci.node, cache: 'npm' } };
// From setup-node's npm cache, without asking the registry again about what the lock file pins.
const npmCi: Step = { name: 'Install', run: 'npm ci --prefer-offline' };
/** Where a job keeps the installed packages between runs (see `install`). */
export const NODE_MODULES_CACHE_KEY = `node-modules-\${{ runner.os }}-\${{ runner.arch }}-node${catalogue.ci.node}-\${{ hashFiles('package-lock.json') }}`;
/**
 * node_modules itself from GitHub's cache while package-lock.json is unchanged (it pins every package, the kit's
 * tarballs by their integrity): such a job runs no npm at all. On a miss, npm ci installs from setup-node's cache and
 * the job saves node_modules under that key when it succeeds. The key names the OS, architecture and Node version
 * (tsx's esbuild is a native binary). Only for jobs that leave node_modules as npm ci made it.
 */
const install: Step[] = [
  { name: 'Installed packages (cache)', id: 'node-modules', uses: actions.cache, with: { path: 'node_modules', key: NODE_MODULES_CACHE_KEY } },
  { ...npmCi, if: "steps.node-modules.outputs.cache-hit != 'true'" },
];
const setupTerraform: Step = { uses: actions.setupTerraform, with: { terraform_version: catalogue.terraform.cli, terraform_wrapper: false } };
/** Where Terraform keeps the provider plugins it downloads, shared by every stack's init in a job and between runs. */
export const TERRAFORM_PLUGIN_CACHE = '~/.terraform.d/plugin-cache';
/**
 * The providers' plugins cached between runs, keyed on the versions the kit pins (an upgrade that changes one changes
 * this file, and so the key). The stacks' lock files are written by each run's init (cdktf.out is not in git): without
 * TF_PLUGIN_CACHE_MAY_BREAK_DEPENDENCY_LOCK_FILE, Terraform would ignore the cache whenever a lock file is new, which
 * is always. The cache is this repository's own: GitHub keeps a pull request's entries to that pull request.
 */
const terraformPlugins: Step[] = [
  {
    name: 'Terraform provider cache',
    uses: actions.cache,
    with: {
      path: TERRAFORM_PLUGIN_CACHE,
      key: `terraform-providers-\${{ runner.os }}-${Object.entries(catalogue.providers).map(([name, p]) => `${name}-${p.version}`).join('-')}`,
    },
  },
  {
    name: 'Use the provider cache',
    run: [
      `mkdir -p ${TERRAFORM_PLUGIN_CACHE}`,
      `echo "TF_PLUGIN_CACHE_DIR=${TERRAFORM_PLUGIN_CACHE.replace('~', '$HOME')}" >> "$GITHUB_ENV"`,
      'echo "TF_PLUGIN_CACHE_MAY_BREAK_DEPENDENCY_LOCK_FILE=true" >> "$GITHUB_ENV"',
    ].join('\n'),
  },
];
const synth: Step = { name: 'Synthesize every stack', run: 'npx projen synth' };
/** The repo checked out, installed, with Terraform and its provider cache, and every stack synthesized: where Terraform jobs start. */
const synthesized: Step[] = [checkout(), setupNode, ...install, setupTerraform, ...terraformPlugins, synth];
const assumeRole = (platform: Platform, roleArn: string): Step => ({
  name: 'AWS credentials (OIDC)',
  uses: actions.awsCredentials,
  with: { 'role-to-assume': roleArn, 'aws-region': platform.aws.region, 'role-session-name': 'github-${{ github.run_id }}' },
});

/** The stacks of a CI scope, in apply order: `shared`, or those of the environment's cluster target. */
export function scopeStacks(platform: Platform, scope: CiScope): string[] {
  if (scope === SHARED_SCOPE) return [SHARED_SCOPE];
  return scopeTarget(platform, scope)!.stacks.map((kind) => environmentStackName(scope, kind));
}

/**
 * The stacks a pull request plans with the scope's read-only role: all but `<env>-services`, whose Helm releases
 * keep their values in Kubernetes Secrets, which the plan role may not read (it never reads a secret). That stack
 * is planned by its apply job, with the apply role, right before it is applied.
 */
export function plannedStacks(platform: Platform, scope: CiScope): string[] {
  return scopeStacks(platform, scope).filter((stack) => scope === SHARED_SCOPE || stack !== environmentStackName(scope, 'services'));
}

/**
 * Where an environment's jobs run. `<env>-services` talks to the cluster's Kubernetes API, which is private by
 * default, so its apply job runs on the environment's CodeBuild runner inside the VPC once that exists (the
 * `runner-<env>` job finds it). A repository variable CLUSTER_RUNNER_<ENV> (JSON, e.g. ["self-hosted","dev"]) names
 * a runner of your own instead. Plans (which never touch the cluster) run on GitHub's runners unless that variable is set.
 */
export function runnerOf(platform: Platform, scope: CiScope, kind: 'plan' | 'apply' = 'plan'): string {
  if (scope === SHARED_SCOPE) return RUNNER;
  const variable = `vars.${runnerVariable(scope)}`;
  // An existing cluster has no CodeBuild runner of the kit's: a runner of your own, or GitHub's if its API is public.
  const codebuild = kind === 'apply' && onEks(platform, scope) ? ` || needs.${runnerJob(scope)}.outputs.label` : '';
  return `\${{ ${variable} && fromJSON(${variable})${codebuild} || '${RUNNER}' }}`;
}

/** Whether a CI scope is an environment on EKS (not `shared`, not an existing cluster). */
function onEks(platform: Platform, scope: CiScope): boolean {
  return scopeTarget(platform, scope)?.kind === 'eks';
}

/** The GitHub Environment secret holding the kubeconfig of an environment on an existing cluster. */
export const KUBECONFIG_SECRET = 'KUBECONFIG';

/** The job that finds an environment's CodeBuild runner before its apply job starts. */
export const runnerJob = (environment: string) => `runner-${environment}`;

/**
 * runner-<env>: with the environment's read-only role, whether its CodeBuild runner exists (created by <env>-services-aws
 * once the account's GitHub connection is approved). Outputs the `runs-on` label of a CodeBuild-hosted runner, or nothing.
 */
function runnerProbe(platform: Platform, environment: string): Job {
  const project = runnerProjectName(platform, environment);
  return {
    name: `Find the runner of ${environment}`,
    if: "github.event_name != 'pull_request' && github.ref == 'refs/heads/main'",
    'runs-on': RUNNER,
    permissions: { contents: 'read', 'id-token': 'write' },
    outputs: { label: '${{ steps.find.outputs.label }}' },
    steps: [
      assumeRole(platform, ciRoleArn(platform, environment, 'plan')),
      {
        id: 'find',
        name: `CodeBuild project ${project}`,
        env: { PROJECT: project, LABEL: `codebuild-${project}-\${{ github.run_id }}-\${{ github.run_attempt }}` },
        run: [
          'found=$(aws codebuild batch-get-projects --names "$PROJECT" --query "projects[0].name" --output text) || found=""',
          'if [ "$found" = "$PROJECT" ]; then',
          '  echo "label=$LABEL" >> "$GITHUB_OUTPUT"',
          'else',
          `  echo "::notice::No runner in the VPC of ${environment} yet: <env>-services-aws creates it once the GitHub connection ${githubConnectionName(platform)} is approved (docs/ci.md)."`,
          'fi',
        ].join('\n'),
      },
    ],
  };
}

/**
 * Before `<env>-services`: refuse to start without a way into the cluster (on EKS a runner inside the VPC; on an existing
 * cluster its kubeconfig), with a message saying what to do, and make sure kubectl is there (scripts/argocd-repository.sh
 * uses it; CodeBuild's image does not have it).
 */
function clusterAccess(platform: Platform, environment: string): Step[] {
  const version = `v${platform.kubernetesVersion}.0`;
  const target = scopeTarget(platform, environment)!;
  const way: Step =
    target.access.kind === 'kubeconfig'
      ? {
          // An existing cluster: its kubeconfig from the environment's secret, where Helm and kubectl read it.
          id: 'inside',
          name: `The kubeconfig of ${target.access.context}`,
          env: { KUBECONFIG_DATA: `\${{ secrets.${KUBECONFIG_SECRET} }}` },
          run: [
            'if [ -z "$KUBECONFIG_DATA" ]; then',
            '  echo "ok=false" >> "$GITHUB_OUTPUT"',
            `  echo "::warning::${environmentStackName(environment, 'services')} skipped: the GitHub Environment ${environment} has no secret ${KUBECONFIG_SECRET} (a kubeconfig with the context ${target.access.context}, docs/ci.md). Add it, then run this workflow again."`,
            '  exit 0',
            'fi',
            'umask 077 && mkdir -p ~/.kube && printf "%s\\n" "$KUBECONFIG_DATA" > ~/.kube/config',
            'echo "ok=true" >> "$GITHUB_OUTPUT"',
          ].join('\n'),
        }
      : {
          // Without one, the environment's other stacks are still applied (the run creates the runner), and the run fails
          // at its end (the `applied` job) saying what to do: run it again.
          id: 'inside',
          name: 'A runner inside the VPC',
          env: { CODEBUILD_RUNNER: `\${{ needs.${runnerJob(environment)}.outputs.label }}`, OWN_RUNNER: `\${{ vars.${runnerVariable(environment)} }}` },
          run: [
            'if [ -n "$CODEBUILD_RUNNER$OWN_RUNNER" ]; then echo "ok=true" >> "$GITHUB_OUTPUT"; exit 0; fi',
            'echo "ok=false" >> "$GITHUB_OUTPUT"',
            `echo "::warning::${environmentStackName(environment, 'services')} skipped: it reaches the cluster's private API endpoint, so it runs on the runner ${environmentStackName(environment, 'services-aws')} creates in the VPC once the GitHub connection ${githubConnectionName(platform)} is approved (docs/ci.md). Run this workflow again once it exists."`,
          ].join('\n'),
        };
  return [
    way,
    {
      name: 'kubectl',
      if: "steps.inside.outputs.ok == 'true'",
      run: [
        'if ! command -v kubectl >/dev/null; then',
        '  mkdir -p "$RUNNER_TEMP/bin"',
        `  curl -fsSLo "$RUNNER_TEMP/bin/kubectl" "https://dl.k8s.io/release/${version}/bin/linux/amd64/kubectl"`,
        `  echo "$(curl -fsSL "https://dl.k8s.io/release/${version}/bin/linux/amd64/kubectl.sha256")  $RUNNER_TEMP/bin/kubectl" | sha256sum -c -`,
        '  chmod +x "$RUNNER_TEMP/bin/kubectl"',
        '  echo "$RUNNER_TEMP/bin" >> "$GITHUB_PATH"',
        'fi',
      ].join('\n'),
    },
  ];
}

/** The repository variable naming an environment's runner, e.g. CLUSTER_RUNNER_DEV. */
export function runnerVariable(environment: string): string {
  return `CLUSTER_RUNNER_${environment.toUpperCase()}`;
}

/** On main: the labels of the pull request merged as this commit, into PR_LABELS (none for a push without one). */
const mergedPullRequestLabels: Step = {
  name: 'Labels of the merged pull request',
  env: { GH_TOKEN: '${{ github.token }}' },
  run: 'echo "PR_LABELS=$(gh api "repos/$GITHUB_REPOSITORY/commits/$GITHUB_SHA/pulls" --jq \'[.[].labels[].name]\')" >>"$GITHUB_ENV"',
};

/** infra.yml: drift check, synth and validate, plans on pull requests, ordered applies on main. */
export function infraWorkflow(platform: Platform): Workflow {
  const scopes = ciScopes(platform);
  const jobs: Record<string, Job> = {
    drift: {
      name: 'Managed files match .projenrc.ts',
      'runs-on': RUNNER,
      permissions: { contents: 'read' },
      steps: [
        checkout(),
        setupNode,
        ...install,
        { name: 'Regenerate the managed files', run: 'npx projen' },
        {
          name: 'No managed file was edited by hand',
          run: 'git diff --exit-code || { echo "::error::Managed files differ from what .projenrc.ts generates: change .projenrc.ts, run npx projen and commit."; exit 1; }',
        },
      ],
    },
    validate: {
      name: 'Synthesize, format and validate',
      'runs-on': RUNNER,
      permissions: { contents: 'read' },
      steps: [
        ...synthesized,
        {
          // The synthesized stacks are JSON; this checks the Terraform files written by hand, if any.
          name: 'Terraform format',
          run: 'files=$(git ls-files "*.tf" "*.tfvars"); if [ -n "$files" ]; then terraform fmt -check -diff $files; else echo "No .tf files to check."; fi',
        },
        { name: 'Terraform validate, stack by stack', run: 'for stack in cdktf.out/stacks/*/; do bash scripts/terraform-stack.sh validate "$(basename "$stack")"; done' },
        // `npx projen policy` without its synth step: the stacks are synthesized above. --no: never fetch a
        // package of that name from the registry when @platform-kit/constructs is not installed.
        { name: 'Security rules (docs/policy.md)', run: 'npx --no platform-policy' },
      ],
    },
  };
  /** The stacks of a scope, one step each, with the scope's plan or apply role. */
  const stackJob = (scope: CiScope, kind: 'plan' | 'apply', when: Job): Job => ({
    name: `${kind === 'plan' ? 'Plan' : 'Apply'} ${scope}`,
    ...when,
    ...(kind === 'apply' && scope !== SHARED_SCOPE ? { outputs: { 'in-cluster': '${{ steps.inside.outputs.ok }}' } } : {}),
    'runs-on': runnerOf(platform, scope, kind),
    // pull-requests: read, for the labels of the pull request an apply comes from.
    permissions: { contents: 'read', 'id-token': 'write', ...(kind === 'apply' ? { 'pull-requests': 'read' } : {}) },
    // The labels that allow destroying protected resources (allow-destroy:<stack>): the pull request's, or on main
    // those of the pull request merged as this commit (the next step).
    ...(kind === 'plan' ? { env: { PR_LABELS: '${{ toJSON(github.event.pull_request.labels.*.name) }}' } } : {}),
    steps: [
      ...synthesized,
      ...(kind === 'apply' ? [mergedPullRequestLabels] : []),
      assumeRole(platform, ciRoleArn(platform, scope, kind)),
      ...(kind === 'plan' ? plannedStacks(platform, scope) : scopeStacks(platform, scope)).flatMap((stack) => {
        const inCluster = kind === 'apply' && stack === environmentStackName(scope, 'services');
        return [
          ...(inCluster ? clusterAccess(platform, scope) : []),
          {
            name: `${kind === 'plan' ? 'Plan' : 'Apply'} ${stack}`,
            ...(inCluster ? { if: "steps.inside.outputs.ok == 'true'" } : {}),
            run: `bash scripts/terraform-stack.sh ${kind} ${stack}`,
          },
        ];
      }),
      // What a pull request does not plan, said in the job, so that nobody looks for its plan.
      ...scopeStacks(platform, scope)
        .filter((stack) => kind === 'plan' && !plannedStacks(platform, scope).includes(stack))
        .map((stack) => ({
          name: `${stack}: planned when applied`,
          run: `echo "::notice::${stack} (Argo CD) is planned by the apply job (Helm keeps its releases in Kubernetes Secrets, which plan roles cannot read). Review helm/${scope}/argo-cd*.yaml here; Argo CD applies the gitops/${scope}/ changes once merged."`,
        })),
    ],
  });
  for (const scope of scopes) jobs[`plan-${scope}`] = stackJob(scope, 'plan', { if: "github.event_name == 'pull_request'", needs: ['validate'] });
  // Applies run scope after scope (shared, then the environments in promotion order), each in its GitHub
  // Environment: its protection rules (required reviewers for prod) gate it, and only its jobs may assume its apply role.
  scopes.forEach((scope, i) => {
    // After apply-shared: an environment added since the last run gets its read-only role there.
    if (onEks(platform, scope)) jobs[runnerJob(scope)] = { ...runnerProbe(platform, scope), needs: [`apply-${SHARED_SCOPE}`] };
    jobs[`apply-${scope}`] = stackJob(scope, 'apply', {
      // A push to main, or a manual run on main (e.g. to apply again once a runner exists).
      if: "github.event_name != 'pull_request' && github.ref == 'refs/heads/main'",
      needs: [...(i === 0 ? ['validate', 'drift'] : [`apply-${scopes[i - 1]}`]), ...(onEks(platform, scope) ? [runnerJob(scope)] : [])],
      environment: scope,
    });
  });
  const environments = scopes.filter((scope) => scope !== SHARED_SCOPE);
  jobs.applied = {
    name: 'Every stack applied',
    if: "always() && github.event_name != 'pull_request' && github.ref == 'refs/heads/main'",
    needs: environments.map((e) => `apply-${e}`),
    'runs-on': RUNNER,
    permissions: {},
    steps: [
      {
        name: 'No environment skipped its cluster',
        env: Object.fromEntries(environments.map((e) => [`IN_CLUSTER_${e.toUpperCase()}`, `\${{ needs.apply-${e}.outputs.in-cluster }}`])),
        run: [
          'skipped=""',
          ...environments.map((e) => `if [ "$IN_CLUSTER_${e.toUpperCase()}" = false ]; then skipped="$skipped ${environmentStackName(e, 'services')}"; fi`),
          'if [ -n "$skipped" ]; then',
          environments.every((e) => onEks(platform, e))
            ? '  echo "::error::Not applied yet:$skipped (no runner in the VPC when the run started). Run infra.yml again: their runners exist now if the GitHub connection is approved (docs/ci.md)."'
            : '  echo "::error::Not applied yet:$skipped (no way into the cluster when the run started: no runner in the VPC yet, or no kubeconfig secret). The warnings above say what is missing; then run infra.yml again (docs/ci.md)."',
          '  exit 1',
          'fi',
        ].join('\n'),
      },
    ],
  };
  return {
    name: 'infra',
    // labeled, unlabeled: an allow-destroy:<stack> label plans again (platform-plan-guard).
    on: { pull_request: { types: ['opened', 'synchronize', 'reopened', 'labeled', 'unlabeled'] }, push: { branches: ['main'] }, workflow_dispatch: {} },
    permissions: {},
    // One run on main at a time, in order: two applies never overlap (a newer waiting run replaces an older
    // waiting one; it holds its commits). On pull requests a new push cancels the previous run.
    concurrency: {
      group: "infra-${{ github.event_name == 'pull_request' && github.ref || 'main' }}",
      'cancel-in-progress': "${{ github.event_name == 'pull_request' }}",
    },
    env: { TF_IN_AUTOMATION: '1', TF_INPUT: '0' },
    jobs,
  };
}

/** A shell condition: the ECR repository holds an image with this tag (both may be shell variables). */
const ecrHasImage = (repository: string, tag: string) => `aws ecr describe-images --repository-name "${repository}" --image-ids imageTag="${tag}" >/dev/null 2>&1`;

/**
 * images.yml: build each service's image (changed ones on pull requests), push to ECR from main and tags, and deploy
 * what main pushed to the first environment (a bot commit recording the tags under gitops/, see IMAGE_TAGS_SCRIPT).
 */
export function imagesWorkflow(platform: Platform): Workflow {
  const registry = ecrRegistry(platform);
  const first = platform.environments[0].name;
  const image = `${registry}/${ecrRepositoryName(platform, '${{ matrix.service }}')}`;
  const matrix = { 'fail-fast': false, matrix: { service: '${{ fromJSON(needs.changes.outputs.services) }}' } };
  const cache = { 'cache-from': 'type=gha,scope=${{ matrix.service }}', 'cache-to': 'type=gha,mode=max,scope=${{ matrix.service }}' };
  const buildSteps = (push: boolean): Step[] => [
    checkout(),
    { uses: actions.setupBuildx },
    {
      id: 'meta',
      uses: actions.dockerMetadata,
      with: {
        images: image,
        // The commit's sha on main; the version (v1.2.3 -> 1.2.3) on a release tag. ECR tags are immutable.
        tags: ['type=sha,prefix=,format=long,enable=${{ github.ref_type == \'branch\' }}', 'type=semver,pattern={{version}}'].join('\n'),
      },
    },
    ...(push
      ? [
          assumeRole(platform, imagesRoleArn(platform)),
          { id: 'ecr', uses: actions.ecrLogin },
          {
            // A re-run of a pushed commit: its tag exists and cannot be overwritten.
            id: 'exists',
            name: 'Skip an image that is already pushed',
            env: { TAG: '${{ steps.meta.outputs.version }}', REPOSITORY: ecrRepositoryName(platform, '${{ matrix.service }}') },
            run: [
              `if ${ecrHasImage('$REPOSITORY', '$TAG')}; then`,
              '  echo "skip=true" >> "$GITHUB_OUTPUT"; echo "::notice::$REPOSITORY:$TAG is already in ECR"',
              'fi',
            ].join('\n'),
          },
        ]
      : []),
    {
      name: push ? 'Build and push' : 'Build',
      ...(push ? { if: "steps.exists.outputs.skip != 'true'" } : {}),
      uses: actions.buildPush,
      with: { context: 'services/${{ matrix.service }}', push, tags: '${{ steps.meta.outputs.tags }}', labels: '${{ steps.meta.outputs.labels }}', ...cache },
    },
  ];
  return {
    name: 'images',
    on: {
      pull_request: { paths: ['services/**', '.github/workflows/images.yml', 'scripts/changed-services.sh'] },
      push: { branches: ['main'], tags: ['v*.*.*'] },
      workflow_dispatch: {},
    },
    permissions: {},
    // A pull request's new push cancels its previous run. Pushes to main each get their own run: a run waiting in a
    // shared queue would be replaced by a newer one, whose build only covers its own push's changes. Their records
    // never conflict and never go back (scripts/image-tags.sh).
    concurrency: { group: "images-${{ github.event_name == 'pull_request' && github.ref || github.sha }}", 'cancel-in-progress': "${{ github.event_name == 'pull_request' }}" },
    jobs: {
      changes: {
        name: 'Services to build',
        'runs-on': RUNNER,
        permissions: { contents: 'read' },
        outputs: { services: '${{ steps.changed.outputs.services }}' },
        steps: [
          checkout(0),
          { id: 'changed', run: 'bash scripts/changed-services.sh >> "$GITHUB_OUTPUT"', env: { BASE_REF: '${{ github.base_ref }}', BEFORE: '${{ github.event.before }}' } },
        ],
      },
      build: {
        name: 'Build ${{ matrix.service }}',
        if: "github.event_name == 'pull_request' && needs.changes.outputs.services != '[]'",
        needs: ['changes'],
        'runs-on': RUNNER,
        permissions: { contents: 'read' },
        strategy: matrix,
        steps: buildSteps(false),
      },
      push: {
        name: 'Push ${{ matrix.service }}',
        if: "github.event_name != 'pull_request' && needs.changes.outputs.services != '[]'",
        needs: ['changes'],
        'runs-on': RUNNER,
        permissions: { contents: 'read', 'id-token': 'write' },
        strategy: matrix,
        steps: buildSteps(true),
      },
      record: {
        name: `Deploy to ${first}`,
        // Also after a failed leg: the images that did reach ECR are recorded, the others are not.
        if: "always() && github.ref == 'refs/heads/main' && needs.changes.outputs.services != '[]' && needs.push.result != 'cancelled'",
        needs: ['changes', 'push'],
        'runs-on': RUNNER,
        // Writes one file per service under gitops/ and pushes it to main: the only job that writes to the repository.
        permissions: { contents: 'write', 'id-token': 'write' },
        steps: [
          // The whole history: a commit older than the one recorded is never recorded over it.
          checkout(0),
          assumeRole(platform, imagesRoleArn(platform)),
          {
            name: `Record the pushed images for ${first}`,
            env: { SERVICES: "${{ join(fromJSON(needs.changes.outputs.services), ' ') }}", COMMIT: '${{ github.sha }}' },
            run: [
              'pushed=()',
              'for service in $SERVICES; do',
              `  if ${ecrHasImage(ecrRepositoryName(platform, '$service'), '$COMMIT')}; then`,
              '    pushed+=("$service")',
              '  else',
              `    echo "::warning::$service:$COMMIT is not in ECR: not deployed to ${first}"`,
              '  fi',
              'done',
              `if [ \${#pushed[@]} -gt 0 ]; then bash ${IMAGE_TAGS_SCRIPT} record ${first} "$COMMIT" "\${pushed[@]}"; fi`,
            ].join('\n'),
          },
        ],
      },
    },
  };
}

/** The script that records and promotes the image each service runs per environment (gitops/<env>/services/<name>/image). */
export const IMAGE_TAGS_SCRIPT = 'scripts/image-tags.sh';

/**
 * promote.yml: a pull request that copies the image tags running in one environment to the next one (in the order of
 * the answers). Reviewed and merged like any change; Argo CD deploys it; a revert rolls it back.
 */
export function promoteWorkflow(platform: Platform): Workflow {
  const pairs = promotions(platform);
  return {
    name: 'promote',
    on: {
      workflow_dispatch: {
        inputs: {
          from: {
            description: `Promote what runs in this environment to the next one (${pairs.map((p) => `${p.from} → ${p.to}`).join(', ')})`,
            type: 'choice',
            required: true,
            options: pairs.map((p) => p.from),
            default: pairs[0].from,
          },
        },
      },
    },
    permissions: {},
    concurrency: { group: 'promote-${{ inputs.from }}', 'cancel-in-progress': false },
    jobs: {
      promote: {
        name: 'Promote ${{ inputs.from }}',
        'runs-on': RUNNER,
        permissions: { contents: 'write', 'pull-requests': 'write' },
        steps: [
          checkout(),
          {
            id: 'copy',
            name: 'Copy the image tags to the next environment',
            env: { FROM: '${{ inputs.from }}' },
            run: [
              'case "$FROM" in',
              ...pairs.map((p) => `  ${p.from}) to=${p.to} ;;`),
              '  *) echo "::error::$FROM has no next environment"; exit 2 ;;',
              'esac',
              `changes=$(bash ${IMAGE_TAGS_SCRIPT} promote "$FROM" "$to")`,
              'echo "to=$to" >> "$GITHUB_OUTPUT"',
              '{ echo "changes<<EOF"; echo "$changes"; echo "EOF"; } >> "$GITHUB_OUTPUT"',
              'if [ -z "$changes" ]; then echo "::notice::$to already runs what $FROM runs"; fi',
            ].join('\n'),
          },
          {
            name: 'Open a pull request',
            if: "steps.copy.outputs.changes != ''",
            uses: actions.createPullRequest,
            with: {
              // Opened with the default token, it starts no workflow; nothing but gitops/ changes, which Argo CD deploys.
              branch: 'promote/${{ inputs.from }}-to-${{ steps.copy.outputs.to }}',
              'commit-message': 'Promote ${{ inputs.from }} to ${{ steps.copy.outputs.to }}',
              title: 'Promote ${{ inputs.from }} to ${{ steps.copy.outputs.to }}',
              body: [
                'The images running in `${{ inputs.from }}`, for `${{ steps.copy.outputs.to }}` (service: running there -> promoted):',
                '',
                '```',
                '${{ steps.copy.outputs.changes }}',
                '```',
                '',
                'Argo CD deploys them once this is merged. To roll back, revert the merge commit.',
              ].join('\n'),
              'delete-branch': true,
            },
          },
        ],
      },
    },
  };
}

/** upgrade-platform.yml: weekly, bump the @platform-kit packages, re-synth, and open a pull request. */
export function upgradeWorkflow(): Workflow {
  return {
    name: 'upgrade-platform',
    on: { schedule: [{ cron: '17 6 * * 1' }], workflow_dispatch: {} },
    permissions: {},
    concurrency: { group: 'upgrade-platform', 'cancel-in-progress': false },
    jobs: {
      upgrade: {
        name: 'Upgrade platform-kit',
        'runs-on': RUNNER,
        permissions: { contents: 'write', 'pull-requests': 'write' },
        steps: [
          checkout(),
          setupNode,
          // Not from the node_modules cache: this job changes node_modules, which would then be saved under the old key.
          npmCi,
          {
            id: 'bump',
            name: 'Install the latest platform-kit',
            run: [
              'before=$(node -p "require(\'@platform-kit/projen/package.json\').version")',
              'npm install --save-exact @platform-kit/projen@latest @platform-kit/config@latest @platform-kit/constructs@latest',
              'after=$(node -p "require(\'@platform-kit/projen/package.json\').version")',
              'echo "before=$before" >> "$GITHUB_OUTPUT"; echo "after=$after" >> "$GITHUB_OUTPUT"',
            ].join('\n'),
          },
          { name: 'Regenerate the managed files', if: 'steps.bump.outputs.before != steps.bump.outputs.after', run: 'npx projen' },
          { name: 'Every stack still synthesizes', if: 'steps.bump.outputs.before != steps.bump.outputs.after', run: 'npx projen synth' },
          {
            name: 'Open a pull request',
            if: 'steps.bump.outputs.before != steps.bump.outputs.after',
            uses: actions.createPullRequest,
            with: {
              // A pull request opened with the default token starts no workflow: give a token (secret
              // PLATFORM_UPGRADE_TOKEN) so that its plans run.
              token: '${{ secrets.PLATFORM_UPGRADE_TOKEN || github.token }}',
              branch: 'platform-kit/upgrade',
              'commit-message': 'Upgrade platform-kit ${{ steps.bump.outputs.before }} -> ${{ steps.bump.outputs.after }}',
              title: 'Upgrade platform-kit to ${{ steps.bump.outputs.after }}',
              body: [
                'platform-kit ${{ steps.bump.outputs.before }} -> ${{ steps.bump.outputs.after }}: the packages, then `npx projen`.',
                '',
                'Review the diff of the managed files and the plans of this pull request before merging.',
              ].join('\n'),
              'delete-branch': true,
            },
          },
        ],
      },
    },
  };
}
