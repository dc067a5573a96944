import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { answeredSuppressions, applySuppressions, POLICY_RULES, resolvePlatform, type AnswersInput } from '@platform-kit/config';
import { afterAll, describe, expect, it } from 'vitest';
import { evaluate, PlatformApp, readSynthesized, RULES, type SynthesizedStack, type Violation } from '../src';
import { renderedValues } from './support';

/*
 * The security rules over synthesized Terraform JSON: every answer set below synthesizes to stacks that
 * satisfy every rule, and every rule fails, alone and on the resource at fault, when a clone of those
 * stacks is mutated into a realistic bad configuration.
 */

type Json = Record<string, any>;

// ---------------------------------------------------------------------------------------------------------
// Synthesis: once per answer set, lazily, shared by every test; mutations work on structured clones.
// ---------------------------------------------------------------------------------------------------------

const ANSWERS = {
  default: {},
  'dev only, no services': { environments: ['dev'], services: [] },
  // A NAT instance, one node, no audit log: the answers' own suppression (platform/policy.json) covers the audit log.
  'lean dev': { environments: [{ name: 'dev', profile: 'lean', vpn: true }], services: ['api'] },
  'prod only, public endpoint, existing OIDC provider': {
    environments: [{ name: 'prod', clusterPublicAccessCidrs: ['203.0.113.0/24'] }],
    aws: {
      region: 'us-east-1',
      accountId: '111122223333',
      adminRoleArns: ['arn:aws:iam::111122223333:role/Admin'],
    },
    github: { owner: 'initech', oidcProvider: 'existing' },
  },
  // dev on an existing cluster whose service account issuer AWS trusts: its ECR pull role in shared.
  'dev on an existing cluster': {
    environments: [{ name: 'dev', target: { kind: 'kubernetes', context: 'office', serviceAccountIssuer: 'https://oidc.office.example.com' } }, 'prod'],
    services: ['api'],
  },
} satisfies Record<string, AnswersInput>;

type AnswerSet = keyof typeof ANSWERS;

const outdirs: string[] = [];
afterAll(() => {
  for (const dir of outdirs) rmSync(dir, { recursive: true, force: true });
});

const synthesized = new Map<AnswerSet, SynthesizedStack[]>();

function synth(set: AnswerSet): SynthesizedStack[] {
  let stacks = synthesized.get(set);
  if (!stacks) {
    const outdir = mkdtempSync(join(tmpdir(), 'pk-policy-'));
    outdirs.push(outdir);
    const platform = resolvePlatform(ANSWERS[set]);
    new PlatformApp(platform, { outdir, helmValues: renderedValues(platform) }).synth();
    stacks = readSynthesized(outdir);
    synthesized.set(set, stacks);
  }
  return stacks;
}

// ---------------------------------------------------------------------------------------------------------
// Mutating a clone of the synthesized stacks.
// ---------------------------------------------------------------------------------------------------------

/** A clone of every stack of one answer set, with helpers to find and change resources. */
class Mutable {
  readonly stacks: SynthesizedStack[];

  constructor(set: AnswerSet) {
    this.stacks = structuredClone(synth(set));
  }

  json(stack: string): Json {
    const found = this.stacks.find((s) => s.name === stack);
    if (!found) throw new Error(`no stack ${stack} (have ${this.stacks.map((s) => s.name).join(', ')})`);
    return found.json;
  }

  /** Logical ids of the resources of one type. */
  ids(stack: string, type: string): string[] {
    return Object.keys(this.json(stack).resource?.[type] ?? {});
  }

  /** The only resource of a type (its logical id); throws when there is not exactly one. */
  only(stack: string, type: string): string {
    const ids = this.ids(stack, type);
    if (ids.length !== 1) throw new Error(`expected exactly one ${type} in ${stack}, found ${ids.length}`);
    return ids[0];
  }

  /** The only resource of a type whose logical id starts with `prefix`. */
  find(stack: string, type: string, prefix: string): string {
    const ids = this.ids(stack, type).filter((id) => id.startsWith(prefix));
    if (ids.length !== 1) throw new Error(`expected exactly one ${type} ${prefix}* in ${stack}, found ${ids.length}`);
    return ids[0];
  }

  body(stack: string, type: string, id: string): Json {
    const body = this.json(stack).resource?.[type]?.[id];
    if (!body) throw new Error(`no ${type}.${id} in ${stack}`);
    return body;
  }

  add(stack: string, type: string, id: string, body: Json): void {
    const json = this.json(stack);
    json.resource ??= {};
    json.resource[type] ??= {};
    json.resource[type][id] = body;
  }

  remove(stack: string, type: string, id: string): void {
    this.body(stack, type, id);
    delete this.json(stack).resource[type][id];
  }

  /** The aws_iam_policy_document a policy attribute refers to (`${data.aws_iam_policy_document.<id>.json}`). */
  document(stack: string, policy: string): Json {
    const match = /^\$\{data\.aws_iam_policy_document\.([^.}]+)\.json\}$/.exec(policy);
    if (!match) throw new Error(`${policy} does not refer to an aws_iam_policy_document`);
    const document = this.json(stack).data?.aws_iam_policy_document?.[match[1]];
    if (!document) throw new Error(`no aws_iam_policy_document.${match[1]} in ${stack}`);
    return document;
  }

  /** The trust document of an IAM role. */
  trust(stack: string, roleId: string): Json {
    return this.document(stack, this.body(stack, 'aws_iam_role', roleId).assume_role_policy);
  }
}

/** The `${type.id.attribute}` reference Terraform JSON uses. */
const ref = (type: string, id: string, attribute: string) => `\${${type}.${id}.${attribute}}`;

/** The conditions of the only statement of a document. */
function conditionsOf(document: Json): Json[] {
  expect(document.statement).toHaveLength(1);
  return document.statement[0].condition;
}

/** The condition on `variable` of the only statement of a document. */
function conditionOn(document: Json, variable: string): Json {
  const found = conditionsOf(document).find((c) => c.variable === variable);
  if (!found) throw new Error(`no condition on ${variable}`);
  return found;
}

const SUB = 'token.actions.githubusercontent.com:sub';
const AUD = 'token.actions.githubusercontent.com:aud';

/** One violation a mutation should produce (the rule is the case's). */
interface Expected {
  stack: string;
  /** `type.logical_id` of the mutated resource. */
  resource: string;
  /** Optionally, what the message must say (tells apart the conditions of one rule). */
  message?: RegExp;
}

interface FailingCase {
  rule: string;
  title: string;
  /** Which synthesized answer set to mutate (default: the default answers). */
  answers?: AnswerSet;
  /** Mutates the clone; returns the violations it should cause. */
  mutate(m: Mutable): Expected[];
}

