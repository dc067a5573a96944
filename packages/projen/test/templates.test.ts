import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import Handlebars from 'handlebars';
import { describe, expect, it } from 'vitest';
import { supportingServiceModules } from '@platform-kit/config';
import { COMPILE_OPTIONS, moduleTemplateName, sourceHash, templatesDir } from '../src/templates';

/* The templates precompiled at build (lib/templates.precompiled.js) are the templates of this checkout, compiled alike. */

const precompiledFile = join(__dirname, '..', 'lib', 'templates.precompiled.js');
const files = (dir: string): string[] =>
  readdirSync(dir).flatMap((e) => (statSync(join(dir, e)).isDirectory() ? files(join(dir, e)) : e.endsWith('.hbs') ? [join(dir, e)] : []));

describe('precompiled templates', () => {
  it.skipIf(!existsSync(precompiledFile))("cover every template of templates/ and of the supporting services' modules, each with the hash of its current source (npm test builds first)", () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const built = require(precompiledFile) as Record<string, { hash: string }>;
    const dir = templatesDir();
    const current = Object.fromEntries([
      ...files(dir).map((f) => [relative(dir, f).replace(/\.hbs$/, ''), sourceHash(readFileSync(f, 'utf8'))]),
      ...supportingServiceModules().flatMap((m) => files(m.dir).map((f) => [moduleTemplateName(m, relative(m.dir, f).replace(/\.hbs$/, '')), sourceHash(readFileSync(f, 'utf8'))])),
    ]);
    expect(Object.fromEntries(Object.entries(built).map(([name, t]) => [name, t.hash]))).toEqual(current);
  });

  it('render as the compiled template does, strict (a missing variable fails) and unescaped', () => {
    const engine = Handlebars.create();
    const source = '{{name}} & <{{#if on}}{{value}}{{/if}}>';
    // The spec is JavaScript source text, as the build writes it into a module.
    const spec = new Function(`return ${Handlebars.precompile(source, COMPILE_OPTIONS)}`)();
    const precompiled = engine.template(spec);
    const compiled = engine.compile(source, COMPILE_OPTIONS);
    const data = { name: 'a & b', on: true, value: '<x>' };
    expect(precompiled(data)).toBe(compiled(data));
    expect(precompiled(data)).toBe('a & b & <<x>>');
    expect(() => precompiled({ on: true, value: 1 })).toThrow(/"name" not defined/);
  });
});
