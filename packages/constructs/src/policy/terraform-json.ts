import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/*
 * Reading synthesized Terraform JSON (cdktf.out/stacks/<stack>/cdk.tf.json) the way the policy rules need it:
 * resources by type, the references between them, and IAM policies in one normalised form.
 */

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any Terraform JSON: the rules check shapes at run time
export type Json = Record<string, any>;

/** One synthesized stack. */
export interface SynthesizedStack {
  readonly name: string;
  readonly json: Json;
}

/** A resource of a stack: its type, logical id and body. */
export interface ResourceRef {
  readonly type: string;
  readonly id: string;
  readonly body: Json;
}

/** Reads every stack of a cdktf output directory (default: cdktf.out). */
export function readSynthesized(outdir = 'cdktf.out'): SynthesizedStack[] {
  const stacksDir = join(outdir, 'stacks');
  if (!existsSync(stacksDir)) throw new Error(`${stacksDir} does not exist: run the synth task first.`);
  return readdirSync(stacksDir)
    .filter((name) => existsSync(join(stacksDir, name, 'cdk.tf.json')))
    .sort()
    .map((name) => ({ name, json: JSON.parse(readFileSync(join(stacksDir, name, 'cdk.tf.json'), 'utf8')) }));
}

export function resources(stack: SynthesizedStack, type: string): ResourceRef[] {
  return Object.entries(stack.json.resource?.[type] ?? {}).map(([id, body]) => ({ type, id, body: body as Json }));
}

/** `${type.id.attribute}`: how one resource refers to another in the JSON. */
export const reference = (type: string, id: string, attribute: string) => `\${${type}.${id}.${attribute}}`;

/** Terraform's nested blocks are lists in JSON but cdktf writes single blocks as objects: accept both. */
export function blocks(value: unknown): Json[] {
  if (value === undefined || value === null) return [];
  return (Array.isArray(value) ? value : [value]) as Json[];
}

/** A policy statement in one form, whether written as JSON text or as an aws_iam_policy_document. */
export interface PolicyStatement {
  readonly effect: 'Allow' | 'Deny';
  readonly actions: string[];
  readonly notActions: string[];
  readonly resources: string[];
  readonly notResources: string[];
  /** Principal type -> identifiers; `*` for "everyone". */
  readonly principals: Record<string, string[]>;
  /** Condition operator -> key -> values. */
  readonly conditions: Record<string, Record<string, string[]>>;
}

const list = (v: unknown): string[] => (v === undefined ? [] : Array.isArray(v) ? v.map(String) : [String(v)]);

function fromJsonPolicy(document: Json): PolicyStatement[] {
  return blocks(document.Statement).map((s) => {
    const principals: Record<string, string[]> = {};
    if (s.Principal === '*') principals['*'] = ['*'];
    else for (const [type, ids] of Object.entries(s.Principal ?? {})) principals[type] = list(ids);
    const conditions: Record<string, Record<string, string[]>> = {};
    for (const [test, vars] of Object.entries(s.Condition ?? {}))
      for (const [variable, values] of Object.entries(vars as Json)) (conditions[test] ??= {})[variable] = list(values);
    return {
      effect: s.Effect,
      actions: list(s.Action),
      notActions: list(s.NotAction),
      resources: list(s.Resource),
      notResources: list(s.NotResource),
      principals,
      conditions,
    };
  });
}

function fromPolicyDocument(stack: SynthesizedStack, document: Json): PolicyStatement[] {
  // Statements merged in from other documents count as this document's own.
  const merged = [...list(document.source_policy_documents), ...list(document.override_policy_documents)].flatMap(
    (source) => policyStatements(stack, source) ?? [],
  );
  return [...merged, ...blocks(document.statement).map((s) => {
    const principals: Record<string, string[]> = {};
    for (const p of blocks(s.principals)) principals[p.type] = [...(principals[p.type] ?? []), ...list(p.identifiers)];
    const conditions: Record<string, Record<string, string[]>> = {};
    for (const c of blocks(s.condition)) (conditions[c.test] ??= {})[c.variable] = list(c.values);
    return {
      effect: s.effect ?? 'Allow',
      actions: list(s.actions),
      notActions: list(s.not_actions),
      resources: list(s.resources),
      notResources: list(s.not_resources),
      principals,
      conditions,
    };
  })];
}

const DOCUMENT_REF = /^\$\{data\.aws_iam_policy_document\.([^.}]+)\.json\}$/;

/**
 * The statements of a policy attribute: JSON text, or a reference to an aws_iam_policy_document of the same
 * stack. Undefined when the policy is built some other way (e.g. jsonencode) and cannot be read statically.
 */
export function policyStatements(stack: SynthesizedStack, policy: unknown): PolicyStatement[] | undefined {
  if (typeof policy !== 'string') return undefined;
  const ref = DOCUMENT_REF.exec(policy);
  if (ref) {
    const document = stack.json.data?.aws_iam_policy_document?.[ref[1]];
    return document ? fromPolicyDocument(stack, document) : undefined;
  }
  try {
    return fromJsonPolicy(JSON.parse(policy));
  } catch {
    return undefined;
  }
}