// Shorthands for the resources the cases mutate most.
const stateBucket = (m: Mutable): Expected => ({
  stack: 'bootstrap',
  resource: `aws_s3_bucket.${m.only('bootstrap', 'aws_s3_bucket')}`,
});
const devCluster = (m: Mutable) => m.body('dev-cluster', 'aws_eks_cluster', m.only('dev-cluster', 'aws_eks_cluster'));
const devClusterExpected = (m: Mutable, message?: RegExp): Expected => ({
  stack: 'dev-cluster',
  resource: `aws_eks_cluster.${m.only('dev-cluster', 'aws_eks_cluster')}`,
  message,
});
const launchTemplate = (m: Mutable, stack = 'dev-cluster') => m.body(stack, 'aws_launch_template', m.only(stack, 'aws_launch_template'));
const launchTemplateExpected = (m: Mutable, message?: RegExp, stack = 'dev-cluster'): Expected => ({
  stack,
  resource: `aws_launch_template.${m.only(stack, 'aws_launch_template')}`,
  message,
});
const onlyBody = (m: Mutable, stack: string, type: string) => m.body(stack, type, m.only(stack, type));
const onlyExpected = (m: Mutable, stack: string, type: string, message?: RegExp): Expected => ({
  stack,
  resource: `${type}.${m.only(stack, type)}`,
  message,
});

const ADMIN_JSON = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }],
});

