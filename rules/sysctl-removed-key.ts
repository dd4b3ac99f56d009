import { defineRule, evidenceOf, kernelBefore, treeOf } from '../src/rule-api.js';

/** Keys removed from the kernel, with the first release without them and the change that removed them. */
// A Map: keys come from untrusted files (`constructor`, `__proto__` are keys like any other).
const REMOVED = new Map<string, { since: string; commit: string }>([
  ['net.ipv4.tcp_tw_recycle', { since: '4.12.0', commit: '4396e46187ca' }],
  // "netfilter: remove nf_conntrack_helper sysctl and modparam toggles" (net tree, Sep 2022, in 6.0).
  ['net.netfilter.nf_conntrack_helper', { since: '6.0.0', commit: 'b118509076b3' }],
]);

export default defineRule({
  meta: {
    id: 'sysctl-removed-key',
    type: 'problem',
    description: 'Disallow sysctl keys the host\'s kernel does not have',
    rationale: [
      'A key that does not exist under `/proc/sys` cannot be set: `sysctl -p` and `sysctl --system` print `sysctl: cannot stat /proc/sys/<key>: No such file or directory` and exit with status 1 (a leading `-` on the key does not silence this in procps 4.0), and systemd-sysctl logs `Couldn\'t write ...` and moves on. Configuration management that checks the exit status fails, and the setting the author wanted is not in effect.',
      'hostlint knows a key is missing when the kernel is known to be past the release that removed it (`net.ipv4.tcp_tw_recycle` is gone since 4.12). A key that a live `sysctl -a` dump of the host simply does not list (a newer-kernel key, an interface that does not exist, a typo) is `sysctl-unknown-key`\'s matter.',
    ].join('\n\n'),
    severity: 'warning',
    precision: 'medium',
    languages: ['sysctl', 'sysctl-dump'],
    messages: {
      removed: '`{{key}}` was removed in Linux {{since}} (kernel here: {{kernel}}); `sysctl -p` fails with "cannot stat /proc/sys/{{path}}"',
    },
    sources: [
      { title: 'Linux commit 4396e46187ca "tcp: remove tcp_tw_recycle" (first released in 4.12)', url: 'https://git.kernel.org/pub/scm/linux/kernel/git/torvalds/linux.git/commit/?id=4396e46187ca5070219b81773c4e65088dac50cc' },
      { title: 'Linux commit b118509076b3 "netfilter: remove nf_conntrack_helper sysctl and modparam toggles" (first released in 6.0)', url: 'https://git.kernel.org/netdev/net/c/b118509076b3' },
      { title: 'procps-ng sysctl.c WriteSetting(): stat() first, "cannot stat %s", exit status 1', url: 'https://gitlab.com/procps-ng/procps/-/blob/master/src/sysctl.c' },
      { title: 'sysctl(8): -a hides deprecated keys', url: 'https://man7.org/linux/man-pages/man8/sysctl.8.html' },
    ],
    tags: ['sysctl', 'kernel'],
    fixable: false,
    examples: [
      {
        title: 'A key from the 3.10 era on a 5.15 host',
        filename: 'etc/sysctl.d/90-tuning.conf',
        code: 'net.ipv4.tcp_tw_recycle = 0\n',
        facts: { kernel: '5.15.0-91-generic' },
        expect: 1,
      },
      {
        title: 'The same key on the kernel that has it',
        filename: 'etc/sysctl.d/90-tuning.conf',
        code: 'net.ipv4.tcp_tw_recycle = 0\n',
        facts: { kernel: '3.10.0-1160.el7.x86_64' },
        expect: 'valid',
      },
    ],
  },
  create(context) {
    const scope = context.scope;
    return {
      scope() {
        for (const set of scope.sysctlSets()) {
          const facts = scope.facts(set.anchor);
          for (const file of set.files) {
            for (const a of treeOf(file, 'sysctl', 'sysctl-dump')!.children) {
              if (a.type !== 'assignment' || a.key.glob) continue;
              const key = a.key.name;
              const removed = REMOVED.get(key);
              if (removed && kernelBefore(facts.kernel, removed.since) === false && facts.kernel.known) {
                const path = key.replace(/[./]/g, (c) => (c === '.' ? '/' : '.'));
                context.report({ messageId: 'removed', file, node: a.key, data: { key, since: removed.since.replace(/\.0$/, ''), kernel: facts.kernel.value.release, path }, related: evidenceOf(facts.kernel) });
              }
            }
          }
        }
      },
    };
  },
});
