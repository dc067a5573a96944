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
import { parse } from 'yaml';
import { allCharts, CORE_FREE_FORM_VALUES, supportingServiceModules } from '../packages/config/src';
import { chartKeysFile, renderChartKeys, type ChartDefaults } from '../packages/constructs/src/chart-keys';

const root = resolve(__dirname, '..');
const fixtures = join(root, 'test', 'fixtures', 'upstream-charts');
const check = process.argv.includes('--check');

const freeForm: Record<string, readonly string[]> = Object.assign({}, CORE_FREE_FORM_VALUES, ...supportingServiceModules().map((m) => m.freeFormValues ?? {}));
const charts: ChartDefaults[] = Object.entries(allCharts()).map(([name, pin]) => {
  const dir = join(fixtures, pin.chart);
  const schema = join(dir, 'values.schema.json');
  return {
    name,
    version: pin.version,
    values: parse(readFileSync(join(dir, 'values.yaml'), 'utf8')) ?? {},
    schema: existsSync(schema) ? JSON.parse(readFileSync(schema, 'utf8')) : undefined,
    freeForm: freeForm[name] ?? [],
  };
});
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
