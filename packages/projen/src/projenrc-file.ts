import { canonicalAnswers, environmentStackName, resolvePlatform, type AnswersInput, type Platform } from '@platform-kit/config';
import { DOCS_URL } from './kit';
import { render } from './templates';

/** A value as TypeScript source: JSON with identifier keys unquoted. */
export function toTypeScript(value: unknown, indent = 0): string {
  const json = JSON.stringify(value, null, 2).replace(/^(\s*)"([A-Za-z_$][\w$]*)":/gm, '$1$2:');
  return json.replace(/\n/g, `\n${' '.repeat(indent)}`);
}

/** The .projenrc.ts of a new platform repo: its answers as PlatformProject options. */
export function renderProjenrc(answers: AnswersInput, kitSource?: string, platform: Platform = resolvePlatform(answers)): string {
  return render('platform/projenrc.ts', {
    answers: toTypeScript(canonicalAnswers(answers), 2),
    // The suppression example names a stack this platform has: its first environment's cluster.
    exampleStack: environmentStackName(platform.environments[0].name, 'cluster'),
    kitSource: kitSource ? toTypeScript(kitSource) : undefined,
    docsUrl: DOCS_URL,
  });
}
