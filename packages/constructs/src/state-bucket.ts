import { Construct } from 'constructs';
import { policyDocument } from './iam';
import { KmsAlias, KmsKey, S3Bucket, S3BucketLifecycleConfiguration, S3BucketOwnershipControls, S3BucketPolicy, S3BucketPublicAccessBlock, S3BucketServerSideEncryptionConfigurationA, S3BucketVersioningA } from './providers/aws';

export interface BucketHardening {
  /** The KMS key every object is encrypted with by default. */
  readonly kmsKeyArn: string;
  readonly lifecycleRuleId: string;
  /** Days a superseded object version is kept (recovery window). */
  readonly noncurrentVersionDays: number;
}

/**
 * What every bucket of a platform gets: versioning, default encryption with a KMS key (bucket keys on),
 * public access blocked, ACLs disabled, TLS 1.2+ only, old versions and failed uploads expired. The resources
 * are added to `scope` (the construct owning the bucket), so their addresses stay stable.
 */
export function hardenBucket(scope: Construct, s3Bucket: S3Bucket, props: BucketHardening): void {
  const bucket = s3Bucket.id;
  new S3BucketVersioningA(scope, 'versioning', { bucket, versioningConfiguration: { status: 'Enabled' } });
  new S3BucketServerSideEncryptionConfigurationA(scope, 'encryption', {
    bucket,
    rule: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: 'aws:kms', kmsMasterKeyId: props.kmsKeyArn }, bucketKeyEnabled: true }],
  });
  new S3BucketPublicAccessBlock(scope, 'public-access-block', {
    bucket,
    blockPublicAcls: true,
    blockPublicPolicy: true,
    ignorePublicAcls: true,
    restrictPublicBuckets: true,
  });
  new S3BucketOwnershipControls(scope, 'ownership', { bucket, rule: { objectOwnership: 'BucketOwnerEnforced' } });
  new S3BucketLifecycleConfiguration(scope, 'lifecycle', {
    bucket,
    rule: [
      {
        id: props.lifecycleRuleId,
        status: 'Enabled',
        filter: [{ prefix: '' }],
        noncurrentVersionExpiration: [{ noncurrentDays: props.noncurrentVersionDays }],
        abortIncompleteMultipartUpload: [{ daysAfterInitiation: 7 }],
      },
    ],
  });
  const everything = [s3Bucket.arn, `${s3Bucket.arn}/*`];
  new S3BucketPolicy(scope, 'policy', {
    bucket,
    policy: policyDocument(scope, 'policy-document', [
      {
        sid: 'DenyInsecureTransport',
        effect: 'Deny',
        principals: [{ type: '*', identifiers: ['*'] }],
        actions: ['s3:*'],
        resources: everything,
        conditions: [{ test: 'Bool', variable: 'aws:SecureTransport', values: ['false'] }],
      },
      {
        sid: 'DenyOutdatedTls',
        effect: 'Deny',
        principals: [{ type: '*', identifiers: ['*'] }],
        actions: ['s3:*'],
        resources: everything,
        conditions: [{ test: 'NumericLessThan', variable: 's3:TlsVersion', values: ['1.2'] }],
      },
    ]).json,
  });
}

export interface StateBucketProps {
  readonly bucketName: string;
  /** Alias of the bucket's KMS key (the S3 backend names the key by it). */
  readonly keyAlias: string;
  /** Days a superseded state version is kept (recovery window). */
  readonly noncurrentVersionDays?: number;
}

/**
 * The Terraform state bucket: versioned, encrypted with its own rotating KMS key, private (public access
 * blocked, ACLs disabled), TLS-only, old versions expired, and protected from `terraform destroy`.
 */
export class StateBucket extends Construct {
  readonly bucket: S3Bucket;
  readonly key: KmsKey;

  constructor(scope: Construct, id: string, props: StateBucketProps) {
    super(scope, id);

    this.key = new KmsKey(this, 'key', {
      description: `Encrypts the Terraform state in ${props.bucketName}`,
      enableKeyRotation: true,
      deletionWindowInDays: 30,
    });
    new KmsAlias(this, 'alias', { name: props.keyAlias, targetKeyId: this.key.keyId });

    this.bucket = new S3Bucket(this, 'bucket', {
      bucket: props.bucketName,
      // Losing the state means losing track of every resource: a destroy must be a deliberate code change.
      lifecycle: { preventDestroy: true },
    });
    hardenBucket(this, this.bucket, {
      kmsKeyArn: this.key.arn,
      lifecycleRuleId: 'expire-noncurrent-state-versions',
      noncurrentVersionDays: props.noncurrentVersionDays ?? 90,
    });
  }
}
