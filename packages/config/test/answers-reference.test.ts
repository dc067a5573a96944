import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { z } from 'zod';
import { ANSWER_NOTES, EXAMPLE_ANSWERS } from '../src/answers-notes';
import {
  ANSWERS_JSON_SCHEMA_FILE,
  ANSWERS_REFERENCE_FILE,
  GENERATED_MARKER,
  answerFieldPaths,
  answersJsonSchema,
  renderAnswersJsonSchema,
  renderAnswersReference,
} from '../src/answers-reference';
import { REGIONS, TIER_DEFAULTS, selectableSupportingServiceNames, answersSchema, catalogue, resolvePlatform, SUPPORTING_SERVICES_DOC, supportingService, supportingServiceModules, validateAnswers, withModuleDocs } from '../src';
import { ok } from './support';

const root = join(__dirname, '../../..');
const read = (file: string) => readFileSync(join(root, file), 'utf8');
const STALE = (file: string) => `${file} is stale: run npx projen docs:answers`;

const doc = renderAnswersReference();
const paths = answerFieldPaths();
const leaves = paths.filter((p) => !paths.some((q) => q.startsWith(`${p}.`) || q.startsWith(`${p}[].`)));

/** A value as the reference writes it: YAML on one line. */
const inline = (value: unknown) => stringify(value, { collectionStyle: 'flow', flowCollectionPadding: false, lineWidth: 0 }).trimEnd();

/** The markdown of a field: its section, or its row in its parent's table of fields. */
function sectionOf(path: string): string {
  const lines = doc.split('\n');
  const start = lines.findIndex((l) => new RegExp(`^#{3,4} \`${path.replace(/[.[\]]/g, '\\$&')}\`$`).test(l));
  if (start >= 0) {
    const end = lines.findIndex((l, i) => i > start && l.startsWith('#'));
    return lines.slice(start, end < 0 ? undefined : end).join('\n');
  }
  const parent = path.replace(/(\[\])?\.[^.]+$/, '');
  const key = path.slice(path.lastIndexOf('.') + 1);
  if (parent === path) throw new Error(`no section for ${path}`);
  const row = sectionOf(parent)
    .split('\n')
    .find((l) => l.startsWith(`| \`${key}\` |`));
  if (!row) throw new Error(`no section or table row for ${path}`);
  return row;
}

/** The values at a path (`environments[].vpcCidr`): one per list entry. */
function valuesAt(value: unknown, path: string): unknown[] {
  let values = [value];
  for (const part of path.split('.')) {
    values = values.map((v) => (v as Record<string, unknown> | undefined)?.[part.replace(/\[\]$/, '')]);
    if (part.endsWith('[]')) values = values.flatMap((v) => (Array.isArray(v) ? v : []));
  }
  return values;
}

const tiered = (path: string) => path.startsWith('environments[].') && valuesAt(TIER_DEFAULTS.production, path.slice('environments[].'.length))[0] !== undefined;

it("docs/supporting-services.md has each supporting service's section from its module's docs.md", () => {
  const current = read(SUPPORTING_SERVICES_DOC);
  expect(current, STALE(SUPPORTING_SERVICES_DOC)).toBe(withModuleDocs(current));
  for (const m of supportingServiceModules()) expect(current).toContain(`### ${m.title}\n`);
});

describe('docs/answers.md', () => {
  it('is what the schema and its notes generate', () => {
    expect(read(ANSWERS_REFERENCE_FILE), STALE(ANSWERS_REFERENCE_FILE)).toBe(doc);
    expect(read(ANSWERS_JSON_SCHEMA_FILE), STALE(ANSWERS_JSON_SCHEMA_FILE)).toBe(renderAnswersJsonSchema());
  });

  it('says right after its title that it is generated', () => {
    expect(doc.split('\n').slice(0, 3)).toEqual(['# Answers reference', '', GENERATED_MARKER]);
  });

  it('goes stale when the schema changes (the comparison above can fail)', () => {
    const name = (answersSchema.shape.name as unknown as z.ZodDefault<z.ZodString>).removeDefault().default('other-platform');
    const changed = renderAnswersReference({ schema: answersSchema.extend({ name }) });
    expect(changed).not.toBe(read(ANSWERS_REFERENCE_FILE));
    expect(changed).toContain('| Default | `other-platform` |');
    // and a hand edit of the file is no longer what the generator writes
    expect(read(ANSWERS_REFERENCE_FILE).replace('| Default | `eu-west-1` |', '| Default | `us-east-1` |')).not.toBe(doc);
  });

  it('is checked by the script in --check mode', () => {
    const tsx = join(root, 'node_modules/.bin/tsx');
    expect(() => execFileSync(tsx, [join(root, 'scripts/answers-reference.ts'), '--check'], { cwd: root, stdio: 'pipe' })).not.toThrow();
  });
});

