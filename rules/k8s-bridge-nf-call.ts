import { defineRule, evidenceOf, getItems, getScalar, liveValue, loadsModule, sysctlInt, type Location, type SourceFile, treeOf } from '../src/rule-api.js';

const KEYS = ['net.bridge.bridge-nf-call-iptables', 'net.bridge.bridge-nf-call-ip6tables'] as const;

/** CNI plugin types that attach pods without a Linux bridge (routed veth pairs). */
const NOT_BRIDGED = new Set(['calico', 'ptp']);

export default defineRule({
  meta: {
    id: 'k8s-bridge-nf-call',
    type: 'problem',
    description: 'Require bridged pod traffic to pass through iptables (`net.bridge.bridge-nf-call-iptables = 1`) on Kubernetes nodes',
    rationale: [
      'kube-proxy implements Services with iptables rules. When pods are attached to a Linux bridge (the `bridge` CNI plugin, flannel, kubenet, docker0), traffic between two pods on the same bridge is switched at layer 2 and never reaches iptables unless `net.bridge.bridge-nf-call-iptables = 1`: a pod calling a Service whose backend sits on the same node gets no DNAT, and the connection fails or the reply takes the wrong path. The Kubernetes network-plugin requirements say a plugin that uses a Linux bridge "must set the net/bridge/bridge-nf-call-iptables sysctl to 1 to ensure that the iptables proxy functions correctly". `bridge-nf-call-ip6tables` does the same for IPv6 and matters on dual-stack and IPv6 clusters (reported one level lower). CNI plugins that route pods over veth pairs without a bridge (Calico, `ptp`) do not need either; when the node\'s CNI configuration shows one, the finding is only a note.',
      'The keys exist only while the `br_netfilter` module is loaded. systemd-sysctl runs early at boot, so a `bridge-nf-call-*` line in sysctl.d is lost unless the module is loaded first — sysctl.d(5) recommends listing it in `/etc/modules-load.d/` (or a udev rule that re-runs systemd-sysctl for `/net/bridge`). Without the module bridged traffic is not filtered at all, whatever the file says. In a host snapshot where a sysctl file enables these keys, the live values do not show the module loaded, and no modules-load.d file, `/etc/modules` or udev rule mentions `br_netfilter`, hostlint leaves a note at the key.',
      'hostlint reports a configured `0` at the line that sets it, and a live `0` (from the snapshot) when no file sets the key. It reports nothing about `0` when it does not know the host is a Kubernetes node.',
    ].join('\n\n'),
    severity: 'error',
    precision: 'medium',
    languages: ['sysctl', 'sysctl-dump', 'cni', 'fact'],
    messages: {
      configured: '`{{key}} = {{value}}` on a Kubernetes node: traffic between pods on the same Linux bridge bypasses {{tables}}, so kube-proxy\'s Service rules do not apply to it; set it to 1',
      configuredNotBridged: '`{{key}} = {{value}}` on a Kubernetes node whose CNI plugin `{{cni}}` does not use a Linux bridge: harmless there, but pods on a bridge would bypass kube-proxy\'s {{tables}} rules',
      live: 'Bridged pod traffic bypasses {{tables}} on this Kubernetes node (live `{{key}} = {{value}}`) and no sysctl file sets it; add `{{key}} = 1` to /etc/sysctl.d/k8s.conf',
      moduleNotLoaded: '`{{key}}` exists only while the br_netfilter module is loaded, and no modules-load.d file or udev rule in this snapshot loads it: at boot the line fails ("No such file or directory") and, until something loads the module, bridged traffic bypasses iptables; add `br_netfilter` to /etc/modules-load.d/k8s.conf',
    },
    sources: [
      { title: 'Kubernetes: Network Plugins, "Network Plugin Requirements" (bridge-nf-call-iptables must be 1 for bridge-based plugins)', url: 'https://kubernetes.io/docs/concepts/extend-kubernetes/compute-storage-net/network-plugins/' },
      { title: 'Linux ip-sysctl: /proc/sys/net/bridge/* bridge-nf-call-iptables, bridge-nf-call-ip6tables (default 1)', url: 'https://docs.kernel.org/networking/ip-sysctl.html' },
      { title: 'sysctl.d(5) (systemd): load br_netfilter through modules-load.d or a udev rule before setting net.bridge keys', url: 'https://www.freedesktop.org/software/systemd/man/latest/sysctl.d.html' },
      { title: 'Calico FAQ: Calico is fully routed; containers on a shared bridge bypass its rules', url: 'https://github.com/MikeSpreitzer/calico-containers/blob/master/docs/FAQ.md' },
    ],
    tags: ['sysctl', 'kubernetes', 'iptables', 'bridge'],
    fixable: true,
    examples: [
      {
        title: 'Bridge firewalling turned off on a node',
        filename: 'etc/sysctl.d/99-bridge.conf',
        code: 'net.bridge.bridge-nf-call-iptables = 0\n',
        facts: { kubernetesNode: true },
        expect: 1,
      },
      {
        title: 'The Kubernetes prerequisite',
        filename: 'etc/sysctl.d/k8s.conf',
        code: 'net.bridge.bridge-nf-call-iptables = 1\nnet.bridge.bridge-nf-call-ip6tables = 1\n',
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
        const cni = primaryCniType(); // a host's /etc/cni/net.d (none in the repository)
        for (const set of sets) {
          const facts = scope.facts(set.anchor);
          const node = facts.kubernetesNode.known && facts.kubernetesNode.value;
          for (const key of KEYS) {
            const eff = set.effective(key);
            if (!eff || eff.node.key.glob) continue;
            const value = sysctlInt(eff.value);
            if (node && value === 0) {
              const ipv6 = key.endsWith('ip6tables');
              const tables = ipv6 ? 'ip6tables' : 'iptables';
              const fix = { description: `Set ${key} to 1`, edits: [{ range: [eff.node.value.position.start.offset!, eff.node.value.position.end.offset!] as [number, number], text: '1' }] };
              const related = [...evidenceOf(facts.kubernetesNode), ...(cni ? [cni.evidence] : [])];
              if (cni && NOT_BRIDGED.has(cni.type)) {
                context.report({ messageId: 'configuredNotBridged', file: eff.file, node: eff.node.value, data: { key, value: eff.value, cni: cni.type, tables }, related, fix, demote: 2 });
              } else {
                context.report({ messageId: 'configured', file: eff.file, node: eff.node.value, data: { key, value: eff.value, tables }, related, fix, demote: ipv6 ? 1 : 0 });
              }
            }
            // A live value means something loads the module on this host; otherwise only modules-load.d/udev would.
            if (value !== undefined && value !== 0 && !KEYS.some((k) => liveValue(scope, k)) && loadsModule(scope, 'br_netfilter') === false) {
              context.report({ messageId: 'moduleNotLoaded', file: eff.file, node: eff.node.key, data: { key }, demote: 2 });
            }
          }
        }
        // Live values (none in the repository) where no file sets the key.
        const facts = scope.facts();
        if (!(facts.kubernetesNode.known && facts.kubernetesNode.value)) return;
        for (const key of KEYS) {
          if (sets.some((s) => s.effective(key))) continue;
          const live = liveValue(scope, key);
          if (!live || sysctlInt(live.value) !== 0) continue;
          const ipv6 = key.endsWith('ip6tables');
          if (cni && NOT_BRIDGED.has(cni.type)) continue;
          context.report({ messageId: 'live', file: live.file, position: live.position, data: { key, value: live.value, tables: ipv6 ? 'ip6tables' : 'iptables' }, related: evidenceOf(facts.kubernetesNode), demote: ipv6 ? 1 : 0 });
        }
      },
    };

    /**
     * The plugin type of the CNI configuration the container runtime uses:
     * the first file of /etc/cni/net.d by name, its first plugin.
     */
    function primaryCniType(): { type: string; evidence: Location } | undefined {
      const files = scope
        .filesOf('cni')
        .filter((f) => (f.hostPath ?? '').startsWith('/etc/cni/net.d/'))
        .sort((a, b) => (a.hostPath! < b.hostPath! ? -1 : 1));
      const first: SourceFile | undefined = files[0];
      const body = (first && treeOf(first, 'cni'))?.children[0]?.body;
      if (!first || !body) return undefined;
      const plugin = getItems(body, 'plugins')[0] ?? body;
      const node = getScalar(plugin, 'type');
      if (!node || typeof node.value !== 'string') return undefined;
      return { type: node.value, evidence: { file: first.path, position: node.position, message: `The node's CNI configuration uses the \`${node.value}\` plugin` } };
    }
  },
});
