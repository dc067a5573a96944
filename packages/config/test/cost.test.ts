import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  COST_ASSUMPTIONS,
  VPN_CONNECTION_HOURS,
  EC2_HOURLY,
  INSTANCE_TYPES,
  PRICED_REGIONS,
  PRICES_AS_OF,
  REGION_NAMES,
  SERVICE_PRICES,
  estimateCost,
  unpricedRegion,
  formatCostTable,
  formatUsd,
  type AnswersInput,
  type CostEstimate,
  type CostGroup,
} from '../src';
import { ok } from './support';

const SERVICE_PRICE_KEYS = [
  'eksClusterHour',
  'natGatewayHour',
  'natGatewayGb',
  'ebsGp3GbMonth',
  'nlbHour',
  'nlbNlcuHour',
  's3StandardGbMonth',
  'kmsKeyMonth',
  'cloudWatchLogsIngestGb',
  'cloudWatchLogsStoreGbMonth',
  'interfaceEndpointHour',
  'ecrGbMonth',
  'secretsManagerSecretMonth',
  'publicIpv4Hour',
  'route53ZoneMonth',
  'natInstanceHour',
  'clientVpnAssociationHour',
  'clientVpnConnectionHour',
].sort();

const estimate = (answers: AnswersInput) => estimateCost(ok(answers))!;

function groupOf(e: CostEstimate, name: string): CostGroup {
  const g = e.groups.find((x) => x.name === name);
  if (!g) expect.fail(`no group ${name}; groups: ${e.groups.map((x) => x.name).join(', ')}`);
  return g;
}

/** The line amounts of a group by item, for comparing with hand-computed ones. */
const amounts = (g: CostGroup) => Object.fromEntries(g.lines.map((l) => [l.item, l.monthlyUsd]));

/** Compares amounts to the cent, naming the line that differs. */
function expectAmounts(actual: Record<string, number>, expected: Record<string, number>) {
  expect(Object.keys(actual).sort()).toEqual(Object.keys(expected).sort());
  for (const [item, amount] of Object.entries(expected)) expect(actual[item], item).toBeCloseTo(amount, 2);
}

describe('regions without prices', () => {
  it('get no estimate, and a sentence saying so, instead of a refused region', () => {
    const unpriced = REGION_NAMES.filter((r) => !(PRICED_REGIONS as readonly string[]).includes(r));
    expect(unpriced).toContain('us-west-1');
    for (const region of unpriced) {
      const platform = ok({ aws: { region, accountId: '123456789012' } });
      expect(estimateCost(platform), region).toBeUndefined();
    }
    expect(unpricedRegion('us-west-1')).toBe("No cost estimate: platform-kit's price table has no prices for us-west-1 yet (docs/cost-estimate.md of platform-kit says how to add them).");
  });
});

describe('price table', () => {
  it('prices every allowed instance type in every priced region, and nothing else', () => {
    expect(Object.keys(EC2_HOURLY).sort()).toEqual([...PRICED_REGIONS].sort());
    for (const region of PRICED_REGIONS) {
      expect(Object.keys(EC2_HOURLY[region]).sort(), region).toEqual([...INSTANCE_TYPES].sort());
      for (const type of INSTANCE_TYPES) {
        const price = EC2_HOURLY[region][type];
        expect(Number.isFinite(price) && price > 0, `${region} ${type}: ${price}`).toBe(true);
      }
    }
  });

  it('has every other price in every priced region, and nothing else', () => {
    expect(Object.keys(SERVICE_PRICES).sort()).toEqual([...PRICED_REGIONS].sort());
    for (const region of PRICED_REGIONS) {
      const prices = SERVICE_PRICES[region];
      expect(Object.keys(prices).sort(), region).toEqual(SERVICE_PRICE_KEYS);
      for (const [key, price] of Object.entries(prices)) expect(Number.isFinite(price) && price > 0, `${region} ${key}: ${price}`).toBe(true);
    }
  });

  it('matches the source snapshots where they give the price directly', () => {
    // us-east-1, karpenter's price list snapshot of 2026-02-09.
    expect(EC2_HOURLY['us-east-1']['t3.medium']).toBe(0.0416);
    expect(EC2_HOURLY['us-east-1']['m7i.2xlarge']).toBe(0.4032);
    expect(EC2_HOURLY['us-east-1']['c7i.xlarge']).toBe(0.1785);
    // ap-northeast-2, AWS Price List Bulk API of 2026-06-29: the 1.05 rule reproduces m7i and c7i exactly.
    expect(EC2_HOURLY['ap-northeast-2']['m7i.large']).toBe(0.1239);
    expect(EC2_HOURLY['ap-northeast-2']['c7i.large']).toBe(0.1008);
    expect(SERVICE_PRICES['ap-northeast-2'].ebsGp3GbMonth).toBe(0.0912);
    // ap-southeast-1, an AWS invoice of May 2025: t3.medium $0.0528/h, NAT $0.059/h and /GB.
    expect(EC2_HOURLY['ap-southeast-1']['t3.medium']).toBe(0.0528);
    expect(SERVICE_PRICES['ap-southeast-1'].natGatewayHour).toBe(0.059);
  });

  it('is dated', () => {
    expect(PRICES_AS_OF).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });
});

