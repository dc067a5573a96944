import { catalogue, stackNames, type AnswersInput } from '@platform-kit/config';
import { afterAll, describe, expect, it } from 'vitest';
import { evaluate, policyStatements } from '../src';
import { asStack, CUSTOM, only, ref, removeOutdirs, resources, SERVICES_12, synth, type Json } from './support';

afterAll(removeOutdirs);

/*
 * The synthesized Terraform JSON of the account-level stacks (the state bucket, the ECR repositories) and
 * what every stack shares: backend, provider, tags, and no broken security rule. Environment stacks are in
 * environment.test.ts, real Terraform runs in terraform.test.ts.
 */

describe('bootstrap stack: the state bucket', () => {
  const { platform, stacks } = synth({});
  const stack = stacks.bootstrap;
  const [bucketId, bucket] = only(stack, 'aws_s3_bucket');
  const [keyId, key] = only(stack, 'aws_kms_key');
  const bucketRef = ref('aws_s3_bucket', bucketId, 'id');

  it('is named after the platform and the account (platform.stateBucket)', () => {
    expect(bucket.bucket).toBe('acme-platform-tfstate-123456789012');
    expect(bucket.bucket).toBe(platform.stateBucket);
  });

  it('breaks none of the security rules', () => {
    expect(evaluate([asStack('bootstrap', stack)])).toEqual([]);
  });

  it('is versioned', () => {
    const [, versioning] = only(stack, 'aws_s3_bucket_versioning');
    expect(versioning.bucket).toBe(bucketRef);
    expect(versioning.versioning_configuration).toEqual({ status: 'Enabled' });
  });

  it('is encrypted with aws:kms by the stack\'s own key, with an S3 bucket key', () => {
    const [, sse] = only(stack, 'aws_s3_bucket_server_side_encryption_configuration');
    expect(sse.bucket).toBe(bucketRef);
    expect(sse.rule).toEqual([
      {
        apply_server_side_encryption_by_default: { sse_algorithm: 'aws:kms', kms_master_key_id: ref('aws_kms_key', keyId, 'arn') },
        bucket_key_enabled: true,
      },
    ]);
  });

  it('uses a KMS key with rotation on, a 30-day deletion window and an alias named after the bucket', () => {
    expect(key.enable_key_rotation).toBe(true);
    expect(key.deletion_window_in_days).toBe(30);
    const [, alias] = only(stack, 'aws_kms_alias');
    expect(alias).toMatchObject({ name: `alias/${platform.stateBucket}`, target_key_id: ref('aws_kms_key', keyId, 'key_id') });
  });

  it('blocks every kind of public access', () => {
    const [, block] = only(stack, 'aws_s3_bucket_public_access_block');
    expect(block).toMatchObject({
      bucket: bucketRef,
      block_public_acls: true,
      block_public_policy: true,
      ignore_public_acls: true,
      restrict_public_buckets: true,
    });
  });

  it('disables ACLs (BucketOwnerEnforced)', () => {
    const [, ownership] = only(stack, 'aws_s3_bucket_ownership_controls');
    expect(ownership).toMatchObject({ bucket: bucketRef, rule: { object_ownership: 'BucketOwnerEnforced' } });
  });

  it('has a bucket policy that denies requests without TLS and TLS older than 1.2', () => {
    const [, policy] = only(stack, 'aws_s3_bucket_policy');
    expect(policy.bucket).toBe(bucketRef);
    const arn = ref('aws_s3_bucket', bucketId, 'arn');
    expect(policyStatements(asStack('bootstrap', stack), policy.policy)).toEqual([
      {
        effect: 'Deny',
        principals: { '*': ['*'] },
        actions: ['s3:*'],
        notActions: [],
        resources: [arn, `${arn}/*`],
        notResources: [],
        conditions: { Bool: { 'aws:SecureTransport': ['false'] } },
      },
      {
        effect: 'Deny',
        principals: { '*': ['*'] },
        actions: ['s3:*'],
        notActions: [],
        resources: [arn, `${arn}/*`],
        notResources: [],
        conditions: { NumericLessThan: { 's3:TlsVersion': ['1.2'] } },
      },
    ]);
  });

  it('expires superseded state versions after 90 days and aborts stale multipart uploads', () => {
    const [, lifecycle] = only(stack, 'aws_s3_bucket_lifecycle_configuration');
    expect(lifecycle.bucket).toBe(bucketRef);
    expect(lifecycle.rule).toHaveLength(1);
    expect(lifecycle.rule[0]).toMatchObject({
      status: 'Enabled',
      filter: [{ prefix: '' }],
      noncurrent_version_expiration: [{ noncurrent_days: 90 }],
      abort_incomplete_multipart_upload: [{ days_after_initiation: 7 }],
    });
  });

  it('is protected from terraform destroy (prevent_destroy)', () => {
    expect(bucket.lifecycle).toEqual({ prevent_destroy: true });
  });

  it('outputs the bucket name and the key ARN', () => {
    expect(stack.output).toEqual({
      state_bucket: { value: ref('aws_s3_bucket', bucketId, 'bucket') },
      state_key_arn: { value: ref('aws_kms_key', keyId, 'arn') },
    });
  });

  it('uses the answers\' stateBucket when given', () => {
    const custom = synth(CUSTOM).stacks.bootstrap;
    expect(only(custom, 'aws_s3_bucket')[1].bucket).toBe('globex-terraform-state');
    expect(only(custom, 'aws_kms_alias')[1].name).toBe('alias/globex-terraform-state');
    expect(evaluate([asStack('bootstrap', custom)])).toEqual([]);
  });
});

