import { ESTIMATED_COST_METRIC } from './alerts';
import { estimateCost, runningCostModel } from './cost';
import { clusterTarget } from './targets';
import { OBSERVABILITY_DIR } from './gitops';
import type { Environment, Platform } from './schema';
import { serviceDeliveries } from './service-delivery';
import { APPS_NAMESPACE, supportingPlan } from './supporting-plan';
import { supportingService } from './supporting-services';

/*
 * The platform's home dashboard in Grafana, one per environment, generated from the answers into
 * gitops/<env>/platform/observability/dashboards.yaml (a ConfigMap Grafana's sidecar loads): the nodes and their
 * capacity against what pods request, pods not ready, the supporting services' health as Argo CD sees it, each public
 * host's requests, errors and latency from the Gateway's access logs, and the cost against the budget. Datasources
 * are the ones grafana.yaml provisions, by uid.
 */

/** The uids of the datasources Grafana is provisioned with (grafana.yaml). */
export const DATASOURCES = { prometheus: { type: 'prometheus', uid: 'prometheus' }, loki: { type: 'loki', uid: 'loki' } } as const;
/** The home dashboard's uid: Grafana opens it first (grafana.ini `dashboards.default_home_dashboard_path`). */
export const HOME_DASHBOARD = { uid: 'platform-home', file: 'platform-home.json' } as const;

type Datasource = (typeof DATASOURCES)[keyof typeof DATASOURCES];
type Panel = Record<string, unknown>;

interface Query {
  readonly expr: string;
  readonly legend?: string;
  /** An instant query (tables, stats of the current value). */
  readonly instant?: boolean;
}

/** Lays panels out left to right, 24 columns wide, a new row when one is full. */
class Layout {
  private x = 0;
  private y = 0;
  private rowHeight = 0;
  private id = 0;
  readonly panels: Panel[] = [];

  row(title: string): void {
    this.newLine();
    this.panels.push({ type: 'row', id: ++this.id, title, collapsed: false, gridPos: { h: 1, w: 24, x: 0, y: this.y }, panels: [] });
    this.y += 1;
  }

  add(panel: Panel, w: number, h: number): void {
    if (this.x + w > 24) this.newLine();
    this.panels.push({ ...panel, id: ++this.id, gridPos: { h, w, x: this.x, y: this.y } });
    this.x += w;
    this.rowHeight = Math.max(this.rowHeight, h);
  }

  private newLine(): void {
    this.y += this.rowHeight;
    this.x = 0;
    this.rowHeight = 0;
  }
}

function targets(datasource: Datasource, queries: readonly Query[]): Record<string, unknown>[] {
  return queries.map((q, i) => ({
    refId: String.fromCharCode(65 + i),
    datasource,
    expr: q.expr,
    ...(q.legend ? { legendFormat: q.legend } : {}),
    ...(q.instant ? { instant: true, range: false, format: 'table' } : {}),
  }));
}

function stat(title: string, description: string, query: Query, unit = 'short', thresholds: { color: string; value: number | null }[] = [{ color: 'green', value: null }]): Panel {
  return {
    type: 'stat',
    title,
    description,
    datasource: DATASOURCES.prometheus,
    targets: targets(DATASOURCES.prometheus, [query]),
    fieldConfig: { defaults: { unit, thresholds: { mode: 'absolute', steps: thresholds } }, overrides: [] },
    options: { reduceOptions: { calcs: ['lastNotNull'], fields: '', values: false }, colorMode: 'background', graphMode: 'none', textMode: 'value' },
  };
}

function timeseries(title: string, description: string, datasource: Datasource, queries: readonly Query[], unit = 'short'): Panel {
  return {
    type: 'timeseries',
    title,
    description,
    datasource,
    targets: targets(datasource, queries),
    fieldConfig: { defaults: { unit }, overrides: [] },
    options: { legend: { displayMode: 'table', placement: 'right', calcs: ['lastNotNull'] }, tooltip: { mode: 'multi' } },
  };
}

function table(title: string, description: string, query: Query, columns: readonly string[]): Panel {
  return {
    type: 'table',
    title,
    description,
    datasource: DATASOURCES.prometheus,
    targets: targets(DATASOURCES.prometheus, [{ ...query, instant: true }]),
    // Only the labels that say what it is; the value and the time are noise here.
    transformations: [{ id: 'organize', options: { includeByName: Object.fromEntries(columns.map((c) => [c, true])) } }],
    fieldConfig: { defaults: {}, overrides: [] },
    options: { showHeader: true },
  };
}

const RED_AMBER = (amber: number, red: number) => [
  { color: 'green', value: null },
  { color: 'orange', value: amber },
  { color: 'red', value: red },
];

