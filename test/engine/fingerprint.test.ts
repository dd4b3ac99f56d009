/**
 * Fingerprints (SARIF partialFingerprints["hostlint/v1"], the key baselines
 * match on) keep a finding's identity across unrelated edits: lines inserted
 * or deleted above it, re-indentation, line endings, lines appended after it
 * in line-oriented formats; and repeated YAML leaves keep theirs when one of
 * them is fixed. They change when the flagged text changes.
 */
import { describe, expect, it } from 'vitest';
import { allResults, lintDir, writeTree } from '../helpers/lint.js';
import type { Result } from '../../src/types.js';

const KERNEL_310 = 'facts:\n  kernel: 3.10.0-1160.el7.x86_64\n';
const SYSCTL = ['# database tuning', 'net.core.somaxconn = 1024', 'net.ipv4.tcp_tw_recycle = 1', ''].join('\n');

function lint(files: Record<string, string>): Result[] {
  return allResults(lintDir(writeTree(files)));
}

function only(results: Result[], ruleId: string): Result {
  const hits = results.filter((r) => r.ruleId === ruleId);
  expect(hits).toHaveLength(1);
  return hits[0]!;
}

function twFingerprint(sysctl: string, name = 'etc/sysctl.conf'): { fingerprint: string; line: number } {
  const r = only(lint({ [name]: sysctl, '.hostlint.yaml': KERNEL_310 }), 'sysctl-tw-recycle');
  expect(r.fingerprint).toMatch(/^[0-9a-f]{32}$/);
  return { fingerprint: r.fingerprint!, line: r.position.start.line };
}

describe('fingerprints in a sysctl file', () => {
  const base = twFingerprint(SYSCTL);

  it('are unchanged when lines are inserted above the finding (the line number moves)', () => {
    const moved = twFingerprint(['# added by the platform team', 'vm.swappiness = 10', '', '# more', 'kernel.pid_max = 4194304', SYSCTL].join('\n'));
    expect(moved.line).toBe(base.line + 5);
    expect(moved.fingerprint).toBe(base.fingerprint);
    // Directly above, too.
    const adjacent = twFingerprint(SYSCTL.replace('net.ipv4.tcp_tw_recycle', 'net.ipv4.tcp_fin_timeout = 15\nnet.ipv4.tcp_tw_recycle'));
    expect(adjacent.line).toBe(base.line + 1);
    expect(adjacent.fingerprint).toBe(base.fingerprint);
  });

  it('are unchanged when lines above are deleted, or lines are appended after the finding', () => {
    expect(twFingerprint('net.ipv4.tcp_tw_recycle = 1\n').fingerprint).toBe(base.fingerprint);
    expect(twFingerprint(SYSCTL + 'net.ipv4.tcp_keepalive_time = 600\n').fingerprint).toBe(base.fingerprint);
  });

  it('are unchanged by indentation, runs of blanks, trailing blanks and CRLF line endings', () => {
    const reformatted = '# database tuning\r\nnet.core.somaxconn = 1024\r\n   net.ipv4.tcp_tw_recycle   =   1  \r\n';
    expect(twFingerprint(reformatted).fingerprint).toBe(base.fingerprint);
  });

  it('change when the flagged text, the file or the rule changes', () => {
    expect(twFingerprint(SYSCTL.replace('tcp_tw_recycle = 1', 'tcp_tw_recycle = 2')).fingerprint).not.toBe(base.fingerprint);
    expect(twFingerprint(SYSCTL, 'etc/sysctl.d/90-db.conf').fingerprint).not.toBe(base.fingerprint);
  });
});

// Two identical leaves (`value: "1430"`) flagged by the same rule.
const DAEMONSET = [
  'kind: DaemonSet',
  'apiVersion: apps/v1',
  'metadata:',
  '  name: calico-node',
  '  namespace: kube-system',
  'spec:',
  '  template:',
  '    spec:',
  '      containers:',
  '        - name: calico-node',
  '          env:',
  '            - name: CALICO_IPV4POOL_IPIP',
  '              value: "Always"',
  '            - name: FELIX_IPINIPMTU',
  '              value: "1430"',
  '            - name: FELIX_VXLANMTU',
  '              value: "1430"',
  // Both tunnels in use, so both tunnel MTUs are checked (each against its own overhead).
  '            - name: CALICO_IPV4POOL_VXLAN',
  '              value: "Always"',
  '',
].join('\n');
const MTU_1500 = 'facts:\n  physicalMtu: 1500\n';

function mtuResults(yaml: string): Result[] {
  return lint({ 'cluster/calico.yaml': yaml, '.hostlint.yaml': MTU_1500 }).filter((r) => r.ruleId === 'calico-mtu-mismatch');
}

describe('fingerprints in Kubernetes YAML', () => {
  const base = mtuResults(DAEMONSET);

  it('tell identical flagged lines apart by the line after them', () => {
    expect(base.map((r) => [r.position.start.line, r.snippet])).toEqual([
      [15, '              value: "1430"'],
      [17, '              value: "1430"'],
    ]);
    expect(base[0]!.fingerprint).not.toBe(base[1]!.fingerprint);
  });

  it('are unchanged when a document and lines are inserted above', () => {
    const moved = mtuResults('kind: ConfigMap\napiVersion: v1\nmetadata:\n  name: other\ndata:\n  a: "1"\n---\n' + DAEMONSET.replace('      containers:\n', '      hostNetwork: true\n      containers:\n'));
    expect(moved.map((r) => r.position.start.line)).toEqual([23, 25]);
    expect(moved.map((r) => r.fingerprint)).toEqual(base.map((r) => r.fingerprint));
  });

  it('keep the second finding when the first identical one is fixed', () => {
    const fixedFirst = mtuResults(DAEMONSET.replace('FELIX_IPINIPMTU\n              value: "1430"', 'FELIX_IPINIPMTU\n              value: "1480"'));
    expect(fixedFirst.map((r) => r.position.start.line)).toEqual([17]);
    expect(fixedFirst[0]!.fingerprint).toBe(base[1]!.fingerprint);
  });
});
