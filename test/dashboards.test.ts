import {
  ESTIMATED_COST_METRIC,
  HOME_DASHBOARD,
  OBSERVABILITY_DIR,
  GITOPS_DIR,
  resolvePlatform,
  selectableSupportingServiceNames,
  supportingService,
  type AnswersInput,
  type SupportingServiceName,
} from '@platform-kit/config';
import { gitopsManifests, helmValuesFiles, moduleDashboards } from '@platform-kit/projen';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { installedMetrics } from './fixtures/metrics';
import { allPanels, dashboardQueries, datasourceRefs } from '../scripts/normalize-dashboard';
import { parseLogql, parsePromql } from './promql';

/*
 * Grafana's dashboards, provisioned from gitops/<env>/platform/observability/dashboards.yaml: the platform's home
 * dashboard and the supporting services' upstream ones. Each is valid JSON; every panel and query uses a datasource
 * Grafana is provisioned with (grafana.yaml, by uid); every PromQL query parses with Prometheus' parser and selects
 * metrics the installed exporters emit (test/fixtures/metrics); every LogQL query parses with Grafana's parser.
 */

const PLATFORMS: Record<string, AnswersInput> = {
  'every selectable service, a public service': {
    name: 'acme',
    domain: 'acme.io',
    environments: ['dev', 'prod'],
    services: [{ name: 'web', public: true }, 'worker'],
    supportingServices: selectableSupportingServiceNames() as SupportingServiceName[],
  },
  'monitoring without logs or a Gateway': { name: 'umbrella', environments: ['qa'], services: ['api'], supportingServices: ['prometheus', 'grafana'] },
};

type Json = Record<string, any>;

describe.each(Object.entries(PLATFORMS))('%s', (_, answers) => {
  const platform = resolvePlatform(answers);
  const files = gitopsManifests(platform);

  describe.each(platform.environments.map((e) => [e.name] as const))('in %s', (env) => {
    const configMaps = files.filter((f) => f.path === `${GITOPS_DIR}/${env}/${OBSERVABILITY_DIR}/dashboards.yaml`).map((f) => f.manifest as Json);
    const dashboards = configMaps.flatMap((cm) => Object.entries(cm.data as Record<string, string>).map(([file, json]) => ({ file, dashboard: JSON.parse(json) as Json })));
    const grafana = parse(helmValuesFiles(platform).find((f) => f.environment === env && f.release === 'grafana')!.contents);
    const provisioned = new Set((grafana.datasources['datasources.yaml'].datasources as Json[]).map((d) => d.uid));

    it("gives Grafana's sidecar the home dashboard and the selected services' upstream ones", () => {
      for (const cm of configMaps) expect(cm.metadata.labels).toEqual({ grafana_dashboard: '1' });
      const expected = [
        HOME_DASHBOARD.file,
        ...platform.supportingServices.flatMap((s) => moduleDashboards(supportingService(s).dir).map((d) => d.file)),
      ];
      expect(dashboards.map((d) => d.file).sort()).toEqual(expected.sort());
      // Grafana opens the home dashboard first.
      expect(grafana['grafana.ini'].dashboards.default_home_dashboard_path).toBe(`/tmp/dashboards/${HOME_DASHBOARD.file}`);
      expect(new Set(dashboards.map((d) => d.dashboard.uid)).size).toBe(dashboards.length);
    });

    it('uses only datasources Grafana is provisioned with', () => {
      for (const { file, dashboard } of dashboards)
        for (const { path, ref } of datasourceRefs(dashboard)) {
          const uid = (ref as Json).uid;
          expect(uid === '-- Grafana --' || provisioned.has(uid), `${file} ${path}: ${JSON.stringify(ref)}`).toBe(true);
        }
    });

    it("parses every query with Prometheus' or Grafana's parser, and selects only metrics the installed exporters emit", () => {
      const installed = installedMetrics(platform.supportingServices);
      const problems: string[] = [];
      // Every panel's queries and every query variable's (dashboardQueries: the one walk the upstream copies are checked with).
      for (const { file, dashboard } of dashboards)
        for (const { lang, expr, where } of dashboardQueries(dashboard)) {
          const parsed = lang === 'logql' ? parseLogql(expr) : parsePromql(expr);
          problems.push(...parsed.errors.map((e) => `${file} ${where}: ${e}`));
          problems.push(...parsed.metrics.filter((m) => !installed.has(m) && m !== ESTIMATED_COST_METRIC && !m.includes(':')).map((m) => `${file} ${where}: ${m}`));
        }
      expect(problems).toEqual([]);
    });

    it('lays the home dashboard out on a 24-column grid, and links to the docs and every host', () => {
      const home = dashboards.find((d) => d.file === HOME_DASHBOARD.file)!.dashboard;
      for (const panel of allPanels(home)) expect(panel.gridPos.x + panel.gridPos.w, panel.title).toBeLessThanOrEqual(24);
      const titles = allPanels(home).map((p) => p.title);
      expect(titles).toEqual(expect.arrayContaining(['Nodes not ready', 'Pods not ready', "Every Application's health and sync", 'Monthly budget']));
      expect(home.links.map((l: Json) => l.url)).toContain(`https://github.com/${platform.github.owner}/${platform.github.repository}/blob/main/docs/alerts.md`);
      if (platform.supportingServices.includes('loki') && platform.supportingServices.includes('nginx')) {
        expect(titles).toContain('Latency p95, by host');
        expect(home.links.map((l: Json) => l.url)).toContain(`https://web.${env}.acme.io`);
      } else expect(titles).not.toContain('Latency p95, by host');
    });
  });
});

describe('the checks', () => {
  it('fail on a LogQL query that does not parse', () => {
    expect(parseLogql('sum by (host) (rate({namespace="x"} | json [5m]))').errors).toEqual([]);
    expect(parseLogql('sum by (host) (rate({namespace="x"} | json [5m])').errors).not.toEqual([]);
  });

  it("the NGINX access log is JSON with the fields the dashboard's LogQL reads", () => {
    const platform = resolvePlatform({ supportingServices: ['nginx', 'loki', 'prometheus', 'grafana'] });
    const values = parse(helmValuesFiles(platform).find((f) => f.release === 'nginx')!.contents);
    const format: string = values.nginx.config.logging.accessLog.format;
    const line = JSON.parse(format.replace(/\$\w+/g, '1'));
    expect(Object.keys(line)).toEqual(expect.arrayContaining(['host', 'status', 'request_time']));
    expect(values.nginx.config.logging.accessLog.escape).toBe('json');
    expect(readFileSync(join(supportingService('nginx').dir, 'nginx.yaml.hbs'), 'utf8')).toContain('request_time');
  });
});
