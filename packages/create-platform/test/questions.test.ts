import { answersSchema, environmentInputSchema, fieldPath, serviceInputSchema, validateAnswers, type AnswersInput } from '@platform-kit/config';
import { describe, expect, it } from 'vitest';
import { answerPath, checkAnswer, QUESTIONS, withAnswer, withListExplicit } from '../src';

/** The answer paths the schema defines: objects are walked, list entries given as objects use `[]`. */
function schemaFields(): string[] {
  type Node = { _zod: { def: { type: string; innerType?: Node; shape?: Record<string, Node> } } };
  const unwrap = (node: Node): Node => (['default', 'prefault', 'optional'].includes(node._zod.def.type) ? unwrap(node._zod.def.innerType!) : node);
  const walk = (shape: Record<string, Node>, prefix: string): string[] =>
    Object.entries(shape).flatMap(([key, node]) => {
      const inner = unwrap(node);
      return inner._zod.def.type === 'object' ? walk(inner._zod.def.shape!, `${prefix}${key}.`) : [`${prefix}${key}`];
    });
  return [
    ...walk(answersSchema.shape as unknown as Record<string, Node>, ''),
    // The entry's name is the list question itself ("environments", "services").
    ...walk(environmentInputSchema.shape as unknown as Record<string, Node>, 'environments[].').filter((f) => f !== 'environments[].name'),
    ...walk(serviceInputSchema.shape as unknown as Record<string, Node>, 'services[].').filter((f) => f !== 'services[].name'),
  ].sort();
}

describe('wizard questions', () => {
  it('ask for every answer of the schema, each once', () => {
    const asked = QUESTIONS.flatMap((q) => q.fields ?? [q.field]).sort();
    expect(asked).toEqual(schemaFields());
    expect(new Set(asked).size).toBe(asked.length);
  });

  it('have a default for every question: the value the empty answers resolve to', () => {
    const result = validateAnswers({});
    if (!result.ok) throw new Error('defaults must validate');
    for (const q of QUESTIONS) {
      const value = q.current(result.platform, 0);
      if (['owner', 'costCenter'].includes(q.field)) expect(value, q.field).toBeUndefined(); // optional tags
      else expect(value, q.field).toBeDefined();
      if (q.kind === 'text') expect(typeof q.format!(value), q.field).toBe('string');
      if (q.kind !== 'text') expect(q.choices!(result.platform).map((c) => c.value), q.field).toEqual(expect.arrayContaining(Array.isArray(value) ? value : [value]));
    }
  });

  it('parse what format prints: accepting a default changes nothing', () => {
    const result = validateAnswers({ environments: ['dev', 'prod'] });
    if (!result.ok) throw new Error('must validate');
    for (const q of QUESTIONS.filter((q) => q.kind === 'text'))
      for (const entry of [0, 1].filter((i) => !q.field.startsWith('services[]') || i === 0)) {
        const value = q.current(result.platform, entry);
        const parsed = q.parse!(q.format!(value));
        expect(parsed ?? undefined, q.field).toEqual(value ?? undefined);
      }
  });

  // For each text answer: a bad value, and the path whose answers-file message the wizard must show.
  const bad: [field: string, text: string, entry?: number][] = [
    ['name', 'Bad Name'],
    ['owner', 'team<script>'],
    ['costCenter', 'x'.repeat(257)],
    ['aws.accountId', '12345'],
    ['aws.adminRoleArns', 'arn:aws:iam::123456789012:user/bob'],
    ['stateBucket', 'Bad_Bucket'],
    ['environments', 'dev, Prod'],
    ['environments', 'dev, dev'],
    ['environments[].vpcCidr', '10.10.0.1/16'],
    ['environments[].vpcCidr', '8.8.0.0/16'],
    ['environments[].vpcCidr', '10.10.0.0/16', 1], // overlaps dev's
    ['environments[].clusterPublicAccessCidrs', '0.0.0.0/0'],
    ['environments[].nodes', '3, 2, 5'],
    ['environments[].nodes', '1, 2, x'],
    ['environments[].nodes.diskSizeGiB', '10'],
    ['services', 'api, API'],
    ['services[].port', '70000'],
    ['services[].port', 'http'],
    ['domain', 'https://acme.example.com'],
    ['certificateEmail', 'not-an-email'],
    ['github.owner', 'acme/platform'],
    ['github.repository', 'https://github.com/acme/x'],
  ];
  it.each(bad)('%s: %j is refused with the answers file message', (field, text, entry = 0) => {
    const q = QUESTIONS.find((q) => q.field === field)!;
    const answers = { environments: ['dev', 'prod'] } as Record<string, unknown>;
    const path = answerPath(q, entry);
    const merge = q.fields !== undefined;
    const value = q.parse!(text);
    const message = checkAnswer(answers, path, value, merge);
    expect(message, `${field} ${text}`).not.toBe(true);
    // The same value in an answers file gives the same message.
    const file = validateAnswers(withAnswer(withListExplicit(answers, path), path, value, merge));
    expect(file.ok).toBe(false);
    if (file.ok) return;
    const key = fieldPath(path);
    const about = file.issues.filter((i) => i.field === key || i.field.startsWith(`${key}.`) || i.field.startsWith(`${key}[`));
    expect(about.length).toBeGreaterThan(0);
    for (const issue of about) expect(message).toContain(issue.message);
  });

  it('refuses a selection the schema refuses (multiple choice)', () => {
    const services = QUESTIONS.find((q) => q.field === 'supportingServices')!;
    expect(checkAnswer({}, answerPath(services), ['postgresql'])).toBe('postgresql needs cert-manager. Add cert-manager, or remove postgresql.');
    const types = QUESTIONS.find((q) => q.field === 'environments[].nodes.instanceTypes')!;
    expect(checkAnswer({}, answerPath(types, 0), [])).toBe('give at least one instance type.');
  });

  it('tags: key=value pairs, a pair without = is explained', () => {
    const tags = QUESTIONS.find((q) => q.field === 'tags')!;
    expect(tags.parse!('team=platform, env = shared')).toEqual({ team: 'platform', env: 'shared' });
    expect(tags.parse!('')).toEqual({});
    expect(() => tags.parse!('team')).toThrow('"team" is not key=value');
    expect(checkAnswer({}, ['tags'], { 'aws:x': 'y' })).toContain('not starting with "aws:"');
  });

  it('a setting of a list entry given by name turns the entry into an object', () => {
    const answers: AnswersInput = { environments: ['dev', 'prod'] };
    expect(withAnswer(answers as Record<string, unknown>, ['environments', 1, 'nodes', 'minSize'], 3).environments).toEqual(['dev', { name: 'prod', nodes: { minSize: 3 } }]);
    expect(answers.environments).toEqual(['dev', 'prod']); // a copy
    expect(withAnswer({ environments: [{ name: 'dev', nodes: { maxSize: 9 } }] }, ['environments', 0, 'nodes'], { minSize: 2 }, true).environments).toEqual([
      { name: 'dev', nodes: { maxSize: 9, minSize: 2 } },
    ]);
  });
});