describe('hand-computed estimates', () => {
  it('a one-environment dev platform in eu-west-1 without supporting services', () => {
    const e = estimate({ aws: { region: 'eu-west-1' }, environments: ['dev'], services: ['api'], supportingServices: [] });
    // eu-west-1 prices: t3.large = 2 × t3.medium, 0.365 (t3.2xlarge) / 8 = 0.045625 → $0.0456, so $0.0912/h; compute factor 0.107 / 0.096, so NAT $0.0502,
    // gp3 $0.0892, CloudWatch ingest $0.5573/GB, store $0.0334/GB-month, S3 $0.0256; EKS $0.10, KMS $1, ECR $0.10, IPv4 $0.005.
    // dev (non-production defaults): 2 spot t3.large with 50 GiB disks, 1 NAT gateway, 3 zones, logs kept 30 days.
    expectAmounts(amounts(groupOf(e, 'dev')), {
      'EKS control plane': 0.1 * 730, // 73.00
      'Nodes (t3.large, spot)': 2 * 0.0912 * 0.35 * 730, // 46.60
      'Node root volumes (gp3)': 2 * 50 * 0.0892, // 8.92
      'NAT gateways': 1 * 0.0502 * 730, // 36.65
      'NAT data processed': 100 * 0.0502, // 5.02
      'Public IPv4 addresses': 1 * 0.005 * 730, // 3.65 (the NAT gateway's Elastic IP)
      'KMS keys': 4 * 1, // 4.00 (flow logs, cluster, volumes, services)
      'Secrets Manager secrets': 1 * 0.4, // 0.40 (Argo CD's deploy key)
      // 10 GB of control-plane logs; 5 GB of flow logs with 10-minute aggregation (non-production)
      'CloudWatch Logs ingested': (10 + 5) * 0.5573, // 8.36
      // control-plane logs kept 30 days, flow logs 7: (10 × 30 + 5 × 7) × 24 / 730 = 11.01 GB
      'CloudWatch Logs stored': (((10 * 30 + 5 * 7) * 24) / 730) * 0.0334, // 0.37
    });
    expectAmounts(amounts(groupOf(e, 'shared')), {
      'Terraform state bucket (S3)': 1 * 0.0256, // 0.03
      'KMS keys': 2 * 1, // 2.00 (the state key, the registries' key)
      'ECR storage': 1 * 5 * 0.1, // 0.50
    });
    // 73 + 46.6032 + 8.92 + 36.646 + 5.02 + 3.65 + 4 + 0.4 + 8.3595 + 0.367858
    expect(groupOf(e, 'dev').monthlyUsd).toBeCloseTo(186.97, 2);
    expect(groupOf(e, 'shared').monthlyUsd).toBeCloseTo(2.53, 2);
    // 186.966558 + 2.5256
    expect(e.totalMonthlyUsd).toBeCloseTo(189.49, 2);
  });

  it('the default platform (dev, staging, prod; every supporting service) in us-east-1', () => {
    const e = estimate({ aws: { region: 'us-east-1' } });
    // us-east-1: t3.large $0.0832/h, m7i.large $0.1008/h, NAT $0.045/h and /GB, gp3 $0.08, NLB $0.0225/h + $0.006/NLCU-h,
    // S3 $0.023, CloudWatch $0.50/GB ingested + $0.03/GB-month stored, Secrets Manager $0.40, KMS $1, IPv4 $0.005/h.
    const nonProduction = {
      'EKS control plane': 0.1 * 730, // 73.00
      'Nodes (t3.large, spot)': 2 * 0.0832 * 0.35 * 730, // 42.52
      'Node root volumes (gp3)': 2 * 50 * 0.08, // 8.00
      // PostgreSQL 5 + Valkey 1 + Loki 10 + Grafana 10 + Prometheus 20 + Alertmanager 2 = 48 GiB
      'Persistent volumes (gp3)': 48 * 0.08, // 3.84
      'NAT gateways': 1 * 0.045 * 730, // 32.85
      'NAT data processed': 100 * 0.045, // 4.50
      'Network Load Balancer (NGINX)': 0.0225 * 730, // 16.43
      'NLB capacity units': 1 * 0.006 * 730, // 4.38
      'Public IPv4 addresses': (1 + 3) * 0.005 * 730, // 14.60 (NAT EIP + the NLB in 3 zones)
      'S3 buckets (Standard)': 2 * 50 * 0.023, // 2.30 (Loki, PostgreSQL backups)
      'KMS keys': 4 * 1, // 4.00
      // hydra-db, keto-db, kratos-db, kratos, hydra, grafana-admin, valkey-users (keto has nothing generated), Argo CD's deploy key
      'Secrets Manager secrets': 8 * 0.4, // 3.20
      'CloudWatch Logs ingested': (10 + 5) * 0.5, // 7.50
      'CloudWatch Logs stored': (((10 * 30 + 5 * 7) * 24) / 730) * 0.03, // 0.33
    };
    expectAmounts(amounts(groupOf(e, 'dev')), nonProduction);
    expectAmounts(amounts(groupOf(e, 'staging')), nonProduction);
    expect(groupOf(e, 'dev').monthlyUsd).toBeCloseTo(217.44, 2); // 217.440611
    expectAmounts(amounts(groupOf(e, 'prod')), {
      'EKS control plane': 0.1 * 730, // 73.00
      'Nodes (m7i.large)': 3 * 0.1008 * 730, // 220.75
      'Node root volumes (gp3)': 3 * 100 * 0.08, // 24.00
      // PostgreSQL 3×20 + Valkey 3×8 + Loki 3×50 + Grafana 10 + Prometheus 2×100 + Alertmanager 2×2 = 448 GiB
      'Persistent volumes (gp3)': 448 * 0.08, // 35.84
      'NAT gateways': 3 * 0.045 * 730, // 98.55 (per-az, 3 zones)
      'NAT data processed': 100 * 0.045, // 4.50
      'Network Load Balancer (NGINX)': 0.0225 * 730, // 16.43
      'NLB capacity units': 0.006 * 730, // 4.38
      'Public IPv4 addresses': (3 + 3) * 0.005 * 730, // 21.90
      'S3 buckets (Standard)': 2 * 50 * 0.023, // 2.30
      'KMS keys': 4, // 4.00
      'Secrets Manager secrets': 8 * 0.4, // 3.20
      // 10 GB of control-plane logs, 10 GB of flow logs with 1-minute records (production)
      'CloudWatch Logs ingested': 20 * 0.5, // 10.00
      // control-plane logs kept 365 days, flow logs 90: (10 × 365 + 10 × 90) × 24 / 730 = 149.59 GB
      'CloudWatch Logs stored': (((10 * 365 + 10 * 90) * 24) / 730) * 0.03, // 4.49
    });
    expect(groupOf(e, 'prod').monthlyUsd).toBeCloseTo(523.33, 2); // 523.334671
    expectAmounts(amounts(groupOf(e, 'shared')), { 'Terraform state bucket (S3)': 0.023, 'KMS keys': 2, 'ECR storage': 2 * 5 * 0.1 });
    // 3.023 + 2 × 217.440611 + 523.334671
    expect(e.totalMonthlyUsd).toBeCloseTo(961.24, 2);
  });

  it('a production environment with per-az NAT and three on-demand m7i.large in ap-southeast-1', () => {
    const e = estimate({
      aws: { region: 'ap-southeast-1' },
      environments: [
        {
          name: 'live',
          tier: 'production',
          natGateways: 'per-az',
          availabilityZones: 3,
          logRetentionDays: 90,
          nodes: { instanceTypes: ['m7i.large'], capacityType: 'on-demand', minSize: 3, desiredSize: 3, maxSize: 6, diskSizeGiB: 80 },
        },
      ],
      services: ['api', 'worker', 'billing'],
      supportingServices: ['nginx', 'cert-manager', 'postgresql'],
    });
    // ap-southeast-1: m6i.large 7.68 / 64 = $0.12, so m7i.large 0.12 × 1.05 = $0.126/h and the compute factor is 1.25;
    // sourced: NAT $0.059/h and /GB, gp3 $0.096; by the factor: NLB 0.0225 × 1.25 = $0.0281/h, NLCU $0.0075,
    // S3 0.023 × 1.25 = 0.02875 → $0.0288 (4 decimals), CloudWatch $0.625/GB ingested, $0.0375/GB-month stored.
    expectAmounts(amounts(groupOf(e, 'live')), {
      'EKS control plane': 0.1 * 730, // 73.00
      'Nodes (m7i.large)': 3 * 0.126 * 730, // 275.94
      'Node root volumes (gp3)': 3 * 80 * 0.096, // 23.04
      'Persistent volumes (gp3)': 3 * 20 * 0.096, // 5.76 (PostgreSQL, 3 instances × 20 GiB)
      'NAT gateways': 3 * 0.059 * 730, // 129.21
      'NAT data processed': 100 * 0.059, // 5.90
      'Network Load Balancer (NGINX)': 0.0281 * 730, // 20.51
      'NLB capacity units': 0.0075 * 730, // 5.48
      'Public IPv4 addresses': (3 + 3) * 0.005 * 730, // 21.90
      'S3 buckets (Standard)': 1 * 50 * 0.0288, // 1.44 (PostgreSQL backups)
      'KMS keys': 4, // 4.00
      'Secrets Manager secrets': 0.4, // 0.40 (only Argo CD's deploy key: no ORY app, Grafana or Valkey)
      'CloudWatch Logs ingested': 20 * 0.625, // 12.50
      // both kept 90 days (logRetentionDays answered, production's flow log default)
      'CloudWatch Logs stored': ((20 * 90 * 24) / 730) * 0.0375, // 59.18 GB → 2.22
    });
    // 73 + 275.94 + 23.04 + 5.76 + 129.21 + 5.9 + 20.513 + 5.475 + 21.9 + 1.44 + 4 + 0.4 + 12.5 + 2.219178
    expect(groupOf(e, 'live').monthlyUsd).toBeCloseTo(581.3, 2);
    expectAmounts(amounts(groupOf(e, 'shared')), { 'Terraform state bucket (S3)': 0.0288, 'KMS keys': 2, 'ECR storage': 3 * 5 * 0.1 });
    // 581.297178 + 3.5288
    expect(e.totalMonthlyUsd).toBeCloseTo(584.83, 2);
  });
});