const FAILING: FailingCase[] = [
  // --- s3-encryption ------------------------------------------------------------------------------------
  {
    rule: 's3-encryption',
    title: 'aws:kms with the AWS-managed key named by alias/aws/s3',
    mutate: (m) => {
      onlyBody(m, 'bootstrap', 'aws_s3_bucket_server_side_encryption_configuration').rule[0].apply_server_side_encryption_by_default.kms_master_key_id =
        'alias/aws/s3';
      return [stateBucket(m)];
    },
  },
  {
    rule: 's3-encryption',
    title: 'default encryption switched to AES256 (S3-managed keys)',
    mutate: (m) => {
      const d = onlyBody(m, 'bootstrap', 'aws_s3_bucket_server_side_encryption_configuration').rule[0].apply_server_side_encryption_by_default;
      d.sse_algorithm = 'AES256';
      delete d.kms_master_key_id;
      return [stateBucket(m)];
    },
  },
  {
    rule: 's3-encryption',
    title: 'aws:kms without a key id (the AWS-managed aws/s3 key)',
    mutate: (m) => {
      delete onlyBody(m, 'bootstrap', 'aws_s3_bucket_server_side_encryption_configuration').rule[0].apply_server_side_encryption_by_default
        .kms_master_key_id;
      return [stateBucket(m)];
    },
  },
  {
    rule: 's3-encryption',
    title: 'aws:kms with an empty key id',
    mutate: (m) => {
      onlyBody(
        m,
        'bootstrap',
        'aws_s3_bucket_server_side_encryption_configuration'
      ).rule[0].apply_server_side_encryption_by_default.kms_master_key_id = '';
      return [stateBucket(m)];
    },
  },
  {
    rule: 's3-encryption',
    title: 'the encryption configuration deleted',
    mutate: (m) => {
      m.remove(
        'bootstrap',
        'aws_s3_bucket_server_side_encryption_configuration',
        m.only('bootstrap', 'aws_s3_bucket_server_side_encryption_configuration')
      );
      return [stateBucket(m)];
    },
  },
  {
    rule: 's3-encryption',
    title: 'the encryption configuration pointed at another bucket',
    mutate: (m) => {
      onlyBody(m, 'bootstrap', 'aws_s3_bucket_server_side_encryption_configuration').bucket = ref('aws_s3_bucket', 'other', 'id');
      return [stateBucket(m)];
    },
  },
  // --- s3-versioning ------------------------------------------------------------------------------------
  {
    rule: 's3-versioning',
    title: 'versioning suspended',
    mutate: (m) => {
      onlyBody(m, 'bootstrap', 'aws_s3_bucket_versioning').versioning_configuration.status = 'Suspended';
      return [stateBucket(m)];
    },
  },
  {
    rule: 's3-versioning',
    title: 'the versioning resource deleted',
    mutate: (m) => {
      m.remove('bootstrap', 'aws_s3_bucket_versioning', m.only('bootstrap', 'aws_s3_bucket_versioning'));
      return [stateBucket(m)];
    },
  },
  // --- s3-public-access-block ---------------------------------------------------------------------------
  ...(['block_public_acls', 'block_public_policy', 'ignore_public_acls', 'restrict_public_buckets'] as const).flatMap((flag): FailingCase[] => [
    {
      rule: 's3-public-access-block',
      title: `${flag} = false`,
      mutate: (m) => {
        onlyBody(m, 'bootstrap', 'aws_s3_bucket_public_access_block')[flag] = false;
        return [stateBucket(m)];
      },
    },
    {
      rule: 's3-public-access-block',
      title: `${flag} removed (provider default false)`,
      mutate: (m) => {
        delete onlyBody(m, 'bootstrap', 'aws_s3_bucket_public_access_block')[flag];
        return [stateBucket(m)];
      },
    },
  ]),
  {
    rule: 's3-public-access-block',
    title: 'block_public_policy = "false" (string)',
    mutate: (m) => {
      onlyBody(m, 'bootstrap', 'aws_s3_bucket_public_access_block').block_public_policy = 'false';
      return [stateBucket(m)];
    },
  },
  {
    rule: 's3-public-access-block',
    title: 'the public access block deleted',
    mutate: (m) => {
      m.remove('bootstrap', 'aws_s3_bucket_public_access_block', m.only('bootstrap', 'aws_s3_bucket_public_access_block'));
      return [stateBucket(m)];
    },
  },
  // --- s3-tls-only --------------------------------------------------------------------------------------
  {
    rule: 's3-tls-only',
    title: 'the aws:SecureTransport condition flipped to "true"',
    mutate: (m) => {
      const document = m.document('bootstrap', onlyBody(m, 'bootstrap', 'aws_s3_bucket_policy').policy);
      const condition = document.statement.flatMap((s: Json) => s.condition ?? []).find((c: Json) => c.variable === 'aws:SecureTransport');
      expect(condition.values).toEqual(['false']);
      condition.values = ['true'];
      return [stateBucket(m)];
    },
  },
  {
    rule: 's3-tls-only',
    title: 'the deny covers the bucket but not its objects',
    mutate: (m) => {
      const document = m.document('bootstrap', onlyBody(m, 'bootstrap', 'aws_s3_bucket_policy').policy);
      for (const s of document.statement) s.resources = s.resources.filter((r: string) => !r.endsWith('/*'));
      return [stateBucket(m)];
    },
  },
  {
    rule: 's3-tls-only',
    title: 'the deny turned into an allow',
    mutate: (m) => {
      const document = m.document('bootstrap', onlyBody(m, 'bootstrap', 'aws_s3_bucket_policy').policy);
      for (const s of document.statement) s.effect = 'Allow';
      return [stateBucket(m)];
    },
  },
  {
    rule: 's3-tls-only',
    title: 'the bucket policy deleted',
    mutate: (m) => {
      m.remove('bootstrap', 'aws_s3_bucket_policy', m.only('bootstrap', 'aws_s3_bucket_policy'));
      return [stateBucket(m)];
    },
  },
  // --- s3-owner-enforced --------------------------------------------------------------------------------
  {
    rule: 's3-owner-enforced',
    title: 'object ownership ObjectWriter (ACLs on)',
    mutate: (m) => {
      onlyBody(m, 'bootstrap', 'aws_s3_bucket_ownership_controls').rule.object_ownership = 'ObjectWriter';
      return [stateBucket(m)];
    },
  },
  {
    rule: 's3-owner-enforced',
    title: 'object ownership BucketOwnerPreferred (ACLs on)',
    mutate: (m) => {
      onlyBody(m, 'bootstrap', 'aws_s3_bucket_ownership_controls').rule.object_ownership = 'BucketOwnerPreferred';
      return [stateBucket(m)];
    },
  },
  {
    rule: 's3-owner-enforced',
    title: 'the ownership controls deleted',
    mutate: (m) => {
      m.remove('bootstrap', 'aws_s3_bucket_ownership_controls', m.only('bootstrap', 'aws_s3_bucket_ownership_controls'));
      return [stateBucket(m)];
    },
  },
  // --- kms-key-rotation ---------------------------------------------------------------------------------
  {
    rule: 'kms-key-rotation',
    title: 'rotation disabled on the flow logs key of dev',
    mutate: (m) => {
      onlyBody(m, 'dev-network', 'aws_kms_key').enable_key_rotation = false;
      return [onlyExpected(m, 'dev-network', 'aws_kms_key')];
    },
  },
  {
    rule: 'kms-key-rotation',
    title: 'rotation left to the provider default (off) on the state key',
    mutate: (m) => {
      delete onlyBody(m, 'bootstrap', 'aws_kms_key').enable_key_rotation;
      return [onlyExpected(m, 'bootstrap', 'aws_kms_key')];
    },
  },
  // --- logs-encrypted-and-retained ----------------------------------------------------------------------
  {
    rule: 'logs-encrypted-and-retained',
    title: 'the control-plane log group without kms_key_id',
    mutate: (m) => {
      delete onlyBody(m, 'dev-cluster', 'aws_cloudwatch_log_group').kms_key_id;
      return [onlyExpected(m, 'dev-cluster', 'aws_cloudwatch_log_group', /kms_key_id/)];
    },
  },
  {
    rule: 'logs-encrypted-and-retained',
    title: 'the flow logs group without retention_in_days',
    mutate: (m) => {
      delete onlyBody(m, 'prod-network', 'aws_cloudwatch_log_group').retention_in_days;
      return [onlyExpected(m, 'prod-network', 'aws_cloudwatch_log_group', /retention_in_days/)];
    },
  },
  {
    rule: 'logs-encrypted-and-retained',
    title: 'retention_in_days = 0 (never expire)',
    mutate: (m) => {
      onlyBody(m, 'staging-cluster', 'aws_cloudwatch_log_group').retention_in_days = 0;
      return [onlyExpected(m, 'staging-cluster', 'aws_cloudwatch_log_group', /retention_in_days/)];
    },
  },
  // --- eks-secrets-encryption ---------------------------------------------------------------------------
  {
    rule: 'eks-secrets-encryption',
    title: 'encryption_config removed',
    mutate: (m) => {
      delete devCluster(m).encryption_config;
      return [devClusterExpected(m)];
    },
  },
  {
    rule: 'eks-secrets-encryption',
    title: 'encryption_config for configmaps only',
    mutate: (m) => {
      devCluster(m).encryption_config.resources = ['configmaps'];
      return [devClusterExpected(m)];
    },
  },
  {
    rule: 'eks-secrets-encryption',
    title: 'encryption_config without a key',
    mutate: (m) => {
      delete devCluster(m).encryption_config.provider;
      return [devClusterExpected(m)];
    },
  },
  // --- eks-control-plane-logs ---------------------------------------------------------------------------
  {
    rule: 'eks-control-plane-logs',
    title: 'audit logs not enabled',
    mutate: (m) => {
      devCluster(m).enabled_cluster_log_types = ['api', 'authenticator'];
      return [devClusterExpected(m, /: audit\.$/)];
    },
  },
  {
    rule: 'eks-control-plane-logs',
    title: 'no control-plane logs at all',
    mutate: (m) => {
      delete devCluster(m).enabled_cluster_log_types;
      return [devClusterExpected(m, /api, audit, authenticator/)];
    },
  },
  // --- eks-endpoint-restricted --------------------------------------------------------------------------
  {
    rule: 'eks-endpoint-restricted',
    title: 'endpoint_public_access true without CIDRs',
    mutate: (m) => {
      devCluster(m).vpc_config.endpoint_public_access = true;
      return [devClusterExpected(m, /0\.0\.0\.0\/0/)];
    },
  },
  {
    rule: 'eks-endpoint-restricted',
    title: 'endpoint_public_access removed (provider default: public)',
    mutate: (m) => {
      delete devCluster(m).vpc_config.endpoint_public_access;
      return [devClusterExpected(m, /0\.0\.0\.0\/0/)];
    },
  },
  {
    rule: 'eks-endpoint-restricted',
    title: 'public_access_cidrs 0.0.0.0/0',
    mutate: (m) => {
      Object.assign(devCluster(m).vpc_config, {
        endpoint_public_access: true,
        public_access_cidrs: ['0.0.0.0/0'],
      });
      return [devClusterExpected(m, /0\.0\.0\.0\/0/)];
    },
  },
  {
    rule: 'eks-endpoint-restricted',
    title: 'one listed CIDR wider than /8 among narrow ones',
    mutate: (m) => {
      Object.assign(devCluster(m).vpc_config, {
        endpoint_public_access: true,
        public_access_cidrs: ['203.0.113.0/24', '64.0.0.0/2'],
      });
      return [devClusterExpected(m, /64\.0\.0\.0\/2\.$/)];
    },
  },
  {
    rule: 'eks-endpoint-restricted',
    title: 'the configured CIDRs widened to 0.0.0.0/0 (prod, public endpoint)',
    answers: 'prod only, public endpoint, existing OIDC provider',
    mutate: (m) => {
      const id = m.only('prod-cluster', 'aws_eks_cluster');
      const vpc = m.body('prod-cluster', 'aws_eks_cluster', id).vpc_config;
      expect(vpc).toMatchObject({
        endpoint_public_access: true,
        public_access_cidrs: ['203.0.113.0/24'],
      });
      vpc.public_access_cidrs = ['0.0.0.0/0'];
      return [{ stack: 'prod-cluster', resource: `aws_eks_cluster.${id}` }];
    },
  },
  {
    rule: 'eks-endpoint-restricted',
    title: 'the configured CIDRs removed (prod, public endpoint)',
    answers: 'prod only, public endpoint, existing OIDC provider',
    mutate: (m) => {
      const id = m.only('prod-cluster', 'aws_eks_cluster');
      delete m.body('prod-cluster', 'aws_eks_cluster', id).vpc_config.public_access_cidrs;
      return [{ stack: 'prod-cluster', resource: `aws_eks_cluster.${id}` }];
    },
  },
  // --- eks-access-entries -------------------------------------------------------------------------------
  {
    rule: 'eks-access-entries',
    title: 'authentication_mode CONFIG_MAP',
    mutate: (m) => {
      devCluster(m).access_config.authentication_mode = 'CONFIG_MAP';
      return [devClusterExpected(m)];
    },
  },
  {
    rule: 'eks-access-entries',
    title: 'authentication_mode API_AND_CONFIG_MAP',
    mutate: (m) => {
      devCluster(m).access_config.authentication_mode = 'API_AND_CONFIG_MAP';
      return [devClusterExpected(m)];
    },
  },
  {
    rule: 'eks-access-entries',
    title: 'access_config removed',
    mutate: (m) => {
      delete devCluster(m).access_config;
      return [devClusterExpected(m)];
    },
  },
  // --- nodes-imdsv2 -------------------------------------------------------------------------------------
  {
    rule: 'nodes-imdsv2',
    title: 'http_tokens optional (IMDSv1 allowed)',
    mutate: (m) => {
      launchTemplate(m).metadata_options.http_tokens = 'optional';
      return [launchTemplateExpected(m, /http_tokens/)];
    },
  },
  {
    rule: 'nodes-imdsv2',
    title: 'hop limit 2 (pods reach IMDS)',
    mutate: (m) => {
      launchTemplate(m).metadata_options.http_put_response_hop_limit = 2;
      return [launchTemplateExpected(m, /hop_limit/)];
    },
  },
  {
    rule: 'nodes-imdsv2',
    title: 'hop limit left to the default',
    mutate: (m) => {
      delete launchTemplate(m).metadata_options.http_put_response_hop_limit;
      return [launchTemplateExpected(m, /hop_limit/)];
    },
  },
  {
    rule: 'nodes-imdsv2',
    title: 'metadata_options removed',
    mutate: (m) => {
      delete launchTemplate(m).metadata_options;
      return [launchTemplateExpected(m, /http_tokens/)];
    },
  },
  {
    rule: 'nodes-imdsv2',
    title: 'a node group without launch_template',
    mutate: (m) => {
      const id = m.ids('dev-cluster', 'aws_eks_node_group')[0];
      delete m.body('dev-cluster', 'aws_eks_node_group', id).launch_template;
      return [{ stack: 'dev-cluster', resource: `aws_eks_node_group.${id}`, message: /launch template/ }];
    },
  },
  // --- volumes-encrypted --------------------------------------------------------------------------------
  {
    rule: 'volumes-encrypted',
    title: 'a launch template without block device mappings (root volume left to the AMI)',
    mutate: (m) => {
      delete launchTemplate(m).block_device_mappings;
      return [launchTemplateExpected(m, /no block_device_mappings/)];
    },
  },
  {
    rule: 'volumes-encrypted',
    title: 'the root volume of the launch template encrypted = "false"',
    mutate: (m) => {
      launchTemplate(m).block_device_mappings[0].ebs.encrypted = 'false';
      return [launchTemplateExpected(m, /\/dev\/xvda/)];
    },
  },
  {
    rule: 'volumes-encrypted',
    title: 'the root volume of the launch template without encrypted',
    mutate: (m) => {
      delete launchTemplate(m, 'prod-cluster').block_device_mappings[0].ebs.encrypted;
      return [launchTemplateExpected(m, /\/dev\/xvda/, 'prod-cluster')];
    },
  },
  {
    rule: 'volumes-encrypted',
    title: 'an added data volume mapping without encryption',
    mutate: (m) => {
      launchTemplate(m).block_device_mappings.push({
        device_name: '/dev/xvdb',
        ebs: { volume_size: 100, volume_type: 'gp3' },
      });
      return [launchTemplateExpected(m, /has unencrypted volumes: \/dev\/xvdb\.$/)];
    },
  },
  {
    rule: 'volumes-encrypted',
    title: 'an added aws_ebs_volume without encryption',
    mutate: (m) => {
      m.add('dev-cluster', 'aws_ebs_volume', 'data', {
        availability_zone: 'eu-west-1a',
        size: 100,
        type: 'gp3',
      });
      return [{ stack: 'dev-cluster', resource: 'aws_ebs_volume.data' }];
    },
  },
  {
    rule: 'volumes-encrypted',
    title: 'an added aws_ebs_volume with encrypted = false',
    mutate: (m) => {
      m.add('shared', 'aws_ebs_volume', 'scratch', {
        availability_zone: 'eu-west-1b',
        size: 10,
        encrypted: false,
      });
      return [{ stack: 'shared', resource: 'aws_ebs_volume.scratch' }];
    },
  },
  // --- ecr-immutable-tags -------------------------------------------------------------------------------
  {
    rule: 'ecr-immutable-tags',
    title: 'a repository with MUTABLE tags',
    mutate: (m) => {
      const id = m.find('shared', 'aws_ecr_repository', 'registry-api_');
      m.body('shared', 'aws_ecr_repository', id).image_tag_mutability = 'MUTABLE';
      return [{ stack: 'shared', resource: `aws_ecr_repository.${id}` }];
    },
  },
  {
    rule: 'ecr-immutable-tags',
    title: 'a repository leaving tag mutability to the provider default (MUTABLE)',
    mutate: (m) => {
      const id = m.find('shared', 'aws_ecr_repository', 'registry-worker_');
      delete m.body('shared', 'aws_ecr_repository', id).image_tag_mutability;
      return [{ stack: 'shared', resource: `aws_ecr_repository.${id}` }];
    },
  },
  // --- ecr-scan-on-push ---------------------------------------------------------------------------------
  {
    rule: 'ecr-scan-on-push',
    title: 'scan_on_push false',
    mutate: (m) => {
      const id = m.find('shared', 'aws_ecr_repository', 'registry-worker_');
      m.body('shared', 'aws_ecr_repository', id).image_scanning_configuration.scan_on_push = false;
      return [{ stack: 'shared', resource: `aws_ecr_repository.${id}` }];
    },
  },
  {
    rule: 'ecr-scan-on-push',
    title: 'image_scanning_configuration removed on both repositories',
    mutate: (m) =>
      m.ids('shared', 'aws_ecr_repository').map((id) => {
        delete m.body('shared', 'aws_ecr_repository', id).image_scanning_configuration;
        return { stack: 'shared', resource: `aws_ecr_repository.${id}` };
      }),
  },
  // --- iam-no-full-admin --------------------------------------------------------------------------------
  {
    rule: 'iam-no-full-admin',
    title: 'an Allow with NotAction on * (everything but a few actions)',
    mutate: (m) => {
      m.add('shared', 'aws_iam_role_policy', 'not_action', {
        role: 'x',
        policy: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', NotAction: 'iam:*', Resource: '*' }] }),
      });
      return [{ stack: 'shared', resource: 'aws_iam_role_policy.not_action' }];
    },
  },
  {
    rule: 'iam-no-full-admin',
    title: 'AdministratorAccess attached with a partition expression in its ARN',
    mutate: (m) => {
      m.add('shared', 'aws_iam_role_policy_attachment', 'admin_partition', {
        role: 'x',
        policy_arn: 'arn:${data.aws_partition.current.partition}:iam::aws:policy/AdministratorAccess',
      });
      return [{ stack: 'shared', resource: 'aws_iam_role_policy_attachment.admin_partition' }];
    },
  },
  {
    rule: 'iam-no-full-admin',
    title: 'an admin inline_policy on a role',
    mutate: (m) => {
      const role = m.find('shared', 'aws_iam_role', 'ci_dev-plan_role_');
      m.body('shared', 'aws_iam_role', role).inline_policy = [{ name: 'admin', policy: ADMIN_JSON }];
      return [{ stack: 'shared', resource: `aws_iam_role.${role}` }];
    },
  },
  {
    rule: 'iam-no-full-admin',
    title: 'an added aws_iam_role_policy allowing * on * as JSON text',
    mutate: (m) => {
      const role = m.find('dev-cluster', 'aws_iam_role', 'eks_node-role_');
      m.add('dev-cluster', 'aws_iam_role_policy', 'node_admin', {
        name: 'admin',
        role: ref('aws_iam_role', role, 'id'),
        policy: ADMIN_JSON,
      });
      return [
        {
          stack: 'dev-cluster',
          resource: 'aws_iam_role_policy.node_admin',
          message: /allows "\*" on "\*"/,
        },
      ];
    },
  },
  {
    rule: 'iam-no-full-admin',
    title: 'an added aws_iam_policy allowing *:* on * (Action and Resource as lists)',
    mutate: (m) => {
      m.add('shared', 'aws_iam_policy', 'break_glass', {
        name: 'break-glass',
        policy: JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Allow',
              Action: ['s3:GetObject', '*:*'],
              Resource: ['*'],
            },
          ],
        }),
      });
      return [
        {
          stack: 'shared',
          resource: 'aws_iam_policy.break_glass',
          message: /allows "\*" on "\*"/,
        },
      ];
    },
  },
  {
    rule: 'iam-no-full-admin',
    title: 'a * on * statement added to the aws_iam_policy_document of a CI role policy',
    mutate: (m) => {
      const id = m.find('shared', 'aws_iam_role_policy', 'ci_dev-apply_policy_');
      m.document('shared', m.body('shared', 'aws_iam_role_policy', id).policy).statement.push({
        sid: 'Everything',
        effect: 'Allow',
        actions: ['*'],
        resources: ['*'],
      });
      return [
        {
          stack: 'shared',
          resource: `aws_iam_role_policy.${id}`,
          message: /allows "\*" on "\*"/,
        },
      ];
    },
  },
  {
    rule: 'iam-no-full-admin',
    title: 'a * on * statement (effect left to the default Allow) in the autoscaler policy document',
    mutate: (m) => {
      const id = m.only('staging-cluster', 'aws_iam_role_policy');
      m.document('staging-cluster', m.body('staging-cluster', 'aws_iam_role_policy', id).policy).statement.push({ actions: ['*'], resources: ['*'] });
      return [{ stack: 'staging-cluster', resource: `aws_iam_role_policy.${id}` }];
    },
  },
  ...['AdministratorAccess', 'PowerUserAccess', 'IAMFullAccess'].map(
    (policy): FailingCase => ({
      rule: 'iam-no-full-admin',
      title: `an aws_iam_role_policy_attachment of ${policy} to the node role`,
      mutate: (m) => {
        const role = m.find('dev-cluster', 'aws_iam_role', 'eks_node-role_');
        m.add('dev-cluster', 'aws_iam_role_policy_attachment', 'node_admin', {
          policy_arn: `arn:aws:iam::aws:policy/${policy}`,
          role: ref('aws_iam_role', role, 'name'),
        });
        return [
          {
            stack: 'dev-cluster',
            resource: 'aws_iam_role_policy_attachment.node_admin',
            message: new RegExp(`attaches .*${policy}`),
          },
        ];
      },
    })
  ),
  {
    rule: 'iam-no-full-admin',
    title: 'a role policy the rules cannot read (jsonencode)',
    mutate: (m) => {
      const id = m.only('dev-network', 'aws_iam_role_policy');
      m.body('dev-network', 'aws_iam_role_policy', id).policy = '${jsonencode({Version = "2012-10-17", Statement = []})}';
      return [
        {
          stack: 'dev-network',
          resource: `aws_iam_role_policy.${id}`,
          message: /cannot read/,
        },
      ];
    },
  },
  {
    rule: 'iam-no-full-admin',
    title: 'a role policy referring to a policy document that does not exist',
    mutate: (m) => {
      const id = m.only('dev-network', 'aws_iam_role_policy');
      m.body('dev-network', 'aws_iam_role_policy', id).policy = '${data.aws_iam_policy_document.missing.json}';
      return [
        {
          stack: 'dev-network',
          resource: `aws_iam_role_policy.${id}`,
          message: /cannot read/,
        },
      ];
    },
  },
  // --- iam-role-permissions-boundary --------------------------------------------------------------------
  {
    rule: 'iam-role-permissions-boundary',
    title: 'the boundary removed from the node role',
    mutate: (m) => {
      const role = m.find('dev-cluster', 'aws_iam_role', 'eks_node-role_');
      delete m.body('dev-cluster', 'aws_iam_role', role).permissions_boundary;
      return [{ stack: 'dev-cluster', resource: `aws_iam_role.${role}` }];
    },
  },
  {
    rule: 'iam-role-permissions-boundary',
    title: 'a role added to a network stack without a boundary',
    mutate: (m) => {
      m.add('prod-network', 'aws_iam_role', 'unbounded', { name: 'acme-platform-prod-extra', assume_role_policy: '{"Version":"2012-10-17","Statement":[]}' });
      return [{ stack: 'prod-network', resource: 'aws_iam_role.unbounded' }];
    },
  },
  // --- iam-oidc-trust-restricted ------------------------------------------------------------------------
  // With oidcProvider 'existing' the trust names the provider by its ARN, which contains the GitHub host.
  {
    rule: 'iam-oidc-trust-restricted',
    title: 'the sub condition removed from a CI apply role trust',
    answers: 'prod only, public endpoint, existing OIDC provider',
    mutate: (m) => {
      const role = m.find('shared', 'aws_iam_role', 'ci_prod-apply_role_');
      const trust = m.trust('shared', role);
      trust.statement[0].condition = conditionsOf(trust).filter((c) => c.variable !== SUB);
      return [
        {
          stack: 'shared',
          resource: `aws_iam_role.${role}`,
          message: /without a condition on .*:sub/,
        },
      ];
    },
  },
  {
    rule: 'iam-oidc-trust-restricted',
    title: 'the sub condition of a CI plan role widened to repo:*',
    answers: 'prod only, public endpoint, existing OIDC provider',
    mutate: (m) => {
      const role = m.find('shared', 'aws_iam_role', 'ci_prod-plan_role_');
      const sub = conditionOn(m.trust('shared', role), SUB);
      Object.assign(sub, { test: 'StringLike', values: ['repo:*'] });
      return [
        {
          stack: 'shared',
          resource: `aws_iam_role.${role}`,
          message: /repo:\*\.$/,
        },
      ];
    },
  },
  {
    rule: 'iam-oidc-trust-restricted',
    title: 'the sub condition widened to every repository of the owner (repo:initech/*)',
    answers: 'prod only, public endpoint, existing OIDC provider',
    mutate: (m) => {
      const role = m.find('shared', 'aws_iam_role', 'ci_shared-apply_role_');
      const sub = conditionOn(m.trust('shared', role), SUB);
      Object.assign(sub, { test: 'StringLike', values: ['repo:initech/*'] });
      return [
        {
          stack: 'shared',
          resource: `aws_iam_role.${role}`,
          message: /repo:initech\/\*\.$/,
        },
      ];
    },
  },
  {
    rule: 'iam-oidc-trust-restricted',
    title: 'a loose StringLike sub added next to the exact StringEquals one',
    answers: 'prod only, public endpoint, existing OIDC provider',
    mutate: (m) => {
      const role = m.find('shared', 'aws_iam_role', 'ci_prod-apply_role_');
      conditionsOf(m.trust('shared', role)).push({
        test: 'StringLike',
        variable: SUB,
        values: ['repo:*/platform:*'],
      });
      return [
        {
          stack: 'shared',
          resource: `aws_iam_role.${role}`,
          message: /repo:\*\/platform:\*\.$/,
        },
      ];
    },
  },
  {
    rule: 'iam-oidc-trust-restricted',
    title: "the sub condition removed from an existing cluster's ECR pull role",
    answers: 'dev on an existing cluster',
    mutate: (m) => {
      const role = m.find('shared', 'aws_iam_role', 'registry-pull_dev-pull_role_');
      const trust = m.trust('shared', role);
      trust.statement[0].condition = conditionsOf(trust).filter((c) => !c.variable.endsWith(':sub'));
      return [{ stack: 'shared', resource: `aws_iam_role.${role}`, message: /without a condition on oidc\.office\.example\.com:sub/ }];
    },
  },
  {
    rule: 'iam-oidc-trust-restricted',
    title: "an existing cluster's ECR pull role widened to every service account of the cluster",
    answers: 'dev on an existing cluster',
    mutate: (m) => {
      const role = m.find('shared', 'aws_iam_role', 'registry-pull_dev-pull_role_');
      Object.assign(conditionOn(m.trust('shared', role), 'oidc.office.example.com:sub'), { test: 'StringLike', values: ['system:serviceaccount:*'] });
      return [{ stack: 'shared', resource: `aws_iam_role.${role}`, message: /do not name one service account: system:serviceaccount:\*\.$/ }];
    },
  },
  {
    rule: 'iam-oidc-trust-restricted',
    title: 'the aud condition removed',
    answers: 'prod only, public endpoint, existing OIDC provider',
    mutate: (m) => {
      const role = m.find('shared', 'aws_iam_role', 'ci_prod-plan_role_');
      const trust = m.trust('shared', role);
      trust.statement[0].condition = conditionsOf(trust).filter((c) => c.variable !== AUD);
      return [
        {
          stack: 'shared',
          resource: `aws_iam_role.${role}`,
          message: /:aud = sts\.amazonaws\.com/,
        },
      ];
    },
  },
  {
    rule: 'iam-oidc-trust-restricted',
    title: 'a trust policy the rules cannot read (jsonencode)',
    mutate: (m) => {
      const role = m.find('dev-cluster', 'aws_iam_role', 'eks_node-role_');
      m.body('dev-cluster', 'aws_iam_role', role).assume_role_policy = '${jsonencode({Version = "2012-10-17", Statement = []})}';
      return [
        {
          stack: 'dev-cluster',
          resource: `aws_iam_role.${role}`,
          message: /cannot read/,
        },
      ];
    },
  },
  {
    rule: 'iam-oidc-trust-restricted',
    title: 'an added role trusting the GitHub provider ARN in JSON text without a sub condition',
    mutate: (m) => {
      m.add('shared', 'aws_iam_role', 'deployer', {
        name: 'deployer',
        assume_role_policy: JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Allow',
              Action: 'sts:AssumeRoleWithWebIdentity',
              Principal: {
                Federated: 'arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com',
              },
              Condition: { StringEquals: { [AUD]: 'sts.amazonaws.com' } },
            },
          ],
        }),
      });
      return [{ stack: 'shared', resource: 'aws_iam_role.deployer', message: /:sub/ }];
    },
  },
  // --- secrets-encrypted --------------------------------------------------------------------------------
  {
    rule: 'secrets-encrypted',
    title: "Argo CD's deploy key without kms_key_id (the AWS-managed key)",
    mutate: (m) => {
      const id = m.find('dev-services-aws', 'aws_secretsmanager_secret', 'services_repository-credential');
      delete m.body('dev-services-aws', 'aws_secretsmanager_secret', id).kms_key_id;
      return [{ stack: 'dev-services-aws', resource: `aws_secretsmanager_secret.${id}` }];
    },
  },
  {
    rule: 'secrets-encrypted',
    title: 'a secret on the AWS-managed key by alias',
    mutate: (m) => {
      const id = m.find('prod-services-aws', 'aws_secretsmanager_secret', 'services_repository-credential');
      m.body('prod-services-aws', 'aws_secretsmanager_secret', id).kms_key_id = 'alias/aws/secretsmanager';
      return [{ stack: 'prod-services-aws', resource: `aws_secretsmanager_secret.${id}` }];
    },
  },
  // --- secrets-not-in-state -----------------------------------------------------------------------------
  {
    rule: 'secrets-not-in-state',
    title: 'a secret version with its value in secret_string',
    mutate: (m) => {
      const secret = m.find('dev-services-aws', 'aws_secretsmanager_secret', 'services_repository-credential');
      m.add('dev-services-aws', 'aws_secretsmanager_secret_version', 'key', { secret_id: ref('aws_secretsmanager_secret', secret, 'id'), secret_string: 'ssh-ed25519 …' });
      return [{ stack: 'dev-services-aws', resource: 'aws_secretsmanager_secret_version.key' }];
    },
  },
  // --- vpc-flow-logs ------------------------------------------------------------------------------------
  {
    rule: 'vpc-flow-logs',
    title: 'the flow log deleted',
    mutate: (m) => {
      m.remove('staging-network', 'aws_flow_log', m.only('staging-network', 'aws_flow_log'));
      return [onlyExpected(m, 'staging-network', 'aws_vpc')];
    },
  },
  {
    rule: 'vpc-flow-logs',
    title: 'the flow log pointed at another VPC',
    mutate: (m) => {
      onlyBody(m, 'dev-network', 'aws_flow_log').vpc_id = ref('aws_vpc', 'other', 'id');
      return [onlyExpected(m, 'dev-network', 'aws_vpc')];
    },
  },
  {
    rule: 'nodes-imdsv2',
    title: 'the NAT instance allowing IMDSv1',
    answers: 'lean dev',
    mutate: (m) => {
      onlyBody(m, 'dev-network', 'aws_instance').metadata_options.http_tokens = 'optional';
      return [onlyExpected(m, 'dev-network', 'aws_instance')];
    },
  },
  {
    rule: 'volumes-encrypted',
    title: "the NAT instance's root volume unencrypted",
    answers: 'lean dev',
    mutate: (m) => {
      onlyBody(m, 'dev-network', 'aws_instance').root_block_device.encrypted = false;
      return [onlyExpected(m, 'dev-network', 'aws_instance')];
    },
  },
  // --- vpn-connection-logs ------------------------------------------------------------------------------------
  {
    rule: 'vpn-connection-logs',
    title: 'connection logging turned off',
    answers: 'lean dev',
    mutate: (m) => {
      onlyBody(m, 'dev-cluster', 'aws_ec2_client_vpn_endpoint').connection_log_options.enabled = false;
      return [onlyExpected(m, 'dev-cluster', 'aws_ec2_client_vpn_endpoint')];
    },
  },
  {
    rule: 'vpn-connection-logs',
    title: 'certificate authentication without a root chain',
    answers: 'lean dev',
    mutate: (m) => {
      delete onlyBody(m, 'dev-cluster', 'aws_ec2_client_vpn_endpoint').authentication_options[0].root_certificate_chain_arn;
      return [onlyExpected(m, 'dev-cluster', 'aws_ec2_client_vpn_endpoint')];
    },
  },
  // --- budget-per-environment ------------------------------------------------------------------------------
  {
    rule: 'budget-per-environment',
    title: "the environment's budget deleted",
    mutate: (m) => {
      m.remove('staging-network', 'aws_budgets_budget', m.only('staging-network', 'aws_budgets_budget'));
      return [onlyExpected(m, 'staging-network', 'aws_vpc')];
    },
  },
  {
    rule: 'budget-per-environment',
    title: 'the budget alerting nobody',
    mutate: (m) => {
      for (const n of onlyBody(m, 'dev-network', 'aws_budgets_budget').notification) n.subscriber_email_addresses = [];
      return [onlyExpected(m, 'dev-network', 'aws_vpc')];
    },
  },
  {
    rule: 'budget-per-environment',
    title: 'the budget counting the whole account instead of the environment',
    mutate: (m) => {
      delete onlyBody(m, 'prod-network', 'aws_budgets_budget').cost_filter;
      return [onlyExpected(m, 'prod-network', 'aws_vpc')];
    },
  },
];

