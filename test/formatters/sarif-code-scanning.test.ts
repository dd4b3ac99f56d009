/**
 * What GitHub code scanning needs beyond plain SARIF: its upload limits
 * (truncated with a warning, never an invalid file), fingerprints it can use
 * for files outside the checkout, baselineState, fixes, and the security tag.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { GITHUB_LIMITS, sarif } from '../../src/formatters/sarif.js';
import type { FormatOptions } from '../../src/formatters/index.js';
import type { LintReport, Location, Result, Severity } from '../../src/types.js';
import { validateSarif } from '../helpers/sarif-validator.js';
import { cleanReport, pos, reportWithResults, RULES } from './reports.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

const dir = mkdtempSync(path.join(tmpdir(), 'hostlint-sarif-gh-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function format(report: LintReport, options: Partial<FormatOptions> = {}): { text: string; log: Json; warnings: string[] } {
  const warnings: string[] = [];
  const text = sarif(report, { color: false, warn: (m) => warnings.push(m), ...options });
  return { text, log: JSON.parse(text), warnings };
}

async function expectValid(text: string): Promise<void> {
  const file = path.join(dir, `${Math.random().toString(36).slice(2)}.sarif`);
  writeFileSync(file, text);
  const v = await validateSarif(file);
  expect(v.errors, v.errors.join('\n')).toEqual([]);
}

function result(i: number, severity: Severity, related: Location[] = []): Result {
  return {
    ruleId: 'no-tcp-tw-recycle',
    severity,
    message: `Finding ${i}.`,
    file: `hosts/h${i}/etc/sysctl.conf`,
    position: pos(1, 1, 1, 10),
    related,
    fingerprint: i.toString(16).padStart(32, '0'),
  };
}

function reportOf(results: Result[]): LintReport {
  const counts = { errorCount: 0, warningCount: 0, noteCount: 0 };
  for (const r of results) counts[r.severity === 'error' ? 'errorCount' : r.severity === 'warning' ? 'warningCount' : 'noteCount']++;
  return { ...cleanReport(), ...counts, files: results.map((r) => ({ path: r.file, results: [r] })) };
}

describe("GitHub's limits", () => {
  it('keeps the 25,000 most severe results of a bigger run, in their order, and warns', () => {
    expect(GITHUB_LIMITS).toEqual({ resultsPerRun: 25_000, locationsPerResult: 1_000 });
    // A note first, then 24,999 warnings, then an error: the note goes.
    const results = [result(0, 'note'), ...Array.from({ length: 24_999 }, (_, i) => result(i + 1, 'warning')), result(25_000, 'error')];
    const { log, warnings } = format(reportOf(results));
    const kept = log.runs[0].results;
    expect(kept).toHaveLength(25_000);
    expect(kept[0].message.text).toBe('Finding 1.');
    expect(kept.at(-1).level).toBe('error');
    expect(kept.some((r: Json) => r.level === 'note')).toBe(false);
    expect(warnings).toEqual([
      "25001 results are over GitHub code scanning's limit of 25000 per run: the SARIF keeps the 25000 most severe and leaves out 1 (--format json has them all)",
    ]);
  });

  it('a truncated log is still valid (lowered limits, so the validator reads it quickly)', async () => {
    const results = [...Array.from({ length: 30 }, (_, i) => result(i, 'note')), ...Array.from({ length: 30 }, (_, i) => result(100 + i, 'error'))];
    const { text, log, warnings } = format(reportOf(results), { sarifLimits: { resultsPerRun: 40, locationsPerResult: 1_000 } });
    expect(log.runs[0].results.map((r: Json) => r.level)).toEqual([...Array(10).fill('note'), ...Array(30).fill('error')]);
    expect(warnings).toHaveLength(1);
    await expectValid(text);
  }, 120_000);

  it('nothing is cut or warned at the limit', () => {
    const { log, warnings } = format(reportOf(Array.from({ length: 50 }, (_, i) => result(i, 'warning'))), { sarifLimits: { resultsPerRun: 50, locationsPerResult: 3 } });
    expect(log.runs[0].results).toHaveLength(50);
    expect(warnings).toEqual([]);
  });

  it('cuts related locations so a result has at most 1,000 locations, warns, and the file validates', async () => {
    const related = Array.from({ length: 1_500 }, (_, i) => ({ file: `hosts/h${i}/sys/class/net/eth0/mtu`, position: pos(1, 1, 1, 5), message: `MTU ${i}` }));
    const { text, log, warnings } = format(reportOf([result(1, 'error', related), result(2, 'error', related.slice(0, 999))]));
    expect(log.runs[0].results.map((r: Json) => 1 + r.relatedLocations.length)).toEqual([1_000, 1_000]);
    expect(log.runs[0].results[0].relatedLocations.at(-1).message.text).toBe('MTU 998');
    expect(warnings).toEqual([
      "1 result has more than GitHub code scanning's 1000 locations per result: the SARIF keeps the first 999 related locations of each",
    ]);
    await expectValid(text);
  }, 120_000);
});

describe('fingerprints GitHub can use', () => {
  it('adds primaryLocationLineHash only for files outside the working directory (the upload action hashes the others)', () => {
    const inside = result(1, 'error');
    const outside = { ...result(2, 'error'), file: '/srv/snapshots/db01/etc/sysctl.conf' };
    const { log } = format(reportOf([inside, outside]));
    const [a, b] = log.runs[0].results;
    expect(a.locations[0].physicalLocation.artifactLocation).toEqual({ uri: 'hosts/h1/etc/sysctl.conf', uriBaseId: '%SRCROOT%' });
    expect(a.partialFingerprints).toEqual({ 'hostlint/v1': inside.fingerprint });
    expect(b.locations[0].physicalLocation.artifactLocation).toEqual({ uri: 'file:///srv/snapshots/db01/etc/sysctl.conf' });
    expect(b.partialFingerprints).toEqual({ 'hostlint/v1': outside.fingerprint, primaryLocationLineHash: outside.fingerprint });
  });
});

describe('baselineState, fixes and security', () => {
  it('writes baselineState when results carry it', () => {
    const r1 = { ...result(1, 'error'), baselineState: 'new' as const };
    const r2 = { ...result(2, 'error'), baselineState: 'unchanged' as const, suppressions: [{ kind: 'external' as const, justification: 'In the baseline b.json' }] };
    const { log } = format(reportOf([r1, r2]), { includeSuppressed: true });
    expect(log.runs[0].results.map((r: Json) => [r.baselineState, r.suppressions])).toEqual([
      ['new', []],
      ['unchanged', [{ kind: 'external', justification: 'In the baseline b.json' }]],
    ]);
    expect(format(reportOf([result(1, 'error')])).log.runs[0].results[0]).not.toHaveProperty('baselineState');
  });

  it('writes fixes with every edit by line/column and character offset; a deletion has no insertedContent', async () => {
    const r = {
      ...result(1, 'error'),
      fix: {
        edits: [
          { range: [30, 31] as [number, number], text: '0', position: pos(2, 27, 2, 28) },
          { range: [0, 12] as [number, number], text: '', position: pos(1, 1, 1, 13) },
        ],
      },
    };
    const { text, log } = format(reportOf([r]));
    expect(log.runs[0].results[0].fixes).toEqual([
      {
        artifactChanges: [
          {
            artifactLocation: { uri: 'hosts/h1/etc/sysctl.conf', uriBaseId: '%SRCROOT%' },
            replacements: [
              { deletedRegion: { startLine: 1, startColumn: 1, endLine: 1, endColumn: 13, charOffset: 0, charLength: 12 } },
              { deletedRegion: { startLine: 2, startColumn: 27, endLine: 2, endColumn: 28, charOffset: 30, charLength: 1 }, insertedContent: { text: '0' } },
            ],
          },
        ],
      },
    ]);
    await expectValid(text);
  }, 120_000);

  it('tags a rule with a security-severity as security', () => {
    const rule = { ...RULES[3]!, tags: ['sysctl'] };
    const { log } = format({ ...reportWithResults(), rules: [rule] });
    expect(log.runs[0].tool.driver.rules[0].properties).toEqual({ tags: ['security', 'sysctl'], precision: 'high', 'security-severity': '5.3' });
  });
});
