import { defineRule, type Fix, type Position, type SourceFile, type SysctlAssignmentNode, type SysctlExclusionNode, type SysctlInvalidNode, type SysctlKeyNode } from '../src/rule-api.js';

/** sysctl.conf(5), BUGS: the longest value procps handles. */
const MAX_VALUE = 4096;

/** A blank followed by a comment marker inside a value: what an inline comment would look like. */
const INLINE_COMMENT = /[ \t\v\f]+([#;])/;

/** Values the kernel parses as numbers (one or more integers separated by blanks). */
const NUMERIC = /^-?\d+(?:[ \t]+-?\d+)*$/;

const REPEATED_SEPARATOR = /[./]{2,}/;

export default defineRule({
  meta: {
    id: 'sysctl-syntax',
    type: 'problem',
    description: 'Disallow sysctl.conf lines that procps and systemd-sysctl do not read as the author meant',
    rationale: [
      'sysctl.conf and sysctl.d files have one syntax: `key = value`, full-line comments starting with `#` or `;`, and (procps 4, systemd) `-key` to exclude a key from a glob. Everything else is read differently from what it looks like:',
      '- **A line without `=`** sets nothing. procps `sysctl -p` prints `invalid syntax, continuing...`; systemd-sysctl logs `Line is not an assignment, ignoring` and counts it as an error.',
      '- **There are no inline comments.** The first `=` splits key and value and the rest of the line is the value: `net.ipv4.ip_forward = 1 # routing` writes `1 # routing` to `/proc/sys/net/ipv4/ip_forward`. For an **integer key** that happens to work: the kernel parses the leading number and ignores the rest, so the value is applied and `sysctl --system` and systemd-sysctl exit 0 (reported one level lower, as a trap). For a **string key** the comment is part of the setting: `net.ipv4.tcp_congestion_control = cubic # x` asks for an algorithm named `cubic # x`, the kernel refuses it (`sysctl: setting key "net.ipv4.tcp_congestion_control": No such file or directory`, exit 1) and the old value stays; other string keys (`kernel.core_pattern`) silently take the comment. The fix moves the comment to its own line above.',
      '- **Repeated separators** (`net..ipv4.ip_forward`) make procps warn `separators should not be repeated` (reported one level lower: the key still resolves). The fix collapses them.',
      '- **Values over 4096 characters** are beyond what procps supports (sysctl.conf(5), BUGS).',
    ].join('\n\n'),
    severity: 'warning',
    precision: 'high',
    languages: ['sysctl'],
    messages: {
      noEquals: '`{{text}}` is not an assignment: `sysctl -p` prints "invalid syntax, continuing..." and systemd-sysctl "Line is not an assignment, ignoring"; write `key = value`',
      emptyKey: '`{{text}}` has no key before `=`: the line sets nothing, and `sysctl --system` fails ("Path is not under /proc/sys/") as systemd-sysctl does ("Couldn\'t write \'...\' to \'\'")',
      inlineCommentNumber: '`{{key}}` is set to `{{value}}`: sysctl files have no inline comments, so `{{comment}}` is written to the kernel too; an integer key takes the leading number and ignores the rest, so `{{intended}}` is applied, but the same comment breaks a string key; put the comment on its own line',
      inlineComment: '`{{key}}` is set to `{{value}}`: sysctl files have no inline comments, so `{{comment}}` is written to the kernel as part of this string value: it is refused (the setting is not applied and sysctl exits 1) or taken literally; put the comment on its own line',
      repeatedSeparator: 'Key `{{raw}}` repeats a separator: procps warns "separators should not be repeated"; write `{{fixed}}`',
      repeatedSeparatorNoFix: 'Key `{{raw}}` mixes `.` and `/` next to each other: procps swaps them and looks up the wrong path; use one separator between components',
      tooLong: 'Value of `{{key}}` is {{length}} characters long; sysctl.conf(5) supports at most 4096',
    },
    sources: [
      { title: 'procps-ng src/sysctl.c: Preload() ("invalid syntax, continuing..."), slashdot() ("separators should not be repeated")', url: 'https://gitlab.com/procps-ng/procps/-/blob/master/src/sysctl.c' },
      { title: 'sysctl.conf(5): format, comments, and the 4096-character value limit (BUGS)', url: 'https://man7.org/linux/man-pages/man5/sysctl.conf.5.html' },
      { title: 'sysctl.d(5) (systemd): "Empty lines and lines whose first non-whitespace character is # or ; are ignored"', url: 'https://www.freedesktop.org/software/systemd/man/latest/sysctl.d.html' },
      { title: 'systemd src/sysctl/sysctl.c: parse_file() "Line is not an assignment, ignoring"', url: 'https://github.com/systemd/systemd/blob/main/src/sysctl/sysctl.c' },
    ],
    tags: ['sysctl', 'syntax'],
    fixable: true,
    examples: [
      {
        title: 'A trailing comment on a numeric setting (applied, but a trap)',
        filename: 'etc/sysctl.d/90-router.conf',
        code: 'net.ipv4.ip_forward = 1 # needed by the VPN\n',
        expect: 1,
      },
      {
        title: 'A trailing comment on a string setting: the kernel refuses `cubic # x`',
        filename: 'etc/sysctl.d/90-tcp.conf',
        code: 'net.ipv4.tcp_congestion_control = cubic # x\n',
        expect: 1,
      },
      {
        title: 'A line that lost its `=`',
        filename: 'etc/sysctl.d/90-router.conf',
        code: 'net.ipv4.ip_forward 1\n',
        expect: 1,
      },
      {
        title: 'Comments on their own lines, and a glob exclusion',
        filename: 'etc/sysctl.d/90-router.conf',
        code: '# needed by the VPN\nnet.ipv4.ip_forward = 1\nnet.ipv4.conf.*.rp_filter = 2\n-net.ipv4.conf.all.rp_filter\n',
        expect: 'valid',
      },
    ],
  },
  create(context) {
    return {
      'sysctl:invalid'(node: SysctlInvalidNode) {
        // A lone `-` is an exclusion of nothing to procps and systemd-sysctl alike: no message, no effect.
        if (/^-[ \t\v\f]*$/.test(node.text)) return;
        const text = short(node.text);
        context.report({ messageId: node.text.includes('=') ? 'emptyKey' : 'noEquals', node, data: { text } });
      },
      'sysctl:exclusion'(node: SysctlExclusionNode) {
        checkKey(node.key);
      },
      'sysctl:assignment'(node: SysctlAssignmentNode, file: SourceFile) {
        checkKey(node.key);
        const value = node.value;
        if (value.value.length > MAX_VALUE) {
          context.report({ messageId: 'tooLong', node: value, data: { key: node.key.raw, length: value.value.length } });
          return;
        }
        const m = INLINE_COMMENT.exec(value.value);
        if (!m) return;
        const start = value.position.start.offset!;
        const blankAt = start + m.index;
        const markerAt = blankAt + m[0].length - 1;
        const end = value.position.end.offset!;
        const intended = value.value.slice(0, m.index);
        const comment = file.text.slice(markerAt, end);
        const position = onLine(value.position, markerAt - start, end - markerAt);
        const data = { key: node.key.raw, value: short(value.value.replace(/\s+/g, ' ')), comment: short(comment) };
        const numeric = NUMERIC.test(intended);
        context.report({
          messageId: numeric ? 'inlineCommentNumber' : 'inlineComment',
          position,
          data: { ...data, intended: short(intended) },
          // An integer key is applied as meant: a trap, one level lower.
          ...(numeric ? { demote: 1 } : {}),
          fix: moveCommentUp(file, node, blankAt, end, comment),
        });
      },
    };

    function checkKey(key: SysctlKeyNode): void {
      if (!REPEATED_SEPARATOR.test(key.raw)) return;
      const runs = key.raw.match(/[./]{2,}/g)!;
      if (runs.some((r) => new Set(r).size > 1)) {
        context.report({ messageId: 'repeatedSeparatorNoFix', node: key, data: { raw: key.raw }, demote: 1 });
        return;
      }
      const fixed = key.raw.replace(/([./])\1+/g, '$1');
      context.report({
        messageId: 'repeatedSeparator',
        node: key,
        data: { raw: key.raw, fixed },
        demote: 1,
        fix: { description: `Write the key as ${fixed}`, edits: [{ range: [key.position.start.offset!, key.position.end.offset!], text: fixed }] },
      });
    }
  },
});

/** Move `comment` (at the end of the value, after the blanks at `blankAt`) to its own line above the assignment. */
function moveCommentUp(file: SourceFile, node: SysctlAssignmentNode, blankAt: number, end: number, comment: string): Fix {
  const lineStart = node.position.start.offset! - (node.position.start.column - 1);
  const indent = file.text.slice(lineStart, node.position.start.offset!);
  const eol = file.text.includes('\r\n') ? '\r\n' : '\n';
  return {
    description: 'Move the comment to its own line',
    edits: [
      { range: [lineStart, lineStart], text: `${indent}${comment}${eol}` },
      { range: [blankAt, end], text: '' },
    ],
  };
}

/** A single-line position `length` characters long, `lead` characters into `p`. */
function onLine(p: Position, lead: number, length: number): Position {
  return {
    start: { line: p.start.line, column: p.start.column + lead, offset: p.start.offset! + lead },
    end: { line: p.start.line, column: p.start.column + lead + length, offset: p.start.offset! + lead + length },
  };
}

function short(text: string): string {
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
