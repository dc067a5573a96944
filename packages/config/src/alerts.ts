import { runningCostModel } from './cost';
import { clusterTarget } from './targets';
import { ARGOCD_NAMESPACE } from './supporting-services';
import type { Environment, Platform } from './schema';
import { POSTGRES_CLUSTER } from './supporting/postgresql';
import { VELERO_SCHEDULE } from './supporting/velero';

/*
 * The platform's own alert rules (a PrometheusRule in gitops/<env>/platform/observability/), each with its runbook
 * (the platform repo's docs/alerts.md, which every alert links to). They cover what hurts a platform and what
 * kube-prometheus-stack's default rules do not, or not with these thresholds: those three default rules are
 * turned off (prometheus.yaml), the others stay and link to runbooks.prometheus-operator.dev.
 */

export type AlertSeverity = 'critical' | 'warning';

export interface Runbook {
  /** What fired, in a sentence or two. */
  readonly meaning: string;
  /** What breaks if nobody acts. */
  readonly impact: string;
  /** Commands that show why, with the platform's real names (a test checks them). */
  readonly diagnose: readonly string[];
  /** What usually fixes it. */
  readonly fix: readonly string[];
}

export interface AlertRule {
  readonly alert: string;
  /** Supporting services whose metrics it reads (besides Prometheus and its exporters). */
  readonly needs: readonly string[];
  readonly expr: string;
  /** The expression as the docs show it, when `expr` holds a number of this environment (its budget). */
  readonly shownExpr?: string;
  readonly for: string;
  /** In production; elsewhere a critical rule is a warning (nobody is woken for dev). */
  readonly severity: AlertSeverity;
  /** Prometheus templates (`{{ $labels.pod }}`) are allowed. */
  readonly summary: string;
  readonly runbook: Runbook;
}

export interface RecordingRule {
  readonly record: string;
  readonly expr: string;
}

export interface AlertGroup {
  readonly name: string;
  readonly rules: readonly AlertRule[];
  readonly records?: readonly RecordingRule[];
}

/** The estimated monthly cost of the environment at its current node count (a recording rule). */
export const ESTIMATED_COST_METRIC = 'platform:estimated_monthly_cost_usd';

const HOURS_26 = '26 * 3600';
/** The Barman Cloud plugin's backup gauges (Unix seconds; CloudNativePG's own cnpg_collector_* ones stay 0 with a plugin). */
const LAST_BACKUP = 'barman_cloud_cloudnative_pg_io_last_available_backup_timestamp';
const LAST_FAILED_BACKUP = 'barman_cloud_cloudnative_pg_io_last_failed_backup_timestamp';
const CNPG = `kubectl -n postgresql`;

