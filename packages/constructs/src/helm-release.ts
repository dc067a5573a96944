import { chartPin } from '@platform-kit/config';
import type { Construct } from 'constructs';
import { Release, type ReleaseConfig } from './providers/helm';

/** A Helm release that never stays half-applied: a failed install or upgrade rolls back and cleans up. */
export function atomicRelease(scope: Construct, id: string, config: Omit<ReleaseConfig, 'atomic' | 'cleanupOnFail' | 'maxHistory'>): Release {
  return new Release(scope, id, { atomic: true, cleanupOnFail: true, maxHistory: 5, ...config });
}

/** Where a chart of the catalogue comes from: repository, chart and pinned version. */
export function catalogueChart(name: string): Pick<ReleaseConfig, 'repository' | 'chart' | 'version'> {
  const { repository, chart, version } = chartPin(name);
  return { repository, chart, version };
}
