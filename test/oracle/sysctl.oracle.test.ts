/**
 * The sysctl oracle: hostlint's model of how sysctl files combine (file order,
 * masking, same-name shadowing, /etc/sysctl.conf, globs, `-key` exclusions,
 * last-wins, the `-` prefix, what `sysctl-syntax` says the tools reject)
 * against what procps `sysctl --system` and systemd-sysctl actually do, run
 * in private mount and network namespaces on generated trees.
 *
 * Recorded disagreements (test/oracle/cases/sysctl-*.json, each with the
 * tools' output) replay without unshare. The live part needs root and
 * `unshare`; where it cannot run it is skipped, with the reason in its title.
 */
import fc from 'fast-check';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { oracleRuns, oracleSeed, oracleTmp, saveDisagreements } from './oracle-env.js';
import { sysctlCase, type SysctlCase } from './sysctl-cases.js';
import { compare } from './sysctl-model.js';
import { runSysctlOracle, sysctlOracleUnavailable, TOOLS, writeCase, type OracleRun, type ToolRun } from './sysctl-run.js';

const CASES = path.join(path.dirname(fileURLToPath(import.meta.url)), 'cases');

interface Fixture {
  title: string;
  found: string;
  resolution: string;
  case: SysctlCase;
  baseline: OracleRun;
  oracle: OracleRun;
}

const fixtures = readdirSync(CASES)
  .filter((f) => f.startsWith('sysctl-') && f.endsWith('.json'))
  .map((f) => ({ name: f, ...(JSON.parse(readFileSync(path.join(CASES, f), 'utf8')) as Fixture) }));

const work = mkdtempSync(path.join(oracleTmp(), 'hostlint-sysctl-oracle-test-'));
afterAll(() => rmSync(work, { recursive: true, force: true }), 120_000);

function disagreements(dir: string, c: SysctlCase, run: OracleRun, baseline: OracleRun): string[] {
  writeCase(dir, c);
  try {
    return TOOLS.flatMap((tool) => compare(dir, tool, run[tool] as ToolRun, baseline[tool] as ToolRun).map((d) => `${tool}: ${d.what}`));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('sysctl oracle: recorded disagreements replay', () => {
  it('has recorded cases', () => {
    expect(fixtures.length).toBeGreaterThan(0);
  });
  for (const f of fixtures) {
    it(`${f.name}: ${f.title}`, () => {
      expect(disagreements(path.join(work, f.name), f.case, f.oracle, f.baseline)).toEqual([]);
    });
  }
});

const unavailable = sysctlOracleUnavailable();
const runs = oracleRuns();
const seed = oracleSeed();

describe('sysctl oracle: generated trees against procps and systemd-sysctl', () => {
  if (unavailable) console.warn(`sysctl oracle NOT RUN (0 cases): ${unavailable}`);
  it.skipIf(!!unavailable)(
    unavailable ? `0 cases: cannot run here (${unavailable})` : `${runs} generated trees agree with both tools (seed ${seed})`,
    async () => {
      const cases: SysctlCase[] = [{ files: [] }, ...fc.sample(sysctlCase, { numRuns: runs, seed })];
      const results = await runSysctlOracle(cases);
      const [baseline] = results;
      const found: Array<{ case: SysctlCase; baseline: OracleRun; oracle: OracleRun; disagreements: string[] }> = [];
      for (let i = 1; i < cases.length; i++) {
        const ds = disagreements(path.join(work, `gen${i}`), cases[i]!, results[i]!, baseline!);
        if (ds.length) found.push({ case: cases[i]!, baseline: baseline!, oracle: results[i]!, disagreements: ds });
      }
      const saved = saveDisagreements('sysctl', seed, found);
      console.log(`sysctl oracle: ${runs} generated trees × procps and systemd-sysctl, seed ${seed}: ${found.length} disagreements${saved ? ` (saved in ${saved})` : ''}`);
      expect(found.slice(0, 3).map((f) => ({ files: f.case.files, disagreements: f.disagreements }))).toEqual([]);
    },
    3_600_000,
  );
});
