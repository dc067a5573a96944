import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { LANGUAGES, ecrRegistry, ecrRepositoryName, resolvePlatform, type Language, type Platform, type Service } from '@platform-kit/config';
import { DockerfileParser, type Copy, type From, type Instruction } from 'dockerfile-ast';
import { afterAll, describe, expect, it } from 'vitest';
import { dockerScript, serviceFiles, type ServiceFile } from '../src';
import { freePort } from './support';

/*
 * The services' Docker setup: each language's Dockerfile parsed (dockerfile-ast) and held to the rules below,
 * the checker itself shown to fail on bad Dockerfiles, the sample apps run where their runtime is here (on a
 * read-only file system where unshare can make one) with their /metrics checked as Prometheus reads it, and
 * scripts/docker.sh run against stand-in docker, aws and git commands.
 */

const PORTS: Record<Language, number> = { node: 3000, python: 8000, go: 8080, generic: 8081 };
const platform = resolvePlatform({
  name: 'acme-platform',
  services: LANGUAGES.map((language) => ({ name: `${language}-svc`, language, port: PORTS[language] })),
});
const empty = resolvePlatform({ name: 'acme-platform', services: [] });

const tempDirs: string[] = [];
const children: ChildProcess[] = [];
afterAll(() => {
  for (const child of children) killGroup(child);
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
});

/** Stops a process started here with everything it started (its process group), if any of it still runs. */
function killGroup(child: ChildProcess): void {
  try {
    process.kill(-child.pid!, 'SIGKILL');
  } catch {
    // gone already
  }
}

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'docker-test-'));
  tempDirs.push(dir);
  return dir;
}

function service(language: Language): Service {
  return platform.services.find((s) => s.language === language)!;
}

function files(language: Language): Map<string, string> {
  const svc = service(language);
  const prefix = `services/${svc.name}/`;
  return new Map(serviceFiles(platform, svc).map((f) => [f.path.slice(prefix.length), f.contents]));
}

function writeFiles(root: string, list: readonly ServiceFile[]): void {
  for (const file of list) {
    mkdirSync(dirname(join(root, file.path)), { recursive: true });
    writeFileSync(join(root, file.path), file.contents);
  }
}

