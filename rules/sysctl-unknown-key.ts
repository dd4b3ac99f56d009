import { defineRule, ORIGIN, evidenceOf, kernelBefore, liveDump, liveDumpFile, type Fact, type Kernel, type SourceFile, type SysctlAssignmentNode, treeOf } from '../src/rule-api.js';

/**
 * Keys (and values) that first appeared in a kernel release, with the change
 * that added them. Enterprise kernels (RHEL's `.el`) backport such changes
 * (RHEL 7's 3.10.0-33 has `net.core.default_qdisc`), so they are not judged by this table.
 */
const FIRST_RELEASE = new Map<string, { since: string; commit: string; title: string; value?: RegExp }>([
  ['fs.protected_regular', { since: '4.19.0', commit: '30aba6656f61', title: 'namei: allow restricted O_CREAT of FIFOs and regular files' }],
  ['fs.protected_fifos', { since: '4.19.0', commit: '30aba6656f61', title: 'namei: allow restricted O_CREAT of FIFOs and regular files' }],
  ['net.core.default_qdisc', { since: '3.12.0', commit: '6da7c8fcbcbd', title: 'qdisc: allow setting default queuing discipline' }],
  ['net.ipv4.tcp_congestion_control', { since: '4.9.0', commit: '0f8782ea1497', title: 'tcp_bbr: add BBR congestion control', value: /^bbr$/ }],
]);

/** Old keys that `sysctl-removed-key` reports (a removal it knows is its matter, not an unknown key). */
const REMOVED_KEYS = new Set(['net.ipv4.tcp_tw_recycle', 'net.netfilter.nf_conntrack_helper']);

/** Keys of modules that may simply not be loaded when the dump was taken: `k8s-bridge-nf-call` deals with them. */
const MODULE_KEY = /^net\.bridge\.|nf_conntrack/;

/** Keys `sysctl -a` hides or skips although they exist (deprecated, write-only). */
const HIDDEN_FROM_DUMP = /(^|\.)(base_reachable_time|retrans_time)$|^vm\.(stat_refresh|drop_caches|compact_memory)$|^net\.ipv[46]\.route\.flush$/;


