import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Handlebars from 'handlebars';

// Published packages carry a copy of templates/ (copied at build); in the kit checkout it is the root's.
const TEMPLATE_DIRS = [join(__dirname, '..', 'templates'), join(__dirname, '..', '..', '..', 'templates')];

export function templatesDir(): string {
  const dir = TEMPLATE_DIRS.find((d) => existsSync(d));
  if (!dir) throw new Error(`platform-kit templates not found (looked in ${TEMPLATE_DIRS.join(', ')})`);
  return dir;
}

const engine = Handlebars.create();
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
