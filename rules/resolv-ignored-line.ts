import { defineRule, parseNameserver, type ResolvRoot } from '../src/rule-api.js';

/** Keywords the kubelet reads after trimming blanks (dns.go parseResolvConf). */
const KUBELET_READS = new Set(['nameserver', 'search', 'options']);
/** resolv.conf keywords of the BSDs that Linux resolvers do not know. */
const BSD_KEYWORDS = new Set(['lookup', 'family']);

export default defineRule({
  meta: {
    id: 'resolv-ignored-line',
    type: 'problem',
    description: 'Disallow resolv.conf lines that glibc silently ignores',
    rationale: [
      'glibc\'s parser (`res_init.c`) is strict and silent. A keyword counts only when it starts in column 1 and is followed by a blank: an indented `nameserver` line, a `nameserver1.2.3.4` without the blank, a keyword glibc does not know (OpenBSD\'s `lookup file bind`, typos) or a keyword with no value is skipped without a word. A `nameserver` whose address glibc cannot parse — `192.0.2.2:5353` (there is no port syntax), a hostname, a template placeholder — is skipped too. When the skipped line was the only name server, glibc falls back to 127.0.0.1.',
      'The kubelet reads the file it hands to pods with its own parser, which trims blanks: an indented `nameserver`, `search` or `options` line is ignored by glibc on the node but used for the pods, so the two disagree. A bare `nameserver` line even makes the kubelet reject the file ("nameserver list is empty"), and with it the DNS configuration of every pod it starts.',
      'Indented comments are harmless (glibc ignores them as lines with an unknown keyword), so they are reported one level lower; the fix moves them to column 1.',
    ].join('\n\n'),
    severity: 'warning',
    precision: 'high',
    languages: ['resolv'],
    messages: {
      indentedComment: 'Indented comment: glibc recognises `#` and `;` only in column 1 and skips this line as an unknown keyword; start it in column 1',
      indentedRead: '`{{keyword}}` is indented: glibc ignores the line (keywords must start in column 1), but the kubelet trims blanks and reads it for pods',
      indented: '`{{keyword}}` is indented: glibc ignores the line (keywords must start in column 1)',
      bsd: '`{{keyword}}` is a BSD resolv.conf keyword: glibc and the kubelet ignore the line (Linux takes the lookup order from /etc/nsswitch.conf)',
      unknown: 'Unknown keyword `{{keyword}}`: glibc and the kubelet ignore the line',
      noValue: '`{{keyword}}` without a value: glibc ignores the line',
      badAddress: '`{{address}}` is not an IPv4 or IPv6 address: glibc ignores this nameserver line',
    },
    sources: [
      { title: 'glibc resolv/res_init.c: comments only in column 1, MATCH() needs the keyword at the start of the line followed by a blank, inet_aton()/inet_pton() for nameserver', url: 'https://sourceware.org/git/?p=glibc.git;a=blob;f=resolv/res_init.c' },
      { title: 'resolv.conf(5): the keyword and value must appear on a single line, and the keyword must start the line', url: 'https://man7.org/linux/man-pages/man5/resolv.conf.5.html' },
      { title: 'kubelet pkg/kubelet/network/dns/dns.go parseResolvConf: strings.TrimSpace, `#` comments only, "nameserver list is empty"', url: 'https://github.com/kubernetes/kubernetes/blob/master/pkg/kubelet/network/dns/dns.go' },
    ],
    tags: ['dns', 'resolv'],
    fixable: true,
    examples: [
      {
        title: 'An indented name server',
        filename: 'etc/resolv.conf',
        code: 'search corp.example.com\n  nameserver 10.0.0.2\n',
        expect: 1,
      },
      {
        title: 'Keywords in column 1',
        filename: 'etc/resolv.conf',
        code: '# corporate resolvers\nsearch corp.example.com\nnameserver 10.0.0.2\n',
        expect: 'valid',
      },
    ],
  },
  create(context) {
    return {
      'resolv:root'(tree: ResolvRoot) {
        for (const line of tree.children) {
          if (line.type === 'comment') {
            if (line.position.start.column === 1) continue;
            const end = line.position.start.offset!;
            const start = end - (line.position.start.column - 1);
            context.report({
              messageId: 'indentedComment',
              node: line,
              demote: 1,
              fix: { description: 'Move the comment to column 1', edits: [{ range: [start, end], text: '' }] },
            });
            continue;
          }
          const data = { keyword: line.keyword.value };
          if (line.inactiveReason === 'indented') {
            context.report({ messageId: KUBELET_READS.has(line.name) ? 'indentedRead' : 'indented', node: line.keyword, data });
          } else if (line.inactiveReason === 'unknown-keyword') {
            context.report({ messageId: BSD_KEYWORDS.has(line.name) ? 'bsd' : 'unknown', node: line.keyword, data });
          } else if (line.inactiveReason === 'no-separator' || line.args.length === 0) {
            context.report({ messageId: 'noValue', node: line.keyword, data });
          } else if (line.name === 'nameserver') {
            const word = line.args[0]!;
            if (word.type === 'word' && !parseNameserver(word.value)) {
              context.report({ messageId: 'badAddress', node: word, data: { address: word.value } });
            }
          }
        }
      },
    };
  },
});
