/*
 * The kit's security rules as data: what each rule protects and why. The checks that read synthesized Terraform
 * live in @platform-kit/constructs (policy/rules.ts) and attach to these entries by id; keeping the catalogue
 * here lets @platform-kit/projen validate suppressions and write docs/policy.md without loading cdktf.
 */

export type Severity = 'critical' | 'high' | 'medium';

/** A rule without its check: id, severity, title and why it matters. */
export interface RuleInfo {
  readonly id: string;
  readonly severity: Severity;
  readonly title: string;
  readonly rationale: string;
}

/** One place a rule does not hold. */
export interface Finding {
  /** `type.logical_id` of the resource at fault. */
  readonly resource: string;
  readonly message: string;
}

/** A finding of one rule in one stack. */
export interface Violation extends Finding {
  readonly rule: string;
  readonly severity: Severity;
  readonly stack: string;
}

/** Every rule of the kit, by area (S3, KMS and logs, EKS, ECR, IAM, network, cost), in the engine's order. */
export const POLICY_RULES: readonly RuleInfo[] = [
  {
    id: 's3-encryption',
    severity: 'high',
    title: 'S3 buckets are encrypted with a customer-managed KMS key',
    rationale: 'State and data buckets hold secrets; a KMS key adds an audited, revocable permission on top of S3 access.',
  },
  {
    id: 's3-versioning',
    severity: 'medium',
    title: 'S3 buckets are versioned',
    rationale: 'A deleted or overwritten object (a Terraform state, a backup) can be recovered.',
  },
  {
    id: 's3-public-access-block',
    severity: 'critical',
    title: 'S3 buckets block every form of public access',
    rationale: 'A policy or ACL mistake must not make a bucket public.',
  },
  {
    id: 's3-tls-only',
    severity: 'high',
    title: 'S3 buckets refuse requests without TLS',
    rationale: 'Objects must never cross the network in clear text.',
  },
  {
    id: 's3-owner-enforced',
    severity: 'medium',
    title: 'S3 buckets disable ACLs',
    rationale: 'With ACLs off, only policies grant access: one place to review.',
  },
  {
    id: 'kms-key-rotation',
    severity: 'medium',
    title: 'KMS keys rotate yearly',
    rationale: 'Limits how much data one key version protects.',
  },
  {
    id: 'logs-encrypted-and-retained',
    severity: 'medium',
    title: 'Log groups are encrypted with a KMS key and expire',
    rationale: 'Audit and flow logs reveal the platform; kept forever they also cost forever.',
  },
  {
    id: 'eks-secrets-encryption',
    severity: 'high',
    title: 'EKS encrypts Kubernetes secrets with a KMS key',
    rationale: 'Envelope encryption keeps secrets unreadable in etcd backups and snapshots.',
  },
  {
    id: 'eks-control-plane-logs',
    severity: 'medium',
    title: 'EKS sends api, audit and authenticator logs to CloudWatch',
    rationale: 'Who did what to the cluster must be answerable after the fact.',
  },
  {
    id: 'eks-endpoint-restricted',
    severity: 'critical',
    title: "The EKS API endpoint is private, or public only to listed networks",
    rationale: 'An API open to 0.0.0.0/0 is one leaked credential or one API bug away from compromise.',
  },
  {
    id: 'eks-access-entries',
    severity: 'medium',
    title: 'EKS authenticates with access entries only',
    rationale: 'Access entries are managed through the EKS API and audited; the aws-auth ConfigMap is neither.',
  },
  {
    id: 'nodes-imdsv2',
    severity: 'high',
    title: 'Nodes require IMDSv2 with a hop limit of 1',
    rationale: 'Pods must not reach the node role credentials through the instance metadata service (SSRF, container escape).',
  },
  {
    id: 'volumes-encrypted',
    severity: 'high',
    title: 'EBS volumes are encrypted',
    rationale: 'Node disks hold container images, logs and emptyDir data.',
  },
  {
    id: 'ecr-immutable-tags',
    severity: 'medium',
    title: 'ECR image tags are immutable',
    rationale: 'A deployed tag must always mean the same image: no silent replacement.',
  },
  {
    id: 'ecr-scan-on-push',
    severity: 'medium',
    title: 'ECR scans images on push',
    rationale: 'Known vulnerabilities show up before an image is deployed.',
  },
  {
    id: 'iam-no-full-admin',
    severity: 'critical',
    title: 'No IAM policy grants every action on every resource',
    rationale: 'A role that can do anything turns any compromise of it into a compromise of the account.',
  },
  {
    id: 'iam-role-permissions-boundary',
    severity: 'high',
    title: 'IAM roles of environment stacks carry a permissions boundary',
    rationale: 'An apply role may attach any policy to the roles it creates; the boundary caps what those roles can do.',
  },
  {
    id: 'iam-oidc-trust-restricted',
    severity: 'critical',
    title: 'Roles trusted through OIDC name the subject (sub: the GitHub repository, or one service account of a cluster) and the audience (aud)',
    rationale: "Without a sub condition any GitHub repository, anyone's, or any service account of the cluster could assume the role.",
  },
  {
    id: 'secrets-encrypted',
    severity: 'high',
    title: 'Secrets Manager secrets are encrypted with a customer-managed KMS key',
    rationale: "With the key's policy, only the roles meant to read a secret can decrypt it; the AWS-managed key trusts every principal of the account.",
  },
  {
    id: 'secrets-not-in-state',
    severity: 'high',
    title: 'No secret value is written by Terraform (none in its state or plans)',
    rationale: 'Terraform state and plan files are read by CI and by everyone who can read the state bucket: a value written by Terraform is kept there in plain text.',
  },
  {
    id: 'vpc-flow-logs',
    severity: 'medium',
    title: 'VPCs record flow logs',
    rationale: 'Network traffic must be traceable during an incident.',
  },
  {
    id: 'vpn-connection-logs',
    severity: 'medium',
    title: 'Client VPN endpoints log every connection and use certificates from ACM',
    rationale: 'Who connected from where, and when, is the first question after a lost laptop or a leaked key.',
  },
  {
    id: 'budget-per-environment',
    severity: 'medium',
    title: "Every environment has a cost budget that alerts someone",
    rationale: 'A forgotten node group or a runaway log stream must reach a person within the month, not on the invoice.',
  },
];

/** The catalogue entry of a rule; throws for an id that is not in it (a check must have its entry). */
export function ruleInfo(id: string): RuleInfo {
  const info = POLICY_RULES.find((r) => r.id === id);
  if (!info) throw new Error(`No rule "${id}" in POLICY_RULES (packages/config/src/policy-rules.ts).`);
  return info;
}
