import { TerraformOutput } from 'cdktf';
import type { Construct } from 'constructs';
import { PlatformStack, stateKeyAlias, type PlatformStackProps } from './platform-stack';
import { ServiceRegistry } from './service-registry';
import { StateBucket } from './state-bucket';

/**
 * `bootstrap`: the state bucket every other stack keeps its state in. It is applied first on local state;
 * the bootstrap task then migrates its own state into the bucket (see docs/bootstrap.md of a platform repo).
 */
export class BootstrapStack extends PlatformStack {
  readonly stateBucket: StateBucket;

  constructor(scope: Construct, id: string, props: PlatformStackProps) {
    super(scope, id, props);
    this.stateBucket = new StateBucket(this, 'state', { bucketName: props.platform.stateBucket, keyAlias: stateKeyAlias(props.platform) });
    new TerraformOutput(this, 'state_bucket', { value: this.stateBucket.bucket.bucket });
    new TerraformOutput(this, 'state_key_arn', { value: this.stateBucket.key.arn });
  }
}

/** `shared`: account-level resources every environment uses: one ECR repository per service. */
export class SharedStack extends PlatformStack {
  readonly registries: Record<string, ServiceRegistry> = {};

  constructor(scope: Construct, id: string, props: PlatformStackProps) {
    super(scope, id, props);
    for (const service of props.platform.services) {
      const registry = new ServiceRegistry(this, `registry-${service.name}`, { repositoryName: `${props.platform.name}/${service.name}` });
      this.registries[service.name] = registry;
      new TerraformOutput(this, `${service.name.replace(/-/g, '_')}_repository_url`, { value: registry.repository.repositoryUrl });
    }
  }
}
