import { describe, expect, it } from 'vitest';
import { escapeData, escapeProperty, github } from '../../src/formatters/github.js';
import { cleanReport, pos, reportWithResults } from './reports.js';

describe('github formatter (workflow commands)', () => {
  it('writes one annotation per result: error, warning, notice; host and evidence in the message', () => {
    expect(github(reportWithResults(), { color: false })).toBe(
      [
        '::error file=fixtures/examples/incident/db01/etc/sysctl.conf,line=7,col=1,endLine=7,endColumn=28,title=hostlint (no-tcp-tw-recycle)::' +
          'net.ipv4.tcp_tw_recycle = 1 drops SYNs from clients behind NAT while TCP timestamps are on. (host db01)' +
          '%0Afixtures/examples/incident/db01/proc/sys/kernel/osrelease:1:1 kernel release 3.10.0-1160.el7.x86_64',
        '::error file=fixtures/examples/incident/db01/etc/sysctl.conf,line=12,col=1,endLine=12,endColumn=20,title=hostlint (parse-error)::' +
          'Invalid syntax: expected `key = value`. (host db01)',
        '::warning file=fixtures/examples/incident/manifests/calico.yaml,line=42,col=13,endLine=42,endColumn=19,title=hostlint (calico-mtu-mismatch)::' +
          'veth_mtu is 1430, but IP-in-IP on a 1500-byte network needs 1480.%0Afixtures/examples/incident/node01/sys/class/net/eth0/mtu:1:1 eth0 MTU 1500',
        '::notice file=fixtures/examples/incident/node01/etc/resolv.conf,line=2,col=8,endLine=2,endColumn=24,title=hostlint (resolv-search-inherited)::' +
          'Pods inherit the search domain corp.example.com. (host node01)',
        '',
      ].join('\n'),
    );
  });

  it('shows suppressed results only when asked, marked', () => {
    const out = github(reportWithResults(), { color: false, includeSuppressed: true }).split('\n');
    expect(out).toHaveLength(6);
    expect(out[4]).toBe(
      '::notice file=fixtures/examples/incident/node01/etc/resolv.conf,line=3,col=8,endLine=3,endColumn=23,title=hostlint (resolv-search-inherited)::' +
        'Pods inherit the search domain lab.example.com. (host node01) (suppressed)',
    );
  });

  it('prints nothing for a clean run', () => {
    expect(github(cleanReport(), { color: false })).toBe('');
  });

  it('escapes as @actions/core does: % CR LF in data; also : and , in properties', () => {
    expect(escapeData('100% done\r\nnext: a, b')).toBe('100%25 done%0D%0Anext: a, b');
    expect(escapeProperty('a:b,c%d\ne')).toBe('a%3Ab%2Cc%25d%0Ae');
    const report = cleanReport();
    report.files = [
      {
        path: 'odd, dir/a:b.conf',
        results: [{ ruleId: 'x', severity: 'error', message: '50% of\nlines', file: 'odd, dir/a:b.conf', position: pos(1, 2, 3, 4), related: [] }],
      },
    ];
    expect(github(report, { color: false })).toBe('::error file=odd%2C dir/a%3Ab.conf,line=1,col=2,endLine=3,endColumn=4,title=hostlint (x)::50%25 of%0Alines\n');
  });
});
