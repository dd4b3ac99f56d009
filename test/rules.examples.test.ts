/**
 * Every example in rule metadata is executable: an invalid example gives
 * exactly `expect` findings from its rule, a valid one gives none.
 */
import { stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { rules } from '../rules/index.js';
import { allResults, lintDir, writeTree } from './helpers/lint.js';

describe('rule examples', () => {
  for (const rule of rules) {
    for (const ex of rule.meta.examples) {
      it(`${rule.meta.id}: ${ex.title}`, () => {
        const config: Record<string, unknown> = {};
        if (ex.facts) config.facts = ex.facts;
        if (ex.options) config.rules = { [rule.meta.id]: [rule.meta.severity, ex.options] };
        const dir = writeTree({ ...(ex.files ?? {}), [ex.filename]: ex.code, '.hostlint.yaml': stringify(config) });
        const results = allResults(lintDir(dir));
        expect(results.filter((r) => r.ruleId === 'parse-error')).toEqual([]);
        const mine = results.filter((r) => r.ruleId === rule.meta.id);
        expect(mine.length).toBe(ex.expect === 'valid' ? 0 : ex.expect);
      });
    }
  }
});
