import { describe, it, expect } from 'vitest';
import {
  type AnswersInput,
  AnswersError,
  EKS_ADDONS,
  EKS_UNSUPPORTED_ZONE_IDS,
  REGIONS,
  INSTANCE_TYPES,
  LOG_RETENTION_DAYS,
  REGION_NAMES,
  SUPPORTING_SERVICES,
  catalogue,
  ciRoleArn,
  ciScopes,
  formatIssues,
  resolvePlatform,
  validateAnswers,
  type AnswerIssue,
  SERVICE_TIER_DEFAULTS,
} from '../src';
import { ok } from './support';


/** The issues of answers that must be invalid. */
function issuesOf(input: unknown): AnswerIssue[] {
  const result = validateAnswers(input);
  if (result.ok) expect.fail(`expected invalid answers, got a platform for ${JSON.stringify(input)}`);
  return result.issues;
}

/** Asserts exactly one issue, on `field`, whose message contains every fragment (bad value, fix hint). */
function expectIssue(input: unknown, field: string, ...fragments: string[]): AnswerIssue {
  const issues = issuesOf(input);
  expect(issues).toHaveLength(1);
  const [issue] = issues;
  expect(issue.field).toBe(field);
  for (const fragment of fragments) expect(issue.message).toContain(fragment);
  return issue;
}

const env = (settings: Record<string, unknown>) => ({ environments: [{ name: 'dev', ...settings }] });

describe('defaults', () => {
  const platform = () => ok({});

  it('names the platform acme-platform in eu-west-1 with the example account', () => {
    const p = platform();
    expect(p.name).toBe('acme-platform');
    expect(p.aws).toEqual({ region: 'eu-west-1', accountId: '123456789012', adminRoleArns: [] });
  });

  it('has dev, staging and prod with tiers non-production, non-production, production', () => {
    expect(platform().environments.map((e) => [e.name, e.tier])).toEqual([
      ['dev', 'non-production'],
      ['staging', 'non-production'],
      ['prod', 'production'],
    ]);
  });

  it('gives each environment its own /16: 10.10, 10.20, 10.30', () => {
    expect(platform().environments.map((e) => e.vpcCidr)).toEqual(['10.10.0.0/16', '10.20.0.0/16', '10.30.0.0/16']);
  });

  it('uses a single NAT gateway outside production and one per zone in production', () => {
    expect(platform().environments.map((e) => e.natGateways)).toEqual(['single', 'single', 'per-az']);
  });

  it('uses spot nodes outside production and on-demand nodes in production', () => {
    const [dev, staging, prod] = platform().environments;
    expect(dev.nodes).toEqual({
      instanceTypes: ['t3.large', 't3a.large', 'm6i.large', 'm7i.large'],
      capacityType: 'spot',
      minSize: 1,
      desiredSize: 2,
      maxSize: 5,
      diskSizeGiB: 50,
    });
    expect(staging.nodes.capacityType).toBe('spot');
    expect(prod.nodes).toEqual({
      instanceTypes: ['m7i.large', 'm6i.large'],
      capacityType: 'on-demand',
      minSize: 3,
      desiredSize: 3,
      maxSize: 10,
      diskSizeGiB: 100,
    });
  });

  it('spreads every environment over the first 3 availability zones of the region, by zone ID', () => {
    for (const e of platform().environments) expect(e.zoneIds).toEqual(['euw1-az1', 'euw1-az2', 'euw1-az3']);
  });

  it('keeps the EKS endpoint private (no public access CIDRs)', () => {
    for (const e of platform().environments) expect(e.clusterPublicAccessCidrs).toEqual([]);
  });

  it('keeps logs 30 days outside production and 365 days in production', () => {
    expect(platform().environments.map((e) => [e.name, e.logRetentionDays])).toEqual([
      ['dev', 30],
      ['staging', 30],
      ['prod', 365],
    ]);
  });

  it('gives no cluster-admin roles beyond the CI roles and creates the GitHub OIDC provider', () => {
    const p = platform();
    expect(p.aws.adminRoleArns).toEqual([]);
    expect(p.github.oidcProvider).toBe('create');
  });

  it('has the services api and worker, generic on port 8080, private, sized per tier', () => {
    const defaults = { language: 'generic', port: 8080, public: false, callers: [], env: {}, secretEnv: [], bucket: false, tiers: SERVICE_TIER_DEFAULTS };
    expect(platform().services).toEqual([
      { name: 'api', ...defaults },
      { name: 'worker', ...defaults },
    ]);
    expect(SERVICE_TIER_DEFAULTS).toEqual({
      'non-production': { minReplicas: 1, maxReplicas: 3, cpu: '100m', memory: '128Mi' },
      production: { minReplicas: 2, maxReplicas: 6, cpu: '250m', memory: '256Mi' },
    });
  });

  it('installs all 11 supporting services in catalogue order', () => {
    const p = platform();
    expect(p.supportingServices).toHaveLength(11);
    expect(p.supportingServices).toEqual([
      'postgresql',
      'redis',
      'nginx',
      'cert-manager',
      'loki',
      'grafana',
      'prometheus',
      'oathkeeper',
      'hydra',
      'keto',
      'kratos',
    ]);
    expect(p.supportingServices).toEqual([...SUPPORTING_SERVICES]);
  });

  it('derives the domain and certificate email from the name', () => {
    const p = platform();
    expect(p.domain).toBe('acme-platform.example.com');
    expect(p.certificateEmail).toBe('platform@acme-platform.example.com');
  });

  it('derives the certificate email from a given domain', () => {
    expect(ok({ domain: 'acme.example.com' }).certificateEmail).toBe('platform@acme.example.com');
  });

  it('uses the GitHub owner acme and the platform name as repository', () => {
    expect(platform().github).toEqual({ owner: 'acme', repository: 'acme-platform', oidcProvider: 'create' });
    expect(ok({ name: 'shop-platform' }).github.repository).toBe('shop-platform');
  });

  it('names the state bucket <name>-tfstate-<accountId>', () => {
    expect(platform().stateBucket).toBe('acme-platform-tfstate-123456789012');
    expect(ok({ name: 'shop', aws: { accountId: '210987654321' } }).stateBucket).toBe('shop-tfstate-210987654321');
  });

  it('uses the catalogue default Kubernetes version and no extra tags', () => {
    const p = platform();
    expect(p.kubernetesVersion).toBe(catalogue.kubernetes.default);
    expect(p.tags).toEqual({});
  });
});

describe('name', () => {
  it.each(['abc', 'acme-platform', 'shop2', 'a1-b2-c3', 'a'.repeat(30)])('accepts %s', (name) => {
    expect(ok({ name }).name).toBe(name);
  });

  it.each([
    ['uppercase', 'Acme'],
    ['leading digit', '1acme'],
    ['trailing dash', 'acme-'],
    ['double dash', 'acme--platform'],
    ['too long (31)', 'a'.repeat(31)],
    ['too short (2)', 'ab'],
    ['underscore', 'acme_platform'],
  ])('rejects %s: %s', (_, name) => {
    expectIssue({ name }, 'name', `"${name}"`, 'Use 3-30 lowercase letters, digits and single dashes', 'e.g. acme-platform');
  });

  it('rejects a number', () => {
    expectIssue({ name: 5 }, 'name', 'expected text, got 5', 'Use 3-30 lowercase letters');
  });
});

describe('aws.region', () => {
  it.each(REGION_NAMES)('accepts %s', (region) => {
    expect(ok({ aws: { region } }).aws.region).toBe(region);
  });

  it.each(['eu-west-9', 'EU-WEST-1', 'us-gov-west-1', 'eu-west-1a', 'Ireland'])('rejects %s', (region) => {
    expectIssue({ aws: { region } }, 'aws.region', `"${region}"`, 'is not a known AWS region', 'Use one of: us-east-1,', 'eu-west-1');
  });
});

