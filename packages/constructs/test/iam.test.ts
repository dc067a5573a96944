import {
  boundaryPolicyName,
  ciBoundaryPolicyName,
  ciRoleArn,
  ciRoleName,
  clusterName,
  environmentStackName,
  ENVIRONMENT_STACKS,
  iamPrefix,
  imagesRoleName,
  SHARED_SCOPE,
  SUPPORTING_SERVICES,
  type CiScope,
} from '@platform-kit/config';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  actionConditionKeys,
  actionExists,
  actionsOf,
  arnMatches,
  boundaryAllows,
  decide,
  managedPolicy,
  managedPolicyFixtures,
  PlatformIam,
  resourceTypesOf,
  type Decision,
  type PolicyDocument,
  type Request,
  type SimRole,
} from './iam-model';
import { APPLY_ONLY_CALLS, TERRAFORM_CALLS, type Call } from './iam-terraform-calls';
import { removeOutdirs, synth, type Json } from './support';

/*
 * What each IAM role of a platform may and may not do, decided by a real IAM policy simulator over the synthesized
 * stacks: identity policies, permissions boundaries and their conditions, with every action checked against AWS's
 * service reference. Two environments: dev (the defaults) and prod (interface endpoints, an admin role).
 */

const ENVIRONMENTS = ['dev', 'prod'] as const;
let iam: PlatformIam;

beforeAll(() => {
  const s = synth({
    // dev lean: a NAT instance, so that its calls are checked too.
    environments: [{ name: 'dev', profile: 'lean', vpn: true }, { name: 'prod', interfaceEndpoints: true }],
    // A zone created by the platform: sub-zones per environment, written by external-dns and cert-manager.
    domain: 'acme.example.com',
    dns: { zone: 'create' },
    // Every cost guardrail, so that each resource type is checked.
    budget: { emails: ['finance@acme.example.com'], costAllocationTags: true, anomalyDetection: true },
    // Velero too: its backup role is a workload role like the others.
    supportingServices: [...SUPPORTING_SERVICES, 'velero'],
    // A team service with a bucket of its own: its role is a workload role like the others.
    services: [{ name: 'api', bucket: true }, 'worker'],
    aws: { adminRoleArns: ['arn:aws:iam::123456789012:role/aws-reserved/sso.amazonaws.com/eu-west-1/AWSReservedSSO_Admin_0123456789abcdef'] },
  });
  iam = new PlatformIam(s.platform, s.stacks);
});
afterAll(removeOutdirs);

const platformName = () => iam.platform.name;
const account = () => iam.account;
const region = () => iam.region;
const tags = (scope: CiScope, key: 'ResourceTag' | 'RequestTag'): Record<string, string> =>
  scope === SHARED_SCOPE ? { [`aws:${key}/platform`]: platformName() } : { [`aws:${key}/platform`]: platformName(), [`aws:${key}/environment`]: scope };
/** A trust policy that lets `principal` assume the role. */
const trusting = (principal: string): PolicyDocument => ({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { AWS: principal }, Action: ['sts:AssumeRole', 'sts:TagSession'], Resource: '*' }],
});
const ec2Arn = (type: string, id = 'sample') => `arn:aws:ec2:${region()}:${account()}:${type}/${type}-0${id}`;

/** The logical id suffix cdktf gave a zone of the shared stack (`dns_zone_<hash>`, `dns_zone-<env>_<hash>`). */
function zoneSuffix(env?: string): string {
  const prefix = env ? `dns_zone-${env}_` : 'dns_zone_';
  const id = Object.keys(iam.stacks[SHARED_SCOPE].resource.aws_route53_zone).find((k) => k.startsWith(prefix) && k.slice(prefix.length).length === 8);
  if (!id) throw new Error(`no zone ${prefix}* in shared`);
  return id.slice(prefix.length);
}

