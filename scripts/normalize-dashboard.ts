/**
 * Normalizes an upstream Grafana dashboard for the platform's Grafana, where datasources are provisioned with fixed
 * uids (`prometheus`, `loki`) and dashboards are loaded from git by the chart's sidecar (no import-time inputs).
 *
 *  - every datasource reference (panels, panels nested in rows, targets, template variables, annotations) becomes
 *    {"type":"prometheus","uid":"prometheus"}, {"type":"loki","uid":"loki"} or, for built-in annotations,
 *    {"type":"grafana","uid":"-- Grafana --"};
 *  - `__inputs`, `__requires`, `__elements` and template variables of type `datasource` are removed (references to
 *    them, `${DS_PROMETHEUS}`, `$datasource`, ..., resolve to the fixed objects above);
 *  - a Kubernetes-cluster template variable (`label_values(..., cluster)`) and its `cluster=~"$cluster"` matchers are
 *    removed (one cluster per Grafana);
 *  - `id: null`, `uid: platform-<name>`, tag `platform-kit` added, title kept;
 *  - the dashboard-specific edits in FIXUPS (queries whose metric or label names do not exist for the versions the
 *    kit deploys, selectors for the kit's scrape configuration) are applied, each of which must still match;
 *  - written pretty-printed (2 spaces), with <name>.metrics.txt next to it: the metric names its PromQL queries use.
 *
 * Usage: npx tsx scripts/normalize-dashboard.ts <upstream.json> <out.json> --name <name> [--jsonnet-mixin <config>]
 *   --name           dashboard name: uid `platform-<name>`, key of its FIXUPS
 *   --jsonnet-mixin  the input is a mixin's dashboard JSON with jsonnet `"..." % $._config` expressions: render it
 *                    with the named config of MIXIN_CONFIGS first (for mixins that ship no compiled JSON)
 * The edits made are printed, for the dashboard's SOURCES.md.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { parser as logqlParser } from '@grafana/lezer-logql';
import { parser as promqlParser } from '@prometheus-io/lezer-promql';

// Dashboards are loosely typed JSON documents.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;
type DsType = 'prometheus' | 'loki' | 'grafana';

export const DATASOURCES: Record<DsType, { type: string; uid: string }> = {
  prometheus: { type: 'prometheus', uid: 'prometheus' },
  loki: { type: 'loki', uid: 'loki' },
  grafana: { type: 'grafana', uid: '-- Grafana --' },
};

// ---------------------------------------------------------------------------------------------------------------
// Walking a dashboard

/** Every panel, including those nested in rows (`panels[].panels`) and in legacy `rows[].panels`. */
export function allPanels(dashboard: Json): Json[] {
  const out: Json[] = [];
  const visit = (panels: Json[] | undefined) => {
    for (const panel of panels ?? []) {
      out.push(panel);
      visit(panel.panels);
    }
  };
  visit(dashboard.panels);
  for (const row of dashboard.rows ?? []) visit(row.panels);
  return out;
}

/** Every value of a `datasource` key anywhere in the dashboard, with where it is (a JSON path). */
export function datasourceRefs(node: unknown, path = '$', out: { path: string; ref: unknown }[] = []): { path: string; ref: unknown }[] {
  if (Array.isArray(node)) node.forEach((v, i) => datasourceRefs(v, `${path}[${i}]`, out));
  else if (node && typeof node === 'object')
    for (const [key, value] of Object.entries(node)) {
      if (key === 'datasource') out.push({ path: `${path}.${key}`, ref: value });
      datasourceRefs(value, `${path}.${key}`, out);
    }
  return out;
}

/** The text of a template variable's query (a string, or an object with `query`). */
function variableQuery(variable: Json): string | undefined {
  if (typeof variable.query === 'string') return variable.query;
  if (variable.query && typeof variable.query.query === 'string') return variable.query.query;
  return undefined;
}

/** Rewrites `holder[key]` with `edit` when it is a string; returns 1 when it changed. */
function editString(holder: Json, key: string, edit: (s: string) => string): number {
  if (!holder || typeof holder[key] !== 'string') return 0;
  const next = edit(holder[key]);
  if (next === holder[key]) return 0;
  holder[key] = next;
  return 1;
}

