/**
 * Per-rule fixtures: fixtures/rules/<rule-id>/<case>/ is a directory linted as
 * the working directory (its own .hostlint.yaml supplies facts and options).
 * `valid-*` cases must give no result from the rule; `invalid-*` cases must
 * give exactly the results in their `expected.json`.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { rules } from '../rules/index.js';
import { allResults, expectedOf, lintDir } from './helpers/lint.js';

const root = fileURLToPath(new URL('../fixtures/rules/', import.meta.url));
const ruleIds = new Set(rules.map((r) => r.meta.id));

describe('rule fixtures', () => {
  const folders = readdirSync(root).sort();
  it('every folder names a rule', () => {
    expect(folders.filter((f) => !ruleIds.has(f))).toEqual([]);
  });
  for (const id of folders) {
    describe(id, () => {
      for (const kase of readdirSync(path.join(root, id)).sort()) {
        const dir = path.join(root, id, kase);
        it(kase, () => {
          const results = allResults(lintDir(dir)).filter((r) => r.ruleId === id || r.ruleId === 'parse-error' || r.ruleId === 'read-error');
          if (kase.startsWith('valid')) {
            expect(results.map(expectedOf)).toEqual([]);
          } else {
            expect(kase.startsWith('invalid')).toBe(true);
            const file = path.join(dir, 'expected.json');
            expect(existsSync(file), `${kase} needs an expected.json`).toBe(true);
            const expected = JSON.parse(readFileSync(file, 'utf8'));
            expect(expected.length).toBeGreaterThan(0);
            expect(results.map(expectedOf)).toEqual(expected);
          }
        });
      }
    });
  }
});