describe('estimate properties', () => {
  const env = (extra: Record<string, unknown>) => ({ aws: { region: 'eu-central-1' as const }, environments: [{ name: 'dev', ...extra }] });
  const total = (answers: AnswersInput) => estimate(answers).totalMonthlyUsd;

  it('more nodes cost more', () => {
    expect(total(env({ nodes: { desiredSize: 4 } }))).toBeGreaterThan(total(env({ nodes: { desiredSize: 2 } })));
  });

  it('per-az NAT costs more than a single NAT gateway with two or more zones', () => {
    for (const zones of [2, 3]) expect(total(env({ availabilityZones: zones, natGateways: 'per-az' }))).toBeGreaterThan(total(env({ availabilityZones: zones, natGateways: 'single' })));
  });

  it('removing NGINX removes the NLB lines', () => {
    const items = (services: AnswersInput['supportingServices']) => groupOf(estimate({ ...env({}), supportingServices: services }), 'dev').lines.map((l) => l.item);
    expect(items(['nginx'])).toContain('Network Load Balancer (NGINX)');
    expect(items([])).not.toContain('Network Load Balancer (NGINX)');
    expect(items([])).not.toContain('NLB capacity units');
  });

  it('interface endpoints cost per endpoint and zone; none by default', () => {
    const line = (extra: Record<string, unknown>) => groupOf(estimate(env(extra)), 'dev').lines.find((l) => l.item === 'VPC interface endpoints');
    expect(line({})).toBeUndefined();
    expect(line({ interfaceEndpoints: true })!.monthlyUsd).toBeCloseTo(3 * 3 * SERVICE_PRICES['eu-central-1'].interfaceEndpointHour * 730, 9);
    expect(line({ interfaceEndpoints: true, availabilityZones: 2 })!.quantity).toBe('6 endpoint-zones × 730 h');
  });

  it('flow logs kept longer cost more', () => {
    expect(total(env({ flowLogRetentionDays: 90 }))).toBeGreaterThan(total(env({ flowLogRetentionDays: 7 })));
  });

  it('spot is cheaper than on-demand', () => {
    expect(total(env({ nodes: { capacityType: 'spot' } }))).toBeLessThan(total(env({ nodes: { capacityType: 'on-demand' } })));
  });

  it('every group is the sum of its lines and the total the sum of the groups', () => {
    const e = estimate({});
    for (const g of e.groups) expect(g.monthlyUsd).toBeCloseTo(g.lines.reduce((s, l) => s + l.monthlyUsd, 0), 9);
    expect(e.totalMonthlyUsd).toBeCloseTo(e.groups.reduce((s, g) => s + g.monthlyUsd, 0), 9);
    expect(e.groups.map((g) => g.name)).toEqual(['shared', 'dev', 'staging', 'prod']);
  });
});