function onPath(command: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${command}`]).status === 0;
}

/**
 * The generic service's site as its build stage makes it in /site: public/ copied to dir, then the stage's RUN
 * commands run there by shell (the image's is BusyBox sh). Returns dir.
 */
function buildSite(dir: string, shell: string): string {
  const sample = files('generic');
  const site = [...sample].filter(([path]) => path.startsWith('public/'));
  writeFiles(dir, site.map(([path, contents]) => ({ path: path.slice('public/'.length), contents })));
  const parsed = DockerfileParser.parse(sample.get('Dockerfile')!);
  const next = parsed.getFROMs()[1];
  const runs = parsed.getInstructions().filter((i) => i.getKeyword() === 'RUN' && line(i) < line(next));
  for (const run of runs) {
    const result = spawnSync(shell, ['-c', (run.getRawArgumentsContent() ?? '').replace(/\\\r?\n/g, ' ')], { cwd: dir, encoding: 'utf8' });
    expect(result.status, result.stderr).toBe(0);
  }
  return dir;
}

// ---------------------------------------------------------------------------------------------------------------
// The checker: every rule the generated Dockerfiles must keep, as a list of problems (empty: the Dockerfile passes).

const line = (i: Instruction) => i.getRange().start.line;

/** The instructions of the final stage: after the last FROM. */
function finalStage(instructions: Instruction[], froms: From[]): Instruction[] {
  const last = froms.at(-1);
  return last ? instructions.filter((i) => line(i) > line(last)) : [];
}

/** The command of a HEALTHCHECK as argv: its exec form, or its shell form run by /bin/sh -c. */
function healthcheckCommand(healthcheck: Instruction): string[] | undefined {
  const text = (healthcheck.getRawArgumentsContent() ?? '').replace(/\\\r?\n/g, ' ');
  const match = /(?:^|\s)CMD\s+(.*)$/s.exec(text);
  if (!match) return undefined;
  const command = match[1].trim();
  return command.startsWith('[') ? (JSON.parse(command) as string[]) : ['/bin/sh', '-c', command];
}

interface Expectations {
  readonly port: number;
  readonly healthcheck: boolean;
}

function dockerfileProblems(text: string, expected: Expectations): string[] {
  const dockerfile = DockerfileParser.parse(text);
  const instructions = dockerfile.getInstructions();
  const froms = dockerfile.getFROMs();
  const problems: string[] = [];

  if (froms.length < 2) problems.push(`not multi-stage: ${froms.length} FROM instruction(s), expected a build stage and a final stage`);
  const stages = new Set<string>();
  for (const from of froms) {
    const image = from.getImage() ?? '';
    const tag = from.getImageTag();
    if (image.includes('$')) problems.push(`FROM ${image}: the image is a variable, not a pinned tag`);
    else if (stages.has(image.toLowerCase()) && !tag) {
      // a reference to an earlier stage
    } else if (!tag) problems.push(`FROM ${image}: no tag`);
    else if (tag === 'latest') problems.push(`FROM ${image}: the tag is latest`);
    const stage = from.getBuildStage();
    if (stage) stages.add(stage.toLowerCase());
  }

  for (const copy of instructions.filter((i) => i.getKeyword() === 'COPY') as Copy[]) {
    const source = copy.getFromFlag()?.getValue();
    if (source && !stages.has(source.toLowerCase())) problems.push(`COPY --from=${source}: no earlier stage of that name`);
  }

  const final = finalStage(instructions, froms);
  const users = final.filter((i) => i.getKeyword() === 'USER');
  const user = users.at(-1)?.getArguments()[0]?.getValue();
  if (!user) problems.push('the final stage has no USER: it runs as root');
  else if (['root', '0'].includes(user.split(':')[0])) problems.push(`the final stage runs as ${user}`);

  const exposed = final.filter((i) => i.getKeyword() === 'EXPOSE').flatMap((i) => i.getArguments().map((a) => a.getValue().split('/')[0]));
  if (!exposed.includes(String(expected.port))) problems.push(`the final stage does not EXPOSE ${expected.port} (exposes: ${exposed.join(', ') || 'nothing'})`);

  if (expected.healthcheck) {
    const healthcheck = final.filter((i) => i.getKeyword() === 'HEALTHCHECK').at(-1);
    if (!healthcheck || !healthcheckCommand(healthcheck)) problems.push('the final stage has no HEALTHCHECK CMD');
  }
  return problems;
}

const GOOD = `FROM golang:1.27.1-alpine3.24 AS build
RUN go build -o /out/app .
FROM gcr.io/distroless/static-debian13:nonroot
COPY --from=build /out/app /app
USER 65532:65532
EXPOSE 8080
HEALTHCHECK CMD ["/app", "-healthcheck"]
ENTRYPOINT ["/app"]
`;

describe('the Dockerfile checker', () => {
  it('passes a good Dockerfile', () => {
    expect(dockerfileProblems(GOOD, { port: 8080, healthcheck: true })).toEqual([]);
  });

  it('fails a single-stage Dockerfile running as root from latest', () => {
    const bad = 'FROM node:latest\nWORKDIR /app\nCOPY . .\nUSER root\nEXPOSE 3000\nCMD ["node", "server.js"]\n';
    const problems = dockerfileProblems(bad, { port: 3000, healthcheck: true });
    expect(problems).toEqual([
      'not multi-stage: 1 FROM instruction(s), expected a build stage and a final stage',
      'FROM node:latest: the tag is latest',
      'the final stage runs as root',
      'the final stage has no HEALTHCHECK CMD',
    ]);
  });

  // Each rule on its own: one change to the good Dockerfile, one problem.
  it.each([
    ['no tag', GOOD.replace('golang:1.27.1-alpine3.24', 'golang'), /FROM golang: no tag/],
    ['latest', GOOD.replace('static-debian13:nonroot', 'static-debian13:latest'), /the tag is latest/],
    ['a variable image', `ARG BASE=golang:1.27.1-alpine3.24\n${GOOD.replace('golang:1.27.1-alpine3.24', '${BASE}')}`, /is a variable/],
    ['uid 0', GOOD.replace('USER 65532:65532', 'USER 0:0'), /runs as 0:0/],
    ['no USER in the final stage', GOOD.replace('USER 65532:65532\n', '').replace('AS build\n', 'AS build\nUSER 10001\n'), /no USER/],
    ['another port', GOOD.replace('EXPOSE 8080', 'EXPOSE 9090'), /does not EXPOSE 8080/],
    ['no HEALTHCHECK', GOOD.replace(/HEALTHCHECK .*\n/, ''), /no HEALTHCHECK/],
    ['HEALTHCHECK NONE', GOOD.replace(/HEALTHCHECK .*\n/, 'HEALTHCHECK NONE\n'), /no HEALTHCHECK/],
    ['COPY from an unknown stage', GOOD.replace('--from=build', '--from=builder'), /no earlier stage/],
  ])('fails %s', (_what, dockerfile, problem) => {
    const problems = dockerfileProblems(dockerfile, { port: 8080, healthcheck: true });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(problem);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// The /metrics checker: the Prometheus text format 0.0.4, as a list of problems (empty: Prometheus can read it).

const METRICS_TYPE = 'text/plain; version=0.0.4; charset=utf-8';
const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL = '[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\\\\n]|\\\\[\\\\"n])*"';
const LABELS = new RegExp(`^\\{(?:${LABEL}(?:,${LABEL})*,?)?\\}$`);
const NUMBER = /^(?:[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?|[+-]Inf|NaN)$/;

function expositionProblems(text: string): string[] {
  const problems: string[] = [];
  if (!text.endsWith('\n')) problems.push('no newline at the end');
  const types = new Map<string, string>();
  const series = new Set<string>();
  for (const [index, row] of text.replace(/\n$/, '').split('\n').entries()) {
    const at = `line ${index + 1}`;
    const comment = /^# (HELP|TYPE) (\S+)(?: (.*))?$/.exec(row);
    if (comment) {
      const [, keyword, name, rest = ''] = comment;
      if (!METRIC_NAME.test(name)) problems.push(`${at}: ${name} is not a metric name`);
      if (keyword === 'TYPE') {
        if (!['counter', 'gauge', 'histogram', 'summary', 'untyped'].includes(rest)) problems.push(`${at}: no such type: ${rest}`);
        if (types.has(name)) problems.push(`${at}: a second TYPE for ${name}`);
        types.set(name, rest);
      }
      continue;
    }
    if (row.startsWith('#')) continue;
    // name{label="value",...} value, without a timestamp (the samples send none).
    const sample = /^([^{\s]+)(\{.*\})? (\S+)$/.exec(row);
    if (!sample) {
      problems.push(`${at}: not a sample: ${row}`);
      continue;
    }
    const [, name, labels = '', value] = sample;
    if (!METRIC_NAME.test(name)) problems.push(`${at}: ${name} is not a metric name`);
    else if (!types.has(name)) problems.push(`${at}: ${name} has no TYPE before it`);
    if (labels && !LABELS.test(labels)) problems.push(`${at}: ${labels} are not labels (name="value",...)`);
    if (!NUMBER.test(value)) problems.push(`${at}: ${value} is not a number`);
    if (series.has(name + labels)) problems.push(`${at}: ${name}${labels} a second time`);
    series.add(name + labels);
  }
  return problems;
}

/** The samples of an exposition: series (name{labels}) to value. */
function samples(text: string): Record<string, number> {
  return Object.fromEntries([...text.matchAll(/^([^#\s]\S*) (\S+)$/gm)].map(([, key, value]) => [key, Number(value)]));
}

const GOOD_METRICS = `# HELP app_info The app.
# TYPE app_info gauge
app_info{app="api",language="go"} 1
# TYPE http_requests_total counter
http_requests_total{path="/",code="200"} 3
http_requests_total{path="other",code="404"} 1e3
`;

describe('the /metrics checker', () => {
  it('passes a good exposition and reads its samples', () => {
    expect(expositionProblems(GOOD_METRICS)).toEqual([]);
    expect(samples(GOOD_METRICS)).toEqual({
      'app_info{app="api",language="go"}': 1,
      'http_requests_total{path="/",code="200"}': 3,
      'http_requests_total{path="other",code="404"}': 1000,
    });
  });

  // Each rule on its own: one change to the good exposition, one problem.
  it.each([
    ['a dash in a name (a service name as it is)', GOOD_METRICS.replace('app_info{', 'api-svc_up{'), /api-svc_up is not a metric name/],
    ['no TYPE', GOOD_METRICS.replace('# TYPE app_info gauge\n', ''), /app_info has no TYPE/],
    ['an unknown type', GOOD_METRICS.replace('gauge', 'info'), /no such type: info/],
    ['an unquoted label value', GOOD_METRICS.replace('"api"', 'api'), /are not labels/],
    ['a value that is no number', GOOD_METRICS.replace('} 3', '} three'), /three is not a number/],
    ['a series twice', `${GOOD_METRICS}http_requests_total{path="/",code="200"} 4\n`, /a second time/],
    ['no newline at the end', GOOD_METRICS.trimEnd(), /no newline/],
  ])('fails %s', (_what, text, problem) => {
    const problems = expositionProblems(text);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(problem);
  });
});

// ---------------------------------------------------------------------------------------------------------------

describe.each(LANGUAGES)('the %s service', (language) => {
  const svc = service(language);
  const sample = files(language);
  const dockerfile = sample.get('Dockerfile')!;
  const parsed = DockerfileParser.parse(dockerfile);

  it('has its files under services/<name>/', () => {
    for (const file of serviceFiles(platform, svc)) expect(file.path.startsWith(`services/${svc.name}/`)).toBe(true);
    expect([...sample.keys()].slice(0, 2)).toEqual(['Dockerfile', '.dockerignore']);
  });

  it('has a multi-stage Dockerfile with pinned tags, a non-root numeric user, the port and a HEALTHCHECK', () => {
    expect(dockerfileProblems(dockerfile, { port: svc.port, healthcheck: true })).toEqual([]);
    const user = finalStage(parsed.getInstructions(), parsed.getFROMs()).filter((i) => i.getKeyword() === 'USER').at(-1)!;
    expect(user.getArguments()[0].getValue()).toMatch(/^[1-9]\d*:[1-9]\d*$/);
    expect(dockerfile).toContain(`PORT=${svc.port}`);
  });

  it('COPYs from the build context only files it ships', () => {
    for (const copy of parsed.getCOPYs().filter((c) => !c.getFromFlag())) {
      const sources = copy.getArguments().slice(0, -1).map((a) => a.getValue().replace(/\/$/, ''));
      for (const source of sources.filter((s) => s !== '.' && !s.includes('*')))
        expect([...sample.keys()].some((path) => path === source || path.startsWith(`${source}/`)), `${source} is shipped`).toBe(true);
    }
  });

  it('keeps the build context free of local clutter', () => {
    expect(sample.get('.dockerignore')).toMatch(/^\.git$/m);
    if (language === 'node') expect(sample.get('.dockerignore')).toMatch(/node_modules/);
  });
});

describe('the language samples', () => {
  it('node: a package-lock.json (lockfileVersion 3, no packages) that matches package.json', () => {
    const sample = files('node');
    const pkg = JSON.parse(sample.get('package.json')!);
    const lock = JSON.parse(sample.get('package-lock.json')!);
    expect(pkg).toMatchObject({ name: 'node-svc', type: 'commonjs', private: true });
    expect(pkg.dependencies).toBeUndefined();
    expect(lock.lockfileVersion).toBe(3);
    expect(lock.name).toBe(pkg.name);
    expect(Object.keys(lock.packages)).toEqual(['']);
    expect(lock.packages['']).toEqual({ name: pkg.name, version: pkg.version });
  });

  it('node and python: the build and final stages use the same image (the venv links to its Python)', () => {
    for (const language of ['node', 'python'] as const) {
      const images = DockerfileParser.parse(files(language).get('Dockerfile')!).getFROMs().map((f) => f.getImage());
      expect(new Set(images).size).toBe(1);
    }
    const python = files('python').get('Dockerfile')!;
    expect(python).toContain('RUN python -m venv /opt/venv');
    expect(python).toContain('COPY --from=build /opt/venv /opt/venv');
    expect(python).toContain('PATH=/opt/venv/bin:$PATH');
    expect(files('python').get('requirements.txt')).toMatch(/^#/);
  });

  it('go: go.mod names the module <platform>/<service>; a static binary on distroless that checks itself', () => {
    const sample = files('go');
    expect(sample.get('go.mod')).toBe('module acme-platform/go-svc\n\ngo 1.25\n');
    expect(sample.get('Dockerfile')).toContain('CGO_ENABLED=0');
    expect(sample.get('Dockerfile')).toMatch(/^FROM gcr\.io\/distroless\/static-debian\d+:nonroot$/m);
    expect(sample.get('Dockerfile')).toContain('HEALTHCHECK --interval=30s --timeout=3s --start-period=5s --retries=3 CMD ["/server", "-healthcheck"]');
    expect(sample.get('main.go')).toContain('flag.Bool("healthcheck"');
  });

  it('generic: a page, /healthz and a /metrics that the build stage writes, for BusyBox httpd', () => {
    const sample = files('generic');
    expect(sample.get('public/healthz')).toBe('ok\n');
    expect(sample.get('public/index.html')).toContain('generic-svc');
    const site = buildSite(tempDir(), 'sh');
    const metrics = readFileSync(join(site, 'metrics'), 'utf8');
    expect(expositionProblems(metrics)).toEqual([]);
    expect(samples(metrics)).toEqual({ 'app_info{app="generic-svc",language="generic"}': 1 });
    // No extension, so BusyBox httpd sends no Content-Type: the Dockerfile says what the ServiceMonitor needs.
    expect(sample.get('Dockerfile')).toContain('fallbackScrapeProtocol');
  });

  it('says so when a port below 1024 needs the runtime to let a non-root user bind it', () => {
    const low = resolvePlatform({ services: [{ name: 'web', language: 'node', port: 80 }] });
    const text = serviceFiles(low, low.services[0]).find((f) => f.path.endsWith('Dockerfile'))!.contents;
    expect(text).toContain('Port 80 is below 1024');
    expect(files('node').get('Dockerfile')).not.toContain('below 1024');
  });
});

// ---------------------------------------------------------------------------------------------------------------
// The sample apps, run where their runtime is on this machine: GET /healthz and /metrics, the Dockerfile's own
// HEALTHCHECK command (0 while the app runs, 1 once it is gone), and a clean exit on SIGTERM. Kubernetes runs them
// with a read-only root file system: here, where unshare can, / and the app's directory are remounted read-only in
// a mount namespace of the app's own.

/** argv that runs argv in dir with / and dir read-only (sh -c's $0 is dir); exec keeps the pid, so signals reach the app. */
function readOnly(dir: string, argv: string[]): string[] {
  const script = 'mount -o remount,bind,ro / && mount --bind "$0" "$0" && mount -o remount,bind,ro "$0" && cd "$0" && exec "$@"';
  return ['unshare', '--map-root-user', '--mount', 'sh', '-c', script, dir, ...argv];
}

/** Whether readOnly works here (user namespaces allowed): then nothing in the directory can be written. */
const readOnlyWorks = (() => {
  const dir = tempDir();
  const [command, ...args] = readOnly(dir, ['sh', '-c', '! touch probe 2>/dev/null']);
  return spawnSync(command, args, { stdio: 'ignore' }).status === 0 && !existsSync(join(dir, 'probe'));
})();

function argvIn(dir: string, argv: string[]): string[] {
  return readOnlyWorks ? readOnly(dir, argv) : argv;
}

function start(command: string, args: string[], cwd: string, port: number): ChildProcess {
  const [program, ...argv] = argvIn(cwd, [command, ...args]);
  // A process group of its own, so that the test can stop it and anything it started.
  const child = spawn(program, argv, { cwd, env: { ...process.env, PORT: String(port) }, detached: true, stdio: 'ignore' });
  children.push(child);
  return child;
}

async function waitForHealth(port: number): Promise<number> {
  for (let attempt = 0; attempt < 100; attempt++) {
    try {
      return (await fetch(`http://127.0.0.1:${port}/healthz`)).status;
    } catch {
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  throw new Error(`nothing answered on port ${port}`);
}

