import { POLICY_RULES, type RuleInfo, type Violation } from './policy-rules';
import type { Platform } from './schema';

/*
 * Suppressions: a finding of one rule accepted on purpose, with the reason written down. They live in the
 * platform repo's .projenrc.ts (`policy.suppressions`); projen validates them and writes platform/policy.json,
 * which the policy command validates again (a hand-edited file gets the same checks) and applies.
 */

/** A rule not enforced on one stack, one resource, or everywhere, and why. */
export interface Suppression {
  /** The id of the rule (`npx projen policy --list`, docs/policy.md). */
  readonly rule: string;
  /** Only in this stack, e.g. `dev-cluster` (default: every stack). */
  readonly stack?: string;
  /** Only on this resource, `type.logical_id` as the report prints it (default: every resource). */
  readonly resource?: string;
  /** Why the rule does not apply here, for the reviewer: a decision, a ticket, a date. */
  readonly reason: string;
}

/** What `.projenrc.ts` takes: the same shape. */
export type SuppressionInput = Suppression;

/** The policy settings of a platform repo: `policy` in .projenrc.ts, and the content of platform/policy.json. */
export interface PolicyConfig {
  readonly suppressions?: readonly SuppressionInput[];
}

/**
 * The suppressions the answers themselves imply, written to platform/policy.json after the repo's own: each lean
 * environment's cluster sends no audit log (a cost trade-off the answer `profile: lean` makes, named in docs/cost.md).
 */
export function answeredSuppressions(platform: Platform): Suppression[] {
  return platform.environments
    .filter((e) => e.profile === 'lean')
    .map((e) => ({ rule: 'eks-control-plane-logs', stack: `${e.name}-cluster`, reason: `${e.name} answers profile: lean, which sends no audit log to save its cost (docs/cost.md)` }));
}

/** The shortest reason accepted: "temporary" or "ok" tells a reviewer nothing. */
export const MIN_REASON_LENGTH = 10;

export const REASON_EXAMPLE = 'office access while the VPN is built: PLAT-123';

const KEYS = ['rule', 'stack', 'resource', 'reason'] as const;

/** `type.logical_id`, as rules report resources. */
const RESOURCE = /^[a-z][a-z0-9_]*\.[A-Za-z0-9_-]+$/;

export type SuppressionsResult = { ok: true; suppressions: Suppression[] } | { ok: false; issues: string[] };

