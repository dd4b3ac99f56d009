import { defineRule, evidenceOf, liveValue, sysctlInt, type EffectiveSetting, type Fix, type SourceFile } from '../src/rule-api.js';

export default defineRule({
  meta: {
    id: 'k8s-ip-forward',
    type: 'problem',
    description: 'Require `net.ipv4.ip_forward = 1` on Kubernetes nodes',
    rationale: [
      'A Kubernetes node routes packets between pods, between pods and the network, and for Services: "By default, the Linux kernel does not allow IPv4 packets to be routed between interfaces." The Kubernetes container-runtime prerequisites set `net.ipv4.ip_forward = 1` in `/etc/sysctl.d/k8s.conf`, and `kubeadm` refuses to join a node whose `/proc/sys/net/ipv4/ip_forward` is not 1.',
      '`net.ipv4.conf.all.forwarding` is the same switch (in `net/ipv4/devinet.c` the `ip_forward` entry points at the `conf/all` forwarding value), so whichever of the two is written last decides. Writing it also sets `forwarding` on `default` and on every interface (`inet_forward_change()`), but a later per-interface line turns it off again there: IPv4 forwards per receiving interface, so `net.ipv4.conf.*.forwarding = 0` (or `net.ipv4.conf.default.forwarding = 0`, which every pod veth created later inherits) after `net.ipv4.ip_forward = 1` leaves pod traffic unrouted although `ip_forward` reads 1. That line is reported too.',
      'The fix sets a plain `0` to `1`. A glob line (`net.*.conf.*.forwarding = 0`) is never rewritten — that would also switch on forwarding for other families and keys the glob matches (IPv6 on every interface); instead an explicit `net.ipv4.ip_forward = 1` line is inserted after it, which turns IPv4 forwarding back on for `all`, `default` and every interface.',
      'With forwarding off, pod traffic leaving the node is dropped: pods cannot reach other nodes, Services or the outside. hostlint reports a configured `0` at the line that sets it, and a live `0` (from the snapshot) when no file sets the key. It reports nothing when it does not know the host is a Kubernetes node (`facts.kubernetesNode`, or a snapshot with `/var/lib/kubelet`, `/etc/kubernetes` or `/etc/cni/net.d`).',
    ].join('\n\n'),
    severity: 'error',
    precision: 'medium',
    languages: ['sysctl', 'sysctl-dump'],
    messages: {
      configured: '`{{key}} = {{value}}` on a Kubernetes node: pod and Service traffic cannot be routed; set it to 1',
      perInterface: '`{{key}} = {{value}}` turns IPv4 forwarding off on {{which}} after `{{global}}` turned it on, on a Kubernetes node: IPv4 forwards per receiving interface, so pod traffic arriving there is not routed',
      live: 'IPv4 forwarding is off on this Kubernetes node (live `net.ipv4.ip_forward = {{value}}`) and no sysctl file sets it; add `net.ipv4.ip_forward = 1` to /etc/sysctl.d/k8s.conf',
    },
    sources: [
      { title: 'Kubernetes: Container Runtimes, "Network configuration" (net.ipv4.ip_forward = 1)', url: 'https://kubernetes.io/docs/setup/production-environment/container-runtimes/' },
      { title: 'kubeadm preflight: /proc/sys/net/ipv4/ip_forward contents are not set to 1 (cmd/kubeadm/app/preflight/checks_linux.go)', url: 'https://github.com/kubernetes/kubernetes/blob/master/cmd/kubeadm/app/preflight/checks_linux.go' },
      { title: 'Linux ip-sysctl: ip_forward, conf/{all,default,interface}/forwarding', url: 'https://docs.kernel.org/networking/ip-sysctl.html' },
      { title: 'Linux net/ipv4/devinet.c: inet_forward_change() sets forwarding on default and every interface', url: 'https://github.com/torvalds/linux/blob/master/net/ipv4/devinet.c' },
    ],
    tags: ['sysctl', 'kubernetes', 'routing'],
    fixable: true,
    examples: [
      {
        title: 'A hardening baseline applied to a node',
        filename: 'etc/sysctl.d/60-hardening.conf',
        code: 'net.ipv4.ip_forward = 0\n',
        facts: { kubernetesNode: true },
        expect: 1,
      },
      {
        title: 'The Kubernetes prerequisite',
        filename: 'etc/sysctl.d/k8s.conf',
        code: 'net.ipv4.ip_forward = 1\n',
        facts: { kubernetesNode: true },
        expect: 'valid',
      },
    ],
  },
  create(context) {
    const scope = context.scope;
    return {
      scope() {
        const sets = scope.sysctlSets();
        for (const set of sets) {
          const facts = scope.facts(set.anchor);
          if (!(facts.kubernetesNode.known && facts.kubernetesNode.value)) continue;
          // ip_forward and conf.all.forwarding are one switch (devinet.c): the last write wins.
          const global = set.lastApplied(set.effective('net.ipv4.ip_forward'), set.effective('net.ipv4.conf.all.forwarding'));
          if (global && sysctlInt(global.value) === 0) {
            context.report({
              messageId: 'configured',
              file: global.file,
              node: global.node.value,
              data: { key: global.node.key.glob ? global.node.key.raw : global.key, value: global.value },
              related: evidenceOf(facts.kubernetesNode),
              fix: enableFix(global),
            });
            continue;
          }
          if (!global) continue;
          // Forwarding on, then switched off again per interface: `default` (new veths) or a glob.
          const perIface = set.effective('net.ipv4.conf.default.forwarding');
          if (perIface && sysctlInt(perIface.value) === 0 && set.lastApplied(global, perIface) === perIface) {
            context.report({
              messageId: 'perInterface',
              file: perIface.file,
              node: perIface.node.value,
              data: {
                key: perIface.node.key.raw,
                value: perIface.value,
                which: perIface.node.key.glob ? 'every interface the glob matches' : '`default`, which every interface created later (each pod veth) inherits',
                global: `${global.node.key.raw} = ${global.value}`,
              },
              related: [{ file: global.file.path, position: global.node.position, message: `IPv4 forwarding turned on here: \`${global.node.key.raw} = ${global.value}\`` }, ...evidenceOf(facts.kubernetesNode)],
              fix: enableFix(perIface),
            });
          }
        }
        // The live value (none in the repository), when no file sets forwarding.
        if (sets.some((s) => s.effective('net.ipv4.ip_forward') || s.effective('net.ipv4.conf.all.forwarding'))) return;
        const facts = scope.facts();
        if (!(facts.kubernetesNode.known && facts.kubernetesNode.value)) return;
        const live = liveValue(scope, 'net.ipv4.ip_forward');
        if (live && sysctlInt(live.value) === 0) {
          context.report({ messageId: 'live', file: live.file, position: live.position, data: { value: live.value }, related: evidenceOf(facts.kubernetesNode) });
        }
      },
    };
  },
});

