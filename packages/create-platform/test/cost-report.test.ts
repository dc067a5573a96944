import { join } from 'node:path';
import { estimateCost, formatCostTable, PRICES_AS_OF, resolvePlatform } from '@platform-kit/config';
import { describe, expect, it } from 'vitest';
import { main } from '../src';
import { reportCost } from '../src/cost-report';
import { tempDir } from './support';

/** A fake terminal: what the command printed, line by line. */
function io() {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, io: { out: (l: string) => out.push(l), err: (l: string) => err.push(l) } };
}

describe('the cost report', () => {
  it('prints the estimate per environment, its date and where the details are', () => {
    const platform = resolvePlatform({ aws: { region: 'us-east-1' } });
    const t = io();
    reportCost(t.io, platform);
    expect(t.err).toEqual([]);
    expect(t.out).toEqual([
      '',
      `Estimated monthly cost (USD, us-east-1, prices as of ${PRICES_AS_OF}):`,
      '  shared     $3.02',
      '  dev      $217.44',
      '  staging  $217.44',
      '  prod     $523.33',
      '  total    $961.24',
      'Assumptions and details: docs/cost.md',
    ]);
  });

  it("follows the platform's region and environments", () => {
    const platform = resolvePlatform({ aws: { region: 'eu-west-1' }, environments: ['dev'], services: ['api'], supportingServices: [] });
    const t = io();
    reportCost(t.io, platform);
    expect(t.out[1]).toBe(`Estimated monthly cost (USD, eu-west-1, prices as of ${PRICES_AS_OF}):`);
    expect(t.out.slice(2, -1)).toEqual(formatCostTable(estimateCost(platform)!, { footer: false }));
    expect(t.out.slice(2, -1).map((l) => l.trim().split(/\s+/)[0])).toEqual(['shared', 'dev', 'total']);
  });

  it('says there is no estimate in a region the price table lacks, without refusing the region', () => {
    const platform = resolvePlatform({ aws: { region: 'ap-southeast-7' }, environments: ['dev'], services: [], supportingServices: [] });
    const t = io();
    reportCost(t.io, platform);
    expect(t.out).toEqual(['', "No cost estimate: platform-kit's price table has no prices for ap-southeast-7 yet (docs/cost-estimate.md of platform-kit says how to add them)."]);
  });

  it('ends a successful create', async () => {
    const target = join(tempDir('cost-report'), 'acme-platform');
    const t = io();
    const code = await main([target, '--skip-install', '--account-id', '210987654321', '--domain', 'acme.example.com', '--github-owner', 'acme', '--region', 'eu-west-2', '--environments', 'dev,prod'], t.io);
    expect(t.err).toEqual([]);
    expect(code).toBe(0);
    const header = t.out.indexOf(`Estimated monthly cost (USD, eu-west-2, prices as of ${PRICES_AS_OF}):`);
    expect(header).toBeGreaterThan(0);
    expect(t.out[header - 1]).toBe('');
    expect(t.out.slice(header + 1).map((l) => l.trim().split(/\s+/)[0])).toEqual(['shared', 'dev', 'prod', 'total', 'Assumptions']);
    expect(t.out.at(-1)).toBe('Assumptions and details: docs/cost.md');
  });
});
