import { GITHUB_OIDC_HOST, oidcIssuerHost, POLICY_RULES, ruleInfo, type Finding, type RuleInfo, type Severity, type Violation } from '@platform-kit/config';
import { blocks, policyStatements, reference, resources, type Json, type PolicyStatement, type ResourceRef, type SynthesizedStack } from './terraform-json';

/*
 * The checks of the kit's security rules over synthesized Terraform JSON. What each rule protects and why is
 * its entry in POLICY_RULES (@platform-kit/config), attached here by id; the constructs satisfy every rule by
 * default, and the tests show each rule failing on a bad configuration.
 */

export type { Finding, RuleInfo, Severity, Violation };

export interface Rule extends RuleInfo {
  check(stack: SynthesizedStack): Finding[];
}

const name = (r: ResourceRef) => `${r.type}.${r.id}`;
const finding = (r: ResourceRef, message: string): Finding => ({ resource: name(r), message });

/**
 * Resources of `type` that point at `target` through `attribute` (e.g. a bucket's versioning by `bucket`),
 * by any of the target's attributes that identify it (for a bucket, `id` and `bucket` are the same name).
 */
function attachedTo(stack: SynthesizedStack, type: string, attribute: string, target: ResourceRef, targetAttributes = ['id']): Json[] {
  const refs = targetAttributes.map((a) => reference(target.type, target.id, a));
  const literal = target.body.bucket ?? target.body.name;
  return resources(stack, type)
    .filter((r) => refs.includes(r.body[attribute]) || (typeof literal === 'string' && r.body[attribute] === literal))
    .map((r) => r.body);
}

/** Bucket sub-resources name their bucket by `${aws_s3_bucket.x.id}`, `.bucket`, or its literal name. */
const forBucket = (stack: SynthesizedStack, type: string, bucket: ResourceRef) => attachedTo(stack, type, 'bucket', bucket, ['id', 'bucket']);

/** A check applied to every resource of one type. */
function each(type: string, check: (r: ResourceRef, stack: SynthesizedStack) => string | undefined): Rule['check'] {
  return (stack) =>
    resources(stack, type).flatMap((r) => {
      const problem = check(r, stack);
      return problem ? [finding(r, problem)] : [];
    });
}

const isTrue = (v: unknown) => v === true || v === 'true';

/** What is wrong with a launch template's or an instance's metadata_options: IMDSv2 only, one hop. */
function imdsProblem(metadataOptions: unknown): string | undefined {
  const m = blocks(metadataOptions)[0];
  if (m?.http_tokens !== 'required') return 'does not require IMDSv2 (metadata_options.http_tokens = "required").';
  if (Number(m.http_put_response_hop_limit) !== 1) return 'allows IMDS responses more than one hop away (http_put_response_hop_limit must be 1).';
  return undefined;
}

