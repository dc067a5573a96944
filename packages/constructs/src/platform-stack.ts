import type { Platform } from '@platform-kit/config';
import { catalogue, stateKeyAlias } from '@platform-kit/config';
import { S3Backend, TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';
import { AwsProvider } from './providers/aws';

export interface PlatformStackProps {
  readonly platform: Platform;
  /** Tags added to the platform's default tags for every resource of this stack. */
  readonly tags?: Record<string, string>;
  /** false: a stack with no AWS resource (on an existing cluster), which gets no AWS provider; its state stays in S3. */
  readonly aws?: boolean;
}

/** The tags every resource of a platform carries; the kit's own tags win over answers with the same name. */
export function platformTags(platform: Platform): Record<string, string> {
  return { ...platform.tags, platform: platform.name, 'managed-by': 'platform-kit' };
}


/**
 * A stack of a platform: the AWS provider pinned to the platform's account and region, default tags, and the
 * S3 backend (state in the bootstrap bucket, native S3 locking). Every platform stack extends it.
 */
export class PlatformStack extends TerraformStack {
  readonly platform: Platform;

  constructor(scope: Construct, id: string, props: PlatformStackProps) {
    super(scope, id);
    const { platform } = props;
    this.platform = platform;
    this.addOverride('terraform.required_version', catalogue.terraform.requiredVersion);

    if (props.aws !== false)
      new AwsProvider(this, 'aws', {
        region: platform.aws.region,
        // Refuses to run against any other account: a wrong profile cannot touch the wrong account.
        allowedAccountIds: [platform.aws.accountId],
        defaultTags: [{ tags: { ...platformTags(platform), ...props.tags } }],
      });

    new S3Backend(this, {
      bucket: platform.stateBucket,
      key: `${id}/terraform.tfstate`,
      region: platform.aws.region,
      encrypt: true,
      // Without a key id the backend writes state objects with AES256, overriding the bucket's KMS default.
      kmsKeyId: stateKeyAlias(platform),
    });
    // cdktf 0.21 predates `use_lockfile` (Terraform >= 1.10): S3-native locking, no DynamoDB table.
    this.addOverride('terraform.backend.s3.use_lockfile', true);
  }
}
