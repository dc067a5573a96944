import { expect } from 'vitest';
import { DEFAULT_ENVIRONMENTS, formatIssues, validateAnswers, type AnswersInput, type Platform, type TargetInput } from '../src';

/** Resolves answers that must be valid; fails the test with the issues otherwise. */
export function ok(input: unknown): Platform {
  const result = validateAnswers(input);
  if (!result.ok) expect.fail(`expected valid answers, got:\n${formatIssues(result.issues)}`);
  return result.platform;
}

/** The answers with these environments (by name) on existing clusters: each entry gets the answered `target`. */
export function onExistingClusters(answers: AnswersInput, targets: Record<string, TargetInput>): AnswersInput {
  const environments = (answers.environments ?? DEFAULT_ENVIRONMENTS).map((e) => {
    const entry = typeof e === 'string' ? { name: e } : e;
    return targets[entry.name] ? { ...entry, target: targets[entry.name] } : e;
  });
  return { ...answers, environments };
}
