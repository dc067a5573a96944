import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from './errors';

/*
 * Command-line parsing shared by create-platform and its upgrade command: node's parseArgs, with its errors in the
 * kit's words (what is wrong, how to see the options) instead of Node's, and exit code 2.
 */

type Options = NonNullable<ParseArgsConfig['options']>;

/** Node's parseArgs messages, as the kit says them. */
export function usageMessage(message: string): string {
  const unknown = /^Unknown option '([^']+)'/.exec(message);
  if (unknown) return `unknown option ${unknown[1]}`;
  const missing = /^Option '(-\w, )?(--[\w-]+)[^']*' argument missing/.exec(message);
  if (missing) return `${missing[2]} needs a value`;
  const positional = /^Unexpected argument '([^']+)'/.exec(message);
  if (positional) return `unexpected argument ${positional[1]}`;
  const ambiguous = /^Option '(-[\w-]+)[^']*' argument is ambiguous/.exec(message);
  if (ambiguous) return `${ambiguous[1]} needs a value (one starting with - is written ${ambiguous[1]}=<value>)`;
  return message.replace(/\.$/, '');
}

/** What parseOptions returns: each option's value by name, and the positional arguments. */
export interface ParsedOptions {
  readonly values: Readonly<Record<string, string | boolean | string[] | boolean[] | undefined>>;
  readonly positionals: readonly string[];
}

/** parseArgs that throws a UsageError ending with where the options are listed. */
export function parseOptions(argv: readonly string[], options: Options, help: string, allowPositionals = false): ParsedOptions {
  try {
    return parseArgs({ args: [...argv], options, strict: true, allowPositionals }) as ParsedOptions;
  } catch (e) {
    throw new UsageError(`${usageMessage((e as Error).message)}. Run ${help} for the options.`);
  }
}
