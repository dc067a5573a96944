/**
 * docs/answers.md and docs/answers.schema.json, generated from the answers schema so that they cannot drift:
 * types, defaults, choices, limits and patterns are read from the zod schema, the tables from the constants it
 * uses (REGIONS, TIER_DEFAULTS, the supporting service catalogue, the version catalogue). The prose comes from
 * answers-notes.ts. `npx projen docs:answers` writes both files; a test fails when they are stale.
 */
import { Document, isScalar, stringify, visit } from 'yaml';
import { z } from 'zod';
import { ANSWER_NOTES, CHECKS, ERROR_EXAMPLE_ANSWERS, EXAMPLE_ANSWERS, INTRO, YAML_PITFALLS, type FieldNote } from './answers-notes';
import { REGIONS, type Region } from './aws';
import { catalogue } from './catalogue';
import { formatCidr, PRIVATE_RANGES } from './cidr';
import { answerEntryForms, answersSchema, canonicalAnswers, PRODUCTION_NAMES, TIER_DEFAULTS } from './schema';
import { supportingService } from './supporting-services';
import { formatIssues, validateAnswers } from './validate';

export const ANSWERS_REFERENCE_FILE = 'docs/answers.md';
export const ANSWERS_JSON_SCHEMA_FILE = 'docs/answers.schema.json';
/** Where editors fetch the JSON Schema from (`# yaml-language-server: $schema=...`). */
export const ANSWERS_JSON_SCHEMA_URL = 'https://raw.githubusercontent.com/platform-kit/platform-kit/main/docs/answers.schema.json';
export const GENERATED_MARKER = '<!-- Generated from packages/config/src/schema.ts by npx projen docs:answers: do not edit. -->';

/** The list whose entries TIER_DEFAULTS applies to. */
const TIERED_LIST = 'environments';

export interface ReferenceOptions {
  /**
   * The answers schema (tests pass a changed one). Its fields, types, defaults, limits and patterns are read from
   * it; the defaults applied at resolution (`domain`, `vpcCidr`...) and the examples still use the real schema.
   */
  readonly schema?: z.ZodObject;
  /** The prose per field path (tests pass a changed one). */
  readonly notes?: Readonly<Record<string, FieldNote>>;
}

// ---------------------------------------------------------------------------------------------------------------
// Reading the schema

interface CheckDef {
  check: string;
  value?: number;
  inclusive?: boolean;
  minimum?: number;
  maximum?: number;
  format?: string;
  pattern?: RegExp;
}
interface Def {
  type: string;
  innerType?: z.ZodType;
  defaultValue?: unknown;
  in?: z.ZodType;
  out?: z.ZodType;
  shape?: Record<string, z.ZodType>;
  element?: z.ZodType;
  entries?: Record<string, string>;
  keyType?: z.ZodType;
  valueType?: z.ZodType;
  format?: string;
  checks?: { _zod: { def: CheckDef } }[];
}
const defOf = (s: z.ZodType) => s._zod.def as unknown as Def;

/** One field of the answers, read from the schema. */
interface Field {
  /** e.g. `environments[].nodes.maxSize`. */
  readonly path: string;
  readonly key: string;
  /** The schema with its optional/default/preprocess wrappers removed. */
  readonly core: z.ZodType;
  readonly description?: string;
  /** Neither optional nor defaulted. */
  readonly required: boolean;
  readonly staticDefault?: { value: unknown };
  /** For a list of name-or-object entries: the two forms. */
  readonly entry?: { readonly name: z.ZodType; readonly object: z.ZodType };
  /** For a field of a list entry's object: the list's path. */
  readonly list?: string;
  readonly children: readonly Field[];
}

function unwrap(schema: z.ZodType) {
  let s = schema;
  let optional = false;
  let staticDefault: { value: unknown } | undefined;
  const description = schema.description;
  for (;;) {
    const d = defOf(s);
    if (d.type === 'optional') {
      optional = true;
      s = d.innerType!;
    } else if (d.type === 'default' || d.type === 'prefault') {
      staticDefault ??= { value: d.defaultValue };
      s = d.innerType!;
    } else if (d.type === 'pipe' && defOf(d.in!).type === 'transform') {
      s = d.out!; // z.preprocess: what matters is what it hands on
    } else return { core: s, optional, staticDefault, description: description ?? s.description };
  }
}

