/**
 * SARIF the formatter writes must pass Microsoft's SARIF Multitool with the
 * GitHub ingestion rules (GH1001…GH2012) and the SARIF rules: no errors, and
 * no warnings once the tool has an informationUri (hostlint has no published
 * home page yet, so by default SARIF2005 "provide informationUri" remains).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { sarif } from '../../src/formatters/sarif.js';
import type { FormatOptions } from '../../src/formatters/index.js';
import type { LintReport } from '../../src/types.js';
import { validateSarif, type SarifValidation } from '../helpers/sarif-validator.js';
import { cleanReport, pos, reportWithResults } from './reports.js';

const TIMEOUT = 120_000;
const INFORMATION_URI = 'https://hostlint.test/';
const dir = mkdtempSync(path.join(tmpdir(), 'hostlint-sarif-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let n = 0;
async function validate(text: string): Promise<SarifValidation> {
  const file = path.join(dir, `log-${++n}.sarif`);
  writeFileSync(file, text);
  return validateSarif(file);
}

async function validateReport(report: LintReport, options: Partial<FormatOptions> = {}): Promise<SarifValidation> {
  return validate(sarif(report, { color: false, informationUri: INFORMATION_URI, ...options }));
}

function expectClean(v: SarifValidation): void {
  expect(v.errors, `validator errors:\n${v.errors.join('\n')}`).toEqual([]);
  expect(v.warnings, `validator warnings:\n${v.warnings.join('\n')}`).toEqual([]);
}

describe('SARIF Multitool validation', () => {
  it(
    'passes for a report with results',
    async () => {
      expectClean(await validateReport(reportWithResults(), { sarifCategory: 'hostlint' }));
    },
    TIMEOUT,
  );

  it(
    'passes for a clean report',
    async () => {
      expectClean(await validateReport(cleanReport()));
    },
    TIMEOUT,
  );

  it(
    'passes with suppressed results, files outside the working directory and odd positions',
    async () => {
      const report = reportWithResults();
      report.files[2]!.results[0]!.related.push({ file: '/etc/cni/net.d/10 calico.conflist', position: pos(3, 5, 3, 9) });
      report.files.push({
        path: '../outside/sysctl.conf',
        results: [
          {
            ruleId: 'no-tcp-tw-recycle',
            severity: 'error',
            message: 'net.ipv4.tcp_tw_recycle = 1 drops SYNs from clients behind NAT.',
            file: '../outside/sysctl.conf',
            position: pos(0, 0, 0, 0),
            related: [],
          },
        ],
      });
      report.files.push({
        path: 'odd dir/ü#1.conf',
        results: [
          {
            ruleId: 'unused-disable-directive',
            severity: 'warning',
            message: '',
            file: 'odd dir/ü#1.conf',
            position: pos(4, 3, 2, 1),
            related: [{ file: 'odd dir/ü#1.conf', position: pos(1, 1, 1, 1) }],
            snippet: '# hostlint-disable-line no-tcp-tw-recycle',
          },
        ],
      });
      expectClean(await validateReport(report, { includeSuppressed: true, sarifCategory: 'hostlint/fleet/' }));
    },
    TIMEOUT,
  );

  it(
    'passes with evidence linked from messages, literal brackets escaped, and related locations without a message',
    async () => {
      const report = reportWithResults();
      const result = report.files[0]!.results[0]!;
      result.message = 'Key net.ipv4.conf.[eth0].rp_filter [sic] is set; see [1](2)';
      result.related.push({ file: 'fixtures/examples/incident/db01/etc/sysctl.d/10-ok.conf', position: pos(2, 1, 2, 9) });
      result.related.push({ file: 'fixtures/examples/incident/db01/proc/sys/net/x', position: pos(1, 1, 1, 2), message: 'live value [2] of eth0' });
      const text = sarif(report, { color: false, informationUri: INFORMATION_URI });
      expect(JSON.parse(text).runs[0].results[0].message.text).toBe(
        'Key net.ipv4.conf.\\[eth0\\].rp_filter \\[sic\\] is set; see \\[1\\](2). Evidence: [kernel release 3.10.0-1160.el7.x86_64](1), ' +
          '[fixtures/examples/incident/db01/etc/sysctl.d/10-ok.conf:2](2), [live value \\[2\\] of eth0](3).',
      );
      expectClean(await validate(text));
    },
    TIMEOUT,
  );

  it(
    'without an informationUri, the only finding is the SARIF2005 warning that asks for one',
    async () => {
      const v = await validate(sarif(reportWithResults(), { color: false }));
      expect(v.errors, v.errors.join('\n')).toEqual([]);
      expect(v.warnings).toHaveLength(1);
      expect(v.warnings[0]).toMatch(/^SARIF2005\b.*informationUri/);
    },
    TIMEOUT,
  );

  it(
    'the validator does catch what GitHub rejects (the helper is not vacuous)',
    async () => {
      const log = JSON.parse(sarif(reportWithResults(), { color: false, informationUri: INFORMATION_URI }));
      delete log.runs[0].tool.driver.rules[0].help;
      delete log.runs[0].results[0].locations[0].physicalLocation.artifactLocation;
      const v = await validate(JSON.stringify(log));
      expect(v.errors.some((e) => e.startsWith('GH2012'))).toBe(true);
      expect(v.errors.length).toBeGreaterThanOrEqual(2);
    },
    TIMEOUT,
  );

  it(
    'reports logs the Multitool silently accepts because it cannot read them (schema check)',
    async () => {
      const log = JSON.parse(sarif(reportWithResults(), { color: false, informationUri: INFORMATION_URI }));
      log.runs[0].results[0].level = 'fatal';
      const v = await validate(JSON.stringify(log));
      expect(v.errors).toEqual([
        expect.stringMatching(/^SCHEMA \(\/runs\/0\/results\/0\/level\): must be equal to one of the allowed values/),
      ]);
    },
    TIMEOUT,
  );
});
