import type { ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import { DataAwsIamPolicyDocument, IamRole, IamRolePolicy, IamRolePolicyAttachment } from './providers/aws';

/** One IAM policy statement, written as data (the policy rules read the synthesized form back). */
export interface Statement {
  readonly sid?: string;
  readonly effect?: 'Allow' | 'Deny';
  readonly actions: string[];
  readonly resources?: string[];
  readonly principals?: { type: 'AWS' | 'Service' | 'Federated' | '*'; identifiers: string[] }[];
  readonly conditions?: { test: string; variable: string; values: string[] }[];
}

/**
 * An IAM policy document. aws_iam_policy_document is computed by the provider without calling AWS, keeps
 * the statements as structured JSON in the synthesized stack (so policy rules can read them) and
 * normalises the JSON so plans show no spurious diffs.
 */
export function policyDocument(scope: Construct, id: string, statements: Statement[]): DataAwsIamPolicyDocument {
  return new DataAwsIamPolicyDocument(scope, id, {
    statement: statements.map((s) => ({
      sid: s.sid,
      effect: s.effect ?? 'Allow',
      actions: s.actions,
      resources: s.resources,
      principals: s.principals,
      condition: s.conditions,
    })),
  });
}

/** The ARN of an AWS managed policy. */
export const awsManagedPolicy = (name: string) => `arn:aws:iam::aws:policy/${name}`;

export interface RoleProps {
  readonly name: string;
  readonly description: string;
  /** Who may assume the role. */
  readonly trust: Statement[];
  /** AWS managed policies to attach, by ARN. */
  readonly managedPolicyArns?: string[];
  /** The role's own permissions, as one inline policy. */
  readonly statements?: Statement[];
  readonly maxSessionDuration?: number;
  /** IAM path, e.g. /acme-platform/ci/ (default /). */
  readonly path?: string;
  /** ARN of the policy that caps what the role may do, whatever policies it gets. */
  readonly permissionsBoundary?: string;
}

/** An IAM role with its trust policy, attached managed policies and one inline policy. */
export class Role extends Construct {
  readonly role: IamRole;
  /** The role and its policies: depend on these to use the role only once its permissions are in place. */
  readonly dependables: ITerraformDependable[] = [];

  constructor(scope: Construct, id: string, props: RoleProps) {
    super(scope, id);
    this.role = new IamRole(this, 'role', {
      name: props.name,
      description: props.description,
      assumeRolePolicy: policyDocument(this, 'trust', props.trust).json,
      maxSessionDuration: props.maxSessionDuration,
      path: props.path,
      permissionsBoundary: props.permissionsBoundary,
    });
    this.dependables.push(this.role);
    for (const arn of props.managedPolicyArns ?? [])
      this.dependables.push(new IamRolePolicyAttachment(this, `attach-${arn.split('/').pop()}`, { role: this.role.name, policyArn: arn }));
    if (props.statements?.length)
      this.dependables.push(new IamRolePolicy(this, 'policy', {
        name: props.name,
        role: this.role.id,
        policy: policyDocument(this, 'permissions', props.statements).json,
      }));
  }

  get arn(): string {
    return this.role.arn;
  }
}

/**
 * Trust for an AWS service (e.g. eks.amazonaws.com). With `sourceAccount`, only requests the service makes
 * for this account (confused-deputy protection); give it only for services that send aws:SourceAccount.
 */
export function serviceTrust(service: string, sourceAccount?: string): Statement[] {
  return [
    {
      actions: ['sts:AssumeRole'],
      principals: [{ type: 'Service', identifiers: [service] }],
      conditions: sourceAccount ? [{ test: 'StringEquals', variable: 'aws:SourceAccount', values: [sourceAccount] }] : undefined,
    },
  ];
}

/** Trust for EKS Pod Identity: the role is usable only by the service accounts associated with it. */
export const podIdentityTrust: Statement[] = [
  { actions: ['sts:AssumeRole', 'sts:TagSession'], principals: [{ type: 'Service', identifiers: ['pods.eks.amazonaws.com'] }] },
];
