/**
 * Prints wall times (never asserted by tests):
 *   startup    create-platform --version: loading the CLI (the wizard's first question waits for this)
 *   dry-run    create-platform --dry-run: what the wizard does between the last answer and the summary
 *   scaffold   create-platform with --skip-install: answers -> repo files
 *   baseline   a bare `projen new typescript --no-post` (the design budget: scaffold <= 1.5x this)
 *   synth      `npx projen synth` of a generated, installed three-environment repo (every stack; budget 5 s)
 *   synth:app  the cdktf app alone (`tsx src/main.ts`), without the projen task runner
 *   npm ci     a generated repo's clean install from a warm npm cache (a CI job whose node_modules cache missed), and its size
 *   restore    node_modules from a cache archive, as actions/cache restores it (tar with zstd): a CI job on a cache hit
 *   npm test   the kit's whole test suite, once, with --tests (it takes minutes; budget 5 min)
 * Usage: npm run bench [-- --runs N] [-- --tests]   (needs a compiled kit: npm run compile)
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(__dirname, '..');
const cli = join(root, 'packages/create-platform/bin/create-platform.js');
const answers = join(root, 'test/fixtures/answers.yaml');
const runsArg = process.argv.indexOf('--runs');
const runs = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 5;

function time(fn: () => void): number {
  const start = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function bench(name: string, setup: () => string, fn: (dir: string) => void, cleanup = true): number {
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const dir = setup();
    samples.push(time(() => fn(dir)));
    if (cleanup) rmSync(dir, { recursive: true, force: true });
  }
  const m = median(samples);
  console.log(`${name.padEnd(10)} median ${m.toFixed(0).padStart(6)} ms   min ${Math.min(...samples).toFixed(0)} ms   max ${Math.max(...samples).toFixed(0)} ms   (${runs} runs)`);
  return m;
}

const tmp = (p: string) => mkdtempSync(join(tmpdir(), `bench-${p}-`));
const quiet = { stdio: 'pipe' as const };

bench('startup', () => tmp('startup'), () => execFileSync('node', [cli, '--version'], quiet));
bench('dry-run', () => join(tmp('dry-run'), 'acme-platform'), (dir) => execFileSync('node', [cli, dir, '--answers', answers, '--dry-run'], quiet));
const scaffold = bench('scaffold', () => join(tmp('scaffold'), 'acme-platform'), (dir) =>
  execFileSync('node', [cli, dir, '--answers', answers, '--skip-install'], quiet),
);
const baseline = bench('baseline', () => tmp('baseline'), (dir) =>
  execFileSync('node', [join(root, 'node_modules/projen/bin/projen'), 'new', 'typescript', '--no-post', '--no-git'], { ...quiet, cwd: dir }),
);
console.log(`scaffold/baseline ratio ${(scaffold / baseline).toFixed(2)} (budget 1.5)`);

// One installed repo, synthesized `runs` times.
const repo = join(tmp('synth'), 'acme-platform');
execFileSync('node', [cli, repo, '--answers', answers, '--kit-source', root, '--skip-install'], quiet);
execFileSync('npm', ['install', '--no-audit', '--no-fund', '--silent'], { ...quiet, cwd: repo });
bench('npm ci', () => {
  rmSync(join(repo, 'node_modules'), { recursive: true, force: true });
  return repo;
}, (dir) => execFileSync('npm', ['ci', '--no-audit', '--no-fund', '--silent', '--prefer-offline'], { ...quiet, cwd: dir }), false);
// What actions/cache does on Linux: tar --posix with zstd to save, `tar -xf -P --use-compress-program unzstd` to restore.
if (spawnSync('zstd', ['--version'], quiet).status === 0) {
  const archive = join(repo, '..', 'node_modules.tar.zst');
  execFileSync('tar', ['--posix', '--use-compress-program', 'zstd -T0', '-cf', archive, '-C', repo, 'node_modules'], quiet);
  bench('restore', () => {
    rmSync(join(repo, 'node_modules'), { recursive: true, force: true });
    return repo;
  }, (dir) => execFileSync('tar', ['-xf', archive, '-P', '-C', dir, '--use-compress-program', 'unzstd'], quiet), false);
  console.log(`node_modules cache archive ${(statSync(archive).size / 1e6).toFixed(0)} MB (zstd)`);
} else console.log('restore    skipped: no zstd on this machine (actions/cache compresses with it)');
const synth = bench('synth', () => repo, (dir) => execFileSync('npx', ['projen', 'synth'], { ...quiet, cwd: dir }), false);
bench('synth:app', () => repo, (dir) => execFileSync('npx', ['tsx', 'src/main.ts'], { ...quiet, cwd: dir }), false);
const stacks = readdirSync(join(repo, 'cdktf.out/stacks'));
console.log(`stacks     ${stacks.length}: ${stacks.join(', ')}`);
console.log(`synth of every stack ${(synth / 1000).toFixed(1)} s (budget 5 s)`);
const modules = execFileSync('du', ['-sm', join(repo, 'node_modules')], { encoding: 'utf8' }).split('\t')[0];
console.log(`node_modules of the generated repo ${modules} MB (budget 150 MB)`);
rmSync(join(repo, '..'), { recursive: true, force: true });

// What each package publishes (npm pack, nothing written): a consumer downloads the tarball and unpacks it.
for (const dir of ['config', 'constructs', 'projen', 'create-platform']) {
  const [pack] = JSON.parse(execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], cwd: join(root, 'packages', dir) }));
  console.log(`package    ${pack.name.padEnd(24)} ${(pack.size / 1e3).toFixed(0).padStart(5)} kB tarball, ${(pack.unpackedSize / 1e6).toFixed(2)} MB unpacked, ${pack.files.length} files`);
}

if (process.argv.includes('--tests')) {
  const suite = time(() => execFileSync('npx', ['vitest', 'run'], { ...quiet, cwd: root }));
  console.log(`npm test   ${(suite / 1000).toFixed(0)} s (budget 300 s; vitest alone, the kit compiled)`);
}
