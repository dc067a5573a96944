import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, extname, resolve } from 'node:path';
import { canonicalAnswers, usesDomain, validateAnswers, type AnswersInput, type Platform } from '@platform-kit/config';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { writeFileAtomic } from './fs-safe';
import { UsageError } from './errors';

/** Reads an answers file: JSON, or YAML (which JSON also is). */
export function readAnswersFile(file: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new UsageError(`cannot read the answers file ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}.`);
  }
  let data: unknown;
  try {
    data = extname(file) === '.json' ? JSON.parse(text) : parseYaml(text, { prettyErrors: true });
  } catch (e) {
    throw new UsageError(`the answers file ${file} is not valid ${extname(file) === '.json' ? 'JSON' : 'YAML'}: ${(e as Error).message}`);
  }
  if (data === null || data === undefined) return {};
  if (typeof data !== 'object' || Array.isArray(data)) throw new UsageError(`the answers file ${file} must hold a map of answers (name, aws, ...).`);
  return data as Record<string, unknown>;
}

/** Refuses to replace an existing answers file unless forced: checked before any question is asked. */
export function checkAnswersFileTarget(file: string, force: boolean): void {
  if (!existsSync(dirname(resolve(file)))) throw new UsageError(`--save-answers ${file}: the folder ${dirname(file)} does not exist. Create it, or choose another file.`);
  if (existsSync(file) && !statSync(file).isFile()) throw new UsageError(`--save-answers ${file} is a folder. Give a file name, e.g. answers.yaml.`);
  if (existsSync(file) && !force)
    throw new UsageError(`--save-answers ${file} already exists. Choose another file, or pass --force to replace it.`);
}

/** Writes answers as YAML (or JSON for a .json file), atomically: a reader never sees half a file. */
export function writeAnswersFile(file: string, input: AnswersInput): void {
  const answers = canonicalAnswers(input);
  const text =
    extname(file) === '.json'
      ? `${JSON.stringify(answers, null, 2)}\n`
      : `# Answers for create-platform: create-platform --answers ${file}\n# Reference: https://github.com/platform-kit/platform-kit/tree/main/docs/answers.md\n${stringifyYaml(answers)}`;
  writeFileAtomic(file, text);
}

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Deep merge where `over` wins; lists are replaced, not concatenated. */
export function mergeAnswers(base: Record<string, unknown>, over: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(over)) {
    out[key] = isPlainObject(value) && isPlainObject(out[key]) ? mergeAnswers(out[key] as Record<string, unknown>, value) : value;
  }
  return out;
}

/** Answers whose defaults are placeholders: a real platform needs its own value. */
export const PLACEHOLDER_ANSWERS: readonly { path: readonly string[]; flag: string; applies?: (platform: Platform) => boolean }[] = [
  { path: ['aws', 'accountId'], flag: '--account-id' },
  { path: ['domain'], flag: '--domain', applies: usesDomain },
  { path: ['github', 'owner'], flag: '--github-owner' },
];

/** The value at a path of nested objects and lists, or undefined. */
export function valueAt(obj: object, path: readonly (string | number)[]): unknown {
  return path.reduce<unknown>((node, key) => (isPlainObject(node) || Array.isArray(node) ? (node as Record<string | number, unknown>)[key] : undefined), obj);
}

/** Sets the value at a path, creating the objects on the way. */
export function setPath(target: Record<string, unknown>, path: readonly string[], value: unknown): void {
  let node = target;
  for (const key of path.slice(0, -1)) node = (node[key] ??= {}) as Record<string, unknown>;
  node[path[path.length - 1]] = value;
}

/** The placeholder answers not given: with --yes they take their defaults, without it they are missing. */
export function unansweredPlaceholders(answers: AnswersInput): { field: string; path: readonly string[]; flag: string }[] {
  const result = validateAnswers(answers); // invalid answers are reported on their own; list every placeholder then
  const applies = (p: (typeof PLACEHOLDER_ANSWERS)[number]) => !result.ok || !p.applies || p.applies(result.platform);
  return PLACEHOLDER_ANSWERS.filter((p) => valueAt(answers, p.path) === undefined && applies(p)).map((p) => ({
    field: p.path.join('.'),
    path: p.path,
    flag: p.flag,
  }));
}