const s3Rules: Rule[] = [
  {
    ...ruleInfo('s3-encryption'),
    check: each('aws_s3_bucket', (bucket, stack) => {
      const rules = forBucket(stack, 'aws_s3_bucket_server_side_encryption_configuration', bucket).flatMap((c) => blocks(c.rule));
      const kms = rules.some((r) => {
        const d = blocks(r.apply_server_side_encryption_by_default)[0];
        const key = d?.kms_master_key_id;
        // alias/aws/s3 is the AWS-managed key: its policy cannot be restricted.
        return d?.sse_algorithm?.startsWith('aws:kms') && typeof key === 'string' && key !== '' && !key.includes('alias/aws/');
      });
      return kms ? undefined : 'has no default encryption with a KMS key (aws_s3_bucket_server_side_encryption_configuration, sse_algorithm aws:kms).';
    }),
  },
  {
    ...ruleInfo('s3-versioning'),
    check: each('aws_s3_bucket', (bucket, stack) =>
      forBucket(stack, 'aws_s3_bucket_versioning', bucket).some((v) => blocks(v.versioning_configuration)[0]?.status === 'Enabled')
        ? undefined
        : 'is not versioned (aws_s3_bucket_versioning with status Enabled).',
    ),
  },
  {
    ...ruleInfo('s3-public-access-block'),
    check: each('aws_s3_bucket', (bucket, stack) => {
      const flags = ['block_public_acls', 'block_public_policy', 'ignore_public_acls', 'restrict_public_buckets'];
      return forBucket(stack, 'aws_s3_bucket_public_access_block', bucket).some((b) => flags.every((f) => isTrue(b[f])))
        ? undefined
        : `has no public access block with all of ${flags.join(', ')}.`;
    }),
  },
  {
    ...ruleInfo('s3-tls-only'),
    check: each('aws_s3_bucket', (bucket, stack) => {
      const arn = reference(bucket.type, bucket.id, 'arn');
      const statements = forBucket(stack, 'aws_s3_bucket_policy', bucket).flatMap((p) => policyStatements(stack, p.policy) ?? []);
      const denies = statements.some(
        (s) =>
          s.effect === 'Deny' &&
          [...(s.principals['*'] ?? []), ...(s.principals.AWS ?? [])].includes('*') &&
          s.actions.includes('s3:*') &&
          [arn, `${arn}/*`].every((r) => s.resources.includes(r)) &&
          s.conditions.Bool?.['aws:SecureTransport']?.includes('false') === true,
      );
      return denies ? undefined : 'has no bucket policy denying s3:* on the bucket and its objects when aws:SecureTransport is false.';
    }),
  },
  {
    ...ruleInfo('s3-owner-enforced'),
    check: each('aws_s3_bucket', (bucket, stack) =>
      forBucket(stack, 'aws_s3_bucket_ownership_controls', bucket).some((o) => blocks(o.rule)[0]?.object_ownership === 'BucketOwnerEnforced')
        ? undefined
        : 'does not set object ownership to BucketOwnerEnforced.',
    ),
  },
];

const kmsRules: Rule[] = [
  {
    ...ruleInfo('kms-key-rotation'),
    check: each('aws_kms_key', (key) => (isTrue(key.body.enable_key_rotation) ? undefined : 'does not enable key rotation.')),
  },
  {
    ...ruleInfo('logs-encrypted-and-retained'),
    check: each('aws_cloudwatch_log_group', (group) => {
      if (!group.body.kms_key_id) return 'has no kms_key_id.';
      if (!(Number(group.body.retention_in_days) > 0)) return 'has no retention_in_days (logs would be kept forever).';
      return undefined;
    }),
  },
];

const REQUIRED_LOGS = ['api', 'audit', 'authenticator'];

/** The smallest prefix length a public access CIDR may have: shorter ones open the API to much of the internet. */
const MIN_PUBLIC_PREFIX = 8;

const eksRules: Rule[] = [
  {
    ...ruleInfo('eks-secrets-encryption'),
    check: each('aws_eks_cluster', (cluster) => {
      const ok = blocks(cluster.body.encryption_config).some(
        (c) => (c.resources ?? []).includes('secrets') && typeof blocks(c.provider)[0]?.key_arn === 'string',
      );
      return ok ? undefined : 'has no encryption_config for "secrets" with a KMS key.';
    }),
  },
  {
    ...ruleInfo('eks-control-plane-logs'),
    check: each('aws_eks_cluster', (cluster) => {
      const missing = REQUIRED_LOGS.filter((t) => !(cluster.body.enabled_cluster_log_types ?? []).includes(t));
      return missing.length ? `does not enable control-plane logs: ${missing.join(', ')}.` : undefined;
    }),
  },
  {
    ...ruleInfo('eks-endpoint-restricted'),
    check: each('aws_eks_cluster', (cluster) => {
      const vpc = blocks(cluster.body.vpc_config)[0] ?? {};
      // The provider's default for endpoint_public_access is true, and for public_access_cidrs 0.0.0.0/0.
      if (vpc.endpoint_public_access === false || vpc.endpoint_public_access === 'false') return undefined;
      const cidrs: string[] = vpc.public_access_cidrs ?? [];
      if (!cidrs.length) return 'has a public endpoint open to 0.0.0.0/0 (set endpoint_public_access = false or list public_access_cidrs).';
      const wide = cidrs.filter((c) => Number(c.split('/')[1] ?? 32) < MIN_PUBLIC_PREFIX);
      return wide.length ? `has a public endpoint open to ${wide.join(', ')}.` : undefined;
    }),
  },
  {
    ...ruleInfo('eks-access-entries'),
    check: each('aws_eks_cluster', (cluster) =>
      blocks(cluster.body.access_config)[0]?.authentication_mode === 'API' ? undefined : 'does not set access_config.authentication_mode = "API".',
    ),
  },
  {
    ...ruleInfo('nodes-imdsv2'),
    check: (stack) => [
      ...each('aws_launch_template', (template) => imdsProblem(template.body.metadata_options))(stack),
      ...each('aws_eks_node_group', (group) =>
        blocks(group.body.launch_template).length ? undefined : 'has no launch template, so its nodes get the default metadata settings (IMDSv1 allowed, hop limit 2).',
      )(stack),
      // An instance of its own (the NAT instance): the same settings, on the instance.
      ...each('aws_instance', (instance) => imdsProblem(instance.body.metadata_options))(stack),
    ],
  },
  {
    ...ruleInfo('volumes-encrypted'),
    check: (stack) => [
      ...each('aws_launch_template', (template) => {
        const mappings = blocks(template.body.block_device_mappings);
        if (!mappings.length) return 'has no block_device_mappings, so the root volume is encrypted only if the AMI or the account default says so.';
        const clear = mappings.filter((b) => !isTrue(blocks(b.ebs)[0]?.encrypted));
        return clear.length ? `has unencrypted volumes: ${clear.map((b) => b.device_name).join(', ')}.` : undefined;
      })(stack),
      ...each('aws_ebs_volume', (volume) => (isTrue(volume.body.encrypted) ? undefined : 'is not encrypted.'))(stack),
      ...each('aws_instance', (instance) => (isTrue(blocks(instance.body.root_block_device)[0]?.encrypted) ? undefined : 'has a root volume that is not encrypted (root_block_device.encrypted).'))(stack),
    ],
  },
];

