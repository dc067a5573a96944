import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { estimateCost, formatUsd, PRICES_AS_OF } from '@platform-kit/config';
import { describe, expect, it } from 'vitest';
import { tempDir, tree } from './support';
import { BACKUP_DIR, keepAnswers, main, parseCli, parseUpgradeArgs, resolveKitSource, savedKitSource, upgrade, UsageError } from '../src';
import { CLI } from './terminal';

async function cli(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

const tmp = () => tempDir('cli');
const required = ['--account-id', '210987654321', '--domain', 'acme.example.com', '--github-owner', 'acme'];

describe('create-platform (no install)', () => {
  it('prints help and version', async () => {
    const help = await cli('--help');
    expect(help.code).toBe(0);
    for (const flag of ['--answers', '--yes', '--skip-install', '--kit-source', '--force', '--region', '--account-id', '--environments', '--services', '--supporting-services', '--domain', '--github', '--public-services'])
      expect(help.out).toContain(flag);
    const version = await cli('--version');
    expect(version.code).toBe(0);
    expect(version.out).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('writes a platform repo from flags', async () => {
    const target = join(tmp(), 'acme-platform');
    const r = await cli(target, '--skip-install', ...required, '--environments', 'dev,prod', '--services', 'api');
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    for (const f of ['.projenrc.ts', 'package.json', 'cdktf.json', 'src/main.ts', 'platform/platform.json', 'docs/bootstrap.md', 'README.md'])
      expect(existsSync(join(target, f)), f).toBe(true);
    const platform = JSON.parse(readFileSync(join(target, 'platform/platform.json'), 'utf8'));
    expect(platform.name).toBe('acme-platform'); // from the directory name
    expect(platform.environments.map((e: { name: string }) => e.name)).toEqual(['dev', 'prod']);
    expect(platform.aws.accountId).toBe('210987654321');
    // no stray staging directory next to the target
    expect(readdirSync(join(target, '..'))).toEqual(['acme-platform']);
    // The last words: where to start reading, and the monthly cost of these answers (the same as docs/cost.md's).
    expect(r.out).toContain('Then docs/getting-started.md, step by step.');
    const total = formatUsd(estimateCost(platform)!.totalMonthlyUsd);
    expect(r.out).toContain(`Estimated monthly cost (USD, ${platform.aws.region}, prices as of ${PRICES_AS_OF}):`);
    expect(r.out.split('\n')).toContainEqual(expect.stringMatching(new RegExp(`^  total +${total.replace(/[$.]/g, '\\$&')}$`)));
    expect(readFileSync(join(target, 'docs/cost.md'), 'utf8')).toContain(`| **total** | **${total}** |`);
  });

  it('sets the AWS platform answers from flags: admin roles, OIDC provider, owner and cost center', async () => {
    const target = join(tmp(), 'acme-platform');
    const admins = 'arn:aws:iam::210987654321:role/Admin,arn:aws:iam::210987654321:role/aws-reserved/sso.amazonaws.com/Ops';
    const r = await cli(target, '--skip-install', ...required, '--admin-role-arns', admins, '--github-oidc-provider', 'existing', '--owner', 'platform-team', '--cost-center', 'cc-42');
    expect(r.err).toBe('');
    const platform = JSON.parse(readFileSync(join(target, 'platform/platform.json'), 'utf8'));
    expect(platform.aws.adminRoleArns).toEqual(admins.split(','));
    expect(platform.github.oidcProvider).toBe('existing');
    expect(platform.tags).toEqual({ owner: 'platform-team', 'cost-center': 'cc-42' });
    expect(existsSync(join(target, 'docs/deploy.md'))).toBe(true);
  });

  it('warns, without failing, that nobody but CI can use kubectl when no admin role is given: flags, --answers, --yes', async () => {
    const dir = tmp();
    const warning = 'aws.adminRoleArns is empty: nobody but CI can use kubectl on the clusters (kubectl answers Unauthorized).';
    writeFileSync(join(dir, 'answers.yaml'), 'aws: { accountId: "210987654321" }\ndomain: acme.example.com\ngithub: { owner: acme }\n');
    for (const [i, argv] of [required, ['--answers', join(dir, 'answers.yaml')], ['--yes'], [...required, '--admin-role-arns', 'none']].entries()) {
      const r = await cli(join(dir, `out-${i}`), '--skip-install', ...argv);
      expect(r.code, argv.join(' ')).toBe(0);
      expect(r.err, argv.join(' ')).toBe('');
      expect(r.out, argv.join(' ')).toContain(`! ${warning}`);
      // How to fix it: the answer in .projenrc.ts, npx projen, the cluster stack applied again; or the flag.
      for (const fix of ['aws.adminRoleArns in .projenrc.ts', 'run npx projen and apply <env>-cluster', '--admin-role-arns', 'aws sts get-caller-identity', 'aws iam get-role'])
        expect(r.out, argv.join(' ')).toContain(fix);
      // Before the next steps.
      expect(r.out.indexOf(warning)).toBeLessThan(r.out.indexOf('Your platform is in'));
    }

    const given = await cli(join(dir, 'admins'), '--skip-install', ...required, '--admin-role-arns', 'arn:aws:iam::210987654321:role/Admin');
    expect(given.code).toBe(0);
    expect(given.out).not.toContain('aws.adminRoleArns is empty');
    expect(given.out).toContain('Your platform is in');
  });

  it('refuses a bad admin role ARN with exit 2, naming the field, writing nothing', async () => {
    const target = join(tmp(), 'acme-platform');
    const r = await cli(target, '--skip-install', ...required, '--admin-role-arns', 'arn:aws:iam::210987654321:user/bob');
    expect(r.code).toBe(2);
    expect(r.err).toContain('aws.adminRoleArns[0]');
    expect(existsSync(target)).toBe(false);
  });

  it('--public-services makes the services it names public, over the answers file and the defaults', async () => {
    const dir = tmp();
    const answers = join(dir, 'answers.yaml');
    writeFileSync(answers, 'services: [{ name: web, port: 3000, env: { LOG_LEVEL: info } }, worker]\n');
    const r = await cli(join(dir, 'out'), '--answers', answers, '--public-services', 'web', '--supporting-services', 'nginx,cert-manager', ...required, '--skip-install');
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const platform = JSON.parse(readFileSync(join(dir, 'out', 'platform/platform.json'), 'utf8'));
    expect(platform.services).toMatchObject([
      { name: 'web', port: 3000, public: true, env: { LOG_LEVEL: 'info' } },
      { name: 'worker', public: false },
    ]);
    // The default services (api, worker) when none are given.
    const defaults = await cli(join(dir, 'defaults'), '--yes', '--skip-install', '--supporting-services', 'nginx', '--public-services', 'worker', '--dry-run');
    expect(defaults.code).toBe(0);
    expect(defaults.out).toContain('api (generic, port 8080), worker (generic, port 8080, public)');
    expect(parseCli(['--public-services', 'none']).publicServices).toEqual([]);
  });

  it.each([
    [['--services', 'api,worker', '--public-services', 'web'], '--public-services: "web" is not one of the services (api, worker).'],
    [['--public-services', 'web,admin'], '--public-services: "web", "admin" are not one of the services (api, worker).'],
    // A public service needs the Gateway; api.<env>.<domain> is Oathkeeper's.
    [['--supporting-services', 'redis', '--public-services', 'worker'], 'services[1].public: worker is public, which needs the Gateway.'],
    [['--public-services', 'api'], "services[0].public: api.<env>.<domain> is oathkeeper's host name."],
  ])('--public-services %j: exit 2, naming the flag or the field, nothing written', async (flags, message) => {
    const target = join(tmp(), 'out');
    const r = await cli(target, '--yes', '--skip-install', ...flags);
    expect(r.code).toBe(2);
    expect(r.err).toContain(message);
    expect(existsSync(target)).toBe(false);
  });

  it('flags override the answers file, which overrides defaults', async () => {
    const dir = tmp();
    const answers = join(dir, 'answers.yaml');
    writeFileSync(answers, 'name: from-file\naws: { region: us-east-1, accountId: "111111111111" }\ndomain: file.example.com\ngithub: { owner: acme }\nservices: [api]\n');
    const target = join(dir, 'out');
    const r = await cli(target, '--answers', answers, '--account-id', '222222222222', '--skip-install');
    expect(r.code).toBe(0);
    const platform = JSON.parse(readFileSync(join(target, 'platform/platform.json'), 'utf8'));
    expect(platform).toMatchObject({ name: 'from-file', aws: { region: 'us-east-1', accountId: '222222222222' }, domain: 'file.example.com' });
    expect(platform.kubernetesVersion).toMatch(/^1\.\d+$/); // default
    expect(readFileSync(join(target, '.projenrc.ts'), 'utf8')).toContain('"222222222222"');
  });

  it('reads JSON answers files', async () => {
    const dir = tmp();
    writeFileSync(join(dir, 'a.json'), JSON.stringify({ name: 'json-platform', aws: { accountId: '123456789012' }, domain: 'j.example.com', github: { owner: 'o' } }));
    const r = await cli(join(dir, 'out'), '--answers', join(dir, 'a.json'), '--skip-install');
    expect(r.code).toBe(0);
  });

  it('--yes takes the defaults and says which are placeholders', async () => {
    const target = join(tmp(), 'demo-platform');
    const r = await cli(target, '--yes', '--skip-install');
    expect(r.code).toBe(0);
    expect(r.out).toContain('aws.accountId is a placeholder');
  });

  it.each([
    [['--name', 'Bad Name'], 'name:'],
    [['--region', 'mars-1'], 'aws.region:'],
    [['--account-id', '12345678901'], 'aws.accountId:'],
    [['--environments', 'dev,dev'], 'environments:'],
    [['--supporting-services', 'mysql'], 'supportingServices[0]:'],
    [['--domain', 'https://acme.example.com'], 'domain:'],
    [['--github', 'acme'], '--github "acme" is not OWNER/REPOSITORY'],
  ])('invalid answers %j: exit 2, the field named, nothing written', async (flags, message) => {
    const target = join(tmp(), 'out');
    const r = await cli(target, '--yes', '--skip-install', ...flags);
    expect(r.code).toBe(2);
    expect(r.err).toContain(message);
    expect(existsSync(target)).toBe(false);
    expect(readdirSync(join(target, '..'))).toEqual([]);
  });

  it('lists missing answers without --yes (exit 2)', async () => {
    const target = join(tmp(), 'out');
    const r = await cli(target, '--skip-install');
    expect(r.code).toBe(2);
    for (const field of ['aws.accountId', 'domain', 'github.owner']) expect(r.err).toContain(field);
    expect(existsSync(target)).toBe(false);
    // The domain is not needed when nothing uses it.
    const none = await cli(target, '--skip-install', '--supporting-services', 'redis', '--account-id', '210987654321', '--github-owner', 'acme');
    expect(none.err).toBe('');
    expect(none.code).toBe(0);
    expect(none.out).not.toContain('domain is a placeholder');
  });

  it.each([
    [['--bogus'], 'unknown option --bogus. Run create-platform --help for the options.'],
    [['--answers'], '--answers needs a value'],
    [['a', 'b'], 'at most one directory'],
    [['--answers', '/nonexistent/answers.yaml'], 'cannot read the answers file'],
    [['--kit-source', '/nonexistent/kit'], '--kit-source /nonexistent/kit does not exist'],
    [['--save-answers', '/nonexistent/dir/answers.yaml'], 'the folder /nonexistent/dir does not exist'],
    [['--save-answers', '/tmp'], '--save-answers /tmp is a folder'],
  ])('usage error %j: exit 2', async (flags, message) => {
    const dir = tmp();
    const r = await cli(...(flags[0] === 'a' ? flags : [join(dir, 'out'), ...flags]), '--yes', '--skip-install');
    expect(r.code).toBe(2);
    expect(r.err).toContain(message);
  });

  it('reports every problem of an answers file in one run: unknown fields (with the one meant), invalid values, missing answers', async () => {
    const dir = tmp();
    writeFileSync(
      join(dir, 'a.yaml'),
      ['name: Bad Name', 'aws:', '  acountId: "123"', 'environments:', '  - name: dev', '    natGateway: single', '    vpcCidr: 10.10.0.1/16', 'colour: blue', ''].join('\n'),
    );
    const r = await cli(join(dir, 'out'), '--answers', join(dir, 'a.yaml'), '--skip-install');
    expect(r.code).toBe(2);
    for (const message of [
      'invalid answers (nothing was written):',
      '✖ name: "Bad Name" is not valid.',
      '✖ aws: unknown field "acountId" (did you mean "accountId"?)',
      '✖ environments[0]: unknown field "natGateway" (did you mean "natGateways"?)',
      '✖ environments[0].vpcCidr: "10.10.0.1/16" has host bits set. Use the network address: 10.10.0.0/16.',
      '✖ (answers): unknown field "colour". Remove or rename it',
      'missing answers:',
      '✖ aws.accountId: pass --account-id',
      '✖ github.owner: pass --github-owner',
    ])
      expect(r.err).toContain(message);
    expect(existsSync(join(dir, 'out'))).toBe(false);
  });

  it('a malformed answers file: exit 2 with the parse error', async () => {
    const dir = tmp();
    writeFileSync(join(dir, 'a.yaml'), 'name: [unclosed\n');
    const r = await cli(join(dir, 'out'), '--answers', join(dir, 'a.yaml'), '--skip-install');
    expect(r.code).toBe(2);
    expect(r.err).toContain('is not valid YAML');
  });

  it('refuses a non-empty directory without --force; with it your files survive, those in the way are moved aside', async () => {
    const target = join(tmp(), 'existing');
    mkdirSync(target);
    writeFileSync(join(target, 'notes.txt'), 'mine');
    writeFileSync(join(target, 'README.md'), '# my own readme\n');
    const refused = await cli(target, '--yes', '--name', 'acme-platform', '--skip-install');
    expect(refused.code).toBe(2);
    expect(refused.err).toContain('--force');
    expect(readdirSync(target).sort()).toEqual(['README.md', 'notes.txt']);

    const forced = await cli(target, '--yes', '--name', 'acme-platform', '--skip-install', '--force');
    expect(forced.code).toBe(0);
    expect(readFileSync(join(target, 'notes.txt'), 'utf8')).toBe('mine');
    expect(existsSync(join(target, '.projenrc.ts'))).toBe(true);
    // The kit writes a README.md: yours is kept in the backup folder, named in the output.
    expect(forced.out).toContain('1 of your files were in the way');
    const [backup] = readdirSync(join(target, BACKUP_DIR));
    expect(readFileSync(join(target, BACKUP_DIR, backup, 'README.md'), 'utf8')).toBe('# my own readme\n');
    expect(readFileSync(join(target, 'README.md'), 'utf8')).toContain('# acme-platform');

    // A second forced run over the kit's own (read-only) files replaces them and backs up nothing more.
    const again = await cli(target, '--yes', '--name', 'acme-platform', '--skip-install', '--force');
    expect(again.code).toBe(0);
    expect(again.out).not.toContain('in the way');
    expect(readdirSync(join(target, BACKUP_DIR))).toEqual([backup]);
  });

  it('refuses a target that is a file, even with --force', async () => {
    const file = join(tmp(), 'acme-platform');
    writeFileSync(file, 'not a directory');
    const r = await cli(file, '--yes', '--skip-install', '--force');
    expect(r.code).toBe(2);
    expect(r.err).toContain('is a file');
    expect(readFileSync(file, 'utf8')).toBe('not a directory');
  });

  it('--dry-run prints every file with its owner and what would happen, and writes nothing', async () => {
    const parent = tmp();
    const r = await cli(join(parent, 'acme-platform'), '--dry-run', ...required);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^ {2}managed +\.projen\/tasks\.json +create$/m);
    expect(r.out).toMatch(/^ {2}yours +\.projenrc\.ts +create$/m);
    expect(r.out).toMatch(/^ {2}yours +helm\/dev\/redis\.overrides\.yaml +create$/m);
    expect(r.out).toContain('Stacks (14)');
    expect(r.out).toContain('Dry run: nothing was written.');
    expect(readdirSync(parent)).toEqual([]);

    // Over an existing directory: what would be kept, replaced or moved aside, and still nothing written.
    const target = join(tmp(), 'existing');
    mkdirSync(target);
    writeFileSync(join(target, 'README.md'), 'mine');
    const forced = await cli(target, '--dry-run', '--force', '--name', 'acme-platform', ...required);
    expect(forced.code).toBe(0);
    expect(forced.out).toMatch(/^ {2}yours +README\.md +back up and replace$/m);
    expect(forced.out.replace(/\s+/g, ' ')).toContain(`1 file of yours moved to ${BACKUP_DIR}/`);
    expect(readdirSync(target)).toEqual(['README.md']);
  });

  it('--save-answers writes answers that make the same repo again; an existing file needs --force', async () => {
    const dir = tmp();
    const saved = join(dir, 'answers.yaml');
    const first = await cli(join(dir, 'one'), '--skip-install', ...required, '--name', 'shop', '--environments', 'dev,prod', '--services', 'api', '--supporting-services', 'nginx', '--tag', 'team=a', '--save-answers', saved);
    expect(first.code).toBe(0);
    expect(first.out).toContain(`Saved the answers to ${saved}`);
    const second = await cli(join(dir, 'two'), '--answers', saved, '--skip-install');
    expect(second.code).toBe(0);
    expect(tree(join(dir, 'two'))).toEqual(tree(join(dir, 'one')));

    writeFileSync(saved, 'precious\n');
    const refused = await cli(join(dir, 'three'), '--yes', '--skip-install', '--save-answers', saved);
    expect(refused.code).toBe(2);
    expect(refused.err).toContain('already exists');
    expect(readFileSync(saved, 'utf8')).toBe('precious\n');
    expect(existsSync(join(dir, 'three'))).toBe(false);

    // JSON by extension; with --dry-run only the answers file is written.
    const json = join(dir, 'answers.json');
    const dry = await cli(join(dir, 'four'), '--yes', '--dry-run', '--save-answers', json);
    expect(dry.code).toBe(0);
    expect(JSON.parse(readFileSync(json, 'utf8'))).toEqual({ name: 'four' });
    expect(existsSync(join(dir, 'four'))).toBe(false);
  });

  it('without a terminal it never prompts: missing answers are listed (exit 2)', () => {
    const cwd = tmp();
    const r = spawnSync(process.execPath, [CLI], { cwd, input: '', encoding: 'utf8', timeout: 20_000 });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('missing answers');
    for (const field of ['aws.accountId', 'domain', 'github.owner']) expect(r.stderr).toContain(field);
    expect(r.stderr).toContain('run create-platform at a terminal for the wizard');
    expect(readdirSync(cwd)).toEqual([]);
  });
});

describe('create-platform upgrade: the same command line conventions', () => {
  it('--help and -h print its usage, anywhere', async () => {
    for (const flag of ['--help', '-h']) {
      const r = await cli('upgrade', flag);
      expect(r.code).toBe(0);
      expect(r.out).toContain('Usage: create-platform upgrade [--to VERSION] [--kit-source PATH] [--dry-run]');
      expect(r.out).toContain('the kitSource saved in .projenrc.ts');
    }
  });

  it.each([
    [['--bogus'], 'unknown option --bogus. Run create-platform upgrade --help for the options.'],
    [['--to'], '--to needs a value. Run create-platform upgrade --help'],
    [['--to', 'latest'], '--to latest is not a version'],
    [['extra'], 'unexpected argument extra'],
  ])('usage error %j: exit 2 in the kit’s words', async (flags, message) => {
    const r = await cli('upgrade', ...flags);
    expect(r.code).toBe(2);
    expect(r.err).toContain(message);
    expect(r.err).not.toContain('Unknown option');
  });

  it("takes the kitSource saved in .projenrc.ts by default, from the repo's folder", async () => {
    const repo = tmp();
    writeFileSync(join(repo, '.projenrc.ts'), 'const project = new PlatformProject({\n  answers: {},\n  kitSource: "../kit",\n});\n');
    expect(savedKitSource(repo)).toBe(join(repo, '..', 'kit'));
    writeFileSync(join(repo, '.projenrc.ts'), 'const project = new PlatformProject({ answers: {} });\n');
    expect(savedKitSource(repo)).toBeUndefined();
  });

  it('refuses a saved kitSource that is gone, naming it and the fix', async () => {
    const repo = tmp();
    mkdirSync(join(repo, '.projen'));
    writeFileSync(join(repo, '.projen/files.json'), '{}');
    writeFileSync(join(repo, '.projenrc.ts'), 'new PlatformProject({\n  kitSource: "/nonexistent/kit",\n});\n');
    const refused = upgrade(parseUpgradeArgs(['--dry-run'], repo), { out: () => undefined, err: () => undefined });
    await expect(refused).rejects.toThrow(UsageError);
    await expect(refused).rejects.toThrow('the kitSource in .projenrc.ts, /nonexistent/kit, does not exist. Give --kit-source');
  });

  it('accepts a folder of tarballs of any version, as create accepts a checkout or a folder', () => {
    const dir = tmp();
    expect(() => resolveKitSource(dir, { anyVersion: true })).toThrow('holds no platform-kit-projen-<version>.tgz');
    writeFileSync(join(dir, 'platform-kit-projen-9.9.9.tgz'), '');
    expect(resolveKitSource(dir, { anyVersion: true })).toBe(dir);
  });
});

describe('keepAnswers', () => {
  it('never overwrites a kept file, and falls back to a temporary folder where it cannot write', () => {
    const dir = tmp();
    expect(keepAnswers({ name: 'one' }, dir)).toBe(join(dir, 'create-platform-answers.yaml'));
    expect(keepAnswers({ name: 'two' }, dir)).toBe(join(dir, 'create-platform-answers-2.yaml'));
    expect(readFileSync(join(dir, 'create-platform-answers.yaml'), 'utf8')).toContain('name: one');
    const elsewhere = keepAnswers({ name: 'three' }, '/nonexistent/folder');
    expect(elsewhere).not.toContain('/nonexistent/');
    expect(readFileSync(elsewhere, 'utf8')).toContain('name: three');
  });
});
