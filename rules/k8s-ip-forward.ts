import { defineRule, evidenceOf, sysctlInt } from '../src/rule-api.js';

export default defineRule({
  meta: {
    id: 'k8s-ip-forward',
    type: 'problem',
    description: 'Require `net.ipv4.ip_forward = 1` on Kubernetes nodes',
    rationale: [
      'A Kubernetes node routes packets between pods, between pods and the network, and for Services: "By default, the Linux kernel does not allow IPv4 packets to be routed between interfaces." The Kubernetes container-runtime prerequisites set `net.ipv4.ip_forward = 1` in `/etc/sysctl.d/k8s.conf`, and `kubeadm` refuses to join a node whose `/proc/sys/net/ipv4/ip_forward` is not 1.',
      '`net.ipv4.conf.all.forwarding` is the same switch (in `net/ipv4/devinet.c` the `ip_forward` entry points at the `conf/all` forwarding value), so whichever of the two is written last decides.',
      'With forwarding off, pod traffic leaving the node is dropped: pods cannot reach other nodes, Services or the outside. hostlint reports a configured `0` at the line that sets it, and a live `0` (from the snapshot) when no file sets the key. It reports nothing when it does not know the host is a Kubernetes node (`facts.kubernetesNode`, or a snapshot with `/var/lib/kubelet`, `/etc/kubernetes` or `/etc/cni/net.d`).',
    ].join('\n\n'),
    severity: 'error',
    precision: 'medium',
    languages: ['sysctl', 'sysctl-dump'],
    messages: {
      configured: '`{{key}} = {{value}}` on a Kubernetes node: pod and Service traffic cannot be routed; set it to 1',
      live: 'IPv4 forwarding is off on this Kubernetes node (live `net.ipv4.ip_forward = {{value}}`) and no sysctl file sets it; add `net.ipv4.ip_forward = 1` to /etc/sysctl.d/k8s.conf',
    },
    sources: [
      { title: 'Kubernetes: Container Runtimes, "Network configuration" (net.ipv4.ip_forward = 1)', url: 'https://kubernetes.io/docs/setup/production-environment/container-runtimes/' },
      { title: 'kubeadm preflight: /proc/sys/net/ipv4/ip_forward contents are not set to 1 (cmd/kubeadm/app/preflight/checks_linux.go)', url: 'https://github.com/kubernetes/kubernetes/blob/master/cmd/kubeadm/app/preflight/checks_linux.go' },
      { title: 'Linux ip-sysctl: ip_forward', url: 'https://docs.kernel.org/networking/ip-sysctl.html' },
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
          const eff = set.lastApplied(set.effective('net.ipv4.ip_forward'), set.effective('net.ipv4.conf.all.forwarding'));
          if (eff && sysctlInt(eff.value) === 0) {
            context.report({
              messageId: 'configured',
              file: eff.file,
              node: eff.node.value,
              data: { key: eff.key, value: eff.value },
              related: evidenceOf(facts.kubernetesNode),
              fix: { description: 'Set net.ipv4.ip_forward to 1', edits: [{ range: [eff.node.value.position.start.offset!, eff.node.value.position.end.offset!], text: '1' }] },
            });
          }
        }
        if (scope.kind !== 'host' || sets.some((s) => s.effective('net.ipv4.ip_forward') || s.effective('net.ipv4.conf.all.forwarding'))) return;
        const facts = scope.facts();
        if (!(facts.kubernetesNode.known && facts.kubernetesNode.value)) return;
        const live = scope.live('net.ipv4.ip_forward');
        if (live && sysctlInt(live.value) === 0) {
          context.report({ messageId: 'live', file: live.file, position: live.position, data: { value: live.value }, related: evidenceOf(facts.kubernetesNode) });
        }
      },
    };
  },
});
