import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import type { RegExpEngine } from 'ajv/dist/types';
import { parseAllDocuments } from 'yaml';

/*
 * Offline, kubeconform-style validation of Kubernetes manifests against the JSON schemas in
 * test/fixtures/k8s-schemas (provenance in SOURCES.md there). Lookup order, as kubeconform with
 * `-schema-location` for the built-ins, then crds-derived, then crds:
 *   1. kubernetes/v1.35.0-standalone-strict/<kind>[-<first label of group>]-<version>.json (built-in kinds;
 *      the file's x-kubernetes-group-version-kind must name the same group, so `apps.example.com/v1 Deployment`
 *      does not borrow the apps/v1 schema)
 *   2. crds-derived/<group>/<kind>_<version>.json (CRD schemas matching the chart versions the kit pins)
 *   3. crds/<group>/<kind>_<version>.json (datreeio/CRDs-catalog)
 * A kind with no schema is a problem, never a pass. The built-in schemas are "strict" (additionalProperties:
 * false), so a misspelt field fails.
 */

const SCHEMA_ROOT = join(__dirname, 'fixtures', 'k8s-schemas');
const KUBERNETES_DIR = join(SCHEMA_ROOT, 'kubernetes', 'v1.35.0-standalone-strict');
const CRD_DIRS = [join(SCHEMA_ROOT, 'crds-derived'), join(SCHEMA_ROOT, 'crds')];

/**
 * Go's RE2 patterns may carry the inline flag `(?i)` (PrometheusRule), which JavaScript rejects: drop it and
 * make the whole pattern case-insensitive (every occurrence in the fixtures is at the start of the pattern).
 */
const goRegExp: RegExpEngine = Object.assign(
  (pattern: string, flags: string) =>
    pattern.includes('(?i)') ? new RegExp(pattern.split('(?i)').join(''), `${flags}i`) : new RegExp(pattern, flags),
  { code: 'goRegExp' },
);

const ajv = new Ajv({ strict: false, validateFormats: false, allErrors: true, code: { regExp: goRegExp } });

/** Compiled validators per schema file (compiling a CRD schema takes a while). */
const validators = new Map<string, ValidateFunction>();

function compile(file: string): ValidateFunction {
  let validate = validators.get(file);
  if (!validate) {
    const schema = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    delete schema.$schema; // "http://json-schema.org/schema#" is not a meta-schema ajv knows
    validate = ajv.compile(schema);
    validators.set(file, validate);
  }
  return validate;
}

interface GroupVersionKind {
  readonly group: string;
  readonly version: string;
  readonly kind: string;
}

/** The built-in schema names its own group/version/kind: use it only when it is the one asked for. */
function builtinMatches(file: string, gvk: GroupVersionKind): boolean {
  const schema = JSON.parse(readFileSync(file, 'utf8')) as { 'x-kubernetes-group-version-kind'?: GroupVersionKind[] };
  return (schema['x-kubernetes-group-version-kind'] ?? []).some(
    (g) => g.group === gvk.group && g.version === gvk.version && g.kind === gvk.kind,
  );
}

const schemaFiles = new Map<string, string | undefined>();

