import { catalogue, resolvePlatform } from '@platform-kit/config';
import type * as Constructs from '@platform-kit/constructs';
import { helmValuesFiles } from '@platform-kit/projen';
import type * as S3BucketModule from '@cdktf/provider-aws/lib/s3-bucket';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { KIT_ROOT, tempDir, terraformAvailable, terraformValidate } from './helpers';

/*
 * @platform-kit/constructs carries the provider classes its constructs use (lib/providers, bundled by
 * scripts/bundle-providers.ts) instead of depending on @cdktf/provider-aws (360 MB) and @cdktf/provider-helm. The
 * bundle needs nothing but cdktf and constructs; its declarations resolve inside the package; and a platform repo that
 * installs the full provider for its own resources synthesizes them in the same stack as the kit's.
 */

const lib = join(KIT_ROOT, 'packages/constructs/lib/providers');
// The compiled package, as a platform repo loads it (the tests' alias maps @platform-kit/constructs to its sources,
// which import the provider packages), and the full provider, both through Node's own require: one cdktf for both.
const nodeRequire = createRequire(join(KIT_ROOT, 'package.json'));
const { PlatformApp } = nodeRequire(join(KIT_ROOT, 'packages/constructs/lib/index.js')) as typeof Constructs;
const { S3Bucket } = nodeRequire('@cdktf/provider-aws/lib/s3-bucket') as typeof S3BucketModule;

describe('the bundled provider classes', () => {
  it('require only cdktf and constructs', () => {
    for (const file of ['aws.js', 'helm.js']) {
      const required = [...readFileSync(join(lib, file), 'utf8').matchAll(/\brequire\("([^"]+)"\)/g)].map((m) => m[1]);
      expect(required.filter((m) => !['cdktf', 'constructs'].includes(m)), file).toEqual([]);
      expect(required, file).toContain('cdktf');
    }
  });

  it('have declarations inside the package, for every class a construct imports', () => {
    for (const provider of ['aws', 'helm']) {
      const text = readFileSync(join(lib, `${provider}.d.ts`), 'utf8');
      expect(text).not.toContain('@cdktf/provider');
      for (const [, target] of text.matchAll(/from '(\.\/[^']+)'/g)) expect(existsSync(join(lib, `${target}.d.ts`)), target).toBe(true);
    }
    // Every class the sources import is re-exported by the bundle's entry (src/providers/<provider>.ts).
    expect(readdirSync(join(lib, 'aws')).length).toBeGreaterThan(50);
  });

  it('are not a dependency of the published package: the providers are build-time only', () => {
    const pkg = JSON.parse(readFileSync(join(KIT_ROOT, 'packages/constructs/package.json'), 'utf8'));
    expect(Object.keys(pkg.dependencies)).not.toContain('@cdktf/provider-aws');
    expect(Object.keys(pkg.dependencies)).not.toContain('@cdktf/provider-helm');
    expect(pkg.devDependencies['@cdktf/provider-aws']).toBe(catalogue.npm['@cdktf/provider-aws']);
  });

  it("synthesize in one stack with a resource of the full provider, as src/main.ts's comment shows", async () => {
    // The compiled package really uses the bundle.
    expect(readFileSync(join(KIT_ROOT, 'packages/constructs/lib/network.js'), 'utf8')).toContain('require("./providers/aws")');
    const platform = resolvePlatform({ name: 'acme', environments: ['dev'], supportingServices: [] });
    const outdir = tempDir('bundled');
    const files = new Map(helmValuesFiles(platform).map((f) => [`${f.environment}/${f.release}`, f.contents]));
    const app = new PlatformApp(platform, { outdir, helmValues: (e, r) => [files.get(`${e.name}/${r}`)!] });
    new S3Bucket(app.shared, 'artifacts', { bucket: 'acme-artifacts' });
    app.synth();
    const stack = join(outdir, 'stacks', 'shared');
    const json = JSON.parse(readFileSync(join(stack, 'cdk.tf.json'), 'utf8'));
    // The user's bucket next to the kit's resources, under the one aws provider the kit configures.
    expect(json.resource.aws_s3_bucket.artifacts.bucket).toBe('acme-artifacts');
    expect(Object.keys(json.resource.aws_iam_role ?? {}).length).toBeGreaterThan(0);
    expect(json.provider.aws).toHaveLength(1);
    if (terraformAvailable) expect((await terraformValidate(stack)).valid).toBe(true);
    else console.log('terraform validate skipped: no terraform or provider mirror here');
  });
});