/** Mutations that look suspicious but must not be reported. */
interface PassingCase {
  title: string;
  answers?: AnswerSet;
  mutate(m: Mutable): void;
}

const PASSING: PassingCase[] = [
  {
    title: 's3-tls-only: the Deny written with principal AWS "*"',
    mutate: (m) => {
      const policy = onlyBody(m, 'bootstrap', 'aws_s3_bucket_policy');
      for (const st of m.document('bootstrap', policy.policy).statement) st.principals = [{ type: 'AWS', identifiers: ['*'] }];
    },
  },
  {
    title: 's3 rules: sub-resources naming the bucket by ${aws_s3_bucket.x.bucket}',
    mutate: (m) => {
      const bucket = m.only('bootstrap', 'aws_s3_bucket');
      for (const type of ['aws_s3_bucket_versioning', 'aws_s3_bucket_public_access_block', 'aws_s3_bucket_ownership_controls', 'aws_s3_bucket_server_side_encryption_configuration', 'aws_s3_bucket_policy'])
        onlyBody(m, 'bootstrap', type).bucket = ref('aws_s3_bucket', bucket, 'bucket');
    },
  },
  {
    title: 'eks-endpoint-restricted: a public endpoint limited to 203.0.113.0/24',
    mutate: (m) =>
      Object.assign(devCluster(m).vpc_config, {
        endpoint_public_access: true,
        public_access_cidrs: ['203.0.113.0/24'],
      }),
  },
  {
    title: 'eks-endpoint-restricted: a public endpoint limited to a /8',
    mutate: (m) =>
      Object.assign(devCluster(m).vpc_config, {
        endpoint_public_access: true,
        public_access_cidrs: ['10.0.0.0/8'],
      }),
  },
  {
    title: 'iam-no-full-admin: a Deny of * on * (JSON text)',
    mutate: (m) =>
      m.add('dev-cluster', 'aws_iam_role_policy', 'deny_all', {
        name: 'deny-all',
        role: ref('aws_iam_role', m.find('dev-cluster', 'aws_iam_role', 'eks_node-role_'), 'id'),
        policy: JSON.stringify({
          Version: '2012-10-17',
          Statement: [{ Effect: 'Deny', Action: '*', Resource: '*' }],
        }),
      }),
  },
  {
    title: 'iam-no-full-admin: a Deny of * on * added to a policy document',
    mutate: (m) => {
      const id = m.find('shared', 'aws_iam_role_policy', 'ci_prod-plan_policy_');
      m.document('shared', m.body('shared', 'aws_iam_role_policy', id).policy).statement.push({ effect: 'Deny', actions: ['*'], resources: ['*'] });
    },
  },
  {
    title: 'iam-no-full-admin: * on one resource only',
    mutate: (m) =>
      m.add('dev-cluster', 'aws_iam_role_policy', 'bucket_admin', {
        name: 'bucket-admin',
        role: ref('aws_iam_role', m.find('dev-cluster', 'aws_iam_role', 'eks_node-role_'), 'id'),
        policy: JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Allow',
              Action: '*',
              Resource: 'arn:aws:s3:::one-bucket/*',
            },
          ],
        }),
      }),
  },
  {
    title: 'iam-oidc-trust-restricted: a sub naming one repository with a wildcard after it',
    answers: 'prod only, public endpoint, existing OIDC provider',
    mutate: (m) => {
      const sub = conditionOn(m.trust('shared', m.find('shared', 'aws_iam_role', 'ci_prod-plan_role_')), SUB);
      Object.assign(sub, {
        test: 'StringLike',
        values: ['repo:initech/platform:ref:refs/heads/*'],
      });
    },
  },
  {
    title: 's3-encryption: aws:kms:dsse with the state key',
    mutate: (m) => {
      onlyBody(m, 'bootstrap', 'aws_s3_bucket_server_side_encryption_configuration').rule[0].apply_server_side_encryption_by_default.sse_algorithm =
        'aws:kms:dsse';
    },
  },
];

