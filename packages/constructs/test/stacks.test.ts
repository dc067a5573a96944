import { execFile, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { catalogue, resolvePlatform, stackNames, type AnswersInput, type Platform } from '@platform-kit/config';
import { afterAll, describe, expect, it } from 'vitest';
import { evaluate, PlatformApp, policyStatements, type SynthesizedStack } from '../src';

/*
 * The synthesized Terraform JSON of every stack: the state bucket's security defaults, the backend and
 * provider of every stack, the ECR repositories of `shared`, and (when Terraform is installed) a real
 * `terraform validate` of every stack across a matrix of answers.
 */

type Json = Record<string, any>;

interface Synthesized {
  platform: Platform;
  outdir: string;
  /** Stack name -> directory holding its cdk.tf.json. */
  dirs: Record<string, string>;
  /** Stack name -> parsed cdk.tf.json. */
  stacks: Record<string, Json>;
}

const outdirs: string[] = [];
afterAll(() => {
  for (const dir of outdirs) rmSync(dir, { recursive: true, force: true });
});

function synth(answers: AnswersInput): Synthesized {
  const platform = resolvePlatform(answers);
  const outdir = mkdtempSync(join(tmpdir(), 'pk-stacks-'));
  outdirs.push(outdir);
  const app = new PlatformApp(platform, { outdir });
  app.synth();
  const dirs: Record<string, string> = {};
  const stacks: Record<string, Json> = {};
  for (const stack of readdirSync(join(outdir, 'stacks'))) {
    dirs[stack] = join(outdir, 'stacks', stack);
    stacks[stack] = JSON.parse(readFileSync(join(dirs[stack], 'cdk.tf.json'), 'utf8'));
  }
  return { platform, outdir, dirs, stacks };
}

/** Resources of one type as [logical id, body] pairs (cdktf's "//" metadata left in the body). */
function resources(stack: Json, type: string): [string, Json][] {
  return Object.entries(stack.resource?.[type] ?? {});
}

/** The single resource of a type; fails the test when there is not exactly one. */
function only(stack: Json, type: string): [string, Json] {
  const found = resources(stack, type);
  expect(found, `expected exactly one ${type}`).toHaveLength(1);
  return found[0];
}

const asStack = (name: string, json: Json): SynthesizedStack => ({ name, json });

/** The Terraform reference `${type.id.attribute}` a resource uses to point at another. */
const ref = (type: string, id: string, attribute: string) => `\${${type}.${id}.${attribute}}`;

const SERVICES_12 = [
  'api',
  'worker',
  'order-worker',
  { name: 'billing', language: 'go', port: 9000 },
  { name: 'auth', language: 'node' },
  { name: 'search', language: 'python', port: 8000 },
  'notifications',
  'gateway',
  'reports',
  'inventory',
  'payments',
  'catalog-sync',
] satisfies AnswersInput['services'];

const CUSTOM: AnswersInput = {
  name: 'globex',
  aws: { region: 'us-east-2', accountId: '210987654321' },
  stateBucket: 'globex-terraform-state',
  tags: { owner: 'platform-team', 'cost-center': 'cc-1234', 'team:area': 'infra/core' },
  services: ['api'],
};

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
        resources: [arn, `${arn}/*`],
        conditions: { Bool: { 'aws:SecureTransport': ['false'] } },
      },
      {
        effect: 'Deny',
        principals: { '*': ['*'] },
        actions: ['s3:*'],
        resources: [arn, `${arn}/*`],
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

// ---------------------------------------------------------------------------------------------------------
// terraform validate: the synthesized JSON is accepted by real Terraform and the pinned AWS provider.

const PLUGIN_DIR = '/opt/tf-plugins';
const terraformOnPath = spawnSync('terraform', ['version'], { stdio: 'ignore' }).status === 0;
const terraformAvailable = terraformOnPath && existsSync(PLUGIN_DIR);
if (!terraformAvailable)
  console.warn(
    `SKIPPED: terraform validate tests need terraform and ${PLUGIN_DIR} ` +
      `(terraform on PATH: ${terraformOnPath}, ${PLUGIN_DIR} exists: ${existsSync(PLUGIN_DIR)})`,
  );

const run = promisify(execFile);
const TF_ENV = { ...process.env, TF_IN_AUTOMATION: '1', CHECKPOINT_DISABLE: '1' };

/** `terraform init` (no backend, providers from the local mirror only) then `terraform validate -json`. */
async function validate(dir: string): Promise<Json> {
  const options = { cwd: dir, env: TF_ENV, timeout: 120_000, maxBuffer: 16 * 1024 * 1024 };
  try {
    await run('terraform', ['init', '-backend=false', `-plugin-dir=${PLUGIN_DIR}`, '-input=false', '-no-color'], options);
  } catch (error: any) {
    throw new Error(`terraform init failed in ${dir}:\n${error.stdout ?? ''}\n${error.stderr ?? error.message}`);
  }
  try {
    const { stdout } = await run('terraform', ['validate', '-json', '-no-color'], options);
    return JSON.parse(stdout);
  } catch (error: any) {
    // validate exits 1 for an invalid configuration but still prints its JSON report.
    if (error.stdout) return JSON.parse(error.stdout);
    throw error;
  }
}

const MATRIX: [string, AnswersInput][] = [
  ['default answers', {}],
  ['one environment', { environments: ['dev'] }],
  [
    'four environments with custom CIDRs',
    {
      environments: [
        { name: 'dev', vpcCidr: '10.100.0.0/16' },
        { name: 'test', vpcCidr: '172.16.0.0/16', availabilityZones: 2 },
        { name: 'staging', vpcCidr: '192.168.0.0/16', tier: 'production' },
        { name: 'prod', vpcCidr: '10.200.0.0/20', natGateways: 'per-az' },
      ],
    },
  ],
  ['us-east-1', { name: 'initech', aws: { region: 'us-east-1', accountId: '111122223333' } }],
  ['ap-southeast-2', { name: 'hooli-apac', aws: { region: 'ap-southeast-2', accountId: '444455556666' }, environments: ['dev', 'prod'] }],
  ['no services', { services: [] }],
  ['12 services', { services: SERVICES_12 }],
  ['custom state bucket and tags', CUSTOM],
];

describe.skipIf(!terraformAvailable)('terraform validate accepts every stack', () => {
  it.each(MATRIX)(
    '%s',
    async (_label, answers) => {
      const { dirs } = synth(answers);
      const reports = await Promise.all(Object.keys(dirs).map(async (stack) => [stack, await validate(dirs[stack])] as const));
      expect(reports.map(([stack]) => stack).sort()).toEqual(stackNames(resolvePlatform(answers)).sort());
      for (const [stack, report] of reports) {
        const diagnostics = (report.diagnostics ?? []).map((d: Json) => `${d.severity}: ${d.summary} ${d.detail ?? ''}`).join('\n');
        expect(report.valid, `${stack} is not valid:\n${diagnostics}`).toBe(true);
        expect(report.error_count, `${stack}:\n${diagnostics}`).toBe(0);
      }
    },
    180_000,
  );

  it('rejects a broken stack (the check can fail)', async () => {
    const { dirs } = synth({ services: [] });
    const file = join(dirs.bootstrap, 'cdk.tf.json');
    const stack = JSON.parse(readFileSync(file, 'utf8'));
    // An attribute the provider's schema does not have.
    (Object.values(stack.resource.aws_s3_bucket)[0] as Json).no_such_argument = true;
    writeFileSync(file, JSON.stringify(stack));
    const report = await validate(dirs.bootstrap);
    expect(report.valid).toBe(false);
    expect(report.error_count).toBeGreaterThan(0);
  }, 180_000);
});

describe('platform tags', () => {
  it("keeps the kit's own tags when the answers use the same names", () => {
    const { stacks } = synth({ tags: { platform: 'other', 'managed-by': 'me', team: 'core' } });
    expect(stacks.shared.provider.aws[0].default_tags[0].tags).toEqual({ platform: 'acme-platform', 'managed-by': 'platform-kit', team: 'core' });
  });
});
