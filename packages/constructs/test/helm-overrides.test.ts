import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { allCharts, resolvePlatform } from '@platform-kit/config';
import { afterAll, describe, expect, it } from 'vitest';
import { chartKeys, chartKeysFile, chartKeysId, checkHelmOverrides, checkOverridesText, formatProblem, PlatformApp, readChartDefaults, renderChartKeys } from '../src';

/* The user's helm/<env>/<release>.overrides.yaml, checked at synth against the pinned charts' keys. */

const KIT_ROOT = join(__dirname, '..', '..', '..');
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
const nginx = chartKeys()[chartKeysId('nginx-gateway-fabric')];
const check = (text: string) => checkOverridesText('helm/dev/nginx.overrides.yaml', text, 'nginx-gateway-fabric', nginx).map(formatProblem);

describe('data/chart-keys.json', () => {
  it("is what scripts/chart-keys.ts makes from the charts' defaults (npx projen chart-keys)", () => {
    const charts = readChartDefaults(join(KIT_ROOT, 'test/fixtures/upstream-charts'));
    expect(readFileSync(join(KIT_ROOT, chartKeysFile), 'utf8'), `${chartKeysFile} is stale: run npx projen chart-keys`).toBe(renderChartKeys(charts));
  });

  it('has every pinned chart at its pinned version', () => {
    for (const chart of Object.keys(allCharts())) expect(chartKeys(), chart).toHaveProperty([chartKeysId(chart)]);
  });
});

describe('an overrides file', () => {
  it('with a YAML error: the file, line and column, and nothing else', () => {
    const [problem, ...rest] = check('nginx:\n  replicas: [3\n');
    expect(rest).toEqual([]);
    expect(problem).toMatch(/^helm\/dev\/nginx\.overrides\.yaml:\d+:\d+: .*Fix the YAML: Argo CD cannot read this file\.$/);
  });

  it('with a key the chart does not have: its path, where it is, and the key it likely meant', () => {
    expect(check('nginxGateway:\n  replicaCount: 2\n  replica: 3\n')).toEqual([
      'helm/dev/nginx.overrides.yaml:2:3: nginxGateway.replicaCount is not a value of the chart nginx-gateway-fabric 2.6.7. Fix or remove it.',
      'helm/dev/nginx.overrides.yaml:3:3: nginxGateway.replica is not a value of the chart nginx-gateway-fabric 2.6.7 (did you mean nginxGateway.replicas?). Fix or remove it.',
    ]);
    expect(check('nginxGatway:\n  replicas: 2\n')[0]).toContain('(did you mean nginxGateway?)');
  });

  it("passes the chart's keys, free-form maps at any depth, empty files and {}", () => {
    expect(check('nginxGateway:\n  replicas: 2\n  podAnnotations:\n    example.com/anything: "yes"\nnginx:\n  config:\n    logging:\n      errorLevel: debug\n')).toEqual([]);
    expect(check('')).toEqual([]);
    expect(check('{}\n')).toEqual([]);
    expect(check('# only a comment\n')).toEqual([]);
  });

  it('must be a map', () => {
    expect(check('- replicas: 2\n')).toEqual(["helm/dev/nginx.overrides.yaml: must be a YAML map of the chart's values (or {}), got a list."]);
  });
});

describe('synth', () => {
  const platform = resolvePlatform({ environments: ['dev'], services: [], supportingServices: ['nginx'] });
  const helmDir = () => {
    const dir = mkdtempSync(join(tmpdir(), 'pk-overrides-'));
    dirs.push(dir);
    mkdirSync(join(dir, 'dev'));
    for (const release of ['argo-cd', 'cluster-autoscaler', 'metrics-server', 'external-secrets', 'nginx']) writeFileSync(join(dir, 'dev', `${release}.yaml`), '{}\n');
    return dir;
  };

  it('stops with every problem of every overrides file, each located', () => {
    const dir = helmDir();
    writeFileSync(join(dir, 'dev', 'nginx.overrides.yaml'), 'nginx:\n  replicas: [3\n');
    writeFileSync(join(dir, 'dev', 'argo-cd.overrides.yaml'), 'serverr:\n  replicas: 2\n');
    expect(checkHelmOverrides(platform, dir).map(formatProblem)).toEqual([
      expect.stringMatching(new RegExp(`^${join(dir, 'dev', 'argo-cd.overrides.yaml')}:1:1: serverr is not a value of the chart argo-cd 10\\.1\\.1 \\(did you mean server\\?\\)`)),
      expect.stringMatching(new RegExp(`^${join(dir, 'dev', 'nginx.overrides.yaml')}:\\d+:\\d+: `)),
    ]);
    expect(() => new PlatformApp(platform, { outdir: dir, helmDir: dir })).toThrow(/The Helm overrides files have problems:\n {2}✖ .*argo-cd\.overrides\.yaml:1:1: serverr/);
  });

  it('goes on when they are fine', () => {
    const dir = helmDir();
    writeFileSync(join(dir, 'dev', 'nginx.overrides.yaml'), 'nginxGateway:\n  replicas: 2\n');
    expect(checkHelmOverrides(platform, dir)).toEqual([]);
    expect(() => new PlatformApp(platform, { outdir: dir, helmDir: dir })).not.toThrow();
  });
});