export default defineRule({
  meta: {
    id: 'sysctl-unknown-key',
    type: 'problem',
    description: 'Disallow sysctl keys and values that the host\'s kernel does not have',
    rationale: [
      'A key that is not under `/proc/sys` on the running kernel cannot be set: `sysctl --system` prints `sysctl: cannot stat /proc/sys/<key>: No such file or directory` and exits with status 1 (failing the Ansible task or boot script that ran it), systemd-sysctl logs `Couldn\'t write ..., ignoring` — and either way the setting the file promises is not applied. Typical causes: a tuning file copied from a newer fleet (`net.ipv4.tcp_no_ssthresh_metrics_save` on a 5.4 kernel), an interface name from another machine (`net.ipv6.conf.eth0.*` on a host whose NIC is `ens3`), a typo.',
      'On a snapshot with a live `sysctl -a` dump, a configured key absent from the dump is reported (keys of modules that may not be loaded yet, `net.bridge.*` and `nf_conntrack_*`, are left to `k8s-bridge-nf-call`; keys removed from the kernel to `sysctl-removed-key`; keys `sysctl -a` hides are skipped). Without a dump, a table of first kernel releases is checked against the kernel (`facts.kernel`, `proc/sys/kernel/osrelease` or `uname`): `fs.protected_regular` and `fs.protected_fifos` (4.19), `net.core.default_qdisc` (3.12), and the value `bbr` of `net.ipv4.tcp_congestion_control` (4.9), each with the commit that added it. Enterprise kernels (`.el` releases) backport features and are not judged by the table.',
    ].join('\n\n'),
    severity: 'warning',
    precision: 'medium',
    languages: ['sysctl', 'sysctl-dump'],
    messages: {
      notLive: '`{{key}}` does not exist on this host: it is not in the live sysctl dump ({{dump}}); `sysctl --system` fails with "cannot stat /proc/sys/{{path}}" and the setting is not applied',
      tooNew: '`{{key}}` first appeared in Linux {{since}} (commit {{commit}}), and the kernel here is {{kernel}}: `sysctl --system` fails with "cannot stat /proc/sys/{{path}}" and the setting is not applied',
      valueTooNew: '`{{key}} = {{value}}` needs Linux {{since}} (commit {{commit}}), and the kernel here is {{kernel}}: the kernel refuses the value and the setting is not applied',
    },
    sources: [
      { title: 'procps-ng src/sysctl.c WriteSetting(): stat() first, "cannot stat %s", exit status 1', url: 'https://gitlab.com/procps-ng/procps/-/blob/master/src/sysctl.c' },
      { title: 'Linux commit 30aba6656f61 "namei: allow restricted O_CREAT of FIFOs and regular files" (fs.protected_regular, fs.protected_fifos; 4.19)', url: 'https://git.kernel.org/pub/scm/linux/kernel/git/torvalds/linux.git/commit/?id=30aba6656f61ed44cba445a3c0d38b296fa9e8f5' },
      { title: 'Linux commit 6da7c8fcbcbd "qdisc: allow setting default queuing discipline" (net.core.default_qdisc; 3.12)', url: 'https://git.kernel.org/torvalds/c/6da7c8fcbcbd' },
      { title: 'Linux commit 0f8782ea1497 "tcp_bbr: add BBR congestion control" (4.9)', url: 'https://git.kernel.org/pub/scm/linux/kernel/git/torvalds/linux.git/commit/?id=0f8782ea14974ce992618b55f0c041ef43ed0b78' },
      { title: 'sysctl(8): -a hides deprecated keys', url: 'https://man7.org/linux/man-pages/man8/sysctl.8.html' },
    ],
    tags: ['sysctl', 'kernel'],
    fixable: false,
    examples: [
      {
        title: 'A hardening line from a newer distribution on a 4.15 kernel',
        filename: 'etc/sysctl.d/99-protect-links.conf',
        code: 'fs.protected_symlinks = 1\nfs.protected_regular = 2\n',
        facts: { kernel: '4.15.0-213-generic' },
        expect: 1,
      },
      {
        title: 'BBR on a 4.4 kernel',
        filename: 'etc/sysctl.d/90-bbr.conf',
        code: 'net.core.default_qdisc = fq\nnet.ipv4.tcp_congestion_control = bbr\n',
        facts: { kernel: '4.4.0-210-generic' },
        expect: 1,
      },
      {
        title: 'BBR where the kernel has it',
        filename: 'etc/sysctl.d/90-bbr.conf',
        code: 'net.core.default_qdisc = fq\nnet.ipv4.tcp_congestion_control = bbr\n',
        facts: { kernel: '5.15.0-91-generic' },
        expect: 'valid',
      },
    ],
  },
  create(context) {
    const scope = context.scope;
    return {
      scope() {
        const dump = liveDump(scope);
        const dumpFile = liveDumpFile(scope);
        // The dump's top-level components (`net`, `kernel`...), made on first need: most keys are in the dump.
        let prefixes: Set<string> | undefined;
        const hasPrefix = (key: string) => (prefixes ??= new Set(Array.from(dump!.keys(), topLevel))).has(topLevel(key));
        for (const set of scope.sysctlSets()) {
          const kernel = scope.facts(set.anchor).kernel;
          for (const file of set.files) {
            for (const a of treeOf(file, 'sysctl', 'sysctl-dump')!.children) {
              if (a.type !== 'assignment' || a.key.glob) continue;
              const key = a.key.name;
              if (dump && dumpFile) {
                if (dump.has(key) || !hasPrefix(key) || HIDDEN_FROM_DUMP.test(key) || MODULE_KEY.test(key) || (REMOVED_KEYS.has(key) && kernel.known)) continue;
                const path = procPath(key);
                context.report({
                  messageId: 'notLive',
                  file,
                  node: a.key,
                  data: { key, dump: dumpFile.path, path },
                  related: [{ file: dumpFile.path, position: ORIGIN, message: `Live sysctl dump of ${scope.name}: no \`${key}\`` }],
                });
                continue;
              }
              checkTable(a, kernel, file, procPath(key));
            }
          }
        }
      },
    };

    function checkTable(a: SysctlAssignmentNode, kernel: Fact<Kernel>, file: SourceFile, path: string): void {
      const entry = FIRST_RELEASE.get(a.key.name);
      if (!entry || !kernel.known || /\.el\d/.test(kernel.value.release)) return;
      if (kernelBefore(kernel, entry.since) !== true) return;
      const data = { key: a.key.name, since: entry.since.replace(/\.0$/, ''), commit: entry.commit, kernel: kernel.value.release, path, value: a.value.value };
      if (entry.value) {
        if (entry.value.test(a.value.value.trim())) context.report({ messageId: 'valueTooNew', file, node: a.value, data, related: evidenceOf(kernel) });
        return;
      }
      context.report({ messageId: 'tooNew', file, node: a.key, data, related: evidenceOf(kernel) });
    }
  },
});

/** The key's path under /proc/sys (`net.ipv4.conf.eth0/100.rp_filter` → `net/ipv4/conf/eth0.100/rp_filter`). */
function procPath(key: string): string {
  return key.replace(/[./]/g, (c) => (c === '.' ? '/' : '.'));
}

/** The key's first component (`net` of `net.ipv4.ip_forward`), without splitting the whole key. */
function topLevel(key: string): string {
  const dot = key.indexOf('.');
  return dot < 0 ? key : key.slice(0, dot);
}
