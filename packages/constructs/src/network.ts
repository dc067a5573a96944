import {
  flowLogAggregationSeconds,
  INTERFACE_ENDPOINT_SERVICES,
  NAT_INSTANCE_ROOT_GIB,
  publicSubnetName,
  subnetPlan,
  zoneSuffix,
  type Environment,
  type Platform,
} from '@platform-kit/config';
import { Construct } from 'constructs';
import { EncryptionKey } from './encryption-key';
import { Role, serviceTrust } from './iam';
import { platformTags } from './platform-stack';
import { CloudwatchLogGroup, DataAwsSsmParameter, DefaultSecurityGroup, Eip, FlowLog, Instance, InternetGateway, NatGateway, RouteTable, RouteTableAssociation, SecurityGroup, Subnet, Vpc, VpcEndpoint, VpcSecurityGroupEgressRule, VpcSecurityGroupIngressRule } from './providers/aws';

/** The NAT instance's image: the latest Amazon Linux 2023 for arm64 (t4g), from AWS's public SSM parameter. */
export const NAT_INSTANCE_AMI_PARAMETER = '/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64';
export const NAT_INSTANCE_TYPE = 't4g.nano';

/**
 * Turns an Amazon Linux 2023 instance into a NAT instance (AWS's "Create a NAT AMI" steps, as aws-cdk's
 * NatInstanceProviderV2 runs them): forward IPv4, masquerade what leaves through the default interface.
 */
export const NAT_INSTANCE_USER_DATA = [
  '#!/bin/bash',
  'set -euo pipefail',
  // The package repositories are on the internet: retry until the instance's public address works.
  'until dnf install -y iptables-services; do sleep 5; done',
  'systemctl enable --now iptables',
  'echo "net.ipv4.ip_forward=1" > /etc/sysctl.d/90-nat.conf',
  'sysctl -p /etc/sysctl.d/90-nat.conf',
  'iptables -t nat -A POSTROUTING -o "$(ip route show default | awk \'{print $5}\')" -j MASQUERADE',
  'iptables -F FORWARD',
  'service iptables save',
  '',
].join('\n');

export interface NetworkProps {
  readonly platform: Platform;
  /** ARN of the environment's permissions boundary: every IAM role created here carries it. */
  readonly permissionsBoundary: string;
  readonly environment: Environment;
  /** Name of the environment's EKS cluster: tags the subnets its load balancers and nodes use. */
  readonly clusterName: string;
}

/** The subnets of one availability zone, by its zone ID. */
export interface NetworkZone {
  readonly zoneId: string;
  readonly public: Subnet;
  readonly private: Subnet;
  readonly intra: Subnet;
}

/**
 * An environment's VPC: per availability zone (placed by zone ID) a public, a private and an intra subnet
 * (subnetPlan() of @platform-kit/config); NAT gateways per the environment's strategy; a free S3 gateway endpoint
 * and, when answered, interface endpoints for ECR and STS; subnet tags for the AWS load balancer integrations; the
 * default security group emptied; flow logs of all traffic to an encrypted log group.
 */
export class Network extends Construct {
  readonly vpc: Vpc;
  readonly zones: NetworkZone[] = [];
  readonly publicSubnets: Subnet[] = [];
  readonly privateSubnets: Subnet[] = [];
  readonly intraSubnets: Subnet[] = [];
  readonly natGateways: NatGateway[] = [];
  /** With `natGateways: instance`: the NAT instance every private subnet routes through. */
  natInstance?: Instance;
  readonly privateRouteTables: RouteTable[] = [];
  readonly endpoints: VpcEndpoint[] = [];
  private readonly boundary: string;

