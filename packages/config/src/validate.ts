import type { z } from 'zod';
import type { IdentityLock } from './identity';
import { platformSchema, platformSchemaWith, type AnswersInput, type Platform } from './schema';

export interface AnswerIssue {
  /** Dotted path of the field, e.g. `aws.accountId` or `environments[1].vpcCidr`; `(answers)` for the whole. */
  readonly field: string;
  /** What is wrong and how to fix it. */
  readonly message: string;
}

export function fieldPath(path: readonly PropertyKey[]): string {
  const text = path.map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i ? '.' : ''}${String(p)}`)).join('');
  return text || '(answers)';
}

function toIssues(error: z.ZodError): AnswerIssue[] {
  return error.issues.map((i) => ({ field: fieldPath(i.path), message: i.message }));
}

/** Thrown for invalid answers: its message lists every bad field with its fix. */
export class AnswersError extends Error {
  constructor(readonly issues: readonly AnswerIssue[]) {
    super(`Invalid answers:\n${formatIssues(issues)}`);
    this.name = 'AnswersError';
  }
}

export function formatIssues(issues: readonly AnswerIssue[]): string {
  return issues.map((i) => `  ✖ ${i.field}: ${i.message}`).join('\n');
}

export type ValidationResult = { ok: true; platform: Platform } | { ok: false; issues: AnswerIssue[] };

/** Options of resolving answers: the identity a platform repo recorded (platform/identity.json). */
export interface ResolveOptions {
  readonly identity?: IdentityLock;
}

/** Validates answers and applies every default. Never throws. */
export function validateAnswers(answers: unknown, options: ResolveOptions = {}): ValidationResult {
  const result = (options.identity ? platformSchemaWith(options.identity) : platformSchema).safeParse(answers);
  return result.success ? { ok: true, platform: result.data } : { ok: false, issues: toIssues(result.error) };
}

/** Validates answers and applies every default; throws AnswersError listing every problem. */
export function resolvePlatform(answers: AnswersInput | unknown, options: ResolveOptions = {}): Platform {
  const result = validateAnswers(answers, options);
  if (!result.ok) throw new AnswersError(result.issues);
  return result.platform;
}
