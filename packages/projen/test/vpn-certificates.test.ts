import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { synthSnapshot } from 'projen/lib/util/synth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PlatformProject } from '../src';

/*
 * scripts/vpn-certificates.sh of a platform repo with a VPN, run for real with openssl; the AWS CLI is a stand-in that
 * records its calls and answers like AWS. What it makes is then checked with openssl itself.
 */

const openssl = spawnSync('openssl', ['version']).status === 0;
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
const tmp = (prefix: string) => {
  const d = mkdtempSync(join(tmpdir(), prefix));
  dirs.push(d);
  return d;
};

/** A stand-in for the aws command: appends its arguments to calls.log and prints what AWS would. */
const AWS_STUB = `#!/usr/bin/env bash
echo "$*" >> "$(dirname "$0")/calls.log"
case "$1 $2" in
  "acm list-certificates") echo None ;;
  "acm import-certificate") echo arn:aws:acm:eu-west-1:123456789012:certificate/0000-vpn ;;
  "ec2 describe-client-vpn-endpoints") echo cvpn-endpoint-0123456789abcdef0 ;;
  "ec2 export-client-vpn-client-configuration") printf 'client\\ndev tun\\nremote cvpn-endpoint-0123456789abcdef0.prod.clientvpn.eu-west-1.amazonaws.com 443\\n' ;;
esac
`;

describe.skipIf(!openssl)('scripts/vpn-certificates.sh, with openssl and a stand-in AWS CLI', () => {
  let work: string;
  let ca: string;
  let script: string;
  const run = (...args: string[]) =>
    spawnSync('bash', [script, ...args], { cwd: work, encoding: 'utf8', env: { ...process.env, AWS_CLI: join(work, 'aws'), PLATFORM_VPN_CA_DIR: join(work, 'vpn') } });
  const ssl = (...args: string[]) => spawnSync('openssl', args, { encoding: 'utf8' });
  const calls = () => readFileSync(join(work, 'calls.log'), 'utf8');

  beforeAll(() => {
    const repo = tmp('vpn-repo-');
    const files = synthSnapshot(new PlatformProject({ answers: { domain: 'acme.io', environments: [{ name: 'dev', vpn: true }, 'prod'] }, outdir: repo }));
    work = tmp('vpn-work-');
    script = join(work, 'vpn-certificates.sh');
    writeFileSync(script, String(files['scripts/vpn-certificates.sh']));
    writeFileSync(join(work, 'aws'), AWS_STUB);
    chmodSync(join(work, 'aws'), 0o755);
    ca = join(work, 'vpn', 'acme-platform-dev');
  });

  it('init: a CA and a server certificate for vpn.dev.<domain>, imported into ACM with the CA as its chain', () => {
    const result = run('dev', 'init');
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('arn:aws:acm:eu-west-1:123456789012:certificate/0000-vpn');
    expect(ssl('verify', '-CAfile', join(ca, 'ca.crt'), join(ca, 'server.crt')).stdout).toContain('OK');
    const server = ssl('x509', '-in', join(ca, 'server.crt'), '-noout', '-text').stdout;
    expect(server).toContain('DNS:vpn.dev.acme.io');
    expect(server).toContain('TLS Web Server Authentication');
    expect(server).toContain('Public-Key: (2048 bit)');
    expect(calls()).toMatch(/acm import-certificate --region eu-west-1 --certificate fileb:\/\/\S+\/server.crt --private-key fileb:\/\/\S+\/private\/server.key --certificate-chain fileb:\/\/\S+\/ca.crt --tags Key=platform,Value=acme-platform/);
    // Keys are readable by their owner only.
    for (const key of ['ca.key', 'server.key']) expect(statSync(join(ca, 'private', key)).mode & 0o077, key).toBe(0);
    expect(run('dev', 'init').status).toBe(2);
  });

  it("client: a person's certificate for client authentication, and their profile with it", () => {
    const result = run('dev', 'client', 'alice');
    expect(result.status).toBe(0);
    expect(ssl('verify', '-CAfile', join(ca, 'ca.crt'), join(ca, 'clients', 'alice.crt')).stdout).toContain('OK');
    expect(ssl('x509', '-in', join(ca, 'clients', 'alice.crt'), '-noout', '-text').stdout).toContain('TLS Web Client Authentication');
    const profile = readFileSync(join(ca, 'clients', 'alice.ovpn'), 'utf8');
    expect(profile).toMatch(/^client\n[\s\S]*remote cvpn-endpoint-0123456789abcdef0[\s\S]*<cert>\n-----BEGIN CERTIFICATE-----[\s\S]*<\/cert>\n<key>\n-----BEGIN PRIVATE KEY-----[\s\S]*<\/key>\n$/);
    expect(calls()).toContain('ec2 export-client-vpn-client-configuration --region eu-west-1 --client-vpn-endpoint-id cvpn-endpoint-0123456789abcdef0');
    expect(run('dev', 'client', 'Alice Smith').status).toBe(2);
  });

  it('revoke: the certificate is in the CA\'s revocation list, which the endpoint imports', () => {
    const serial = ssl('x509', '-in', join(ca, 'clients', 'alice.crt'), '-noout', '-serial').stdout.trim().split('=')[1];
    const result = run('dev', 'revoke', 'alice');
    expect(result.status).toBe(0);
    expect(ssl('crl', '-in', join(ca, 'crl.pem'), '-noout', '-text').stdout.replace(/\s/g, '')).toContain(`SerialNumber:${serial}`);
    expect(existsSync(join(ca, 'clients', 'alice.key'))).toBe(false);
    expect(calls()).toMatch(/ec2 import-client-vpn-client-certificate-revocation-list --region eu-west-1 --client-vpn-endpoint-id cvpn-endpoint-0123456789abcdef0 --certificate-revocation-list file:\/\/\S+\/crl.pem/);
    // A new certificate for the same name after revocation.
    expect(run('dev', 'client', 'alice').status).toBe(0);
  });

  it('refuses an environment without a VPN, and a CA directory inside a Git repository', () => {
    const prod = run('prod', 'init');
    expect(prod.status).toBe(2);
    expect(prod.stderr).toContain('prod has no VPN: answer vpn: true on it');
    const repo = tmp('vpn-git-');
    expect(spawnSync('git', ['init', '-q', repo]).status).toBe(0);
    // A directory that does not exist yet, inside the repository.
    const inside = spawnSync('bash', [script, 'dev', 'init'], { encoding: 'utf8', env: { ...process.env, AWS_CLI: join(work, 'aws'), PLATFORM_VPN_CA_DIR: join(repo, 'keys') } });
    expect(inside.status).toBe(2);
    expect(inside.stderr).toContain('is inside a Git repository');
    expect(existsSync(join(repo, 'keys', 'acme-platform-dev'))).toBe(false);
  });
});

it.runIf(!openssl)('skips the VPN certificate script checks: openssl is not installed', () => {
  console.warn('openssl not found: scripts/vpn-certificates.sh was not run');
});