  constructor(scope: Construct, id: string, props: NetworkProps) {
    super(scope, id);
    const { platform, environment, clusterName: name } = props;
    this.boundary = props.permissionsBoundary;

    this.vpc = new Vpc(this, 'vpc', {
      cidrBlock: environment.vpcCidr,
      enableDnsHostnames: true,
      enableDnsSupport: true,
      tags: { Name: name },
    });
    // Nothing may use the default security group: strip its allow-all rules (CIS AWS 5.4).
    new DefaultSecurityGroup(this, 'default-security-group', { vpcId: this.vpc.id, tags: { Name: `${name}-default-unused` } });

    const igw = new InternetGateway(this, 'igw', { vpcId: this.vpc.id, tags: { Name: name } });
    const publicRoutes = new RouteTable(this, 'public-routes', {
      vpcId: this.vpc.id,
      route: [{ cidrBlock: '0.0.0.0/0', gatewayId: igw.id }],
      tags: { Name: `${name}-public` },
    });

    const plan = subnetPlan(environment);
    // Ids and names end in the zone ID's own suffix (az1, az2, ...): unique within a region.
    plan.forEach((zone, i) => {
      const suffix = zoneSuffix(zone.zoneId);
      const pub = new Subnet(this, `public-${suffix}`, {
        vpcId: this.vpc.id,
        availabilityZoneId: zone.zoneId,
        cidrBlock: zone.public,
        // Load balancers get public addresses; instances launched here do not.
        mapPublicIpOnLaunch: false,
        tags: { Name: publicSubnetName(platform, environment, zone.zoneId), 'kubernetes.io/role/elb': '1' },
      });
      new RouteTableAssociation(this, `public-${suffix}-routes`, { subnetId: pub.id, routeTableId: publicRoutes.id });
      this.publicSubnets.push(pub);

      const priv = new Subnet(this, `private-${suffix}`, {
        vpcId: this.vpc.id,
        availabilityZoneId: zone.zoneId,
        cidrBlock: zone.private,
        tags: { Name: `${name}-private-${suffix}`, 'kubernetes.io/role/internal-elb': '1', [`kubernetes.io/cluster/${name}`]: 'shared' },
      });
      const intra = new Subnet(this, `intra-${suffix}`, {
        vpcId: this.vpc.id,
        availabilityZoneId: zone.zoneId,
        cidrBlock: zone.intra,
        tags: { Name: `${name}-intra-${suffix}` },
      });
      this.privateSubnets.push(priv);
      this.intraSubnets.push(intra);
      this.zones.push({ zoneId: zone.zoneId, public: pub, private: priv, intra });

      // single: one NAT gateway in the first zone for the whole VPC (cheaper; an outage of that zone cuts
      // egress everywhere). per-az: one per zone, so that a zone's egress does not depend on another zone.
      // instance: one NAT instance in the first zone (cheapest; see natInstance()).
      if (environment.natGateways === 'instance') {
        if (i === 0) this.natInstance = this.natInstanceIn(props, pub, suffix);
      } else if (environment.natGateways === 'per-az' || i === 0) {
        const eip = new Eip(this, `nat-${suffix}-ip`, { domain: 'vpc', tags: { Name: `${name}-nat-${suffix}` } });
        this.natGateways.push(
          new NatGateway(this, `nat-${suffix}`, {
            allocationId: eip.allocationId,
            subnetId: pub.id,
            tags: { Name: `${name}-nat-${suffix}` },
            dependsOn: [igw],
          }),
        );
      }
    });

    plan.forEach((zone, i) => {
      const suffix = zoneSuffix(zone.zoneId);
      const nat = this.natInstance ? { networkInterfaceId: this.natInstance.primaryNetworkInterfaceId } : { natGatewayId: this.natGateways[Math.min(i, this.natGateways.length - 1)].id };
      const privateRoutes = new RouteTable(this, `private-${suffix}-routes`, {
        vpcId: this.vpc.id,
        route: [{ cidrBlock: '0.0.0.0/0', ...nat }],
        tags: { Name: `${name}-private-${suffix}` },
      });
      new RouteTableAssociation(this, `private-${suffix}-association`, { subnetId: this.privateSubnets[i].id, routeTableId: privateRoutes.id });
      this.privateRouteTables.push(privateRoutes);
    });
    // Intra subnets keep the VPC's main route table: local routes only.

    this.endpointsFor(platform, environment, name);
    this.flowLogs(platform, environment, name);
  }

  /**
   * A NAT instance (`natGateways: instance`, the lean profile's default): a t4g.nano on Amazon Linux 2023 in a public
   * subnet, with an Elastic IP, forwarding what the VPC sends out. About a tenth of a NAT gateway's price, but one
   * instance: if it stops, private subnets lose egress until it is back (EC2 auto-recovery restarts it on a host
   * failure), its bandwidth is a burstable instance's, and a new image means replacing it (its `ami` is ignored
   * after creation: `terraform apply -replace` takes the latest). No SSH key, no instance role, IMDSv2 only.
   */
  private natInstanceIn(props: NetworkProps, subnet: Subnet, suffix: string): Instance {
    const { environment, clusterName: name } = props;
    const group = new SecurityGroup(this, 'nat-security-group', {
      name: `${name}-nat`,
      description: `The NAT instance of ${name}: forwards traffic from the VPC to the internet`,
      vpcId: this.vpc.id,
      tags: { Name: `${name}-nat` },
    });
    new VpcSecurityGroupIngressRule(this, 'nat-from-vpc', { securityGroupId: group.id, description: 'Anything from the VPC, to forward', cidrIpv4: environment.vpcCidr, ipProtocol: '-1' });
    new VpcSecurityGroupEgressRule(this, 'nat-to-internet', { securityGroupId: group.id, description: 'Forwarded traffic to the internet', cidrIpv4: '0.0.0.0/0', ipProtocol: '-1' });
    const image = new DataAwsSsmParameter(this, 'nat-image', { name: NAT_INSTANCE_AMI_PARAMETER });
    const tags = { Name: `${name}-nat-${suffix}` };
    const instance = new Instance(this, `nat-instance-${suffix}`, {
      ami: image.value,
      instanceType: NAT_INSTANCE_TYPE,
      subnetId: subnet.id,
      vpcSecurityGroupIds: [group.id],
      // A public address from the start: its user data installs a package from the internet. The Elastic IP takes
      // over once associated, and stays the VPC's fixed egress address.
      associatePublicIpAddress: true,
      // It forwards other hosts' packets.
      sourceDestCheck: false,
      userData: NAT_INSTANCE_USER_DATA,
      userDataReplaceOnChange: true,
      metadataOptions: { httpEndpoint: 'enabled', httpTokens: 'required', httpPutResponseHopLimit: 1 },
      rootBlockDevice: { volumeType: 'gp3', volumeSize: NAT_INSTANCE_ROOT_GIB, encrypted: true, deleteOnTermination: true },
      // Standard credits: a busy instance slows down instead of billing for unlimited bursts.
      creditSpecification: { cpuCredits: 'standard' },
      tags,
      // Launched with the environment's tags on its volume too (default tags reach only the instance).
      volumeTags: { ...platformTags(props.platform), environment: environment.name, ...tags },
      lifecycle: { ignoreChanges: ['ami'] },
    });
    new Eip(this, `nat-${suffix}-ip`, { domain: 'vpc', instance: instance.id, tags });
    return instance;
  }

