import { answersSchema, environmentInputSchema, fieldPath, serviceInputSchema, validateAnswers, type AnswersInput } from '@platform-kit/config';
import { describe, expect, it } from 'vitest';
import { answerPath, checkAnswer, CUSTOMIZE, parseEnv, QUESTIONS, withAnswer, withListExplicit } from '../src';
import { OFFICE_CLUSTER } from './support';

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

/** dev on an existing cluster with every answer a question asks about (node ports, object storage, Vault), then prod on EKS. */
function existingClusterPlatform() {
  const result = validateAnswers({
    environments: [
      {
        name: 'dev',
        target: OFFICE_CLUSTER,
      },
      'prod',
    ],
  });
  if (!result.ok) throw new Error('must validate');
  return result.platform;
}
const onCluster = existingClusterPlatform();
const aboutTarget = (q: (typeof QUESTIONS)[number]) => (q.fields ?? [q.field]).some((f) => f.startsWith('environments[].target.'));

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
      // The questions about an existing cluster, for an environment on one.
      const platform = aboutTarget(q) ? onCluster : result.platform;
      const value = q.current(platform, 0);
      // Optional tags; a budget derived from the estimate; an API server for the docs; the cluster's default StorageClass.
      if (['owner', 'costCenter', 'environments[].budgetUsd', 'environments[].target.apiServer', 'environments[].target.storageClass', 'environments[].target.serviceAccountIssuer'].includes(q.field)) expect(value, q.field).toBeUndefined();
      else expect(value, q.field).toBeDefined();
      if (q.kind === 'text') expect(typeof q.format!(value), q.field).toBe('string');
      if (q.kind !== 'text') expect(q.choices!(platform, 0).map((c) => c.value), q.field).toEqual(expect.arrayContaining(Array.isArray(value) ? value : [value]));
    }
  });

  it('parse what format prints: accepting a default changes nothing', () => {
    const result = validateAnswers({ environments: ['dev', 'prod'] });
    if (!result.ok) throw new Error('must validate');
    for (const q of QUESTIONS.filter((q) => q.kind === 'text'))
      // A service's questions, and those about an existing cluster (dev's), for the first entry only.
      for (const entry of [0, 1].filter((i) => i === 0 || !(q.field.startsWith('services[]') || (aboutTarget(q) && q.when)))) {
        const value = q.current(aboutTarget(q) && q.when ? onCluster : result.platform, entry);
        const parsed = q.parse!(q.format!(value));
        expect(parsed ?? undefined, q.field).toEqual(value ?? undefined);
      }
  });

  // For each text answer: a bad value, and the path whose answers-file message the wizard must show.
  const bad: [field: string, text: string, entry?: number, answers?: Record<string, unknown>][] = [
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
    // Overlaps dev's answered range (a default range never overlaps another environment's).
    ['environments[].vpcCidr', '10.50.0.0/16', 1, { environments: [{ name: 'dev', vpcCidr: '10.50.0.0/16' }, 'prod'] }],
    ['environments[].clusterPublicAccessCidrs', '0.0.0.0/0'],
    ['environments[].nodes', '3, 2, 5'],
    ['environments[].nodes', '1, 2, x'],
    ['environments[].nodes.diskSizeGiB', '10'],
    ['services', 'api, API'],
    ['services[].port', '70000'],
    ['services[].port', 'http'],
    ['services[].env', '1X=a'],
    ['services[].env', 'PORT=80'],
    ['services[].secretEnv', 'db-url'],
    ['services[].secretEnv', 'TOKEN, TOKEN'],
    ['services[].secretEnv', 'PORT'],
    ['services[].tiers.production', '3, 2, 250m, 256Mi'],
    ['services[].tiers.production', '0, 2, 250m, 256Mi'],
    ['services[].tiers.non-production', '1, 3, 1 core, 128Mi'],
    ['services[].tiers.non-production', '1, 3, 100m, 1GB'],
    ['domain', 'https://acme.example.com'],
    ['certificateEmail', 'not-an-email'],
    ['github.owner', 'acme/platform'],
    ['github.repository', 'https://github.com/acme/x'],
  ];
  it.each(bad)('%s: %j is refused with the answers file message', (field, text, entry = 0, given = { environments: ['dev', 'prod'] }) => {
    const q = QUESTIONS.find((q) => q.field === field)!;
    const answers = given;
    const path = answerPath(q, entry);
    const merge = q.fields !== undefined;
    const value = q.parse!(text);
    const message = checkAnswer(answers, path, value, merge);
    expect(message, `${field} ${text}`).not.toBe(true);
    // A prompt's message never starts with a list index ("[0]: ...").
    expect(message, `${field} ${text}`).not.toMatch(/(^|\s)\[\d+\]/);
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

  it('services: environment variables as NAME=value pairs, a bad pair or a name set twice is explained', () => {
    const env = QUESTIONS.find((q) => q.field === 'services[].env')!;
    expect(env.parse!('LOG_LEVEL=info, URL = https://x.example.com/?a=b, EMPTY=')).toEqual({ LOG_LEVEL: 'info', URL: 'https://x.example.com/?a=b', EMPTY: '' });
    expect(env.parse!('none')).toEqual({});
    expect(env.format!({ A: '1', B: 'two' })).toBe('A=1, B=two');
    expect(() => parseEnv('LOG_LEVEL')).toThrow('"LOG_LEVEL" is not NAME=value');
    expect(() => parseEnv('=info')).toThrow('"=info" is not NAME=value');
    expect(() => parseEnv('A=1, A=2')).toThrow('A is set twice');
    // Both lists checked together: a variable is plain or secret.
    const answers = { services: [{ name: 'api', env: { TOKEN: 'x' } }] };
    expect(checkAnswer(answers, ['services', 0, 'secretEnv'], ['TOKEN'])).toBe('TOKEN is also a plain variable (env). Keep it in one of env and secretEnv.');
  });

  it('services: sizing is four values per tier, asked for the tiers the environments have', () => {
    const production = QUESTIONS.find((q) => q.field === 'services[].tiers.production')!;
    expect(production.parse!('3, 12, 0.5, 1Gi')).toEqual({ minReplicas: 3, maxReplicas: 12, cpu: '0.5', memory: '1Gi' });
    expect(() => production.parse!('3, 12')).toThrow('"3, 12" is not four values');
    const platform = (environments: unknown) => {
      const result = validateAnswers({ environments } as AnswersInput);
      if (!result.ok) throw new Error('must validate');
      return result.platform;
    };
    expect(production.when!(platform(['dev', 'staging']), 0)).toBe(false);
    expect(production.when!(platform(['dev', 'prod']), 0)).toBe(true);
    // Recorded field by field: only what differs from the tier default.
    expect(production.fields).toEqual(['minReplicas', 'maxReplicas', 'cpu', 'memory'].map((f) => `services[].tiers.production.${f}`));
  });

  it('services: public needs the Gateway, callers are the other services', () => {
    const result = validateAnswers({ services: ['api', 'web', 'worker'] });
    if (!result.ok) throw new Error('must validate');
    const pub = QUESTIONS.find((q) => q.field === 'services[].public')!;
    expect(pub.when!(result.platform, 0)).toBe(true);
    expect(pub.choices!(result.platform, 1).find((c) => c.value === true)!.description).toContain('https://web.<env>.<domain>');
    const noGateway = validateAnswers({ supportingServices: ['redis'] });
    if (!noGateway.ok) throw new Error('must validate');
    expect(pub.when!(noGateway.platform, 0)).toBe(false);
    expect(checkAnswer({ supportingServices: ['redis'] }, ['services', 0, 'public'], true)).toContain('api is public, which needs the Gateway');
    expect(checkAnswer({ services: ['grafana'] }, ['services', 0, 'public'], true)).toContain("grafana.<env>.<domain> is grafana's host name");

    const callers = QUESTIONS.find((q) => q.field === 'services[].callers')!;
    expect(callers.choices!(result.platform, 1).map((c) => c.value)).toEqual(['api', 'worker']);
    const one = validateAnswers({ services: ['api'] });
    if (!one.ok) throw new Error('must validate');
    expect(callers.when!(one.platform, 0)).toBe(false);
    expect(checkAnswer({ services: ['api', 'web'] }, ['services', 0, 'callers'], ['api'])).toContain('api cannot list itself');
  });

  it('an answer that breaks an earlier one is refused with that one\'s issue', () => {
    const answers = { services: [{ name: 'web', public: true }] };
    expect(checkAnswer(answers, ['supportingServices'], ['redis'])).toBe(
      'services[0].public: web is public, which needs the Gateway. Add nginx to supportingServices, or set public: false.',
    );
    expect(checkAnswer(answers, ['supportingServices'], ['nginx'])).toBe(true);
  });

  it('customize gates: once for the environments, per service for the services', () => {
    expect(CUSTOMIZE['environments[].tier']).toBe('Customize each environment (tier, network, nodes)?');
    const gate = CUSTOMIZE['services[].public'];
    expect(typeof gate === 'function' && gate('api')).toBe('Customize api (public, callers, variables, bucket, replicas)?');
    // Each gate sits at an entry question; the language and port come before the services' gate.
    for (const field of Object.keys(CUSTOMIZE)) expect(QUESTIONS.some((q) => q.field === field)).toBe(true);
    const order = QUESTIONS.map((q) => q.field);
    expect(order.indexOf('services[].port')).toBeLessThan(order.indexOf('services[].public'));
    // The supporting services are chosen first: whether a service can be public depends on them.
    expect(order.indexOf('supportingServices')).toBeLessThan(order.indexOf('services'));
  });

  it('an environment on an existing cluster: the target is asked first, then only the questions that apply', () => {
    const eksOnly = QUESTIONS.filter((q) => q.when && !aboutTarget(q) && q.field.startsWith('environments[]') && q.when(onCluster, 1) && !q.when(onCluster, 0)).map((q) => q.field);
    expect(eksOnly.sort()).toEqual(
      ['profile', 'vpcCidr', 'availabilityZones', 'natGateways', 'clusterPublicAccessCidrs', 'interfaceEndpoints', 'logRetentionDays', 'flowLogRetentionDays', 'nodes.instanceTypes', 'nodes.capacityType', 'nodes', 'nodes.diskSizeGiB', 'vpn', 'budgetUsd']
        .map((f) => `environments[].${f}`)
        .sort(),
    );
    for (const q of QUESTIONS.filter((q) => aboutTarget(q) && q.when)) expect([q.when!(onCluster, 0), q.when!(onCluster, 1)], q.field).toEqual([true, false]);
    const order = QUESTIONS.map((q) => q.fields?.[0] ?? q.field);
    expect(order.indexOf('environments[].target.kind')).toBe(order.indexOf('environments') + 1);
    expect(order.filter((f) => f.startsWith('environments[].target.')).every((f) => order.indexOf(f) < order.indexOf('environments[].tier'))).toBe(true);

    const cluster = QUESTIONS.find((q) => q.fields?.includes('environments[].target.context'))!;
    expect(cluster.parse!('office-dev')).toEqual({ kind: 'kubernetes', context: 'office-dev' });
    expect(cluster.parse!(' EKS ')).toEqual({ kind: 'eks' });
    expect(checkAnswer({ environments: ['dev'] }, ['environments', 0, 'target'], cluster.parse!('office dev'), true)).toContain('context: "office dev" is not valid');
    // An EKS answer given before it is refused by name.
    expect(checkAnswer({ environments: [{ name: 'dev', vpcCidr: '10.50.0.0/16' }] }, ['environments', 0, 'target'], cluster.parse!('office'), true)).toContain(
      'environments[0].vpcCidr: applies to the EKS cluster and VPC the platform creates, and dev runs on an existing cluster',
    );

    const dev = { environments: [{ name: 'dev', target: { kind: 'kubernetes', context: 'office' } }] };
    const ports = QUESTIONS.find((q) => q.fields?.includes('environments[].target.httpNodePort'))!;
    expect(() => ports.parse!('30080')).toThrow('"30080" is not two ports');
    expect(checkAnswer({ environments: [{ name: 'dev', target: { kind: 'kubernetes', context: 'office', gateway: 'NodePort' } }] }, ['environments', 0, 'target'], ports.parse!('80, 30443'), true)).toContain(
      'httpNodePort: use a port from 30000 to 32767',
    );
    const secrets = QUESTIONS.find((q) => q.fields?.includes('environments[].target.secrets'))!;
    expect(secrets.parse!('kubernetes')).toEqual({ secrets: 'kubernetes' });
    expect(checkAnswer(dev, ['environments', 0, 'target'], secrets.parse!('vault.office.example.com'), true)).toContain('vault.server: "vault.office.example.com" is not valid');
    expect(checkAnswer(dev, ['environments', 0, 'target'], secrets.parse!('https://vault.office.example.com:8200'), true)).toBe(true);
    // Object storage "none" leaves no empty object behind; velero needs it.
    const storage = QUESTIONS.find((q) => q.field === 'environments[].target.objectStorage.endpoint')!;
    expect(storage.parse!('none')).toBeUndefined();
    expect(withAnswer(dev, ['environments', 0, 'target', 'objectStorage', 'endpoint'], undefined)).toEqual(dev);
    expect(checkAnswer(dev, ['supportingServices'], ['velero'])).toContain('environments[0].target.objectStorage: is needed by velero');
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
