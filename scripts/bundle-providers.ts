/*
 * Bundles the provider classes the constructs use (packages/constructs/src/providers/<provider>.ts) into
 * packages/constructs/lib/providers/<provider>.js, with cdktf and constructs left external (one copy of each, shared
 * with the platform repo), and gives them declarations copied from the provider packages. @platform-kit/constructs
 * then needs neither @cdktf/provider-aws (360 MB) nor @cdktf/provider-helm at run time: they are build-time
 * dependencies. Run by the constructs package's post-compile, from its folder, after tsc.
 *
 * The bundle is not minified: the provider packages are MPL-2.0, whose source form this file is, with its notice.
 */
import { buildSync } from 'esbuild';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

const PROVIDERS = { aws: '@cdktf/provider-aws', helm: '@cdktf/provider-helm' } as const;

for (const [name, pkg] of Object.entries(PROVIDERS)) {
  const { version, repository } = JSON.parse(readFileSync(require.resolve(`${pkg}/package.json`), 'utf8')) as { version: string; repository: { url: string } };
  const out = join('lib', 'providers', `${name}.js`);
  buildSync({
    entryPoints: [join('src', 'providers', `${name}.ts`)],
    outfile: out,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['cdktf', 'constructs'],
    banner: {
      js: [
        `/* Classes of ${pkg} ${version} (${repository.url.replace(/^git\+|\.git$/g, '')}), bundled by platform-kit.`,
        ' * This Source Code Form is subject to the terms of the Mozilla Public License, v. 2.0. If a copy of the MPL was',
        ' * not distributed with this file, You can obtain one at https://mozilla.org/MPL/2.0/. */',
      ].join('\n'),
    },
    logLevel: 'warning',
  });

  // tsc wrote lib/providers/<name>.d.ts re-exporting from `${pkg}/lib/<module>`: point it at copies of those
  // declarations (each imports only cdktf and constructs).
  const declarations = join('lib', 'providers', `${name}.d.ts`);
  const text = readFileSync(declarations, 'utf8').replace(new RegExp(`from '${pkg}/lib/([\\w-]+)'`, 'g'), (_match, module: string) => {
    const copy = join('lib', 'providers', name, `${module}.d.ts`);
    mkdirSync(dirname(copy), { recursive: true });
    copyFileSync(require.resolve(`${pkg}/lib/${module}/index.d.ts`), copy);
    return `from './${name}/${module}'`;
  });
  if (text.includes(`'${pkg}`)) throw new Error(`${declarations} still names ${pkg}: only \`${pkg}/lib/<module>\` re-exports can be bundled`);
  writeFileSync(declarations, text);
  console.log(`bundled ${pkg} ${version} into ${out}`);
}