  /**
   * S3 through a gateway endpoint (free): Loki's chunks, backups, image layers (ECR stores them in S3) and state
   * traffic from the nodes skip the NAT gateways, which bill per GB. With `interfaceEndpoints`, ECR's API and
   * registry and STS get interface endpoints in every zone too (billed per zone-hour), reachable on 443 from the VPC.
   */
  private endpointsFor(platform: Platform, environment: Environment, name: string): void {
    const { region } = platform.aws;
    this.endpoints.push(
      new VpcEndpoint(this, 's3-endpoint', {
        vpcId: this.vpc.id,
        serviceName: `com.amazonaws.${region}.s3`,
        vpcEndpointType: 'Gateway',
        routeTableIds: this.privateRouteTables.map((t) => t.id),
        tags: { Name: `${name}-s3` },
      }),
    );
    if (!environment.interfaceEndpoints) return;
    const group = new SecurityGroup(this, 'endpoints-security-group', {
      name: `${name}-endpoints`,
      description: `HTTPS from the VPC of ${name} to its interface endpoints`,
      vpcId: this.vpc.id,
      tags: { Name: `${name}-endpoints` },
    });
    new VpcSecurityGroupIngressRule(this, 'endpoints-https', {
      securityGroupId: group.id,
      description: 'HTTPS from the VPC',
      cidrIpv4: environment.vpcCidr,
      ipProtocol: 'tcp',
      fromPort: 443,
      toPort: 443,
    });
    for (const service of INTERFACE_ENDPOINT_SERVICES)
      this.endpoints.push(
        new VpcEndpoint(this, `${service.replace('.', '-')}-endpoint`, {
          vpcId: this.vpc.id,
          serviceName: `com.amazonaws.${region}.${service}`,
          vpcEndpointType: 'Interface',
          subnetIds: this.privateSubnets.map((s) => s.id),
          securityGroupIds: [group.id],
          privateDnsEnabled: true,
          tags: { Name: `${name}-${service}` },
        }),
      );
  }

  private flowLogs(platform: Platform, environment: Environment, name: string): void {
    const { accountId, region } = platform.aws;
    const logGroupName = `/platform/${name}/vpc-flow-logs`;
    const logGroupArn = `arn:aws:logs:${region}:${accountId}:log-group:${logGroupName}`;
    const key = new EncryptionKey(this, 'logs-key', {
      alias: `alias/${name}-network-logs`,
      description: `Encrypts the VPC flow logs of ${name}`,
      accountId,
      region,
      logGroupArns: [logGroupArn],
    });
    const logGroup = new CloudwatchLogGroup(this, 'flow-logs', {
      name: logGroupName,
      retentionInDays: environment.flowLogRetentionDays,
      kmsKeyId: key.arn,
    });
    const role = new Role(this, 'flow-logs-role', {
      permissionsBoundary: this.boundary,
      name: `${name}-vpc-flow-logs`,
      description: `Delivers the VPC flow logs of ${name} to CloudWatch Logs`,
      trust: serviceTrust('vpc-flow-logs.amazonaws.com', accountId),
      statements: [
        { actions: ['logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'], resources: [`${logGroupArn}:*`] },
        { actions: ['logs:DescribeLogGroups'], resources: [`arn:aws:logs:${region}:${accountId}:log-group:*`] },
      ],
    });
    new FlowLog(this, 'flow-log', {
      vpcId: this.vpc.id,
      trafficType: 'ALL',
      logDestinationType: 'cloud-watch-logs',
      logDestination: logGroup.arn,
      iamRoleArn: role.arn,
      maxAggregationInterval: flowLogAggregationSeconds(environment),
      tags: { Name: name },
    });
  }
}
