import { styleText } from 'node:util';

type Format = Parameters<typeof styleText>[0];

/** Colour for a person at a terminal; plain text for logs, pipes and NO_COLOR. */
const enabled = Boolean(process.stdout.isTTY) && !process.env.NO_COLOR && process.env.TERM !== 'dumb';

export function style(format: Format, text: string): string {
  return enabled ? styleText(format, text) : text;
}