/** Resolves once nothing listens on the port any more. */
async function stopped(port: number): Promise<void> {
  for (let attempt = 0; attempt < 100; attempt++) {
    try {
      await fetch(`http://127.0.0.1:${port}/healthz`);
      await new Promise((r) => setTimeout(r, 50));
    } catch {
      return;
    }
  }
  throw new Error(`port ${port} still answers`);
}

function exited(child: ChildProcess): Promise<number | null> {
  return child.exitCode !== null ? Promise.resolve(child.exitCode) : new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

/** The HEALTHCHECK command of a Dockerfile, with its program replaced by the one here (e.g. python3 for python). */
function healthcheckOf(dockerfile: string, programs: Record<string, string> = {}): string[] {
  const parsed = DockerfileParser.parse(dockerfile);
  const healthcheck = finalStage(parsed.getInstructions(), parsed.getFROMs()).find((i) => i.getKeyword() === 'HEALTHCHECK')!;
  const [program, ...args] = healthcheckCommand(healthcheck)!;
  return [programs[program] ?? program, ...args];
}

async function checkRunningApp(language: Language, command: string, args: string[], programs: Record<string, string>, cwd: string) {
  const port = await freePort();
  const app = start(command, args, cwd, port);
  expect(await waitForHealth(port)).toBe(200);
  expect((await fetch(`http://127.0.0.1:${port}/`)).status).toBe(200);
  expect((await fetch(`http://127.0.0.1:${port}/missing`)).status).toBe(404);

  // /metrics in the Prometheus text format, typed by its Content-Type; the requests above, counted.
  const scrape = async () => {
    const response = await fetch(`http://127.0.0.1:${port}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe(METRICS_TYPE);
    const text = await response.text();
    expect(expositionProblems(text)).toEqual([]);
    return samples(text);
  };
  expect(await scrape()).toEqual({
    [`app_info{app="${service(language).name}",language="${language}"}`]: 1,
    'http_requests_total{path="/healthz",code="200"}': 1,
    'http_requests_total{path="/",code="200"}': 1,
    'http_requests_total{path="other",code="404"}': 1,
  });
  expect((await scrape())['http_requests_total{path="/metrics",code="200"}']).toBe(1);
  // A request target that new URL() rejects (//) gets an answer, not a crash (the HEALTHCHECK below sees it up).
  expect((await fetch(`http://127.0.0.1:${port}//`, { redirect: 'manual' })).status).toBeLessThan(500);

  const [program, ...checkArgs] = healthcheckOf(files(language).get('Dockerfile')!, programs);
  const check = () => spawnSync(program, checkArgs, { cwd, env: { ...process.env, PORT: String(port) }, encoding: 'utf8' });
  expect(check().status, check().stderr).toBe(0);

  process.kill(-app.pid!, 'SIGTERM');
  expect(await exited(app)).toBe(0);
  expect(check().status).toBe(1);
}

describe('the sample apps run', () => {
  if (!readOnlyWorks) console.warn('unshare cannot remount / read-only here: the sample apps run on a writable file system');

  it('node: npm ci --omit=dev works with the lockfile; server.js serves /healthz and /metrics', async () => {
    const dir = tempDir();
    writeFiles(dir, serviceFiles(platform, service('node')));
    const cwd = join(dir, 'services', 'node-svc');
    const ci = spawnSync('npm', ['ci', '--omit=dev', '--offline', '--no-audit', '--no-fund'], { cwd, encoding: 'utf8' });
    expect(ci.status, ci.stderr).toBe(0);
    await checkRunningApp('node', process.execPath, ['server.js'], { node: process.execPath }, cwd);
  });

  it('python: app.py serves /healthz and /metrics', async () => {
    if (!onPath('python3')) return console.warn('python3 is not on PATH: the python sample app was not run');
    const dir = tempDir();
    writeFiles(dir, serviceFiles(platform, service('python')));
    await checkRunningApp('python', 'python3', ['app.py'], { python: 'python3' }, join(dir, 'services', 'python-svc'));
  });

  it('go: main.go builds and serves /healthz and /metrics; -healthcheck checks it', async () => {
    const version = onPath('go') ? spawnSync('go', ['env', 'GOVERSION'], { encoding: 'utf8' }).stdout.trim() : '';
    const [major, minor] = (/^go(\d+)\.(\d+)/.exec(version) ?? []).slice(1).map(Number);
    if (!(major > 1 || minor >= 25)) return console.warn(`Go 1.25 or later is not on PATH (found: ${version || 'none'}): the go sample app was not built`);
    const dir = tempDir();
    writeFiles(dir, serviceFiles(platform, service('go')));
    const cwd = join(dir, 'services', 'go-svc');
    const env = { ...process.env, CGO_ENABLED: '0', GOFLAGS: '-mod=mod', GOTOOLCHAIN: 'local' };
    expect(spawnSync('gofmt', ['-l', '.'], { cwd, encoding: 'utf8' }).stdout).toBe('');
    const build = spawnSync('go', ['build', '-o', join(dir, 'server'), '.'], { cwd, env, encoding: 'utf8' });
    expect(build.status, build.stderr).toBe(0);
    await checkRunningApp('go', join(dir, 'server'), [], { '/server': join(dir, 'server') }, cwd);
  });

  it('generic: BusyBox httpd serves the site and its /metrics, the HEALTHCHECK and SIGTERM work', async () => {
    if (!onPath('busybox')) return console.warn('busybox is not on PATH: the generic sample was not served');
    const dir = tempDir();
    // The image's layout: httpd and wget are BusyBox applets on PATH, the site in /www (here: www, as the build
    // stage makes it).
    const bin = join(dir, 'bin');
    mkdirSync(bin);
    for (const applet of ['sh', 'httpd', 'wget']) writeFileSync(join(bin, applet), `#!/bin/sh\nexec busybox ${applet} "$@"\n`, { mode: 0o755 });
    const www = buildSite(join(dir, 'www'), join(bin, 'sh'));
    const cmd = JSON.parse(/^CMD (\[.*\])$/m.exec(files('generic').get('Dockerfile')!)![1]) as string[];
    const [, flag, script] = cmd;
    const path = `${bin}:${process.env.PATH}`;
    const port = await freePort();
    const [shell, ...argv] = argvIn(www, [join(bin, 'sh'), flag, script.replace('/www', www)]);
    const app = spawn(shell, argv, { env: { ...process.env, PATH: path, PORT: String(port) }, detached: true, stdio: 'ignore' });
    children.push(app);
    expect(await waitForHealth(port)).toBe(200);
    const metrics = await fetch(`http://127.0.0.1:${port}/metrics`);
    expect(metrics.status).toBe(200);
    // BusyBox httpd types a file by its extension only: none here, so no Content-Type (BusyBox 1.29 and later), and
    // the ServiceMonitor's fallbackScrapeProtocol tells Prometheus the format.
    expect(metrics.headers.get('content-type')).toBeNull();
    expect(expositionProblems(await metrics.text())).toEqual([]);
    const [program, ...args] = healthcheckOf(files('generic').get('Dockerfile')!);
    const check = () => spawnSync(program, args, { env: { ...process.env, PATH: path, PORT: String(port) } }).status;
    expect(check()).toBe(0);
    // docker stop signals PID 1 only: the shell.
    process.kill(app.pid!, 'SIGTERM');
    expect(await exited(app)).toBe(0);
    // In a container the exit of PID 1 stops httpd; here httpd is stopped with the process group.
    killGroup(app);
    await stopped(port);
    expect(check()).toBe(1);
  });
});

// ---------------------------------------------------------------------------------------------------------------

describe('scripts/docker.sh', () => {
  const script = dockerScript(platform);

  it('is valid bash with set -euo pipefail and names every service and repository', () => {
    const syntax = spawnSync('bash', ['-n'], { input: script, encoding: 'utf8' });
    expect(syntax.status, syntax.stderr).toBe(0);
    expect(script.startsWith('#!/usr/bin/env bash\n# Generated by platform-kit')).toBe(true);
    expect(script).toContain('set -euo pipefail');
    expect(script).toContain(`registry='${ecrRegistry(platform)}'`);
    for (const svc of platform.services) expect(script).toContain(`${svc.name}) echo '${ecrRepositoryName(platform, svc)}' ;;`);
  });

  it('renders with no services', () => {
    const text = dockerScript(empty);
    expect(spawnSync('bash', ['-n'], { input: text }).status).toBe(0);
    expect(text).toContain("services=''");
  });

  it('passes shellcheck', () => {
    if (!onPath('shellcheck')) return console.warn('shellcheck is not on PATH: scripts/docker.sh was not linted');
    for (const text of [script, dockerScript(empty)]) {
      const lint = spawnSync('shellcheck', ['-s', 'bash', '-'], { input: text, encoding: 'utf8' });
      expect(lint.status, lint.stdout).toBe(0);
    }
  });

  /** A repo with scripts/docker.sh and stand-ins for docker, aws and (optionally) git that log how they were run. */
  function repo(p: Platform, { git = false } = {}) {
    const root = tempDir();
    writeFiles(root, [{ path: 'scripts/docker.sh', contents: dockerScript(p) }, ...p.services.flatMap((s) => serviceFiles(p, s))]);
    const bin = join(root, '.bin');
    mkdirSync(bin);
    const log = join(root, 'calls.log');
    const stub = (name: string, body: string) => {
      writeFileSync(join(bin, name), `#!/bin/sh\necho "${name} $*" >> '${log}'\n${body}\n`);
      chmodSync(join(bin, name), 0o755);
    };
    stub('docker', `case "$1" in login) read -r password; echo "password=$password" >> '${log}' ;; esac\nexit "\${DOCKER_STUB_EXIT:-0}"`);
    stub('aws', 'echo secret-password');
    // Outside git: the script tags its images dev.
    if (!git) writeFileSync(join(bin, 'git'), '#!/bin/sh\nexit 128\n', { mode: 0o755 });
    const run = (args: string[], env: Record<string, string> = {}) => {
      const result = spawnSync('bash', ['scripts/docker.sh', ...args], {
        cwd: root,
        encoding: 'utf8',
        env: { ...process.env, PATH: `${bin}:${process.env.PATH}`, GIT_CEILING_DIRECTORIES: dirname(root), IMAGE_TAG: '', ...env },
      });
      const calls = existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n') : [];
      rmSync(log, { force: true });
      return { ...result, calls };
    };
    return { root, run };
  }

  const registry = ecrRegistry(platform);
  const image = (name: string, tag: string) => `${registry}/acme-platform/${name}:${tag}`;

  it('build: every service, tagged dev outside git', () => {
    const { run } = repo(platform);
    const result = run(['build']);
    expect(result.status, result.stderr).toBe(0);
    expect(result.calls.filter((c) => c.startsWith('docker'))).toEqual(
      platform.services.map((s) => `docker build --platform linux/amd64 -t ${image(s.name, 'dev')} services/${s.name}`),
    );
  });

  it('build: the named services, tagged with the commit in git', () => {
    const { root, run } = repo(platform, { git: true });
    const git = (...args: string[]) => spawnSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], { cwd: root, encoding: 'utf8' });
    git('init', '-q');
    git('add', '.');
    git('commit', '-qm', 'init');
    const commit = git('rev-parse', '--short=12', 'HEAD').stdout.trim();
    expect(commit).toMatch(/^[0-9a-f]{12}$/);
    const result = run(['build', 'go-svc', 'node-svc']);
    expect(result.status, result.stderr).toBe(0);
    expect(result.calls).toEqual([
      `docker build --platform linux/amd64 -t ${image('go-svc', commit)} services/go-svc`,
      `docker build --platform linux/amd64 -t ${image('node-svc', commit)} services/node-svc`,
    ]);
  });

  it('push: logs in to ECR with the region once, then pushes the images built with the tag', () => {
    const { run } = repo(platform);
    const result = run(['push', 'python-svc', 'generic-svc'], { IMAGE_TAG: 'v1.2.3' });
    expect(result.status, result.stderr).toBe(0);
    result.calls.splice(2, 2, ...result.calls.slice(2, 4).sort());
    expect(result.calls).toEqual([
      `docker image inspect ${image('python-svc', 'v1.2.3')}`,
      `docker image inspect ${image('generic-svc', 'v1.2.3')}`,
      // The two sides of the pipe run at once: either may log first.
      ...[`aws ecr get-login-password --region ${platform.aws.region}`, `docker login --username AWS --password-stdin ${registry}`].sort(),
      'password=secret-password',
      `docker push ${image('python-svc', 'v1.2.3')}`,
      `docker push ${image('generic-svc', 'v1.2.3')}`,
    ]);
  });

  it('push: refuses the dev tag (ECR tags are immutable) and images not built', () => {
    const { run } = repo(platform);
    const dev = run(['push', 'python-svc']);
    expect(dev.status).toBe(1);
    expect(dev.stderr).toContain("refusing to push the tag 'dev'");
    expect(dev.calls).toEqual([]);

    const { run: runMissing } = repo(platform);
    // docker image inspect fails: the image was never built.
    const missing = runMissing(['push', 'python-svc'], { IMAGE_TAG: 'v1', DOCKER_STUB_EXIT: '1' });
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain(`${image('python-svc', 'v1')} is not built: run bash scripts/docker.sh build python-svc first`);
    expect(missing.calls).toEqual([`docker image inspect ${image('python-svc', 'v1')}`]);
  });

  it('refuses unknown services with exit 2, listing the known ones, before running anything', () => {
    const { run } = repo(platform);
    const result = run(['build', 'node-svc', 'nope', 'other']);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('unknown service(s): nope other. Known services: node-svc python-svc go-svc generic-svc');
    expect(result.calls).toEqual([]);
  });

  it('refuses a missing or unknown command with exit 2', () => {
    const { run } = repo(platform);
    expect(run([]).status).toBe(2);
    expect(run(['deploy']).stderr).toContain("expected build or push, got 'deploy'");
    expect(run(['--help']).status).toBe(0);
  });

  it('with no services, says so and exits 0', () => {
    const { run } = repo(empty);
    for (const action of ['build', 'push']) {
      const result = run([action]);
      expect(result.status).toBe(0);
      expect(result.stdout).toContain(`acme-platform has no services, so there is nothing to ${action}`);
      expect(result.calls).toEqual([]);
    }
  });
});
