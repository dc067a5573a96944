import { describe, it, expect } from 'vitest';
import {
  PRIVATE_RANGES,
  ciRoleArn,
  ciRoleName,
  ciScopes,
  clusterName,
  contains,
  environmentStackName,
  formatCidr,
  iamPrefix,
  overlaps,
  parseCidr,
  stackNames,
  stateKeyAlias,
  subnetPlan,
  validateAnswers,
  type Cidr,
  type ZoneSubnets,
} from '../src';
import { ok } from './support';


function cidr(text: string): Cidr {
  const c = parseCidr(text);
  if (!c) expect.fail(`not a CIDR: ${text}`);
  return c;
}

/** A tiny seeded LCG (Numerical Recipes constants): the same numbers on every run, no dependency. */
function lcg(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
  /** A whole number from min to max, both included. */
  return (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
}

const zoneIds = (n: number) => Array.from({ length: n }, (_, i) => `euw1-az${i + 1}`);

/** Every subnet of a plan, labelled for failure messages. */
const subnetsOf = (plan: ZoneSubnets[]) => plan.flatMap((z) => (['public', 'private', 'intra'] as const).map((tier) => ({ label: `${z.zoneId} ${tier} ${z[tier]}`, cidr: z[tier] })));

/** The invariants of every plan: inside the VPC, disjoint, network addresses, sizes by tier, zones in order. */
function checkPlan(vpcCidr: string, zones: string[]) {
  const vpc = cidr(vpcCidr);
  const plan = subnetPlan({ vpcCidr, zoneIds: zones });
  expect(plan.map((z) => z.zoneId)).toEqual(zones);
  const subnets = subnetsOf(plan);
  expect(subnets).toHaveLength(zones.length * 3);
  for (const s of subnets) {
    const c = parseCidr(s.cidr);
    expect(c, s.label).toBeDefined();
    expect(c!.hostBitsSet, `${s.label} has host bits set`).toBe(false);
    expect(contains(vpc, c!), `${s.label} is outside ${vpcCidr}`).toBe(true);
    // The smallest subnet AWS allows is a /28.
    expect(c!.prefix, s.label).toBeLessThanOrEqual(28);
  }
  subnets.forEach((a, i) =>
    subnets.slice(i + 1).forEach((b) => expect(overlaps(cidr(a.cidr), cidr(b.cidr)), `${a.label} overlaps ${b.label}`).toBe(false)),
  );
  for (const z of plan) {
    expect(cidr(z.private).prefix, z.zoneId).toBe(vpc.prefix + 3);
    expect(cidr(z.public).prefix, z.zoneId).toBe(vpc.prefix + 6);
    expect(cidr(z.intra).prefix, z.zoneId).toBe(vpc.prefix + 6);
  }
  return plan;
}

describe('subnetPlan', () => {
  const sizes: [string, number, number][] = [
    ['10.10.0.0/16', 19, 22],
    ['172.16.0.0/18', 21, 24],
    ['192.168.16.0/20', 23, 26],
  ];

  describe.each(sizes)('a %s VPC', (vpcCidr, privatePrefix, edgePrefix) => {
    it.each([2, 3, 4, 5, 6])('with %i zones: subnets inside the VPC, disjoint, zones in order', (n) => {
      checkPlan(vpcCidr, zoneIds(n));
    });

    it(`has /${privatePrefix} private and /${edgePrefix} public and intra subnets`, () => {
      for (const z of subnetPlan({ vpcCidr, zoneIds: zoneIds(6) })) {
        expect(z.private.endsWith(`/${privatePrefix}`), z.private).toBe(true);
        expect(z.public.endsWith(`/${edgePrefix}`), z.public).toBe(true);
        expect(z.intra.endsWith(`/${edgePrefix}`), z.intra).toBe(true);
      }
    });

    it('keeps the subnets of the first zones when zones are added', () => {
      const six = subnetPlan({ vpcCidr, zoneIds: zoneIds(6) });
      for (let n = 2; n < 6; n++) expect(subnetPlan({ vpcCidr, zoneIds: zoneIds(n) })).toEqual(six.slice(0, n));
    });
  });

  it('plans 10.10.0.0/16 over three zones', () => {
    expect(subnetPlan({ vpcCidr: '10.10.0.0/16', zoneIds: ['euw1-az1', 'euw1-az2', 'euw1-az3'] })).toEqual([
      { zoneId: 'euw1-az1', public: '10.10.192.0/22', private: '10.10.0.0/19', intra: '10.10.224.0/22' },
      { zoneId: 'euw1-az2', public: '10.10.196.0/22', private: '10.10.32.0/19', intra: '10.10.228.0/22' },
      { zoneId: 'euw1-az3', public: '10.10.200.0/22', private: '10.10.64.0/19', intra: '10.10.232.0/22' },
    ]);
  });

  it('plans 10.255.240.0/20 (the top of 10.0.0.0/8) over two zones', () => {
    expect(subnetPlan({ vpcCidr: '10.255.240.0/20', zoneIds: ['use1-az1', 'use1-az2'] })).toEqual([
      { zoneId: 'use1-az1', public: '10.255.252.0/26', private: '10.255.240.0/23', intra: '10.255.254.0/26' },
      { zoneId: 'use1-az2', public: '10.255.252.64/26', private: '10.255.242.0/23', intra: '10.255.254.64/26' },
    ]);
  });

  it('keeps the zone IDs and their order as given', () => {
    const zones = ['apne1-az4', 'apne1-az1', 'apne1-az2'];
    expect(subnetPlan({ vpcCidr: '10.10.0.0/16', zoneIds: zones }).map((z) => z.zoneId)).toEqual(zones);
  });

  it('plans the environments of a resolved platform', () => {
    const p = ok({ aws: { region: 'us-east-1' }, environments: [{ name: 'dev', availabilityZones: 2 }, { name: 'prod', availabilityZones: 5, vpcCidr: '172.16.0.0/20' }] });
    for (const e of p.environments) expect(checkPlan(e.vpcCidr, e.zoneIds).map((z) => z.zoneId)).toEqual(e.zoneIds);
    // Different environments' plans never overlap either (their VPCs do not).
    const all = p.environments.flatMap((e) => subnetsOf(subnetPlan(e)));
    all.forEach((a, i) => all.slice(i + 1).forEach((b) => expect(overlaps(cidr(a.cidr), cidr(b.cidr)), `${a.label} / ${b.label}`).toBe(false)));
  });

  it.each(['10.10.1.0/16', '10.10.0.1/16', '172.16.5.0/20'])('throws for %s (host bits set)', (vpcCidr) => {
    expect(() => subnetPlan({ vpcCidr, zoneIds: zoneIds(3) })).toThrow(`not a network CIDR: ${vpcCidr}`);
  });

  it.each(['ten', '10.10.0.0', '10.10.0.0/33'])('throws for the malformed %s', (vpcCidr) => {
    expect(() => subnetPlan({ vpcCidr, zoneIds: zoneIds(3) })).toThrow('not a network CIDR');
  });

  describe('over random valid VPC CIDRs (seeded)', () => {
    const random = lcg(20240611);
    const cases = Array.from({ length: 300 }, () => {
      const range = PRIVATE_RANGES[random(0, PRIVATE_RANGES.length - 1)];
      const prefix = random(16, 20);
      const offset = random(0, 2 ** (32 - range.prefix) - 1);
      const block = 2 ** (32 - prefix);
      const address = range.address + offset - (offset % block);
      return { vpcCidr: formatCidr({ address, prefix }), zones: zoneIds(random(2, 6)) };
    });

    it('generates every prefix from /16 to /20 in every private range', () => {
      const seen = new Set(cases.map((c) => `${PRIVATE_RANGES.findIndex((r) => contains(r, cidr(c.vpcCidr)))} ${cidr(c.vpcCidr).prefix}`));
      expect(seen.size).toBe(3 * 5);
    });

    it('every generated CIDR is one the answers schema accepts', () => {
      for (const { vpcCidr } of cases) expect(ok({ environments: [{ name: 'dev', vpcCidr }] }).environments[0].vpcCidr).toBe(vpcCidr);
    });

    it('every plan is inside its VPC, disjoint, sized by tier and in zone order', () => {
      for (const { vpcCidr, zones } of cases) checkPlan(vpcCidr, zones);
    });

    it('every plan with host bits added to its VPC throws', () => {
      for (const { vpcCidr } of cases.slice(0, 50)) {
        const c = cidr(vpcCidr);
        const withHostBits = formatCidr({ address: c.address + 1, prefix: c.prefix });
        expect(() => subnetPlan({ vpcCidr: withHostBits, zoneIds: zoneIds(2) }), withHostBits).toThrow('not a network CIDR');
      }
    });
  });
});

describe('names', () => {
  const p = ok({ name: 'shop', aws: { accountId: '210987654321' }, environments: ['dev', 'prod'] });
  const [dev, prod] = p.environments;

  it('ciScopes: shared, then every environment in order', () => {
    expect(ciScopes(p)).toEqual(['shared', 'dev', 'prod']);
    expect(ciScopes(ok({ environments: ['qa', 'live', 'dev'] }))).toEqual(['shared', 'qa', 'live', 'dev']);
  });

  it('ciRoleName: <name>-<scope>-<kind>', () => {
    expect(ciRoleName(p, 'dev', 'plan')).toBe('shop-dev-plan');
    expect(ciRoleName(p, 'prod', 'apply')).toBe('shop-prod-apply');
    expect(ciRoleName(p, 'shared', 'apply')).toBe('shop-shared-apply');
  });

  it("ciRoleArn: the role in the platform's account", () => {
    // Under the CI path: out of reach of the environments' role patterns (role/shop-dev-*).
    expect(ciRoleArn(p, 'dev', 'plan')).toBe('arn:aws:iam::210987654321:role/shop/ci/shop-dev-plan');
    expect(ciRoleArn(p, 'shared', 'apply')).toBe('arn:aws:iam::210987654321:role/shop/ci/shop-shared-apply');
  });

  it('clusterName and iamPrefix take an environment or its name', () => {
    expect(clusterName(p, dev)).toBe('shop-dev');
    expect(clusterName(p, 'prod')).toBe('shop-prod');
    expect(clusterName(p, prod)).toBe(clusterName(p, 'prod'));
    expect(iamPrefix(p, dev)).toBe('shop-dev-');
    expect(iamPrefix(p, 'prod')).toBe('shop-prod-');
  });

  it('stateKeyAlias: alias/<state bucket>', () => {
    expect(stateKeyAlias(p)).toBe('alias/shop-tfstate-210987654321');
    expect(stateKeyAlias(ok({ stateBucket: 'my-state' }))).toBe('alias/my-state');
  });

  it('names of different environments and scopes never collide', () => {
    const all = ok({ environments: ['dev', 'staging', 'prod'] });
    const roles = ciScopes(all).flatMap((s) => [ciRoleName(all, s, 'plan'), ciRoleName(all, s, 'apply')]);
    expect(new Set(roles).size).toBe(roles.length);
    const clusters = all.environments.map((e) => clusterName(all, e));
    expect(new Set(clusters).size).toBe(clusters.length);
  });

  describe('for the longest legal names (platform 30, environment 12 characters)', () => {
    const name = 'a'.repeat(29) + 'z';
    const environment = 'e'.repeat(11) + '9';
    const longest = ok({ name, environments: [environment, 'dev'] });

    it('the names are legal', () => {
      expect(longest.name).toHaveLength(30);
      expect(longest.environments[0].name).toHaveLength(12);
    });

    it.each(['plan', 'apply'] as const)('%s role names fit IAM (64 characters, [\\w+=,.@-])', (kind) => {
      for (const scope of ciScopes(longest)) {
        const role = ciRoleName(longest, scope, kind);
        expect(role.length, role).toBeLessThanOrEqual(64);
        expect(role).toMatch(/^[\w+=,.@-]{1,64}$/);
      }
      expect(ciRoleName(longest, environment, 'apply')).toHaveLength(49);
    });

    it("the CI role ARNs are valid admin role ARNs, refused only as the platform's own", () => {
      for (const scope of ciScopes(longest))
        for (const kind of ['plan', 'apply'] as const) {
          const result = validateAnswers({ name, environments: [environment, 'dev'], aws: { adminRoleArns: [ciRoleArn(longest, scope, kind)] } });
          expect(result.ok).toBe(false);
          if (!result.ok) expect(result.issues.map((i) => i.message)).toEqual([expect.stringContaining("one of the platform's own CI roles")]);
        }
    });

    it('the cluster name fits EKS (100 characters) and the IAM prefix leaves room in a 64-character role name', () => {
      expect(clusterName(longest, environment)).toHaveLength(43);
      expect(iamPrefix(longest, environment)).toHaveLength(44);
      expect(64 - iamPrefix(longest, environment).length).toBeGreaterThanOrEqual(20);
    });

    it('the state key alias fits KMS (256 characters, alias/ then [\\w/-])', () => {
      const alias = stateKeyAlias(longest);
      expect(alias.length).toBeLessThanOrEqual(256);
      expect(alias).toMatch(/^alias\/[\w/-]+$/);
      expect(alias.startsWith('alias/aws/')).toBe(false);
    });
  });
});

describe('stacks', () => {
  it('stackNames: bootstrap, shared, then <env>-network, <env>-cluster, <env>-services-aws and <env>-services per environment in order', () => {
    expect(stackNames(ok({}))).toEqual([
      'bootstrap',
      'shared',
      'dev-network',
      'dev-cluster',
      'dev-services-aws',
      'dev-services',
      'staging-network',
      'staging-cluster',
      'staging-services-aws',
      'staging-services',
      'prod-network',
      'prod-cluster',
      'prod-services-aws',
      'prod-services',
    ]);
  });

  it('follows the order the environments are given in', () => {
    expect(stackNames(ok({ environments: ['prod', 'qa'] }))).toEqual([
      'bootstrap',
      'shared',
      'prod-network',
      'prod-cluster',
      'prod-services-aws',
      'prod-services',
      'qa-network',
      'qa-cluster',
      'qa-services-aws',
      'qa-services',
    ]);
  });

  it('has no duplicates for the most environments allowed', () => {
    const names = stackNames(ok({ environments: ['a1', 'a2', 'a3', 'a4', 'a5', 'a6', 'a7', 'a8'] }));
    expect(names).toHaveLength(2 + 8 * 4);
    expect(new Set(names).size).toBe(names.length);
  });

  it('environmentStackName takes an environment or its name', () => {
    const [dev] = ok({ environments: ['dev'] }).environments;
    expect(environmentStackName(dev, 'network')).toBe('dev-network');
    expect(environmentStackName(dev, 'cluster')).toBe('dev-cluster');
    expect(environmentStackName('prod', 'network')).toBe('prod-network');
    expect(environmentStackName('prod', 'cluster')).toBe('prod-cluster');
  });
});