/** Rewrites a template variable's query (and its `definition`, Grafana's copy of it) with `edit`. */
function editVariableQuery(variable: Json, edit: (q: string) => string): number {
  const query = typeof variable.query === 'string' ? editString(variable, 'query', edit) : editString(variable.query, 'query', edit);
  return query + editString(variable, 'definition', edit);
}

/** Applies `edit` to every target expression and every query variable; returns how many strings changed. */
export function editQueries(dashboard: Json, edit: (expr: string) => string): number {
  let changed = 0;
  for (const panel of allPanels(dashboard)) {
    for (const target of panel.targets ?? []) {
      changed += editString(target, 'expr', edit);
    }
  }
  for (const variable of dashboard.templating?.list ?? []) {
    if (variable.type === 'query') changed += editVariableQuery(variable, edit);
  }
  return changed;
}

// ---------------------------------------------------------------------------------------------------------------
// Datasources

function dsFromName(name: string): DsType | undefined {
  const n = name.toLowerCase();
  if (n === 'prometheus') return 'prometheus';
  if (n === 'loki') return 'loki';
  return undefined;
}

class DatasourceResolver {
  /** Datasource variable (or `__inputs` name) -> the datasource type it selects. */
  readonly variables = new Map<string, DsType>();

  constructor(dashboard: Json) {
    for (const input of dashboard.__inputs ?? []) {
      const type = input.type === 'datasource' ? dsFromName(input.pluginId ?? '') : undefined;
      if (type) this.variables.set(input.name, type);
    }
    for (const variable of dashboard.templating?.list ?? []) {
      if (variable.type !== 'datasource') continue;
      const type = dsFromName(String(variable.query ?? ''));
      if (!type) throw new Error(`datasource variable ${variable.name}: unsupported plugin ${variable.query}`);
      this.variables.set(variable.name, type);
    }
  }

  private fromVariable(ref: string): DsType | undefined {
    const m = /^\$\{?([A-Za-z_][A-Za-z0-9_]*)(?::[^}]*)?\}?$/.exec(ref.trim());
    if (!m) return undefined;
    const type = this.variables.get(m[1]);
    if (!type) throw new Error(`datasource ${ref}: not a datasource variable or input`);
    return type;
  }

  /** The datasource type a reference means, or `fallback` when it names none (null, absent). */
  resolve(ref: Json, fallback: DsType | undefined, where: string): DsType | 'mixed' | undefined {
    if (ref === null || ref === undefined) return fallback;
    if (typeof ref === 'string') {
      if (ref === '-- Grafana --' || ref === 'grafana') return 'grafana';
      if (ref === '-- Mixed --') return 'mixed';
      const named = dsFromName(ref);
      if (named) return named;
      const type = this.fromVariable(ref);
      if (type) return type;
      throw new Error(`${where}: unknown datasource ${JSON.stringify(ref)}`);
    }
    const type: string | undefined = ref.type;
    const uid: string | undefined = ref.uid;
    if (type === '__expr__') throw new Error(`${where}: server-side expression (__expr__): rewrite it in a FIXUP`);
    if (type === 'grafana' || (type === 'datasource' && (uid === 'grafana' || uid === '-- Grafana --'))) return 'grafana';
    if (type === 'datasource' && uid === '-- Mixed --') return 'mixed';
    if (type === 'prometheus' || type === 'loki') return type;
    if (typeof uid === 'string') {
      const fromVar = this.fromVariable(uid);
      if (fromVar) return fromVar;
      const named = dsFromName(uid);
      if (named) return named;
    }
    if (type === undefined && uid === undefined) return fallback;
    throw new Error(`${where}: unknown datasource ${JSON.stringify(ref)}`);
  }
}

