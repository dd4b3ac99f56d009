import { defineRule, evidenceOf, kernelBefore, liveValue, sysctlInt, type Location } from '../src/rule-api.js';

export default defineRule({
  meta: {
    id: 'sysctl-tw-recycle',
    type: 'problem',
    description: 'Disallow `net.ipv4.tcp_tw_recycle` on kernels that still have it, where it drops SYNs from clients behind NAT',
    rationale: [
      'With `net.ipv4.tcp_tw_recycle = 1` and TCP timestamps on (`net.ipv4.tcp_timestamps`, default 1), a Linux server before 4.12 remembers the last timestamp seen from each remote address and silently drops a SYN whose timestamp is older (`tcp_v4_conn_request()` → `tcp_peer_is_proven()`, counted as `PAWSPassive`). Many clients NATed behind one address — pods SNATed behind a node, a corporate NAT, a load balancer — do not share a timestamp clock, so some of their connections get no SYN-ACK at all: intermittent connect timeouts.',
      'The option was removed in Linux 4.12 (commit 4396e46187ca) because it was broken for NAT and, with per-connection timestamp offsets (4.10), for everybody. On 4.12 and later the key no longer exists (see `sysctl-removed-key`).',
      'The running kernel is what drops the SYNs: on a snapshot with live values (`sysctl -a`, `proc/sys`), a live `tcp_tw_recycle = 1` that no sysctl file sets — set by a script, a tuned profile or `sysctl -w` — is reported at the dump line, as set at runtime only (it changes at the next reboot). A file value the live one contradicts is `sysctl-drift`\'s matter.',
      'Set it to 0 (or remove the line). If the kernel is unknown, tell hostlint with `facts.kernel` or lint a snapshot that holds `proc/sys/kernel/osrelease`.',
    ].join('\n\n'),
    severity: 'error',
    precision: 'high',
    languages: ['sysctl', 'sysctl-dump'],
    messages: {
      natDrop: '`net.ipv4.tcp_tw_recycle = {{value}}` with TCP timestamps on makes kernel {{kernel}} drop SYNs from clients behind NAT; set it to 0',
      live: '`net.ipv4.tcp_tw_recycle = {{value}}` on the running host, set by no sysctl file (a script, a tuned profile or `sysctl -w`): with TCP timestamps on it drops SYNs from clients behind NAT now, and the value changes at the next reboot; set it to 0 and find what set it',
      unknownKernel: '`net.ipv4.tcp_tw_recycle = {{value}}`: on kernels before 4.12 it drops SYNs from clients behind NAT, on 4.12+ the key does not exist; set it to 0 or remove it (kernel unknown: {{hint}})',
    },
    sources: [
      { title: 'Linux commit 4396e46187ca "tcp: remove tcp_tw_recycle" (first released in 4.12)', url: 'https://git.kernel.org/pub/scm/linux/kernel/git/torvalds/linux.git/commit/?id=4396e46187ca5070219b81773c4e65088dac50cc' },
      { title: 'tcp(7): tcp_tw_recycle (Linux 2.4 to Linux 4.11), not recommended behind NAT', url: 'https://man7.org/linux/man-pages/man7/tcp.7.html' },
      { title: 'Linux 3.10 net/ipv4/tcp_ipv4.c: tcp_v4_conn_request() drops the SYN when tcp_peer_is_proven() fails', url: 'https://git.kernel.org/pub/scm/linux/kernel/git/torvalds/linux.git/tree/net/ipv4/tcp_ipv4.c?h=v3.10' },
    ],
    tags: ['sysctl', 'tcp', 'nat', 'reliability'],
    fixable: true,
    examples: [
      {
        title: 'tcp_tw_recycle on a RHEL 7 database host',
        filename: 'etc/sysctl.conf',
        code: 'net.ipv4.tcp_tw_recycle = 1\n',
        facts: { kernel: '3.10.0-1160.el7.x86_64' },
        expect: 1,
      },
      {
        title: 'Disabled explicitly',
        filename: 'etc/sysctl.conf',
        code: 'net.ipv4.tcp_tw_recycle = 0\n',
        facts: { kernel: '3.10.0-1160.el7.x86_64' },
        expect: 'valid',
      },
    ],
  },
  create(context) {
    return {
      scope() {
        const scope = context.scope;
        const sets = scope.sysctlSets();
        // Runtime state: the running kernel drops the SYNs, whatever the files say. A live value
        // no file explains is reported at the dump line (a file value the live one contradicts is sysctl-drift's).
        if (!sets.some((s) => s.effective('net.ipv4.tcp_tw_recycle'))) {
          const live = liveValue(scope, 'net.ipv4.tcp_tw_recycle');
          const value = sysctlInt(live?.value);
          const ts = sets.map((s) => s.effective('net.ipv4.tcp_timestamps')).find(Boolean);
          const liveTs = liveValue(scope, 'net.ipv4.tcp_timestamps');
          const tsValue = ts ? sysctlInt(ts.value) : liveTs ? sysctlInt(liveTs.value) : 1;
          const facts = scope.facts();
          if (live && value && tsValue !== 0 && !(facts.nat.known && facts.nat.value === false)) {
            const related: Location[] = [...evidenceOf(facts.kernel)];
            if (liveTs) related.push({ file: liveTs.file.path, position: liveTs.position, message: `TCP timestamps are on: live \`net.ipv4.tcp_timestamps = ${liveTs.value}\`` });
            context.report({ messageId: 'live', file: live.file, position: live.position, data: { value }, related });
          }
        }
        for (const set of sets) {
          const recycle = set.effective('net.ipv4.tcp_tw_recycle');
          const value = sysctlInt(recycle?.value);
          if (!recycle || !value) continue; // unset, 0, or not a number
          const timestamps = set.effective('net.ipv4.tcp_timestamps');
          if (sysctlInt(timestamps?.value) === 0) continue; // the drop needs timestamps
          const facts = context.scope.facts(set.anchor);
          const old = kernelBefore(facts.kernel, '4.12.0');
          if (old === false) continue; // removed key: sysctl-removed-key reports it
          if (facts.nat.known && facts.nat.value === false) continue;
          const related: Location[] = [...evidenceOf(facts.kernel)];
          if (timestamps) related.push({ file: timestamps.file.path, position: timestamps.node.position, message: `TCP timestamps are on: \`net.ipv4.tcp_timestamps = ${timestamps.value}\`` });
          const fix = { description: 'Set net.ipv4.tcp_tw_recycle to 0', edits: [{ range: [recycle.node.value.position.start.offset!, recycle.node.value.position.end.offset!] as [number, number], text: '0' }] };
          if (old === true && facts.kernel.known) {
            context.report({ messageId: 'natDrop', file: recycle.file, node: recycle.node.value, data: { value, kernel: facts.kernel.value.release }, related, fix });
          } else if (!facts.kernel.known) {
            context.report({ messageId: 'unknownKernel', file: recycle.file, node: recycle.node.value, data: { value, hint: facts.kernel.hint }, related, fix, demote: 1 });
          }
        }
      },
    };
  },
});
