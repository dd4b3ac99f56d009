import { defineRule, ORIGIN, glibcNameservers, kubeletResolvConf, podResolvFiles, type Location, type ResolvRoot, type SourceFile } from '../src/rule-api.js';


export default defineRule({
  meta: {
    id: 'resolv-no-nameserver',
    type: 'problem',
    description: 'Require at least one `nameserver` line that glibc reads in resolv.conf',
    rationale: [
      'A resolv.conf without a usable `nameserver` line does not mean "no DNS": glibc\'s `res_init` then uses the default server, 127.0.0.1 (`INADDR_LOOPBACK`, resolv.conf(5): "If no nameserver entries are present, the default is to use the name server on the local machine"). Names resolve only while something answers on port 53 of the host itself; otherwise every lookup times out after the configured attempts. Lines glibc does not read — commented out, indented, or with an address it cannot parse — do not count.',
      'On a Kubernetes node whose kubelet hands this file to pods (its `resolvConf`, default `/etc/resolv.conf`), pods with `dnsPolicy: Default` — CoreDNS among them, which forwards to the servers of that file — inherit no upstream name server, so cluster DNS cannot resolve any name outside the cluster. hostlint says so when a node snapshot shows the kubelet reads this file.',
    ].join('\n\n'),
    severity: 'warning',
    precision: 'high',
    languages: ['resolv'],
    messages: {
      none: 'No `nameserver` line glibc reads: it falls back to 127.0.0.1, so names resolve only if a resolver listens on this host; add the name servers of this network',
      pods: 'No `nameserver` line in {{target}}, the resolv.conf the kubelet hands to pods: glibc falls back to 127.0.0.1, and pods with dnsPolicy Default (CoreDNS among them) inherit no upstream name server; add the name servers of this network',
    },
    sources: [
      { title: 'resolv.conf(5): "If no nameserver entries are present, the default is to use the name server on the local machine"', url: 'https://man7.org/linux/man-pages/man5/resolv.conf.5.html' },
      { title: 'glibc resolv/res_init.c: no nameserver lines → one server at INADDR_LOOPBACK', url: 'https://sourceware.org/git/?p=glibc.git;a=blob;f=resolv/res_init.c' },
      { title: 'Kubernetes: DNS for Services and Pods, dnsPolicy Default inherits the node\'s resolv.conf', url: 'https://kubernetes.io/docs/concepts/services-networking/dns-pod-service/' },
      { title: 'Kubernetes: Customizing DNS Service, CoreDNS forwards to the servers of /etc/resolv.conf', url: 'https://kubernetes.io/docs/tasks/administer-cluster/dns-custom-nameservers/' },
    ],
    tags: ['resolv', 'dns', 'kubernetes'],
    fixable: false,
    examples: [
      {
        title: 'Every nameserver commented out',
        filename: 'etc/resolv.conf',
        code: '# Local resolver\n#nameserver 127.0.0.1\noptions edns0 trust-ad\n',
        expect: 1,
      },
      {
        title: 'An indented nameserver line, which glibc does not read',
        filename: 'etc/resolv.conf',
        code: 'search corp.example.com\n  nameserver 10.0.0.2\n',
        expect: 1,
      },
      {
        title: 'A name server',
        filename: 'etc/resolv.conf',
        code: 'search corp.example.com\nnameserver 10.0.0.2\n',
        expect: 'valid',
      },
    ],
  },
  create(context) {
    const scope = context.scope;
    return {
      'resolv:root'(tree: ResolvRoot, file: SourceFile) {
        if (glibcNameservers(tree).length > 0) return;
        const pod = podResolvFiles(scope).find((p) => p.file === file && p.certain);
        if (!pod) {
          context.report({ messageId: 'none', file, position: ORIGIN });
          return;
        }
        const related: Location[] = [...pod.node];
        if (pod.resolvConf) related.push({ file: pod.resolvConf.file, position: pod.resolvConf.position ?? ORIGIN, message: pod.resolvConf.message });
        const via = kubeletResolvConf(scope)?.value ?? '';
        const target = file.hostPath && via && via !== file.hostPath ? `${via} (→ ${file.hostPath})` : (file.hostPath ?? file.path);
        context.report({ messageId: 'pods', file, position: ORIGIN, data: { target }, related });
      },
    };
  },
});
