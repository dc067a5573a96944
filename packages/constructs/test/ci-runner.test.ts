import { githubConnectionName, runnerProjectName } from '@platform-kit/config';
import { afterAll, describe, expect, it } from 'vitest';
import { RUNNER_IMAGE, runnerLogGroupName } from '../src';
import { documentStatements, ref, removeOutdirs, resources, synth, type Json } from './support';

/* The CI runner: a CodeBuild-hosted GitHub Actions runner in each environment's VPC, over the account's GitHub connection. */

afterAll(removeOutdirs);

describe('the CI runner', () => {
  const { platform, stacks } = synth({ name: 'acme', aws: { region: 'eu-west-1', accountId: '123456789012' }, environments: ['dev', 'prod'] });
  const aws = stacks['dev-services-aws'];
  const [[projectId, project]] = resources(aws, 'aws_codebuild_project');
  const [[, webhook]] = resources(aws, 'aws_codebuild_webhook');
  const [[connectionId]] = Object.entries((aws.data.aws_codestarconnections_connection ?? {}) as Record<string, Json>);

  it('has one GitHub connection per account, in the shared stack', () => {
    const connections = resources(stacks.shared, 'aws_codestarconnections_connection');
    expect(connections.map(([, c]) => [c.name, c.provider_type])).toEqual([[githubConnectionName(platform), 'GitHub']]);
    expect(githubConnectionName(platform).length).toBeLessThanOrEqual(32);
    for (const env of ['dev', 'prod']) expect(resources(stacks[`${env}-cluster`], 'aws_codebuild_project')).toEqual([]);
  });

  it('creates the project and its webhook only once the connection is approved (read at every plan)', () => {
    const approved = `\${(data.aws_codestarconnections_connection.${connectionId}.connection_status == "AVAILABLE") ? 1 : 0}`;
    expect(project.count).toBe(approved);
    expect(webhook.count).toBe(approved);
    expect(webhook.filter_group).toEqual([{ filter: [{ type: 'EVENT', pattern: 'WORKFLOW_JOB_QUEUED' }] }]);
    expect(webhook.depends_on).toContain(`aws_codebuild_project.${projectId}`);
  });

  it('runs jobs of this repository in the private subnets, in the cluster security group, with no artifacts', () => {
    expect(project.name).toBe(runnerProjectName(platform, 'dev'));
    expect(project.source).toMatchObject({ type: 'GITHUB', location: 'https://github.com/acme/acme.git', auth: { type: 'CODECONNECTIONS' } });
    expect(project.source.auth.resource).toMatch(/cross-stack-reference-input-shared/);
    expect(project.environment).toMatchObject({ type: 'LINUX_CONTAINER', image: RUNNER_IMAGE });
    expect(project.environment.privileged_mode).toBeUndefined();
    expect(project.vpc_config.subnets).toHaveLength(3);
    for (const subnet of project.vpc_config.subnets) expect(subnet).toMatch(/cross-stack-reference-input-dev-network/);
    expect(project.vpc_config.security_group_ids).toEqual([expect.stringMatching(/cross-stack-reference-input-dev-cluster/)]);
    expect(project.artifacts).toEqual({ type: 'NO_ARTIFACTS' });
  });

  it('logs to an encrypted, expiring log group of the environment', () => {
    const [[logId, group]] = resources(aws, 'aws_cloudwatch_log_group');
    expect(group.name).toBe(runnerLogGroupName('acme-dev'));
    expect(group.retention_in_days).toBe(30);
    expect(group.kms_key_id).toMatch(/^\$\{aws_kms_key\./);
    expect(project.logs_config.cloudwatch_logs.group_name).toBe(ref('aws_cloudwatch_log_group', logId, 'name'));
  });

  it("gives its role only logs, network interfaces lent to CodeBuild in its subnets, and the connection, within the environment's boundary", () => {
    const [roleId, role] = resources(aws, 'aws_iam_role').find(([, r]) => r.name === runnerProjectName(platform, 'dev'))!;
    expect(role.permissions_boundary).toMatch(/cross-stack-reference-input-shared/);
    expect(project.service_role).toBe(ref('aws_iam_role', roleId, 'arn'));
    const trust = documentStatements(aws, role.assume_role_policy);
    expect(trust).toEqual([
      expect.objectContaining({ principals: [{ type: 'Service', identifiers: ['codebuild.amazonaws.com'] }], condition: [{ test: 'StringEquals', variable: 'aws:SourceAccount', values: ['123456789012'] }] }),
    ]);
    const [, policy] = resources(aws, 'aws_iam_role_policy').find(([, p]) => p.role === ref('aws_iam_role', roleId, 'id'))!;
    const statements = documentStatements(aws, policy.policy);
    expect(statements.map((s) => s.sid)).toEqual(['WriteItsLogs', 'NetworkInterfacesInTheVpc', 'LendInterfacesToCodeBuildOnly', 'UseTheGitHubConnection']);
    const actions = statements.flatMap((s) => s.actions);
    for (const forbidden of ['secretsmanager:GetSecretValue', 'sts:AssumeRole', 's3:GetObject', 'eks:DescribeCluster']) expect(actions).not.toContain(forbidden);
    const lend = statements.find((s) => s.sid === 'LendInterfacesToCodeBuildOnly')!;
    expect(lend.condition).toContainEqual({ test: 'StringEquals', variable: 'ec2:AuthorizedService', values: ['codebuild.amazonaws.com'] });
  });
});
