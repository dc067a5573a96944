import { DEFAULT_SERVICES, type AnswersInput } from '@platform-kit/config';
import { isPlainObject, setPath } from './answers';
import { UsageError } from './errors';
import { parseOptions } from './options';

export interface CliOptions {
  directory?: string;
  answersFile?: string;
  yes: boolean;
  skipInstall: boolean;
  kitSource?: string;
  force: boolean;
  /** List what would be written, write nothing. */
  dryRun: boolean;
  /** Write the final answers to this file (YAML, or JSON for .json). */
  saveAnswers?: string;
  help: boolean;
  version: boolean;
  /** Answers given as flags: they override the answers file. */
  answers: AnswersInput;
  /** `--public-services`: the services to make public, once the services are known (`withPublicServices`). */
  publicServices?: string[];
}

const list = (text: string) =>
  ['', 'none'].includes(text.trim()) ? [] : text.split(',').map((s) => s.trim()).filter(Boolean);

/** Flags that set an answer, with the answer path they set. The one place flags map to the schema. */
export const ANSWER_FLAGS = {
  name: { path: ['name'], hint: 'platform name (default: the directory name)' },
  region: { path: ['aws', 'region'], hint: 'AWS region, e.g. eu-west-1' },
  'account-id': { path: ['aws', 'accountId'], hint: '12-digit AWS account id' },
  'admin-role-arns': { path: ['aws', 'adminRoleArns'], hint: 'comma-separated IAM role ARNs that administer the clusters', parse: list },
  environments: { path: ['environments'], hint: 'comma-separated, e.g. dev,staging,prod', parse: list },
  services: { path: ['services'], hint: 'comma-separated microservices, e.g. api,worker ("none" for none)', parse: list },
  'supporting-services': {
    path: ['supportingServices'],
    hint: 'comma-separated, "all" or "none", e.g. postgresql,redis,nginx',
    parse: (t: string) => (t.trim() === 'all' ? undefined : list(t)),
  },
  domain: { path: ['domain'], hint: 'DNS domain, e.g. acme.example.com' },
  'certificate-email': { path: ['certificateEmail'], hint: "Let's Encrypt contact email" },
  'github-owner': { path: ['github', 'owner'], hint: 'GitHub organisation or user' },
  'github-repository': { path: ['github', 'repository'], hint: 'GitHub repository name' },
  'github-oidc-provider': { path: ['github', 'oidcProvider'], hint: 'create (default) or existing: the account already has GitHub OIDC' },
  'kubernetes-version': { path: ['kubernetesVersion'], hint: 'EKS version, e.g. 1.35' },
  'state-bucket': { path: ['stateBucket'], hint: 'Terraform state bucket name' },
  owner: { path: ['owner'], hint: 'owning team: the owner tag of every resource' },
  'cost-center': { path: ['costCenter'], hint: 'cost center: the cost-center tag of every resource' },
} as const satisfies Record<string, { path: readonly string[]; hint: string; parse?: (t: string) => unknown }>;
type AnswerFlag = keyof typeof ANSWER_FLAGS;

