import { describe, expect, it } from 'vitest';
import { json } from '../../src/formatters/json.js';
import { cleanReport, reportWithResults } from './reports.js';

const SYSCTL = 'fixtures/examples/incident/db01/etc/sysctl.conf';

const expected = {
  version: 1,
  tool: { name: 'hostlint', version: '0.1.0' },
  summary: { files: 4, errorCount: 2, warningCount: 1, noteCount: 1 },
  results: [
    {
      ruleId: 'no-tcp-tw-recycle',
      severity: 'error',
      message: 'net.ipv4.tcp_tw_recycle = 1 drops SYNs from clients behind NAT while TCP timestamps are on.',
      file: SYSCTL,
      host: 'db01',
      line: 7,
      column: 1,
      endLine: 7,
      endColumn: 28,
      related: [
        {
          file: 'fixtures/examples/incident/db01/proc/sys/kernel/osrelease',
          line: 1,
          column: 1,
          endLine: 1,
          endColumn: 28,
          message: 'kernel release 3.10.0-1160.el7.x86_64',
        },
      ],
      fix: { description: 'Set net.ipv4.tcp_tw_recycle to 0', edits: [{ range: [161, 162], text: '0' }] },
      fingerprint: '5b1f0c9e2d7a4e13',
    },
    {
      ruleId: 'parse-error',
      severity: 'error',
      message: 'Invalid syntax: expected `key = value`.',
      file: SYSCTL,
      host: 'db01',
      line: 12,
      column: 1,
      endLine: 12,
      endColumn: 20,
      related: [],
      fingerprint: '0e9d8c7b6a594837',
    },
    {
      ruleId: 'calico-mtu-mismatch',
      severity: 'warning',
      message: 'veth_mtu is 1430, but IP-in-IP on a 1500-byte network needs 1480.',
      file: 'fixtures/examples/incident/manifests/calico.yaml',
      line: 42,
      column: 13,
      endLine: 42,
      endColumn: 19,
      related: [
        {
          file: 'fixtures/examples/incident/node01/sys/class/net/eth0/mtu',
          line: 1,
          column: 1,
          endLine: 1,
          endColumn: 5,
          message: 'eth0 MTU 1500',
        },
      ],
      fingerprint: 'c0ffee0123456789',
    },
    {
      ruleId: 'resolv-search-inherited',
      severity: 'note',
      message: 'Pods inherit the search domain corp.example.com.',
      file: 'fixtures/examples/incident/node01/etc/resolv.conf',
      host: 'node01',
      line: 2,
      column: 8,
      endLine: 2,
      endColumn: 24,
      related: [],
    },
  ],
};

describe('json formatter', () => {
  it('writes the documented shape, pretty-printed, with a final newline', () => {
    expect(json(reportWithResults(), { color: false })).toBe(JSON.stringify(expected, null, 2) + '\n');
  });

  it('writes an empty results array for a clean run', () => {
    expect(JSON.parse(json(cleanReport(), { color: false }))).toEqual({
      version: 1,
      tool: { name: 'hostlint', version: '0.1.0' },
      summary: { files: 2, errorCount: 0, warningCount: 0, noteCount: 0 },
      results: [],
    });
  });

  it('includes suppressed results, with their suppressions, only when asked', () => {
    const out = JSON.parse(json(reportWithResults(), { color: true, includeSuppressed: true }));
    expect(out.results).toHaveLength(5);
    expect(out.summary).toEqual(expected.summary);
    expect(out.results[4]).toEqual({
      ruleId: 'resolv-search-inherited',
      severity: 'note',
      message: 'Pods inherit the search domain lab.example.com.',
      file: 'fixtures/examples/incident/node01/etc/resolv.conf',
      host: 'node01',
      line: 3,
      column: 8,
      endLine: 3,
      endColumn: 23,
      related: [],
      suppressions: [{ kind: 'inSource', justification: 'lab nodes only' }],
    });
    expect(out.results.slice(0, 4).every((r: object) => !('suppressions' in r))).toBe(true);
  });

  it('takes the host from the file when the result has none, and "" for a related location without message', () => {
    const report = reportWithResults();
    delete report.files[0]!.results[0]!.host;
    delete report.files[0]!.results[0]!.related[0]!.message;
    const out = JSON.parse(json(report, { color: false }));
    expect(out.results[0].host).toBe('db01');
    expect(out.results[0].related[0].message).toBe('');
  });
});
