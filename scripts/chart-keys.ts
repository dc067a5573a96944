/**
 * Writes packages/constructs/data/chart-keys.json: the keys of every pinned chart's values, from its default
 * values.yaml and values.schema.json in test/fixtures/upstream-charts (the kit's copies, see SOURCES.md there), with
 * the keys the kit knows to be free-form (CORE_FREE_FORM_VALUES, each module's freeFormValues) open to any keys.
 * Synth checks the user's helm/<env>/<release>.overrides.yaml against it (packages/constructs/src/helm-overrides.ts).
 * Usage: npx projen chart-keys            write the file
 *        npx tsx scripts/chart-keys.ts --check   only compare; exit 1 when it is stale
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { chartKeysFile, readChartDefaults, renderChartKeys } from '../packages/constructs/src/chart-keys';

const root = resolve(__dirname, '..');
const check = process.argv.includes('--check');

const charts = readChartDefaults(join(root, 'test', 'fixtures', 'upstream-charts'));
const text = renderChartKeys(charts);
const file = join(root, chartKeysFile);
const current = existsSync(file) ? readFileSync(file, 'utf8') : undefined;
if (current === text) process.exit(0);
if (check) {
  console.error(`${chartKeysFile} is stale: run npx projen chart-keys`);
  process.exit(1);
}
writeFileSync(`${file}.tmp`, text);
renameSync(`${file}.tmp`, file);
console.log(`wrote ${chartKeysFile}`);