/** The schema file for one apiVersion + kind, or undefined when the fixtures hold none. */
function schemaFileFor(gvk: GroupVersionKind): string | undefined {
  const key = `${gvk.group}/${gvk.version}/${gvk.kind}`;
  if (schemaFiles.has(key)) return schemaFiles.get(key);
  const kind = gvk.kind.toLowerCase();
  const groupSuffix = gvk.group ? `-${gvk.group.split('.')[0]}` : '';
  const builtin = join(KUBERNETES_DIR, `${kind}${groupSuffix}-${gvk.version}.json`);
  let found: string | undefined;
  if (existsSync(builtin) && builtinMatches(builtin, gvk)) found = builtin;
  else if (gvk.group) found = CRD_DIRS.map((dir) => join(dir, gvk.group, `${kind}_${gvk.version}.json`)).find(existsSync);
  schemaFiles.set(key, found);
  return found;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A JSON Pointer from ajv (`/spec/ports/0/port`) as a readable path (`spec.ports[0].port`). */
function jsonPath(pointer: string, extra?: string): string {
  const segments = pointer
    .split('/')
    .slice(1)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  if (extra !== undefined) segments.push(extra);
  let path = '';
  for (const s of segments) {
    if (/^\d+$/.test(s)) path += `[${s}]`;
    else if (/^[A-Za-z_$][\w$]*$/.test(s)) path += path ? `.${s}` : s;
    else path += `[${JSON.stringify(s)}]`;
  }
  return path || '(root)';
}

function describeError(error: ErrorObject): string {
  const params = error.params as Record<string, unknown>;
  if (error.keyword === 'additionalProperties')
    return `${jsonPath(error.instancePath, String(params.additionalProperty))}: unknown field (${error.message})`;
  if (error.keyword === 'required')
    return `${jsonPath(error.instancePath, String(params.missingProperty))}: required field missing (${error.message})`;
  const detail = error.keyword === 'enum' ? ` ${JSON.stringify(params.allowedValues)}` : '';
  return `${jsonPath(error.instancePath)}: ${error.message}${detail}`;
}

const DNS_GROUP = /^[a-z0-9]([a-z0-9.-]*[a-z0-9])?$/;
const VERSION = /^v[0-9]+[a-z0-9]*$/;
const KIND = /^[A-Za-z][A-Za-z0-9]*$/;

/**
 * Validates one parsed manifest object against the schema for its apiVersion + kind. Returns the problems
 * (empty when valid), each naming kind/name, the JSON path and ajv's message.
 */
export function validateManifest(doc: unknown): string[] {
  if (!isRecord(doc)) return [`(not an object): a manifest must be a mapping, got ${JSON.stringify(doc)}`];
  const { apiVersion, kind } = doc;
  const metadata = isRecord(doc.metadata) ? doc.metadata : undefined;
  const name = typeof metadata?.name === 'string' && metadata.name !== '' ? metadata.name : undefined;
  const label = `${typeof kind === 'string' ? kind : '(no kind)'}/${name ?? '(no name)'}`;
  const problems: string[] = [];
  if (!name) problems.push(`${label}: metadata.name: required field missing (every manifest needs a name)`);

  if (typeof apiVersion !== 'string' || typeof kind !== 'string') {
    problems.push(`${label}: apiVersion and kind must both be strings (apiVersion: ${JSON.stringify(apiVersion)}, kind: ${JSON.stringify(kind)})`);
    return problems;
  }
  const parts = apiVersion.split('/');
  const [group, version] = parts.length === 1 ? ['', parts[0]] : parts;
  if (parts.length > 2 || (group !== '' && !DNS_GROUP.test(group)) || !VERSION.test(version ?? '') || !KIND.test(kind)) {
    problems.push(`${label}: malformed apiVersion/kind ${apiVersion} ${kind}`);
    return problems;
  }
  const file = schemaFileFor({ group, version, kind });
  if (!file) {
    problems.push(`${label}: no schema for apiVersion ${apiVersion}, kind ${kind} (not a built-in kind of Kubernetes 1.35 in the fixtures, nor a CRD in crds-derived/ or crds/)`);
    return problems;
  }
  const validate = compile(file);
  if (!validate(doc)) for (const error of validate.errors ?? []) problems.push(`${label}: ${describeError(error)}`);
  return problems;
}

/**
 * Parses a multi-document YAML string as kubectl does (YAML 1.1: `yes`/`no` are booleans; plain timestamps stay
 * strings, as in go-yaml), skips empty documents and validates each. Every problem is prefixed with `source` and the document's
 * index (0-based, counting the empty documents too).
 */
export function validateYamlDocuments(text: string, source: string): string[] {
  const docs = parseAllDocuments(text, {
    version: '1.1',
    // Like go-yaml (kubectl): an unquoted 2024-01-01 stays a string (not a Date) and 1:20 is not sexagesimal 80.
    customTags: (tags) =>
      tags.filter((tag) => typeof tag === 'string' || (tag.tag !== 'tag:yaml.org,2002:timestamp' && tag.format !== 'TIME')),
  });
  const list = Array.isArray(docs) ? docs : [docs]; // an EmptyStream (no documents at all) is not an array
  const problems: string[] = [];
  list.forEach((doc, index) => {
    const where = `${source} (document ${index})`;
    if (doc.errors.length > 0) {
      for (const error of doc.errors) problems.push(`${where}: YAML: ${error.message}`);
      return;
    }
    const value: unknown = doc.toJS();
    if (value === null || value === undefined) return; // empty document (`---` alone, or only comments)
    for (const problem of validateManifest(value)) problems.push(`${where}: ${problem}`);
  });
  return problems;
}
