import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { platformReleases, serviceDir, type Platform } from '@platform-kit/config';
import { Component, type Project } from 'projen';

/*
 * What `npx projen` did to files, said in words: a managed file it removed (the kit no longer writes it), a hand
 * edit of a managed file it reverted, and a file of yours it leaves behind that nothing uses any more (turning Redis
 * off leaves helm/<env>/redis.overrides.yaml). Hand edits are told apart from answer changes by the hashes of what the
 * last `npx projen` wrote, kept in .projen/managed-hashes.json.
 */

export const MANAGED_HASHES = '.projen/managed-hashes.json';
const PROJEN_MANIFEST = '.projen/files.json';

const hash = (path: string) => (existsSync(path) ? createHash('sha256').update(readFileSync(path)).digest('hex').slice(0, 16) : undefined);

function readJson<T>(path: string): T | undefined {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as T;
  } catch {
    return undefined;
  }
}

/** The state of the managed files before a synth: what the last one wrote, and what is on disk now. */
export interface BeforeSynth {
  readonly managedBefore: readonly string[];
  readonly written: Readonly<Record<string, string>>;
  readonly onDisk: Readonly<Record<string, string | undefined>>;
}

export function beforeSynth(outdir: string, managed: readonly string[]): BeforeSynth {
  const managedBefore = readJson<{ files?: string[] }>(join(outdir, PROJEN_MANIFEST))?.files ?? [];
  const written = readJson<Record<string, string>>(join(outdir, MANAGED_HASHES)) ?? {};
  const onDisk = Object.fromEntries([...new Set([...managed, ...managedBefore])].map((f) => [f, hash(join(outdir, f))]));
  return { managedBefore, written, onDisk };
}

/** The files of the user's that nothing reads any more: overrides of releases, overlays of services or environments gone. */
export function orphanedFiles(outdir: string, platform: Platform): { path: string; why: string }[] {
  const orphans: { path: string; why: string }[] = [];
  const list = (dir: string) => (existsSync(join(outdir, dir)) ? readdirSync(join(outdir, dir), { withFileTypes: true }) : []);
  const environments = new Set(platform.environments.map((e) => e.name));
  const releases = new Set(platformReleases(platform.supportingServices).map((r) => r.name));
  const services = new Set(platform.services.map((s) => s.name));
  for (const env of list('helm').filter((d) => d.isDirectory()))
    for (const file of list(`helm/${env.name}`).filter((f) => f.name.endsWith('.overrides.yaml'))) {
      const release = file.name.slice(0, -'.overrides.yaml'.length);
      if (!environments.has(env.name)) orphans.push({ path: `helm/${env.name}/${file.name}`, why: `${env.name} is no longer an environment` });
      else if (!releases.has(release)) orphans.push({ path: `helm/${env.name}/${file.name}`, why: `the release ${release} is no longer installed` });
    }
  for (const env of list('gitops').filter((d) => d.isDirectory()))
    for (const service of list(`gitops/${env.name}/services`).filter((d) => d.isDirectory())) {
      const overlay = `${serviceDir(env.name, service.name)}/kustomization.yaml`;
      if (!existsSync(join(outdir, overlay))) continue;
      if (!environments.has(env.name)) orphans.push({ path: overlay, why: `${env.name} is no longer an environment` });
      else if (!services.has(service.name)) orphans.push({ path: overlay, why: `${service.name} is no longer a service` });
    }
  for (const service of list('services').filter((d) => d.isDirectory() && !services.has(d.name)))
    orphans.push({ path: `services/${service.name}/`, why: `${service.name} is no longer a service (its ECR repository goes with the next apply of shared)` });
  return orphans;
}

/** What the synth did, in lines; records what it wrote for the next run. */
export function afterSynth(outdir: string, managed: readonly string[], before: BeforeSynth, platform: Platform): string[] {
  const lines: string[] = [];
  const now = new Set(managed);
  for (const file of before.managedBefore)
    if (!now.has(file) && before.onDisk[file] !== undefined && !existsSync(join(outdir, file))) lines.push(`removed ${file}: platform-kit no longer writes it`);
  const written: Record<string, string> = {};
  for (const file of [...managed].sort()) {
    const after = hash(join(outdir, file));
    if (after === undefined) continue;
    written[file] = after;
    const edited = before.written[file] !== undefined && before.onDisk[file] !== undefined && before.onDisk[file] !== before.written[file];
    if (edited && after !== before.onDisk[file]) lines.push(`reverted your edit of ${file}: it is managed (change .projenrc.ts, or the file's .overrides, instead)`);
  }
  for (const orphan of orphanedFiles(outdir, platform)) lines.push(`left ${orphan.path} as it is: ${orphan.why}; it is yours to delete`);
  const file = join(outdir, MANAGED_HASHES);
  writeFileSync(`${file}.tmp`, `${JSON.stringify(written, null, 1)}\n`);
  renameSync(`${file}.tmp`, file);
  return lines;
}

/**
 * The component that says what `npx projen` did to files. Added last to the project: its synthesize() runs after the
 * other components wrote theirs, whether or not projen runs its post-synthesis steps.
 */
export class FileReport extends Component {
  private before?: BeforeSynth;

  constructor(
    project: Project,
    private readonly platform: Platform,
  ) {
    super(project);
  }

  /** The managed files but package.json, which npm rewrites after projen (a hand edit there is npm's too). */
  private managed(): string[] {
    return this.project.files.map((f) => f.path).filter((path) => path !== 'package.json');
  }

  override preSynthesize(): void {
    this.before = beforeSynth(this.project.outdir, this.managed());
  }

  override synthesize(): void {
    if (!this.before) return;
    for (const line of afterSynth(this.project.outdir, this.managed(), this.before, this.platform)) console.warn(`platform-kit: ${line}`);
  }
}
