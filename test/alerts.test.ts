import {
  ALERTMANAGER_SECRET,
  ARGOCD_NAMESPACE,
  POSTGRES_CLUSTER,
  VELERO_SCHEDULE,
  alertGroups,
  estimateCost,
  gitopsApplications,
  resolvePlatform,
  runningCostModel,
  selectableSupportingServiceNames,
  supportingPlan,
  type AnswersInput,
  type SupportingServiceName,
} from '@platform-kit/config';
import { gitopsManifests, helmValuesFiles } from '@platform-kit/projen';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { installedMetrics } from './fixtures/metrics';
import { parsePromql } from './promql';

/*
 * The platform's alert rules: every expression parses with Prometheus' own parser and selects only metrics the
 * installed exporters are known to emit (test/fixtures/metrics, from their sources at the pinned versions) or the
 * platform records itself; every runbook command names a namespace, Application, release or object the generated
 * repo has; Alertmanager's configuration routes every severity to a receiver it defines.
 */

const PLATFORMS: Record<string, AnswersInput> = {
  'every selectable service, a Slack receiver': {
    name: 'acme',
    domain: 'acme.io',
    environments: ['dev', 'prod'],
    supportingServices: selectableSupportingServiceNames() as SupportingServiceName[],
    alerts: { receiver: 'slack', slackChannel: '#acme-alerts' },
  },
  'monitoring only, e-mail through SES': {
    name: 'umbrella',
    aws: { region: 'us-east-1' },
    environments: ['qa', 'live'],
    supportingServices: ['prometheus', 'grafana'],
    alerts: { receiver: 'email', smtpSmarthost: 'email-smtp.us-east-1.amazonaws.com:587', smtpUsername: 'AKIAEXAMPLEUSER', emails: ['oncall@umbrella.example'] },
  },
};

