import { defineRule, glibcNameservers, MAXNS, type Location, type ResolvRoot, type SourceFile } from '../src/rule-api.js';

export default defineRule({
  meta: {
    id: 'resolv-max-nameservers',
    type: 'problem',
    description: 'Disallow more than three `nameserver` lines in resolv.conf',
    rationale: [
      'glibc reads every `nameserver` line but queries only the first three (`MAXNS` = 3 in `resolv.h`); musl stops at three as well, and the kubelet cuts the list it gives `dnsPolicy: Default` pods to three, with a `DNSConfigForming` warning event ("Nameserver limits were exceeded, some nameservers have been omitted").',
      'A fourth server is therefore never asked: if the first three cannot answer a name (a split-horizon zone only the fourth knows, or the first three are down), resolution fails although the file seems to list a server that would answer. Put the servers that matter first, or remove the extra lines.',
      'Only lines glibc accepts are counted: an indented line or an address glibc cannot parse is ignored by glibc (see `resolv-ignored-line`) and does not take one of the three places.',
    ].join('\n\n'),
    severity: 'warning',
    precision: 'high',
    languages: ['resolv'],
    messages: {
      extra: 'Nameserver `{{address}}` is number {{n}} in the list; glibc, musl and the kubelet use only the first 3, so it is never queried',
    },
    sources: [
      { title: 'glibc resolv/res_init.c and resolv/resolv_conf.c: every nameserver is parsed, the first MAXNS (3) are used', url: 'https://sourceware.org/git/?p=glibc.git;a=blob;f=resolv/res_init.c' },
      { title: 'resolv.conf(5): up to MAXNS (currently 3) name servers may be listed', url: 'https://man7.org/linux/man-pages/man5/resolv.conf.5.html' },
      { title: 'kubelet pkg/kubelet/network/dns/dns.go: formDNSNameserversFitsLimits keeps MaxDNSNameservers (3)', url: 'https://github.com/kubernetes/kubernetes/blob/master/pkg/kubelet/network/dns/dns.go' },
      { title: 'musl src/network/resolvconf.c: MAXNS 3', url: 'https://git.musl-libc.org/cgit/musl/tree/src/network/resolvconf.c' },
    ],
    tags: ['dns', 'resolv'],
    fixable: false,
    examples: [
      {
        title: 'Four name servers',
        filename: 'etc/resolv.conf',
        code: 'nameserver 10.0.0.2\nnameserver 10.0.0.3\nnameserver 10.1.0.2\nnameserver 10.1.0.3\n',
        expect: 1,
      },
      {
        title: 'Three name servers',
        filename: 'etc/resolv.conf',
        code: 'nameserver 10.0.0.2\nnameserver 10.0.0.3\nnameserver 10.1.0.2\n',
        expect: 'valid',
      },
    ],
  },
  create(context) {
    return {
      'resolv:root'(tree: ResolvRoot, file: SourceFile) {
        const servers = glibcNameservers(tree, file.text);
        if (servers.length <= MAXNS) return;
        const used: Location[] = servers.slice(0, MAXNS).map((s, i) => ({ file: file.path, position: s.word.position, message: `Nameserver ${i + 1} of ${MAXNS}: ${s.word.value}` }));
        servers.slice(MAXNS).forEach((s, i) => {
          context.report({ messageId: 'extra', node: s.word, data: { address: s.word.value, n: MAXNS + i + 1 }, related: used });
        });
      },
    };
  },
});