export function parseCli(argv: string[]): CliOptions {
  const parsed = parseOptions(
    argv,
    {
      answers: { type: 'string', short: 'a' },
      yes: { type: 'boolean', short: 'y', default: false },
      'skip-install': { type: 'boolean', default: false },
      'kit-source': { type: 'string' },
      force: { type: 'boolean', default: false },
      'dry-run': { type: 'boolean', default: false },
      'save-answers': { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
      version: { type: 'boolean', short: 'v', default: false },
      github: { type: 'string' },
      tag: { type: 'string', multiple: true },
      'public-services': { type: 'string' },
      ...Object.fromEntries(Object.keys(ANSWER_FLAGS).map((f) => [f, { type: 'string' as const }])),
    },
    'create-platform --help',
    true,
  );
  const { values, positionals } = parsed;
  if (positionals.length > 1) throw new UsageError(`expected at most one directory, got ${positionals.join(' ')}.`);

  const answers: Record<string, unknown> = {};
  for (const [flag, spec] of Object.entries(ANSWER_FLAGS) as [AnswerFlag, (typeof ANSWER_FLAGS)[AnswerFlag]][]) {
    const raw = (values as Record<string, unknown>)[flag];
    if (typeof raw !== 'string') continue;
    const value = 'parse' in spec ? spec.parse(raw) : raw;
    if (value !== undefined) setPath(answers, spec.path, value);
  }
  if (typeof values.github === 'string') {
    const m = /^([^/\s]+)\/([^/\s]+)$/.exec(values.github);
    if (!m) throw new UsageError(`--github "${values.github}" is not OWNER/REPOSITORY. Use e.g. --github acme/acme-platform.`);
    setPath(answers, ['github', 'owner'], m[1]);
    setPath(answers, ['github', 'repository'], m[2]);
  }
  for (const tag of (values.tag as string[] | undefined) ?? []) {
    const i = tag.indexOf('=');
    if (i < 1) throw new UsageError(`--tag "${tag}" is not KEY=VALUE. Use e.g. --tag cost-center=platform.`);
    setPath(answers, ['tags', tag.slice(0, i)], tag.slice(i + 1));
  }

  return {
    directory: positionals[0],
    answersFile: values.answers as string | undefined,
    yes: values.yes as boolean,
    skipInstall: values['skip-install'] as boolean,
    kitSource: values['kit-source'] as string | undefined,
    force: values.force as boolean,
    dryRun: values['dry-run'] as boolean,
    saveAnswers: values['save-answers'] as string | undefined,
    help: values.help as boolean,
    version: values.version as boolean,
    answers: answers as AnswersInput,
    publicServices: typeof values['public-services'] === 'string' ? list(values['public-services']) : undefined,
  };
}

/**
 * The answers with `public: true` on the services `--public-services` names. The services are those of the answers
 * (flags over the answers file), or the default ones; a name that is none of them is a usage error.
 */
export function withPublicServices(answers: AnswersInput, names: readonly string[]): AnswersInput {
  const services = (answers.services ?? DEFAULT_SERVICES) as unknown[];
  if (!Array.isArray(services)) return answers; // not a list: validation names the problem
  const nameOf = (s: unknown) => (typeof s === 'string' ? s : isPlainObject(s) ? s.name : undefined);
  const known = services.map(nameOf);
  const unknown = names.filter((n) => !known.includes(n));
  if (unknown.length)
    throw new UsageError(
      `--public-services: ${unknown.map((n) => `"${n}"`).join(', ')} ${unknown.length > 1 ? 'are' : 'is'} not one of the services (${known.join(', ') || 'none'}). ` +
        'Name services of --services (or of the answers file).',
    );
  return { ...answers, services: services.map((s) => (names.includes(nameOf(s) as string) ? { ...(isPlainObject(s) ? s : { name: s }), public: true } : s)) } as AnswersInput;
}

export function helpText(): string {
  const flags = Object.entries(ANSWER_FLAGS)
    .map(([flag, spec]) => `  --${flag.padEnd(22)} ${spec.hint}`)
    .join('\n');
  return `Usage: create-platform [directory] [options]
       create-platform upgrade [--to VERSION] [--kit-source PATH] [--dry-run]   (inside a platform repo; upgrade --help)

Creates a platform repo: AWS infrastructure as code (CDK for Terraform), managed by projen.
At a terminal, without --answers or --yes, a wizard asks for every answer not given as a flag.

Options:
  -a, --answers FILE         answers as JSON or YAML (flags override it); no wizard
  -y, --yes                  take the default for every answer not given; no wizard
      --dry-run              list every file that would be written (managed or yours); write nothing
      --save-answers FILE    save the final answers, to create the same platform with --answers FILE
      --skip-install         write the files only: no npm install, no first synth
      --kit-source PATH      install @platform-kit packages from a kit checkout or a folder of tarballs
      --force                write into a non-empty directory: your files are kept, those in the way
                             are moved to .create-platform-backup/; also replaces a --save-answers file
  -h, --help                 show this help
  -v, --version              print the version

Answers:
${flags}
  --github OWNER/REPO        both GitHub answers at once
  --tag KEY=VALUE            a tag on every AWS resource (repeatable)
  --public-services A,B      services reachable from the internet at https://<service>.<env>.<domain> (needs nginx)

Reference: https://github.com/platform-kit/platform-kit/tree/main/docs/answers.md`;
}
