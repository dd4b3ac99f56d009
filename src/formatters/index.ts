/**
 * Output formatters: pure functions from a finished run to the text written
 * to the terminal or to `--output-file`.
 */
import { github } from './github.js';
import { gitlab } from './gitlab.js';
import { html } from './html.js';
import { json } from './json.js';
import { junit } from './junit.js';
import { ndjson } from './ndjson.js';
import { sarif } from './sarif.js';
import type { Formatter } from './shared.js';
import { stylish } from './stylish.js';

export type { FormatOptions, Formatter } from './shared.js';

export type FormatterName = 'stylish' | 'json' | 'sarif' | 'github' | 'junit' | 'gitlab' | 'ndjson' | 'html';

export const formatters: Record<FormatterName, Formatter> = {
  stylish,
  json,
  sarif,
  github,
  junit,
  gitlab,
  ndjson,
  html,
};

/** The formatter called `name`, or undefined when there is none. */
export function getFormatter(name: string): Formatter | undefined {
  return Object.hasOwn(formatters, name) ? formatters[name as FormatterName] : undefined;
}
