import { environmentResources, type AnswersInput } from '@platform-kit/config';
import { helmValuesFiles } from '@platform-kit/projen';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { NAT_INSTANCE_AMI_PARAMETER, NAT_INSTANCE_USER_DATA } from '../src';
import { removeOutdirs, resources, synth, terraformAvailable, validateStacks, type Json } from './support';

/* The lean profile: what its environment's stacks and values hold, next to a standard one. */

afterAll(removeOutdirs);

const ANSWERS: AnswersInput = { environments: [{ name: 'dev', profile: 'lean' }, 'prod'], services: ['api'] };
const bodies = (stack: Json, type: string): Json[] => resources(stack, type).map(([, body]) => body);

describe('a lean dev next to a standard prod', () => {
  const { platform, stacks, dirs } = synth(ANSWERS);
  const network = stacks['dev-network'];
  const [dev, prod] = platform.environments;

  it('routes every private subnet through one NAT instance instead of a NAT gateway', () => {
    expect(resources(network, 'aws_nat_gateway')).toEqual([]);
    const [[instanceId, instance]] = resources(network, 'aws_instance');
    expect(instance).toMatchObject({
      instance_type: 't4g.nano',
      source_dest_check: false,
      associate_public_ip_address: true,
      metadata_options: { http_tokens: 'required', http_put_response_hop_limit: 1 },
      root_block_device: { encrypted: true, volume_type: 'gp3', volume_size: 8 },
      credit_specification: { cpu_credits: 'standard' },
      user_data: NAT_INSTANCE_USER_DATA,
      lifecycle: { ignore_changes: ['ami'] },
    });
    expect(instance.volume_tags).toMatchObject({ platform: 'acme-platform', environment: 'dev' });
    expect(Object.values(network.data.aws_ssm_parameter).map((p: any) => p.name)).toEqual([NAT_INSTANCE_AMI_PARAMETER]);
    const privateRoutes = bodies(network, 'aws_route_table').filter((t) => t.tags.Name.includes('-private-'));
    expect(privateRoutes).toHaveLength(2);
    for (const table of privateRoutes) expect(table.route).toEqual([expect.objectContaining({ cidr_block: '0.0.0.0/0', network_interface_id: `\${aws_instance.${instanceId}.primary_network_interface_id}` })]);
    expect(bodies(network, 'aws_eip').map((e) => e.instance)).toEqual([`\${aws_instance.${instanceId}.id}`]);
    // Its security group takes traffic from the VPC only.
    expect(bodies(network, 'aws_vpc_security_group_ingress_rule').map((r) => r.cidr_ipv4)).toEqual([dev.vpcCidr]);
    expect(environmentResources(platform, dev)).toMatchObject({ natGateways: 0, natInstances: 1, publicIpv4Addresses: 2 });
  });

  it('runs one spot node with address prefixes, and no audit log', () => {
    const cluster = stacks['dev-cluster'];
    expect(bodies(cluster, 'aws_eks_cluster')[0].enabled_cluster_log_types).toEqual(['api', 'authenticator']);
    const cni = bodies(cluster, 'aws_eks_addon').find((a) => a.addon_name === 'vpc-cni')!;
    expect(JSON.parse(cni.configuration_values)).toEqual({ enableNetworkPolicy: 'true', env: { ENABLE_PREFIX_DELEGATION: 'true', WARM_PREFIX_TARGET: '1' } });
    expect(bodies(cluster, 'aws_eks_node_group').reduce((n, g) => n + g.scaling_config.desired_size, 0)).toBe(1);
    // prod is untouched.
    expect(bodies(stacks['prod-cluster'], 'aws_eks_cluster')[0].enabled_cluster_log_types).toEqual(['api', 'audit', 'authenticator']);
    expect(JSON.parse(bodies(stacks['prod-cluster'], 'aws_eks_addon').find((a) => a.addon_name === 'vpc-cni')!.configuration_values)).toEqual({ enableNetworkPolicy: 'true' });
    expect(resources(stacks['prod-network'], 'aws_instance')).toEqual([]);
    expect(prod.profile).toBe('standard');
  });

  it("puts the Gateway's load balancer in the first zone's public subnet", () => {
    const annotations = (env: string) =>
      parse(helmValuesFiles(platform).find((f) => f.environment === env && f.release === 'nginx')!.contents).nginx.service.patches[0].value.metadata.annotations;
    const suffix = dev.zoneIds[0].split('-').pop();
    expect(annotations('dev')['service.beta.kubernetes.io/aws-load-balancer-subnets']).toBe(`acme-platform-dev-public-${suffix}`);
    expect(bodies(network, 'aws_subnet').map((s) => s.tags.Name)).toContain(`acme-platform-dev-public-${suffix}`);
    expect(annotations('prod')['service.beta.kubernetes.io/aws-load-balancer-subnets']).toBeUndefined();
  });

  it.skipIf(!terraformAvailable)('validates with Terraform', async () => {
    const reports = await validateStacks({ 'dev-network': dirs['dev-network'], 'dev-cluster': dirs['dev-cluster'] });
    for (const [stack, result] of Object.entries(reports)) {
      expect(result.diagnostics, stack).toEqual([]);
      expect(result.valid, stack).toBe(true);
    }
  }, 120_000);
});
