/**
 * The oracle of the sysctl parser's tests: `parseSysctl` (and the `lines()`
 * it iterated with) exactly as they were before the parser was made to
 * allocate less (hostlint commit 50d17d9, src/parsers/sysctl.ts and
 * src/parsers/line-index.ts). The faster parser, the lazy `sysctl -a` dump
 * parse and its key index must give what this gives, to the byte.
 * Test code only; do not "fix" it.
 */
import { LineIndex } from '../../src/parsers/line-index.js';
import type { CommentNode, ParseResult, Point, Position, SysctlKeyNode, SysctlLineNode, SysctlRoot, SysctlValueNode } from '../../src/types.js';

/** Iterate the lines of a text with their start and end offsets (end excludes the terminator). */
export function* lines(text: string): Generator<{ line: number; start: number; end: number; text: string }> {
  let line = 1;
  let start = 0;
  const n = text.length;
  while (start <= n) {
    let i = start;
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === 10 || c === 13) break;
      i++;
    }
    if (i === n && start === n && n > 0) return; // no empty line after a final terminator
    yield { line, start, end: i, text: text.slice(start, i) };
    if (i >= n) return;
    start = text.charCodeAt(i) === 13 && text.charCodeAt(i + 1) === 10 ? i + 2 : i + 1;
    line++;
  }
}

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
function normalizeSysctlKey(raw: string): string {
  const m = /[./]/.exec(raw);
  if (!m || m[0] === '.') return raw;
  let out = '';
  for (const ch of raw) out += ch === '/' ? '.' : ch === '.' ? '/' : ch;
  return out;
}

const GLOB_RE = /[*?[]/;

export function referenceParseSysctl(
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
