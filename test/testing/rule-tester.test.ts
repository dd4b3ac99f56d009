/**
 * RuleTester (src/testing): cases for rules with fixes, through the same
 * engine and autofix the CLI uses, and the tester's own failures — it must
 * fail on a wrong position, a missing or extra result, a wrong or missing
 * fixed output, and on malformed cases.
 */
import { describe, expect, it } from 'vitest';
import { rules } from '../../rules/index.js';
import type { Rule } from '../../src/rule-api.js';
import { RuleTester, messageIdOf, type InvalidCase, type RuleTests } from '../../src/testing/index.js';

RuleTester.describe = describe;
RuleTester.it = it;
const tester = new RuleTester();
const RHEL7 = { kernel: '3.10.0-1160.el7.x86_64' };

tester.run('sysctl-tw-recycle', {
  valid: [
    { code: 'net.ipv4.tcp_tw_recycle = 0\n', language: 'sysctl', facts: RHEL7 },
    // The drop needs TCP timestamps.
    { code: 'net.ipv4.tcp_tw_recycle = 1\nnet.ipv4.tcp_timestamps = 0\n', language: 'sysctl', facts: RHEL7 },
    // No NAT in front of the host: nothing is dropped.
    { code: 'net.ipv4.tcp_tw_recycle = 1\n', language: 'sysctl', facts: { ...RHEL7, nat: false } },
  ],
  invalid: [
    {
      code: 'net.ipv4.tcp_tw_recycle = 1\n',
      language: 'sysctl',
      facts: RHEL7,
      errors: [
        {
          messageId: 'natDrop',
          message: '`net.ipv4.tcp_tw_recycle = 1` with TCP timestamps on makes kernel 3.10.0-1160.el7.x86_64 drop SYNs from clients behind NAT; set it to 0',
          severity: 'error',
          line: 1,
          column: 27,
          endLine: 1,
          endColumn: 28,
        },
      ],
      output: 'net.ipv4.tcp_tw_recycle = 0\n',
    },
    {
      name: 'the last assignment wins, and only it is fixed',
      code: '# tuning\nnet.ipv4.tcp_tw_recycle = 1\nnet.ipv4.tcp_tw_recycle=2\n',
      language: 'sysctl',
      facts: RHEL7,
      errors: [{ messageId: 'natDrop', line: 3, column: 25, endLine: 3, endColumn: 26 }],
      output: '# tuning\nnet.ipv4.tcp_tw_recycle = 1\nnet.ipv4.tcp_tw_recycle=0\n',
    },
    {
      name: 'an unknown kernel demotes the finding',
      code: 'net.ipv4.tcp_tw_recycle = 1\n',
      filename: 'etc/sysctl.conf',
      errors: [{ messageId: 'unknownKernel', severity: 'warning', file: 'etc/sysctl.conf', line: 1, column: 27, endLine: 1, endColumn: 28 }],
      output: 'net.ipv4.tcp_tw_recycle = 0\n',
    },
  ],
});

tester.run('k8s-ip-forward', {
  valid: [
    { code: 'net.ipv4.ip_forward = 1\n', filename: 'etc/sysctl.d/k8s.conf', facts: { kubernetesNode: true } },
    { code: 'net.ipv4.ip_forward = 0\n', filename: 'etc/sysctl.d/60-hardening.conf', facts: { kubernetesNode: false } },
  ],
  invalid: [
    {
      code: 'net.ipv4.ip_forward = 0\n',
      filename: 'etc/sysctl.d/60-hardening.conf',
      facts: { kubernetesNode: true },
      errors: [
        {
          messageId: 'configured',
          message: '`net.ipv4.ip_forward = 0` on a Kubernetes node: pod and Service traffic cannot be routed; set it to 1',
          line: 1,
          column: 23,
          endLine: 1,
          endColumn: 24,
        },
      ],
      output: 'net.ipv4.ip_forward = 1\n',
    },
  ],
});

tester.run('resolv-options', {
  valid: [{ code: 'nameserver 10.0.0.1\noptions ndots:5 timeout:2\n', language: 'resolv' }],
  invalid: [
    {
      code: 'nameserver 10.0.0.1\noptions ndots:20 timeout:2\n',
      language: 'resolv',
      errors: [{ messageId: 'capped', message: "`ndots:20` is above glibc's maximum of 15; glibc uses 15", severity: 'note', line: 2, column: 9, endLine: 2, endColumn: 17 }],
      output: 'nameserver 10.0.0.1\noptions ndots:15 timeout:2\n',
    },
  ],
});

tester.run('resolv-max-nameservers', {
  valid: [{ code: 'nameserver 10.0.0.1\nnameserver 10.0.0.2\nnameserver 10.0.0.3\n', language: 'resolv' }],
  invalid: [
    {
      code: 'nameserver 10.0.0.1\nnameserver 10.0.0.2\nnameserver 10.0.0.3\nnameserver 10.0.0.4\nnameserver 10.0.0.5\n',
      language: 'resolv',
      errors: [
        { messageId: 'extra', line: 4, column: 12, endLine: 4, endColumn: 20 },
        { messageId: 'extra', message: 'Nameserver `10.0.0.5` is number 5 in the list; glibc, musl and the kubelet use only the first 3, so it is never queried', line: 5, column: 12 },
      ],
      output: null,
    },
  ],
});

