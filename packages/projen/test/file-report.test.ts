import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AnswersInput } from '@platform-kit/config';
import { afterAll, expect, it, vi } from 'vitest';
import { MANAGED_HASHES, PlatformProject } from '../src';

/* npx projen says what it did to files: a managed file removed, a hand edit reverted, a file of yours left behind. */

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** Runs a synth as `npx projen` would (post-synthesis off: no npm install) and returns what it reported. */
function synth(outdir: string, answers: AnswersInput): string[] {
  const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
  const previous = process.env.PROJEN_DISABLE_POST;
  process.env.PROJEN_DISABLE_POST = 'true';
  try {
    new PlatformProject({ answers, outdir }).synth();
    return warn.mock.calls.map((c) => String(c[0])).filter((l) => l.startsWith('platform-kit: '));
  } finally {
    process.env.PROJEN_DISABLE_POST = previous;
    warn.mockRestore();
  }
}

it('names a managed file it removed, a hand edit it reverted, and the files of yours it leaves behind; says nothing otherwise', () => {
  const outdir = mkdtempSync(join(tmpdir(), 'pk-report-'));
  dirs.push(outdir);
  const answers: AnswersInput = { name: 'acme', environments: ['dev', 'prod'], services: ['api', 'web'], supportingServices: ['redis', 'nginx'] };
  expect(synth(outdir, answers)).toEqual([]);
  expect(existsSync(join(outdir, MANAGED_HASHES))).toBe(true);
  expect(synth(outdir, answers)).toEqual([]);

  // A hand edit of a managed file (read-only: made writable first, as an editor would ask).
  const managed = join(outdir, 'helm/dev/nginx.yaml');
  chmodSync(managed, 0o644);
  writeFileSync(managed, `${readFileSync(managed, 'utf8')}# mine\n`);
  // Redis off, web and prod gone.
  const report = synth(outdir, { ...answers, environments: ['dev'], services: ['api'], supportingServices: ['nginx'] });
  expect(report).toEqual(
    expect.arrayContaining([
      'platform-kit: reverted your edit of helm/dev/nginx.yaml: it is managed (change .projenrc.ts, or the file\'s .overrides, instead)',
      'platform-kit: removed helm/dev/redis.yaml: platform-kit no longer writes it',
      'platform-kit: removed helm/prod/nginx.yaml: platform-kit no longer writes it',
      'platform-kit: left helm/dev/redis.overrides.yaml as it is: the release redis is no longer installed; it is yours to delete',
      'platform-kit: left helm/prod/nginx.overrides.yaml as it is: prod is no longer an environment; it is yours to delete',
      'platform-kit: left gitops/dev/services/web/kustomization.yaml as it is: web is no longer a service; it is yours to delete',
      'platform-kit: left services/web/ as it is: web is no longer a service (its ECR repository goes with the next apply of shared); it is yours to delete',
    ]),
  );
  expect(readFileSync(managed, 'utf8')).not.toContain('# mine');
  expect(existsSync(join(outdir, 'helm/dev/redis.overrides.yaml'))).toBe(true);
  // Said once: the next run finds nothing new to say about managed files.
  expect(synth(outdir, { ...answers, environments: ['dev'], services: ['api'], supportingServices: ['nginx'] }).filter((l) => !l.includes(' left '))).toEqual([]);
});
