// `npm run generate`: rewrites what is generated from the rules' metadata
// (the README's rules table between its markers), from the built dist/.
// test/readme.test.ts fails when the committed table is stale.
import { readFileSync, writeFileSync } from 'node:fs';

const root = new URL('../../', import.meta.url);
const { rules } = await import(new URL('dist/rules/index.js', root));
const { catalogMarkdown } = await import(new URL('dist/src/docs/render.js', root));

const readmeUrl = new URL('README.md', root);
const readme = readFileSync(readmeUrl, 'utf8');
const start = '<!-- rules:start -->\n';
const end = '<!-- rules:end -->';
const a = readme.indexOf(start);
const b = readme.indexOf(end, a);
if (a < 0 || b < 0) throw new Error('README.md needs the <!-- rules:start --> and <!-- rules:end --> markers');
const metas = rules.map((r) => r.meta).sort((x, y) => (x.id < y.id ? -1 : 1));
const next = readme.slice(0, a + start.length) + catalogMarkdown(metas) + readme.slice(b);
if (next !== readme) {
  writeFileSync(readmeUrl, next);
  console.log('README.md: rules table regenerated');
} else console.log('README.md: rules table up to date');
