import { defineRule, glibcAtoi, type Position, type ResolvOptionNode, type ResolvRoot, type SourceFile } from '../src/rule-api.js';

/** Options that take a value, with glibc's cap (RES_MAXNDOTS, RES_MAXRETRANS, RES_MAXRETRY). */
const CAPS: Record<string, number> = { ndots: 15, timeout: 30, attempts: 5 };

/**
 * glibc's flag table (res_init.c res_setoptions), in its order: a word is
 * compared with each entry over the entry's length only.
 */
const FLAGS = ['inet6', 'rotate', 'edns0', 'single-request-reopen', 'single-request', 'no_tld_query', 'no-tld-query', 'no-reload', 'use-vc', 'trust-ad', 'no-aaaa'];
/** Documented in resolv.conf(5), accepted without effect on most builds: not worth a finding. */
const QUIET = new Set(['debug', 'no-check-names']);
/** Removed from glibc: resolv.conf(5) lists them "since glibc 2.3.4 to glibc 2.24". */
const REMOVED = new Set(['ip6-bytestring', 'ip6-dotint', 'no-ip6-dotint']);

export default defineRule({
  meta: {
    id: 'resolv-options',
    type: 'problem',
    description: 'Enforce `options` in resolv.conf that glibc understands, with values it does not change',
    rationale: [
      'glibc reads `options` without complaint: an unknown option is ignored, a value is read with `atoi()` (so `ndots:invalid` is `ndots:0`), and values above the limits are silently lowered (`ndots` to 15, `timeout` to 30 seconds, `attempts` to 5). An option whose value is not attached with a colon — `options attempts 3` — is no option at all: glibc compares `attempts:` and finds no match, and `3` is ignored too. None of this shows up anywhere; the resolver simply behaves differently from what the file says.',
      '`inet6` has been deprecated since glibc 2.25 (it makes `gethostbyname` return IPv4-mapped IPv6 addresses and breaks IPv4-only programs); `ip6-bytestring`, `ip6-dotint` and `no-ip6-dotint` were removed in 2.25 and do nothing. musl, for its part, reads only `ndots`, `attempts` and `timeout` (with caps of 15, 10 and 60).',
      'Values above the cap and `inet6` are reported one level lower: the resolver works, just not as written.',
    ].join('\n\n'),
    severity: 'warning',
    precision: 'high',
    languages: ['resolv'],
    messages: {
      detached: '`{{name}}` needs its value after a colon (`{{name}}:{{value}}`); glibc ignores `{{text}}`',
      noValue: '`{{name}}` needs a value after a colon (`{{name}}:N`); glibc ignores it',
      notNumber: '`{{text}}` is not a number; glibc reads it with atoi() as `{{name}}:{{read}}`',
      capped: '`{{text}}` is above glibc\'s maximum of {{max}}; glibc uses {{max}}',
      deprecated: '`inet6` is deprecated since glibc 2.25: it makes gethostbyname() return IPv4-mapped IPv6 addresses; remove it',
      removed: '`{{name}}` was removed in glibc 2.25 and has no effect',
      prefix: '`{{name}}` is not an option name; glibc compares only the first {{length}} characters and reads it as `{{flag}}`',
      unknown: 'Unknown option `{{name}}`: glibc ignores it',
    },
    sources: [
      { title: 'glibc resolv/res_init.c res_setoptions(): atoi() values capped at RES_MAXNDOTS, RES_MAXRETRANS, RES_MAXRETRY; prefix-matched flag table', url: 'https://sourceware.org/git/?p=glibc.git;a=blob;f=resolv/res_init.c' },
      { title: 'resolv.conf(5): options, their limits and the glibc versions that added or removed them', url: 'https://man7.org/linux/man-pages/man5/resolv.conf.5.html' },
      { title: 'musl src/network/resolvconf.c: only ndots, attempts and timeout are read', url: 'https://git.musl-libc.org/cgit/musl/tree/src/network/resolvconf.c' },
    ],
    tags: ['dns', 'resolv'],
    fixable: true,
    examples: [
      {
        title: 'A value separated by a blank instead of a colon',
        filename: 'etc/resolv.conf',
        code: 'nameserver 10.0.0.2\noptions ndots:5 timeout:10 rotate\noptions attempts 3\n',
        expect: 1,
      },
      {
        title: 'Options glibc reads as written',
        filename: 'etc/resolv.conf',
        code: 'nameserver 10.0.0.2\noptions ndots:2 timeout:2 attempts:3 edns0 trust-ad\n',
        expect: 'valid',
      },
    ],
  },
  create(context) {
    return {
      'resolv:root'(tree: ResolvRoot, file: SourceFile) {
        for (const line of tree.children) {
          if (line.type !== 'directive' || !line.active || line.name !== 'options') continue;
          const args = line.args as ResolvOptionNode[];
          for (let i = 0; i < args.length; i++) {
            const opt = args[i]!;
            const text = file.text.slice(opt.position.start.offset!, opt.position.end.offset!);
            const cap = Object.hasOwn(CAPS, opt.name) ? CAPS[opt.name] : undefined;
            if (cap !== undefined) {
              if (opt.value === null) {
                const next = args[i + 1];
                if (next && next.value === null && /^\d+$/.test(next.name)) {
                  const position: Position = { start: opt.position.start, end: next.position.end };
                  const fixed = `${opt.name}:${next.name}`;
                  context.report({
                    messageId: 'detached',
                    position,
                    data: { name: opt.name, value: next.name, text: file.text.slice(position.start.offset!, position.end.offset!) },
                    fix: { description: `Write \`${fixed}\``, edits: [{ range: [position.start.offset!, position.end.offset!], text: fixed }] },
                  });
                  i++;
                } else {
                  context.report({ messageId: 'noValue', node: opt, data: { name: opt.name } });
                }
                continue;
              }
              const next = args[i + 1];
              if (opt.value === '' && next && next.value === null && /^\d+$/.test(next.name) && next.position.start.line === opt.position.end.line) {
                // `ndots: 3`: glibc's atoi() (and musl's strtoul()) read the value from after the colon,
                // blanks skipped, so this is ndots:3; the word `3` is then an option glibc ignores.
                i++;
                if (Number(next.name) > cap) {
                  const position: Position = { start: opt.position.start, end: next.position.end };
                  context.report({ messageId: 'capped', position, data: { text: file.text.slice(position.start.offset!, position.end.offset!), max: cap }, demote: 1 });
                }
                continue;
              }
              if (!/^\d+$/.test(opt.value)) {
                const read = Math.min(glibcAtoi(opt.value), cap);
                context.report({ messageId: 'notNumber', node: opt, data: { text, name: opt.name, read } });
                continue;
              }
              if (Number(opt.value) > cap) {
                const valueStart = opt.position.start.offset! + opt.name.length + 1;
                const fix = opt.name === 'ndots' ? { description: `Set ndots to ${cap}`, edits: [{ range: [valueStart, opt.position.end.offset!] as [number, number], text: String(cap) }] } : undefined;
                context.report({ messageId: 'capped', node: opt, data: { text, max: cap }, fix, demote: 1 });
              }
              continue;
            }
            if (opt.name === 'inet6') {
              context.report({ messageId: 'deprecated', node: opt, demote: 1 });
              continue;
            }
            if (FLAGS.includes(opt.name) || QUIET.has(opt.name)) continue;
            if (REMOVED.has(opt.name)) {
              context.report({ messageId: 'removed', node: opt, data: { name: opt.name } });
              continue;
            }
            const flag = FLAGS.find((f) => opt.name.startsWith(f));
            if (flag) context.report({ messageId: 'prefix', node: opt, data: { name: opt.name, length: flag.length, flag } });
            else context.report({ messageId: 'unknown', node: opt, data: { name: opt.name } });
          }
        }
      },
    };
  },
});
