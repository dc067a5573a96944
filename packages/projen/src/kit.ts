import { join, resolve } from 'node:path';

/** The kit's own version: every @platform-kit package of a platform repo is pinned to it. */
export const KIT_VERSION: string = require(join(__dirname, '..', 'package.json')).version;

export const KIT_PACKAGES = ['@platform-kit/config', '@platform-kit/constructs', '@platform-kit/projen'] as const;
export type KitPackage = (typeof KIT_PACKAGES)[number];

/** `npm pack` file name of a kit package, e.g. platform-kit-config-1.2.0.tgz. */
export function tarballName(pkg: string, version = KIT_VERSION): string {
  return `${pkg.replace(/^@/, '').replace('/', '-')}-${version}.tgz`;
}

/**
 * The dependency spec of a kit package: pinned to the kit's version from the registry, or a local tarball
 * when `kitSource` (a folder of `npm pack` tarballs) is given.
 */
export function kitDependency(pkg: KitPackage, kitSource?: string): string {
  return kitSource ? `${pkg}@file:${join(resolve(kitSource), tarballName(pkg))}` : `${pkg}@${KIT_VERSION}`;
}

export const DOCS_URL = 'https://github.com/platform-kit/platform-kit/tree/main/docs';
