import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { resolvePlatform, stackNames, type AnswersInput } from '@platform-kit/config';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { planOffline, plannedCounts, removeOutdirs, SERVICES_12, synth, terraformAvailable, validate, validateStacks, type Json } from './support';

/*
 * Real Terraform with the pinned AWS provider, offline: every stack of a matrix of answer sets passes
 * `terraform validate`, and one whole environment (network and cluster) plans with the expected resources.
 */

afterAll(removeOutdirs);

const awsOnly = (stack: Json) => Object.keys(stack.terraform.required_providers).every((p) => p === 'aws');

const MATRIX: [string, AnswersInput][] = [
  ['default answers: three environments, two services', {}],
  [
    'one environment in ap-southeast-2, a /20 VPC, no services',
    {
      name: 'hooli-apac',
      aws: { region: 'ap-southeast-2', accountId: '444455556666' },
      environments: [{ name: 'dev', vpcCidr: '10.0.16.0/20' }],
      services: [],
      supportingServices: ['loki', 'grafana'],
    },
  ],
  [
    'four environments: custom CIDRs, zones, NAT, sizes, public API CIDRs, admin roles, a DNS zone created',
    {
      name: 'umbrella',
      domain: 'umbrella.example.com',
      dns: { zone: 'create' },
      aws: { region: 'us-west-2', accountId: '777788889999', adminRoleArns: ['arn:aws:iam::777788889999:role/PlatformAdmin'] },
      environments: [
        { name: 'dev', vpcCidr: '10.100.0.0/16', availabilityZones: 2, nodes: { instanceTypes: ['t3.medium'], minSize: 0, desiredSize: 1, maxSize: 3 } },
        { name: 'test', vpcCidr: '172.16.0.0/18', natGateways: 'per-az', logRetentionDays: 7 },
        { name: 'staging', vpcCidr: '192.168.0.0/16', tier: 'production', clusterPublicAccessCidrs: ['203.0.113.0/24'] },
        { name: 'prod', vpcCidr: '10.200.0.0/16', availabilityZones: 4, nodes: { capacityType: 'on-demand', diskSizeGiB: 200, maxSize: 30 } },
      ],
      kubernetesVersion: '1.36',
    },
  ],
  [
    'us-east-1, twelve services, existing OIDC provider, Kubernetes 1.34, an existing DNS zone, alerts by e-mail',
    {
      name: 'initech',
      aws: { region: 'us-east-1', accountId: '111122223333' },
      environments: ['dev', 'prod'],
      services: SERVICES_12,
      github: { owner: 'initech', oidcProvider: 'existing' },
      kubernetesVersion: '1.34',
      domain: 'initech.example.com',
      dns: { zone: 'existing', zoneId: 'Z0123456789ABCDEFGHIJ' },
      alerts: { receiver: 'email', smtpSmarthost: 'email-smtp.us-east-1.amazonaws.com:587', smtpUsername: 'alerts' },
    },
  ],
  [
    'eu-central-1, prod only in two zones, custom state bucket, owner and cost center, PostgreSQL and Keto only',
    {
      name: 'globex',
      aws: { region: 'eu-central-1', accountId: '210987654321' },
      environments: [{ name: 'prod', availabilityZones: 2 }],
      stateBucket: 'globex-terraform-state',
      owner: 'platform-team',
      costCenter: 'cc-1234',
      supportingServices: ['postgresql', 'cert-manager', 'keto'],
    },
  ],
];

describe.skipIf(!terraformAvailable)('terraform validate accepts every stack', () => {
  it.each(MATRIX)(
    '%s',
    async (_label, answers) => {
      const { dirs: all, stacks } = synth(answers);
      expect(Object.keys(all).sort()).toEqual(stackNames(resolvePlatform(answers)).sort());
      // The AWS stacks: the provider mirror holds hashicorp/aws only, so the Helm stacks (<env>-services) are
      // checked at synth level (environment.test.ts) instead.
      const dirs = Object.fromEntries(Object.entries(all).filter(([name]) => awsOnly(stacks[name])));
      expect(Object.keys(all).filter((name) => !(name in dirs)).every((name) => name.endsWith('-services'))).toBe(true);
      // The supporting services' AWS side (buckets, Pod Identity roles, write-only secrets) is among them.
      expect(Object.keys(dirs).filter((name) => name.endsWith('-services-aws'))).toHaveLength(resolvePlatform(answers).environments.length);
      const reports = await validateStacks(dirs);
      for (const [stack, report] of Object.entries(reports)) {
        const diagnostics = (report.diagnostics ?? []).map((d: Json) => `${d.severity}: ${d.summary} ${d.detail ?? ''}`).join('\n');
        expect(report.valid, `${stack} is not valid:\n${diagnostics}`).toBe(true);
        expect(report.error_count, `${stack}:\n${diagnostics}`).toBe(0);
      }
    },
    300_000,
  );

  it('rejects a broken stack, alone or among others, and names it (the check can fail)', async () => {
    const { dirs } = synth({ environments: ['dev'], services: [] });
    const file = join(dirs['dev-cluster'], 'cdk.tf.json');
    const stack = JSON.parse(readFileSync(file, 'utf8'));
    // An attribute the provider's schema does not have.
    (Object.values(stack.resource.aws_eks_cluster)[0] as Json).no_such_argument = true;
    writeFileSync(file, JSON.stringify(stack));
    const report = await validate(dirs['dev-cluster']);
    expect(report.valid).toBe(false);
    expect(report.error_count).toBeGreaterThan(0);
    const together = await validateStacks({ 'dev-network': dirs['dev-network'], 'dev-cluster': dirs['dev-cluster'] });
    expect(together['dev-network']).toMatchObject({ valid: true, error_count: 0, diagnostics: [] });
    expect(together['dev-cluster'].valid).toBe(false);
    expect(together['dev-cluster'].diagnostics.map((d: Json) => d.detail).join('\n')).toContain('no_such_argument');
  }, 180_000);
});