export interface ValidateOptions {
  /** How issues name the list, e.g. `policy.suppressions` (default) or `platform/policy.json: suppressions`. */
  readonly path?: string;
  /** The rules a suppression may name (default: POLICY_RULES). */
  readonly rules?: readonly Pick<RuleInfo, 'id'>[];
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const show = (v: unknown) => (typeof v === 'string' ? JSON.stringify(v) : Array.isArray(v) ? 'a list' : v === null ? 'null' : `${typeof v} ${String(v)}`);

/**
 * Validates suppressions (undefined: none) and returns them normalised (trimmed, keys in a fixed order), or
 * every issue, each naming its field (`policy.suppressions[1].reason`) and the fix. Never throws.
 */
export function validateSuppressions(input: unknown, options: ValidateOptions = {}): SuppressionsResult {
  const path = options.path ?? 'policy.suppressions';
  const known = (options.rules ?? POLICY_RULES).map((r) => r.id);
  if (input === undefined) return { ok: true, suppressions: [] };
  if (!Array.isArray(input))
    return { ok: false, issues: [`${path}: must be a list of { rule, reason, stack?, resource? }, got ${show(input)}.`] };

  const issues: string[] = [];
  const suppressions: Suppression[] = [];
  const seen = new Map<string, number>();
  input.forEach((entry, i) => {
    const at = `${path}[${i}]`;
    if (!isObject(entry)) {
      issues.push(`${at}: must be an object { rule, reason, stack?, resource? }, got ${show(entry)}.`);
      return;
    }
    const before = issues.length;
    for (const key of Object.keys(entry))
      if (!(KEYS as readonly string[]).includes(key))
        issues.push(`${at}.${key}: unknown key. A suppression has ${KEYS.join(', ')} (stack and resource optional): remove or rename it.`);

    const rule = entry.rule;
    if (rule === undefined) issues.push(`${at}.rule: is required: the id of the rule to suppress. Known rules: ${known.join(', ')}.`);
    else if (typeof rule !== 'string') issues.push(`${at}.rule: must be a rule id (a string), got ${show(rule)}.`);
    else if (!known.includes(rule.trim())) issues.push(`${at}.rule: unknown rule ${show(rule)}. Known rules: ${known.join(', ')}.`);

    const reason = entry.reason;
    const why = `a reviewer must understand why the rule does not apply here (at least ${MIN_REASON_LENGTH} characters, e.g. '${REASON_EXAMPLE}')`;
    if (reason === undefined) issues.push(`${at}.reason: is required: ${why}.`);
    else if (typeof reason !== 'string') issues.push(`${at}.reason: must be a string, got ${show(reason)}: ${why}.`);
    else if (!reason.trim()) issues.push(`${at}.reason: is blank: ${why}.`);
    else if (reason.trim().length < MIN_REASON_LENGTH) issues.push(`${at}.reason: ${show(reason.trim())} is too short (${reason.trim().length} characters): ${why}.`);

    const narrowing = { stack: 'a stack name, e.g. "dev-cluster" (leave it out for every stack)', resource: 'a resource as the report names it, type.logical_id, e.g. "aws_eks_cluster.cluster" (leave it out for every resource)' };
    for (const key of ['stack', 'resource'] as const) {
      const value = entry[key];
      if (value === undefined) continue;
      if (typeof value !== 'string') issues.push(`${at}.${key}: must be ${narrowing[key]}, got ${show(value)}.`);
      else if (!value.trim()) issues.push(`${at}.${key}: is blank: must be ${narrowing[key]}.`);
      else if (key === 'resource' && !RESOURCE.test(value.trim())) issues.push(`${at}.resource: ${show(value)} is not type.logical_id: must be ${narrowing.resource}.`);
    }
    if (issues.length > before) return;

    const suppression: Suppression = {
      rule: (rule as string).trim(),
      ...(typeof entry.stack === 'string' ? { stack: entry.stack.trim() } : {}),
      ...(typeof entry.resource === 'string' ? { resource: entry.resource.trim() } : {}),
      reason: (reason as string).trim(),
    };
    const key = JSON.stringify([suppression.rule, suppression.stack, suppression.resource]);
    const first = seen.get(key);
    if (first !== undefined) {
      issues.push(`${at}: suppresses the same rule, stack and resource as ${path}[${first}]: keep one (merge the reasons).`);
      return;
    }
    seen.set(key, i);
    suppressions.push(suppression);
  });
  return issues.length ? { ok: false, issues } : { ok: true, suppressions };
}

/**
 * Validates policy settings `{ suppressions }` (undefined: none): `policy` in .projenrc.ts (issues name
 * `policy.suppressions[0].reason`), or the content of platform/policy.json (path `''`: `suppressions[0].reason`,
 * and its `//` marker key is allowed with `allowMarker`).
 */
export function validatePolicyConfig(input: unknown, options: ValidateOptions & { allowMarker?: boolean } = {}): SuppressionsResult {
  const path = options.path ?? 'policy';
  const field = (key: string) => (path ? `${path}.${key}` : key);
  if (input === undefined) return { ok: true, suppressions: [] };
  if (!isObject(input)) return { ok: false, issues: [`${path || '(the file)'}: must be an object { suppressions: [...] }, got ${show(input)}.`] };
  const unknown = Object.keys(input).filter((k) => k !== 'suppressions' && !(options.allowMarker && k === '//'));
  const result = validateSuppressions(input.suppressions, { ...options, path: field('suppressions') });
  const issues = [...unknown.map((k) => `${field(k)}: unknown key. The policy settings have suppressions only.`), ...(result.ok ? [] : result.issues)];
  return issues.length ? { ok: false, issues } : result;
}

/** A violation accepted by a suppression, with its reason. */
export interface SuppressedViolation {
  readonly violation: Violation;
  readonly reason: string;
  readonly suppression: Suppression;
}

export interface SuppressionOutcome {
  /** What is left: the violations no suppression covers. */
  readonly violations: Violation[];
  readonly suppressed: SuppressedViolation[];
  /** Suppressions that matched nothing: fixed, renamed or mistyped. Remove them. */
  readonly unused: Suppression[];
}

export const suppresses = (s: Suppression, v: Violation): boolean =>
  s.rule === v.rule && (s.stack === undefined || s.stack === v.stack) && (s.resource === undefined || s.resource === v.resource);

/** How narrow a suppression is: the most specific matching one gives the reason shown. */
const specificity = (s: Suppression) => (s.stack === undefined ? 0 : 1) + (s.resource === undefined ? 0 : 2);

/** Splits violations into the ones left and the suppressed ones; a suppression matching nothing is unused. */
export function applySuppressions(violations: readonly Violation[], suppressions: readonly Suppression[]): SuppressionOutcome {
  const used = new Set<Suppression>();
  const left: Violation[] = [];
  const suppressed: SuppressedViolation[] = [];
  for (const violation of violations) {
    const matching = suppressions.filter((s) => suppresses(s, violation));
    if (!matching.length) {
      left.push(violation);
      continue;
    }
    for (const s of matching) used.add(s);
    const suppression = matching.reduce((best, s) => (specificity(s) > specificity(best) ? s : best));
    suppressed.push({ violation, reason: suppression.reason, suppression });
  }
  return { violations: left, suppressed, unused: suppressions.filter((s) => !used.has(s)) };
}