function setDatasources(dashboard: Json, resolver: DatasourceResolver, edits: Set<string>): void {
  for (const panel of allPanels(dashboard)) {
    const where = `panel ${panel.id ?? '?'} "${panel.title ?? ''}"`;
    if (panel.libraryPanel) throw new Error(`${where}: library panels are not supported`);
    const targets: Json[] = panel.targets ?? [];
    let panelType = resolver.resolve(panel.datasource, undefined, where);
    const targetTypes = targets.map((t, i) => resolver.resolve(t.datasource, panelType === 'mixed' ? undefined : panelType, `${where} target ${t.refId ?? i}`));
    const distinct = [...new Set(targetTypes.filter((t): t is DsType | 'mixed' => t !== undefined))];
    if (panelType === 'mixed' || (panelType === undefined && distinct.length > 0)) {
      if (distinct.length !== 1 || distinct[0] === 'mixed') throw new Error(`${where}: mixed datasources are not supported`);
      panelType = distinct[0];
    }
    if (panelType === undefined && targets.length > 0) panelType = 'prometheus';
    targets.forEach((target, i) => {
      const type = targetTypes[i] ?? panelType;
      if (type === 'mixed' || type === undefined) throw new Error(`${where}: target ${i} has no datasource`);
      target.datasource = { ...DATASOURCES[type] };
    });
    if (panelType === undefined) {
      if ('datasource' in panel) {
        delete panel.datasource;
        edits.add('Removed `datasource: null` from rows/panels without queries.');
      }
    } else {
      panel.datasource = { ...DATASOURCES[panelType] };
    }
  }
  for (const annotation of dashboard.annotations?.list ?? []) {
    const type = annotation.builtIn ? 'grafana' : resolver.resolve(annotation.datasource, 'prometheus', `annotation ${annotation.name}`);
    if (type === 'mixed' || type === undefined) throw new Error(`annotation ${annotation.name}: no datasource`);
    annotation.datasource = { ...DATASOURCES[type] };
  }
  for (const variable of dashboard.templating?.list ?? []) {
    if (variable.type !== 'query' && variable.type !== 'adhoc') continue;
    const type = resolver.resolve(variable.datasource, 'prometheus', `variable ${variable.name}`);
    if (type === 'mixed' || type === undefined || type === 'grafana') throw new Error(`variable ${variable.name}: unsupported datasource`);
    variable.datasource = { ...DATASOURCES[type] };
  }
}

// ---------------------------------------------------------------------------------------------------------------
// The cluster variable

const CLUSTER_MATCHER = String.raw`cluster\s*=~?\s*"\$\{?cluster\}?"`;

/** Removes `cluster=~"$cluster"` (or `=`) matchers from a PromQL expression, keeping the selector valid. */
export function stripClusterMatchers(expr: string): string {
  return (
    expr
      // the only matcher: drop the braces too (`foo{cluster="$cluster"}` -> `foo`)
      .replace(new RegExp(String.raw`\{\s*${CLUSTER_MATCHER}\s*,?\s*\}`, 'g'), '')
      // followed by another matcher
      .replace(new RegExp(String.raw`${CLUSTER_MATCHER}\s*,\s*`, 'g'), '')
      // the last of several
      .replace(new RegExp(String.raw`,\s*${CLUSTER_MATCHER}`, 'g'), '')
  );
}

function isClusterVariable(variable: Json): boolean {
  if (variable.type !== 'query' || variable.name !== 'cluster') return false;
  return /label_values\s*\(.*,\s*cluster\s*\)\s*$/s.test(variableQuery(variable) ?? '');
}

