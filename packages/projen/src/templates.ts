import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
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

/** Renders templates/<name>.hbs. Strict: a missing variable is an error, not an empty string. */
export function render(name: string, data: object): string {
  let template = cache.get(name);
  if (!template) {
    const source = readFileSync(join(templatesDir(), `${name}.hbs`), 'utf8');
    // noEscape: the output is code and Markdown, not HTML.
    template = engine.compile(source, { noEscape: true, strict: true });
    cache.set(name, template);
  }
  return template(data);
}
