import { relative } from 'node:path';
import { ENVIRONMENT_STACKS, environmentStacks, estimateCost, formatCostTable, STACK_ORDER, stackNames, supportingPlan, supportingService, unpricedRegion, usesCertificateEmail, usesDomain, type Platform } from '@platform-kit/config';
import { BACKUP_DIR, type PlannedFile } from './placement';
import { style } from './style';

/** A path as the user would type it from where they are. */
export function shownPath(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel === '' ? '.' : rel.startsWith('..') ? path : `./${rel}`;
}

const LABEL = 14;
const WIDTH = Math.min(process.stdout.columns || 100, 120);

/** A labelled value, wrapped at spaces to the terminal's width under its own column. */
function row(label: string, value: string): string {
  const lines: string[] = [];
  for (const word of value.split(' ')) {
    const last = lines[lines.length - 1];
    if (last !== undefined && last.length + word.length + 1 <= WIDTH - LABEL - 2) lines[lines.length - 1] = `${last} ${word}`;
    else lines.push(word);
  }
  return lines.map((line, i) => `  ${style('dim', (i ? '' : label).padEnd(LABEL))}${line}`).join('\n');
}

/** The answers, as a person checks them before saying yes. */
export function answersSummary(platform: Platform): string[] {
  const envs = platform.environments.map((e) => {
    if (e.target) {
      const t = e.target;
      const gateway = t.gateway.exposure === 'NodePort' ? `node ports ${t.gateway.httpNodePort}/${t.gateway.httpsNodePort}` : 'its own load balancer';
      const storage = t.objectStorage ? `objects in ${t.objectStorage.endpoint}` : 'no object storage: Loki on one volume, no PostgreSQL backups';
      return `${e.name} (${e.tier}, existing cluster ${t.context}, ${gateway}, ${storage}, secrets in ${t.secrets.kind === 'vault' ? t.secrets.server : 'the cluster'})`;
    }
    const nat = { single: 'one NAT gateway', 'per-az': 'a NAT gateway per zone', instance: 'a NAT instance' }[e.natGateways];
    const n = e.nodes;
    return `${e.name} (${e.tier}${e.profile === 'lean' ? ', lean' : ''}, ${e.vpcCidr}, ${e.zoneIds.length} zones, ${nat}, ${n.minSize}-${n.maxSize} ${n.capacityType} nodes)`;
  });
  const supporting = platform.supportingServices.map((s) => supportingService(s).title);
  const hosts = platform.environments.flatMap((e) => Object.values(supportingPlan(platform, e).hosts));
  const tags = Object.entries(platform.tags).map(([k, v]) => `${k}=${v}`);
  return [
    style('bold', 'Your platform'),
    row('Name', platform.name),
    row('AWS', `account ${platform.aws.accountId}, ${platform.aws.region}, Kubernetes ${platform.kubernetesVersion}`),
    row('Admins', platform.aws.adminRoleArns.join(', ') || 'none: only CI can use kubectl (add your role ARN to aws.adminRoleArns)'),
    ...envs.map((e, i) => row(i ? '' : 'Environments', e)),
    row('Services', platform.services.map((s) => `${s.name} (${s.language}, port ${s.port}${s.public ? ', public' : ''})`).join(', ') || 'none'),
    row('Supporting', supporting.join(', ') || 'none'),
    ...(usesDomain(platform) ? [row('Domain', `${platform.domain}${hosts.length ? ` (e.g. ${hosts[0]})` : ''}`)] : []),
    ...(usesCertificateEmail(platform) ? [row('Certificates', `Let's Encrypt, contact ${platform.certificateEmail}`)] : []),
    ...(platform.supportingServices.includes('prometheus') ? [row('Alerts', alertsSummary(platform.alerts))] : []),
    row('GitHub', `${platform.github.owner}/${platform.github.repository} (OIDC provider: ${platform.github.oidcProvider})`),
    row('State', `s3://${platform.stateBucket}`),
    ...(tags.length ? [row('Tags', tags.join(', '))] : []),
  ];
}

/** Where alerts go, and the one step the receiver needs after the first apply. */
function alertsSummary(alerts: Platform['alerts']): string {
  switch (alerts.receiver) {
    case 'none':
      return 'nowhere yet: they show in Grafana (answer alerts to send them by e-mail or to Slack)';
    case 'email':
      return `e-mail to ${alerts.emails.join(', ')} through ${alerts.smtpSmarthost}; put the SMTP password in Secrets Manager after the first apply (docs/alerts.md)`;
    case 'slack':
      return `Slack ${alerts.slackChannel}; put the webhook URL in Secrets Manager after the first apply (docs/alerts.md)`;
  }
}

function count(n: number, what: string): string {
  return `${n} ${what}${n === 1 ? '' : 's'}`;
}

/** What a run will create: the directory, the stacks, the files by owner and by what happens to them. */
export function planSummary(platform: Platform, target: string, files: readonly PlannedFile[], install: boolean): string[] {
  const stacks = stackNames(platform);
  const managed = files.filter((f) => f.owner === 'managed').length;
  const byAction = (action: PlannedFile['action']) => files.filter((f) => f.action === action).length;
  const existing = files.length - byAction('create');
  const backups = byAction('back up and replace');
  return [
    style('bold', 'It will create'),
    row('Directory', shownPath(target)),
    row(`Stacks (${stacks.length})`, stacksSummary(platform)),
    row(`Files (${files.length})`, `${managed} managed (regenerated by npx projen), ${files.length - managed} yours (written once)`),
    ...(existing
      ? [row('Existing', `${byAction('unchanged')} unchanged, ${byAction('replace')} replaced (the kit's own), ${count(backups, 'file')} of yours moved to ${BACKUP_DIR}/`)]
      : []),
    row('Then', install ? 'npm install, then the first synth (cdktf.out/)' : 'nothing else (--skip-install)'),
    '',
    ...costSummary(platform),
  ];
}

/** The account's stacks, then each environment's: by pattern for those on EKS, by name for those on an existing cluster. */
function stacksSummary(platform: Platform): string {
  const onEks = platform.environments.filter((e) => !e.target).map((e) => e.name);
  const existing = platform.environments.filter((e) => e.target);
  return [
    STACK_ORDER.join(', '),
    ...(onEks.length ? [`then for each of ${onEks.join(', ')}: ${ENVIRONMENT_STACKS.map((s) => `<env>-${s}`).join(', ')}`] : []),
    ...(existing.length ? [`${existing.flatMap((e) => environmentStacks(platform, e)).join(', ')} (existing clusters: the in-cluster half only)`] : []),
  ].join('; ');
}

/** The estimated monthly cost, before the go-ahead: what it costs is part of what it creates. */
function costSummary(platform: Platform): string[] {
  const estimate = estimateCost(platform);
  if (!estimate) return [style('bold', 'What it costs'), `  ${unpricedRegion(platform.aws.region)}`];
  return [style('bold', `What it costs a month (USD, estimate, prices as of ${estimate.pricesAsOf})`), ...formatCostTable(estimate, { footer: false })];
}

/** The --dry-run listing: every file, its owner, and what would happen to it. */
export function fileListing(files: readonly PlannedFile[]): string[] {
  const width = Math.max(...files.map((f) => f.path.length));
  return files.map((f) => `  ${f.owner.padEnd(8)} ${f.path.padEnd(width)}  ${f.action}`);
}