function removeClusterVariable(dashboard: Json, edits: Set<string>): void {
  const list: Json[] = dashboard.templating?.list ?? [];
  const index = list.findIndex(isClusterVariable);
  if (index < 0) return;
  list.splice(index, 1);
  const changed = editQueries(dashboard, stripClusterMatchers);
  edits.add(`Removed the \`cluster\` template variable and its \`cluster=~"$cluster"\` matchers (${changed} queries): one cluster per Grafana.`);
  const left = JSON.stringify(dashboard).match(/\$\{?cluster\b/g);
  if (left) throw new Error(`$cluster still referenced ${left.length} times after removing the variable`);
}

// ---------------------------------------------------------------------------------------------------------------
// Normalization

export interface NormalizeOptions {
  /** Short name: uid `platform-<name>`. */
  readonly name: string;
}

export interface NormalizeResult {
  readonly dashboard: Json;
  /** What was changed, for SOURCES.md. */
  readonly edits: string[];
}

export function normalizeDashboard(upstream: Json, options: NormalizeOptions): NormalizeResult {
  const dashboard = structuredClone(upstream);
  const edits = new Set<string>();
  const resolver = new DatasourceResolver(dashboard);

  for (const fixup of FIXUPS[options.name] ?? []) {
    const n = fixup.apply(dashboard);
    if (n === 0) throw new Error(`fixup no longer matches the upstream dashboard: ${fixup.description}`);
    edits.add(`${fixup.description} (${n} ${n === 1 ? 'change' : 'changes'})`);
  }

  for (const key of ['__inputs', '__requires', '__elements']) {
    if (key in dashboard) {
      delete dashboard[key];
      edits.add(`Removed \`${key}\`.`);
    }
  }
  setDatasources(dashboard, resolver, edits);
  edits.add('Set every datasource to the provisioned ones: {"type":"prometheus","uid":"prometheus"}, {"type":"loki","uid":"loki"}, built-in annotations {"type":"grafana","uid":"-- Grafana --"}.');
  if (dashboard.templating?.list) {
    const before = dashboard.templating.list.length;
    dashboard.templating.list = dashboard.templating.list.filter((v: Json) => v.type !== 'datasource');
    if (dashboard.templating.list.length !== before) edits.add(`Removed the datasource template variable(s): ${[...resolver.variables.keys()].join(', ')}.`);
  }
  removeClusterVariable(dashboard, edits);

  const text = JSON.stringify(dashboard);
  for (const name of resolver.variables.keys()) {
    if (new RegExp(String.raw`\$\{?${name}\b`).test(text)) throw new Error(`datasource variable ${name} still referenced`);
  }
  if (text.includes('${DS_') || text.includes('$datasource')) throw new Error('datasource variable still referenced');

  dashboard.id = null;
  const uid = `platform-${options.name}`;
  if (uid.length > 40) throw new Error(`uid ${uid} is longer than 40 characters`);
  if (dashboard.uid !== uid) edits.add(`\`id\`: null, \`uid\`: ${uid} (upstream: ${JSON.stringify(dashboard.uid ?? null)}).`);
  dashboard.uid = uid;
  const tags: string[] = Array.isArray(dashboard.tags) ? dashboard.tags : [];
  if (!tags.includes('platform-kit')) {
    dashboard.tags = [...tags, 'platform-kit'];
    edits.add('Added the tag `platform-kit`.');
  }
  return { dashboard, edits: [...edits] };
}

// ---------------------------------------------------------------------------------------------------------------
// Jsonnet-in-JSON mixin dashboards

/** Config values (the mixin's config.libsonnet defaults) for the mixins rendered with --jsonnet-mixin. */
export const MIXIN_CONFIGS: Record<string, Json> = {
  // imusmanmalik/cert-manager-mixin config.libsonnet (v1.6.0), enableMultiCluster: false.
  'cert-manager': {
    enableMultiCluster: false,
    clusterVariableSelector: '',
    dashboards: Object.fromEntries([
      ...['CertificateReadyStatus', 'CertificateExpirationTimestampSeconds', 'ControllerSyncCallCount', 'HttpAcmeClientRequestCount', 'HttpAcmeClientRequestDurationSecondsSum', 'HttpAcmeClientRequestDurationSecondsCount'].map((m) => [`certmanager${m}Selector`, '']),
      ...['containerCPUUsageSecondsTotal', 'kubePodContainerResourceLimitsCpuCores', 'kubePodContainerResourceRequestsCpuCores', 'containerCpuCfsThrottledPeriodsTotal', 'containerCpuCfsPeriodsTotal', 'containerMemoryUsageBytes', 'kubePodContainerResourceLimitsMemoryBytes', 'kubePodContainerResourceRequestsMemoryBytes'].map((m) => [`${m}Selector`, 'container=~"cert-manager.*"']),
      ...['containerNetworkReceiveBytesTotal', 'containerNetworkTransmitBytesTotal'].map((m) => [`${m}Selector`, 'namespace="cert-manager"']),
    ]),
  },
};

/**
 * Renders the jsonnet a mixin keeps in its dashboard JSON: `"...%(key)s..." % $._config[.path]` and
 * `if $._config.flag then A else B`. Anything else jsonnet is left to JSON.parse to reject.
 */
export function renderMixinJsonnet(text: string, config: Json): Json {
  const lookup = (path: string): Json => path.split('.').filter(Boolean).reduce((o, k) => o?.[k], config);
  const rendered = text
    .replace(/if \$\._config\.(\w+) then (\S+) else (\S+?)(?=\s*[,\n}])/g, (_, flag: string, a: string, b: string) => (lookup(flag) ? a : b))
    .replace(/("(?:[^"\\]|\\.)*")\s*%\s*\$\._config((?:\.\w+)*)/g, (_, literal: string, path: string) => {
      const values = lookup(path);
      const value = (JSON.parse(literal) as string).replace(/%\((\w+)\)s/g, (__, key: string) => {
        if (typeof values?.[key] !== 'string') throw new Error(`jsonnet: no config value ${path}.${key}`);
        return values[key];
      });
      return JSON.stringify(value);
    });
  return JSON.parse(rendered);
}