function walk(shape: Record<string, z.ZodType>, prefix: string, list?: string): Field[] {
  return Object.entries(shape).map(([key, schema]) => {
    const path = `${prefix}${key}`;
    const { core, optional, staticDefault, description } = unwrap(schema);
    const d = defOf(core);
    const entry = d.type === 'array' ? answerEntryForms.get(d.element!) : undefined;
    let children: Field[] = [];
    if (d.type === 'object') children = walk(d.shape!, `${path}.`, list);
    else if (entry) {
      if (defOf(entry.object).type !== 'object') throw new Error(`${path}: its entries' object form is no object.`);
      children = walk(defOf(entry.object).shape!, `${path}[].`, path);
    }
    else if (d.type === 'array' && defOf(d.element!).type === 'pipe')
      throw new Error(`${path}: a list of transformed entries that answerEntryForms does not describe.`);
    return { path, key, core, description, required: !optional && !staticDefault, staticDefault, entry, list, children };
  });
}

function flatten(fields: readonly Field[]): Field[] {
  return fields.flatMap((f) => [f, ...flatten(f.children)]);
}

/** Every field path of the answers schema, e.g. `name`, `aws.region`, `environments[].nodes.maxSize`. */
export function answerFieldPaths(schema: z.ZodObject = answersSchema): string[] {
  return flatten(walk(schema.shape, '')).map((f) => f.path);
}

/** The choices of an enum: a zod enum, or a number refined to a list (`.meta({ enum })`). */
function choicesOf(core: z.ZodType): readonly (string | number)[] | undefined {
  const d = defOf(core);
  if (d.type === 'enum') return Object.values(d.entries!);
  const meta = z.globalRegistry.get(core)?.enum;
  return Array.isArray(meta) ? meta : undefined;
}

interface Constraints {
  min?: number;
  max?: number;
  int: boolean;
  patterns: RegExp[];
  /** Checks the schema cannot describe (refine, superRefine). */
  custom: boolean;
}

function constraintsOf(core: z.ZodType): Constraints {
  const c: Constraints = { int: false, patterns: [], custom: false };
  for (const check of defOf(core).checks ?? []) {
    const k = check._zod.def;
    if (k.check === 'greater_than' || k.check === 'less_than') {
      if (!k.inclusive) throw new Error(`an exclusive ${k.check} check: teach answers-reference.ts to describe it.`);
      if (k.check === 'greater_than') c.min = Math.max(c.min ?? -Infinity, k.value!);
      else c.max = Math.min(c.max ?? Infinity, k.value!);
    } else if (k.check === 'min_length') c.min = Math.max(c.min ?? 0, k.minimum!);
    else if (k.check === 'max_length') c.max = Math.min(c.max ?? Infinity, k.maximum!);
    else if (k.check === 'number_format') c.int = k.format === 'safeint' || k.format === 'int32';
    else if (k.check === 'string_format' && k.format === 'regex') c.patterns.push(k.pattern!);
    else if (k.check === 'string_format') continue; // a named format (email): stated by the type
    else if (k.check === 'custom') c.custom = true;
    else throw new Error(`a ${k.check} check: teach answers-reference.ts to describe it.`);
  }
  return c;
}

// ---------------------------------------------------------------------------------------------------------------
// Markdown helpers

