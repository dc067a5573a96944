import { Construct } from 'constructs';
import { policyDocument, type Statement } from './iam';
import { KmsAlias, KmsKey } from './providers/aws';

export interface EncryptionKeyProps {
  readonly alias: string;
  readonly description: string;
  readonly accountId: string;
  readonly region: string;
  /** Log groups (ARN patterns) CloudWatch Logs may encrypt with this key. */
  readonly logGroupArns?: string[];
  /**
   * Roles (ARNs) that may encrypt EBS volumes with this key for instances they launch, e.g. the Auto Scaling
   * service-linked role of managed node groups. Named by condition on a wildcard principal, so the key can be created
   * before the role exists (a key policy naming a missing principal is refused).
   */
  readonly volumeLaunchers?: string[];
}

/**
 * A customer-managed KMS key with yearly rotation and an alias. Its policy delegates to IAM in the account
 * (the AWS default) and, when asked, lets CloudWatch Logs use it for the named log groups only, or lets the named
 * service roles encrypt the volumes of instances they launch.
 */
export class EncryptionKey extends Construct {
  readonly key: KmsKey;

  constructor(scope: Construct, id: string, props: EncryptionKeyProps) {
    super(scope, id);
    const statements: Statement[] = [
      {
        sid: 'AccountAdministersTheKeyThroughIam',
        actions: ['kms:*'],
        resources: ['*'],
        principals: [{ type: 'AWS', identifiers: [`arn:aws:iam::${props.accountId}:root`] }],
      },
    ];
    if (props.logGroupArns?.length)
      statements.push({
        sid: 'CloudWatchLogsEncryptsTheseLogGroups',
        actions: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
        resources: ['*'],
        principals: [{ type: 'Service', identifiers: [`logs.${props.region}.amazonaws.com`] }],
        conditions: [{ test: 'ArnLike', variable: 'kms:EncryptionContext:aws:logs:arn', values: props.logGroupArns }],
      });
    if (props.volumeLaunchers?.length) {
      const launchers = [{ test: 'ArnEquals', variable: 'aws:PrincipalArn', values: props.volumeLaunchers }];
      const thisAccount = { test: 'StringEquals', variable: 'kms:CallerAccount', values: [props.accountId] };
      statements.push(
        {
          sid: 'LaunchersEncryptVolumes',
          actions: ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:DescribeKey'],
          resources: ['*'],
          principals: [{ type: 'AWS', identifiers: ['*'] }],
          conditions: [...launchers, thisAccount],
        },
        {
          // EBS keeps a grant for each attached volume; only for AWS resources, never a grant to a person.
          sid: 'LaunchersAttachVolumes',
          actions: ['kms:CreateGrant'],
          resources: ['*'],
          principals: [{ type: 'AWS', identifiers: ['*'] }],
          conditions: [...launchers, thisAccount, { test: 'Bool', variable: 'kms:GrantIsForAWSResource', values: ['true'] }],
        },
      );
    }
    this.key = new KmsKey(this, 'key', {
      description: props.description,
      enableKeyRotation: true,
      deletionWindowInDays: 30,
      policy: policyDocument(this, 'policy', statements).json,
    });
    new KmsAlias(this, 'alias', { name: props.alias, targetKeyId: this.key.keyId });
  }

  get arn(): string {
    return this.key.arn;
  }
}