// ---------------------------------------------------------------------------------------------------------------
// Dashboard-specific edits (each recorded in the dashboard's SOURCES.md)

interface Fixup {
  readonly description: string;
  /** Returns how many things it changed (0 = the upstream dashboard changed: review the fixup). */
  readonly apply: (dashboard: Json) => number;
}

const replaceAll = (from: string | RegExp, to: string) => (expr: string) => (typeof from === 'string' ? expr.split(from).join(to) : expr.replace(from, to));

/** Loki mixin recording rules (`cluster_job_route:...:sum_rate`), expanded to the raw series they aggregate. */
function expandLokiRecordingRules(expr: string): string {
  return expr.replace(/cluster_job_route:loki_request_duration_seconds_(bucket|sum|count):sum_rate(\{[^}]*\})/g, (_, kind: string, selector: string) => `rate(loki_request_duration_seconds_${kind}${selector}[$__rate_interval])`);
}

function findPanel(dashboard: Json, id: number): Json {
  const panel = allPanels(dashboard).find((p) => p.id === id);
  if (!panel) throw new Error(`no panel ${id}`);
  return panel;
}

export const FIXUPS: Record<string, Fixup[]> = {
  'cloudnative-pg': [
    {
      description:
        'Panel 655 "Reconcile errors": its four hidden PromQL queries were combined by a Grafana server-side expression (`__expr__` math `$RECONCILE_ERRORS_BACKUP + $RECONCILE_ERRORS_CLUSTER * 10 + ...`); replaced by one PromQL query computing the same code (each term `or vector(0)`, so a controller without errors no longer blanks the sum), legend "Reconcile errors"',
      apply: (d) => {
        const panel = findPanel(d, 655);
        const targets: Json[] = panel.targets;
        const term = (ref: string) => {
          const t = targets.find((x) => x.refId === ref);
          if (!t) throw new Error(`panel 655: no target ${ref}`);
          return `(${t.expr} or vector(0))`;
        };
        const expr = `${term('RECONCILE_ERRORS_BACKUP')}\n+ ${term('RECONCILE_ERRORS_CLUSTER')} * 10\n+ ${term('RECONCILE_ERRORS_POOLER')} * 100\n+ ${term('RECONCILE_ERRORS_SCHEDULED_BACKUP')} * 1000`;
        const math = targets.find((t) => t.datasource?.type === '__expr__');
        if (!math || !/\$RECONCILE_ERRORS_BACKUP \+ \$RECONCILE_ERRORS_CLUSTER \* 10 \+ \$RECONCILE_ERRORS_POOLER \* 100 \+ \$RECONCILE_ERRORS_SCHEDULED_BACKUP \* 1000/.test(math.expression)) return 0;
        panel.targets = [{ datasource: { ...DATASOURCES.prometheus }, editorMode: 'code', expr, instant: false, legendFormat: 'Reconcile errors', range: true, refId: 'A' }];
        return 1;
      },
    },
  ],
  'nginx-gateway-fabric': [
    {
      description:
        'Panel "NGINX Active Connections": `nginx_http_connection_count_connections` is a gauge (current connections by state, NGINX Agent nginxreceiver); upstream took `irate()` of it, which is meaningless for a gauge. Now plots the gauge itself',
      apply: (d) => editQueries(d, replaceAll(/irate\((nginx_http_connection_count_connections\{[^}]*\})\[1m\]\)/g, '$1')),
    },
    {
      description: 'Counter rates use `[$__rate_interval]` instead of a fixed `[1m]` (a 1m window holds under 2 samples at the kit\'s 30s-60s scrape intervals)',
      apply: (d) => editQueries(d, replaceAll('[1m])', '[$__rate_interval])')),
    },
  ],
  valkey: [
    {
      description:
        'Added `namespace=~"$namespace"` to the queries that upstream filters on `instance` only, so the namespace variable applies to every panel (upstream did this for some panels in #1073)',
      apply: (d) => editQueries(d, replaceAll(/\{instance\s*=~\s*"\$instance"\}/g, '{namespace=~"$namespace", instance=~"$instance"}')),
    },
  ],
  'cert-manager': [
    {
      description:
        'kube-state-metrics v2 (kube-prometheus-stack) removed `kube_pod_container_resource_{limits,requests}_{cpu_cores,memory_bytes}`: rewritten to `kube_pod_container_resource_{limits,requests}{resource="cpu"|"memory"}`',
      apply: (d) =>
        editQueries(d, (expr) =>
          expr.replace(/kube_pod_container_resource_(limits|requests)_(cpu_cores|memory_bytes)\{([^}]*)\}/g, (_, kind: string, what: string, sel: string) => `kube_pod_container_resource_${kind}{resource="${what === 'cpu_cores' ? 'cpu' : 'memory'}", ${sel}}`),
        ),
    },
    {
      description: 'Removed the jsonnet cluster variable, which the mixin renders with an empty name and `label_values(..., )` query when multi-cluster is off',
      apply: (d) => {
        const list: Json[] = d.templating.list;
        const i = list.findIndex((v) => v.type === 'query' && v.name === '');
        if (i < 0) return 0;
        list.splice(i, 1);
        return 1;
      },
    },
    {
      description: 'Removed the space in `[$__rate_interval ]` left by the mixin',
      apply: (d) => editQueries(d, replaceAll('[$__rate_interval ]', '[$__rate_interval]')),
    },
    {
      description: 'Removed the empty `{}` selectors the mixin\'s empty default selectors render to (`certmanager_certificate_ready_status{}`)',
      apply: (d) => editQueries(d, replaceAll(/([A-Za-z0-9_:])\{\}/g, '$1')),
    },
  ],
  loki: [
    {
      description:
        'Job selectors: the SSD dashboard expects `job=~"($namespace)/(loki.*|enterprise-logs)-write"` (simple-scalable write targets). The kit runs Loki Monolithic: the chart\'s ServiceMonitor (jobPrefix `<namespace>/`) labels the single binary `job="<namespace>/loki"`, so the selector is now `job=~"($namespace)/loki"`',
      apply: (d) => editQueries(d, replaceAll('job=~"($namespace)/(loki.*|enterprise-logs)-write"', 'job=~"($namespace)/loki"')),
    },
    {
      description:
        'The Latency panel read the mixin recording rules `cluster_job_route:loki_request_duration_seconds_{bucket,sum,count}:sum_rate`, which the kit does not install (loki chart `monitoring.rules.enabled: false`): expanded to `rate(loki_request_duration_seconds_{bucket,sum,count}{...}[$__rate_interval])` inside the same sums',
      apply: (d) => editQueries(d, expandLokiRecordingRules),
    },
    {
      description: 'Removed the trailing comma in `{job=~"...",}` selectors',
      apply: (d) => editQueries(d, replaceAll(/,\s*\}/g, '}')),
    },
  ],
};

