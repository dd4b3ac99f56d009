import { defineRule, hostCniFacts } from '../src/rule-api.js';

/** Plugins that read the other files of /etc/cni/net.d themselves (meta plugins): not shadowing. */
const META_PLUGINS = new Set(['multus', 'multus-shim', 'danm', 'genie']);

export default defineRule({
  meta: {
    id: 'cni-conflist-shadowed',
    type: 'problem',
    description: 'Disallow more than one CNI configuration in /etc/cni/net.d, where only the first by name is used',
    rationale: [
      'The container runtime gives pods the network of one CNI configuration: the first file of /etc/cni/net.d, by name, among those ending in `.conf`, `.conflist` or `.json`. containerd (go-cni `loadFromConfDir`), CRI-O (ocicni) and the kubelet\'s former dockershim all list the directory with libcni\'s `ConfFiles(dir, [".conf", ".conflist", ".json"])` and `sort.Strings` the names (byte order: digits before letters, `10-calico.conf` before `10-calico.conflist`); containerd uses the first one (`max_conf_num` 1) as the default network.',
      'A second file is never used — or, worse, it is the one that wins: a `05-flannel.conflist` left behind by a CNI migration silently takes over from `10-calico.conflist`, and new pods get flannel\'s network (and its MTU) while the CNI you run programs routes for another. The rule reports each file after the first, with the file that wins as evidence; it says nothing when the first file is a meta plugin (Multus) that reads the others itself. Files renamed away (`*.cilium_bak`, `*.disabled`) are not considered by the runtimes and not by this rule.',
    ].join('\n\n'),
    severity: 'warning',
    precision: 'high',
    languages: ['cni'],
    messages: {
      shadowed: 'CNI configuration {{file}} ({{type}}) is not used: the container runtime takes {{winner}} ({{winnerType}}), the first of {{count}} files by name in /etc/cni/net.d',
    },
    sources: [
      { title: 'containerd go-cni opts.go loadFromConfDir: ConfFiles(dir, [".conf", ".conflist", ".json"]), sort.Strings, the first file is the default network', url: 'https://github.com/containerd/go-cni/blob/0ae33d212ad3235181539a963d89c07701039a62/opts.go' },
      { title: 'Kubernetes dockershim cni.go getDefaultCNINetwork: the first of the sorted configuration files', url: 'https://github.com/kubernetes/kubernetes/blob/954996e231074dc7429f7be1256a579bedd8344c/pkg/kubelet/dockershim/network/cni/cni.go' },
      { title: 'containerd CRI configuration: max_conf_num (default 1) limits how many files of conf_dir are loaded', url: 'https://github.com/containerd/containerd/blob/main/docs/cri/config.md' },
    ],
    tags: ['cni', 'kubernetes'],
    fixable: false,
    examples: [
      {
        title: 'A flannel configuration left behind wins over Calico\'s',
        filename: 'node01/etc/cni/net.d/10-calico.conflist',
        code: '{"name": "k8s-pod-network", "cniVersion": "0.3.1", "plugins": [{"type": "calico", "mtu": 0}]}\n',
        files: {
          'node01/etc/hostname': 'node01\n',
          'node01/etc/cni/net.d/05-flannel.conflist': '{"name": "cbr0", "cniVersion": "0.3.1", "plugins": [{"type": "flannel", "delegate": {"hairpinMode": true}}]}\n',
          'node01/sys/class/net/eth0/mtu': '1500\n',
        },
        expect: 1,
      },
      {
        title: 'One configuration',
        filename: 'node01/etc/cni/net.d/10-calico.conflist',
        code: '{"name": "k8s-pod-network", "cniVersion": "0.3.1", "plugins": [{"type": "calico", "mtu": 0}]}\n',
        files: { 'node01/etc/hostname': 'node01\n', 'node01/sys/class/net/eth0/mtu': '1500\n' },
        expect: 'valid',
      },
    ],
  },
  create(context) {
    const scope = context.scope;
    return {
      scope() {
        // The node's /etc/cni/net.d (none in the repository).
        const files = hostCniFacts(scope).files;
        const winner = files[0];
        if (!winner || files.length < 2) return;
        if (winner.type && META_PLUGINS.has(winner.type)) return;
        const byPath = new Map(scope.files.map((f) => [f.path, f]));
        for (const f of files.slice(1)) {
          const file = byPath.get(f.location.file);
          if (!file) continue;
          context.report({
            messageId: 'shadowed',
            file,
            position: f.location.position,
            data: { file: f.name, type: f.type ? `plugin ${f.type}` : 'no plugin type', winner: winner.name, winnerType: winner.type ? `plugin ${winner.type}` : 'no plugin type', count: files.length },
            related: [winner.location],
          });
        }
      },
    };
  },
});
