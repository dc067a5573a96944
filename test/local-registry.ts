import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../packages/projen/test/support';
import { KIT_ROOT } from './helpers';

/*
 * A real npm registry for the tests: Verdaccio on 127.0.0.1, with its storage in a temporary directory. The kit's
 * packages are published to it the way release.yml publishes them (the release:publish task, changeset publish);
 * every other package is fetched through it from the registry this machine uses (its uplink). Installs from it use an
 * empty npm cache and a user config of their own, so nothing this machine has cached or configured stands in for it.
 */

export interface LocalRegistry {
  readonly url: string;
  /** The environment an npm or npx command uses to talk to this registry only, with an empty cache. */
  readonly env: NodeJS.ProcessEnv;
  /** Publishes the compiled kit with the release:publish task; returns its output. */
  publish(): string;
  stop(): void;
}

const START_TIMEOUT_MS = 30_000;

/** The process environment without npm's own settings: a command run by `npm test` inherits them. */
function withoutNpmConfig(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^npm_config_/i.test(key)));
}

async function waitUntilUp(url: string, child: ChildProcess, log: () => string): Promise<void> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`Verdaccio exited with ${child.exitCode}:\n${log()}`);
    try {
      if ((await fetch(`${url}-/ping`)).ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`Verdaccio did not answer on ${url} within ${START_TIMEOUT_MS / 1000} s:\n${log()}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

export async function startRegistry(): Promise<LocalRegistry> {
  const dir = mkdtempSync(join(tmpdir(), 'registry-'));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}/`;
  // The registry this machine installs from (a mirror, maybe) is the uplink for every package but the kit's.
  const uplink = execFileSync('npm', ['config', 'get', 'registry'], { encoding: 'utf8', env: withoutNpmConfig() }).trim();
  const kitPackages = ['@platform-kit/*', 'create-platform'];
  writeFileSync(
    join(dir, 'config.yaml'),
    [
      `storage: ${join(dir, 'storage')}`,
      'auth:',
      `  htpasswd: { file: ${join(dir, 'htpasswd')}, max_users: 10 }`,
      'uplinks:',
      `  upstream: { url: ${uplink}, timeout: 60s, max_fails: 5 }`,
      'packages:',
      // The kit's names are never fetched from upstream: only what the tests publish is installed.
      ...kitPackages.map((name) => `  '${name}': { access: $all, publish: $authenticated }`),
      `  '**': { access: $all, proxy: upstream }`,
      'log: { type: stdout, format: pretty, level: warn }',
      '',
    ].join('\n'),
  );
  let output = '';
  const child = spawn(process.execPath, [join(KIT_ROOT, 'node_modules/verdaccio/bin/verdaccio'), '--config', join(dir, 'config.yaml'), '--listen', `127.0.0.1:${port}`], {
    env: withoutNpmConfig(),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const stop = () => {
    if (child.exitCode === null) child.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitUntilUp(url, child, () => output);
    // A user of the registry (npm's adduser call): its token publishes.
    const login = await fetch(`${url}-/user/org.couchdb.user:platform-kit-tests`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'platform-kit-tests', password: 'loopback-only-test-password' }),
    });
    const { token } = (await login.json()) as { token?: string };
    if (!token) throw new Error(`Verdaccio gave no token (${login.status}):\n${output}`);
    const npmrc = join(dir, 'npmrc');
    writeFileSync(npmrc, `registry=${url}\n//127.0.0.1:${port}/:_authToken=${token}\n`);
    mkdirSync(join(dir, 'cache'));
    const env: NodeJS.ProcessEnv = {
      ...withoutNpmConfig(),
      NPM_CONFIG_USERCONFIG: npmrc,
      npm_config_registry: url,
      npm_config_cache: join(dir, 'cache'),
      npm_config_update_notifier: 'false',
      npm_config_audit: 'false',
      npm_config_fund: 'false',
    };
    return {
      url,
      env,
      // As release.yml's publish step, but without git tags: the checkout under test is not a release.
      publish: () => execFileSync('npx', ['projen', 'release:publish', '--no-git-tag'], { cwd: KIT_ROOT, env, encoding: 'utf8', stdio: 'pipe' }),
      stop,
    };
  } catch (error) {
    stop();
    throw error;
  }
}