/** The environment's home dashboard (Grafana's dashboard JSON model). */
export function homeDashboard(platform: Platform, environment: Environment): Record<string, unknown> {
  const plan = supportingPlan(platform, environment);
  const has = (s: string) => plan.selected.includes(s as never);
  const layout = new Layout();

  layout.row('Nodes and pods');
  layout.add(stat('Nodes', 'Nodes registered in the cluster.', { expr: 'count(kube_node_info)' }), 4, 4);
  layout.add(
    stat('Nodes not ready', 'Nodes whose kubelet does not report Ready (alert NodeNotReady after 10 minutes).', { expr: 'count(kube_node_status_condition{condition="Ready",status="true"} == 0) or vector(0)' }, 'short', RED_AMBER(1, 1)),
    4,
    4,
  );
  layout.add(
    stat('Pods not ready', 'Running or pending pods with a container that is not ready.', { expr: 'count(kube_pod_status_ready{condition="false"} * on (namespace, pod) group_left () (kube_pod_status_phase{phase=~"Running|Pending"} == 1)) or vector(0)' }, 'short', RED_AMBER(1, 5)),
    4,
    4,
  );
  layout.add(stat('Pods crash looping', 'Containers waiting in CrashLoopBackOff (alert PodCrashLooping after 15 minutes).', { expr: 'count(kube_pod_container_status_waiting_reason{reason="CrashLoopBackOff"} == 1) or vector(0)' }, 'short', RED_AMBER(1, 1)), 4, 4);
  layout.add(stat('Fullest volume', 'The fullest persistent volume (alerts at 85% and 95%).', { expr: 'max(kubelet_volume_stats_used_bytes / kubelet_volume_stats_capacity_bytes) or vector(0)' }, 'percentunit', RED_AMBER(0.85, 0.95)), 4, 4);
  layout.add(stat('Firing alerts', "Alerts firing now, info ones and the stack's heartbeat (Watchdog) left out.", { expr: 'count(ALERTS{alertstate="firing",severity=~"warning|critical"}) or vector(0)' }, 'short', RED_AMBER(1, 1)), 4, 4);
  // What pods request and what they use, against what the nodes can allocate: CPU, then memory.
  const capacity = (resource: 'cpu' | 'memory', title: string, description: string, used: string) =>
    layout.add(
      timeseries(title, description, DATASOURCES.prometheus, [
        { expr: `sum(kube_pod_container_resource_requests{resource="${resource}"}) / sum(kube_node_status_allocatable{resource="${resource}"})`, legend: 'requested' },
        { expr: `${used} / sum(kube_node_status_allocatable{resource="${resource}"})`, legend: 'used' },
      ], 'percentunit'),
      12,
      8,
    );
  capacity('cpu', 'CPU: requested and used, of allocatable', 'Above 100% requested, new pods wait for the Cluster Autoscaler to add a node.', 'sum(rate(container_cpu_usage_seconds_total{container!=""}[5m]))');
  capacity('memory', 'Memory: requested and used, of allocatable', 'Used is the working set, what the kubelet evicts on.', 'sum(container_memory_working_set_bytes{container!=""})');
  layout.add(
    table('Pods not ready', 'Which pods, where.', { expr: 'kube_pod_status_ready{condition="false"} * on (namespace, pod) group_left () (kube_pod_status_phase{phase=~"Running|Pending"} == 1)' }, ['namespace', 'pod']),
    24,
    6,
  );

  layout.row('Supporting services and GitOps');
  layout.add(stat('Applications not healthy', "Argo CD Applications whose resources are not Healthy (alert ArgoCdApplicationDegraded after 30 minutes).", { expr: 'count(argocd_app_info{health_status!="Healthy"}) or vector(0)' }, 'short', RED_AMBER(1, 1)), 6, 4);
  layout.add(stat('Applications out of sync', 'Argo CD Applications that differ from git (alert ArgoCdApplicationOutOfSync after 30 minutes).', { expr: 'count(argocd_app_info{sync_status!="Synced"}) or vector(0)' }, 'short', RED_AMBER(1, 1)), 6, 4);
  layout.add(stat('Scrape targets down', 'Metrics endpoints Prometheus cannot reach: a supporting service or one of its exporters is down.', { expr: 'count(up == 0) or vector(0)' }, 'short', RED_AMBER(1, 1)), 6, 4);
  layout.add(stat('Supporting services', 'Argo CD Applications of this environment: one per release, and the platform folders.', { expr: 'count(argocd_app_info)' }), 6, 4);
  layout.add(
    table("Every Application's health and sync", "The supporting services' releases and the platform's folders, as Argo CD sees them (gitops/<env>/applications).", { expr: 'argocd_app_info' }, ['name', 'health_status', 'sync_status']),
    12,
    10,
  );
  layout.add(table('Scrape targets by job', 'Each metrics endpoint and whether it answers (1) or not (0).', { expr: 'avg by (namespace, job) (up)' }, ['namespace', 'job', 'Value']), 12, 10);

  const deliveries = serviceDeliveries(platform, environment);
  const publicHosts = deliveries.flatMap((d) => (d.route ? [d.route.host] : []));
  layout.row("The team's services");
  if (has('loki') && has('nginx')) {
    // The Gateway's NGINX pods log one JSON object per request (nginx.yaml); NGINX Open Source has no per-route metrics.
    const gateway = `{namespace="${supportingService('nginx').namespace}", container="nginx"} | json | __error__=""`;
    const hostFilter = publicHosts.length ? ` | host=~"${publicHosts.map((h) => h.replace(/\./g, '\\\\.')).join('|')}"` : '';
    layout.add(timeseries('Requests per second, by host', "From the Gateway's access logs in Loki: every public host, the platform's included.", DATASOURCES.loki, [{ expr: `sum by (host) (rate(${gateway}${hostFilter} [5m]))`, legend: '{{host}}' }], 'reqps'), 8, 8);
    layout.add(
      timeseries('Server errors (5xx), share of requests', 'Responses with status 500 or more, by host.', DATASOURCES.loki, [
        { expr: `sum by (host) (rate(${gateway}${hostFilter} | status >= 500 [5m])) / sum by (host) (rate(${gateway}${hostFilter} [5m]))`, legend: '{{host}}' },
      ], 'percentunit'),
      8,
      8,
    );
    layout.add(
      timeseries('Latency p95, by host', "NGINX's request time: from the first byte read to the last byte sent.", DATASOURCES.loki, [
        { expr: `quantile_over_time(0.95, ${gateway}${hostFilter} | unwrap request_time [5m]) by (host)`, legend: '{{host}}' },
      ], 's'),
      8,
      8,
    );
  }
  layout.add(
    table('Replicas available, by service', `The team's Deployments in the ${APPS_NAMESPACE} namespace: available and desired replicas.`, { expr: `kube_deployment_status_replicas_available{namespace="${APPS_NAMESPACE}"}` }, ['deployment', 'Value']),
    12,
    8,
  );
  layout.add(
    timeseries('Container restarts, by service', 'Restarts in the last hour: a service that restarts often crashes or runs out of memory.', DATASOURCES.prometheus, [
      { expr: `sum by (pod) (increase(kube_pod_container_status_restarts_total{namespace="${APPS_NAMESPACE}"}[1h]))`, legend: '{{pod}}' },
    ]),
    12,
    8,
  );

  // The cost panels need the environment's price: none on an existing cluster.
  if (clusterTarget(platform, environment).priced) {
    layout.row('Cost');
    const cost = runningCostModel(platform, environment);
    const estimate = estimateCost(platform)?.groups.find((g) => g.name === environment.name)?.monthlyUsd;
    layout.add(
      stat('Monthly cost at the current node count', "docs/cost.md's estimate with the nodes running now (the recording rule behind EstimatedCostOverBudget).", { expr: ESTIMATED_COST_METRIC }, 'currencyUSD', RED_AMBER(cost.budgetUsd * 0.8, cost.budgetUsd)),
      8,
      4,
    );
    if (estimate !== undefined) layout.add(stat('Estimate (docs/cost.md)', 'The estimate from the answers, at the desired node count.', { expr: `vector(${estimate.toFixed(2)})` }, 'currencyUSD'), 8, 4);
    layout.add(stat('Monthly budget', "The environment's AWS Budget (alerts by e-mail at 80% forecast and 100% actual).", { expr: `vector(${cost.budgetUsd})` }, 'currencyUSD'), 8, 4);
  }

  const repo = `https://github.com/${platform.github.owner}/${platform.github.repository}`;
  const link = (title: string, url: string) => ({ title, url, type: 'link', targetBlank: true, icon: 'external link' });
  return {
    id: null,
    uid: HOME_DASHBOARD.uid,
    title: `${platform.name} / ${environment.name}`,
    description: `The platform's home: capacity, health, the team's services and cost of ${environment.name}. Generated by platform-kit (${OBSERVABILITY_DIR}).`,
    tags: ['platform-kit', 'platform'],
    timezone: 'utc',
    editable: false,
    schemaVersion: 41,
    refresh: '1m',
    time: { from: 'now-6h', to: 'now' },
    templating: { list: [] },
    annotations: { list: [] },
    links: [
      link('Platform docs', `${repo}/tree/main/docs`),
      link('Alerts and runbooks', `${repo}/blob/main/docs/alerts.md`),
      link('Argo CD (reaching its UI: docs/gitops.md)', `${repo}/blob/main/docs/gitops.md`),
      ...Object.entries(plan.hosts).map(([service, host]) => link(supportingService(service).title, `https://${host}`)),
      ...publicHosts.map((host) => link(host, `https://${host}`)),
    ],
    panels: layout.panels,
  };
}
