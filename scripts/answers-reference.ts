/**
 * Writes the answers reference (docs/answers.md) and the answers' JSON Schema (docs/answers.schema.json) from
 * the answers schema, packages/config/src/schema.ts, and its prose, packages/config/src/answers-notes.ts; and the
 * supporting services' sections of docs/supporting-services.md from their modules' docs.md.
 * Usage: npx projen docs:answers                      write both files
 *        npx tsx scripts/answers-reference.ts --check   only compare; exit 1 when a file is stale
 * packages/config/test/answers-reference.test.ts fails too when they are stale.
 */
import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import {
  ANSWERS_JSON_SCHEMA_FILE,
  ANSWERS_REFERENCE_FILE,
  renderAnswersJsonSchema,
  renderAnswersReference,
} from '../packages/config/src/answers-reference';
import { SUPPORTING_SERVICES_DOC, withModuleDocs } from '../packages/config/src/supporting/docs';

const root = resolve(__dirname, '..');
const check = process.argv.includes('--check');
const unknown = process.argv.slice(2).filter((a) => a !== '--check');
if (unknown.length) {
  console.error(`unknown argument ${unknown.join(' ')}. Usage: tsx scripts/answers-reference.ts [--check]`);
  process.exit(2);
}

function current(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

/** Writes through a temporary file and a rename: a reader never sees half a file. */
function writeAtomic(path: string, text: string): void {
  const tmp = `${path}.${process.pid}.tmp`;
  try {
    writeFileSync(tmp, text);
    renameSync(tmp, path);
  } finally {
    rmSync(tmp, { force: true });
  }
}

const files = [
  { file: ANSWERS_REFERENCE_FILE, text: renderAnswersReference() },
  { file: ANSWERS_JSON_SCHEMA_FILE, text: renderAnswersJsonSchema() },
  { file: SUPPORTING_SERVICES_DOC, text: withModuleDocs(readFileSync(join(root, SUPPORTING_SERVICES_DOC), 'utf8')) },
];
let stale = 0;
for (const { file, text } of files) {
  const path = join(root, file);
  if (current(path) === text) continue;
  if (check) {
    console.error(`${file} is stale: run npx projen docs:answers`);
    stale++;
  } else {
    writeAtomic(path, text);
    console.log(`wrote ${file}`);
  }
}
if (stale) process.exit(1);