const ecrRules: Rule[] = [
  {
    ...ruleInfo('ecr-immutable-tags'),
    check: each('aws_ecr_repository', (repo) => (repo.body.image_tag_mutability === 'IMMUTABLE' ? undefined : 'allows tags to be overwritten.')),
  },
  {
    ...ruleInfo('ecr-scan-on-push'),
    check: each('aws_ecr_repository', (repo) =>
      isTrue(blocks(repo.body.image_scanning_configuration)[0]?.scan_on_push) ? undefined : 'does not scan images on push.',
    ),
  },
];

/** AWS managed policies that amount to administrator access (matched by name, whatever the partition). */
const ADMIN_POLICY = /:iam::aws:policy\/(AdministratorAccess|PowerUserAccess|IAMFullAccess)$/;

/** IAM action patterns (`*` and `?` wildcards) matched against an action name, case-insensitively as IAM does. */
const matches = (pattern: string, action: string) =>
  new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`, 'i').test(action);

/** Allow of every action (or every action but a few: NotAction) on every resource (or all but a few: NotResource). */
const grantsEverything = (s: PolicyStatement) =>
  s.effect === 'Allow' && (s.actions.some((a) => a === '*' || a === '*:*') || s.notActions.length > 0) && (s.resources.includes('*') || s.notResources.length > 0);

const isWebIdentity = (s: PolicyStatement) => s.effect === 'Allow' && s.actions.some((a) => matches(a, 'sts:AssumeRoleWithWebIdentity'));

/** A `sub` value naming one repository, e.g. repo:acme/platform:environment:prod (wildcards only after the repository). */
const SPECIFIC_SUBJECT = /^repo:[A-Za-z0-9-]+\/[A-Za-z0-9._-]+:/;

/**
 * The issuer a Federated principal names, as its condition keys do (host and path, no scheme): from an OIDC provider's
 * ARN, or from the URL of a provider of the stack it refers to. Undefined for another principal.
 */
function oidcIssuer(stack: SynthesizedStack, principal: string): string | undefined {
  const arn = /:oidc-provider\/(.+)$/.exec(principal);
  if (arn) return arn[1];
  const ref = /^\$\{aws_iam_openid_connect_provider\.([^.}]+)\.arn\}$/.exec(principal);
  const url = ref ? stack.json.resource?.aws_iam_openid_connect_provider?.[ref[1]]?.url : undefined;
  return typeof url === 'string' ? oidcIssuerHost(url) : undefined;
}

/** What is wrong with a web identity trust of an issuer other than GitHub (a cluster's service accounts), if anything. */
function serviceAccountTrustProblem(s: PolicyStatement, issuer: string): string | undefined {
  const subjects = ['StringEquals', 'StringLike'].flatMap((op) => s.conditions[op]?.[`${issuer}:sub`] ?? []);
  if (!subjects.length) return `trusts the OIDC provider ${issuer} without a condition on ${issuer}:sub.`;
  const loose = subjects.filter((v) => !/^system:serviceaccount:[a-z0-9-]+:[a-z0-9.-]+$/.test(v));
  if (loose.length) return `trusts ${issuer} subjects that do not name one service account: ${loose.join(', ')}.`;
  if (!(s.conditions.StringEquals?.[`${issuer}:aud`] ?? []).includes('sts.amazonaws.com')) return `trusts ${issuer} without ${issuer}:aud = sts.amazonaws.com.`;
  return undefined;
}

/** Every permission policy of a stack, with where it is attached, for the admin rule. */
function permissionPolicies(stack: SynthesizedStack): [ResourceRef, unknown][] {
  const standalone = ['aws_iam_role_policy', 'aws_iam_user_policy', 'aws_iam_group_policy', 'aws_iam_policy'].flatMap((type) =>
    resources(stack, type).map((r) => [r, r.body.policy] as [ResourceRef, unknown]),
  );
  const inline = resources(stack, 'aws_iam_role').flatMap((role) => blocks(role.body.inline_policy).map((p) => [role, p.policy] as [ResourceRef, unknown]));
  return [...standalone, ...inline];
}

const iamRules: Rule[] = [
  {
    ...ruleInfo('iam-no-full-admin'),
    check: (stack) => [
      ...permissionPolicies(stack).flatMap(([owner, policy]) => {
        const statements = policyStatements(stack, policy);
        if (!statements) return [finding(owner, 'has a policy the rules cannot read: write it as an aws_iam_policy_document or JSON text.')];
        return statements.some(grantsEverything) ? [finding(owner, 'allows "*" on "*" (every action on every resource).')] : [];
      }),
      ...['aws_iam_role_policy_attachment', 'aws_iam_user_policy_attachment', 'aws_iam_group_policy_attachment', 'aws_iam_policy_attachment']
        .flatMap((type) => resources(stack, type))
        .filter((a) => ADMIN_POLICY.test(String(a.body.policy_arn)))
        .map((a) => finding(a, `attaches ${a.body.policy_arn}.`)),
      ...resources(stack, 'aws_iam_role')
        .filter((role) => (role.body.managed_policy_arns ?? []).some((arn: string) => ADMIN_POLICY.test(arn)))
        .map((role) => finding(role, 'has an administrator policy in managed_policy_arns.')),
    ],
  },
  {
    ...ruleInfo('iam-role-permissions-boundary'),
    check: (stack) =>
      // The account-level stacks hold the CI roles and the boundaries themselves.
      ['bootstrap', 'shared'].includes(stack.name)
        ? []
        : resources(stack, 'aws_iam_role')
            .filter((role) => typeof role.body.permissions_boundary !== 'string' || role.body.permissions_boundary === '')
            .map((role) => finding(role, 'has no permissions_boundary.')),
  },
  {
    ...ruleInfo('iam-oidc-trust-restricted'),
    check: each('aws_iam_role', (role, stack) => {
      const statements = policyStatements(stack, role.body.assume_role_policy);
      if (!statements) return 'has a trust policy the rules cannot read: write it as an aws_iam_policy_document or JSON text.';
      for (const s of statements.filter(isWebIdentity)) {
        const issuers = (s.principals.Federated ?? []).map((p) => oidcIssuer(stack, p)).filter((i): i is string => i !== undefined);
        for (const issuer of issuers.filter((i) => !i.includes(GITHUB_OIDC_HOST))) {
          const problem = serviceAccountTrustProblem(s, issuer);
          if (problem) return problem;
        }
        if (!issuers.some((i) => i.includes(GITHUB_OIDC_HOST))) continue;
        const subjects = ['StringEquals', 'StringLike'].flatMap((op) => s.conditions[op]?.[`${GITHUB_OIDC_HOST}:sub`] ?? []);
        if (!subjects.length) return `trusts GitHub OIDC without a condition on ${GITHUB_OIDC_HOST}:sub.`;
        const loose = subjects.filter((v) => !SPECIFIC_SUBJECT.test(v));
        if (loose.length) return `trusts GitHub OIDC subjects that do not name one repository: ${loose.join(', ')}.`;
        if (!(s.conditions.StringEquals?.[`${GITHUB_OIDC_HOST}:aud`] ?? []).includes('sts.amazonaws.com'))
          return `trusts GitHub OIDC without ${GITHUB_OIDC_HOST}:aud = sts.amazonaws.com.`;
      }
      return undefined;
    }),
  },
];

const networkRules: Rule[] = [
  {
    ...ruleInfo('vpc-flow-logs'),
    check: each('aws_vpc', (vpc, stack) => (attachedTo(stack, 'aws_flow_log', 'vpc_id', vpc).length ? undefined : 'has no flow log.')),
  },
  {
    ...ruleInfo('vpn-connection-logs'),
    check: each('aws_ec2_client_vpn_endpoint', (endpoint) => {
      const logs = blocks(endpoint.body.connection_log_options)[0];
      if (!isTrue(logs?.enabled) || typeof logs?.cloudwatch_log_group !== 'string' || logs.cloudwatch_log_group === '')
        return 'does not log connections (connection_log_options: enabled, with a cloudwatch_log_group).';
      const auth = blocks(endpoint.body.authentication_options);
      if (!auth.length || auth.some((a) => a.type === 'certificate-authentication' && !a.root_certificate_chain_arn)) return 'has no client authentication with a root certificate chain.';
      return undefined;
    }),
  },
];

const costRules: Rule[] = [
  {
    ...ruleInfo('budget-per-environment'),
    // An environment's network stack (the one with its VPC) holds its budget: a cost budget filtered by the
    // environment's tag, with an alert that has at least one subscriber.
    check: each('aws_vpc', (_vpc, stack) => {
      const alerting = resources(stack, 'aws_budgets_budget').filter(({ body }) => {
        const byEnvironment = blocks(body.cost_filter).some((f) => f.name === 'TagKeyValue' && (f.values ?? []).some((v: unknown) => String(v).startsWith('user:environment$')));
        const heard = blocks(body.notification).some((n) => (n.subscriber_email_addresses ?? []).length + (n.subscriber_sns_topic_arns ?? []).length > 0);
        return body.budget_type === 'COST' && byEnvironment && heard;
      });
      return alerting.length ? undefined : "has no cost budget of its environment in its stack (aws_budgets_budget on the environment's tag, with an alert that e-mails someone).";
    }),
  },
];

/** Every rule of the kit, in the order of POLICY_RULES (each entry has exactly one check: the tests prove it). */
const secretRules: Rule[] = [
  {
    ...ruleInfo('secrets-encrypted'),
    check: each('aws_secretsmanager_secret', (secret) => {
      const key = secret.body.kms_key_id;
      return typeof key === 'string' && key !== '' && !key.includes('alias/aws/') ? undefined : 'has no kms_key_id of a customer-managed key (the AWS-managed aws/secretsmanager key is used).';
    }),
  },
  {
    ...ruleInfo('secrets-not-in-state'),
    // Values are generated at apply time by a script (scripts/generate-secret.sh), or put by people; never by Terraform.
    check: each('aws_secretsmanager_secret_version', (version) =>
      ['secret_string', 'secret_binary'].some((a) => version.body[a] !== undefined)
        ? 'writes a secret value (secret_string or secret_binary): it would be kept in the Terraform state. Generate it at apply time, outside Terraform.'
        : undefined,
    ),
  },
];

const CHECKED: readonly Rule[] = [...s3Rules, ...kmsRules, ...eksRules, ...ecrRules, ...iamRules, ...secretRules, ...networkRules, ...costRules];
export const RULES: readonly Rule[] = POLICY_RULES.map((info) => {
  const rule = CHECKED.find((r) => r.id === info.id);
  if (!rule) throw new Error(`The rule ${info.id} of POLICY_RULES has no check in policy/rules.ts.`);
  return rule;
});

/** Evaluates rules over synthesized stacks; an empty result means every rule holds. */
export function evaluate(stacks: readonly SynthesizedStack[], rules: readonly Rule[] = RULES): Violation[] {
  return stacks.flatMap((stack) =>
    rules.flatMap((rule) => rule.check(stack).map((f) => ({ ...f, rule: rule.id, severity: rule.severity, stack: stack.name }))),
  );
}
