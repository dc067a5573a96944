import { clusterName, runnerProjectName, type Environment, type Platform } from '@platform-kit/config';
import { Fn, Op, Token } from 'cdktf';
import { Construct } from 'constructs';
import { Role, serviceTrust } from './iam';
import { CloudwatchLogGroup, CodebuildProject, CodebuildWebhook, DataAwsCodestarconnectionsConnection } from './providers/aws';

/** The image the runner's jobs run in: Amazon Linux 2023 with the AWS CLI, jq, git and OpenSSH (CodeBuild's standard image). */
export const RUNNER_IMAGE = 'aws/codebuild/amazonlinux-x86_64-standard:5.0';

export interface CiRunnerProps {
  readonly platform: Platform;
  readonly environment: Environment;
  /** ARN of the account's GitHub connection (shared stack); nothing is created until it is approved. */
  readonly connectionArn: string;
  readonly vpcId: string;
  /** Private subnets (egress through NAT): GitHub, the AWS APIs and the cluster's private endpoint are reachable. */
  readonly subnetIds: string[];
  /** The cluster's security group (EKS creates it): its members reach the private API endpoint, as the nodes do. */
  readonly securityGroupId: string;
  /** KMS key of the runner's log group. */
  readonly logKeyArn: string;
  readonly permissionsBoundary: string;
}

/** The log group of an environment's runner (under /platform/<cluster>/, where the environment's roles may write). */
export const runnerLogGroupName = (clusterName: string) => `/platform/${clusterName}/ci-runner`;

/**
 * A GitHub Actions runner in the environment's private subnets, hosted by AWS CodeBuild: a job whose `runs-on` is
 * `codebuild-<project>-<run id>-<attempt>` runs in a fresh container there, and nothing runs between jobs (nothing to
 * patch or keep up). CodeBuild learns of queued jobs through a webhook on the repository, made over the account's
 * GitHub connection; so the project and its webhook exist only once that connection is approved in the console (the
 * one manual step: docs/ci.md). Until then, this creates only the role and the log group, and a plan says so.
 *
 * The runner joins the cluster's security group to reach the private API endpoint. The jobs it runs assume the CI roles
 * with GitHub's OIDC token, as on GitHub's runners; its own role may only write its logs, attach its network interfaces
 * and use the connection.
 */
export class CiRunner extends Construct {
  readonly role: Role;
  readonly project: CodebuildProject;
  readonly logGroup: CloudwatchLogGroup;

  constructor(scope: Construct, id: string, props: CiRunnerProps) {
    super(scope, id);
    const { platform, environment } = props;
    const { accountId, region } = platform.aws;
    const name = runnerProjectName(platform, environment);
    const cluster = clusterName(platform, environment);

    const connection = new DataAwsCodestarconnectionsConnection(this, 'connection', { arn: props.connectionArn });
    // 1 once the connection is approved, else 0: read at every plan, so approving it and applying again creates the runner.
    const approved = Token.asNumber(Fn.conditional(Op.eq(connection.connectionStatus, 'AVAILABLE'), 1, 0));

    this.logGroup = new CloudwatchLogGroup(this, 'logs', { name: runnerLogGroupName(cluster), retentionInDays: environment.logRetentionDays, kmsKeyId: props.logKeyArn });
    const subnetArns = props.subnetIds.map((subnet) => `arn:aws:ec2:${region}:${accountId}:subnet/${subnet}`);
    this.role = new Role(this, 'role', {
      name,
      description: `The GitHub Actions runner of ${cluster} (CodeBuild, in its VPC)`,
      trust: serviceTrust('codebuild.amazonaws.com', accountId),
      permissionsBoundary: props.permissionsBoundary,
      statements: [
        { sid: 'WriteItsLogs', actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: [`${this.logGroup.arn}:*`] },
        {
          // CodeBuild attaches a network interface in the private subnets for each build.
          sid: 'NetworkInterfacesInTheVpc',
          actions: [
            'ec2:CreateNetworkInterface',
            'ec2:DeleteNetworkInterface',
            'ec2:DescribeDhcpOptions',
            'ec2:DescribeNetworkInterfaces',
            'ec2:DescribeSecurityGroups',
            'ec2:DescribeSubnets',
            'ec2:DescribeVpcs',
          ],
          resources: ['*'],
        },
        {
          sid: 'LendInterfacesToCodeBuildOnly',
          actions: ['ec2:CreateNetworkInterfacePermission'],
          resources: [`arn:aws:ec2:${region}:${accountId}:network-interface/*`],
          conditions: [
            { test: 'StringEquals', variable: 'ec2:AuthorizedService', values: ['codebuild.amazonaws.com'] },
            { test: 'ArnEquals', variable: 'ec2:Subnet', values: subnetArns },
          ],
        },
        {
          sid: 'UseTheGitHubConnection',
          actions: ['codestar-connections:GetConnection', 'codestar-connections:GetConnectionToken', 'codestar-connections:UseConnection'],
          resources: [props.connectionArn],
        },
      ],
    });

    const repository = `https://github.com/${platform.github.owner}/${platform.github.repository}.git`;
    this.project = new CodebuildProject(this, 'project', {
      count: approved,
      name,
      description: `GitHub Actions runner of ${platform.github.owner}/${platform.github.repository} in the VPC of ${cluster}`,
      serviceRole: this.role.arn,
      // A job at most an hour: a cluster or Argo CD upgrade takes about 20 minutes.
      buildTimeout: 60,
      source: { type: 'GITHUB', location: repository, auth: { type: 'CODECONNECTIONS', resource: props.connectionArn } },
      artifacts: { type: 'NO_ARTIFACTS' },
      environment: { type: 'LINUX_CONTAINER', computeType: 'BUILD_GENERAL1_SMALL', image: RUNNER_IMAGE, imagePullCredentialsType: 'CODEBUILD' },
      vpcConfig: { vpcId: props.vpcId, subnets: props.subnetIds, securityGroupIds: [props.securityGroupId] },
      logsConfig: { cloudwatchLogs: { groupName: this.logGroup.name, status: 'ENABLED' }, s3Logs: { status: 'DISABLED' } },
      dependsOn: this.role.dependables,
    });
    // GitHub tells CodeBuild of each queued job; CodeBuild starts a build only for jobs labelled with this project.
    new CodebuildWebhook(this, 'webhook', {
      count: approved,
      projectName: name,
      buildType: 'BUILD',
      filterGroup: [{ filter: [{ type: 'EVENT', pattern: 'WORKFLOW_JOB_QUEUED' }] }],
      dependsOn: [this.project],
    });
  }
}