const code = (text: string) => {
  if (text.includes('`')) throw new Error(`cannot show ${text} as code: it holds a backtick.`);
  return `\`${text}\``;
};
/** A value as it is written in YAML, on one line. */
const yamlInline = (value: unknown) => stringify(value, { collectionStyle: 'flow', flowCollectionPadding: false, lineWidth: 0 }).trimEnd();
const codeValue = (value: unknown) => code(yamlInline(value));
const orList = (items: readonly string[]) => (items.length < 2 ? items.join('') : `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}`);
const andList = (items: readonly string[]) => (items.length < 2 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`);
const ordinal = (n: number) => `${n}${n % 10 === 1 && n !== 11 ? 'st' : n % 10 === 2 && n !== 12 ? 'nd' : n % 10 === 3 && n !== 13 ? 'rd' : 'th'}`;
const cell = (text: string) => {
  if (text.includes('\n')) throw new Error(`a table cell cannot hold a line break: ${text}`);
  return text.replace(/\|/g, '\\|');
};
const table = (head: readonly string[], rows: readonly (readonly string[])[]) =>
  [`|${head.map((h) => (h ? ` ${h} ` : ' ')).join('|')}|`, `|${head.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.map(cell).join(' | ')} |`)].join('\n');
const patternText = (re: RegExp) => `${code(re.source)}${re.flags.includes('i') ? ' (any case)' : ''}`;
/** GitHub's anchor of a heading. */
const anchor = (heading: string) =>
  heading
    .toLowerCase()
    .replace(/[^\p{L}\p{N} _-]/gu, '')
    .replace(/ /g, '-');

/** Replaces `{{name}}`; a placeholder alone on its line takes the line's indentation. Unknown names throw. */
function expand(text: string, values: Readonly<Record<string, string | (() => string)>>, where: string): string {
  const value = (name: string) => {
    const v = values[name];
    if (v === undefined) throw new Error(`${where}: unknown placeholder {{${name}}}. Known: ${Object.keys(values).join(', ')}.`);
    return typeof v === 'function' ? v() : v;
  };
  return text
    .replace(/^( *)\{\{(\w+)\}\}$/gm, (_, indent: string, name: string) =>
      value(name)
        .split('\n')
        .map((line) => (line ? indent + line : line))
        .join('\n'),
    )
    .replace(/\{\{(\w+)\}\}/g, (_, name: string) => value(name));
}

// ---------------------------------------------------------------------------------------------------------------
// The reference

/** The public contract example as YAML: lists of plain values on one line (ARNs quoted), like people write them. */
function exampleYaml(answers: unknown = EXAMPLE_ANSWERS): string {
  const doc = new Document(canonicalAnswers(answers as never));
  visit(doc, {
    Seq(_, node) {
      if (node.items.every((item) => isScalar(item))) node.flow = true;
    },
    Scalar(_, node) {
      if (typeof node.value === 'string' && node.value.includes(':')) node.type = 'QUOTE_DOUBLE';
    },
  });
  return doc.toString({ lineWidth: 0, flowCollectionPadding: false });
}

class Reference {
  private readonly notes: Readonly<Record<string, FieldNote>>;
  private readonly fields: Field[];
  private readonly byPath: Map<string, Field>;
  private readonly platform: Record<string, unknown>;
  private readonly used = new Set<string>();
  /** Placeholders used anywhere in the notes: a placeholder that lists an enum's choices saves listing them again. */
  private readonly placeholders: Set<string>;

  constructor(options: ReferenceOptions) {
    this.notes = options.notes ?? ANSWER_NOTES;
    this.fields = walk((options.schema ?? answersSchema).shape, '');
    this.byPath = new Map(flatten(this.fields).map((f) => [f.path, f]));
    const resolved = validateAnswers({});
    if (!resolved.ok) throw new Error(`the default answers are invalid:\n${formatIssues(resolved.issues)}`);
    this.platform = resolved.platform as unknown as Record<string, unknown>;
    const all = [INTRO, CHECKS, YAML_PITFALLS, ...Object.values(this.notes).flatMap((n) => [n.notes ?? '', n.rule ?? '', n.example ?? ''])].join('\n');
    this.placeholders = new Set([...all.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]));
  }

  private note(f: Field): FieldNote {
    const note = this.notes[f.path];
    if (!note) throw new Error(`${f.path} has no entry in ANSWER_NOTES (packages/config/src/answers-notes.ts): document it there.`);
    this.used.add(f.path);
    return note;
  }

  private field(path: string): Field {
    const f = this.byPath.get(path);
    if (!f) throw new Error(`the answers schema has no field ${path}.`);
    return f;
  }

  /** Values shared by the whole document. */
  private readonly globals: Record<string, string | (() => string)> = {
    example: () => `\`\`\`yaml\n${exampleYaml()}\`\`\``,
    jsonSchemaUrl: ANSWERS_JSON_SCHEMA_URL,
    errorExample: () => {
      const result = validateAnswers(ERROR_EXAMPLE_ANSWERS);
      if (result.ok) throw new Error('ERROR_EXAMPLE_ANSWERS must be invalid answers.');
      return `\`\`\`text\nInvalid answers:\n${formatIssues(result.issues)}\n\`\`\``;
    },
    kubernetesDefault: catalogue.kubernetes.default,
    kubernetesLatest: catalogue.kubernetes.supported[catalogue.kubernetes.supported.length - 1],
    privateRanges: () => orList(PRIVATE_RANGES.map((r) => code(formatCidr(r)))),
    defaultZones: () => andList((this.platform.environments as { zoneIds: string[] }[])[0].zoneIds.map(code)),
    regions: () =>
      table(
        ['Region', 'Zone IDs used'],
        (choicesOf(this.field('aws.region').core) as Region[]).map((r) => [code(r), REGIONS[r].join(', ')]),
      ),
    instanceTypes: () => andList(choicesOf(this.listItem(this.field(`${TIERED_LIST}[].nodes.instanceTypes`)))!.map((t) => code(String(t)))),
    tierDefaults: () => {
      const tiers = Object.keys(TIER_DEFAULTS) as (keyof typeof TIER_DEFAULTS)[];
      const settings = Object.keys(flat(TIER_DEFAULTS[tiers[0]]));
      return table(['Setting', ...tiers.map(code)], settings.map((s) => [code(s), ...tiers.map((t) => codeValue(flat(TIER_DEFAULTS[t])[s]))]));
    },
    supportingServices: () => {
      const names = choicesOf(this.listItem(this.field('supportingServices')))! as string[];
      return table(
        ['Name', 'What it is', 'Namespace', 'Requires'],
        names.map((name) => {
          const s = supportingService(name);
          if (s.requiresWhy && !s.requires?.length) throw new Error(`${name}'s requiresWhy explains requirements it does not have.`);
          return [code(name), `${s.title}: ${s.purpose}`, code(s.namespace), `${andList((s.requires ?? []).map(code))}${s.requiresWhy ? ` (${s.requiresWhy})` : ''}`];
        }),
      );
    },
  };

  /** The choices a placeholder lists in full. */
  private listedByPlaceholder(f: Field): boolean {
    const lists: Record<string, string> = { regions: 'aws.region', instanceTypes: `${TIERED_LIST}[].nodes.instanceTypes`, supportingServices: 'supportingServices' };
    return Object.entries(lists).some(([placeholder, path]) => path === f.path && this.placeholders.has(placeholder));
  }

  private listItem(f: Field): z.ZodType {
    const d = defOf(f.core);
    if (d.type !== 'array') throw new Error(`${f.path} is not a list.`);
    return d.element!;
  }

  private typeText(f: Field, note: FieldNote): string {
    const base = (core: z.ZodType): string => {
      const d = defOf(core);
      const choices = choicesOf(core);
      if (choices && choices.length <= 4) return orList(choices.map(codeValue));
      if (d.type === 'string' || (d.type === 'enum' && choices!.every((c) => typeof c === 'string')))
        return d.format === 'email' ? 'text, an email address' : 'text';
      if (d.type === 'number') return constraintsOf(core).int ? 'whole number' : 'number';
      if (d.type === 'boolean') return '`true` or `false`';
      if (d.type === 'array') {
        if (answerEntryForms.get(d.element!)) return 'list of names or objects';
        const item = base(d.element!);
        return `list of ${item === 'whole number' ? 'whole numbers' : item}`;
      }
      if (d.type === 'object') {
        const fields = Object.values(d.shape!).map(unwrap);
        return fields.every((x) => x.optional || x.staticDefault) ? 'object: any subset of the fields below' : 'object with the fields below';
      }
      if (d.type === 'record') return `map of ${base(unwrap(d.keyType!).core)} to ${base(unwrap(d.valueType!).core)}`;
      throw new Error(`${f.path}: a ${d.type} schema: teach answers-reference.ts to describe it.`);
    };
    const extra = [f.required && f.list ? 'required in an object' : f.required ? 'required' : '', note.typeNote ?? ''].filter(Boolean);
    return `${base(f.core)}${extra.length ? ` (${extra.join('; ')})` : ''}`;
  }

  /** TIER_DEFAULTS of a field of the tiered list's entries, by tier; undefined for other fields. */
  private tierValues(f: Field): Record<string, unknown> | undefined {
    const prefix = `${TIERED_LIST}[].`;
    if (!f.path.startsWith(prefix)) return undefined;
    const rel = f.path.slice(prefix.length);
    const values = Object.fromEntries(Object.entries(TIER_DEFAULTS).map(([tier, d]) => [tier, rel.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown> | undefined)?.[k], d)]));
    return Object.values(values).every((v) => v === undefined) ? undefined : values;
  }

  /** The values a field takes in the platform the default answers (`{}`) resolve to (one per list entry). */
  private resolvedValues(path: string): unknown[] {
    let values: unknown[] = [this.platform];
    for (const part of path.split('.')) {
      const key = part.replace(/\[\]$/, '');
      values = values.map((v) => (v as Record<string, unknown> | undefined)?.[key]);
      if (part.endsWith('[]')) values = values.flatMap((v) => (Array.isArray(v) ? v : []));
    }
    return values;
  }

  private defaultText(f: Field, note: FieldNote, compact: boolean): string | undefined {
    const tierAnchor = `#${anchor(`\`${TIERED_LIST}[].tier\``)}`;
    let text: string | undefined;
    const tiers = this.tierValues(f);
    if (f.required) text = 'none: required';
    else if (tiers) {
      const entries = Object.entries(tiers);
      if (defOf(f.core).type === 'object') text = `the [per-tier defaults](${tierAnchor})`;
      else if (compact) text = `[by tier](${tierAnchor})`;
      else if (entries.every(([, v]) => yamlInline(v) === yamlInline(entries[0][1]))) text = `${codeValue(entries[0][1])} (${entries.length === 2 ? 'both' : 'all'} tiers)`;
      else text = `by tier: ${entries.map(([tier, v]) => `${codeValue(v)} for ${tier}`).join(', ')}`;
    } else if (f.path === `${TIERED_LIST}[].tier`) {
      const m = /^\^\(([\w|]+)\)\$$/.exec(PRODUCTION_NAMES.source);
      if (!m) throw new Error(`PRODUCTION_NAMES (${PRODUCTION_NAMES.source}) is no longer ^(a|b|...)$: teach answers-reference.ts to read it.`);
      const others = choicesOf(f.core)!.filter((t) => t !== 'production');
      text = `${codeValue('production')} if the name is ${orList(m[1].split('|').map(codeValue))}; otherwise ${orList(others.map(codeValue))}`;
    } else if (f.staticDefault) {
      const value = f.staticDefault.value;
      const list = Array.isArray(value) ? (value as unknown[]) : undefined;
      const choices = list ? choicesOf(this.listItem(f)) : undefined;
      if (defOf(f.core).type === 'object') text = undefined;
      else if (list && choices && choices.length > 1 && choices.length === list.length && choices.every((c, i) => c === list[i]))
        text = `all ${choices.length}, as below`;
      else text = codeValue(value);
    } else {
      const words = note.default ?? /\(default: (.+)\)\.?$/.exec(f.description ?? '')?.[1];
      const values = this.resolvedValues(f.path);
      const noun = f.list?.replace(/s$/, '') ?? 'entry';
      // Undefined in the default platform: none, or what applies when the field's object is answered (in the notes).
      if (values.every((v) => v === undefined)) text = note.default ?? 'none';
      else if (!words) {
        if (!values.every((v) => yamlInline(v) === yamlInline(values[0])))
          throw new Error(`${f.path}: its default differs from entry to entry: say how in its notes' default.`);
        text = codeValue(values[0]);
      } else {
        const shown = /\s/.test(words) ? words : code(words);
        text =
          values.length === 1
            ? `${shown}, e.g. ${codeValue(values[0])}`
            : `${shown}, so the ${values.map((v, i) => `${ordinal(i + 1)}${i ? '' : ` ${noun} gets`} ${codeValue(v)}`).join(', the ')}`;
      }
    }
    if (note.default && (tiers || f.staticDefault)) throw new Error(`${f.path}: its notes give a default, but the schema has one.`);
    if (text === undefined) {
      if (note.defaultNote) throw new Error(`${f.path}: a defaultNote, but no default to note.`);
      return undefined;
    }
    return note.defaultNote ? `${text} (${note.defaultNote})` : text;
  }

  private ruleText(f: Field, note: FieldNote): string {
    const d = defOf(f.core);
    const own = constraintsOf(f.core);
    const limits: string[] = [];
    const unit = d.type === 'string' ? 'characters' : d.type === 'array' ? 'entries' : '';
    const range = (c: Constraints, unitText: string) => {
      const u = unitText ? ` ${unitText}` : '';
      if (c.min !== undefined && c.max !== undefined) return `${c.min}–${c.max}${u}`;
      if (c.max !== undefined) return `at most ${c.max}${u}`;
      if (c.min !== undefined) return `at least ${c.min}${u.replace(/entries$/, c.min === 1 ? 'entry' : 'entries')}`;
      return '';
    };
    const isRecord = d.type === 'record';
    const valueConstraints = isRecord ? constraintsOf(unwrap(d.valueType!).core) : undefined;
    limits.push(isRecord ? range(valueConstraints!, 'characters') : range(own, unit));

    const item = d.type === 'array' ? d.element! : undefined;
    const itemConstraints = item && !answerEntryForms.get(item) ? constraintsOf(item) : undefined;
    const custom = own.custom || Boolean(itemConstraints?.custom);
    const choices = choicesOf(f.core) ?? (item ? choicesOf(item) : undefined);
    const listChoices = choices && choices.length > 4 && !this.listedByPlaceholder(f) ? orList(choices.map(codeValue)) : undefined;
    if (custom && !note.rule && !choicesOf(f.core) && !(item && choicesOf(item)))
      throw new Error(`${f.path} has checks the schema cannot describe (refine): state them in its notes' rule.`);

    const limitText = limits.filter(Boolean).join(', ');
    let rule = note.rule ?? '';
    const hasChoices = rule.includes('{{choices}}');
    const hasLimits = rule.includes('{{limits}}');
    rule = expand(rule, { ...this.globals, choices: listChoices ?? '', limits: limitText }, `${f.path} rule`);
    if (listChoices && !hasChoices) rule = rule ? `one of ${listChoices}, ${rule}` : `one of ${listChoices}`;
    if (limitText && !hasLimits) rule = !rule ? limitText : rule.startsWith('(') ? `${limitText} ${rule}` : `${limitText}, ${rule}`;
    // A rule of several sentences ends like one.
    return /\. /.test(rule.replace(/`[^`]*`/g, '')) && !rule.endsWith('.') ? `${rule}.` : rule;
  }

  /** The regular expressions a field's text (or its entries', or a map's names and values) must match. */
  private patternText(f: Field): string {
    const d = defOf(f.core);
    if (d.type === 'record')
      return [
        ...constraintsOf(unwrap(d.keyType!).core).patterns.map((p) => `names: ${patternText(p)}`),
        ...constraintsOf(unwrap(d.valueType!).core).patterns.map((p) => `values: ${patternText(p)}`),
      ].join('; ');
    const item = d.type === 'array' && !answerEntryForms.get(d.element!) ? constraintsOf(d.element!) : undefined;
    return [...constraintsOf(f.core).patterns, ...(item?.patterns ?? [])].map(patternText).join('; ');
  }

  private expandNote(text: string, f: Field, extra: Record<string, string | (() => string)> = {}): string {
    return expand(text, { ...this.globals, ...extra }, f.path);
  }

  private headerTable(f: Field, note: FieldNote): string {
    const rows: [string, string | undefined][] = [
      ['Type', this.typeText(f, note)],
      ['Default', this.defaultText(f, note, false)],
      ['Rule', this.ruleText(f, note) || undefined],
      ['Pattern', this.patternText(f) || undefined],
      ['Example', note.example ? code(this.expandNote(note.example, f)) : undefined],
    ];
    return table(['', ''], rows.filter((r): r is [string, string] => r[1] !== undefined));
  }

  private fieldsTable(f: Field): string {
    return table(
      ['Field', 'Type', 'Default', 'Rule'],
      f.children.map((c) => {
        const note = this.note(c);
        for (const key of ['notes', 'example', 'layout', 'entryHeading'] as const)
          if (note[key] !== undefined) throw new Error(`${c.path}: a ${key}, but its field is a row of ${f.path}'s table: move it there.`);
        const pattern = this.patternText(c) && `(${this.patternText(c)})`;
        const rule = this.ruleText(c, note);
        const withPattern = !pattern ? rule : rule.endsWith('.') ? `${rule.slice(0, -1)} ${pattern}.` : `${rule}${rule ? ' ' : ''}${pattern}`;
        return [code(c.key), this.typeText(c, note), this.defaultText(c, note, true) ?? '', withPattern];
      }),
    );
  }

  private section(f: Field, level: number): string[] {
    const note = this.note(f);
    const layout = note.layout ?? 'sections';
    if (layout !== 'sections' && !f.children.length) throw new Error(`${f.path}: layout ${layout}, but it has no fields.`);
    if (note.entryHeading && !f.entry) throw new Error(`${f.path}: an entryHeading, but it is no list of name-or-object entries.`);
    if (layout === 'inline') {
      if (note.notes || note.example || note.rule) throw new Error(`${f.path}: layout inline shows no section, so no notes, example or rule.`);
      return f.children.flatMap((c) => this.section(c, level));
    }
    const heading = `${'#'.repeat(level)} ${code(f.path)}`;
    let body = note.notes ?? '';
    if (layout === 'table') {
      if (!body.includes('{{fields}}')) body = `${body}${body ? '\n\n' : ''}{{fields}}`;
      body = this.expandNote(body, f, { fields: () => this.fieldsTable(f) });
    } else body = this.expandNote(body, f);
    const blocks = [heading, this.headerTable(f, note), body].filter(Boolean);
    if (layout === 'sections' && f.children.length) {
      const childLevel = note.entryHeading ? level + 1 : level;
      if (note.entryHeading) blocks.push(`${'#'.repeat(level)} ${note.entryHeading}`);
      blocks.push(...f.children.flatMap((c) => this.section(c, childLevel)));
    }
    return blocks;
  }

  render(): string {
    const sections = this.fields.flatMap((f) => this.section(f, 3));
    const unknown = Object.keys(this.notes).filter((p) => !this.used.has(p));
    if (unknown.length) throw new Error(`ANSWER_NOTES documents ${unknown.join(', ')}, which the answers schema does not have (or does not show).`);
    const global = (text: string) => expand(text, this.globals, 'answers-notes.ts');
    return `${[
      '# Answers reference',
      GENERATED_MARKER,
      global(INTRO),
      '## How answers are checked',
      global(CHECKS),
      '### YAML pitfalls',
      global(YAML_PITFALLS),
      '## Fields',
      ...sections,
    ].join('\n\n')}\n`;
  }
}

