import { subnetPlan, type Environment, type Platform } from '@platform-kit/config';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { DefaultSecurityGroup } from '@cdktf/provider-aws/lib/default-security-group';
import { Eip } from '@cdktf/provider-aws/lib/eip';
import { FlowLog } from '@cdktf/provider-aws/lib/flow-log';
import { InternetGateway } from '@cdktf/provider-aws/lib/internet-gateway';
import { NatGateway } from '@cdktf/provider-aws/lib/nat-gateway';
import { RouteTable } from '@cdktf/provider-aws/lib/route-table';
import { RouteTableAssociation } from '@cdktf/provider-aws/lib/route-table-association';
import { Subnet } from '@cdktf/provider-aws/lib/subnet';
import { Vpc } from '@cdktf/provider-aws/lib/vpc';
import { Construct } from 'constructs';
import { EncryptionKey } from './encryption-key';
import { Role, serviceTrust } from './iam';

export interface NetworkProps {
  readonly platform: Platform;
  /** ARN of the environment's permissions boundary: every IAM role created here carries it. */
  readonly permissionsBoundary: string;
  readonly environment: Environment;
  /** Name of the environment's EKS cluster: tags the subnets its load balancers and nodes use. */
  readonly clusterName: string;
}

/**
 * An environment's VPC: per availability zone a public, a private and an intra subnet (subnetPlan() of
 * @platform-kit/config); NAT gateways per the environment's strategy; subnet tags for the AWS load balancer
 * integrations; the default security group emptied; flow logs of all traffic to an encrypted log group.
 */
export class Network extends Construct {
  readonly vpc: Vpc;
  readonly publicSubnets: Subnet[] = [];
  readonly privateSubnets: Subnet[] = [];
  readonly intraSubnets: Subnet[] = [];
  readonly natGateways: NatGateway[] = [];
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
    plan.forEach((zone, i) => {
      const suffix = zone.zone.slice(-1);
      const pub = new Subnet(this, `public-${suffix}`, {
        vpcId: this.vpc.id,
        availabilityZone: zone.zone,
        cidrBlock: zone.public,
        // Load balancers get public addresses; instances launched here do not.
        mapPublicIpOnLaunch: false,
        tags: { Name: `${name}-public-${suffix}`, 'kubernetes.io/role/elb': '1' },
      });
      new RouteTableAssociation(this, `public-${suffix}-routes`, { subnetId: pub.id, routeTableId: publicRoutes.id });
      this.publicSubnets.push(pub);

      this.privateSubnets.push(
        new Subnet(this, `private-${suffix}`, {
          vpcId: this.vpc.id,
          availabilityZone: zone.zone,
          cidrBlock: zone.private,
          tags: { Name: `${name}-private-${suffix}`, 'kubernetes.io/role/internal-elb': '1', [`kubernetes.io/cluster/${name}`]: 'shared' },
        }),
      );
      this.intraSubnets.push(
        new Subnet(this, `intra-${suffix}`, {
          vpcId: this.vpc.id,
          availabilityZone: zone.zone,
          cidrBlock: zone.intra,
          tags: { Name: `${name}-intra-${suffix}` },
        }),
      );

      // single: one NAT gateway in the first zone for the whole VPC (cheaper; an outage of that zone cuts
      // egress everywhere). per-az: one per zone, so that a zone's egress does not depend on another zone.
      if (environment.natGateways === 'per-az' || i === 0) {
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
      const suffix = zone.zone.slice(-1);
      const nat = this.natGateways[Math.min(i, this.natGateways.length - 1)];
      const privateRoutes = new RouteTable(this, `private-${suffix}-routes`, {
        vpcId: this.vpc.id,
        route: [{ cidrBlock: '0.0.0.0/0', natGatewayId: nat.id }],
        tags: { Name: `${name}-private-${suffix}` },
      });
      new RouteTableAssociation(this, `private-${suffix}-association`, { subnetId: this.privateSubnets[i].id, routeTableId: privateRoutes.id });
    });
    // Intra subnets keep the VPC's main route table: local routes only.

    this.flowLogs(platform, environment, name);
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
      retentionInDays: environment.logRetentionDays,
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
      maxAggregationInterval: 60,
      tags: { Name: name },
    });
  }
}
