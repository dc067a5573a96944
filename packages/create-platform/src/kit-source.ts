import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { KIT_PACKAGES, KIT_VERSION, tarballName } from '@platform-kit/projen';
import { UsageError } from './errors';

const PACKAGE_DIRS: Record<(typeof KIT_PACKAGES)[number], string> = {
  '@platform-kit/config': 'packages/config',
  '@platform-kit/constructs': 'packages/constructs',
  '@platform-kit/projen': 'packages/projen',
};

function isKitCheckout(dir: string): boolean {
  try {
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    return Array.isArray(pkg.workspaces) && pkg.workspaces.includes('packages/projen');
  } catch {
    return false;
  }
}

/**
 * Turns --kit-source into a folder holding one `npm pack` tarball per kit package at this kit's version (with
 * `anyVersion`, the upgrade's: at the versions it holds). A kit checkout is packed into its dist/kit (it must be
 * compiled); a folder of tarballs is used as it is.
 */
export function resolveKitSource(path: string, { anyVersion = false } = {}): string {
  const dir = resolve(path);
  if (!existsSync(dir)) throw new UsageError(`--kit-source ${path} does not exist. Give a platform-kit checkout or a folder of its tarballs.`);
  let tarballs = dir;
  if (isKitCheckout(dir)) {
    const unbuilt = KIT_PACKAGES.filter((p) => !existsSync(join(dir, PACKAGE_DIRS[p], 'lib', 'index.js')));
    if (unbuilt.length)
      throw new UsageError(`the kit checkout ${dir} is not compiled (${unbuilt.join(', ')}). Run "npm run compile" there first.`);
    tarballs = join(dir, 'dist', 'kit');
    mkdirSync(tarballs, { recursive: true });
    execFileSync('npm', ['pack', ...KIT_PACKAGES.flatMap((p) => ['-w', p]), '--pack-destination', tarballs, '--silent'], {
      cwd: dir,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
  }
  if (anyVersion) {
    if (!readdirSync(tarballs).some((f) => /^platform-kit-projen-.+\.tgz$/.test(f)))
      throw new UsageError(`--kit-source ${path} holds no platform-kit-projen-<version>.tgz. Pack the kit with "npm run package" or point at a kit checkout.`);
    return tarballs;
  }
  const missing = KIT_PACKAGES.map((p) => tarballName(p)).filter((f) => !existsSync(join(tarballs, f)));
  if (missing.length)
    throw new UsageError(`--kit-source ${path} has no ${missing.join(', ')} (kit version ${KIT_VERSION}). Pack the kit with "npm run package" or point at a kit checkout.`);
  return tarballs;
}