describe.each(Object.entries(PLATFORMS))('%s', (_, answers) => {
  const platform = resolvePlatform(answers);

  describe.each(platform.environments.map((e) => [e.name, e] as const))('in %s', (_env, environment) => {
    const groups = alertGroups(platform, environment);
    const recorded = new Set(groups.flatMap((g) => (g.records ?? []).map((r) => r.record)));
    const rules = groups.flatMap((g) => g.rules);

    it("parses every expression with Prometheus' parser", () => {
      const expressions = [...rules.map((r) => r.expr), ...groups.flatMap((g) => (g.records ?? []).map((r) => r.expr))];
      expect(expressions.length).toBeGreaterThan(5);
      expect(expressions.flatMap((expr) => parsePromql(expr).errors.map((e) => `${expr}: ${e}`))).toEqual([]);
    });

    it('selects only metrics the installed exporters emit, or that the platform records', () => {
      const unknown = rules.flatMap((rule) => {
        const known = installedMetrics(rule.needs);
        return parsePromql(rule.expr).metrics.filter((m) => !known.has(m) && !recorded.has(m)).map((m) => `${rule.alert}: ${m}`);
      });
      expect(unknown).toEqual([]);
      for (const group of groups) for (const r of group.records ?? []) expect(parsePromql(r.expr).metrics.every((m) => installedMetrics([]).has(m))).toBe(true);
    });

    it('names in its runbooks only namespaces, Applications, releases and objects the repo has', () => {
      const plan = supportingPlan(platform, environment);
      const namespaces = new Set([...plan.namespaceList.map((n) => n.name), ARGOCD_NAMESPACE]);
      const releases = new Set(helmValuesFiles(platform).filter((f) => f.environment === environment.name).map((f) => f.release));
      const applications = new Set(gitopsApplications(platform, environment).map((a) => a.name));
      // What the charts name after their release or values (checked against the values below).
      const objects = new Set([`${POSTGRES_CLUSTER}`, `${POSTGRES_CLUSTER}-1`, VELERO_SCHEDULE, ALERTMANAGER_SECRET.name]);
      const problems: string[] = [];
      for (const rule of rules)
        for (const command of rule.runbook.diagnose) {
          for (const [, ns] of command.matchAll(/-n (\S+)/g)) if (!ns.startsWith('<') && !namespaces.has(ns)) problems.push(`${rule.alert}: namespace ${ns}`);
          for (const [, name] of command.matchAll(/\b(?:deploy|statefulset|daemonset)\/(\S+)/g)) if (!releases.has(name)) problems.push(`${rule.alert}: release ${name}`);
          for (const [, name] of command.matchAll(/\b(?:cluster|status|logs|describe)\s+([a-z][\w-]*)(?![\w/-])/g))
            if (!['pod', 'node', 'certificate', 'pvc', 'application', 'backup'].includes(name) && !objects.has(name)) problems.push(`${rule.alert}: ${name}`);
          for (const [, app] of command.matchAll(/argocd app \w+ (\S+)/g)) if (!app.startsWith('<') && !applications.has(app)) problems.push(`${rule.alert}: Application ${app}`);
        }
      expect(problems).toEqual([]);
      // The names the runbooks take from the charts are the ones their values give.
      const values = (release: string) => parse(helmValuesFiles(platform).find((f) => f.environment === environment.name && f.release === release)!.contents);
      if (releases.has('velero')) expect(`velero-${Object.keys(values('velero').schedules)[0]}`).toBe(VELERO_SCHEDULE);
    });

    it('records the estimate: at the desired node count, the cost metric is the estimate of docs/cost.md', () => {
      const model = runningCostModel(platform, environment);
      const estimate = estimateCost(platform)!.groups.find((g) => g.name === environment.name)!.monthlyUsd;
      expect(model.perNodeUsd * environment.nodes.desiredSize + model.fixedUsd).toBeCloseTo(estimate, 6);
      expect(model.budgetUsd).toBeGreaterThan(estimate);
    });
  });

  it("routes critical and warning alerts to the answered receiver, and configures it from the ExternalSecret's template", () => {
    for (const environment of platform.environments) {
      const secret = gitopsManifests(platform).find((f) => f.manifest.kind === 'ExternalSecret' && (f.manifest as any).metadata.name === ALERTMANAGER_SECRET.name && f.path.includes(`/${environment.name}/`));
      expect(secret).toBeDefined();
      const spec = (secret!.manifest as any).spec;
      const key = platform.alerts.receiver === 'slack' ? 'slack-webhook-url' : 'smtp-password';
      expect(spec.data.map((d: any) => d.remoteRef)).toEqual([{ key: `${platform.name}/${environment.name}/alertmanager`, property: key }]);
      const text: string = spec.target.template.data['alertmanager.yaml'];
      // The one Go template in it is the secret value; ESO replaces it.
      expect(text.match(/\{\{.*?\}\}/g)).toEqual([`{{ index . "${key}" }}`]);
      const config = parse(text.replace(/\{\{.*?\}\}/, 'REDACTED'));
      const receivers = new Set(config.receivers.map((r: any) => r.name));
      const routes = [config.route, ...config.route.routes];
      for (const route of routes) expect(receivers.has(route.receiver), route.receiver).toBe(true);
      for (const severity of ['critical', 'warning']) expect(config.route.routes.find((r: any) => r.matchers[0] === `severity = "${severity}"`).receiver).toBe('platform');
      const platformReceiver = config.receivers.find((r: any) => r.name === 'platform');
      if (platform.alerts.receiver === 'slack') {
        expect(platformReceiver.slack_configs).toEqual([{ channel: '#acme-alerts', send_resolved: true }]);
        expect(config.global.slack_api_url).toBe('REDACTED');
      } else {
        expect(platformReceiver.email_configs).toEqual([{ to: 'oncall@umbrella.example', send_resolved: true }]);
        expect(config.global).toMatchObject({ smtp_smarthost: 'email-smtp.us-east-1.amazonaws.com:587', smtp_auth_username: 'AKIAEXAMPLEUSER', smtp_auth_password: 'REDACTED', smtp_require_tls: true });
      }
    }
  });

  it('points Alertmanager at the Secret External Secrets writes', () => {
    for (const file of helmValuesFiles(platform).filter((f) => f.release === 'prometheus')) {
      const spec = parse(file.contents).alertmanager.alertmanagerSpec;
      expect(spec).toMatchObject({ useExistingSecret: true, configSecret: ALERTMANAGER_SECRET.name });
    }
  });
});

describe('the checks', () => {
  it('fail on an expression that does not parse, and report the metrics an expression selects', () => {
    expect(parsePromql('sum(rate(foo_total[5m])').errors).not.toEqual([]);
    expect(parsePromql('rate(foo_total{a="b"}[5m]) / on() group_left bar > 1 and {__name__="baz"}').metrics).toEqual(['bar', 'baz', 'foo_total']);
  });

  it('know the metrics kube-state-metrics emits, and not made-up ones', () => {
    const known = installedMetrics([]);
    expect(known.has('kube_node_status_condition')).toBe(true);
    expect(known.has('kube_node_status_not_ready')).toBe(false);
  });

  it('leave a platform without Prometheus without rules, and without a receiver with the chart\'s Alertmanager configuration', () => {
    expect(alertGroups(resolvePlatform({ supportingServices: ['postgresql', 'cert-manager'] }), resolvePlatform({}).environments[0])).toEqual([]);
    const platform = resolvePlatform({ supportingServices: ['prometheus'] });
    const values = parse(helmValuesFiles(platform).find((f) => f.release === 'prometheus')!.contents);
    expect(values.alertmanager.alertmanagerSpec.configSecret).toBeUndefined();
    expect(gitopsManifests(platform).some((f) => (f.manifest as any).metadata?.name === ALERTMANAGER_SECRET.name)).toBe(false);
  });
});
