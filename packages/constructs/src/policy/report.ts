import { applySuppressions, MIN_REASON_LENGTH, REASON_EXAMPLE, type SuppressedViolation, type Suppression } from '@platform-kit/config';
import { evaluate, RULES, type Rule, type Severity, type Violation } from './rules';
import type { SynthesizedStack } from './terraform-json';

/*
 * The policy command's result and how it is shown: a plain-text report for people and CI logs, and the rule
 * list for `--list`.
 */

export interface PolicyResult {
  /** The stacks evaluated, by name. */
  readonly stacks: string[];
  /** How many rules ran. */
  readonly rules: number;
  /** Violations no suppression covers: any fails the check. */
  readonly violations: Violation[];
  readonly suppressed: SuppressedViolation[];
  /** Suppressions that matched nothing: to remove. */
  readonly unused: Suppression[];
}

const SEVERITY_ORDER: Severity[] = ['critical', 'high', 'medium'];
const bySeverity = (a: Violation, b: Violation) =>
  SEVERITY_ORDER.indexOf(a.severity) - SEVERITY_ORDER.indexOf(b.severity) ||
  a.stack.localeCompare(b.stack) ||
  a.rule.localeCompare(b.rule) ||
  a.resource.localeCompare(b.resource);

/** Evaluates the rules over the stacks and applies the suppressions: the whole policy check, without I/O. */
export function checkPolicy(stacks: readonly SynthesizedStack[], suppressions: readonly Suppression[] = [], rules: readonly Rule[] = RULES): PolicyResult {
  const outcome = applySuppressions(evaluate(stacks, rules), suppressions);
  return {
    stacks: stacks.map((s) => s.name),
    rules: rules.length,
    violations: [...outcome.violations].sort(bySeverity),
    suppressed: [...outcome.suppressed].sort((a, b) => bySeverity(a.violation, b.violation)),
    unused: outcome.unused,
  };
}

/** Rows as columns padded to their widest cell; the last column is not padded. */
function table(header: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: readonly string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]))).join('  ').trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)];
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** One line: "10 stacks, 19 rules: 0 violations, 1 suppressed". */
export function policySummary(result: PolicyResult): string {
  const unused = result.unused.length ? `, ${plural(result.unused.length, 'unused suppression')}` : '';
  return `${plural(result.stacks.length, 'stack')}, ${plural(result.rules, 'rule')}: ${plural(result.violations.length, 'violation')}, ${result.suppressed.length} suppressed${unused}`;
}

/** A suppression as it is written in .projenrc.ts. */
export function suppressionSnippet(s: Partial<Suppression>): string {
  const fields = (['rule', 'stack', 'resource', 'reason'] as const).filter((k) => s[k] !== undefined).map((k) => `${k}: ${quote(s[k]!)}`);
  return `{ ${fields.join(', ')} }`;
}
const quote = (s: string) => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

/** How to suppress a finding in .projenrc.ts, as lines. */
export function suppressionHelp(example: Partial<Suppression> = { rule: 'eks-endpoint-restricted', stack: 'dev-cluster', resource: 'aws_eks_cluster.cluster' }): string[] {
  return [
    `To accept a finding on purpose, suppress it with a reason (at least ${MIN_REASON_LENGTH} characters) in .projenrc.ts, then run npx projen:`,
    '  new PlatformProject({',
    '    answers: { ... },',
    `    policy: { suppressions: [${suppressionSnippet({ ...example, reason: example.reason ?? REASON_EXAMPLE })}] },`,
    '  });',
    'stack and resource are optional: leave them out to suppress the rule in every stack or on every resource.',
  ];
}

export interface ReportOptions {
  /** The rules that ran (default: RULES), for the rationale of each violated rule. */
  readonly rules?: readonly Rule[];
}

/**
 * The report: the violations as a table (rule, severity, stack, resource, message) with why each violated rule
 * matters and how to suppress, then the suppressed findings with their reasons, then unused suppressions as
 * warnings, then the summary line.
 */
export function formatPolicyReport(result: PolicyResult, options: ReportOptions = {}): string {
  const rules = options.rules ?? RULES;
  const out: string[] = [];
  const row = (v: Violation) => [v.rule, v.severity, v.stack, v.resource, v.message];
  const header = ['RULE', 'SEVERITY', 'STACK', 'RESOURCE', 'MESSAGE'];

  if (result.violations.length) {
    out.push(`Violations (${result.violations.length}):`, '', ...table(header, result.violations.map(row)), '');
    const violated = rules.filter((r) => result.violations.some((v) => v.rule === r.id));
    out.push('Why these rules matter:');
    for (const r of violated) out.push(`  ${r.id} (${r.severity}): ${r.title}. ${r.rationale}`);
    out.push('', 'Fix the resource (through the answers in .projenrc.ts, or in src/main.ts).');
    const [first] = result.violations;
    // '...' is too short a reason: pasted unchanged, npx projen rejects it.
    out.push(...suppressionHelp({ rule: first.rule, stack: first.stack, resource: first.resource, reason: '...' }), "Write why in place of '...'.", '');
  }
  if (result.suppressed.length) {
    out.push(
      `Suppressed (${result.suppressed.length}), by .projenrc.ts policy.suppressions:`,
      '',
      ...table([...header.slice(0, 4), 'REASON'], result.suppressed.map((s) => [...row(s.violation).slice(0, 4), s.reason])),
      '',
    );
  }
  if (result.unused.length) {
    out.push(`Warning: ${plural(result.unused.length, 'suppression')} matched no finding: remove ${result.unused.length === 1 ? 'it' : 'them'} from .projenrc.ts (policy.suppressions):`);
    for (const s of result.unused) {
      // A mistyped stack name is the likeliest cause: say so.
      const typo = s.stack !== undefined && !result.stacks.includes(s.stack) ? ` (no stack is named ${s.stack}: ${result.stacks.join(', ')})` : '';
      out.push(`  ${suppressionSnippet(s)}${typo}`);
    }
    out.push('');
  }
  out.push(`${result.violations.length ? '✖' : '✔'} ${policySummary(result)}`);
  return out.join('\n');
}

/** `--list`: every rule with its severity, title and rationale, then how to suppress one. */
export function formatRuleList(rules: readonly Rule[] = RULES): string {
  const out = [`${plural(rules.length, 'rule')}, checked on the synthesized stacks (cdktf.out/stacks/<stack>/cdk.tf.json):`, ''];
  for (const r of rules) out.push(`${r.id} (${r.severity})`, `  ${r.title}.`, `  Why: ${r.rationale}`, '');
  out.push(...suppressionHelp());
  return out.join('\n');
}

/** The result as JSON-ready data, for `--json`. */
export function policyResultJson(result: PolicyResult) {
  return {
    ok: result.violations.length === 0,
    summary: policySummary(result),
    stacks: result.stacks,
    rules: result.rules,
    violations: result.violations,
    suppressed: result.suppressed.map((s) => ({ ...s.violation, reason: s.reason, suppression: s.suppression })),
    unused: result.unused,
  };
}
