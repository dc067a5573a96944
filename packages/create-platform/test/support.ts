import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { listFiles } from '../src';

/** A new empty directory under the system's temporary folder. */
export const tempDir = (prefix: string) => mkdtempSync(join(tmpdir(), `${prefix}-`));

/** Every file of a directory with its content: two repos are the same repo when these are equal. */
export const tree = (dir: string) => Object.fromEntries(listFiles(dir).map((f) => [f, readFileSync(join(dir, f), 'utf8')]));