describe('formatting', () => {
  it('formats money to the cent with thousands separators', () => {
    expect(formatUsd(1234.5678)).toBe('$1,234.57');
    expect(formatUsd(0.004)).toBe('$0.00');
    expect(formatUsd(73)).toBe('$73.00');
  });

  it('prints one row per group, the total and the date', () => {
    const e = estimate({ aws: { region: 'us-east-1' } });
    const lines = formatCostTable(e);
    expect(lines).toEqual([
      '  shared     $3.02',
      '  dev      $217.44',
      '  staging  $217.44',
      '  prod     $523.33',
      '  total    $961.24',
      `  prices as of ${PRICES_AS_OF}, see docs/cost.md`,
    ]);
    expect(formatCostTable(e, { footer: false })).toEqual(lines.slice(0, -1));
  });
});

describe('assumptions', () => {
  it('are all written, word for word, in docs/cost-estimate.md', () => {
    const doc = readFileSync(join(__dirname, '../../../docs/cost-estimate.md'), 'utf8');
    const assumptions = estimate({}).assumptions;
    expect(assumptions).toEqual(COST_ASSUMPTIONS);
    for (const sentence of assumptions) expect(doc, `missing from docs/cost-estimate.md:\n${sentence}`).toContain(sentence);
  });
});