describe('aws.accountId', () => {
  it('accepts a quoted 12-digit id', () => {
    expect(ok({ aws: { accountId: '012345678901' } }).aws.accountId).toBe('012345678901');
  });

  it('accepts a numeric 12-digit id (unquoted in YAML) and turns it into a string', () => {
    const p = ok({ aws: { accountId: 123456789012 } });
    expect(p.aws.accountId).toBe('123456789012');
    expect(typeof p.aws.accountId).toBe('string');
    expect(p.stateBucket).toBe('acme-platform-tfstate-123456789012');
  });

  it("accepts the console's 1234-5678-9012", () => {
    expect(ok({ aws: { accountId: '1234-5678-9012' } }).aws.accountId).toBe('123456789012');
  });

  it.each([
    ['11 digits', '12345678901', '"12345678901"'],
    ['13 digits', '1234567890123', '"1234567890123"'],
    ['non-numeric', 'abcdefghijkl', '"abcdefghijkl"'],
    ['dashes elsewhere', '123-456-789-012', '"123-456-789-012"'],
    ['a fraction', 1.5, '1.5'],
  ])('rejects %s, without talking about YAML', (_, accountId, shown) => {
    const issues = issuesOf({ aws: { accountId } }).filter((i) => i.field === 'aws.accountId');
    expect(issues.map((i) => i.message)).toEqual([expect.stringContaining(shown)]);
    expect(issues[0].message).toContain('Use the 12-digit AWS account id (e.g. 123456789012, or 1234-5678-9012 as the console shows it).');
    expect(issues[0].message).not.toContain('YAML');
  });

  it('tells a number that lost its leading zeros (unquoted in YAML) to be quoted', () => {
    expectIssue({ aws: { accountId: 12345678901 } }, 'aws.accountId', '12345678901 is not 12 digits: YAML read the id as a number', 'Quote it in the answers file');
  });
});

describe('aws.adminRoleArns', () => {
  const arn = (role: string, account = '123456789012') => `arn:aws:iam::${account}:role/${role}`;
  const fix = 'e.g. arn:aws:iam::123456789012:role/Admin';

  it.each([
    ['a plain role', arn('Admin')],
    ['an IAM Identity Center role with its path', arn('aws-reserved/sso.amazonaws.com/AWSReservedSSO_Admin_abc')],
    ['an IAM Identity Center role in a region path', arn('aws-reserved/sso.amazonaws.com/eu-west-1/AWSReservedSSO_AdministratorAccess_0123456789abcdef')],
    ['a role with every allowed character', arn('ops+admin=x,y.z@w-v_u')],
    ['a role name of 64 characters', arn('r'.repeat(64))],
    ['a role in another account', arn('Admin', '210987654321')],
    ['a role that only looks like a CI role of another platform', arn('other-platform-dev-plan')],
    ['a role whose name starts like a CI role', arn('acme-platform-dev-planner')],
    ['a role named after the platform', arn('acme-platform-admin')],
  ])('accepts %s', (_, roleArn) => {
    expect(ok({ aws: { adminRoleArns: [roleArn] } }).aws.adminRoleArns).toEqual([roleArn]);
  });

  it('keeps several roles in the given order', () => {
    const roles = [arn('Zeta'), arn('Admin'), arn('aws-reserved/sso.amazonaws.com/AWSReservedSSO_Admin_abc')];
    expect(ok({ aws: { adminRoleArns: roles } }).aws.adminRoleArns).toEqual(roles);
  });

  it.each([
    ['a user', 'arn:aws:iam::123456789012:user/bob'],
    ['an assumed-role session', 'arn:aws:sts::123456789012:assumed-role/Admin/bob'],
    ['another partition', 'arn:aws-cn:iam::123456789012:role/Admin'],
    ['an 11-digit account', 'arn:aws:iam::12345678901:role/Admin'],
    ['a role name of 65 characters', arn('r'.repeat(65))],
    ['no role name', arn('')],
    ['a trailing slash', arn('ops/')],
    ['a bare role name', 'Admin'],
    ['a space', arn('Platform Admin')],
    ['an empty text', ''],
  ])('rejects %s', (_, roleArn) => {
    expectIssue({ aws: { adminRoleArns: [roleArn] } }, 'aws.adminRoleArns[0]', `"${roleArn}" is not valid`, fix);
  });

  it('reports a bad entry at its own index', () => {
    expectIssue({ aws: { adminRoleArns: [arn('Admin'), 'arn:aws:iam::123456789012:user/bob'] } }, 'aws.adminRoleArns[1]', '"arn:aws:iam::123456789012:user/bob"', fix);
  });

  it('rejects a non-text entry', () => {
    expectIssue({ aws: { adminRoleArns: [5] } }, 'aws.adminRoleArns[0]', 'expected text, got 5', fix);
  });

  it.each([
    ['a single ARN', arn('Admin'), `"${arn('Admin')}"`],
    ['a map', { admin: arn('Admin') }, `{"admin":"${arn('Admin')}"}`],
    ['null', null, 'null'],
  ])('rejects %s instead of a list', (_, adminRoleArns, shown) => {
    expectIssue({ aws: { adminRoleArns } }, 'aws.adminRoleArns', `expected a list of IAM role ARNs, got ${shown}`);
  });

  it('rejects a role listed twice', () => {
    expectIssue({ aws: { adminRoleArns: [arn('Admin'), arn('Ops'), arn('Admin')] } }, 'aws.adminRoleArns', `lists ${arn('Admin')} twice`, 'Remove the duplicate');
  });

  describe("refuses the platform's own CI roles", () => {
    const p = ok({});
    const ciRoles = ciScopes(p).flatMap((scope) => (['plan', 'apply'] as const).map((kind) => [scope, kind, ciRoleArn(p, scope, kind)] as const));

    it('covers shared and every environment, plan and apply', () => {
      expect(ciRoles.map(([scope, kind]) => `${scope}-${kind}`)).toEqual([
        'shared-plan',
        'shared-apply',
        'dev-plan',
        'dev-apply',
        'staging-plan',
        'staging-apply',
        'prod-plan',
        'prod-apply',
      ]);
    });

    it.each(ciRoles)('%s %s: %s', (_scope, _kind, roleArn) => {
      expectIssue(
        { aws: { adminRoleArns: [arn('Admin'), roleArn] } },
        'aws.adminRoleArns[1]',
        `${roleArn} is one of the platform's own CI roles`,
        'get cluster access already. Remove it.',
      );
    });

    it("follows the platform's name", () => {
      expectIssue({ name: 'shop', aws: { adminRoleArns: [arn('shop-dev-apply')] } }, 'aws.adminRoleArns[0]', "one of the platform's own CI roles");
      expect(ok({ name: 'shop', aws: { adminRoleArns: [arn('acme-platform-dev-apply')] } }).aws.adminRoleArns).toEqual([arn('acme-platform-dev-apply')]);
    });

    it('follows the environment names', () => {
      expectIssue({ environments: ['qa'], aws: { adminRoleArns: [arn('acme-platform-qa-plan')] } }, 'aws.adminRoleArns[0]', "one of the platform's own CI roles");
    });
  });
});

describe('environments', () => {
  it.each([
    [['dev']],
    [['dev', 'prod']],
    [['qa', 'uat', 'live']],
    [['ab', 'env12345678a']],
    [['a1', 'a2', 'a3', 'a4', 'a5', 'a6', 'a7', 'a8']],
  ])('accepts %j', (environments) => {
    expect(ok({ environments }).environments.map((e) => e.name)).toEqual(environments);
  });

  it.each([
    ['uppercase', 'Dev'],
    ['reserved "shared"', 'shared'],
    ['reserved "bootstrap"', 'bootstrap'],
    ['too long (13)', 'a'.repeat(13)],
    ['too short (1)', 'd'],
    ['a dash', 'pre-prod'],
    ['leading digit', '1dev'],
  ])('rejects an environment name with %s', (_, name) => {
    expectIssue({ environments: ['dev', name] }, 'environments[1]', `"${name}"`, 'Use 2-12 lowercase letters and digits', '"bootstrap" and "shared" are reserved');
  });

  it('rejects an invalid name in an environment object at its name field', () => {
    expectIssue({ environments: [{ name: 'Prod' }] }, 'environments[0].name', '"Prod"', 'Use 2-12 lowercase letters and digits');
  });

  it('rejects duplicate environment names', () => {
    expectIssue({ environments: ['dev', 'prod', 'dev'] }, 'environments', '"dev" is listed twice', 'Give each environment a unique name');
  });

  it('rejects a duplicate given once as a name and once as an object', () => {
    expectIssue({ environments: ['dev', { name: 'dev', tier: 'production' }] }, 'environments', '"dev" is listed twice', 'unique name');
  });

  it('rejects environments given as a string instead of a list', () => {
    expectIssue({ environments: 'dev' }, 'environments', 'expected a list of environments, got "dev"');
  });

  it('rejects an empty list', () => {
    expectIssue({ environments: [] }, 'environments', 'give at least one environment', 'e.g. [dev, prod]');
  });

  it('rejects more than 8 environments', () => {
    expectIssue({ environments: ['a1', 'a2', 'a3', 'a4', 'a5', 'a6', 'a7', 'a8', 'a9'] }, 'environments', 'use at most 8 environments');
  });

  it('rejects an environment that is neither a name nor an object', () => {
    expectIssue({ environments: ['dev', 5] }, 'environments[1]', 'expected an environment name or object, got 5');
  });

  it.each([
    ['prod', 'production'],
    ['production', 'production'],
    ['prd', 'production'],
    ['live', 'production'],
    ['dev', 'non-production'],
    ['staging', 'non-production'],
    ['qa', 'non-production'],
    ['preprod', 'non-production'],
  ])('infers the tier of %s: %s', (name, tier) => {
    expect(ok({ environments: [name] }).environments[0].tier).toBe(tier);
  });
});

