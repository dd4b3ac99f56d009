/**
 * Hand-built LintReports for the formatter tests, shaped like the incident
 * example: a sysctl.conf result with evidence in another file, a Calico YAML
 * result, a parse error, a resolv.conf note (one suppressed), and a clean run.
 */
import type { LintReport, Position, RuleMeta } from '../../src/types.js';

export const CWD = '/work/repo';

export function pos(line: number, column: number, endLine: number, endColumn: number): Position {
  return { start: { line, column }, end: { line: endLine, column: endColumn } };
}

const base = {
  type: 'problem',
  precision: 'high',
  languages: ['sysctl'],
  messages: {},
  fixable: false,
  examples: [],
} satisfies Partial<RuleMeta>;

export const RULES: RuleMeta[] = [
  {
    ...base,
    id: 'no-tcp-tw-recycle',
    description: 'Disallow net.ipv4.tcp_tw_recycle, which drops connections from clients behind NAT',
    rationale:
      'With `net.ipv4.tcp_tw_recycle = 1` and TCP timestamps on, the kernel drops SYNs whose timestamp is older ' +
      'than the last one seen from the same address. Clients behind one NAT address (pods on a Kubernetes node) ' +
      'then fail to connect intermittently, with no SYN-ACK.\n\n' +
      'The setting was removed in Linux 4.12; on older kernels it must stay `0`.',
    severity: 'error',
    fixable: true,
    sources: [
      {
        title: 'Linux commit 4396e46187ca (tcp: remove tcp_tw_recycle)',
        url: 'https://git.kernel.org/pub/scm/linux/kernel/git/torvalds/linux.git/commit/?id=4396e46187ca5070219b81773c4e65088dac50cc',
      },
    ],
    tags: ['sysctl', 'tcp', 'nat'],
  },
  {
    ...base,
    id: 'calico-mtu-mismatch',
    precision: 'medium',
    description: 'Require the Calico MTU to match the network MTU minus the encapsulation overhead',
    rationale:
      'IP-in-IP adds 20 bytes to every packet. A `veth_mtu` that is too small wastes bandwidth; one that is too ' +
      'large fragments or drops packets.',
    severity: 'warning',
    languages: ['kube', 'fact'],
    sources: [
      {
        title: 'Calico documentation: Configure MTU to maximize network performance',
        url: 'https://docs.tigera.io/calico/latest/networking/configuring/mtu',
      },
    ],
    tags: ['calico', 'mtu'],
  },
  {
    ...base,
    id: 'resolv-search-inherited',
    type: 'suggestion',
    description: 'Report search domains in a node resolv.conf that pods inherit',
    rationale: 'Pods with `dnsPolicy: ClusterFirst` inherit the node\'s `search` list.',
    severity: 'note',
    languages: ['resolv'],
    sources: [],
    tags: ['dns', 'kubernetes'],
  },
  {
    ...base,
    id: 'rp-filter-loose',
    description: 'Require strict reverse-path filtering on hosts that do not route asymmetrically',
    rationale: 'Loose reverse-path filtering accepts spoofed source addresses.',
    severity: 'warning',
    sources: [],
    tags: ['security', 'sysctl'],
    securitySeverity: '5.3',
  },
];

const SYSCTL = 'fixtures/examples/incident/db01/etc/sysctl.conf';
const OSRELEASE = 'fixtures/examples/incident/db01/proc/sys/kernel/osrelease';
const CALICO = 'fixtures/examples/incident/manifests/calico.yaml';
const MTU = 'fixtures/examples/incident/node01/sys/class/net/eth0/mtu';
const RESOLV = 'fixtures/examples/incident/node01/etc/resolv.conf';

/** A run with results. `parse-error` is deliberately not in `rules`. */
export function reportWithResults(): LintReport {
  return {
    cwd: CWD,
    toolVersion: '0.1.0',
    rules: RULES,
    errorCount: 2,
    warningCount: 1,
    noteCount: 1,
    files: [
      {
        path: SYSCTL,
        host: 'db01',
        results: [
          {
            ruleId: 'no-tcp-tw-recycle',
            severity: 'error',
            message:
              'net.ipv4.tcp_tw_recycle = 1 drops SYNs from clients behind NAT while TCP timestamps are on.',
            file: SYSCTL,
            position: pos(7, 1, 7, 28),
            related: [{ file: OSRELEASE, position: pos(1, 1, 1, 28), message: 'kernel release 3.10.0-1160.el7.x86_64' }],
            fix: { description: 'Set net.ipv4.tcp_tw_recycle to 0', edits: [{ range: [161, 162], text: '0' }] },
            host: 'db01',
            snippet: 'net.ipv4.tcp_tw_recycle = 1',
            fingerprint: '5b1f0c9e2d7a4e13',
          },
          {
            ruleId: 'parse-error',
            severity: 'error',
            message: 'Invalid syntax: expected `key = value`.',
            file: SYSCTL,
            position: pos(12, 1, 12, 20),
            related: [],
            host: 'db01',
            snippet: 'net.core.somaxconn 4096',
            fingerprint: '0e9d8c7b6a594837',
          },
        ],
      },
      { path: 'fixtures/examples/incident/db01/etc/sysctl.d/10-ok.conf', host: 'db01', results: [] },
      {
        path: CALICO,
        results: [
          {
            ruleId: 'calico-mtu-mismatch',
            severity: 'warning',
            message: 'veth_mtu is 1430, but IP-in-IP on a 1500-byte network needs 1480.',
            file: CALICO,
            position: pos(42, 13, 42, 19),
            related: [{ file: MTU, position: pos(1, 1, 1, 5), message: 'eth0 MTU 1500' }],
            snippet: '  veth_mtu: "1430"',
            fingerprint: 'c0ffee0123456789',
          },
        ],
      },
      {
        path: RESOLV,
        host: 'node01',
        results: [
          {
            ruleId: 'resolv-search-inherited',
            severity: 'note',
            message: 'Pods inherit the search domain corp.example.com.',
            file: RESOLV,
            position: pos(2, 8, 2, 24),
            related: [],
            host: 'node01',
            snippet: 'search corp.example.com',
          },
          {
            ruleId: 'resolv-search-inherited',
            severity: 'note',
            message: 'Pods inherit the search domain lab.example.com.',
            file: RESOLV,
            position: pos(3, 8, 3, 23),
            related: [],
            host: 'node01',
            snippet: 'search lab.example.com',
            suppressions: [{ kind: 'inSource', justification: 'lab nodes only' }],
          },
        ],
      },
    ],
  };
}

/** A run that found nothing. */
export function cleanReport(): LintReport {
  return {
    cwd: CWD,
    toolVersion: '0.1.0',
    rules: RULES,
    errorCount: 0,
    warningCount: 0,
    noteCount: 0,
    files: [
      { path: 'etc/sysctl.conf', results: [] },
      { path: 'etc/resolv.conf', results: [] },
    ],
  };
}
