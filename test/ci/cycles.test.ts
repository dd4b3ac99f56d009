/**
 * The import-cycle check of `npm run lint` (src/dev/cycles.mjs) finds cycles,
 * type-only ones included, and leaves out exactly the allowed edges.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { findCycles } from '../../src/dev/cycles.mjs';

const dir = mkdtempSync(path.join(tmpdir(), 'hostlint-cycles-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext', strict: true } }));
writeFileSync(path.join(dir, 'a.ts'), "import { b } from './b.js';\nexport const a = () => b;\n");
writeFileSync(path.join(dir, 'b.ts'), "import type { Shape } from './c.js';\nexport const b: Shape = { n: 1 };\n");
writeFileSync(path.join(dir, 'c.ts'), "import { a } from './a.js';\nexport interface Shape { n: number }\nexport const c = a;\n");
writeFileSync(path.join(dir, 'd.ts'), "import { a } from './a.js';\nexport const d = a;\n");

it('finds a cycle closed by a type-only import', async () => {
  const { cycles, stale } = await findCycles({ dir, entries: ['*.ts'], allowed: [] });
  expect(cycles).toEqual([['a.ts', 'b.ts', 'c.ts']]);
  expect(stale).toEqual([]);
});

it('leaves out an allowed edge, and names an allowed edge that closes no cycle', async () => {
  const { cycles, stale } = await findCycles({ dir, entries: ['*.ts'], allowed: [['b.ts', 'c.ts'], ['d.ts', 'a.ts']] });
  expect(cycles).toEqual([]);
  expect(stale).toEqual([['d.ts', 'a.ts']]);
});