describe('environment objects override tier defaults', () => {
  it('a production tier gives qa per-az NAT gateways and on-demand production nodes', () => {
    const [qa] = ok({ environments: [{ name: 'qa', tier: 'production' }] }).environments;
    expect(qa.tier).toBe('production');
    expect(qa.natGateways).toBe('per-az');
    expect(qa.nodes.capacityType).toBe('on-demand');
    expect(qa.nodes.instanceTypes).toEqual(['m7i.large', 'm6i.large']);
    expect(qa.nodes.minSize).toBe(3);
  });

  it('a non-production tier makes prod cheap', () => {
    const [prod] = ok({ environments: [{ name: 'prod', tier: 'non-production' }] }).environments;
    expect(prod.natGateways).toBe('single');
    expect(prod.nodes.capacityType).toBe('spot');
  });

  it('natGateways overrides the tier default', () => {
    const [dev, prod] = ok({ environments: [{ name: 'dev', natGateways: 'per-az' }, { name: 'prod', natGateways: 'single' }] }).environments;
    expect(dev.natGateways).toBe('per-az');
    expect(prod.natGateways).toBe('single');
    expect(prod.nodes.capacityType).toBe('on-demand');
  });

  it('a partial nodes object keeps the other tier defaults', () => {
    const [dev] = ok(env({ nodes: { maxSize: 8 } })).environments;
    expect(dev.nodes).toEqual({
      instanceTypes: ['t3.large', 't3a.large', 'm6i.large', 'm7i.large'],
      capacityType: 'spot',
      minSize: 1,
      desiredSize: 2,
      maxSize: 8,
      diskSizeGiB: 50,
    });
  });

  it('nodes on a production environment merge with production defaults', () => {
    const [prod] = ok({ environments: [{ name: 'prod', nodes: { instanceTypes: ['r6i.large'], diskSizeGiB: 200 } }] }).environments;
    expect(prod.nodes).toEqual({ instanceTypes: ['r6i.large'], capacityType: 'on-demand', minSize: 3, desiredSize: 3, maxSize: 10, diskSizeGiB: 200 });
  });

  it('availabilityZones picks the first zone IDs of the region, never one EKS refuses', () => {
    expect(ok(env({ availabilityZones: 2 })).environments[0].zoneIds).toEqual(['euw1-az1', 'euw1-az2']);
    // us-east-1 has six zones, but EKS cannot place a control plane in use1-az3.
    expect(ok({ aws: { region: 'us-east-1' }, ...env({ availabilityZones: 5 }) }).environments[0].zoneIds).toEqual(['use1-az1', 'use1-az2', 'use1-az4', 'use1-az5', 'use1-az6']);
    expect(ok({ aws: { region: 'ca-central-1' } }).environments[0].zoneIds).toEqual(['cac1-az1', 'cac1-az2', 'cac1-az4']);
    // apne1-az3 exists only in older accounts (and is retired).
    expect(ok({ aws: { region: 'ap-northeast-1' } }).environments[0].zoneIds).toEqual(['apne1-az1', 'apne1-az2', 'apne1-az4']);
  });

  it('lists zone IDs only: each of the region, none EKS refuses', () => {
    for (const [region, zones] of Object.entries(REGIONS)) {
      const prefix = zones[0].replace(/-az\d$/, '');
      for (const zone of zones) expect(zone, region).toMatch(new RegExp(`^${prefix}-az\\d$`));
      for (const refused of EKS_UNSUPPORTED_ZONE_IDS) expect(zones, region).not.toContain(refused);
    }
  });

  it('vpcCidr and clusterPublicAccessCidrs are taken as given; an unset range is the first default no other environment takes', () => {
    const [dev, prod] = ok({
      environments: [{ name: 'dev', vpcCidr: '172.16.0.0/16', clusterPublicAccessCidrs: ['203.0.113.0/24'] }, 'prod'],
    }).environments;
    expect(dev.vpcCidr).toBe('172.16.0.0/16');
    expect(dev.clusterPublicAccessCidrs).toEqual(['203.0.113.0/24']);
    expect(prod.vpcCidr).toBe('10.10.0.0/16');
  });
});

describe('environments[].vpcCidr', () => {
  it.each(['10.10.0.0/16', '10.10.16.0/20', '172.16.0.0/16', '172.31.0.0/18', '192.168.0.0/16', '10.255.240.0/20'])('accepts %s', (vpcCidr) => {
    expect(ok(env({ vpcCidr })).environments[0].vpcCidr).toBe(vpcCidr);
  });

  it.each([
    ['10.10.1.0/16', '10.10.0.0/16'],
    ['10.10.0.1/16', '10.10.0.0/16'],
    ['172.16.5.0/20', '172.16.0.0/20'],
  ])('rejects host bits set in %s and suggests %s', (vpcCidr, network) => {
    expectIssue(env({ vpcCidr }), 'environments[0].vpcCidr', `"${vpcCidr}"`, 'has host bits set', `Use the network address: ${network}`);
  });

  it.each(['8.8.0.0/16', '172.32.0.0/16', '100.64.0.0/16', '192.169.0.0/16'])('rejects the public range %s', (vpcCidr) => {
    expectIssue(env({ vpcCidr }), 'environments[0].vpcCidr', `"${vpcCidr}"`, 'is not a private range', 'Use one inside 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16');
  });

  it.each([
    ['too big', '10.0.0.0/8', '/8', '10.0.0.0/16'],
    ['too big', '10.0.0.0/15', '/15', '10.0.0.0/16'],
    ['too small', '10.10.0.0/21', '/21', '10.10.0.0/20'],
    ['too small', '10.10.0.0/24', '/24', '10.10.0.0/20'],
  ])('rejects a prefix %s: %s, suggesting a range of the same place that passes', (_, vpcCidr, prefix, suggested) => {
    expectIssue(env({ vpcCidr }), 'environments[0].vpcCidr', `"${vpcCidr}" is a ${prefix}`, 'Use a /16 to /20', `e.g. ${suggested}.`);
    ok(env({ vpcCidr: suggested }));
  });

  it.each([
    ['10.10.0.1/16', 'Use the network address: 10.10.0.0/16.'],
    ['10.10.0.1/24', 'Use a range such as 10.10.0.0/20 (a /16 to /20 in a private range).'],
    ['8.8.0.1/16', 'Use a range such as 10.10.0.0/16 (a /16 to /20 in a private range).'],
  ])('with host bits set (%s), suggests a range that passes every check', (vpcCidr, fix) => {
    expectIssue(env({ vpcCidr }), 'environments[0].vpcCidr', `"${vpcCidr}" has host bits set. ${fix}`);
    ok(env({ vpcCidr: fix.match(/\d+\.\d+\.\d+\.\d+\/\d+/)![0] }));
  });

  it.each(['10.10.0/16', '10.10.0.0', '256.0.0.0/16', '10.10.0.0/33', 'ten'])('rejects the malformed %s', (vpcCidr) => {
    expectIssue(env({ vpcCidr }), 'environments[0].vpcCidr', `"${vpcCidr}" is not an IPv4 CIDR`, 'e.g. 10.10.0.0/16');
  });

  it('rejects a range overlapping an earlier environment (reported on the later one)', () => {
    expectIssue(
      { environments: [{ name: 'dev', vpcCidr: '10.10.0.0/16' }, { name: 'staging', vpcCidr: '10.10.16.0/20' }] },
      'environments[1].vpcCidr',
      "10.10.16.0/20 overlaps dev's 10.10.0.0/16",
      'Give each environment its own range',
    );
  });

  it('gives no environment a default range that overlaps another’s answered range, before or after it', () => {
    expect(ok({ environments: [{ name: 'dev', vpcCidr: '10.20.0.0/16' }, 'staging', 'prod'] }).environments.map((e) => e.vpcCidr)).toEqual(['10.20.0.0/16', '10.10.0.0/16', '10.30.0.0/16']);
    expect(ok({ environments: ['dev', { name: 'prod', vpcCidr: '10.10.128.0/20' }] }).environments.map((e) => e.vpcCidr)).toEqual(['10.20.0.0/16', '10.10.128.0/20']);
  });

  it('finds a free default range for every environment even when each answered range blocks one', () => {
    const answered = ['10.10', '10.20', '10.30', '10.40', '10.50', '10.60', '10.70'].map((p, i) => ({ name: `e${i}`, vpcCidr: `${p}.0.0/16` }));
    expect(ok({ environments: [...answered, 'last'] }).environments.at(-1)!.vpcCidr).toBe('10.80.0.0/16');
  });

  it('accepts adjacent ranges', () => {
    ok({ environments: [{ name: 'dev', vpcCidr: '10.10.0.0/20' }, { name: 'prod', vpcCidr: '10.10.16.0/20' }] });
  });
});

