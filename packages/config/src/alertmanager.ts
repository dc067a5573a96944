import { stringify } from 'yaml';
import type { Alerts, Platform } from './schema';
import { templateValue, type PlatformSecret } from './supporting-plan';

/*
 * Where the platform's alerts go. The whole Alertmanager configuration lives in git, in the template of an
 * ExternalSecret (gitops/<env>/platform/secrets/), which fills in the one secret value (the SMTP password or the
 * Slack webhook URL) from Secrets Manager and writes the Secret Alertmanager reads (`alertmanagerSpec.configSecret`).
 * Until someone puts that value, the Secret does not exist and the Prometheus operator runs Alertmanager with an
 * empty configuration: alerts show in Alertmanager's UI and Grafana, and reach no one.
 */

/** The Secret holding alertmanager.yaml, and the id of its Secrets Manager secret (`<platform>/<env>/alertmanager`). */
export const ALERTMANAGER_SECRET = { id: 'alertmanager', name: 'alertmanager-platform' } as const;
/** The receiver every warning and critical alert goes to. */
export const PLATFORM_RECEIVER = 'platform';

/** The key a person puts into the Secrets Manager secret, with what it holds. */
export function providedAlertSecret(alerts: Alerts): Record<string, string> {
  switch (alerts.receiver) {
    case 'email':
      return { 'smtp-password': `the SMTP password of ${alerts.smtpUsername} at ${alerts.smtpSmarthost}` };
    case 'slack':
      return { 'slack-webhook-url': `the URL of a Slack incoming webhook that posts to ${alerts.slackChannel}` };
    case 'none':
      return {};
  }
}

/** Repeat a still-firing alert this often: critical ones hourly, warnings twice a day. */
export const REPEAT_INTERVALS = { critical: '1h', warning: '12h' } as const;

/**
 * Alertmanager's configuration: critical and warning alerts to the answered receiver (critical ones repeated more
 * often), info alerts and the stack's heartbeats (Watchdog, InfoInhibitor) to nobody; a critical alert silences the
 * warnings of the same alert and namespace. `secret` is the Go template ESO replaces with the secret value.
 */
export function alertmanagerConfig(platform: Platform, secret: string): Record<string, unknown> {
  const alerts = platform.alerts;
  const receiver: Record<string, unknown> = { name: PLATFORM_RECEIVER };
  const global: Record<string, unknown> = { resolve_timeout: '5m' };
  if (alerts.receiver === 'email') {
    Object.assign(global, {
      smtp_smarthost: alerts.smtpSmarthost,
      smtp_from: alerts.smtpFrom,
      smtp_auth_username: alerts.smtpUsername,
      smtp_auth_password: secret,
      smtp_require_tls: !alerts.smtpSmarthost.endsWith(':465'),
    });
    receiver.email_configs = [{ to: alerts.emails.join(', '), send_resolved: true }];
  }
  if (alerts.receiver === 'slack') {
    global.slack_api_url = secret;
    receiver.slack_configs = [{ channel: alerts.slackChannel, send_resolved: true }];
  }
  const to = (name: string, matcher: string, extra: Record<string, unknown> = {}) => ({ receiver: name, matchers: [matcher], ...extra });
  return {
    global,
    route: {
      receiver: PLATFORM_RECEIVER,
      // Prometheus labels each alert with the platform and environment (externalLabels): one notification per alert
      // and namespace in this environment.
      group_by: ['alertname', 'namespace'],
      group_wait: '30s',
      group_interval: '5m',
      repeat_interval: REPEAT_INTERVALS.warning,
      routes: [
        to('null', 'alertname = "Watchdog"'),
        to('null', 'alertname = "InfoInhibitor"'),
        to('null', 'severity = "info"'),
        to(PLATFORM_RECEIVER, 'severity = "critical"', { group_wait: '10s', repeat_interval: REPEAT_INTERVALS.critical }),
        to(PLATFORM_RECEIVER, 'severity = "warning"'),
      ],
    },
    inhibit_rules: [
      { source_matchers: ['severity = "critical"'], target_matchers: ['severity =~ "warning|info"'], equal: ['alertname', 'namespace'] },
      { source_matchers: ['alertname = "InfoInhibitor"'], target_matchers: ['severity = "info"'], equal: ['namespace'] },
    ],
    receivers: [{ name: 'null' }, receiver],
  };
}

/** The Secret Alertmanager reads, built by External Secrets from git (the configuration) and Secrets Manager (its one secret value). */
export function alertmanagerSecret(platform: Platform, namespace: string): PlatformSecret {
  const provided = providedAlertSecret(platform.alerts);
  const [key] = Object.keys(provided);
  return {
    id: ALERTMANAGER_SECRET.id,
    namespace,
    name: ALERTMANAGER_SECRET.name,
    type: 'Opaque',
    generated: {},
    provided,
    fixed: { 'alertmanager.yaml': stringify(alertmanagerConfig(platform, templateValue(key)), { lineWidth: 0 }) },
    // Not a dependency of the prometheus release: External Secrets comes after it (its ServiceMonitor CRD), and the
    // operator runs Alertmanager with an empty configuration until the Secret exists.
    readBy: [],
  };
}
