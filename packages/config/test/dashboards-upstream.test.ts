// The upstream Grafana dashboards vendored in supporting modules (dashboards/<name>.json, normalized by
// scripts/normalize-dashboard.ts, sources in dashboards/SOURCES.md): fixed datasources, queries that parse, and the
// metric names they query recorded in <name>.metrics.txt.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dashboardMetricNames, dashboardQueries, datasourceRefs, parseLogQL, parsePromQL } from '../../../scripts/normalize-dashboard';

const supporting = resolve(__dirname, '..', 'src', 'supporting');

const DASHBOARDS = [
  { module: 'postgresql', dashboard: 'cloudnative-pg' },
  { module: 'redis', dashboard: 'valkey' },
  { module: 'nginx', dashboard: 'nginx-gateway-fabric' },
  { module: 'cert-manager', dashboard: 'cert-manager' },
  { module: 'loki', dashboard: 'loki' },
];

const ALLOWED_DATASOURCES: Record<string, string> = { prometheus: 'prometheus', loki: 'loki', '-- Grafana --': 'grafana' };

describe.each(DASHBOARDS)('dashboard $module/dashboards/$dashboard.json', ({ module, dashboard: name }) => {
  const dir = join(supporting, module, 'dashboards');
  const file = join(dir, `${name}.json`);
  const text = readFileSync(file, 'utf8');

  it('is valid JSON, pretty-printed with 2 spaces, under 800 KB', () => {
    const dashboard = JSON.parse(text);
    expect(text).toBe(JSON.stringify(dashboard, null, 2) + '\n');
    expect(statSync(file).size).toBeLessThan(800 * 1024);
  });

  it('has id null, uid platform-<name>, the platform-kit tag, a title, and no import-time inputs', () => {
    const dashboard = JSON.parse(text);
    expect(dashboard.id).toBeNull();
    expect(dashboard.uid).toBe(`platform-${name}`);
    expect(dashboard.uid.length).toBeLessThanOrEqual(40);
    expect(dashboard.tags).toContain('platform-kit');
    expect(typeof dashboard.title).toBe('string');
    for (const key of ['__inputs', '__requires', '__elements']) expect(dashboard).not.toHaveProperty(key);
    expect(text).not.toContain('${DS_');
    expect(text).not.toContain('$datasource');
    expect((dashboard.templating?.list ?? []).filter((v: any) => v.type === 'datasource')).toEqual([]);
  });

  it('uses only the provisioned datasources (prometheus, loki, -- Grafana --)', () => {
    const refs = datasourceRefs(JSON.parse(text));
    expect(refs.length).toBeGreaterThan(0);
    for (const { path, ref } of refs) {
      expect(ref, path).toBeTypeOf('object');
      const { uid, type } = ref as { uid: string; type: string };
      expect(Object.keys(ALLOWED_DATASOURCES), path).toContain(uid);
      expect(type, path).toBe(ALLOWED_DATASOURCES[uid]);
    }
  });

  it('has no Kubernetes-cluster variable or cluster=~"$cluster" matcher (one cluster per Grafana)', () => {
    const dashboard = JSON.parse(text);
    for (const v of dashboard.templating?.list ?? []) {
      const query = typeof v.query === 'string' ? v.query : (v.query?.query ?? '');
      expect(query, `variable ${v.name}`).not.toMatch(/label_values\s*\(.*,\s*cluster\s*\)\s*$/s);
    }
    expect(text).not.toMatch(/cluster\s*=~?\s*\\"\$\{?cluster/);
  });

  it('has queries that parse (PromQL with @prometheus-io/lezer-promql, LogQL with @grafana/lezer-logql)', () => {
    const qs = dashboardQueries(JSON.parse(text));
    expect(qs.length).toBeGreaterThan(0);
    const errors = qs.flatMap((q) => {
      const errorAt = (q.lang === 'promql' ? parsePromQL(q.expr) : parseLogQL(q.expr)).errorAt;
      return errorAt === undefined ? [] : [`${q.where} (${q.lang}): syntax error at ${errorAt}\n${q.expr}`];
    });
    expect(errors).toEqual([]);
  });

  it(`lists the metric names it queries in ${name}.metrics.txt`, () => {
    const expected = dashboardMetricNames(JSON.parse(text)).join('\n') + '\n';
    const metricsFile = join(dir, `${name}.metrics.txt`);
    expect(existsSync(metricsFile), `${metricsFile}: run scripts/normalize-dashboard.ts`).toBe(true);
    expect(readFileSync(metricsFile, 'utf8')).toBe(expected);
  });

  it('is recorded in SOURCES.md', () => {
    const sources = readFileSync(join(dir, 'SOURCES.md'), 'utf8');
    expect(sources).toContain(`${name}.json`);
    expect(sources).toMatch(/license/i);
  });
});
