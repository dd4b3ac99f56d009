import { KUBELET_KINDS, defineRule, ORIGIN, kubeletConfigFile, kubeletResolvConf, kubeletValue, MAXNS, parseNameserver, podResolvFiles, type Location, type ResolvWordNode, treeOf } from '../src/rule-api.js';


export default defineRule({
  meta: {
    id: 'k8s-resolv-loopback',
    type: 'problem',
    description: 'Disallow loopback name servers in the resolv.conf that the kubelet hands to pods',
    rationale: [
      'CoreDNS runs with `dnsPolicy: Default`: its pods get the name servers of the file the kubelet is configured with (`resolvConf`, default /etc/resolv.conf), and its `forward . /etc/resolv.conf` sends every name it is not authoritative for to them. A loopback address there — systemd-resolved\'s `127.0.0.53`, a local dnsmasq on `127.0.0.1`, `::1` — means the CoreDNS pod\'s own loopback, i.e. CoreDNS itself. The `loop` plugin detects the loop ("Loop (127.0.0.1:… -> :53) detected for zone \\".\\"") and halts the server, and the CoreDNS pods go into CrashLoopBackOff; without the plugin, queries bounce until they time out. `dnsPolicy: Default` workloads and host-network pods lose their resolver the same way.',
      'Point the kubelet at a file with the real upstream servers: with systemd-resolved, `resolvConf: /run/systemd/resolve/resolv.conf` (kubeadm sets this when it detects systemd-resolved). An empty `resolvConf: ""` is reported too: the kubelet then gives `Default` pods `nameserver 127.0.0.1`.',
      'In a node snapshot the kubelet configuration says which file is used (symlinks such as /etc/resolv.conf → stub-resolv.conf are followed). For a resolv.conf in the repository the rule only knows, from `facts.kubernetesNode`, that it configures a Kubernetes node, not that the kubelet uses it, and reports one level lower.',
    ].join('\n\n'),
    severity: 'error',
    precision: 'medium',
    languages: ['resolv', 'kube'],
    kinds: [...KUBELET_KINDS],
    messages: {
      loopback: 'Loopback name server `{{address}}` in {{target}}, the resolv.conf the kubelet hands to pods: CoreDNS (dnsPolicy Default) forwards to itself, its loop plugin halts it and the pods crash-loop; point the kubelet\'s resolvConf at a file with the real upstream servers',
      maybe: 'Loopback name server `{{address}}` on a Kubernetes node: if the kubelet hands this file to pods (its resolvConf, default /etc/resolv.conf), CoreDNS forwards to itself and crash-loops; lint a node snapshot with var/lib/kubelet/config.yaml to know',
      empty: 'The kubelet\'s resolvConf is empty: pods with dnsPolicy Default, CoreDNS among them, get nameserver 127.0.0.1, so CoreDNS forwards to itself and crash-loops',
    },
    sources: [
      { title: 'Kubernetes: Debugging DNS Resolution — known issues (systemd-resolved stub, forwarding loop, --resolv-conf)', url: 'https://kubernetes.io/docs/tasks/administer-cluster/dns-debugging-resolution/#known-issues' },
      { title: 'CoreDNS loop plugin: troubleshooting loops in Kubernetes clusters', url: 'https://coredns.io/plugins/loop/#troubleshooting-loops-in-kubernetes-clusters' },
      { title: 'kubelet pkg/kubelet/network/dns/dns.go: Default policy copies the host name servers; an empty resolvConf yields 127.0.0.1', url: 'https://github.com/kubernetes/kubernetes/blob/master/pkg/kubelet/network/dns/dns.go' },
    ],
    tags: ['dns', 'kubernetes', 'resolv', 'coredns'],
    fixable: false,
    examples: [
      {
        title: 'The systemd-resolved stub on a node',
        filename: 'etc/resolv.conf',
        code: 'nameserver 127.0.0.53\noptions edns0 trust-ad\nsearch .\n',
        facts: { kubernetesNode: true },
        expect: 1,
      },
      {
        title: 'The uplink servers on a node',
        filename: 'etc/resolv.conf',
        code: 'nameserver 10.0.0.2\nnameserver 10.0.0.3\n',
        facts: { kubernetesNode: true },
        expect: 'valid',
      },
    ],
  },
  create(context) {
    const scope = context.scope;
    return {
      scope() {
        for (const p of podResolvFiles(scope)) {
          const tree = treeOf(p.file, 'resolv')!;
          // The kubelet's reading: every line whose first field is `nameserver`, the first 3 kept.
          const words: ResolvWordNode[] = [];
          for (const l of tree.children) {
            if (l.type !== 'directive' || l.name !== 'nameserver') continue;
            const w = l.args[0];
            if (w && w.type === 'word') words.push(w);
          }
          const related: Location[] = [...p.node];
          if (p.resolvConf) related.push({ file: p.resolvConf.file, position: p.resolvConf.position ?? ORIGIN, message: p.resolvConf.message });
          else if (p.certain) {
            const cfg = kubeletConfigFile(scope);
            if (cfg) related.push({ file: cfg.path, position: ORIGIN, message: 'kubelet resolvConf is not set: it defaults to /etc/resolv.conf' });
          }
          const via = kubeletResolvConf(scope)?.value ?? '';
          const target = p.file.hostPath && via && via !== p.file.hostPath ? `${via} (→ ${p.file.hostPath})` : (p.file.hostPath ?? p.file.path);
          for (const w of words.slice(0, MAXNS)) {
            const address = parseNameserver(w.value);
            if (!address?.loopback) continue;
            if (p.certain) context.report({ messageId: 'loopback', file: p.file, node: w, data: { address: w.value, target }, related });
            else context.report({ messageId: 'maybe', file: p.file, node: w, data: { address: w.value }, related, demote: 1 });
          }
        }
        // A host's kubelet configuration (none in the repository).
        const rc = kubeletValue(scope, 'resolvConf');
        if (!rc) return;
        const k = scope.facts().kubernetesNode;
        if (!(k.known && k.value)) return;
        if (rc && rc.node.value === '') {
          context.report({ messageId: 'empty', file: rc.file, node: rc.node, related: k.evidence.map((e) => ({ file: e.file, position: e.position ?? ORIGIN, message: e.message })) });
        }
      },
    };
  },
});
