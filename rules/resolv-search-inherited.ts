import { defineRule, evidenceOf, kubeletResolvConf, type ResolvDirectiveNode, type SourceFile, treeOf } from '../src/rule-api.js';

interface Options {
  allow: string[];
}

// Trailing dots stripped by a loop: `/\.+$/` is quadratic over a run of dots inside a name.
const norm = (d: string) => {
  let end = d.length;
  while (end > 0 && d[end - 1] === '.') end--;
  return d.slice(0, end).toLowerCase();
};

export default defineRule<'inherited', Options>({
  meta: {
    id: 'resolv-search-inherited',
    type: 'problem',
    description: 'Disallow node `search` domains that pods inherit and try before the real name',
    rationale: [
      'For a pod with `dnsPolicy: ClusterFirst` the kubelet writes a resolv.conf whose search list is the cluster domains followed by the **node\'s** search domains, with `options ndots:5`. Any name with fewer than five dots — `db.prod`, `api.example.com` — is first tried against every search domain, in order, and the first domain that answers wins. A corporate domain on the node (`search corp.example.com`) therefore sends pods\' lookups to whatever that domain resolves, which can be another cluster\'s addresses, and adds a round trip to every external lookup.',
      'The kubelet reads the search list with its own parser: it takes the last `search` line (indented or not) and ignores `domain` lines, so this rule does too (a `domain` line is not inherited by pods). Domains the cluster relies on can be listed in the `allow` option. The rule only looks at resolv.conf files of hosts known to be Kubernetes nodes.',
    ].join('\n\n'),
    severity: 'warning',
    precision: 'medium',
    languages: ['resolv'],
    messages: {
      inherited: 'Pods on this Kubernetes node inherit search domain `{{domain}}` and, with ndots:5, try names against it before resolving them as written',
    },
    schema: {
      type: 'object',
      additionalProperties: false,
      properties: { allow: { type: 'array', items: { type: 'string', minLength: 1 }, uniqueItems: true } },
    },
    defaultOptions: { allow: [] },
    sources: [
      { title: 'kubelet pkg/kubelet/network/dns/dns.go: ClusterFirst search = cluster domains + host search, options ndots:5; domain lines ignored', url: 'https://github.com/kubernetes/kubernetes/blob/master/pkg/kubelet/network/dns/dns.go' },
      { title: 'Kubernetes: DNS for Services and Pods (dnsPolicy, ndots)', url: 'https://kubernetes.io/docs/concepts/services-networking/dns-pod-service/' },
      { title: 'resolv.conf(5): search, ndots', url: 'https://man7.org/linux/man-pages/man5/resolv.conf.5.html' },
    ],
    tags: ['dns', 'kubernetes', 'resolv'],
    fixable: false,
    examples: [
      {
        title: 'A corporate search domain on a node',
        filename: 'etc/resolv.conf',
        code: 'nameserver 10.0.0.2\nsearch corp.example.com\n',
        facts: { kubernetesNode: true },
        expect: 1,
      },
      {
        title: 'No search list',
        filename: 'etc/resolv.conf',
        code: 'nameserver 10.0.0.2\n',
        facts: { kubernetesNode: true },
        expect: 'valid',
      },
    ],
  },
  create(context) {
    const check = (file: SourceFile) => {
      const allow = new Set((context.optionsFor(file).allow ?? []).map(norm));
      const facts = context.scope.facts(file);
      if (!(facts.kubernetesNode.known && facts.kubernetesNode.value)) return;
      const tree = treeOf(file, 'resolv')!;
      let last: ResolvDirectiveNode | undefined;
      for (const line of tree.children) if (line.type === 'directive' && line.name === 'search') last = line;
      if (!last) return;
      for (const arg of last.args) {
        if (arg.type !== 'word') continue;
        const domain = norm(arg.value);
        if (domain === '' || allow.has(domain)) continue;
        context.report({ messageId: 'inherited', file, node: arg, data: { domain: arg.value }, related: evidenceOf(facts.kubernetesNode) });
      }
    };
    return {
      scope() {
        const files = context.scope.filesOf('resolv');
        // A host: the file the kubelet hands to pods (kubelet resolvConf, default /etc/resolv.conf).
        const target = kubeletResolvConf(context.scope);
        if (!target) {
          // The repository: every file.
          for (const f of files) check(f);
          return;
        }
        // The path may be a symlink (Ubuntu: /etc/resolv.conf -> ../run/systemd/resolve/stub-resolv.conf).
        const file = files.find((f) => f.hostPath === target.value || f.linkedFrom?.includes(target.value));
        if (file) check(file);
      },
    };
  },
});
