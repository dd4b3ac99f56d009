/**
 * Parser for sysctl.conf / sysctl.d files and `sysctl -a` output.
 *
 * Semantics follow procps-ng 4.0.x (`src/sysctl.c`, `parse_setting_line`) and
 * systemd `sysctl.d(5)`:
 *
 * - Lines are split at `\n`, `\r\n` or a lone `\r` (as `LineIndex` does).
 * - Leading/trailing blanks of a line are ignored. Blanks are space, tab,
 *   vertical tab and form feed; a U+FEFF at offset 0 (a BOM the caller did
 *   not remove) counts as a blank too.
 * - A line whose first non-blank character is `#` or `;` is a comment. There
 *   are no inline comments: `a = 1 # x` has the value `1 # x`.
 * - The FIRST `=` splits key and value; both are blank-trimmed, the value keeps
 *   inner blanks (tabs included).
 * - A leading `-` on a line with `=` means "ignore failure"; on a line without
 *   `=` it is a glob exclusion (`-net.ipv4.conf.lo.rp_filter`).
 * - Any other line without `=` is an `invalid` node (procps: "invalid syntax,
 *   continuing..."). So is a line whose key is empty (`= 1`, `-= 1`, a lone
 *   `-`), and, in `sysctl-dump`, a line starting with `sysctl:` (an error
 *   message of `sysctl -a`, even if it contains `=`).
 *   Note: procps silently skips lines shorter than 2 characters (e.g. `x`);
 *   we report them as `invalid` like any other line without `=`.
 *
 * Positions (unist, see types.ts):
 * - comment: from the marker to the end of the line (terminator excluded,
 *   trailing blanks INCLUDED, matching the untrimmed `value`).
 * - assignment / exclusion / invalid: the trimmed line (including the `-`).
 * - key: the trimmed key, without the `-` (blanks between `-` and the key are
 *   skipped too, so `- a = 1` has raw key `a`).
 * - value: the trimmed value. An EMPTY value (`kernel.modprobe =`) is an empty
 *   range placed immediately after the `=` (blanks after `=` are NOT skipped):
 *   `start.offset === end.offset === offsetOf('=') + 1`.
 *
 * The parser never throws and produces no `problems`: every line maps to a node
 * (or to nothing, when empty), and rules report `invalid` nodes.
 */
import type {
  CommentNode,
  ParseResult,
  Point,
  Position,
  SysctlKeyNode,
  SysctlLineNode,
  SysctlRoot,
  SysctlValueNode,
} from '../types.js';
import { LineIndex, lines } from './line-index.js';

function isBlank(text: string, i: number): boolean {
  const c = text.charCodeAt(i);
  return c === 0x20 || c === 0x09 || c === 0x0b || c === 0x0c || (c === 0xfeff && i === 0);
}

/** Trim blanks from the range [start, end); returns the trimmed range. */
function trim(text: string, start: number, end: number): [number, number] {
  let s = start;
  let e = end;
  while (s < e && isBlank(text, s)) s++;
  while (e > s && isBlank(text, e - 1)) e--;
  return [s, e];
}

/**
 * Normalise a sysctl key to its dotted form (systemd semantics): when the first
 * separator (`.` or `/`) is a `/`, every `.` and `/` are swapped; when it is a
 * `.` (or there is none), the key is already dotted and returned unchanged.
 *
 * `net/ipv4/ip_forward` → `net.ipv4.ip_forward`;
 * `net/ipv4/conf/eth0.100/forwarding` → `net.ipv4.conf.eth0/100.forwarding`.
 */
export function normalizeSysctlKey(raw: string): string {
  const m = /[./]/.exec(raw);
  if (!m || m[0] === '.') return raw;
  let out = '';
  for (const ch of raw) out += ch === '/' ? '.' : ch === '.' ? '/' : ch;
  return out;
}

const GLOB_RE = /[*?[]/;

export function parseSysctl(
  text: string,
  language: 'sysctl' | 'sysctl-dump' = 'sysctl',
): ParseResult<SysctlRoot> {
  const children: SysctlLineNode[] = [];
  const comments: CommentNode[] = [];

  for (const ln of lines(text)) {
    const point = (offset: number): Point => ({ line: ln.line, column: offset - ln.start + 1, offset });
    const pos = (s: number, e: number): Position => ({ start: point(s), end: point(e) });

    const [ts, te] = trim(text, ln.start, ln.end);
    if (ts === te) continue;

    const first = text[ts]!;
    if (first === '#' || first === ';') {
      const node: CommentNode = {
        type: 'comment',
        marker: first,
        value: text.slice(ts + 1, ln.end),
        position: pos(ts, ln.end),
      };
      children.push(node);
      comments.push(node);
      continue;
    }

    const invalid = (): void => {
      children.push({ type: 'invalid', text: text.slice(ts, te), position: pos(ts, te) });
    };

    if (language === 'sysctl-dump' && text.startsWith('sysctl:', ts)) {
      invalid();
      continue;
    }

    const dash = first === '-';
    let eq = text.indexOf('=', ts);
    if (eq >= te) eq = -1;
    const [ks, ke] = trim(text, dash ? ts + 1 : ts, eq < 0 ? te : eq);
    if (ks === ke) {
      invalid();
      continue;
    }
    const raw = text.slice(ks, ke);
    const key: SysctlKeyNode = {
      type: 'key',
      name: normalizeSysctlKey(raw),
      raw,
      glob: GLOB_RE.test(raw),
      position: pos(ks, ke),
    };

    if (eq < 0) {
      if (!dash) {
        invalid();
        continue;
      }
      children.push({ type: 'exclusion', key, children: [key], position: pos(ts, te) });
      continue;
    }

    let [vs, ve] = trim(text, eq + 1, te);
    if (vs === ve) vs = ve = eq + 1; // empty value: empty range right after '='
    const value: SysctlValueNode = { type: 'value', value: text.slice(vs, ve), position: pos(vs, ve) };
    children.push({
      type: 'assignment',
      ignoreFailure: dash,
      key,
      value,
      children: [key, value],
      position: pos(ts, te),
    });
  }

  const index = new LineIndex(text);
  const tree: SysctlRoot = { type: 'root', language, children, position: index.position(0, text.length) };
  return { tree, problems: [], comments };
}
