import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { supportingServiceModules } from './registry';

/*
 * The kit's docs/supporting-services.md has a section per supporting service, written from the docs.md of the
 * service's module folder by `npx projen docs:answers` (scripts/answers-reference.ts). A test fails while it is stale.
 */

export const SUPPORTING_SERVICES_DOC = 'docs/supporting-services.md';
export const MODULE_DOCS_START =
  "<!-- The sections below, to the next marker, are written by `npx projen docs:answers` from each module's docs.md (packages/config/src/supporting/<name>/docs.md): edit those. -->";
export const MODULE_DOCS_END = "<!-- end of the modules' sections -->";

/** A `### <title>` section per registered module, from its docs.md, in registry order. */
export function moduleDocSections(): string {
  return supportingServiceModules()
    .map((m) => {
      let body: string;
      try {
        body = readFileSync(join(m.dir, 'docs.md'), 'utf8');
      } catch {
        throw new Error(`supporting service ${m.name} has no docs.md in its module folder (${m.dir})`);
      }
      return `### ${m.title}\n\n${body.trim()}\n`;
    })
    .join('\n');
}

/** The doc with its modules' sections replaced by the current ones; throws when a marker is missing. */
export function withModuleDocs(doc: string): string {
  const start = doc.indexOf(MODULE_DOCS_START);
  const end = doc.indexOf(MODULE_DOCS_END);
  if (start < 0 || end < start) throw new Error(`${SUPPORTING_SERVICES_DOC} lost its markers around the modules' sections: ${MODULE_DOCS_START} ... ${MODULE_DOCS_END}`);
  return `${doc.slice(0, start)}${MODULE_DOCS_START}\n\n${moduleDocSections()}\n${doc.slice(end)}`;
}
