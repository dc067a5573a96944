import { formatAddress, parseCidr, vpnEndpointName, vpnLogGroupName, vpnServerName, type Environment, type Platform } from '@platform-kit/config';
import { Construct } from 'constructs';
import { CloudwatchLogGroup, DataAwsAcmCertificate, Ec2ClientVpnAuthorizationRule, Ec2ClientVpnEndpoint, Ec2ClientVpnNetworkAssociation } from './providers/aws';

/** How long a VPN session lasts before the client connects again (AWS allows 8 to 24 hours). */
export const VPN_SESSION_HOURS = 12;

export interface ClientVpnProps {
  readonly platform: Platform;
  readonly environment: Environment;
  readonly vpcId: string;
  /** The private subnets, in zone order: the endpoint is associated with the first `vpn.subnets` of them. */
  readonly privateSubnetIds: string[];
  /**
   * The cluster's security group: the endpoint's network interfaces join it, so that VPN clients reach the private
   * API endpoint and the nodes as the cluster's own members do, and nothing outside the VPC.
   */
  readonly clusterSecurityGroupId: string;
  /** Encrypts the connection log (the cluster's key, whose policy names the VPN's log group). */
  readonly logKeyArn: string;
}

/**
 * AWS Client VPN into an environment's VPC (`environments[].vpn`), for the people who operate it: mutual TLS with
 * certificates from the platform's own CA (made and imported into ACM by scripts/vpn-certificates.sh, outside
 * Terraform: no key in the state), split tunnel (only the VPC's range goes through it), the VPC's DNS resolver (so the
 * private cluster endpoint resolves), every connection logged to CloudWatch Logs.
 */
export class ClientVpn extends Construct {
  readonly endpoint: Ec2ClientVpnEndpoint;

  constructor(scope: Construct, id: string, props: ClientVpnProps) {
    super(scope, id);
    const { platform, environment } = props;
    const vpn = environment.vpn!;
    // Imported by scripts/vpn-certificates.sh; the same CA signs the server and every client, so one ARN serves as
    // both the server certificate and the clients' root.
    const certificate = new DataAwsAcmCertificate(this, 'certificate', { domain: vpnServerName(platform, environment), statuses: ['ISSUED'], mostRecent: true });
    const logs = new CloudwatchLogGroup(this, 'connection-logs', { name: vpnLogGroupName(platform, environment), retentionInDays: environment.logRetentionDays, kmsKeyId: props.logKeyArn });
    const vpc = parseCidr(environment.vpcCidr)!;
    this.endpoint = new Ec2ClientVpnEndpoint(this, 'endpoint', {
      description: `${platform.name} ${environment.name}: operators' access to the VPC`,
      serverCertificateArn: certificate.arn,
      clientCidrBlock: vpn.clientCidr,
      authenticationOptions: [{ type: 'certificate-authentication', rootCertificateChainArn: certificate.arn }],
      splitTunnel: true,
      transportProtocol: 'udp',
      vpnPort: 443,
      // The VPC's own resolver (its base address + 2): the cluster's private endpoint name resolves only there.
      dnsServers: [formatAddress(vpc.address + 2)],
      sessionTimeoutHours: VPN_SESSION_HOURS,
      selfServicePortal: 'disabled',
      vpcId: props.vpcId,
      securityGroupIds: [props.clusterSecurityGroupId],
      connectionLogOptions: { enabled: true, cloudwatchLogGroup: logs.name },
      tags: { Name: vpnEndpointName(platform, environment) },
    });
    props.privateSubnetIds.slice(0, vpn.subnets).forEach((subnetId, i) => {
      new Ec2ClientVpnNetworkAssociation(this, `subnet-${i + 1}`, { clientVpnEndpointId: this.endpoint.id, subnetId });
    });
    new Ec2ClientVpnAuthorizationRule(this, 'vpc', {
      clientVpnEndpointId: this.endpoint.id,
      targetNetworkCidr: environment.vpcCidr,
      // Certificate authentication has no groups: every client with a valid certificate may reach the VPC.
      authorizeAllGroups: true,
      description: 'The VPC',
    });
  }
}