const byId = new Map(RULES.map((r) => [r.id, r]));
const key = (v: { rule: string; stack: string; resource: string }) => `${v.rule} ${v.stack} ${v.resource}`;
const sorted = <T extends { rule: string; stack: string; resource: string }>(vs: T[]) => [...vs].sort((a, b) => key(a).localeCompare(key(b)));

/** Applies a failing case to a fresh clone and checks that exactly the expected violations come out. */
function expectOnly(c: FailingCase): void {
  const m = new Mutable(c.answers ?? 'default');
  const expected = c.mutate(m);
  expect(expected.length).toBeGreaterThan(0);

  // What the answers themselves suppress (the lean profile's missing audit log) is not the case's finding.
  const violations: Violation[] = applySuppressions(evaluate(m.stacks), answeredSuppressions(resolvePlatform(ANSWERS[c.answers ?? 'default']))).violations;
  expect(sorted(violations.map(({ rule, stack, resource }) => ({ rule, stack, resource })))).toEqual(
    sorted(expected.map(({ stack, resource }) => ({ rule: c.rule, stack, resource })))
  );
  for (const v of violations) {
    expect(v.severity).toBe(byId.get(c.rule)!.severity);
    expect(v.message.trim()).not.toBe('');
    const message = expected.find((e) => e.stack === v.stack && e.resource === v.resource)?.message;
    if (message) expect(v.message).toMatch(message);
  }
}