function flat(obj: object, prefix = ''): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(obj).flatMap(([k, v]) =>
      v && typeof v === 'object' && !Array.isArray(v) ? Object.entries(flat(v, `${prefix}${k}.`)) : [[`${prefix}${k}`, v]],
    ),
  );
}

/** The markdown of docs/answers.md. Throws when a field has no notes, or notes name a field the schema lacks. */
export function renderAnswersReference(options: ReferenceOptions = {}): string {
  return new Reference(options).render();
}

/** The JSON Schema of the answers as a user writes them (docs/answers.schema.json), for editors. */
export function answersJsonSchema(schema: z.ZodObject = answersSchema): Record<string, unknown> {
  const options = {
    io: 'input',
    // The draft editors know best (the YAML language server, VS Code's JSON support).
    target: 'draft-07',
    override: (ctx) => {
      const zodSchema = ctx.zodSchema as unknown as z.ZodType;
      const forms = answerEntryForms.get(zodSchema);
      if (forms) {
        const form = (s: z.ZodType) => {
          const json: Record<string, unknown> = z.toJSONSchema(s, options);
          delete json.$schema;
          return json;
        };
        Object.assign(ctx.jsonSchema, { anyOf: [form(forms.name), form(forms.object)] });
      }
      // zod leaves out the default of a preprocessed field (accountId): the input default is still the default.
      const d = defOf(zodSchema);
      if (d.type === 'default' && !('default' in ctx.jsonSchema)) ctx.jsonSchema.default = d.defaultValue as never;
    },
  } satisfies Parameters<typeof z.toJSONSchema>[1];
  const { $schema, ...rest } = z.toJSONSchema(schema, options);
  return { $schema, $id: ANSWERS_JSON_SCHEMA_URL, title: 'platform-kit answers', description: `The answers of create-platform. Reference: https://github.com/platform-kit/platform-kit/tree/main/${ANSWERS_REFERENCE_FILE}`, ...rest };
}

/** docs/answers.schema.json's text. */
export function renderAnswersJsonSchema(): string {
  return `${JSON.stringify(answersJsonSchema(), null, 2)}\n`;
}
