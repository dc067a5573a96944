import { estimateCost, formatCostTable, unpricedRegion, type Platform } from '@platform-kit/config';
import type { Io } from './cli';

/**
 * The last words of a successful create: the platform's estimated monthly AWS cost per environment, so that the
 * bill is no surprise. The generated repo's docs/cost.md has the lines behind each total and the assumptions.
 */
export function reportCost(io: Pick<Io, 'out'>, platform: Platform): void {
  const estimate = estimateCost(platform);
  io.out('');
  if (!estimate) {
    io.out(unpricedRegion(platform.aws.region));
    return;
  }
  io.out(`Estimated monthly cost (USD, ${estimate.region}, prices as of ${estimate.pricesAsOf}):`);
  // The header already gives the date; the table's own footer would repeat it.
  for (const line of formatCostTable(estimate, { footer: false })) io.out(line);
  io.out('Assumptions and details: docs/cost.md');
}