describe('environments[].clusterPublicAccessCidrs', () => {
  it('accepts public CIDRs', () => {
    expect(ok(env({ clusterPublicAccessCidrs: ['203.0.113.0/24', '198.51.100.7/32'] })).environments[0].clusterPublicAccessCidrs).toEqual([
      '203.0.113.0/24',
      '198.51.100.7/32',
    ]);
  });

  it('rejects host bits set', () => {
    expectIssue(env({ clusterPublicAccessCidrs: ['203.0.113.5/24'] }), 'environments[0].clusterPublicAccessCidrs[0]', '"203.0.113.5/24"', 'Use the network address: 203.0.113.0/24');
  });

  it('rejects a malformed CIDR', () => {
    expectIssue(env({ clusterPublicAccessCidrs: ['my office'] }), 'environments[0].clusterPublicAccessCidrs[0]', '"my office" is not an IPv4 CIDR', 'e.g. 203.0.113.0/24');
  });

  it.each(['0.0.0.0/0', '0.0.0.0/1', '128.0.0.0/1', '0.0.0.0/4', '10.0.0.0/7'])('rejects %s: it opens the API to the internet', (cidr) => {
    expectIssue(
      env({ clusterPublicAccessCidrs: [cidr] }),
      'environments[0].clusterPublicAccessCidrs[0]',
      `"${cidr}" opens the Kubernetes API to`,
      'internet',
      'Use your office or VPN ranges (e.g. 203.0.113.0/24), or none for a private-only endpoint',
    );
  });

  it('rejects 10.0.0.0/4 (a /4, and with host bits set)', () => {
    expectIssue(env({ clusterPublicAccessCidrs: ['10.0.0.0/4'] }), 'environments[0].clusterPublicAccessCidrs[0]', '"10.0.0.0/4"');
  });

  it.each(['10.0.0.0/8', '11.0.0.0/8', '203.0.0.0/8'])('accepts the /8 %s (the largest range allowed)', (cidr) => {
    expect(ok(env({ clusterPublicAccessCidrs: [cidr] })).environments[0].clusterPublicAccessCidrs).toEqual([cidr]);
  });

  it('reports a too-large range at its own index', () => {
    expectIssue(env({ clusterPublicAccessCidrs: ['203.0.113.0/24', '0.0.0.0/0'] }), 'environments[0].clusterPublicAccessCidrs[1]', '"0.0.0.0/0" opens the Kubernetes API');
  });

  it('rejects a single CIDR instead of a list', () => {
    expectIssue(env({ clusterPublicAccessCidrs: '203.0.113.0/24' }), 'environments[0].clusterPublicAccessCidrs', 'expected a list of CIDRs, got "203.0.113.0/24"');
  });
});

describe('environments[].logRetentionDays', () => {
  const fix = `Use one of: ${LOG_RETENTION_DAYS.join(', ')}.`;

  it('lists the retention periods CloudWatch Logs accepts, from 1 day to 10 years', () => {
    expect(fix).toBe('Use one of: 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653.');
  });

  it.each(LOG_RETENTION_DAYS)('accepts %i', (logRetentionDays) => {
    expect(ok(env({ logRetentionDays })).environments[0].logRetentionDays).toBe(logRetentionDays);
  });

  it('defaults by tier, whether the tier is inferred or given', () => {
    const environments = ok({
      environments: ['dev', 'live', { name: 'qa', tier: 'production' }, { name: 'prod', tier: 'non-production' }],
    }).environments;
    expect(environments.map((e) => [e.name, e.logRetentionDays])).toEqual([
      ['dev', 30],
      ['live', 365],
      ['qa', 365],
      ['prod', 30],
    ]);
  });

  it('overrides the tier default either way', () => {
    const [dev, prod] = ok({ environments: [{ name: 'dev', logRetentionDays: 3653 }, { name: 'prod', logRetentionDays: 7 }] }).environments;
    expect(dev.logRetentionDays).toBe(3653);
    expect(prod.logRetentionDays).toBe(7);
    expect(prod.tier).toBe('production');
  });

  it.each([31, 0, -1, 2, 30.5, 3654, 10000])('rejects %d', (logRetentionDays) => {
    expectIssue(env({ logRetentionDays }), 'environments[0].logRetentionDays', `${logRetentionDays} is not a valid CloudWatch Logs retention (days)`, fix);
  });

  it.each([
    ['the text "30"', '30', '"30"'],
    ['null', null, 'null'],
    ['a list', [30], '[30]'],
  ])('rejects %s', (_, logRetentionDays, shown) => {
    expectIssue(env({ logRetentionDays }), 'environments[0].logRetentionDays', `expected a number of CloudWatch Logs retention (days), got ${shown}`);
  });

  it('reports the bad value on its own environment', () => {
    expectIssue({ environments: ['dev', { name: 'prod', logRetentionDays: 31 }] }, 'environments[1].logRetentionDays', '31 is not a valid', fix);
  });
});

describe('environments[].availabilityZones', () => {
  it('rejects more zones than the region has', () => {
    expectIssue(env({ availabilityZones: 4 }), 'environments[0].availabilityZones', 'eu-west-1 has 3 usable availability zones', 'Use at most 3');
  });

  it('checks the count against the chosen region', () => {
    expectIssue({ aws: { region: 'us-west-2' }, ...env({ availabilityZones: 5 }) }, 'environments[0].availabilityZones', 'us-west-2 has 4 usable availability zones', 'Use at most 4');
  });

  it('rejects fewer than 2 zones', () => {
    expectIssue(env({ availabilityZones: 1 }), 'environments[0].availabilityZones', 'use at least 2 availability zones (EKS needs two)');
  });
});

describe('environments[].nodes', () => {
  it.each(INSTANCE_TYPES)('accepts the instance type %s', (type) => {
    expect(ok(env({ nodes: { instanceTypes: [type] } })).environments[0].nodes.instanceTypes).toEqual([type]);
  });

  it.each([
    ['min > desired', { minSize: 3, desiredSize: 2 }, 'got 3 <= 2 <= 5'],
    ['desired > max', { desiredSize: 6, maxSize: 5 }, 'got 1 <= 6 <= 5'],
    ['default desired > max', { maxSize: 1 }, 'got 1 <= 2 <= 1'],
  ])('rejects %s', (_, nodes, shown) => {
    expectIssue(env({ nodes }), 'environments[0].nodes', 'needs minSize <= desiredSize <= maxSize', shown, 'Adjust the sizes');
  });

  it('accepts min = desired = max', () => {
    expect(ok(env({ nodes: { minSize: 4, desiredSize: 4, maxSize: 4 } })).environments[0].nodes.desiredSize).toBe(4);
  });

  it('rejects an instance type listed twice', () => {
    expectIssue(env({ nodes: { instanceTypes: ['t3.large', 't3.large'] } }), 'environments[0].nodes.instanceTypes', 'lists t3.large twice', 'Remove the duplicate');
  });

  it('rejects an empty instance type list', () => {
    expectIssue(env({ nodes: { instanceTypes: [] } }), 'environments[0].nodes.instanceTypes', 'give at least one instance type');
  });

  it('rejects a disk under 20 GiB', () => {
    expectIssue(env({ nodes: { diskSizeGiB: 10 } }), 'environments[0].nodes.diskSizeGiB', 'use at least 20 GiB');
  });
});