describe('RuleTester fails when it should', () => {
  // Outside a framework, `run` checks every case and throws at the first failure.
  const check = (id: Rule | string, tests: RuleTests) => {
    const saved = [RuleTester.describe, RuleTester.it] as const;
    RuleTester.describe = undefined;
    RuleTester.it = undefined;
    try {
      new RuleTester().run(id, tests);
    } finally {
      [RuleTester.describe, RuleTester.it] = saved;
    }
  };
  const good: InvalidCase = {
    code: 'net.ipv4.ip_forward = 0\n',
    filename: 'etc/sysctl.d/60-hardening.conf',
    facts: { kubernetesNode: true },
    errors: [{ messageId: 'configured', line: 1, column: 23, endLine: 1, endColumn: 24 }],
    output: 'net.ipv4.ip_forward = 1\n',
  };
  const invalid = (c: Partial<InvalidCase>) => check('k8s-ip-forward', { valid: [], invalid: [{ ...good, ...c }] });

  it('passes the good case', () => {
    expect(() => invalid({})).not.toThrow();
  });

  it('fails on a wrong line, column, endLine or endColumn', () => {
    expect(() => invalid({ errors: [{ messageId: 'configured', line: 2 }] })).toThrow(/result 1 .*: line/);
    expect(() => invalid({ errors: [{ messageId: 'configured', line: 1, column: 22 }] })).toThrow(/: column/);
    expect(() => invalid({ errors: [{ messageId: 'configured', endLine: 2 }] })).toThrow(/: endLine/);
    expect(() => invalid({ errors: [{ messageId: 'configured', endColumn: 25 }] })).toThrow(/: endColumn/);
  });

  it('fails on a wrong message id, message, severity or file', () => {
    expect(() => invalid({ errors: [{ messageId: 'perInterface' }] })).toThrow(/: message id/);
    expect(() => invalid({ errors: [{ message: 'IPv4 forwarding is off' }] })).toThrow(/: message/);
    expect(() => invalid({ errors: [{ messageId: 'configured', severity: 'warning' }] })).toThrow(/: severity/);
    expect(() => invalid({ errors: [{ messageId: 'configured', file: 'etc/sysctl.conf' }] })).toThrow(/: file/);
  });

  it('fails on a missing error and on an extra one', () => {
    // The rule reports one result; the case expects two.
    expect(() => invalid({ errors: [{ messageId: 'configured' }, { messageId: 'configured' }] })).toThrow(/expected 2 result\(s\), got 1/);
    // Two files each give a result; the case expects one.
    expect(() =>
      invalid({ files: { 'etc/sysctl.d/70-more.conf': 'net.ipv4.ip_forward = 0\n' }, errors: [{ messageId: 'configured' }], output: { 'etc/sysctl.d/70-more.conf': 'net.ipv4.ip_forward = 1\n' } }),
    ).toThrow(/expected 1 result\(s\), got 2/);
    expect(() => invalid({ errors: 2 })).toThrow(/expected 2 result\(s\), got 1/);
  });

  it('fails on a wrong output, a missing output, and `output: null` when a fix applies', () => {
    expect(() => invalid({ output: 'net.ipv4.ip_forward = 0\n' })).toThrow(/fixed output/);
    expect(() => invalid({ output: undefined })).toThrow(/the fixes changed the text: the case needs `output`/);
    expect(() => invalid({ output: null })).toThrow(/expected no fix/);
  });

  it('fails on a valid case that gives results', () => {
    expect(() => check('k8s-ip-forward', { valid: [{ code: 'net.ipv4.ip_forward = 0\n', language: 'sysctl', facts: { kubernetesNode: true } }], invalid: [] })).toThrow(/a valid case gave results/);
  });

  it('fails on malformed cases', () => {
    expect(() => check('k8s-ip-forward', { valid: [{ ...good } as never], invalid: [] })).toThrow(/a valid case must not have `errors`/);
    expect(() => invalid({ errors: [] })).toThrow(/at least one error/);
    expect(() => invalid({ errors: [{ line: 1 }] })).toThrow(/a `messageId` or a `message`/);
    expect(() => invalid({ errors: [{ messageId: 'nope' }] })).toThrow(/`nope` is not a message id of k8s-ip-forward/);
    expect(() => check('k8s-ip-forward', { valid: [], invalid: [good, { ...good }] })).toThrow(/duplicate test case/);
    expect(() => check('resolv-max-nameservers', { valid: [], invalid: [{ code: 'nameserver 1.1.1.1\n', language: 'resolv', errors: 1, output: 'x' }] })).toThrow(/not meta.fixable/);
    expect(() => check('no-such-rule', { valid: [], invalid: [] })).toThrow(/no rule `no-such-rule`/);
    expect(() => check('k8s-ip-forward', { valid: [{ code: 'x = 1\n' }], invalid: [] })).toThrow(/needs a `filename` or a `language`/);
  });

  it('takes a rule object as well as an id', () => {
    const rule = rules.find((r) => r.meta.id === 'k8s-ip-forward')!;
    expect(() => check(rule, { valid: [], invalid: [good] })).not.toThrow();
    expect(() => check(rule, { valid: [good as never], invalid: [] })).toThrow(/a valid case must not have `errors`/);
    expect(messageIdOf(rule, { message: '`net.ipv4.ip_forward = 0` on a Kubernetes node: pod and Service traffic cannot be routed; set it to 1' })).toBe('configured');
    expect(messageIdOf(rule, { message: 'something else' })).toBeUndefined();
  });
});
