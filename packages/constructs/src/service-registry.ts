import { Construct } from 'constructs';
import { EcrLifecyclePolicy, EcrRepository } from './providers/aws';

export interface ServiceRegistryProps {
  /** Repository name, e.g. acme-platform/api. */
  readonly repositoryName: string;
  /**
   * ARN of the customer-managed key that encrypts the images. ECR makes itself a grant on it when the repository is
   * created; pushing and pulling need no KMS permission. Changing the key replaces the repository.
   */
  readonly kmsKeyArn: string;
  /** Untagged images older than this are removed. */
  readonly untaggedExpiryDays?: number;
  /** At most this many images are kept. */
  readonly maxImages?: number;
}

/**
 * The ECR repository of one service: immutable tags (a tag always means the same image), scan on push,
 * encryption with the platform's registry key, and a lifecycle policy so old images do not pile up. A repository
 * holding images is never deleted by Terraform (`force_delete` off): a change that would replace it fails instead.
 */
export class ServiceRegistry extends Construct {
  readonly repository: EcrRepository;

  constructor(scope: Construct, id: string, props: ServiceRegistryProps) {
    super(scope, id);
    this.repository = new EcrRepository(this, 'repository', {
      name: props.repositoryName,
      imageTagMutability: 'IMMUTABLE',
      imageScanningConfiguration: { scanOnPush: true },
      encryptionConfiguration: [{ encryptionType: 'KMS', kmsKey: props.kmsKeyArn }],
      forceDelete: false,
    });
    new EcrLifecyclePolicy(this, 'lifecycle', {
      repository: this.repository.name,
      policy: JSON.stringify({
        rules: [
          {
            rulePriority: 1,
            description: `Expire untagged images after ${props.untaggedExpiryDays ?? 14} days`,
            selection: { tagStatus: 'untagged', countType: 'sinceImagePushed', countUnit: 'days', countNumber: props.untaggedExpiryDays ?? 14 },
            action: { type: 'expire' },
          },
          {
            rulePriority: 2,
            description: `Keep the newest ${props.maxImages ?? 200} images`,
            selection: { tagStatus: 'any', countType: 'imageCountMoreThan', countNumber: props.maxImages ?? 200 },
            action: { type: 'expire' },
          },
        ],
      }),
    });
  }
}
