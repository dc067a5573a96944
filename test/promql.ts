import { parseLogQL, parsePromQL } from '../scripts/normalize-dashboard';

/*
 * Queries checked with the parsers Prometheus' and Grafana's own query editors use (@prometheus-io/lezer-promql,
 * @grafana/lezer-logql), through the functions scripts/normalize-dashboard.ts checks upstream dashboards with: Grafana
 * variables are replaced first, an expression that does not parse has an error node, and the metrics a PromQL
 * expression selects are its vector selectors' names.
 */

export interface ParsedQuery {
  readonly errors: readonly string[];
  readonly metrics: readonly string[];
}

function parsed(expr: string, result: { errorAt?: number; metrics: string[] }): ParsedQuery {
  const at = result.errorAt;
  return { errors: at === undefined ? [] : [`syntax error at ${at}: ${JSON.stringify(expr.slice(Math.max(0, at - 10), at + 10))}`], metrics: [...result.metrics].sort() };
}

export const parsePromql = (expr: string): ParsedQuery => parsed(expr, parsePromQL(expr));
export const parseLogql = (expr: string): ParsedQuery => parsed(expr, parseLogQL(expr));
