/**
 * The resolver oracle: src/resolv/semantics.ts (glibcResolvConf, and the
 * glibcNameservers list the rules use) against glibc's own res_ninit() on
 * generated resolv.conf files (resolv-oracle.c, built with gcc at test time,
 * run in a private mount namespace with the file over /etc/resolv.conf).
 *
 * Recorded disagreements (test/oracle/cases/resolv-*.json, with glibc's
 * output) replay without unshare or gcc. The live part needs root, unshare
 * and gcc; where it cannot run it is skipped, with the reason in its title.
 */
import fc from 'fast-check';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { oracleRuns, oracleSeed, saveDisagreements } from './oracle-env.js';
import { resolvFile } from './resolv-cases.js';
import { compareResolv } from './resolv-model.js';
import { resolvOracleUnavailable, runResolvOracle, type GlibcState } from './resolv-run.js';

const CASES = path.join(path.dirname(fileURLToPath(import.meta.url)), 'cases');

interface Fixture {
  title: string;
  found: string;
  resolution: string;
  text: string;
  glibc: GlibcState;
}

const fixtures = readdirSync(CASES)
  .filter((f) => f.startsWith('resolv-') && f.endsWith('.json'))
  .map((f) => ({ name: f, ...(JSON.parse(readFileSync(path.join(CASES, f), 'utf8')) as Fixture) }));

describe('resolver oracle: recorded disagreements replay', () => {
  it('has recorded cases', () => {
    expect(fixtures.length).toBeGreaterThan(0);
  });
  for (const f of fixtures) {
    it(`${f.name}: ${f.title}`, () => {
      expect(compareResolv(f.text, f.glibc)).toEqual([]);
    });
  }
});

const unavailable = resolvOracleUnavailable();
const runs = oracleRuns();
const seed = oracleSeed();

describe("resolver oracle: generated resolv.conf files against glibc's res_ninit()", () => {
  if (unavailable) console.warn(`resolver oracle NOT RUN (0 cases): ${unavailable}`);
  it.skipIf(!!unavailable)(
    unavailable ? `0 cases: cannot run here (${unavailable})` : `${runs} generated files agree with glibc (seed ${seed})`,
    async () => {
      const files = fc.sample(resolvFile, { numRuns: runs, seed });
      const results = await runResolvOracle(files);
      const found: Array<{ text: string; glibc: GlibcState; disagreements: string[] }> = [];
      files.forEach((text, i) => {
        const ds = compareResolv(text, results[i]!);
        if (ds.length) found.push({ text, glibc: results[i]!, disagreements: ds });
      });
      const saved = saveDisagreements('resolv', seed, found);
      console.log(`resolver oracle: ${runs} generated files × glibc res_ninit(), seed ${seed}: ${found.length} disagreements${saved ? ` (saved in ${saved})` : ''}`);
      expect(found.slice(0, 3)).toEqual([]);
    },
    3_600_000,
  );
});
