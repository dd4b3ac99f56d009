import { defineRule, evidenceOf, kernelBefore, sysctlInt, type SysctlAssignmentNode, type SourceFile } from '../src/rule-api.js';

const KEY = 'net.ipv4.tcp_timestamps';

export default defineRule({
  meta: {
    id: 'sysctl-timestamps-value',
    type: 'problem',
    description: 'Require `net.ipv4.tcp_timestamps` to be 0, 1 or 2, and 2 only on kernels that have it',
    rationale: [
      '`net.ipv4.tcp_timestamps` turns RFC 1323/7323 TCP timestamps off (**0**) or on with a random offset per connection (**1**, the default); **2** turns them on without the random offsets. Per-connection offsets came with Linux 4.10 (commit 95a22caee396, "tcp: randomize tcp timestamp offsets for each connection"), and with them the value 2: tcp(7) calls it "meaningful since Linux 4.10".',
      'The kernel does not bound the value, so a typo such as `3` or `11` is accepted silently (the offsets are only drawn for exactly 1) and gives a setting nobody documented; a non-number is rejected (`EINVAL`) and the old value stays. On a kernel before 4.10, `2` is read as a plain boolean "on" — harmless, since those kernels have no offsets to disable, but it does not do what the line claims (reported one level lower).',
      'Timestamps matter beyond tuning: `net.ipv4.tcp_tw_recycle` drops SYNs from clients behind NAT only while timestamps are on (see `sysctl-tw-recycle`), and `tcp_tw_reuse` relies on them.',
    ].join('\n\n'),
    severity: 'warning',
    precision: 'medium',
    languages: ['sysctl'],
    messages: {
      notNumber: '`net.ipv4.tcp_timestamps = {{value}}` is not a number: the kernel rejects the write; use 0, 1 or 2',
      outOfRange: '`net.ipv4.tcp_timestamps = {{value}}` is not one of the documented values 0 (off), 1 (on, random offsets) or 2 (on, no random offsets)',
      twoOnOldKernel: '`net.ipv4.tcp_timestamps = 2` (timestamps without random offsets) exists since Linux 4.10; kernel {{kernel}} reads it as 1 and has no per-connection offsets anyway',
    },
    sources: [
      { title: 'Linux ip-sysctl: tcp_timestamps - INTEGER (0, 1, 2; default 1)', url: 'https://docs.kernel.org/networking/ip-sysctl.html' },
      { title: 'tcp(7): tcp_timestamps, value 2 "meaningful since Linux 4.10"', url: 'https://man7.org/linux/man-pages/man7/tcp.7.html' },
      { title: 'Linux commit 95a22caee396 "tcp: randomize tcp timestamp offsets for each connection" (first released in 4.10)', url: 'https://github.com/torvalds/linux/commit/95a22caee396cef0bb2ca8fafdd82966a49367bb' },
      { title: 'Linux net/core/secure_seq.c: secure_tcp_ts_off() returns 0 unless tcp_timestamps is exactly 1', url: 'https://git.kernel.org/pub/scm/linux/kernel/git/torvalds/linux.git/tree/net/core/secure_seq.c' },
      { title: 'Linux net/ipv4/sysctl_net_ipv4.c: tcp_timestamps has no bounds (proc_dou8vec_minmax without extra1/extra2)', url: 'https://git.kernel.org/pub/scm/linux/kernel/git/torvalds/linux.git/tree/net/ipv4/sysctl_net_ipv4.c' },
    ],
    tags: ['sysctl', 'tcp', 'kernel'],
    fixable: false,
    examples: [
      {
        title: 'A typo the kernel accepts',
        filename: 'etc/sysctl.d/90-tcp.conf',
        code: 'net.ipv4.tcp_timestamps = 11\n',
        expect: 1,
      },
      {
        title: 'No random offsets, on a kernel that has them',
        filename: 'etc/sysctl.d/90-tcp.conf',
        code: 'net.ipv4.tcp_timestamps = 2\n',
        facts: { kernel: '5.15.0-91-generic' },
        expect: 'valid',
      },
      {
        title: 'Value 2 on a 3.10 kernel',
        filename: 'etc/sysctl.d/90-tcp.conf',
        code: 'net.ipv4.tcp_timestamps = 2\n',
        facts: { kernel: '3.10.0-1160.el7.x86_64' },
        expect: 1,
      },
    ],
  },
  create(context) {
    return {
      'sysctl:assignment'(node: SysctlAssignmentNode, file: SourceFile) {
        if (node.key.name !== KEY) return;
        const raw = node.value.value;
        const value = sysctlInt(raw);
        const kernel = context.scope.facts(file).kernel;
        if (value === undefined) {
          context.report({ messageId: 'notNumber', node: node.value, data: { value: raw } });
        } else if (value < 0 || value > 2) {
          context.report({ messageId: 'outOfRange', node: node.value, data: { value } });
        } else if (value === 2 && kernelBefore(kernel, '4.10.0') === true && kernel.known) {
          context.report({ messageId: 'twoOnOldKernel', node: node.value, data: { kernel: kernel.value.release }, related: evidenceOf(kernel), demote: 1 });
        }
      },
    };
  },
});
