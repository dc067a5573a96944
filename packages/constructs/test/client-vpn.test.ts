import { environmentResources } from '@platform-kit/config';
import { afterAll, describe, expect, it } from 'vitest';
import { removeOutdirs, resources, synth, terraformAvailable, validate, type Json } from './support';

/* AWS Client VPN into an environment's VPC (environments[].vpn), in its cluster stack. */

afterAll(removeOutdirs);

const bodies = (stack: Json, type: string): Json[] => resources(stack, type).map(([, body]) => body);

describe('a VPN in dev (one subnet) and prod (two), none in staging', () => {
  const { platform, stacks, dirs } = synth({
    domain: 'acme.io',
    environments: [{ name: 'dev', vpn: true }, 'staging', { name: 'prod', vpn: { clientCidr: '172.20.0.0/22' } }],
  });
  const dev = stacks['dev-cluster'];

  it('authenticates with certificates from ACM, found by the server name, never with keys in the state', () => {
    const [certificate] = Object.values<Json>(dev.data.aws_acm_certificate);
    expect(certificate).toMatchObject({ domain: 'vpn.dev.acme.io', statuses: ['ISSUED'], most_recent: true });
    const [endpoint] = bodies(dev, 'aws_ec2_client_vpn_endpoint');
    const arn = `\${data.aws_acm_certificate.${Object.keys(dev.data.aws_acm_certificate)[0]}.arn}`;
    expect(endpoint.server_certificate_arn).toBe(arn);
    expect(endpoint.authentication_options).toEqual([{ type: 'certificate-authentication', root_certificate_chain_arn: arn }]);
    expect(resources(dev, 'aws_acm_certificate')).toEqual([]);
  });

  it("tunnels only the VPC's range, resolves with the VPC's DNS, logs every connection, and joins the cluster's security group", () => {
    const [endpoint] = bodies(dev, 'aws_ec2_client_vpn_endpoint');
    expect(endpoint).toMatchObject({ client_cidr_block: '10.255.252.0/22', split_tunnel: true, transport_protocol: 'udp', vpn_port: 443, session_timeout_hours: 12, self_service_portal: 'disabled' });
    expect(endpoint.dns_servers).toEqual(['10.10.0.2']);
    expect(endpoint.security_group_ids).toEqual([expect.stringMatching(/^\$\{aws_eks_cluster\.\w+\.vpc_config\[0\]\.cluster_security_group_id\}$/)]);
    const [logs] = bodies(dev, 'aws_cloudwatch_log_group').filter((g) => g.name === '/platform/acme-platform-dev/client-vpn');
    expect(endpoint.connection_log_options).toEqual({ enabled: true, cloudwatch_log_group: expect.stringContaining('aws_cloudwatch_log_group.') });
    expect(logs.kms_key_id).toMatch(/aws_kms_key\./);
    // The cluster key's policy lets CloudWatch Logs use it for the VPN's log group too.
    expect(JSON.stringify(dev.data.aws_iam_policy_document)).toContain('log-group:/platform/acme-platform-dev/client-vpn');
    const [rule] = bodies(dev, 'aws_ec2_client_vpn_authorization_rule');
    expect(rule).toMatchObject({ target_network_cidr: '10.10.0.0/16', authorize_all_groups: true });
  });

  it('associates the answered number of private subnets, as the estimate counts', () => {
    for (const e of platform.environments) {
      const associations = bodies(stacks[`${e.name}-cluster`], 'aws_ec2_client_vpn_network_association');
      expect(associations.length, e.name).toBe(environmentResources(platform, e).vpnSubnetAssociations);
    }
    expect(bodies(stacks['prod-cluster'], 'aws_ec2_client_vpn_network_association')).toHaveLength(2);
    expect(bodies(stacks['prod-cluster'], 'aws_ec2_client_vpn_endpoint')[0].client_cidr_block).toBe('172.20.0.0/22');
    expect(resources(stacks['staging-cluster'], 'aws_ec2_client_vpn_endpoint')).toEqual([]);
    expect(dev.output.vpn_endpoint_id.value).toMatch(/aws_ec2_client_vpn_endpoint\./);
  });

  it.skipIf(!terraformAvailable)('validates with Terraform', async () => {
    const result = await validate(dirs['dev-cluster']);
    expect(result.diagnostics).toEqual([]);
    expect(result.valid).toBe(true);
  }, 120_000);
});