/**
 * With the default oidcProvider 'create', the trust documents name the provider by reference
 * (`${aws_iam_openid_connect_provider.<id>.arn}`, no GitHub host in it): the rule must follow the reference.
 */
const GITHUB_PROVIDER_REFERENCE: FailingCase[] = [
  {
    rule: 'iam-oidc-trust-restricted',
    title: 'the sub condition removed from a CI role trust (provider created by the kit)',
    mutate: (m) => {
      const role = m.find('shared', 'aws_iam_role', 'ci_dev-apply_role_');
      const trust = m.trust('shared', role);
      expect(trust.statement[0].principals[0].identifiers).toEqual([
        ref('aws_iam_openid_connect_provider', m.only('shared', 'aws_iam_openid_connect_provider'), 'arn'),
      ]);
      trust.statement[0].condition = conditionsOf(trust).filter((c) => c.variable !== SUB);
      return [{ stack: 'shared', resource: `aws_iam_role.${role}` }];
    },
  },
  {
    rule: 'iam-oidc-trust-restricted',
    title: 'the sub condition widened to repo:* (provider created by the kit)',
    mutate: (m) => {
      const role = m.find('shared', 'aws_iam_role', 'ci_prod-plan_role_');
      Object.assign(conditionOn(m.trust('shared', role), SUB), { test: 'StringLike', values: ['repo:*'] });
      return [{ stack: 'shared', resource: `aws_iam_role.${role}` }];
    },
  },
];

