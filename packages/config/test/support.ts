import { expect } from 'vitest';
import { formatIssues, validateAnswers, type Platform } from '../src';

/** Resolves answers that must be valid; fails the test with the issues otherwise. */
export function ok(input: unknown): Platform {
  const result = validateAnswers(input);
  if (!result.ok) expect.fail(`expected valid answers, got:\n${formatIssues(result.issues)}`);
  return result.platform;
}