describe('services', () => {
  it.each([[['api']], [['api', 'order-worker']], [[]], [['ab', 'a'.repeat(40)]]])('accepts %j', (services) => {
    expect(ok({ services }).services.map((s) => s.name)).toEqual(services);
  });

  it('accepts service objects and fills in language and port', () => {
    expect(ok({ services: [{ name: 'api', language: 'node', port: 3000 }, { name: 'worker', language: 'go' }, 'web'] }).services.map(({ name, language, port }) => ({ name, language, port }))).toEqual([
      { name: 'api', language: 'node', port: 3000 },
      { name: 'worker', language: 'go', port: 8080 },
      { name: 'web', language: 'generic', port: 8080 },
    ]);
  });

  it('merges a tier given in part with the tier defaults', () => {
    const [api] = ok({ services: [{ name: 'api', tiers: { production: { maxReplicas: 20 } } }] }).services;
    expect(api.tiers.production).toEqual({ ...SERVICE_TIER_DEFAULTS.production, maxReplicas: 20 });
    expect(api.tiers['non-production']).toEqual(SERVICE_TIER_DEFAULTS['non-production']);
  });

  it.each([
    ['uppercase', 'Api'],
    ['leading digit', '1api'],
    ['trailing dash', 'api-'],
    ['double dash', 'order--worker'],
    ['too short', 'a'],
    ['too long (41)', 'a'.repeat(41)],
  ])('rejects a service name with %s', (_, name) => {
    expectIssue({ services: ['api', name] }, 'services[1]', `"${name}"`, 'Use 2-40 lowercase letters, digits and single dashes', 'e.g. api, order-worker');
  });

  it('rejects an invalid name in a service object at its name field', () => {
    expectIssue({ services: [{ name: 'Order_Worker' }] }, 'services[0].name', '"Order_Worker"', 'Use 2-40 lowercase letters');
  });

  it('rejects duplicate service names', () => {
    expectIssue({ services: ['api', 'worker', { name: 'api', port: 3000 }] }, 'services', '"api" is listed twice', 'Give each service a unique name');
  });

  it('rejects a port out of range', () => {
    expectIssue({ services: [{ name: 'api', port: 0 }] }, 'services[0].port', 'use a port from 1 to 65535');
    expectIssue({ services: [{ name: 'api', port: 70000 }] }, 'services[0].port', 'use a port from 1 to 65535');
  });
});

describe('supportingServices', () => {
  it('accepts a subset and sorts it into catalogue order', () => {
    expect(ok({ supportingServices: ['grafana', 'redis', 'cert-manager'] }).supportingServices).toEqual(['redis', 'cert-manager', 'grafana']);
  });

  it('accepts none', () => {
    expect(ok({ supportingServices: [] }).supportingServices).toEqual([]);
  });

  it.each(['hydra', 'keto', 'kratos'])('accepts %s with postgresql (and cert-manager, which postgresql needs)', (svc) => {
    expect(ok({ supportingServices: [svc, 'cert-manager', 'postgresql'] }).supportingServices).toEqual(['postgresql', 'cert-manager', svc]);
  });

  it('refuses postgresql without cert-manager: the Barman Cloud plugin needs its certificates', () => {
    expectIssue({ supportingServices: ['postgresql'] }, 'supportingServices', 'postgresql needs cert-manager', 'Add cert-manager, or remove postgresql');
  });

  it.each(['mysql', 'Redis', 'ingress-nginx', 'vault'])('rejects the unknown service %s', (svc) => {
    expectIssue({ supportingServices: ['postgresql', svc] }, 'supportingServices[1]', `"${svc}" is not a known supporting service`, 'Use one of: postgresql, redis, nginx');
  });

  it('rejects a duplicate', () => {
    expectIssue({ supportingServices: ['redis', 'nginx', 'redis'] }, 'supportingServices', '"redis" is listed twice', 'List each supporting service once');
  });

  it.each(['hydra', 'keto', 'kratos'])('rejects %s without postgresql', (svc) => {
    expectIssue({ supportingServices: ['redis', svc] }, 'supportingServices', `${svc} needs postgresql`, `Add postgresql, or remove ${svc}`);
  });

  it('reports every ORY service missing postgresql', () => {
    const issues = issuesOf({ supportingServices: ['hydra', 'keto', 'kratos'] });
    expect(issues.map((i) => i.message)).toEqual([
      'hydra needs postgresql. Add postgresql, or remove hydra.',
      'keto needs postgresql. Add postgresql, or remove keto.',
      'kratos needs postgresql. Add postgresql, or remove kratos.',
    ]);
  });
});

describe('domain', () => {
  it.each(['acme.example.com', 'example.io', 'a-b.c-d.example.co.uk', 'x1.dev'])('accepts %s', (domain) => {
    expect(ok({ domain }).domain).toBe(domain);
  });

  it('strips a trailing dot (and surrounding space)', () => {
    expect(ok({ domain: 'acme.example.com.' }).domain).toBe('acme.example.com');
    expect(ok({ domain: ' acme.example.com ' }).domain).toBe('acme.example.com');
    expect(ok({ domain: 'acme.example.com.' }).certificateEmail).toBe('platform@acme.example.com');
  });

  it.each([
    ['a scheme', 'https://acme.example.com'],
    ['a path', 'acme.example.com/app'],
    ['a single label', 'localhost'],
    ['uppercase', 'Acme.Example.com'],
    ['a label ending in a dash', 'acme-.example.com'],
    ['a label starting with a dash', '-acme.example.com'],
    ['a numeric top-level label', 'acme.example.123'],
    ['a port', 'acme.example.com:443'],
  ])('rejects %s: %s', (_, domain) => {
    expectIssue({ domain }, 'domain', `"${domain}"`, 'Use a lowercase DNS name with at least two labels, without scheme or path', 'e.g. acme.example.com');
  });
});

describe('certificateEmail', () => {
  it.each(['platform@acme.example.com', 'ops+certs@example.io', 'first.last@example.com'])('accepts %s', (certificateEmail) => {
    expect(ok({ certificateEmail }).certificateEmail).toBe(certificateEmail);
  });

  it.each(['not-an-email', 'ops@', '@example.com', 'ops@example', 'ops example.com'])('rejects %s', (certificateEmail) => {
    expectIssue({ certificateEmail }, 'certificateEmail', `"${certificateEmail}" is not an email address`, 'Use e.g. platform@acme.example.com');
  });
});

describe('github', () => {
  it.each(['acme', 'Acme-Corp', 'a', 'a1', 'a'.repeat(39)])('accepts the owner %s', (owner) => {
    expect(ok({ github: { owner } }).github.owner).toBe(owner);
  });

  it.each([
    ['a leading dash', '-acme'],
    ['a double dash', 'acme--corp'],
    ['too long (40)', 'a'.repeat(40)],
    ['an underscore', 'acme_corp'],
    ['a URL', 'https://github.com/acme'],
    ['empty', ''],
  ])('rejects an owner with %s', (_, owner) => {
    expectIssue({ github: { owner } }, 'github.owner', `"${owner}"`, 'Use the GitHub user or organisation name', 'at most 39 characters');
  });

  it.each(['acme-platform', 'Platform.Repo', 'my_repo', '.github'])('accepts the repository %s', (repository) => {
    expect(ok({ github: { repository } }).github.repository).toBe(repository);
  });

  it.each([
    ['a URL', 'https://github.com/acme/acme-platform'],
    ['owner/repo', 'acme/acme-platform'],
    ['a space', 'acme platform'],
    ['"."', '.'],
    ['".."', '..'],
    ['empty', ''],
    ['too long (101)', 'a'.repeat(101)],
  ])('rejects a repository with %s', (_, repository) => {
    expectIssue({ github: { repository } }, 'github.repository', `"${repository}"`, 'Use the repository name only', 'not a URL');
  });
});

describe('github.oidcProvider', () => {
  it('defaults to create', () => {
    expect(ok({}).github.oidcProvider).toBe('create');
    expect(ok({ github: { owner: 'shop' } }).github.oidcProvider).toBe('create');
  });

  it.each(['create', 'existing'] as const)('accepts %s', (oidcProvider) => {
    expect(ok({ github: { oidcProvider } }).github).toEqual({ owner: 'acme', repository: 'acme-platform', oidcProvider });
  });

  it.each([
    ['reuse', '"reuse"'],
    ['Create', '"Create"'],
    ['', '""'],
    [true, 'true'],
    [null, 'null'],
  ])('rejects %j', (oidcProvider, shown) => {
    expectIssue({ github: { oidcProvider } }, 'github.oidcProvider', `${shown} is not a known OIDC provider choice`, 'Use one of: create, existing.');
  });
});

describe('kubernetesVersion', () => {
  it.each(catalogue.kubernetes.supported)('accepts %s', (kubernetesVersion) => {
    expect(ok({ kubernetesVersion }).kubernetesVersion).toBe(kubernetesVersion);
  });

  it.each(['1.29', '1.40', 'v1.35', '1.35.0', 'latest'])('rejects %s', (kubernetesVersion) => {
    expectIssue({ kubernetesVersion }, 'kubernetesVersion', `"${kubernetesVersion}" is not a Kubernetes version in EKS standard support`, `Use one of: ${catalogue.kubernetes.supported.join(', ')}`);
  });
});

