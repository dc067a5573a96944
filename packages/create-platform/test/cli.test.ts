import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../src';

async function cli(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

const tmp = () => mkdtempSync(join(tmpdir(), 'cli-'));
const required = ['--account-id', '210987654321', '--domain', 'acme.example.com', '--github-owner', 'acme'];

describe('create-platform (no install)', () => {
  it('prints help and version', async () => {
    const help = await cli('--help');
    expect(help.code).toBe(0);
    for (const flag of ['--answers', '--yes', '--skip-install', '--kit-source', '--force', '--region', '--account-id', '--environments', '--services', '--supporting-services', '--domain', '--github'])
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

  it('refuses a bad admin role ARN with exit 2, naming the field, writing nothing', async () => {
    const target = join(tmp(), 'acme-platform');
    const r = await cli(target, '--skip-install', ...required, '--admin-role-arns', 'arn:aws:iam::210987654321:user/bob');
    expect(r.code).toBe(2);
    expect(r.err).toContain('aws.adminRoleArns[0]');
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
  });

  it.each([
    [['--bogus'], 'Unknown option'],
    [['a', 'b'], 'at most one directory'],
    [['--answers', '/nonexistent/answers.yaml'], 'cannot read the answers file'],
    [['--kit-source', '/nonexistent/kit'], '--kit-source /nonexistent/kit does not exist'],
  ])('usage error %j: exit 2', async (flags, message) => {
    const dir = tmp();
    const r = await cli(...(flags[0] === 'a' ? flags : [join(dir, 'out'), ...flags]), '--yes', '--skip-install');
    expect(r.code).toBe(2);
    expect(r.err).toContain(message);
  });

  it('a malformed answers file: exit 2 with the parse error', async () => {
    const dir = tmp();
    writeFileSync(join(dir, 'a.yaml'), 'name: [unclosed\n');
    const r = await cli(join(dir, 'out'), '--answers', join(dir, 'a.yaml'), '--skip-install');
    expect(r.code).toBe(2);
    expect(r.err).toContain('is not valid YAML');
  });

  it('refuses a non-empty directory without --force, keeps user files with it', async () => {
    const target = join(tmp(), 'existing');
    mkdirSync(target);
    writeFileSync(join(target, 'notes.txt'), 'mine');
    const refused = await cli(target, '--yes', '--name', 'acme-platform', '--skip-install');
    expect(refused.code).toBe(2);
    expect(refused.err).toContain('--force');
    expect(readdirSync(target)).toEqual(['notes.txt']);

    const forced = await cli(target, '--yes', '--name', 'acme-platform', '--skip-install', '--force');
    expect(forced.code).toBe(0);
    expect(readFileSync(join(target, 'notes.txt'), 'utf8')).toBe('mine');
    expect(existsSync(join(target, '.projenrc.ts'))).toBe(true);
    // a second forced run over the kit's own (read-only) files works too
    expect((await cli(target, '--yes', '--name', 'acme-platform', '--skip-install', '--force')).code).toBe(0);
  });
});