describe.each([
  ['default answers', {} as AnswersInput],
  ['custom region, account, state bucket and tags', CUSTOM],
])('every stack (%s)', (_label, answers) => {
  const { platform, stacks } = synth(answers);
  const names = stackNames(platform);
  const environmentOf = (stack: string) => platform.environments.find((e) => stack.startsWith(`${e.name}-`))?.name;

  it('synthesizes exactly the stacks of stackNames()', () => {
    expect(Object.keys(stacks).sort()).toEqual([...names].sort());
  });

  it.each(names)('%s keeps its state in the state bucket under <stack>/terraform.tfstate, KMS-encrypted, locked natively', (name) => {
    expect(stacks[name].terraform.backend).toEqual({
      s3: {
        bucket: platform.stateBucket,
        key: `${name}/terraform.tfstate`,
        region: platform.aws.region,
        encrypt: true,
        kms_key_id: `alias/${platform.stateBucket}`,
        use_lockfile: true,
      },
    });
  });

  it.each(names)('%s pins the AWS provider to the region and account, with default tags', (name) => {
    const environment = environmentOf(name);
    expect(stacks[name].provider.aws).toEqual([
      {
        region: platform.aws.region,
        allowed_account_ids: [platform.aws.accountId],
        default_tags: [{ tags: { platform: platform.name, 'managed-by': 'platform-kit', ...platform.tags, ...(environment ? { environment } : {}) } }],
      },
    ]);
  });

  it.each(names)("%s requires the catalogue's Terraform and AWS provider versions", (name) => {
    const terraform = stacks[name].terraform;
    expect(terraform.required_version).toBe(catalogue.terraform.requiredVersion);
    expect(terraform.required_providers.aws.version).toBe(catalogue.providers.aws.version);
  });

  it('breaks none of the security rules', () => {
    expect(evaluate(Object.entries(stacks).map(([name, json]) => asStack(name, json)))).toEqual([]);
  });
});

describe("the answers' tags, owner and cost center reach every stack's default tags", () => {
  const { stacks } = synth({ ...CUSTOM, tags: { 'team:area': 'infra/core' }, owner: 'platform-team', costCenter: 'cc-1234' });
  it.each(Object.keys(stacks))('%s', (name) => {
    const tags = stacks[name].provider.aws[0].default_tags[0].tags;
    expect(tags).toEqual({
      platform: 'globex',
      'managed-by': 'platform-kit',
      owner: 'platform-team',
      'cost-center': 'cc-1234',
      'team:area': 'infra/core',
      ...(name.includes('-') ? { environment: name.split('-')[0] } : {}),
    });
  });
});

