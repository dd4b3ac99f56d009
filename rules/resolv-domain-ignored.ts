import { defineRule, podResolvFiles, type ResolvDirectiveNode, treeOf } from '../src/rule-api.js';

export default defineRule({
  meta: {
    id: 'resolv-domain-ignored',
    type: 'suggestion',
    description: 'Require `search` instead of `domain` in the resolv.conf that a Kubernetes node hands to pods',
    rationale: [
      'glibc treats `domain example.com` as a one-entry search list, so on the node `db` resolves as `db.example.com`. The kubelet, which reads the node\'s resolv.conf to build the pods\' files, ignores `domain` lines: `dnsPolicy: Default` pods get no search list at all, and `ClusterFirst` pods get only the cluster domains. Short names that work on the node therefore fail in pods.',
      'Write the domain as `search example.com` if pods should inherit it (and consider `resolv-search-inherited` first: with `ndots:5` every inherited domain is tried before the name itself), or drop the line if they should not. The rule looks only at the resolv.conf the kubelet uses (`resolvConf` in the kubelet configuration of a node snapshot, default /etc/resolv.conf), or at resolv.conf files of hosts configured as Kubernetes nodes (`facts.kubernetesNode`).',
    ].join('\n\n'),
    severity: 'note',
    precision: 'medium',
    languages: ['resolv'],
    messages: {
      ignored: '`domain {{domain}}` makes glibc search `{{domain}}` on this node, but the kubelet ignores `domain` lines: pods do not inherit it; use `search {{domain}}` if they should',
    },
    sources: [
      { title: 'kubelet pkg/kubelet/network/dns/dns.go parseResolvConf: reads nameserver, search and options lines only', url: 'https://github.com/kubernetes/kubernetes/blob/master/pkg/kubelet/network/dns/dns.go' },
      { title: 'resolv.conf(5): domain is the local domain name, searched when no search list is given', url: 'https://man7.org/linux/man-pages/man5/resolv.conf.5.html' },
      { title: 'Kubernetes: DNS for Services and Pods (dnsPolicy Default and ClusterFirst inherit the node search list)', url: 'https://kubernetes.io/docs/concepts/services-networking/dns-pod-service/' },
    ],
    tags: ['dns', 'kubernetes', 'resolv'],
    fixable: false,
    examples: [
      {
        title: 'A domain line on a node',
        filename: 'etc/resolv.conf',
        code: 'domain corp.example.com\nnameserver 10.0.0.2\n',
        facts: { kubernetesNode: true },
        expect: 1,
      },
      {
        title: 'A search line on a node',
        filename: 'etc/resolv.conf',
        code: 'search corp.example.com\nnameserver 10.0.0.2\n',
        facts: { kubernetesNode: true },
        expect: 'valid',
      },
    ],
  },
  create(context) {
    return {
      scope() {
        for (const p of podResolvFiles(context.scope)) {
          const tree = treeOf(p.file, 'resolv')!;
          if (tree.children.some((l) => l.type === 'directive' && l.name === 'search')) continue;
          // The list glibc uses: the last active `domain` line with a value.
          let last: ResolvDirectiveNode | undefined;
          for (const l of tree.children) if (l.type === 'directive' && l.active && l.name === 'domain' && l.args.length > 0) last = l;
          const word = last?.args[0];
          if (!last || !word || word.type !== 'word') continue;
          context.report({
            messageId: 'ignored',
            file: p.file,
            node: word,
            data: { domain: word.value },
            related: p.node,
          });
        }
      },
    };
  },
});
