import { expect } from 'vitest';
import { formatIssues, validateAnswers, type ExistingCluster, type Platform } from '../src';

/** Resolves answers that must be valid; fails the test with the issues otherwise. */
export function ok(input: unknown): Platform {
  const result = validateAnswers(input);
  if (!result.ok) expect.fail(`expected valid answers, got:\n${formatIssues(result.issues)}`);
  return result.platform;
}

/** The platform with these environments (by name) on existing clusters: not answerable yet, so set on a resolved platform. */
export function onExistingClusters(platform: Platform, clusters: Record<string, ExistingCluster>): Platform {
  return { ...platform, environments: platform.environments.map((e) => (clusters[e.name] ? { ...e, target: clusters[e.name] } : e)) };
}
