import { stripVTControlCharacters } from 'node:util';
import { describe, expect, it } from 'vitest';
import { stylish } from '../../src/formatters/stylish.js';
import type { LintReport } from '../../src/types.js';
import { CWD, cleanReport, pos, reportWithResults, RULES } from './reports.js';

describe('stylish formatter', () => {
  it('prints files, aligned rows and a summary', () => {
    expect(stylish(reportWithResults(), { color: false })).toBe(
      [
        '',
        'fixtures/examples/incident/db01/etc/sysctl.conf  (host db01)',
        '   7:1  error  net.ipv4.tcp_tw_recycle = 1 drops SYNs from clients behind NAT while TCP timestamps are on  no-tcp-tw-recycle',
        '  12:1  error  Invalid syntax: expected `key = value`                                                      parse-error',
        '',
        'fixtures/examples/incident/manifests/calico.yaml',
        '  42:13  warning  veth_mtu is 1430, but IP-in-IP on a 1500-byte network needs 1480  calico-mtu-mismatch',
        '',
        'fixtures/examples/incident/node01/etc/resolv.conf  (host node01)',
        '  2:8  note  Pods inherit the search domain corp.example.com  resolv-search-inherited',
        '',
        '✖ 4 problems (2 errors, 1 warning, 1 note)',
        '',
      ].join('\n'),
    );
  });

  it('aligns line numbers right and the other columns left, per file', () => {
    const report: LintReport = {
      cwd: CWD,
      toolVersion: '0.1.0',
      rules: RULES,
      errorCount: 1,
      warningCount: 1,
      noteCount: 1,
      files: [
        {
          path: 'etc/sysctl.conf',
          results: [
            { ruleId: 'a', severity: 'error', message: 'First.', file: 'etc/sysctl.conf', position: pos(3, 5, 3, 9), related: [] },
            {
              ruleId: 'bb',
              severity: 'warning',
              message: 'Second message',
              file: 'etc/sysctl.conf',
              position: pos(10, 17, 10, 20),
              related: [],
            },
            { ruleId: 'c', severity: 'note', message: 'v1.2.', file: 'etc/sysctl.conf', position: pos(120, 1, 120, 2), related: [] },
          ],
        },
      ],
    };
    expect(stylish(report, { color: false })).toBe(
      [
        '',
        'etc/sysctl.conf',
        '    3:5   error    First           a',
        '   10:17  warning  Second message  bb',
        '  120:1   note     v1.2            c',
        '',
        '✖ 3 problems (1 error, 1 warning, 1 note)',
        '',
      ].join('\n'),
    );
  });

  it('uses singular words for counts of one and keeps multi-line messages on one row', () => {
    const report: LintReport = {
      ...cleanReport(),
      errorCount: 1,
      files: [
        {
          path: 'etc/resolv.conf',
          results: [
            {
              ruleId: 'x',
              severity: 'error',
              message: 'Line one\nline two.',
              file: 'etc/resolv.conf',
              position: pos(1, 1, 1, 2),
              related: [],
            },
          ],
        },
      ],
    };
    expect(stylish(report, { color: false })).toBe(
      ['', 'etc/resolv.conf', '  1:1  error  Line one line two  x', '', '✖ 1 problem (1 error, 0 warnings, 0 notes)', ''].join(
        '\n',
      ),
    );
  });

  it('prints nothing for a clean run', () => {
    expect(stylish(cleanReport(), { color: false })).toBe('');
    expect(stylish(cleanReport(), { color: true })).toBe('');
  });

  it('prints nothing when every result is suppressed', () => {
    const report = reportWithResults();
    report.files = [report.files[3]!];
    report.files[0]!.results = report.files[0]!.results.slice(1);
    expect(stylish(report, { color: false })).toBe('');
  });

  it('shows suppressed results, marked, with includeSuppressed', () => {
    const out = stylish(reportWithResults(), { color: false, includeSuppressed: true });
    expect(out).toContain(
      [
        'fixtures/examples/incident/node01/etc/resolv.conf  (host node01)',
        '  2:8  note  Pods inherit the search domain corp.example.com              resolv-search-inherited',
        '  3:8  note  Pods inherit the search domain lab.example.com (suppressed)  resolv-search-inherited',
      ].join('\n'),
    );
    // Suppressed results are not problems.
    expect(out).toContain('✖ 4 problems (2 errors, 1 warning, 1 note)');
  });

  it('colours only when asked, and colour does not change the text', () => {
    const plain = stylish(reportWithResults(), { color: false });
    const coloured = stylish(reportWithResults(), { color: true });
    // eslint-disable-next-line no-control-regex -- an ANSI escape, on purpose
    expect(plain).not.toMatch(/\u001b\[/);
    // eslint-disable-next-line no-control-regex -- an ANSI escape, on purpose
    expect(coloured).toMatch(/\u001b\[/);
    expect(stripVTControlCharacters(coloured)).toBe(plain);
    expect(coloured).toContain('\u001b[4mfixtures/examples/incident/db01/etc/sysctl.conf\u001b[24m');
    expect(coloured).toContain('\u001b[31merror\u001b[39m');
    expect(coloured).toContain('\u001b[33mwarning\u001b[39m');
    expect(coloured).toContain('\u001b[36mnote\u001b[39m');
    expect(coloured).toContain('\u001b[2m 7:1\u001b[22m');
    expect(coloured).toContain('\u001b[1m\u001b[31m✖ 4 problems');
  });
});