describe('field notes', () => {
  it('are walked from the schema, nested lists and objects included', () => {
    expect(paths).toEqual(expect.arrayContaining(['name', 'aws.region', 'environments[].nodes.maxSize', 'services[].port', 'tags', 'stateBucket']));
    expect(paths).toHaveLength(new Set(paths).size);
  });

  it('exist for every field of the schema, and only for those', () => {
    const notes = Object.keys(ANSWER_NOTES);
    expect(
      paths.filter((p) => !notes.includes(p)),
      'fields without notes: document them in packages/config/src/answers-notes.ts',
    ).toEqual([]);
    expect(
      notes.filter((n) => !paths.includes(n)),
      'notes of fields the schema does not have',
    ).toEqual([]);
  });

  it('are required by the generator: a new field fails until it is documented', () => {
    const schema = answersSchema.extend({ fake: z.string().optional() });
    expect(answerFieldPaths(schema)).toContain('fake');
    expect(() => renderAnswersReference({ schema })).toThrow(/fake has no entry in ANSWER_NOTES/);
    expect(renderAnswersReference({ schema, notes: { ...ANSWER_NOTES, fake: { example: 'fake: x' } } })).toContain('### `fake`');
  });

  it('cannot document a field the schema lacks', () => {
    expect(() => renderAnswersReference({ notes: { ...ANSWER_NOTES, 'aws.zone': {} } })).toThrow(/documents aws\.zone/);
  });

  it('are refused when they give a default the schema already has', () => {
    expect(() => renderAnswersReference({ notes: { ...ANSWER_NOTES, name: { ...ANSWER_NOTES.name, default: '`x`' } } })).toThrow(/the schema has one/);
  });
});

describe('the facts in the reference', () => {
  it('state every default of the schema', () => {
    const parsed = answersSchema.parse({}); // the schema's own defaults
    const platform = resolvePlatform({}); // and those applied when answers are resolved
    const checked: string[] = [];
    for (const path of leaves) {
      if (tiered(path) || path.endsWith('[].name')) continue;
      const section = sectionOf(path);
      let values = valuesAt(parsed, path);
      if (values.every((v) => v === undefined)) values = valuesAt(platform, path);
      if (path === 'environments[].tier') values = platform.environments.map((e) => e.tier);
      if (values.every((v) => v === undefined)) {
        // Fields of an object the default platform lacks (an environment's target) state the default their notes give.
        const words = ANSWER_NOTES[path]?.default;
        if (words) expect(section, path).toContain(`| ${words}`);
        else expect(section, path).toMatch(/\| none/);
        continue;
      }
      for (const value of values) {
        // The generator writes "all N" for a default that is every choice; the opt-in services make it a list.
        const choices = selectableSupportingServiceNames();
        if (Array.isArray(value) && value.length === choices.length && value.every((v, i) => v === choices[i])) expect(section, path).toContain(`all ${choices.length}`);
        else expect(section, path).toContain(typeof value === 'string' ? value : inline(value));
      }
      checked.push(path);
    }
    expect(checked).toEqual(expect.arrayContaining(['name', 'aws.accountId', 'domain', 'github.repository', 'stateBucket', 'environments[].vpcCidr', 'services[].port']));
  });

  it('state the tier defaults of every tiered setting', () => {
    const tierTable = sectionOf('environments[].tier');
    const tiers = Object.keys(TIER_DEFAULTS) as (keyof typeof TIER_DEFAULTS)[];
    for (const path of leaves.filter(tiered)) {
      const setting = path.slice('environments[].'.length);
      const row = tierTable.split('\n').find((l) => l.startsWith(`| \`${setting}\` |`));
      expect(row, setting).toBe(`| \`${setting}\` | ${tiers.map((t) => `\`${inline(valuesAt(TIER_DEFAULTS[t], setting)[0])}\``).join(' | ')} |`);
    }
    // the default platform uses them: prod is production, the others are not
    const platform = resolvePlatform({});
    for (const env of platform.environments) expect(env.natGateways).toBe(TIER_DEFAULTS[env.tier].natGateways);
  });

  it('list every choice of every enum', () => {
    const choices: unknown[] = [];
    const collect = (node: unknown): void => {
      if (Array.isArray(node)) node.forEach(collect);
      else if (node && typeof node === 'object')
        for (const [key, value] of Object.entries(node)) {
          if (key === 'enum') choices.push(...(value as unknown[]));
          else collect(value);
        }
    };
    collect(answersJsonSchema());
    expect(choices.length).toBeGreaterThan(50);
    for (const choice of choices) expect(doc).toContain(`\`${inline(choice)}\``);
  });

  it('list every region with its zones', () => {
    const regions = sectionOf('aws.region');
    for (const [region, zones] of Object.entries(REGIONS)) expect(regions).toContain(`| \`${region}\` | ${zones.join(', ')} |`);
  });

  it('list every supporting service with what it requires', () => {
    const section = sectionOf('supportingServices');
    for (const name of selectableSupportingServiceNames()) {
      const row = section.split('\n').find((l) => l.startsWith(`| \`${name}\` |`));
      const requires = supportingService(name).requires ?? [];
      for (const needed of requires) expect(row, name).toContain(`\`${needed}\``);
      if (!requires.length) expect(row, name).toMatch(/\|\s+\|$/);
    }
  });

  it('state the limits and patterns of the schema', () => {
    expect(sectionOf('environments')).toContain('| Rule | 1–8 entries');
    expect(sectionOf('environments[].nodes.diskSizeGiB')).toContain('20–16384');
    expect(sectionOf('services[].port')).toContain('1–65535');
    expect(sectionOf('owner')).toContain('at most 256 characters');
    expect(sectionOf('name')).toContain('| Pattern | `^[a-z](?!.*--)[a-z0-9-]{1,28}[a-z0-9]$` |');
    expect(sectionOf('kubernetesVersion')).toContain(`| Default | \`"${catalogue.kubernetes.default}"\` |`);
  });
});