describe('catalogue.kubernetes', () => {
  const { addons, supported } = catalogue.kubernetes;
  const versions = [...new Set([...supported, catalogue.kubernetes.default])];

  it('supports its default version', () => {
    expect(supported).toContain(catalogue.kubernetes.default);
  });

  it('lists each EKS add-on once', () => {
    expect(new Set(EKS_ADDONS).size).toBe(EKS_ADDONS.length);
  });

  it.each(versions)('pins a version of every EKS add-on for Kubernetes %s', (version) => {
    const pinned = (addons as Record<string, Record<string, string> | undefined>)[version];
    expect(pinned, `no add-on versions for Kubernetes ${version}`).toBeDefined();
    expect(Object.keys(pinned!).sort()).toEqual([...EKS_ADDONS].sort());
    for (const name of EKS_ADDONS) expect(pinned![name], `${name} for ${version}`).toMatch(/^v\d+\.\d+\.\d+-eksbuild\.\d+$/);
  });

  it.each(versions)("pins kube-proxy to Kubernetes %s's minor version", (version) => {
    const kubeProxy = (addons as Record<string, Record<string, string>>)[version]['kube-proxy'];
    expect(kubeProxy.startsWith(`v${version}.`), `kube-proxy ${kubeProxy} for ${version}`).toBe(true);
  });

  it('pins kube-proxy v1.35.x for 1.35', () => {
    expect(addons['1.35']['kube-proxy']).toMatch(/^v1\.35\.\d+-eksbuild\.\d+$/);
  });
});

describe('tags', () => {
  it('accepts tag names and values', () => {
    const tags = { owner: 'team-a', 'cost-center': '42', 'app:tier/role': 'platform', 'a b_c.d=e+f@g': '' };
    expect(ok({ tags }).tags).toEqual(tags);
  });

  it.each(['aws:createdBy', 'aws:'])('rejects the reserved tag name %s', (name) => {
    expectIssue({ tags: { [name]: 'x' } }, `tags.${name}`, `tag name "${name}" is not valid`, 'not starting with "aws:"');
  });

  it.each(['', 'a'.repeat(129), 'owner!', 'team#1'])('rejects the tag name %j', (name) => {
    expectIssue({ tags: { [name]: 'x' } }, `tags.${name}`, `tag name "${name}" is not valid`, 'Use 1-128 letters, digits, spaces');
  });

  it('rejects a non-text value', () => {
    expectIssue({ tags: { owner: 5 } }, 'tags.owner', 'expected a text tag value');
  });

  it('rejects a value over 256 characters', () => {
    expectIssue({ tags: { owner: 'x'.repeat(257) } }, 'tags.owner', 'use at most 256 characters');
  });

  it('rejects a list instead of a map', () => {
    expectIssue({ tags: ['owner'] }, 'tags', 'expected a map of tag names to values, got ["owner"]');
  });
});

describe('owner and costCenter', () => {
  it('become the owner and cost-center tags', () => {
    expect(ok({ owner: 'team-platform', costCenter: 'CC-1234' }).tags).toEqual({ owner: 'team-platform', 'cost-center': 'CC-1234' });
  });

  it('are optional, each on its own', () => {
    expect(ok({}).tags).toEqual({});
    expect(ok({ owner: 'team-a' }).tags).toEqual({ owner: 'team-a' });
    expect(ok({ costCenter: '42' }).tags).toEqual({ 'cost-center': '42' });
  });

  it('override the same-named entries of tags and keep the others', () => {
    expect(ok({ owner: 'team-a', costCenter: '42', tags: { owner: 'someone', 'cost-center': '0', project: 'shop' } }).tags).toEqual({
      owner: 'team-a',
      'cost-center': '42',
      project: 'shop',
    });
  });

  it('leave the tags entries alone when not given', () => {
    expect(ok({ tags: { owner: 'someone', 'cost-center': '0' } }).tags).toEqual({ owner: 'someone', 'cost-center': '0' });
  });

  it.each(['Équipe Données', 'team:a/b=c+d@e_f.g-h', 'x'.repeat(256)])('accept the tag value %s', (value) => {
    expect(ok({ owner: value, costCenter: value }).tags).toEqual({ owner: value, 'cost-center': value });
  });

  describe.each(['owner', 'costCenter'])('%s', (field) => {
    it('rejects a non-text value', () => {
      expectIssue({ [field]: 42 }, field, 'expected a text tag value');
    });

    it('rejects a value over 256 characters', () => {
      expectIssue({ [field]: 'x'.repeat(257) }, field, 'use at most 256 characters');
    });

    it.each(['a,b', 'team#1', 'ops!'])('rejects the value %s', (value) => {
      expectIssue({ [field]: value }, field, `"${value}" is not a valid tag value`, 'Use letters, digits, spaces and _ . : / = + - @.');
    });
  });
});

describe('stateBucket', () => {
  it.each(['my-state', 'abc', 'a'.repeat(63), 'acme-tfstate-123456789012'])('accepts %s', (stateBucket) => {
    expect(ok({ stateBucket }).stateBucket).toBe(stateBucket);
  });

  it.each(['ab', 'a'.repeat(64), 'My-State', 'my_state', 'my-state-', '-my-state', 'xn--state', 'my.state'])('rejects %s', (stateBucket) => {
    expectIssue({ stateBucket }, 'stateBucket', `"${stateBucket}"`, 'Use 3-63 lowercase letters, digits and dashes (an S3 bucket name)');
  });
});

describe('unknown fields', () => {
  const topLevel = 'known fields: name, aws, environments, services, supportingServices, domain, certificateEmail, budget, alerts, dns, github, kubernetesVersion, owner, costCenter, tags, stateBucket.';

  it('rejects an unknown top-level field and lists the known ones', () => {
    expectIssue({ nmae: 'acme' }, '(answers)', 'unknown field "nmae"', 'Remove or rename it', topLevel);
  });

  it('names several unknown fields at once', () => {
    expectIssue({ foo: 1, bar: 2 }, '(answers)', 'unknown fields "foo", "bar"', 'Remove or rename them', topLevel);
  });

  it.each([
    ['aws', { aws: { regoin: 'eu-west-1' } }, 'aws', '"regoin"', 'known fields: region, accountId, adminRoleArns.'],
    ['github', { github: { repo: 'x' } }, 'github', '"repo"', 'known fields: owner, repository, oidcProvider.'],
    [
      'an environment',
      { environments: [{ name: 'dev', natGateway: 'single' }] },
      'environments[0]',
      '"natGateway"',
      'known fields: name, target, tier, profile, vpcCidr, availabilityZones, natGateways, clusterPublicAccessCidrs, logRetentionDays, flowLogRetentionDays, interfaceEndpoints, letsEncrypt, nodes, vpn, budgetUsd.',
    ],
    [
      'nodes',
      { environments: [{ name: 'dev', nodes: { size: 3 } }] },
      'environments[0].nodes',
      '"size"',
      'known fields: instanceTypes, capacityType, minSize, desiredSize, maxSize, diskSizeGiB.',
    ],
    ['a service', { services: [{ name: 'api', image: 'x' }] }, 'services[0]', '"image"', 'known fields: name, language, port, public, callers, env, secretEnv, bucket, tiers.'],
  ])('rejects an unknown field in %s and lists the known ones', (_, input, field, name, known) => {
    expectIssue(input, field, `unknown field ${name}`, 'Remove or rename it', known);
  });

  it('rejects answers that are not an object', () => {
    expectIssue('acme', '(answers)', 'expected an object with fields name, aws,', 'got "acme"');
    expectIssue(null, '(answers)', 'got null');
  });

  it('rejects aws given as a string', () => {
    expectIssue({ aws: 'eu-west-1' }, 'aws', 'expected an object with fields region, accountId, adminRoleArns, got "eu-west-1"');
  });
});

