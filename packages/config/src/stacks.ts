import type { Platform } from './schema';

/** The account-level stacks, in apply order. */
export const STACK_ORDER = ['bootstrap', 'shared'] as const;

/**
 * Every stack of a platform, in apply order: what @platform-kit/constructs synthesizes and what the
 * generated repo's docs and tasks name. One list, so that the two cannot disagree.
 */
export function stackNames(_platform: Platform): string[] {
  return [...STACK_ORDER];
}