/** Decides every request; returns the ones whose decision differs from `expected`, readable in a failure. */
async function mismatches(role: SimRole, requests: Request[], expected: Decision | 'denied'): Promise<string[]> {
  const out: string[] = [];
  for (const request of requests) {
    const decision = await decide(iam, role, request);
    const ok = expected === 'denied' ? decision !== 'Allowed' : decision === expected;
    if (!ok) out.push(`${request.action} on ${request.resource} ${JSON.stringify(request.context ?? {})}: ${decision}`);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------
// AWS's service reference: no typo, no action that does not exist

describe("every action exists in AWS's service reference", () => {
  const patterns = (doc: PolicyDocument) => doc.Statement.flatMap((s: Json) => [s.Action, s.NotAction].flat().filter(Boolean) as string[]);

  it('in every policy document of every stack (permissions, trust, boundaries, key policies)', async () => {
    const unknown: string[] = [];
    for (const [where, doc] of Object.entries(iam.documents))
      for (const pattern of new Set(patterns(doc))) {
        if (pattern === '*') continue;
        const exists = pattern.includes('*') ? (await actionsOf(pattern)).length > 0 : await actionExists(pattern);
        if (!exists) unknown.push(`${where}: ${pattern}`);
      }
    expect(unknown).toEqual([]);
  });

  it('in the AWS managed policies the roles attach (test/fixtures/aws-managed-policies)', async () => {
    const attached = new Set(iam.roles.flatMap((r) => r.managedPolicyArns.map((arn) => arn.split('/').pop()!)));
    expect([...attached].filter((name) => !managedPolicyFixtures().includes(name))).toEqual([]);
    const unknown: string[] = [];
    for (const name of attached)
      for (const pattern of patterns(managedPolicy(name)))
        if (!(pattern.includes('*') ? (await actionsOf(pattern)).length > 0 : await actionExists(pattern))) unknown.push(`${name}: ${pattern}`);
    expect(unknown).toEqual([]);
  });

  it('in the table of what Terraform calls, which covers every resource type the stacks contain', async () => {
    const types = new Set(Object.values(iam.stacks).flatMap((s) => Object.keys(s.resource ?? {})));
    const untabled = [...types].filter((t) => !(t in TERRAFORM_CALLS) && !(t in APPLY_ONLY_CALLS) && t !== 'helm_release');
    expect(untabled, 'add these resource types to TERRAFORM_CALLS').toEqual([]);
    const calls = [...Object.values(TERRAFORM_CALLS).flatMap((o) => [...o.create, ...o.read, ...(o.update ?? []), ...o.delete]), ...Object.values(APPLY_ONLY_CALLS).flat()];
    const unknown: string[] = [];
    for (const action of new Set(calls.map((c) => c.action))) if (!(await actionExists(action))) unknown.push(action);
    expect(unknown).toEqual([]);
  });

  it('fails on a misspelt action (the check can fail)', async () => {
    expect(await actionExists('ec2:DescribeVpcz')).toBe(false);
    expect(await actionExists('eks-auth:AssumeRoleForPodIdentity')).toBe(true);
    expect(await actionsOf('ec2:Descrbe*')).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------------------
// Requests for a Terraform call, the way AWS authorizes it: once per resource the call touches

/** ARN of a resource of this type, owned by the scope (names follow the kit's naming rules). */
function ownArn(scope: CiScope, service: string, template: string, call: Call): string {
  const platform = platformName();
  const env = scope === SHARED_SCOPE ? 'dev' : scope;
  const cluster = clusterName(iam.platform, env);
  const prefix = iamPrefix(iam.platform, env);
  const values: Record<string, string> = {
    Partition: 'aws',
    Region: region(),
    Account: account(),
    RoleNameWithPath: scope === SHARED_SCOPE ? `${platform}/ci/${ciRoleName(iam.platform, 'dev', 'plan')}` : `${prefix}sample`,
    PolicyNameWithPath: scope === SHARED_SCOPE ? boundaryPolicyName(iam.platform, 'dev') : `${prefix}sample`,
    OidcProviderName: 'token.actions.githubusercontent.com',
    BucketName: `${prefix}loki-${account()}`,
    ObjectName: 'sample',
    SecretId: `${platform}/${env}/sample-AbCdEf`,
    LogGroupName: `/platform/${cluster}/vpc-flow-logs`,
    ClusterName: cluster,
    Alias: scope === SHARED_SCOPE ? `${platform}-ecr` : `${prefix}sample`,
    RepositoryName: `${platform}/api`,
    ProjectName: `${prefix}runner`,
    BudgetName: scope === SHARED_SCOPE ? platform : cluster,
  };
  if (call.passes === 'workload-role') values.RoleNameWithPath = `${prefix}sample`;
  return template.replace(/\$\{(\w+)\}/g, (_, key: string) => values[key] ?? `${service === 'ec2' ? `${key.toLowerCase()}-0` : ''}sample`);
}

/** The requests AWS authorizes for one Terraform call of the scope's stacks, on the scope's own resources. */
async function requestsFor(scope: CiScope, call: Call): Promise<Request[]> {
  const [service, name] = call.action.split(':');
  const types = (await resourceTypesOf(call.action)).filter((t) => t.required || call.also?.includes(t.name));
  // A call that sends tags (a create): the request carries the scope's tags.
  const creates = types.some((t) => t.created) || (await actionConditionKeys(call.action)).includes('aws:RequestTag/${TagKey}');
  const boundary = scope === SHARED_SCOPE ? ciBoundaryPolicyName(iam.platform) : boundaryPolicyName(iam.platform, scope);
  const base: Record<string, string | string[]> = {
    ...(service === 'iam' ? { 'iam:PermissionsBoundary': `arn:aws:iam::${account()}:policy/${boundary}` } : {}),
    ...(creates ? { ...tags(scope, 'RequestTag'), 'aws:TagKeys': ['platform', 'environment', 'managed-by'] } : {}),
    ...(/^(CreateTags|DeleteTags|TagResource|UntagResource)$/.test(name) && !call.untagged ? { 'aws:TagKeys': ['owner'] } : {}),
    ...call.context,
  };
  if (types.length === 0) return [{ action: call.action, resource: '*', context: { ...base, ...(call.untagged ? {} : tags(scope, 'ResourceTag')) } }];
  const requests: Request[] = [];
  for (const type of types) {
    const resource = ownArn(scope, service, type.arn, call);
    if (type.created) {
      requests.push({ action: call.action, resource, context: base });
      // Tags in a create call are authorized as ec2:CreateTags on the new resource, naming the create action.
      if (service === 'ec2' && name !== 'CreateTags')
        requests.push({ action: 'ec2:CreateTags', resource, context: { ...base, 'ec2:CreateAction': name } });
    } else if (call.untagged) requests.push({ action: call.action, resource, context: { ...base, ...tags(scope, 'RequestTag'), 'aws:TagKeys': ['platform', 'environment'] } });
    else requests.push({ action: call.action, resource, context: { ...base, ...tags(scope, 'ResourceTag') } });
  }
  return requests;
}

/** The resource types of a scope's stacks (its Terraform resources, with the ephemeral ones). */
function scopeResourceTypes(scope: CiScope): string[] {
  const stacks = scope === SHARED_SCOPE ? [SHARED_SCOPE] : ENVIRONMENT_STACKS.map((kind) => environmentStackName(scope, kind));
  return [...new Set(stacks.flatMap((s) => [...Object.keys(iam.stacks[s].resource ?? {}), ...Object.keys(iam.stacks[s].ephemeral ?? {})]))];
}

const applyRole = (scope: CiScope) => iam.roleNamed(ciRoleName(iam.platform, scope, 'apply'));
const planRole = (scope: CiScope) => iam.roleNamed(ciRoleName(iam.platform, scope, 'plan'));

// ---------------------------------------------------------------------------------------------------------
// The CI roles

describe.each([SHARED_SCOPE, ...ENVIRONMENTS])('CI roles of %s', (scope) => {
  it("the apply role may create, read, change and delete every resource of its stacks, in its own scope", async () => {
    const failures: string[] = [];
    for (const type of scopeResourceTypes(scope)) {
      if (type === 'helm_release') continue; // Kubernetes objects: the apply role's cluster access entry, not IAM
      const ops = TERRAFORM_CALLS[type];
      const calls = ops ? [...ops.create, ...ops.read, ...(ops.update ?? []), ...ops.delete] : [...APPLY_ONLY_CALLS[type]];
      for (const call of calls) failures.push(...(await mismatches(applyRole(scope), await requestsFor(scope, call), 'Allowed')).map((f) => `${type}: ${f}`));
    }
    expect(failures).toEqual([]);
  });

  it('the plan role may read every resource of its stacks (a refresh), and change none', async () => {
    const failures: string[] = [];
    for (const type of scopeResourceTypes(scope)) {
      const ops = TERRAFORM_CALLS[type];
      if (!ops) continue;
      for (const call of ops.read) failures.push(...(await mismatches(planRole(scope), await requestsFor(scope, call), 'Allowed')).map((f) => `${type}: ${f}`));
      for (const call of [...ops.create, ...(ops.update ?? []), ...ops.delete].filter((c) => !ops.read.some((r) => r.action === c.action) && !/^\w+:(Describe|Get|List)/.test(c.action)))
        failures.push(...(await mismatches(planRole(scope), await requestsFor(scope, call), 'denied')).map((f) => `${type} (plan must not): ${f}`));
    }
    expect(failures).toEqual([]);
  });

  it('no CI role but the shared apply role goes without the CI boundary', () => {
    const ciBoundaryArn = `arn:aws:iam::${account()}:policy/${ciBoundaryPolicyName(iam.platform)}`;
    expect(planRole(scope).boundaryArn).toBe(ciBoundaryArn);
    expect(applyRole(scope).boundaryArn).toBe(scope === SHARED_SCOPE ? undefined : ciBoundaryArn);
  });
});

describe.each(ENVIRONMENTS)("the %s apply role cannot escalate or reach another environment", (env) => {
  const other = env === 'dev' ? 'prod' : 'dev';

  it('cannot change any CI role (its own included), a boundary, or remove a boundary', async () => {
    const ciRoles = [...['shared', ...ENVIRONMENTS].flatMap((s) => (['plan', 'apply'] as const).map((k) => ciRoleArn(iam.platform, s, k))), iam.roleNamed(imagesRoleName(iam.platform)).arn];
    const boundaries = [...ENVIRONMENTS.map((e) => boundaryPolicyName(iam.platform, e)), ciBoundaryPolicyName(iam.platform)].map((p) => `arn:aws:iam::${account()}:policy/${p}`);
    const requests: Request[] = [
      ...ciRoles.flatMap((resource) =>
        ['iam:PutRolePolicy', 'iam:AttachRolePolicy', 'iam:UpdateAssumeRolePolicy', 'iam:PutRolePermissionsBoundary', 'iam:DeleteRolePermissionsBoundary', 'iam:DeleteRole', 'iam:PassRole'].map((action) => ({
          action,
          resource,
          // Even when the request names the environment's own boundary.
          context: { 'iam:PermissionsBoundary': boundaries[ENVIRONMENTS.indexOf(env)], 'iam:PolicyARN': 'arn:aws:iam::aws:policy/AdministratorAccess' },
        })),
      ),
      ...boundaries.flatMap((resource) => ['iam:CreatePolicyVersion', 'iam:SetDefaultPolicyVersion', 'iam:DeletePolicy'].map((action) => ({ action, resource }))),
      { action: 'iam:DeleteRolePermissionsBoundary', resource: `arn:aws:iam::${account()}:role/${iamPrefix(iam.platform, env)}node` },
    ];
    expect(await mismatches(applyRole(env), requests, 'denied')).toEqual([]);
  });

  it('creates and changes workload roles only with its own boundary, and cannot borrow their permissions', async () => {
    const role = `arn:aws:iam::${account()}:role/${iamPrefix(iam.platform, env)}sample`;
    const boundary = (e: string) => `arn:aws:iam::${account()}:policy/${boundaryPolicyName(iam.platform, e)}`;
    expect(await decide(iam, applyRole(env), { action: 'iam:CreateRole', resource: role, context: { 'iam:PermissionsBoundary': boundary(env) } })).toBe('Allowed');
    const denied: Request[] = [
      { action: 'iam:CreateRole', resource: role },
      { action: 'iam:CreateRole', resource: role, context: { 'iam:PermissionsBoundary': boundary(other) } },
      { action: 'iam:PutRolePolicy', resource: role, context: { 'iam:PermissionsBoundary': boundary(other) } },
      { action: 'iam:AttachRolePolicy', resource: role },
      // With its boundary, but a policy of the account's own: only AWS managed policies are attached.
      { action: 'iam:AttachRolePolicy', resource: role, context: { 'iam:PermissionsBoundary': boundary(env), 'iam:PolicyARN': `arn:aws:iam::${account()}:policy/anything` } },
      // A role named in the other environment's prefix.
      { action: 'iam:CreateRole', resource: `arn:aws:iam::${account()}:role/${iamPrefix(iam.platform, other)}sample`, context: { 'iam:PermissionsBoundary': boundary(env) } },
      // A workload role made to trust the apply role would lend it its permissions: no role chaining, even when the
      // trust policy names the apply role (which alone suffices within an account).
      { action: 'sts:AssumeRole', resource: role, resourcePolicy: trusting(applyRole(env).arn) },
      { action: 'sts:AssumeRole', resource: `arn:aws:iam::${account()}:role/${iamPrefix(iam.platform, env)}node`, resourcePolicy: trusting(applyRole(env).arn) },
      { action: 'iam:CreateUser', resource: `arn:aws:iam::${account()}:user/backdoor` },
      { action: 'iam:CreateAccessKey', resource: `arn:aws:iam::${account()}:user/backdoor` },
    ];
    expect(await mismatches(applyRole(env), denied, 'denied')).toEqual([]);
  });

  it(`cannot delete or change ${other}'s network, instances or keys, nor take them over by retagging`, async () => {
    const theirs = tags(other, 'ResourceTag');
    const untagged = {};
    const requests: Request[] = [
      ...[
        ['ec2:DeleteVpc', 'vpc'],
        ['ec2:DeleteSubnet', 'subnet'],
        ['ec2:DeleteNatGateway', 'natgateway'],
        ['ec2:ReleaseAddress', 'elastic-ip'],
        ['ec2:DeleteRouteTable', 'route-table'],
        ['ec2:DeleteRoute', 'route-table'],
        ['ec2:DeleteInternetGateway', 'internet-gateway'],
        ['ec2:DeleteSecurityGroup', 'security-group'],
        ['ec2:DeleteVpcEndpoints', 'vpc-endpoint'],
        ['ec2:DeleteFlowLogs', 'vpc-flow-log'],
        ['ec2:DeleteLaunchTemplate', 'launch-template'],
        ['ec2:TerminateInstances', 'instance'],
        ['ec2:StopInstances', 'instance'],
        ['ec2:ModifyVpcAttribute', 'vpc'],
      ].flatMap(([action, type]) => [theirs, untagged].map((context) => ({ action, resource: ec2Arn(type), context }))),
      // Retagging theirs (or anything untagged but a security group) as its own would hand it over.
      { action: 'ec2:CreateTags', resource: ec2Arn('vpc'), context: { ...theirs, ...tags(env, 'RequestTag'), 'aws:TagKeys': ['environment', 'platform'] } },
      { action: 'ec2:CreateTags', resource: ec2Arn('vpc'), context: { ...tags(env, 'RequestTag'), 'aws:TagKeys': ['environment', 'platform'] } },
      { action: 'ec2:CreateTags', resource: ec2Arn('instance'), context: { ...tags(env, 'RequestTag'), 'aws:TagKeys': ['environment', 'platform'] } },
      { action: 'ec2:DeleteTags', resource: ec2Arn('vpc'), context: { ...tags(env, 'ResourceTag'), 'aws:TagKeys': ['environment'] } },
      // Creating something of its own inside their VPC.
      { action: 'ec2:CreateSubnet', resource: ec2Arn('vpc'), context: { ...theirs, ...tags(env, 'RequestTag') } },
      { action: 'ec2:CreateRoute', resource: ec2Arn('route-table'), context: theirs },
      // Their keys, secrets, buckets, cluster and state.
      { action: 'kms:ScheduleKeyDeletion', resource: `arn:aws:kms:${region()}:${account()}:key/theirs`, context: theirs },
      { action: 'kms:Decrypt', resource: `arn:aws:kms:${region()}:${account()}:key/theirs`, context: theirs },
      { action: 'secretsmanager:GetSecretValue', resource: `arn:aws:secretsmanager:${region()}:${account()}:secret:${platformName()}/${other}/grafana-admin-AbCdEf` },
      { action: 's3:DeleteBucket', resource: `arn:aws:s3:::${iamPrefix(iam.platform, other)}loki-${account()}` },
      { action: 's3:GetObject', resource: `arn:aws:s3:::${iam.platform.stateBucket}/${other}-cluster/terraform.tfstate` },
      { action: 'eks:DeleteCluster', resource: `arn:aws:eks:${region()}:${account()}:cluster/${clusterName(iam.platform, other)}` },
      // What EKS and Kubernetes make, the apply role never changes.
      { action: 'autoscaling:DeleteAutoScalingGroup', resource: `arn:aws:autoscaling:${region()}:${account()}:autoScalingGroup:uuid:autoScalingGroupName/eks-x`, context: theirs },
      { action: 'elasticloadbalancing:DeleteLoadBalancer', resource: `arn:aws:elasticloadbalancing:${region()}:${account()}:loadbalancer/net/x/1`, context: theirs },
    ];
    expect(await mismatches(applyRole(env), requests, 'denied')).toEqual([]);
  });

  it("puts a Client VPN endpoint into its own cluster's security group (tagged by EKS), not another's", async () => {
    const apply = applyRole(env);
    const clusterGroup = (name: string): Request => ({
      action: 'ec2:ApplySecurityGroupsToClientVpnTargetNetwork',
      resource: ec2Arn('security-group', 'eks'),
      context: { 'aws:ResourceTag/aws:eks:cluster-name': name },
    });
    expect(await decide(iam, apply, clusterGroup(clusterName(iam.platform, env)))).toBe('Allowed');
    expect(await decide(iam, apply, clusterGroup(clusterName(iam.platform, other)))).not.toBe('Allowed');
  });

  it("changes its own environment's budget, and neither another's nor the platform's", async () => {
    const budget = (name: string) => `arn:aws:budgets::${account()}:budget/${name}`;
    const apply = applyRole(env);
    expect(await decide(iam, apply, { action: 'budgets:ModifyBudget', resource: budget(clusterName(iam.platform, env)) })).toBe('Allowed');
    for (const name of [clusterName(iam.platform, other), platformName()])
      expect(await decide(iam, apply, { action: 'budgets:ModifyBudget', resource: budget(name) }), name).not.toBe('Allowed');
    expect(await decide(iam, apply, { action: 'ce:UpdateCostAllocationTagsStatus', resource: '*' })).not.toBe('Allowed');
  });

  it('can adopt its own VPC\'s untagged default security group, and nothing else untagged', async () => {
    const adopt = { ...tags(env, 'RequestTag'), 'aws:TagKeys': ['platform', 'environment'] };
    expect(await decide(iam, applyRole(env), { action: 'ec2:CreateTags', resource: ec2Arn('security-group'), context: adopt })).toBe('Allowed');
    expect(await decide(iam, applyRole(env), { action: 'ec2:CreateTags', resource: ec2Arn('subnet'), context: adopt })).not.toBe('Allowed');
  });
});

describe.each(ENVIRONMENTS)('the %s plan role reads no secret', (env) => {
  it('no secret value, no decryption but the state key, no write but a lock file', async () => {
    const requests: Request[] = [
      { action: 'secretsmanager:GetSecretValue', resource: `arn:aws:secretsmanager:${region()}:${account()}:secret:${platformName()}/${env}/grafana-admin-AbCdEf` },
      { action: 'kms:Decrypt', resource: `arn:aws:kms:${region()}:${account()}:key/services`, context: tags(env, 'ResourceTag') },
      { action: 's3:GetObject', resource: `arn:aws:s3:::${iamPrefix(iam.platform, env)}backup-${account()}/base/data.tar` },
      { action: 's3:PutObject', resource: `arn:aws:s3:::${iam.platform.stateBucket}/${env}-cluster/terraform.tfstate` },
      { action: 'sts:AssumeRole', resource: applyRole(env).arn, resourcePolicy: trusting(planRole(env).arn) },
    ];
    expect(await mismatches(planRole(env), requests, 'denied')).toEqual([]);
    // What a plan needs: its state (read, lock) and the secret generator, which returns new random values only.
    const allowed: Request[] = [
      { action: 's3:GetObject', resource: `arn:aws:s3:::${iam.platform.stateBucket}/${env}-cluster/terraform.tfstate` },
      { action: 's3:PutObject', resource: `arn:aws:s3:::${iam.platform.stateBucket}/${env}-cluster/terraform.tfstate.tflock` },
      { action: 'secretsmanager:GetRandomPassword', resource: '*' },
    ];
    expect(await mismatches(planRole(env), allowed, 'Allowed')).toEqual([]);
  });
});

describe('the images role', () => {
  it('pushes to the platform repositories only, and assumes nothing', async () => {
    const role = iam.roleNamed(imagesRoleName(iam.platform));
    const repo = (name: string) => `arn:aws:ecr:${region()}:${account()}:repository/${name}`;
    expect(await mismatches(role, [{ action: 'ecr:PutImage', resource: repo(`${platformName()}/api`) }, { action: 'ecr:GetAuthorizationToken', resource: '*' }], 'Allowed')).toEqual([]);
    const denied: Request[] = [
      { action: 'ecr:PutImage', resource: repo('other-team/api') },
      { action: 'ecr:DeleteRepository', resource: repo(`${platformName()}/api`) },
      { action: 'sts:AssumeRole', resource: applyRole('prod').arn, resourcePolicy: trusting(role.arn) },
    ];
    expect(await mismatches(role, denied, 'denied')).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------------------
// Workload roles and their boundary

/** Environment roles: every role of the environment's stacks. */
const workloadRoles = (env: string) => iam.roles.filter((r) => r.stack.startsWith(`${env}-`));

/** A request that satisfies a statement's own conditions (its equality tests), so only the other policies decide. */
function satisfying(statement: Json): Record<string, string | string[]> {
  const context: Record<string, string | string[]> = {};
  for (const [op, keys] of Object.entries<Json>(statement.Condition ?? {}))
    for (const [key, values] of Object.entries<string | string[]>(keys)) {
      const first = [values].flat()[0];
      if (/^(ForAnyValue:)?(StringEquals|StringLike|ArnEquals|ArnLike|Bool)$/.test(op)) context[key] = op.startsWith('ForAnyValue') ? [first] : first.replace(/\*/g, 'x');
    }
  return context;
}

/** Requests for each action of an Allow statement, on the resources it names (wildcards made concrete). */
async function statementRequests(statement: Json, env: string): Promise<Request[]> {
  const requests: Request[] = [];
  const own = tags(env, 'ResourceTag');
  for (const pattern of [statement.Action].flat()) {
    for (const action of await actionsOf(pattern)) {
      const resources: string[] = [statement.Resource].flat();
      const types = await resourceTypesOf(action);
      const required = types.filter((t) => t.required);
      for (const resource of resources) {
        // '*': a resource of the action's first required type, owned by the environment; a pattern: made concrete.
        const concrete =
          resource === '*'
            ? required.length
              ? ownArn(env, action.split(':')[0], required[0].arn, { action })
              : '*'
            : resource.replace(/^arn:aws:(\w[\w-]*):\*:\*:/, `arn:aws:$1:${region()}:${account()}:`).replace(/\*/g, 'sample');
        // A resource pattern that names none of the action's resource types grants nothing for it.
        if (resource !== '*' && !types.some((t) => arnMatches(t.arn, concrete))) continue;
        requests.push({ action, resource: concrete, context: { ...own, ...satisfying(statement) } });
      }
    }
  }
  return requests;
}

describe.each(ENVIRONMENTS)('workload roles of %s', (env) => {
  const boundary = () => iam.policyByArn(`arn:aws:iam::${account()}:policy/${boundaryPolicyName(iam.platform, env)}`);

  it("every role wears the environment's boundary", () => {
    expect(workloadRoles(env).filter((r) => r.boundaryArn !== `arn:aws:iam::${account()}:policy/${boundaryPolicyName(iam.platform, env)}`).map((r) => r.name)).toEqual([]);
  });

  it('the boundary allows every action the AWS managed policies of its roles use', async () => {
    const failures: string[] = [];
    const attached = new Set(workloadRoles(env).flatMap((r) => r.managedPolicyArns));
    for (const arn of attached)
      for (const statement of managedPolicy(arn).Statement.filter((s: Json) => s.Effect === 'Allow'))
        for (const request of await statementRequests(statement, env)) {
          const decision = await boundaryAllows(iam, boundary(), request);
          if (decision !== 'Allowed') failures.push(`${arn.split('/').pop()}: ${request.action} on ${request.resource}: ${decision}`);
        }
    expect(failures).toEqual([]);
  });

  it("every role may do what its own policies say, within the boundary", async () => {
    const failures: string[] = [];
    for (const role of workloadRoles(env))
      for (const { policy } of role.policies)
        for (const statement of policy.Statement.filter((s: Json) => s.Effect === 'Allow'))
          failures.push(...(await mismatches(role, await statementRequests(statement, env), 'Allowed')).map((f) => `${role.name}: ${f}`));
    expect(failures).toEqual([]);
  });

  it("External Secrets reads the generated secrets and the services' secrets, never Argo CD's deploy key, and lists nothing", async () => {
    const eso = iam.roleNamed(`${iamPrefix(iam.platform, env)}external-secrets`);
    const secret = (scope: string, name: string) => `arn:aws:secretsmanager:${region()}:${account()}:secret:${platformName()}/${scope}/${name}-AbCdEf`;
    const other = env === 'dev' ? 'prod' : 'dev';
    const allowed: Request[] = [
      { action: 'secretsmanager:GetSecretValue', resource: secret(env, 'grafana-admin') },
      { action: 'secretsmanager:GetSecretValue', resource: secret(env, 'kratos-db') },
      { action: 'secretsmanager:GetSecretValue', resource: secret(env, 'apps/api') },
    ];
    expect(await mismatches(eso, allowed, 'Allowed')).toEqual([]);
    const denied: Request[] = [
      { action: 'secretsmanager:GetSecretValue', resource: secret(env, 'argocd-repository') },
      { action: 'secretsmanager:GetSecretValue', resource: secret(other, 'apps/api') },
      { action: 'secretsmanager:GetSecretValue', resource: secret(other, 'grafana-admin') },
      // dataFrom.find would list and batch-read past the apps store's prefix: neither is allowed.
      { action: 'secretsmanager:ListSecrets', resource: '*' },
      { action: 'secretsmanager:BatchGetSecretValue', resource: '*' },
      { action: 'secretsmanager:PutSecretValue', resource: secret(env, 'apps/api') },
    ];
    expect(await mismatches(eso, denied, 'denied')).toEqual([]);
  });

  it("external-dns keeps any record of its environment's zone only; cert-manager only writes its ACME challenges there", async () => {
    const other = env === 'dev' ? 'prod' : 'dev';
    const zone = (id: string) => iam.arnOf(SHARED_SCOPE, 'aws_route53_zone', id);
    const own = zone(`dns_zone-${env}_${zoneSuffix(env)}`);
    const theirs = zone(`dns_zone-${other}_${zoneSuffix(other)}`);
    const parent = zone(`dns_zone_${zoneSuffix()}`);
    const change = (resource: string, types: string[], names: string[]): Request => ({
      action: 'route53:ChangeResourceRecordSets',
      resource,
      context: { 'route53:ChangeResourceRecordSetsRecordTypes': types, 'route53:ChangeResourceRecordSetsNormalizedRecordNames': names, 'route53:ChangeResourceRecordSetsActions': ['UPSERT'] },
    });
    const host = `grafana.${env}.acme.example.com`;
    const externalDns = iam.roleNamed(`${iamPrefix(iam.platform, env)}external-dns`);
    expect(await mismatches(externalDns, [change(own, ['A', 'TXT'], [host, `a-${host}`]), { action: 'route53:ListHostedZones', resource: '*' }], 'Allowed')).toEqual([]);
    expect(await mismatches(externalDns, [change(theirs, ['A'], [`grafana.${other}.acme.example.com`]), change(parent, ['NS'], [`${env}.acme.example.com`]), { action: 'route53:DeleteHostedZone', resource: own }], 'denied')).toEqual([]);

    const certManager = iam.roleNamed(`${iamPrefix(iam.platform, env)}cert-manager`);
    const challenge = `_acme-challenge.${env}.acme.example.com`;
    expect(await mismatches(certManager, [change(own, ['TXT'], [challenge]), { action: 'route53:GetChange', resource: 'arn:aws:route53:::change/C0123' }], 'Allowed')).toEqual([]);
    expect(
      await mismatches(certManager, [change(own, ['A'], [host]), change(own, ['TXT'], [host]), change(own, ['TXT', 'A'], [challenge, host]), change(theirs, ['TXT'], [`_acme-challenge.${other}.acme.example.com`])], 'denied'),
    ).toEqual([]);
  });

  it("the EBS CSI driver tags new volumes as its own environment's (its budget counts them), never as another's", async () => {
    const csi = iam.roleNamed(`${clusterName(iam.platform, env)}-ebs-csi`);
    const other = env === 'dev' ? 'prod' : 'dev';
    const tagNewVolume = (environment: string): Request => ({
      action: 'ec2:CreateTags',
      resource: ec2Arn('volume'),
      context: { 'ec2:CreateAction': 'CreateVolume', ...tags(environment, 'RequestTag'), 'aws:TagKeys': ['platform', 'environment', 'managed-by'] },
    });
    expect(await decide(iam, csi, tagNewVolume(env))).toBe('Allowed');
    expect(await decide(iam, csi, tagNewVolume(other))).not.toBe('Allowed');
    // An existing volume cannot be retagged, not even as its own environment's.
    expect(await decide(iam, csi, { action: 'ec2:CreateTags', resource: ec2Arn('volume'), context: { ...tags(env, 'RequestTag'), 'aws:TagKeys': ['environment'] } })).not.toBe('Allowed');
  });

  it("Velero reads and writes its own environment's backup bucket only, multipart uploads included", async () => {
    const velero = iam.roleNamed(`${iamPrefix(iam.platform, env)}velero`);
    const other = env === 'dev' ? 'prod' : 'dev';
    const object = (e: string, purpose: string) => `arn:aws:s3:::${iamPrefix(iam.platform, e)}${purpose}-${account()}/backups/daily/velero-backup.json`;
    const own: Request[] = ['s3:GetObject', 's3:PutObject', 's3:DeleteObject', 's3:AbortMultipartUpload', 's3:ListMultipartUploadParts'].map((action) => ({ action, resource: object(env, 'velero') }));
    expect(await mismatches(velero, [...own, { action: 's3:ListBucket', resource: `arn:aws:s3:::${iamPrefix(iam.platform, env)}velero-${account()}` }], 'Allowed')).toEqual([]);
    expect(await mismatches(velero, [{ action: 's3:GetObject', resource: object(other, 'velero') }, { action: 's3:GetObject', resource: object(env, 'loki') }, { action: 'ec2:CreateSnapshot', resource: ec2Arn('volume') }], 'denied')).toEqual([]);
  });

  it('the nodes fetch Pod Identity credentials of their own cluster only', async () => {
    const node = iam.roleNamed(`${iamPrefix(iam.platform, env)}node`);
    const cluster = (e: string) => `arn:aws:eks:${region()}:${account()}:cluster/${clusterName(iam.platform, e)}`;
    expect(await decide(iam, node, { action: 'eks-auth:AssumeRoleForPodIdentity', resource: cluster(env) })).toBe('Allowed');
    expect(await decide(iam, node, { action: 'eks-auth:AssumeRoleForPodIdentity', resource: cluster(env === 'dev' ? 'prod' : 'dev') })).not.toBe('Allowed');
  });

  it('the boundary denies what no workload needs, whatever policy a role is given', async () => {
    const other = env === 'dev' ? 'prod' : 'dev';
    const own = tags(env, 'ResourceTag');
    const requests: Request[] = [
      { action: 'ec2:DeleteVpc', resource: ec2Arn('vpc'), context: own },
      { action: 'ec2:DeleteSubnet', resource: ec2Arn('subnet'), context: own },
      { action: 'ec2:DeleteNatGateway', resource: ec2Arn('natgateway'), context: own },
      { action: 'ec2:TerminateInstances', resource: ec2Arn('instance'), context: own },
      { action: 'ec2:RunInstances', resource: ec2Arn('instance') },
      { action: 'ec2:CreateRoute', resource: ec2Arn('route-table'), context: tags(other, 'ResourceTag') },
      // Retagging a resource as an environment's would hand it to that environment's apply role.
      { action: 'ec2:CreateTags', resource: ec2Arn('vpc'), context: { ...tags(other, 'ResourceTag'), ...tags(env, 'RequestTag'), 'aws:TagKeys': ['environment'] } },
      { action: 'iam:PutRolePolicy', resource: `arn:aws:iam::${account()}:role/${iamPrefix(iam.platform, env)}node` },
      { action: 'iam:CreateRole', resource: `arn:aws:iam::${account()}:role/anything` },
      { action: 'iam:PassRole', resource: `arn:aws:iam::${account()}:role/anything` },
      { action: 'sts:AssumeRole', resource: ciRoleArn(iam.platform, env, 'apply') },
      { action: 's3:GetObject', resource: `arn:aws:s3:::${iam.platform.stateBucket}/${env}-cluster/terraform.tfstate` },
      { action: 's3:GetObject', resource: `arn:aws:s3:::${iamPrefix(iam.platform, other)}backup-${account()}/base/data.tar` },
      { action: 'secretsmanager:GetSecretValue', resource: `arn:aws:secretsmanager:${region()}:${account()}:secret:${platformName()}/${other}/grafana-admin-AbCdEf` },
      { action: 'kms:Decrypt', resource: `arn:aws:kms:${region()}:${account()}:key/theirs`, context: tags(other, 'ResourceTag') },
      { action: 'ssm:SendCommand', resource: ec2Arn('instance'), context: own },
      { action: 'eks:DeleteCluster', resource: `arn:aws:eks:${region()}:${account()}:cluster/${clusterName(iam.platform, env)}` },
    ];
    const allowed: string[] = [];
    for (const request of requests) if ((await boundaryAllows(iam, boundary(), request)) === 'Allowed') allowed.push(`${request.action} on ${request.resource}`);
    expect(allowed).toEqual([]);
  });
});
