/** The README's rules table is rendered from rule metadata and kept in sync. */
import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { rules } from '../rules/index.js';
import { catalogMarkdown } from '../src/docs/render.js';

it('README rules table matches the rules metadata', () => {
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
  const m = /<!-- rules:start -->\n([\s\S]*?)<!-- rules:end -->/.exec(readme);
  expect(m, 'README needs the rules markers').not.toBeNull();
  const metas = rules.map((r) => r.meta).sort((a, b) => (a.id < b.id ? -1 : 1));
  expect(m![1]).toBe(catalogMarkdown(metas));
});
