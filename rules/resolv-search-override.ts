import { defineRule, type ResolvDirectiveNode, type ResolvRoot, type SourceFile } from '../src/rule-api.js';

export default defineRule({
  meta: {
    id: 'resolv-search-override',
    type: 'problem',
    description: 'Disallow more than one `search` or `domain` line in resolv.conf',
    rationale: [
      'In glibc every `search` or `domain` line replaces the whole search list (`res_init.c`: `search_list_clear` on each one), so only the last such line counts; `domain` is the obsolete one-entry form of `search`. musl behaves the same way. A file with `search corp.example.com` followed by `domain example.net` searches `example.net` only — the domains on the earlier line are silently dropped, which is rarely what the author (or the second tool that appended a line) meant.',
      'The kubelet reads the file differently: it takes the last `search` line and ignores `domain` lines altogether, so when a `domain` line comes last the node and its pods end up with different search lists. Merge the domains into one `search` line.',
      'When the last line searches every domain of an earlier one (`search ttt.com`, later `domain ttt.com`), nothing is dropped and the rule is silent. Lines glibc ignores (indented, or with no value) do not override anything and are reported by `resolv-ignored-line` instead.',
    ].join('\n\n'),
    severity: 'warning',
    precision: 'high',
    languages: ['resolv'],
    messages: {
      overridden: '`{{keyword}}` is overridden by the `{{lastKeyword}}` on line {{lastLine}}: glibc uses only the last `search` or `domain` line, so its domains ({{domains}}) are not searched',
    },
    sources: [
      { title: 'glibc resolv/res_init.c: each domain or search line clears the search list', url: 'https://sourceware.org/git/?p=glibc.git;a=blob;f=resolv/res_init.c' },
      { title: 'resolv.conf(5): the domain and search keywords are mutually exclusive; the last instance wins', url: 'https://man7.org/linux/man-pages/man5/resolv.conf.5.html' },
      { title: 'kubelet pkg/kubelet/network/dns/dns.go parseResolvConf: last search line wins, domain lines are not read', url: 'https://github.com/kubernetes/kubernetes/blob/master/pkg/kubelet/network/dns/dns.go' },
    ],
    tags: ['dns', 'resolv'],
    fixable: false,
    examples: [
      {
        title: 'A search line followed by a domain line',
        filename: 'etc/resolv.conf',
        code: 'search corp.example.com example.com\nnameserver 10.0.0.2\ndomain example.net\n',
        expect: 1,
      },
      {
        title: 'One search line',
        filename: 'etc/resolv.conf',
        code: 'search corp.example.com example.com example.net\nnameserver 10.0.0.2\n',
        expect: 'valid',
      },
    ],
  },
  create(context) {
    return {
      'resolv:root'(tree: ResolvRoot, file: SourceFile) {
        // glibc skips `search`/`domain` lines without a value: they do not replace the list.
        const lines = tree.children.filter(
          (l): l is ResolvDirectiveNode => l.type === 'directive' && l.active && (l.name === 'search' || l.name === 'domain') && l.args.length > 0,
        );
        if (lines.length < 2) return;
        const last = lines[lines.length - 1]!;
        const searched = new Set(searchList(last));
        for (const line of lines.slice(0, -1)) {
          // The later line searches the same domains (`search ttt.com` … `domain ttt.com`): nothing is lost.
          if (searchList(line).every((d) => searched.has(d))) continue;
          const domains = line.args.map((a) => `\`${a.type === 'word' ? a.value : ''}\``).join(', ');
          context.report({
            messageId: 'overridden',
            file,
            node: line,
            data: { keyword: line.name, lastKeyword: last.name, lastLine: last.position.start.line, domains },
            related: [{ file: file.path, position: last.position, message: `The \`${last.name}\` line glibc uses` }],
          });
        }
      },
    };
  },
});

/**
 * The search list a `search` or `domain` line gives (glibc res_init.c): every
 * word of `search`, the first word of `domain`; names compared without case
 * or a trailing dot.
 */
function searchList(line: ResolvDirectiveNode): string[] {
  const words = line.args.flatMap((a) => (a.type === 'word' ? [a.value.toLowerCase().replace(/\.$/, '')] : []));
  return line.name === 'domain' ? words.slice(0, 1) : words;
}
