import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chartPin, closest, environmentReleases, type Platform } from '@platform-kit/config';
import { isMap, LineCounter, parseDocument, type Document } from 'yaml';

/*
 * The user's Helm values (helm/<env>/<release>.overrides.yaml) are read by Argo CD from git, long after a pull request
 * is merged: a YAML error or a misspelt key there would fail a sync, or be ignored silently by Helm. Synth checks them
 * first: a syntax error names the file, line and column; a key the pinned chart does not have names its path and the
 * key it likely meant. The charts' keys ship with the kit (data/chart-keys.json, written by scripts/chart-keys.ts from
 * the charts' default values.yaml and values.schema.json).
 */

/** A chart's keys: a map below a key, `1` for a value, `'*'` for a map of any keys (e.g. `podAnnotations: {}`). */
export type KeyTree = { readonly [key: string]: KeyTree } | 1 | '*';

/** The keys of each pinned chart, by catalogue name and version: `{ 'nginx-gateway-fabric@2.6.7': {...} }`. */
export function chartKeys(): Readonly<Record<string, KeyTree>> {
  cached ??= JSON.parse(readFileSync(join(__dirname, '..', 'data', 'chart-keys.json'), 'utf8')) as Record<string, KeyTree>;
  return cached;
}
let cached: Record<string, KeyTree> | undefined;

/** The key of a chart in chart-keys.json: its catalogue name and pinned version. */
export const chartKeysId = (chart: string) => `${chart}@${chartPin(chart).version}`;

/** A problem of an overrides file, located: `helm/dev/nginx.overrides.yaml:2:13: ...`. */
export interface OverridesProblem {
  readonly file: string;
  readonly line?: number;
  readonly column?: number;
  readonly message: string;
}

export const formatProblem = (p: OverridesProblem) => `${p.file}${p.line ? `:${p.line}:${p.column}` : ''}: ${p.message}`;

/** The keys of `values` the tree does not have, with where they are and what they likely meant. */
function unknownKeys(doc: Document, tree: KeyTree, lines: LineCounter, file: string, chart: string): OverridesProblem[] {
  const problems: OverridesProblem[] = [];
  const walk = (node: unknown, keys: KeyTree, path: string[]) => {
    if (!isMap(node) || keys === '*' || keys === 1) return;
    for (const pair of node.items) {
      const key = String((pair.key as { value?: unknown } | null)?.value ?? pair.key);
      const at = [...path, key];
      if (!(key in keys)) {
        const meant = closest(key, Object.keys(keys));
        const where = lines.linePos((pair.key as { range?: [number] } | null)?.range?.[0] ?? 0);
        problems.push({
          file,
          line: where.line,
          column: where.col,
          message: `${at.join('.')} is not a value of the chart ${chart}${meant ? ` (did you mean ${[...path, meant].join('.')}?)` : ''}. Fix or remove it.`,
        });
        continue;
      }
      walk(pair.value, keys[key], at);
    }
  };
  walk(doc.contents, tree, []);
  return problems;
}

/** Checks one overrides file's text against its chart's keys. */
export function checkOverridesText(file: string, text: string, chart: string, tree: KeyTree | undefined): OverridesProblem[] {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false });
  if (doc.errors.length)
    return doc.errors.map((e) => {
      const where = lines.linePos(e.pos[0]);
      return { file, line: where.line, column: where.col, message: `${e.message.split('\n')[0]}. Fix the YAML: Argo CD cannot read this file.` };
    });
  const values = doc.toJS() as unknown;
  if (values === null || values === undefined) return [];
  if (typeof values !== 'object' || Array.isArray(values)) return [{ file, message: `must be a YAML map of the chart's values (or {}), got ${Array.isArray(values) ? 'a list' : JSON.stringify(values)}.` }];
  return tree ? unknownKeys(doc, tree, lines, file, `${chartPin(chart).chart} ${chartPin(chart).version}`) : [];
}

/** Every problem of every overrides file of the platform's releases, under helmDir. */
export function checkHelmOverrides(platform: Platform, helmDir: string): OverridesProblem[] {
  const keys = chartKeys();
  return platform.environments.flatMap((environment) =>
    environmentReleases(platform, environment).flatMap((release) => {
      const path = join(helmDir, environment.name, `${release.name}.overrides.yaml`);
      if (!existsSync(path)) return [];
      return checkOverridesText(path, readFileSync(path, 'utf8'), release.chart, keys[chartKeysId(release.chart)]);
    }),
  );
}