/** The platform's alert groups for one environment: those whose services are installed (Prometheus is). */
export function alertGroups(platform: Platform, environment: Environment): AlertGroup[] {
  if (!platform.supportingServices.includes('prometheus')) return [];
  const has = (s: string) => platform.supportingServices.includes(s as never);
  // The cost rule needs the environment's price: none on an existing cluster.
  const cost = clusterTarget(platform, environment).priced ? runningCostModel(platform, environment) : undefined;
  const usd = (n: number) => Number(n.toFixed(2));
  const groups: AlertGroup[] = [
    {
      name: 'platform.nodes-and-pods',
      rules: [
        {
          alert: 'NodeNotReady',
          needs: [],
          expr: 'kube_node_status_condition{condition="Ready",status="true"} == 0',
          for: '10m',
          severity: 'critical',
          summary: 'Node {{ $labels.node }} has not been Ready for 10 minutes.',
          runbook: {
            meaning: "The kubelet of a node stopped reporting Ready: the node is down, out of memory or disk, or cut off from the API server.",
            impact: 'Its pods are evicted after 5 minutes and rescheduled where there is room; with too little room, some stay Pending.',
            diagnose: ['kubectl get nodes -o wide', 'kubectl describe node <node>', 'kubectl get pods -A --field-selector spec.nodeName=<node>'],
            fix: [
              'A managed node group replaces an instance that fails its EC2 health checks; the Cluster Autoscaler adds nodes for Pending pods.',
              'A node that stays NotReady: cordon and drain it (`kubectl drain <node> --ignore-daemonsets --delete-emptydir-data`), then terminate its instance; the node group starts a new one.',
              'Spot nodes (non-production default) are reclaimed by AWS with two minutes\' notice: NotReady spot nodes that come back are expected.',
            ],
          },
        },
        {
          alert: 'PodCrashLooping',
          needs: [],
          expr: 'max_over_time(kube_pod_container_status_waiting_reason{reason="CrashLoopBackOff"}[5m]) >= 1',
          for: '15m',
          severity: 'warning',
          summary: 'Container {{ $labels.container }} of {{ $labels.namespace }}/{{ $labels.pod }} keeps crashing.',
          runbook: {
            meaning: 'A container exits again and again; the kubelet waits longer before each restart (CrashLoopBackOff).',
            impact: 'The pod serves nothing; with every replica crashing, the service is down.',
            diagnose: [
              'kubectl -n <namespace> describe pod <pod>',
              'kubectl -n <namespace> logs <pod> -c <container> --previous',
              `kubectl -n ${ARGOCD_NAMESPACE} get applications`,
            ],
            fix: [
              'An exit code 137 (OOMKilled) in `describe`: raise its memory limit (a team service: `tiers` in the answers; a supporting service: its helm/<env>/<release>.overrides.yaml).',
              'A configuration or secret error in the logs: fix it in git; Argo CD syncs it.',
              'A bad image: revert the image tag in gitops/<env>/services/<name>/image/ with a pull request.',
            ],
          },
        },
        {
          alert: 'VolumeFillingUp',
          needs: [],
          expr: 'kubelet_volume_stats_used_bytes / kubelet_volume_stats_capacity_bytes > 0.85',
          for: '15m',
          severity: 'warning',
          summary: 'Volume {{ $labels.namespace }}/{{ $labels.persistentvolumeclaim }} is {{ $value | humanizePercentage }} full.',
          runbook: {
            meaning: 'A persistent volume is more than 85% full.',
            impact: 'A full volume stops its database or store from writing: PostgreSQL stops, Prometheus and Loki lose data.',
            diagnose: ['kubectl get pvc -A', 'kubectl -n <namespace> describe pvc <persistentvolumeclaim>'],
            fix: [
              'Grow it: EBS volumes of the gp3 storage class expand online. Raise the size in the release\'s helm/<env>/<release>.overrides.yaml (Argo CD applies it), or `kubectl -n <namespace> patch pvc <persistentvolumeclaim> -p \'{"spec":{"resources":{"requests":{"storage":"<size>"}}}}\'` for a StatefulSet\'s claim, whose template cannot change.',
              'Prometheus: lower `retentionSize` instead; PostgreSQL: check that WAL archiving works (a failing archive keeps WAL on the volume).',
            ],
          },
        },
        {
          alert: 'VolumeFull',
          needs: [],
          expr: 'kubelet_volume_stats_used_bytes / kubelet_volume_stats_capacity_bytes > 0.95',
          for: '5m',
          severity: 'critical',
          summary: 'Volume {{ $labels.namespace }}/{{ $labels.persistentvolumeclaim }} is {{ $value | humanizePercentage }} full.',
          runbook: {
            meaning: 'A persistent volume is more than 95% full.',
            impact: 'Writes fail within minutes to hours.',
            diagnose: ['kubectl get pvc -A', 'kubectl -n <namespace> describe pvc <persistentvolumeclaim>'],
            fix: ['As for VolumeFillingUp, now.'],
          },
        },
      ],
    },
    {
      name: 'platform.gitops',
      rules: [
        {
          alert: 'ArgoCdApplicationDegraded',
          needs: [],
          expr: 'argocd_app_info{health_status="Degraded"} == 1',
          for: '30m',
          severity: 'critical',
          summary: 'Argo CD application {{ $labels.name }} has been Degraded for 30 minutes.',
          runbook: {
            meaning: 'Something an Application installed is unhealthy: a Deployment without available replicas, a failed Job, an ExternalSecret that cannot read its secret.',
            impact: 'What that Application runs is down or partly down.',
            diagnose: [`kubectl -n ${ARGOCD_NAMESPACE} get applications`, `kubectl -n ${ARGOCD_NAMESPACE} describe application <name>`, 'argocd app get <name> --show-operation'],
            fix: ['Find the unhealthy resource in `argocd app get` and follow its own alert (PodCrashLooping, VolumeFull...).', 'An ExternalSecret in error: the secret it reads is missing or empty in Secrets Manager (for Alertmanager\'s, see "Set up the receiver" above).'],
          },
        },
        {
          alert: 'ArgoCdApplicationOutOfSync',
          needs: [],
          expr: 'argocd_app_info{sync_status="OutOfSync"} == 1',
          for: '30m',
          severity: 'warning',
          summary: 'Argo CD application {{ $labels.name }} has been OutOfSync for 30 minutes.',
          runbook: {
            meaning: 'The cluster differs from git for 30 minutes although Applications sync automatically: a sync keeps failing, or something undoes it.',
            impact: 'What was merged is not running.',
            diagnose: [`kubectl -n ${ARGOCD_NAMESPACE} get applications`, 'argocd app diff <name>', 'argocd app get <name> --show-operation'],
            fix: [
              'A failing sync: read its message (a manifest the API server rejects, a CRD not there yet) and fix it in git.',
              "Something in the cluster rewrites a field git sets (a mutating webhook, an autoscaler): find it in `argocd app diff`, then stop it, or leave that field out of git (a team service: its gitops/<env>/services/<name>/kustomization.yaml).",
            ],
          },
        },
      ],
    },
    ...(cost
      ? ([
        {
          name: 'platform.cost',
          records: [{ record: ESTIMATED_COST_METRIC, expr: `count(kube_node_info) * ${usd(cost.perNodeUsd)} + ${usd(cost.fixedUsd)}` }],
          rules: [
            {
              alert: 'EstimatedCostOverBudget',
              needs: [],
              expr: `${ESTIMATED_COST_METRIC} > ${cost.budgetUsd}`,
              shownExpr: `${ESTIMATED_COST_METRIC} > <the environment's budget in USD>`,
              for: '6h',
              severity: 'warning',
              summary: `At its current node count, ${environment.name} would cost {{ $value | printf "%.0f" }} USD a month: more than its budget of ${cost.budgetUsd} USD.`,
              runbook: {
                meaning: "The estimate of docs/cost.md, recomputed with the nodes running now (the Cluster Autoscaler adds nodes when pods do not fit), is above the environment's monthly AWS Budget.",
                impact: 'The AWS Budget alerts by e-mail when the forecast passes 80% and the actual spend 100%; this alert comes earlier, from the cluster.',
                diagnose: ['kubectl get nodes -L node.kubernetes.io/instance-type,eks.amazonaws.com/capacityType', 'kubectl top pods -A --sort-by=cpu', 'kubectl get hpa -A'],
                fix: [
                  'More replicas than needed: lower the autoscalers\' maximum (`tiers` in the answers).',
                  'Requests far above use (compare `kubectl top` with the requests): lower them, so that pods fit on fewer nodes.',
                  'The growth is wanted: raise the environment\'s `budgetUsd` in the answers and re-run `npx projen`.',
                ],
              },
            },
          ],
        },
        ] satisfies AlertGroup[])
      : []),
  ];
  if (has('cert-manager'))
    groups.push({
      name: 'platform.certificates',
      rules: [
        {
          alert: 'CertificateExpiringSoon',
          needs: ['cert-manager'],
          expr: 'certmanager_certificate_expiration_timestamp_seconds - time() < 14 * 86400',
          for: '1h',
          severity: 'critical',
          summary: 'Certificate {{ $labels.namespace }}/{{ $labels.name }} expires in {{ $value | humanizeDuration }}.',
          runbook: {
            meaning: "cert-manager renews Let's Encrypt certificates 30 days before they expire: 14 days before, renewal has been failing for two weeks.",
            impact: 'When it expires, browsers and clients refuse the Gateway\'s HTTPS for every host it covers.',
            diagnose: ['kubectl get certificates -A', 'kubectl -n <namespace> describe certificate <name>', 'kubectl get challenges,orders -A', 'kubectl -n cert-manager logs deploy/cert-manager'],
            fix: [
              'A DNS-01 challenge that fails: check the environment\'s zone delegation (docs/dns.md, the `dig` checks) and cert-manager\'s role.',
              'An HTTP-01 challenge that fails: the host must resolve to the Gateway\'s load balancer and port 80 be reachable from the internet.',
              "Let's Encrypt's rate limits (the orders say so): wait, or use the staging issuer outside production.",
            ],
          },
        },
        {
          alert: 'CertificateNotReady',
          needs: ['cert-manager'],
          expr: 'certmanager_certificate_ready_status{condition="False"} == 1',
          for: '1h',
          severity: 'warning',
          summary: 'Certificate {{ $labels.namespace }}/{{ $labels.name }} has not been Ready for an hour.',
          runbook: {
            meaning: 'cert-manager could not issue or renew a certificate for an hour.',
            impact: 'A new host has no certificate yet (its HTTPS listener is not programmed); an old one keeps its certificate until it expires.',
            diagnose: ['kubectl get certificates -A', 'kubectl -n <namespace> describe certificate <name>', 'kubectl get challenges,orders -A'],
            fix: ['As for CertificateExpiringSoon.'],
          },
        },
      ],
    });
  if (has('postgresql'))
    groups.push({
      name: 'platform.postgresql',
      rules: [
        {
          alert: 'PostgresWalArchivingFailing',
          needs: ['postgresql'],
          expr: 'cnpg_pg_stat_archiver_last_failed_time > cnpg_pg_stat_archiver_last_archived_time',
          for: '15m',
          severity: 'critical',
          summary: 'PostgreSQL {{ $labels.pod }} has failed to archive WAL to S3 for 15 minutes.',
          runbook: {
            meaning: "The last attempt to copy a WAL segment to the backup bucket failed, and none has succeeded since.",
            impact: 'Point-in-time recovery stops at the last archived segment; WAL piles up on the volume until it is full and PostgreSQL stops.',
            diagnose: [
              `${CNPG} get cluster ${POSTGRES_CLUSTER}`,
              `kubectl cnpg -n postgresql status ${POSTGRES_CLUSTER}`,
              `${CNPG} logs ${POSTGRES_CLUSTER}-1 -c plugin-barman-cloud`,
            ],
            fix: [
              "Access denied: the `postgresql-backup` Pod Identity role and the bucket policy (the `<env>-services-aws` stack's plan shows drift).",
              'The bucket is gone or renamed: re-apply `<env>-services-aws`.',
            ],
          },
        },
        {
          alert: 'PostgresBackupTooOld',
          needs: ['postgresql'],
          // The plugin's gauges read 0 until a backup is recorded: a cluster without one yet fires only once one fails.
          expr: `(time() - max by (namespace) (${LAST_BACKUP}) > ${HOURS_26} and max by (namespace) (${LAST_BACKUP}) > 0) or max by (namespace) (${LAST_FAILED_BACKUP}) > max by (namespace) (${LAST_BACKUP})`,
          for: '15m',
          severity: 'critical',
          summary: 'The last PostgreSQL base backup in {{ $labels.namespace }} is more than 26 hours old, or the last attempt failed.',
          runbook: {
            meaning: 'The daily base backup (a ScheduledBackup, at 03:00 UTC) did not complete in the last 26 hours, or the most recent attempt failed. A new cluster has no backup until its first night.',
            impact: 'A restore replays more WAL (slower), and WAL older than the retention cannot be used without a base backup before it.',
            diagnose: [`${CNPG} get scheduledbackups,backups`, `${CNPG} describe backup <backup>`, `kubectl cnpg -n postgresql status ${POSTGRES_CLUSTER}`],
            fix: ['Start one now: `kubectl cnpg -n postgresql backup ' + POSTGRES_CLUSTER + ' --method plugin --plugin-name barman-cloud.cloudnative-pg.io`, and read its status.', 'As for PostgresWalArchivingFailing: the same role and bucket.'],
          },
        },
      ],
    });
  if (has('loki'))
    groups.push({
      name: 'platform.logs',
      rules: [
        {
          alert: 'LokiDiscardingLogs',
          needs: ['loki'],
          expr: 'sum by (reason) (rate(loki_discarded_samples_total[5m])) > 0',
          for: '15m',
          severity: 'warning',
          summary: 'Loki has been discarding log lines for 15 minutes ({{ $labels.reason }}).',
          runbook: {
            meaning: 'Loki refuses lines it receives: a rate or stream limit, lines too long or too old.',
            impact: 'Those lines are lost; searches miss them.',
            diagnose: ['kubectl -n monitoring logs statefulset/loki --since=1h | grep -i discarded'],
            fix: ['`rate_limited` or `per_stream_rate_limit`: raise `loki.limits_config` ingestion limits in helm/<env>/loki.overrides.yaml, or find the pod logging far more than usual.', '`greater_than_max_sample_age`: a shipper catching up after an outage; it stops by itself.'],
          },
        },
        {
          alert: 'LogShipperDroppingLogs',
          needs: ['loki'],
          expr: 'sum(rate(loki_write_dropped_entries_total[5m])) > 0',
          for: '15m',
          severity: 'warning',
          summary: 'Alloy has been dropping log lines it could not send to Loki for 15 minutes.',
          runbook: {
            meaning: "Alloy's loki.write gave up on lines after its retries: Loki is down or refuses them.",
            impact: 'Those lines are lost.',
            diagnose: ['kubectl -n monitoring get pods', 'kubectl -n monitoring logs daemonset/alloy --since=1h'],
            fix: ['Loki down: see its pods and LokiDiscardingLogs.'],
          },
        },
      ],
    });
  if (has('velero'))
    groups.push({
      name: 'platform.backups',
      rules: [
        {
          alert: 'VeleroBackupFailed',
          needs: ['velero'],
          expr: 'increase(velero_backup_failure_total[1h]) > 0',
          for: '5m',
          severity: 'warning',
          summary: 'A Velero backup failed in the last hour (schedule {{ $labels.schedule }}).',
          runbook: {
            meaning: 'A backup ended Failed or PartiallyFailed.',
            impact: "That night's restore point is missing or incomplete.",
            diagnose: ['kubectl -n velero get backups', 'velero -n velero backup describe <backup> --details', 'velero -n velero backup logs <backup>'],
            fix: ['Access denied: the `velero-server` Pod Identity role and the bucket (re-apply `<env>-services-aws`).', 'A volume the node agent cannot read: see its pod in the logs.'],
          },
        },
        {
          alert: 'VeleroBackupTooOld',
          needs: ['velero'],
          // 0 until the schedule's first success: VeleroBackupFailed covers a schedule that never succeeds.
          expr: `time() - velero_backup_last_successful_timestamp{schedule!=""} > ${HOURS_26} and velero_backup_last_successful_timestamp{schedule!=""} > 0`,
          for: '15m',
          severity: 'critical',
          summary: 'The last successful Velero backup of schedule {{ $labels.schedule }} is more than 26 hours old.',
          runbook: {
            meaning: 'The daily schedule has not produced a successful backup for more than a day.',
            impact: 'A namespace restore would go back further than a day.',
            diagnose: ['kubectl -n velero get schedules,backups', `velero -n velero schedule describe ${VELERO_SCHEDULE}`],
            fix: [`As for VeleroBackupFailed; start one now: \`velero -n velero backup create --from-schedule ${VELERO_SCHEDULE}\`.`],
          },
        },
      ],
    });
  return groups;
}

/** The severity a rule fires with in an environment: critical only in production. */
export function severityIn(rule: AlertRule, environment: Environment): AlertSeverity {
  return environment.tier === 'production' ? rule.severity : 'warning';
}

/** Where an alert's runbook is: its section of the platform repo's docs/alerts.md on GitHub. */
export function runbookUrl(platform: Platform, alert: string): string {
  return `https://github.com/${platform.github.owner}/${platform.github.repository}/blob/main/docs/alerts.md#${alert.toLowerCase()}`;
}
