import { defineRule, evidenceOf, kernelBefore, sysctlInt, type SysctlAssignmentNode, type SourceFile } from '../src/rule-api.js';

const KEY = 'net.ipv4.tcp_tw_reuse';

export default defineRule({
  meta: {
    id: 'sysctl-tw-reuse-value',
    type: 'problem',
    description: 'Require `net.ipv4.tcp_tw_reuse` to be a value the host\'s kernel gives the intended meaning',
    rationale: [
      '`net.ipv4.tcp_tw_reuse` lets outgoing connections reuse sockets in TIME-WAIT. Since Linux 4.18 (commit 79e9fed46038, "net-tcp: extend tcp_tw_reuse sysctl to enable loopback only optimization") it takes **0** (off), **1** (all connections) or **2** (loopback only, the new default), and the kernel rejects anything else with `EINVAL`: `sysctl -p` fails and the old value stays.',
      'Before 4.18 the knob was a boolean read with `proc_dointvec`: every non-zero value, **2 included**, turns reuse on for all outgoing connections. A `tcp_tw_reuse = 2` copied from a modern default onto a RHEL 7 host (kernel 3.10) therefore does the opposite of "loopback only".',
      'hostlint reports a value outside 0–2 (and a non-number) on any kernel, and `2` when the kernel is known to be older than 4.18. The kernel comes from the snapshot (`proc/sys/kernel/osrelease`, `uname -a`) or `facts.kernel`.',
    ].join('\n\n'),
    severity: 'warning',
    precision: 'medium',
    languages: ['sysctl'],
    messages: {
      notNumber: '`net.ipv4.tcp_tw_reuse = {{value}}` is not a number: the kernel rejects the write; use 0, 1 or 2',
      outOfRange: '`net.ipv4.tcp_tw_reuse = {{value}}` is outside 0-2: kernel {{kernel}} rejects the write (EINVAL) and keeps the old value',
      outOfRangeOld: '`net.ipv4.tcp_tw_reuse = {{value}}` is not 0, 1 or 2; kernel {{kernel}} treats any non-zero value as 1 (reuse for all outgoing connections)',
      outOfRangeUnknown: '`net.ipv4.tcp_tw_reuse = {{value}}` is outside 0-2: kernels since 4.18 reject the write, older ones treat it as 1 (kernel unknown: {{hint}})',
      twoOnOldKernel: '`net.ipv4.tcp_tw_reuse = 2` means "loopback only" since Linux 4.18; kernel {{kernel}} treats it as 1 and reuses TIME-WAIT sockets for all outgoing connections; set 0 or 1',
    },
    sources: [
      { title: 'Linux commit 79e9fed46038 "net-tcp: extend tcp_tw_reuse sysctl to enable loopback only optimization" (first released in 4.18)', url: 'https://git.kernel.org/pub/scm/linux/kernel/git/torvalds/linux.git/commit/?id=79e9fed460385a3d8ba0b5782e9e74405cb199b1' },
      { title: 'Linux ip-sysctl: tcp_tw_reuse - INTEGER (0 disable, 1 global enable, 2 loopback only; default 2)', url: 'https://docs.kernel.org/networking/ip-sysctl.html' },
      { title: 'Linux net/ipv4/sysctl_net_ipv4.c: tcp_tw_reuse bounded by SYSCTL_ZERO..SYSCTL_TWO (proc_dou8vec_minmax)', url: 'https://git.kernel.org/pub/scm/linux/kernel/git/torvalds/linux.git/tree/net/ipv4/sysctl_net_ipv4.c' },
      { title: 'Linux 3.10 Documentation/networking/ip-sysctl.txt: tcp_tw_reuse - BOOLEAN, default 0', url: 'https://git.kernel.org/pub/scm/linux/kernel/git/torvalds/linux.git/tree/Documentation/networking/ip-sysctl.txt?h=v3.10' },
    ],
    tags: ['sysctl', 'tcp', 'kernel'],
    fixable: false,
    examples: [
      {
        title: 'A modern default copied to a RHEL 7 host',
        filename: 'etc/sysctl.d/90-tcp.conf',
        code: 'net.ipv4.tcp_tw_reuse = 2\n',
        facts: { kernel: '3.10.0-1160.el7.x86_64' },
        expect: 1,
      },
      {
        title: 'Loopback-only reuse on a kernel that has it',
        filename: 'etc/sysctl.d/90-tcp.conf',
        code: 'net.ipv4.tcp_tw_reuse = 2\n',
        facts: { kernel: '5.15.0-91-generic' },
        expect: 'valid',
      },
      {
        title: 'A value no kernel documents',
        filename: 'etc/sysctl.d/90-tcp.conf',
        code: 'net.ipv4.tcp_tw_reuse = 3\n',
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
        const related = evidenceOf(kernel);
        if (value === undefined) {
          context.report({ messageId: 'notNumber', node: node.value, data: { value: raw }, related });
          return;
        }
        const old = kernelBefore(kernel, '4.18.0');
        if (value < 0 || value > 2) {
          if (!kernel.known) context.report({ messageId: 'outOfRangeUnknown', node: node.value, data: { value, hint: kernel.hint } });
          else context.report({ messageId: old ? 'outOfRangeOld' : 'outOfRange', node: node.value, data: { value, kernel: kernel.value.release }, related });
        } else if (value === 2 && old === true && kernel.known) {
          context.report({ messageId: 'twoOnOldKernel', node: node.value, data: { kernel: kernel.value.release }, related });
        }
      },
    };
  },
});
