/**
 * k8s-ip-forward's fix never rewrites a glob line (issue 12, wrong answer 6):
 * `net.*.conf.*.forwarding = 0` set to 1 would also turn on IPv6 forwarding
 * on every interface. It inserts an explicit `net.ipv4.ip_forward = 1` after
 * the glob instead; a plain key still gets its value replaced.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { applyFixes } from '../src/engine/fix.js';
import { allResults, lintDir, writeTree } from './helpers/lint.js';

const fixture = fileURLToPath(new URL('../fixtures/rules/k8s-ip-forward/invalid-glob-forwarding-after-k8s-conf/', import.meta.url));

function fixOf(cwd: string, file: string): string {
  const results = allResults(lintDir(cwd)).filter((r) => r.ruleId === 'k8s-ip-forward' && r.file === file);
  expect(results).toHaveLength(1);
  const text = readFileSync(`${cwd}/${file}`, 'utf8');
  return applyFixes(text, [results[0]!.fix!]).output;
}

describe('k8s-ip-forward fix', () => {
  it('inserts net.ipv4.ip_forward = 1 after a glob line and leaves the glob as written', () => {
    expect(fixOf(fixture, 'node-12/etc/sysctl.d/security-baseline.conf')).toBe(
      '# Site baseline: hosts are not routers.\nnet.ipv4.conf.*.forwarding = 0\nnet.ipv4.ip_forward = 1\nnet.ipv4.conf.*.send_redirects = 0\n',
    );
  });

  it('never rewrites a glob that also matches IPv6 keys; keeps CRLF and a missing final newline', () => {
    const cwd = writeTree({ '.hostlint.yaml': 'facts:\n  kubernetesNode: true\n', 'etc/sysctl.d/90-lock.conf': '# no routing\r\nnet.*.conf.*.forwarding = 0' });
    expect(fixOf(cwd, 'etc/sysctl.d/90-lock.conf')).toBe('# no routing\r\nnet.*.conf.*.forwarding = 0\r\nnet.ipv4.ip_forward = 1\r\n');
  });

  it('replaces the value of a plain key', () => {
    const cwd = writeTree({ '.hostlint.yaml': 'facts:\n  kubernetesNode: true\n', 'etc/sysctl.d/60-hardening.conf': 'net.ipv4.ip_forward = 0\n' });
    expect(fixOf(cwd, 'etc/sysctl.d/60-hardening.conf')).toBe('net.ipv4.ip_forward = 1\n');
  });
});