describe('the formatted error', () => {
  const bad = { name: 'Acme', aws: { region: 'eu-west-9', accountId: '123' }, domain: 'localhost', tags: { 'aws:x': 'y' } };

  it('reports every issue at once', () => {
    expect(issuesOf(bad).map((i) => i.field)).toEqual(['name', 'aws.region', 'aws.accountId', 'domain', 'tags.aws:x']);
  });

  it('formatIssues puts each issue on its own line with its field', () => {
    const issues = issuesOf(bad);
    const lines = formatIssues(issues).split('\n');
    expect(lines).toHaveLength(issues.length);
    lines.forEach((line, i) => expect(line).toBe(`  ✖ ${issues[i].field}: ${issues[i].message}`));
  });

  it('resolvePlatform throws an AnswersError listing every issue on its own line', () => {
    let error: unknown;
    try {
      resolvePlatform(bad);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(AnswersError);
    const answersError = error as AnswersError;
    expect(answersError.name).toBe('AnswersError');
    expect(answersError.issues).toEqual(issuesOf(bad));
    const [heading, ...lines] = answersError.message.split('\n');
    expect(heading).toBe('Invalid answers:');
    expect(lines).toEqual([
      expect.stringMatching(/^ {2}✖ name: "Acme" is not valid\. /),
      expect.stringMatching(/^ {2}✖ aws\.region: "eu-west-9" is not a known AWS region/),
      expect.stringMatching(/^ {2}✖ aws\.accountId: "123" is not valid\. /),
      expect.stringMatching(/^ {2}✖ domain: "localhost" is not valid\. /),
      expect.stringMatching(/^ {2}✖ tags\.aws:x: tag name "aws:x" is not valid\. /),
    ]);
  });

  it('lists cross-field issues each on its own line too', () => {
    expect(() =>
      resolvePlatform({
        environments: [{ name: 'dev', vpcCidr: '10.10.0.0/16' }, 'dev', { name: 'prod', vpcCidr: '10.10.0.0/16', nodes: { minSize: 4 } }],
        supportingServices: ['hydra'],
      }),
    ).toThrow(
      [
        'Invalid answers:',
        '  ✖ environments[2].nodes: needs minSize <= desiredSize <= maxSize, got 4 <= 3 <= 10. Adjust the sizes.',
        '  ✖ environments: "dev" is listed twice. Give each environment a unique name.',
        '  ✖ environments[2].vpcCidr: 10.10.0.0/16 overlaps dev\'s 10.10.0.0/16. Give each environment its own range.',
        '  ✖ supportingServices: hydra needs postgresql. Add postgresql, or remove hydra.',
      ].join('\n'),
    );
  });

  it('resolvePlatform returns the platform for valid answers', () => {
    expect(resolvePlatform({ name: 'shop' }).name).toBe('shop');
  });
});

describe('settings inside environment and service objects keep their own field and fix', () => {
  it.each([
    [{ environments: [{ name: 'dev', nodes: { instanceTypes: ['t2.micro'] } }] }, 'environments[0].nodes.instanceTypes[0]', '"t2.micro"', 'Use one of'],
    [{ environments: [{ name: 'dev', tier: 'big' }] }, 'environments[0].tier', '"big"', 'production, non-production'],
    [{ environments: [{ name: 'dev', natGateways: 'many' }] }, 'environments[0].natGateways', '"many"', 'single, per-az'],
    [{ environments: [{ name: 'dev', nodes: { maxSize: 2.5 } }] }, 'environments[0].nodes.maxSize', 'whole number'],
    [{ environments: [{ name: 'dev', availabilityZones: '3' }] }, 'environments[0].availabilityZones', '"3"'],
    [{ environments: [{ tier: 'production' }] }, 'environments[0].name'],
    [{ services: [{ name: 'api', port: '80' }] }, 'services[0].port', '"80"'],
    [{ services: [{ name: 'api', language: 'cobol' }] }, 'services[0].language', '"cobol"', 'node, python, go, generic'],
    [{ environments: [5] }, 'environments[0]', 'name or object'],
  ])('%j', (input, field, ...fragments) => {
    expectIssue(input, field as string, ...(fragments as string[]));
  });

  it('names the duplicated instance type', () => {
    expectIssue({ environments: [{ name: 'dev', nodes: { instanceTypes: ['t3.large', 't3.large'] } }] }, 'environments[0].nodes.instanceTypes', 't3.large twice');
  });

  it('says how many zones were asked for', () => {
    expectIssue({ environments: [{ name: 'dev', availabilityZones: 5 }] }, 'environments[0].availabilityZones', '5 zones asked', 'at most 3');
  });
});

describe('edge cases found in review', () => {
  it('rejects a GitHub owner ending with a dash', () => {
    expectIssue({ github: { owner: 'acme-' } }, 'github.owner', '"acme-"');
  });

  it('rejects the reserved aws: tag prefix in any case', () => {
    expectIssue({ tags: { 'AWS:team': 'x' } }, 'tags.AWS:team', 'not starting with "aws:"');
  });

  it('explains that a Kubernetes version must be quoted in YAML', () => {
    expectIssue({ kubernetesVersion: 1.3 }, 'kubernetesVersion', 'quoted in YAML');
  });
});

describe('AWS naming limits', () => {
  it('rejects tag values with characters AWS does not accept', () => {
    expectIssue({ tags: { team: 'a,b!#' } }, 'tags.team', '"a,b!#"', 'not a valid tag value');
  });

  it.each(['sthree-state', 'amzn-s3-demo-state', 'state-s3alias', 'state--ol-s3'])('rejects the reserved bucket name %s', (stateBucket) => {
    expectIssue({ stateBucket }, 'stateBucket', 'reserves');
  });
});

describe('fixes that are themselves valid', () => {
  it('tells a too-wide public CIDR with host bits that it is too wide, not to use 0.0.0.0/4', () => {
    const issue = expectIssue(env({ clusterPublicAccessCidrs: ['10.0.0.0/4'] }), 'environments[0].clusterPublicAccessCidrs[0]', 'opens the Kubernetes API');
    expect(issue.message).not.toContain('Use the network address');
  });

  it('refuses only the platform own CI roles as admin roles', () => {
    const roles = [
      'arn:aws:iam::999999999999:role/acme-platform-dev-plan', // another account
      'arn:aws:iam::123456789012:role/acme-platform-nope-plan', // not an environment of the platform
      'arn:aws:iam::123456789012:role/team/acme-platform-admin', // not a CI role's name
    ];
    expect(ok({ aws: { adminRoleArns: roles } }).aws.adminRoleArns).toEqual(roles);
    // By name: with or without the CI roles' path (/acme-platform/ci/), it is the same role.
    expectIssue({ aws: { adminRoleArns: ['arn:aws:iam::123456789012:role/acme-platform/ci/acme-platform-shared-apply'] } }, 'aws.adminRoleArns[0]', "platform's own CI roles");
    expectIssue({ aws: { adminRoleArns: ['arn:aws:iam::123456789012:role/acme-platform-shared-apply'] } }, 'aws.adminRoleArns[0]', "platform's own CI roles");
  });

  it('lists the valid retention periods when one is quoted', () => {
    expectIssue(env({ logRetentionDays: '30' }), 'environments[0].logRetentionDays', 'Use one of: 1, 3, 5');
  });
});

/** The issues of answers, each as `field: message`. */
const issues = (answers: AnswersInput) => {
  const result = validateAnswers(answers);
  return result.ok ? [] : result.issues.map((i) => `${i.field}: ${i.message}`);
};

describe('dns', () => {

  it('defaults to no zone, and installs external-dns only with a zone and the Gateway', () => {
    expect(resolvePlatform({}).dns).toEqual({ zone: 'none' });
    expect(resolvePlatform({}).supportingServices).not.toContain('external-dns');
    expect(resolvePlatform({ domain: 'acme.io', dns: { zone: 'create' } }).supportingServices).toContain('external-dns');
    expect(resolvePlatform({ domain: 'acme.io', dns: { zone: 'create' }, supportingServices: ['cert-manager'] }).supportingServices).toEqual(['cert-manager']);
  });

  it('takes a zone id as the console or the CLI shows it', () => {
    expect(resolvePlatform({ domain: 'acme.io', dns: { zone: 'existing', zoneId: '/hostedzone/Z0123456789ABCDEFGHIJ' } }).dns).toEqual({ zone: 'existing', zoneId: 'Z0123456789ABCDEFGHIJ' });
    expect(issues({ domain: 'acme.io', dns: { zone: 'existing', zoneId: 'acme.io' } })[0]).toMatch(/^dns\.zoneId: "acme\.io" is not valid\. Use the id Route 53 shows/);
  });

  it('names the missing or misplaced answer, and how to fix it', () => {
    expect(issues({ domain: 'acme.io', dns: { zone: 'existing' } })).toEqual([
      'dns.zoneId: is needed with zone "existing". Give the id of acme.io\'s hosted zone (`aws route53 list-hosted-zones-by-name --dns-name acme.io`), or set zone: create.',
    ]);
    expect(issues({ domain: 'acme.io', dns: { zone: 'create', zoneId: 'Z0123' } })).toEqual(['dns.zoneId: applies only to zone "existing" (zone is "create"). Remove it, or set zone: existing.']);
    expect(issues({ dns: { zone: 'create' } })).toEqual([
      'domain: is needed with dns.zone "create": the zone is for a domain you own. Set domain (e.g. acme.example.com), or dns.zone: none.',
    ]);
    expect(issues({ dns: { zone: 'route53' as never } })[0]).toMatch(/^dns\.zone: "route53" is not a known DNS zone choice\. Use one of: none, create, existing\./);
  });

  it('refuses external-dns as an answer: the zone decides', () => {
    expect(issues({ supportingServices: ['nginx', 'external-dns' as never] })).toEqual([
      'supportingServices[1]: "external-dns" is not chosen: it is installed when the platform has a DNS zone (`dns.zone` is `create` or `existing`) and the Gateway (`nginx`): it creates the records of the routes. Remove it from supportingServices.',
    ]);
  });
});

describe('budget', () => {

  it('alerts the certificate contact by default, 20% above the estimate, without tag activation or anomaly detection', () => {
    expect(resolvePlatform({ certificateEmail: 'ops@acme.io' }).budget).toEqual({ emails: ['ops@acme.io'], headroomPercent: 20, costAllocationTags: false, anomalyDetection: false });
    expect(resolvePlatform({ domain: 'acme.io' }).budget.emails).toEqual(['platform@acme.io']);
  });

  it('keeps an answered monthly amount per environment', () => {
    const platform = resolvePlatform({ environments: ['dev', { name: 'prod', budgetUsd: 2500 }] });
    expect(platform.environments.map((e) => e.budgetUsd)).toEqual([undefined, 2500]);
  });

  it('names what is wrong with a budget answer, and how to fix it', () => {
    expect(issues({ budget: { emails: [] } })).toEqual(['budget.emails: give at least one address: a budget nobody hears of protects nothing.']);
    expect(issues({ budget: { emails: ['a@acme.io', 'a@acme.io'] } })).toEqual(['budget.emails: lists a@acme.io twice. Remove the duplicate.']);
    expect(issues({ budget: { emails: ['finance'] } })[0]).toMatch(/^budget\.emails\[0\]: "finance" is not an email address/);
    expect(issues({ budget: { headroomPercent: 12.5 } })).toEqual(['budget.headroomPercent: use a whole percentage.']);
    expect(issues({ environments: [{ name: 'dev', budgetUsd: '300' as never }] })).toEqual([
      'environments[0].budgetUsd: expected a monthly amount in US dollars, got "300". Use a whole number, unquoted (e.g. 500).',
    ]);
    expect(issues({ environments: [{ name: 'dev', budgetUsd: 5 }] })).toEqual(['environments[0].budgetUsd: use at least 10 (a month of the smallest environment costs more).']);
  });
});

describe('profile', () => {
  it('lean sets its defaults over the tier, and answers still win', () => {
    const [dev, qa] = resolvePlatform({ environments: [{ name: 'dev', profile: 'lean' }, { name: 'qa', profile: 'lean', natGateways: 'single', nodes: { desiredSize: 2 } }] }).environments;
    expect(dev).toMatchObject({ profile: 'lean', natGateways: 'instance', nodes: { instanceTypes: ['t3a.large', 't3.large'], capacityType: 'spot', minSize: 1, desiredSize: 1, maxSize: 3, diskSizeGiB: 20 } });
    expect(dev.zoneIds).toHaveLength(2);
    expect(qa).toMatchObject({ profile: 'lean', natGateways: 'single', nodes: { desiredSize: 2, maxSize: 3 } });
    expect(resolvePlatform({}).environments.map((e) => e.profile)).toEqual(['standard', 'standard', 'standard']);
  });

  it('refuses lean in production, saying why', () => {
    const result = validateAnswers({ environments: [{ name: 'prod', profile: 'lean' }] });
    expect(result.ok ? [] : result.issues.map((i) => `${i.field}: ${i.message}`)).toEqual([
      'environments[0].profile: lean trades availability for cost (one NAT instance, one node, one zone for the load balancer): not for production. Remove it, or set tier: non-production.',
    ]);
  });
});

describe('vpn', () => {

  it('takes true for the defaults: a client range outside the VPC, one subnet (two in production)', () => {
    const [dev, prod, other] = resolvePlatform({
      environments: [{ name: 'dev', vpn: true }, { name: 'prod', vpn: true }, { name: 'qa', vpcCidr: '10.255.0.0/16', vpn: true }],
    }).environments;
    expect(dev.vpn).toEqual({ clientCidr: '10.255.252.0/22', subnets: 1 });
    expect(prod.vpn).toEqual({ clientCidr: '10.255.252.0/22', subnets: 2 });
    // Its VPC holds the first candidate: the next one.
    expect(other.vpn).toEqual({ clientCidr: '172.31.252.0/22', subnets: 1 });
    expect(resolvePlatform({ environments: [{ name: 'dev', vpn: false }] }).environments[0].vpn).toBeUndefined();
  });

  it('names what is wrong with a VPN answer, and how to fix it', () => {
    expect(issues({ environments: [{ name: 'dev', vpn: { clientCidr: '10.10.0.0/22' } }] })).toEqual([
      "environments[0].vpn.clientCidr: 10.10.0.0/22 overlaps the VPC's 10.10.0.0/16. Use a range outside it, e.g. 10.255.252.0/22.",
    ]);
    expect(issues({ environments: [{ name: 'dev', vpn: { clientCidr: '10.255.0.0/24' } }] })).toEqual([
      'environments[0].vpn.clientCidr: "10.255.0.0/24" is a /24. AWS Client VPN takes a /12 to /22, e.g. 10.255.252.0/22.',
    ]);
    expect(issues({ environments: [{ name: 'dev', vpn: { subnets: 4 } }] })).toEqual(['environments[0].vpn.subnets: 4 subnets asked, but dev has 3 zones. Use at most 3.']);
    expect(issues({ environments: [{ name: 'dev', vpn: { zones: 1 } as never }] })[0]).toMatch(/^environments\[0\]\.vpn: unknown field "zones"/);
  });
});

describe('alerts', () => {
  it('sends alerts nowhere by default; e-mail goes to the budget addresses from alerts@<domain>', () => {
    expect(resolvePlatform({}).alerts).toEqual({ receiver: 'none' });
    expect(resolvePlatform({ domain: 'acme.io', certificateEmail: 'ops@acme.io', alerts: { receiver: 'email', smtpSmarthost: 'smtp.acme.io:587', smtpUsername: 'alerts' } }).alerts).toEqual({
      receiver: 'email',
      emails: ['ops@acme.io'],
      smtpSmarthost: 'smtp.acme.io:587',
      smtpUsername: 'alerts',
      smtpFrom: 'alerts@acme.io',
    });
    expect(resolvePlatform({ alerts: { receiver: 'slack', slackChannel: '#ops' } }).alerts).toEqual({ receiver: 'slack', slackChannel: '#ops' });
  });

  it("names the receiver's missing settings, and refuses another receiver's", () => {
    expect(issues({ alerts: { receiver: 'email' } })).toEqual([
      'alerts.smtpSmarthost: is needed with receiver "email". Set it (e.g. email-smtp.eu-west-1.amazonaws.com:587), or set receiver: none.',
      'alerts.smtpUsername: is needed with receiver "email". Set it (e.g. the user name your SMTP relay gave you), or set receiver: none.',
    ]);
    expect(issues({ alerts: { receiver: 'slack', slackChannel: '#ops', emails: ['a@b.io'] } })).toEqual([
      'alerts.emails: applies only to receiver "email" (receiver is "slack"). Remove it, or set receiver: email.',
    ]);
    expect(issues({ alerts: { slackChannel: '#ops' } })).toEqual(['alerts.slackChannel: applies only to receiver "slack" (receiver is "none"). Remove it, or set receiver: slack.']);
    expect(issues({ supportingServices: ['postgresql', 'cert-manager'], alerts: { receiver: 'slack', slackChannel: '#ops' } })[0]).toMatch(/^alerts\.receiver: sends what Prometheus' rules fire, and prometheus is not installed/);
  });

  it('checks the relay, the channel and the addresses', () => {
    expect(issues({ alerts: { receiver: 'email', smtpSmarthost: 'smtp.acme.io', smtpUsername: 'u' } })[0]).toMatch(/^alerts\.smtpSmarthost: "smtp\.acme\.io" is not valid\. Use the SMTP relay as host:port/);
    expect(issues({ alerts: { receiver: 'email', smtpSmarthost: 'smtp.acme.io:8080', smtpUsername: 'u' } })).toHaveLength(1);
    expect(issues({ alerts: { receiver: 'slack', slackChannel: 'ops' } })[0]).toMatch(/^alerts\.slackChannel: "ops" is not valid\. Use the channel with its #/);
    expect(issues({ alerts: { receiver: 'email', smtpSmarthost: 'smtp.acme.io:587', smtpUsername: 'u', emails: ['a@b.io', 'a@b.io'] } })).toEqual(['alerts.emails: lists a@b.io twice. Remove the duplicate.']);
    expect(issues({ alerts: { receiver: 'pagerduty' as never } })[0]).toMatch(/^alerts\.receiver: "pagerduty" is not a known alert receiver\. Use one of: none, email, slack\./);
  });
});
