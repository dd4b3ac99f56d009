// `npm run lint:cycles` (part of `npm run lint`, so of `npm test`): fails when
// the project's modules import each other in a cycle. Type-only imports count
// (an `import type` cycle is still two modules that cannot be understood, or
// moved, one without the other). Uses dpdm's parser and cycle search.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseCircular, parseDependencyTree, prettyCircular } from 'dpdm';

const root = fileURLToPath(new URL('../../', import.meta.url));

// Import edges (importer → imported) left out of the search: none. (The
// cycles known when this check was written, issue 11, are gone.) An edge
// listed here that closes no cycle any more is reported so that it can be
// deleted.
export const ALLOWED_EDGES = [];

export const ENTRIES = ['src/**/*.ts', 'src/**/*.mjs', 'rules/**/*.ts', 'test/**/*.ts', 'test/**/*.mjs', 'bin/*.cjs'];

/**
 * The import cycles among the modules matched by `entries` under `dir`
 * (default: this project), leaving out the `allowed` edges (paths relative to
 * `dir`); `stale` lists the allowed edges that close no cycle.
 */
export async function findCycles({ dir = root, entries = ENTRIES, allowed = ALLOWED_EDGES } = {}) {
  const tsconfig = path.join(dir, 'tsconfig.json');
  const parsed = await parseDependencyTree(
    entries.map((e) => path.join(dir, e)),
    { context: dir, cwd: dir, transform: false, exclude: /node_modules|\.d\.m?ts$/, ...(existsSync(tsconfig) ? { tsconfig } : {}) },
  );
  // Module ids are relative to `dir` (`context`); dpdm.shortenTree would
  // resolve them against the process's working directory instead.
  const tree = parsed;
  const escape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const skip = allowed.map(([from, to]) => [escape(from), escape(to)]);
  const cycles = parseCircular(tree, false, skip);
  // An allowed edge is stale when the search without it finds no more cycles than with it.
  const stale = [];
  for (const edge of allowed) {
    const rest = skip.filter((_, i) => allowed[i] !== edge);
    if (parseCircular(tree, false, rest).length <= cycles.length) stale.push(edge);
  }
  return { cycles, stale, modules: Object.keys(tree).length };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { cycles, stale, modules } = await findCycles();
  for (const [from, to] of stale) console.log(`cycles: the allowed edge ${from} -> ${to} closes no cycle any more; delete it from src/dev/cycles.mjs`);
  if (cycles.length) {
    console.error(`cycles: ${cycles.length} import cycle${cycles.length === 1 ? '' : 's'} among ${modules} modules:`);
    console.error(prettyCircular(cycles, '  '));
    process.exitCode = 1;
  } else console.log(`cycles: no import cycle among ${modules} modules (${ALLOWED_EDGES.length} allowed edges)`);
}