describe('the lean profile', () => {
  const standard = estimate({});
  const lean = estimate({ environments: [{ name: 'dev', profile: 'lean' }, 'staging', 'prod'] });
  const dev = (e: CostEstimate) => groupOf(e, 'dev');
  const line = (e: CostEstimate, item: string) => dev(e).lines.find((l) => l.item.startsWith(item));

  it('brings the default dev environment to at most $150 a month, in the default region', () => {
    expect(lean.region).toBe('eu-west-1');
    expect(dev(standard).monthlyUsd).toBeGreaterThan(200);
    expect(dev(lean).monthlyUsd).toBeLessThanOrEqual(150);
    // The other environments are as they were.
    expect(groupOf(lean, 'prod').monthlyUsd).toBe(groupOf(standard, 'prod').monthlyUsd);
  });

  it('counts each trade-off: a NAT instance, one smaller root volume, one node, one load balancer zone, no audit log', () => {
    expect(line(lean, 'NAT gateways')).toBeUndefined();
    expect(line(lean, 'NAT data processed')).toBeUndefined();
    expect(line(lean, 'NAT instance (t4g.nano)')!.quantity).toBe('1 × 730 h');
    expect(line(lean, 'NAT instance root volume')!.quantity).toBe('1 × 8 GiB');
    expect(line(lean, 'Nodes')!.item).toBe('Nodes (t3a.large, spot)');
    expect(line(lean, 'Nodes')!.quantity).toMatch(/^1 × 730 h/);
    expect(line(lean, 'Node root volumes')!.quantity).toBe('1 × 20 GiB');
    // One NAT address and the load balancer's one zone.
    expect(line(lean, 'Public IPv4 addresses')!.quantity).toBe('2 × 730 h');
    expect(line(lean, 'CloudWatch Logs ingested')!.quantity).toBe(`${3 + 5} GB`);
    expect(line(standard, 'CloudWatch Logs ingested')!.quantity).toBe(`${10 + 5} GB`);
  });
});

describe('a Client VPN', () => {
  it('counts its subnet associations all month and the assumed connection-hours', () => {
    const e = estimate({ aws: { region: 'us-east-1', accountId: '123456789012' }, environments: [{ name: 'dev', vpn: true }, { name: 'prod', vpn: true }] });
    const line = (env: string, item: string) => groupOf(e, env).lines.find((l) => l.item === item)!;
    expect(line('dev', 'Client VPN subnet associations').monthlyUsd).toBeCloseTo(1 * 730 * 0.1, 6);
    expect(line('prod', 'Client VPN subnet associations').monthlyUsd).toBeCloseTo(2 * 730 * 0.1, 6);
    expect(line('dev', 'Client VPN connections')).toMatchObject({ quantity: `${VPN_CONNECTION_HOURS} connection-hours` });
    expect(line('dev', 'Client VPN connections').monthlyUsd).toBeCloseTo(800 * 0.05, 6);
    expect(groupOf(estimate({}), 'dev').lines.some((l) => l.item.startsWith('Client VPN'))).toBe(false);
  });
});
