import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SupportingServiceModule } from '@platform-kit/config';
import Handlebars from 'handlebars';

// In the kit checkout, the root's templates/ (the source); a published package carries a copy made at build.
const KIT_ROOT = join(__dirname, '..', '..', '..');
const inCheckout = existsSync(join(KIT_ROOT, 'packages', 'projen', 'package.json'));
const TEMPLATE_DIRS = [...(inCheckout ? [join(KIT_ROOT, 'templates')] : []), join(__dirname, '..', 'templates')];

export function templatesDir(): string {
  const dir = TEMPLATE_DIRS.find((d) => existsSync(d));
  if (!dir) throw new Error(`platform-kit templates not found (looked in ${TEMPLATE_DIRS.join(', ')})`);
  return dir;
}

const engine = Handlebars.create();
// `{{json value}}`: a value as JSON, which YAML reads as a flow collection or a quoted string.
engine.registerHelper('json', (value: unknown) => JSON.stringify(value));
engine.registerHelper('eq', (a: unknown, b: unknown) => a === b);
const cache = new Map<string, Handlebars.TemplateDelegate>();

/** Strict: a missing variable is an error, not an empty string. noEscape: the output is code and Markdown, not HTML. */
export const COMPILE_OPTIONS = { noEscape: true, strict: true } as const;

/** Identifies a template's source: a precompiled template is used only for the source it was compiled from. */
export function sourceHash(source: string): string {
  return createHash('sha256').update(source).digest('hex').slice(0, 16);
}

type Precompiled = Record<string, { hash: string; spec: Parameters<typeof Handlebars.template>[0] }>;
let precompiled: Precompiled | undefined;
/** lib/templates.precompiled.js, made at build time (precompile-templates.ts); absent when running from the sources. */
function precompiledTemplates(): Precompiled {
  if (!precompiled)
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      precompiled = require('./templates.precompiled') as Precompiled;
    } catch {
      precompiled = {};
    }
  return precompiled;
}

/** Renders templates/<name>.hbs. */
export function render(name: string, data: object): string {
  return renderSource(name, join(templatesDir(), `${name}.hbs`), data);
}

/** Renders a template of a supporting service's module folder, `<file>.hbs` (e.g. `keto.yaml`). */
export function renderModuleTemplate(module: Pick<SupportingServiceModule, 'name' | 'dir'>, file: string, data: object): string {
  return renderSource(moduleTemplateName(module, file), join(module.dir, `${file}.hbs`), data);
}

/** The name a module's template is cached and precompiled under. */
export function moduleTemplateName(module: Pick<SupportingServiceModule, 'name'>, file: string): string {
  return `supporting/${module.name}/${file}`;
}

/** Whether a module folder has the template `<file>.hbs`. */
export function moduleHasTemplate(module: Pick<SupportingServiceModule, 'dir'>, file: string): boolean {
  return existsSync(join(module.dir, `${file}.hbs`));
}

function renderSource(name: string, path: string, data: object): string {
  let template = cache.get(name);
  if (!template) {
    const source = readFileSync(path, 'utf8');
    const built = precompiledTemplates()[name];
    template = built?.hash === sourceHash(source) ? engine.template(built.spec) : engine.compile(source, COMPILE_OPTIONS);
    cache.set(name, template);
  }
  return template(data);
}