describe.skipIf(!terraformAvailable)('an offline terraform plan of the dev environment', () => {
  // Default answers: dev is non-production (single NAT, spot nodes), three zones, two services.
  let network: Record<string, number>;
  let cluster: Record<string, number>;
  let clusterPlan: Json;
  let networkPlan: Json;

  beforeAll(async () => {
    const { dirs, stacks } = synth({});
    for (const name of ['dev-network', 'dev-cluster'])
      expect(JSON.stringify(stacks[name].data ?? {}), `${name} must not use network data sources (they hang offline)`).not.toMatch(
        /aws_availability_zones|aws_caller_identity/,
      );
    networkPlan = await planOffline(dirs['dev-network'], stacks['dev-network']);
    network = plannedCounts(networkPlan);
    clusterPlan = await planOffline(dirs['dev-cluster'], stacks['dev-cluster']);
    cluster = plannedCounts(clusterPlan);
  }, 300_000);

  it('dev-network: a VPC with three zones of public, private and intra subnets, one NAT gateway, an S3 endpoint, flow logs', () => {
    expect(network).toEqual({
      aws_vpc: 1,
      // The environment's cost budget lives with its network.
      aws_budgets_budget: 1,
      aws_default_security_group: 1,
      aws_internet_gateway: 1,
      aws_subnet: 9,
      aws_route_table: 4, // public, and one private table per zone
      aws_route_table_association: 6,
      aws_eip: 1,
      aws_nat_gateway: 1,
      aws_kms_key: 1,
      aws_kms_alias: 1,
      aws_cloudwatch_log_group: 1,
      aws_iam_role: 1,
      aws_iam_role_policy: 1,
      aws_flow_log: 1,
      aws_vpc_endpoint: 1, // S3, a free gateway endpoint
    });
    // Subnets are placed by zone ID, the same physical zone in every account.
    const subnets = networkPlan.resource_changes.filter((c: Json) => c.type === 'aws_subnet').map((c: Json) => c.change.after.availability_zone_id);
    expect([...new Set(subnets)].sort()).toEqual(['euw1-az1', 'euw1-az2', 'euw1-az3']);
  });

  it('dev-cluster: EKS with its keys, logs, roles, access entries, a node group per zone and five add-ons', () => {
    expect(cluster).toEqual({
      aws_kms_key: 2, // secrets and logs, volumes
      aws_kms_alias: 2,
      aws_cloudwatch_log_group: 1,
      aws_iam_role: 4, // cluster, nodes, EBS CSI driver, cluster autoscaler
      aws_iam_role_policy_attachment: 6, // cluster 1, nodes 4, EBS CSI 1
      aws_iam_role_policy: 1, // cluster autoscaler
      aws_eks_cluster: 1,
      aws_eks_access_entry: 2, // the CI apply and plan roles
      aws_eks_access_policy_association: 2,
      aws_launch_template: 1,
      aws_eks_node_group: 3, // one per zone
      aws_eks_addon: 5,
      aws_eks_pod_identity_association: 1,
    });
  });

  it('plans the cluster at the catalogue version in the intra subnets from the network stack', () => {
    const eks = clusterPlan.resource_changes.find((c: Json) => c.type === 'aws_eks_cluster').change.after;
    expect(eks.version).toBe('1.35');
    // The placeholder outputs of the network stack's remote state reached the cluster.
    expect(eks.vpc_config[0].subnet_ids).toHaveLength(3);
    for (const id of eks.vpc_config[0].subnet_ids) expect(id).toMatch(/^subnet-0\d{8}$/);
  });
});
