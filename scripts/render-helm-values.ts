// Renders every managed Helm values file for an answers file (default: all eleven supporting services),
// for reviewing templates: npx tsx scripts/render-helm-values.ts [answers.yaml] [outdir]
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { resolvePlatform } from '../packages/config/src';
import { helmValuesFiles } from '../packages/projen/src/helm-values';
import { parse } from 'yaml';

const [answersFile, outdir = 'helm-preview'] = process.argv.slice(2);
const answers = answersFile ? parse(readFileSync(answersFile, 'utf8')) : { name: 'acme', aws: { region: 'eu-west-1', accountId: '123456789012' }, github: { owner: 'acme' }, environments: ['dev', 'prod'] };
for (const file of helmValuesFiles(resolvePlatform(answers))) {
  const path = join(outdir, file.path);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, file.contents);
  console.log(path);
}