/**
 * Turn IPv4 forwarding back on: a plain `0` becomes `1`; a glob line is never
 * rewritten (it may match IPv6 and other keys too): an explicit
 * `net.ipv4.ip_forward = 1` is inserted after it.
 */
function enableFix(setting: EffectiveSetting): Fix {
  const { node, file } = setting;
  if (!node.key.glob) {
    return { description: `Set ${node.key.raw} to 1`, edits: [{ range: [node.value.position.start.offset!, node.value.position.end.offset!], text: '1' }] };
  }
  const at = lineEnd(file, node.position.end.offset!);
  const eol = file.text.includes('\r\n') ? '\r\n' : '\n';
  const text = at.hasNewline ? `net.ipv4.ip_forward = 1${eol}` : `${eol}net.ipv4.ip_forward = 1${eol}`;
  return { description: 'Insert net.ipv4.ip_forward = 1 after the glob line', edits: [{ range: [at.offset, at.offset], text }] };
}

/** The offset just after the line break that ends the line containing `offset` (or the end of the text). */
function lineEnd(file: SourceFile, offset: number): { offset: number; hasNewline: boolean } {
  const nl = file.text.indexOf('\n', offset);
  return nl < 0 ? { offset: file.text.length, hasNewline: false } : { offset: nl + 1, hasNewline: true };
}
