import { defineRule, kubeletConfigFile, kubeletSearchLine, kubeletValue, podResolvFiles, type Location, type PodResolvFile, type Position, type ResolvWordNode, treeOf } from '../src/rule-api.js';

interface Options {
  legacy: boolean;
  clusterDomain: string;
}

/** k8s.io/kubernetes pkg/apis/core/validation: MaxDNSSearchPaths*, MaxDNSSearchListChars*. */
const LIMITS = { expanded: { paths: 32, chars: 2048 }, legacy: { paths: 6, chars: 256 } };
/** utilvalidation.DNS1123SubdomainMaxLength. */
const MAX_ENTRY = 253;
/** The longest namespace name (a DNS-1123 label). */
const LONGEST_NAMESPACE = 'n'.repeat(63);

interface Domain {
  node: ResolvWordNode;
  /** The kubelet's form: one trailing dot removed. */
  name: string;
}

function span(from: ResolvWordNode, to: ResolvWordNode): Position {
  return { start: from.position.start, end: to.position.end };
}

function list(domains: Domain[]): string {
  const names = domains.map((d) => `\`${d.node.value}\``);
  return names.length <= 3 ? names.join(', ') : `${names.slice(0, 3).join(', ')} and ${names.length - 3} more`;
}

export default defineRule<'tooMany' | 'tooLong' | 'lineTooLong', Options>({
  meta: {
    id: 'k8s-search-limits',
    type: 'problem',
    description: 'Require the node search list that pods inherit to fit the kubelet\'s DNS limits',
    rationale: [
      'For a `dnsPolicy: ClusterFirst` pod the kubelet builds the search line from three cluster domains (`<namespace>.svc.<clusterDomain>`, `svc.<clusterDomain>`, `<clusterDomain>`) followed by the node\'s search domains, taken from the last `search` line of its `resolvConf`. The line must fit 32 domains and 2048 characters (`ExpandedDNSConfig`, on by default since Kubernetes 1.26 and always on since 1.28); older kubelets — and glibc up to 2.25 — allow only 6 domains and 256 characters (option `legacy: true`). Domains longer than 253 characters are dropped.',
      'When the line does not fit, the kubelet silently drops domains from the end for every pod it starts and records a `DNSConfigForming` warning event ("Search Line limits were exceeded, some search paths have been omitted"); it also checks the node file itself at start-up (`CheckLimitsForResolvConf`: "contains search line consisting of more than 29 domains!"). Names that only resolve through a dropped domain stop resolving in pods while they still resolve on the node.',
      'The character budget counts the cluster domains for the longest possible namespace name (63 characters), so that pods in every namespace keep the whole node list. The cluster domain comes from the kubelet configuration of a node snapshot (`clusterDomain`), else from the `clusterDomain` option.',
    ].join('\n\n'),
    severity: 'warning',
    precision: 'medium',
    languages: ['resolv'],
    messages: {
      tooMany: 'The node search list has {{count}} domains but pods can inherit only {{limit}} ({{why}}): the kubelet drops {{lost}}',
      tooLong: 'Search domain `{{domain}}` is {{length}} characters long; the kubelet drops domains longer than 253 characters from pods\' search lists',
      lineTooLong: 'The node search list ({{length}} characters) does not fit in the {{max}}-character search line the kubelet writes for pods once the cluster domains of `{{clusterDomain}}` are in front: it drops {{lost}}',
    },
    schema: {
      type: 'object',
      additionalProperties: false,
      properties: {
        legacy: { type: 'boolean' },
        clusterDomain: { type: 'string' },
      },
    },
    defaultOptions: { legacy: false, clusterDomain: 'cluster.local' },
    sources: [
      { title: 'kubelet pkg/kubelet/network/dns/dns.go: formDNSSearchFitsLimits, CheckLimitsForResolvConf, generateSearchesForDNSClusterFirst', url: 'https://github.com/kubernetes/kubernetes/blob/master/pkg/kubelet/network/dns/dns.go' },
      { title: 'Kubernetes: DNS for Services and Pods — DNS search domain list limits', url: 'https://kubernetes.io/docs/concepts/services-networking/dns-pod-service/#dns-search-domain-list-limits' },
      { title: 'KEP-2595 Expanded DNS Configuration (32 search paths, 2048 characters)', url: 'https://github.com/kubernetes/enhancements/tree/master/keps/sig-network/2595-expanded-dns-config' },
    ],
    tags: ['dns', 'kubernetes', 'resolv'],
    fixable: false,
    examples: [
      {
        title: 'Seven node search domains with the legacy limits',
        filename: 'etc/resolv.conf',
        code: 'nameserver 10.0.0.2\nsearch a.example.com b.example.com c.example.com d.example.com e.example.com f.example.com g.example.com\n',
        facts: { kubernetesNode: true },
        options: { legacy: true },
        expect: 1,
      },
      {
        title: 'Seven node search domains with expanded DNS configuration',
        filename: 'etc/resolv.conf',
        code: 'nameserver 10.0.0.2\nsearch a.example.com b.example.com c.example.com d.example.com e.example.com f.example.com g.example.com\n',
        facts: { kubernetesNode: true },
        expect: 'valid',
      },
    ],
  },
  create(context) {
    function clusterDomain(options: Options): { value: string; related: Location[] } {
      // A host's kubelet configuration (none in the repository).
      const cd = kubeletValue(context.scope, 'clusterDomain');
      if (cd) {
        const value = cd.node.value === null ? '' : String(cd.node.value).replace(/\.$/, '');
        return { value, related: [{ file: cd.file.path, position: cd.node.position, message: `kubelet clusterDomain: ${value}` }] };
      }
      if (kubeletConfigFile(context.scope)) return { value: '', related: [] };
      return { value: options.clusterDomain.replace(/\.$/, ''), related: [] };
    }

    function check(p: PodResolvFile): void {
      const line = kubeletSearchLine(treeOf(p.file, 'resolv')!);
      if (!line) return;
      const domains: Domain[] = line.args.flatMap((a) => (a.type === 'word' ? [{ node: a, name: a.value.replace(/\.$/, '') }] : []));
      if (domains.length === 0) return;
      const options = context.optionsFor(p.file);
      const limits = options.legacy ? LIMITS.legacy : LIMITS.expanded;
      const cd = clusterDomain(options);
      const related = [...p.node, ...cd.related];
      const limit = limits.paths - (cd.value ? 3 : 0);

      if (domains.length > limit) {
        const lost = domains.slice(limit);
        const why = cd.value ? `${limits.paths} search paths minus the 3 cluster domains` : `${limits.paths} search paths`;
        context.report({ messageId: 'tooMany', file: p.file, position: span(lost[0]!.node, lost[lost.length - 1]!.node), data: { count: domains.length, limit, why, lost: list(lost) }, related });
      }
      const kept: Domain[] = [];
      for (const d of domains.slice(0, limit)) {
        if (d.name.length > MAX_ENTRY) {
          context.report({ messageId: 'tooLong', file: p.file, node: d.node, data: { domain: d.node.value, length: d.name.length }, related });
        } else kept.push(d);
      }
      // The pod's line: cluster domains first, duplicates removed (omitDuplicates), then cut from the end.
      const cluster = cd.value ? [`${LONGEST_NAMESPACE}.svc.${cd.value}`, `svc.${cd.value}`, cd.value] : [];
      const seen = new Set(cluster);
      const nodePart = kept.filter((d) => !seen.has(d.name) && (seen.add(d.name), true));
      const composed = [...cluster, ...nodePart.map((d) => d.name)];
      let length = composed.join(' ').length;
      if (length <= limits.chars) return;
      let cut = 0;
      while (cut < nodePart.length && length > limits.chars) {
        length -= nodePart[nodePart.length - 1 - cut]!.name.length + 1;
        cut++;
      }
      const lost = nodePart.slice(nodePart.length - cut);
      if (lost.length === 0) return;
      context.report({
        messageId: 'lineTooLong',
        file: p.file,
        position: span(lost[0]!.node, lost[lost.length - 1]!.node),
        data: { length: nodePart.map((d) => d.name).join(' ').length, max: limits.chars, clusterDomain: cd.value || '(none)', lost: list(lost) },
        related,
      });
    }

    return {
      scope() {
        for (const p of podResolvFiles(context.scope)) check(p);
      },
    };
  },
});