// ---------------------------------------------------------------------------------------------------------------
// Queries, parsing, metric names

export interface DashboardQuery {
  readonly lang: 'promql' | 'logql';
  readonly expr: string;
  readonly where: string;
}

/** The PromQL inside a template variable query, or undefined (label_values(label), label_names(), metrics()). */
export function variablePromQL(query: string): string | undefined {
  const q = query.trim();
  const call = /^(label_values|query_result|label_names|metrics)\s*\(([\s\S]*)\)$/.exec(q);
  if (!call) return q || undefined;
  const [, fn, args] = call;
  if (fn === 'query_result') return args;
  if (fn !== 'label_values') return undefined;
  // label_values(<selector>, <label>) or label_values(<label>): split at the last top-level comma
  let depth = 0;
  let inString = false;
  let split = -1;
  for (let i = 0; i < args.length; i++) {
    const c = args[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if ('({['.includes(c)) depth++;
    else if (')}]'.includes(c)) depth--;
    else if (c === ',' && depth === 0) split = i;
  }
  return split < 0 ? undefined : args.slice(0, split);
}

export function dashboardQueries(dashboard: Json): DashboardQuery[] {
  const out: DashboardQuery[] = [];
  for (const panel of allPanels(dashboard)) {
    for (const target of panel.targets ?? []) {
      const type = target.datasource?.type ?? panel.datasource?.type;
      if (typeof target.expr !== 'string' || !target.expr.trim()) continue;
      out.push({ lang: type === 'loki' ? 'logql' : 'promql', expr: target.expr, where: `panel ${panel.id} "${panel.title}" ${target.refId}` });
    }
  }
  for (const variable of dashboard.templating?.list ?? []) {
    if (variable.type !== 'query') continue;
    const query = variableQuery(variable);
    if (!query) continue;
    if (variable.datasource?.type === 'loki') continue; // Loki variable queries are label lookups, not LogQL
    const expr = variablePromQL(query);
    if (expr) out.push({ lang: 'promql', expr, where: `variable ${variable.name}` });
  }
  return out;
}

/**
 * Substitutes Grafana variables so that an expression parses: `$__rate_interval`-like durations become `5m`, other
 * variables become `x` inside quoted strings, `5m` inside [...], a label name in grouping clauses, `1` elsewhere.
 */
export function substituteGrafanaVariables(expr: string): string {
  const varRe = /^(?:\$\{([A-Za-z_][A-Za-z0-9_]*)(?::[^}]*)?\}|\$([A-Za-z_][A-Za-z0-9_]*)|\[\[([A-Za-z_][A-Za-z0-9_]*)\]\])/;
  let out = '';
  let quote: string | undefined;
  let bracket = 0;
  for (let i = 0; i < expr.length; ) {
    const c = expr[i];
    if (quote) {
      if (c === '\\') {
        out += expr.slice(i, i + 2);
        i += 2;
        continue;
      }
      if (c === quote) quote = undefined;
    } else if (c === '"' || c === "'" || c === '`') {
      quote = c;
    } else if (c === '[' && expr[i + 1] !== '[') bracket++;
    else if (c === ']' && bracket > 0) bracket--;
    const m = varRe.exec(expr.slice(i));
    if (m) {
      const name = m[1] ?? m[2] ?? m[3];
      let value: string;
      if (quote) value = 'x';
      else if (/^__(rate_)?interval_ms$|^__range_(s|ms)$/.test(name)) value = '300';
      else if (/^__(rate_interval|interval|range|auto)$/.test(name) || bracket > 0) value = '5m';
      else if (/\b(by|without|on|ignoring|group_left|group_right)\s*\([^()]*$/.test(out)) value = 'x';
      else value = '1';
      out += value;
      i += m[0].length;
      continue;
    }
    out += c;
    i++;
  }
  return out;
}

/** Expands a `__name__` regex made of literals, `|` and groups into the names it matches; undefined otherwise. */
export function expandNameRegex(regex: string): string[] | undefined {
  if (/[.*+?\\[\]{}^$]/.test(regex)) return undefined;
  const expand = (s: string): string[] => {
    // split s at top-level `|`
    const alternatives: string[] = [];
    let depth = 0;
    let start = 0;
    for (let i = 0; i < s.length; i++) {
      if (s[i] === '(') depth++;
      else if (s[i] === ')') depth--;
      else if (s[i] === '|' && depth === 0) {
        alternatives.push(s.slice(start, i));
        start = i + 1;
      }
    }
    alternatives.push(s.slice(start));
    if (alternatives.length > 1) return alternatives.flatMap(expand);
    const open = s.indexOf('(');
    if (open < 0) return [s];
    let close = open;
    for (let d = 0; close < s.length; close++) {
      if (s[close] === '(') d++;
      else if (s[close] === ')' && --d === 0) break;
    }
    const heads = expand(s.slice(open + 1, close));
    const tails = expand(s.slice(close + 1));
    return heads.flatMap((h) => tails.map((t) => s.slice(0, open) + h + t));
  };
  return expand(regex);
}

export interface ParseResult {
  /** Offset of the first syntax error, if any. */
  readonly errorAt?: number;
  readonly metrics: string[];
}

export function parsePromQL(expr: string): ParseResult {
  const text = substituteGrafanaVariables(expr);
  const tree = promqlParser.parse(text);
  let errorAt: number | undefined;
  const metrics = new Set<string>();
  tree.iterate({
    enter(node) {
      if (node.type.isError && errorAt === undefined) errorAt = node.from;
      if (node.name === 'VectorSelector') {
        const id = node.node.getChild('Identifier');
        if (id) metrics.add(text.slice(id.from, id.to));
      }
      if (node.name === 'UnquotedLabelMatcher') {
        const label = node.node.getChild('LabelName');
        const value = node.node.getChild('StringLiteral');
        if (label && value && text.slice(label.from, label.to) === '__name__') {
          const literal = JSON.parse(text.slice(value.from, value.to).replace(/^'|'$/g, '"')) as string;
          if (node.node.getChild('MatchOp')?.getChild('EqlSingle')) metrics.add(literal);
          else if (node.node.getChild('MatchOp')?.getChild('EqlRegex')) for (const name of expandNameRegex(literal) ?? [`{__name__=~${JSON.stringify(literal)}}`]) metrics.add(name);
        }
      }
    },
  });
  return { errorAt, metrics: [...metrics] };
}

export function parseLogQL(expr: string): ParseResult {
  const text = substituteGrafanaVariables(expr);
  let errorAt: number | undefined;
  logqlParser.parse(text).iterate({
    enter(node) {
      if (node.type.isError && errorAt === undefined) errorAt = node.from;
    },
  });
  return { errorAt, metrics: [] };
}

export function dashboardMetricNames(dashboard: Json): string[] {
  const names = new Set<string>();
  for (const q of dashboardQueries(dashboard)) {
    if (q.lang === 'promql') for (const m of parsePromQL(q.expr).metrics) names.add(m);
  }
  return [...names].sort();
}

// ---------------------------------------------------------------------------------------------------------------
// CLI

function main(argv: string[]): void {
  const positional: string[] = [];
  const flags: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    if (argv[i].startsWith('--')) flags[argv[i].slice(2)] = argv[++i];
    else positional.push(argv[i]);
  }
  const [input, output] = positional;
  if (!input || !output || !flags.name) {
    console.error('usage: npx tsx scripts/normalize-dashboard.ts <upstream.json> <out.json> --name <name> [--jsonnet-mixin <config>]');
    process.exit(2);
  }
  const text = readFileSync(input, 'utf8');
  let upstream: Json;
  if (flags['jsonnet-mixin']) {
    const config = MIXIN_CONFIGS[flags['jsonnet-mixin']];
    if (!config) throw new Error(`no MIXIN_CONFIGS entry ${flags['jsonnet-mixin']}`);
    upstream = renderMixinJsonnet(text, config);
  } else {
    upstream = JSON.parse(text);
  }
  const { dashboard, edits } = normalizeDashboard(upstream, { name: flags.name });
  for (const q of dashboardQueries(dashboard)) {
    const { errorAt } = q.lang === 'promql' ? parsePromQL(q.expr) : parseLogQL(q.expr);
    if (errorAt !== undefined) throw new Error(`${q.where}: ${q.lang} syntax error at ${errorAt}: ${q.expr}`);
  }
  const json = JSON.stringify(dashboard, null, 2) + '\n';
  if (Buffer.byteLength(json) >= 800 * 1024) throw new Error(`${output}: ${Buffer.byteLength(json)} bytes, over 800 KB`);
  writeFileSync(output, json);
  const metricsFile = output.replace(/\.json$/, '.metrics.txt');
  writeFileSync(metricsFile, dashboardMetricNames(dashboard).join('\n') + '\n');
  console.log(`${output}: ${Buffer.byteLength(json)} bytes, ${allPanels(dashboard).length} panels; ${metricsFile}`);
  for (const edit of edits) console.log(`- ${edit}`);
}

if (/normalize-dashboard\.[cm]?[jt]s$/.test(process.argv[1] ?? '')) main(process.argv.slice(2));