// ---------------------------------------------------------------------------------------------------------

describe('the rules', () => {
  it('have a non-empty id, title and rationale and a known severity', () => {
    expect(RULES.length).toBeGreaterThan(0);
    for (const rule of RULES) {
      expect(rule.id, JSON.stringify(rule)).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
      expect(rule.title.trim(), rule.id).not.toBe('');
      expect(rule.rationale.trim(), rule.id).not.toBe('');
      expect(['critical', 'high', 'medium'], rule.id).toContain(rule.severity);
      expect(typeof rule.check, rule.id).toBe('function');
    }
  });

  it('have unique ids', () => {
    const ids = RULES.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('are exactly the catalogue of @platform-kit/config (POLICY_RULES), each with its own check, in its order', () => {
    expect(RULES.map(({ id, severity, title, rationale }) => ({ id, severity, title, rationale }))).toEqual(POLICY_RULES);
    expect(new Set(RULES.map((r) => r.check)).size).toBe(RULES.length);
  });

  it('each have at least one failing case below (a new rule needs one)', () => {
    expect([...new Set(FAILING.map((c) => c.rule))].sort()).toEqual(RULES.map((r) => r.id).sort());
  });
});

describe.each(Object.keys(ANSWERS) as AnswerSet[])('the stacks synthesized from answers: %s', (set) => {
  it('satisfy every rule, but what the answers themselves suppress', () => {
    const stacks = synth(set);
    expect(stacks.length).toBeGreaterThan(0);
    const implied = answeredSuppressions(resolvePlatform(ANSWERS[set]));
    const { violations, suppressed } = applySuppressions(evaluate(stacks), implied);
    expect(violations).toEqual([]);
    // Each implied suppression is needed: the lean profile's missing audit log, and nothing else.
    expect(suppressed.map((s) => `${s.violation.rule} ${s.violation.stack}`)).toEqual(implied.map((s) => `${s.rule} ${s.stack}`));
  });
});

it('synthesizes the stacks the cases mutate', () => {
  expect(synth('default').map((s) => s.name)).toEqual([
    'bootstrap',
    'dev-cluster',
    'dev-network',
    'dev-services',
    'dev-services-aws',
    'prod-cluster',
    'prod-network',
    'prod-services',
    'prod-services-aws',
    'shared',
    'staging-cluster',
    'staging-network',
    'staging-services',
    'staging-services-aws',
  ]);
  expect(synth('prod only, public endpoint, existing OIDC provider').map((s) => s.name)).toEqual([
    'bootstrap',
    'prod-cluster',
    'prod-network',
    'prod-services',
    'prod-services-aws',
    'shared',
  ]);
});

describe('each rule fails on a bad configuration, alone and on the resource at fault', () => {
  it.each(FAILING.map((c) => [c.rule, c.title, c] as const))('%s: %s', (_rule, _title, c) => expectOnly(c));

  it('leaves the synthesized stacks untouched (mutations work on clones)', () => {
    for (const set of Object.keys(ANSWERS) as AnswerSet[]) expect(applySuppressions(evaluate(synth(set)), answeredSuppressions(resolvePlatform(ANSWERS[set]))).violations).toEqual([]);
  });
});

describe('GitHub OIDC trust with the provider the kit creates (referenced, not named by ARN)', () => {
  it.each(GITHUB_PROVIDER_REFERENCE.map((c) => [c.rule, c.title, c] as const))('%s: %s', (_rule, _title, c) => expectOnly(c));
});

describe('suspicious-looking but acceptable configurations are not reported', () => {
  it.each(PASSING.map((c) => [c.title, c] as const))('%s', (_title, c) => {
    const m = new Mutable(c.answers ?? 'default');
    c.mutate(m);
    expect(evaluate(m.stacks)).toEqual([]);
  });
});

describe('evaluate', () => {
  it('runs only the rules it is given', () => {
    const m = new Mutable('default');
    devCluster(m).access_config.authentication_mode = 'CONFIG_MAP';
    devCluster(m).vpc_config.endpoint_public_access = true;
    expect(
      evaluate(m.stacks)
        .map((v) => v.rule)
        .sort()
    ).toEqual(['eks-access-entries', 'eks-endpoint-restricted']);
    expect(
      evaluate(
        m.stacks,
        RULES.filter((r) => r.id === 'eks-access-entries')
      ).map((v) => v.rule)
    ).toEqual(['eks-access-entries']);
    expect(evaluate(m.stacks, [])).toEqual([]);
  });
});