describe('the examples in the reference', () => {
  const yamlBlocks = [...doc.matchAll(/^```yaml\n([\s\S]*?)^```$/gm)].map((m) => m[1]);

  it('start with the public contract example: the answers of test/fixtures/answers.yaml', () => {
    expect(parse(yamlBlocks[0])).toEqual(EXAMPLE_ANSWERS);
    expect(parse(read('test/fixtures/answers.yaml'))).toEqual(EXAMPLE_ANSWERS);
    ok(EXAMPLE_ANSWERS);
  });

  it('are valid answers, every YAML block of them', () => {
    expect(yamlBlocks.length).toBeGreaterThanOrEqual(3);
    for (const block of yamlBlocks) ok(parse(block) ?? {});
  });

  it('are valid answers, every field example of them', () => {
    const examples = paths.filter((p) => ANSWER_NOTES[p].example);
    expect(examples.length).toBeGreaterThan(20);
    for (const path of examples) {
      const row = sectionOf(path)
        .split('\n')
        .find((l) => l.startsWith('| Example |'));
      const value = parse(row!.replace(/^\| Example \| `(.*)` \|$/, '$1'));
      // Examples of an entry's fields are YAML of one entry.
      const list = /^(environments|services)\[\]/.exec(path)?.[1];
      const answers = list ? { [list]: [{ name: 'x1', ...value }] } : value;
      const result = validateAnswers(answers);
      expect(result.ok ? [] : result.issues, `${path}: ${row}`).toEqual([]);
    }
  });

  it('show the messages validation prints today', () => {
    const result = validateAnswers({ aws: { accountId: '12345678901' } });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(doc).toContain(`✖ aws.accountId: ${result.issues[0].message}`);
  });
});

describe('docs/answers.schema.json', () => {
  const ajv = new Ajv({ allErrors: true, strict: false });
  addFormats(ajv);
  const validate = ajv.compile(answersJsonSchema());

  it('accepts the example and the empty answers', () => {
    expect(validate(EXAMPLE_ANSWERS), JSON.stringify(validate.errors)).toBe(true);
    expect(validate({})).toBe(true);
  });

  it('rejects what the schema rejects field by field', () => {
    for (const bad of [
      { aws: { region: 'mars-1' } },
      { natGateway: 'single' },
      { environments: ['dev', { name: 'prod', nodes: { maxSize: 0 } }] },
      { environments: [{ name: 'prod', logRetentionDays: 31 }] },
      { services: [{ name: 'api', port: 0 }] },
      { kubernetesVersion: 1.35 },
      { tags: { team: 4711 } },
    ]) {
      expect(validate(bad), JSON.stringify(bad)).toBe(false);
      expect(validateAnswers(bad).ok, JSON.stringify(bad)).toBe(false);
    }
  });

  it('states the defaults, a preprocessed field included', () => {
    const schema = answersJsonSchema() as { properties: Record<string, { default?: unknown; properties?: Record<string, { default?: unknown }> }> };
    expect(schema.properties.aws.properties!.accountId.default).toBe('123456789012');
    expect(schema.properties.environments.default).toEqual(['dev', 'staging', 'prod']);
  });
});