const repositoryOutputs = (stack: Json) => Object.fromEntries(Object.entries(stack.output ?? {}).filter(([name]) => name.endsWith('_repository_url')));

describe('shared stack: one ECR repository per service', () => {
  const { stacks } = synth({ services: ['api', 'worker', 'order-worker'] });
  const stack = stacks.shared;
  const repositories = resources(stack, 'aws_ecr_repository');

  it('has a repository <platform>/<service> for each service', () => {
    // cdktf sorts resources by logical id: compare as sets.
    expect(repositories.map(([, r]) => r.name).sort()).toEqual(['acme-platform/api', 'acme-platform/order-worker', 'acme-platform/worker']);
  });

  it('makes every repository immutable, scanned on push and KMS-encrypted', () => {
    for (const [, repository] of repositories) {
      expect(repository).toMatchObject({
        image_tag_mutability: 'IMMUTABLE',
        image_scanning_configuration: { scan_on_push: true },
        encryption_configuration: [{ encryption_type: 'KMS' }],
        force_delete: false,
      });
    }
  });

  it('gives every repository its own lifecycle policy', () => {
    const policies = resources(stack, 'aws_ecr_lifecycle_policy').map(([, p]) => p);
    expect(policies.map((p) => p.repository).sort()).toEqual(repositories.map(([id]) => ref('aws_ecr_repository', id, 'name')).sort());
    for (const policy of policies) {
      const { rules } = JSON.parse(policy.policy);
      expect(rules).toEqual([
        expect.objectContaining({
          rulePriority: 1,
          selection: { tagStatus: 'untagged', countType: 'sinceImagePushed', countUnit: 'days', countNumber: 14 },
          action: { type: 'expire' },
        }),
        expect.objectContaining({
          rulePriority: 2,
          selection: { tagStatus: 'any', countType: 'imageCountMoreThan', countNumber: 200 },
          action: { type: 'expire' },
        }),
      ]);
    }
  });

  it('outputs each repository URL (dashes become underscores)', () => {
    const byName = Object.fromEntries(repositories.map(([id, r]) => [r.name, ref('aws_ecr_repository', id, 'repository_url')]));
    expect(repositoryOutputs(stack)).toEqual({
      api_repository_url: { value: byName['acme-platform/api'] },
      worker_repository_url: { value: byName['acme-platform/worker'] },
      order_worker_repository_url: { value: byName['acme-platform/order-worker'] },
    });
  });

  it('has no repository, policy or output with services: []', () => {
    const empty = synth({ services: [] }).stacks.shared;
    expect(resources(empty, 'aws_ecr_repository')).toHaveLength(0);
    expect(resources(empty, 'aws_ecr_lifecycle_policy')).toHaveLength(0);
    expect(repositoryOutputs(empty)).toEqual({});
    // Still a complete stack: backend and provider.
    expect(empty.terraform.backend.s3.key).toBe('shared/terraform.tfstate');
    expect(empty.provider.aws).toHaveLength(1);
  });

  it('has 12 repositories with 12 services', () => {
    const many = synth({ services: SERVICES_12 }).stacks.shared;
    expect(resources(many, 'aws_ecr_repository')).toHaveLength(12);
    expect(resources(many, 'aws_ecr_lifecycle_policy')).toHaveLength(12);
    expect(Object.keys(repositoryOutputs(many))).toHaveLength(12);
  });
});

describe('platform tags', () => {
  it("keeps the kit's own tags when the answers use the same names", () => {
    const { stacks } = synth({ tags: { platform: 'other', 'managed-by': 'me', team: 'core' } });
    expect(stacks.shared.provider.aws[0].default_tags[0].tags).toEqual({ platform: 'acme-platform', 'managed-by': 'platform-kit', team: 'core' });
  });
});
