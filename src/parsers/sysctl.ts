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
  SysctlAssignmentNode,
  SysctlKeyNode,
  SysctlLineNode,
  SysctlRoot,
} from '../types.js';
import { forEachLine, wholeTextPosition } from './line-index.js';

/**
 * Normalise a sysctl key to its dotted form (systemd semantics): when the first
 * separator (`.` or `/`) is a `/`, every `.` and `/` are swapped; when it is a
 * `.` (or there is none), the key is already dotted and returned unchanged.
 *
 * `net/ipv4/ip_forward` → `net.ipv4.ip_forward`;
 * `net/ipv4/conf/eth0.100/forwarding` → `net.ipv4.conf.eth0/100.forwarding`.
 */
export function normalizeSysctlKey(raw: string): string {
  for (let i = 0; i < raw.length; i++) {
    const c = raw.charCodeAt(i);
    if (c === 0x2e) return raw; // '.' first: dotted already
    if (c === 0x2f) break; // '/' first: swap
  }
  if (raw.indexOf('/') === -1) return raw;
  let out = '';
  for (const ch of raw) out += ch === '/' ? '.' : ch === '.' ? '/' : ch;
  return out;
}

/** The key contains a glob character (`*`, `?` or `[`). */
function isGlob(raw: string): boolean {
  for (let i = 0; i < raw.length; i++) {
    const c = raw.charCodeAt(i);
    if (c === 0x2a || c === 0x3f || c === 0x5b) return true;
  }
  return false;
}

// What a line is (`LineScanner.scan`).
const BLANK = 0;
const COMMENT = 1;
const INVALID = 2;
const EXCLUSION = 3;
const ASSIGNMENT = 4;
type LineKind = typeof BLANK | typeof COMMENT | typeof INVALID | typeof EXCLUSION | typeof ASSIGNMENT;

/**
 * Classifies the lines of one text, one at a time, without allocating: the
 * one place the syntax above is decided, shared by the full parse and the
 * dump's key index (so both read every line the same way). After `scan`, the
 * fields hold the trimmed line, the key's range and the `=`.
 */
class LineScanner {
  /** Trimmed line [ts, te). */
  ts = 0;
  te = 0;
  /** Trimmed key [ks, ke) (assignment, exclusion). */
  ks = 0;
  ke = 0;
  /** Offset of the first `=` of the line, or -1. */
  eq = -1;
  dash = false;
  /** The first `=` at or after `eqFrom` (-1: none left), so a text of lines without `=` is searched once, not once per line. */
  private nextEq = -1;
  private eqFrom = Infinity;

  constructor(
    readonly text: string,
    readonly dump: boolean,
  ) {}

  private isBlank(i: number): boolean {
    const c = this.text.charCodeAt(i);
    return c === 0x20 || c === 0x09 || c === 0x0b || c === 0x0c || (c === 0xfeff && i === 0);
  }

  /** The line [ls, le) (terminator excluded). */
  scan(ls: number, le: number): LineKind {
    const text = this.text;
    let ts = ls;
    let te = le;
    while (ts < te && this.isBlank(ts)) ts++;
    while (te > ts && this.isBlank(te - 1)) te--;
    this.ts = ts;
    this.te = te;
    if (ts === te) return BLANK;
    const first = text.charCodeAt(ts);
    if (first === 0x23 || first === 0x3b) return COMMENT; // '#', ';'
    if (this.dump && first === 0x73 && text.startsWith('sysctl:', ts)) return INVALID;
    const dash = first === 0x2d; // '-'
    this.dash = dash;
    if (ts < this.eqFrom || (this.nextEq !== -1 && this.nextEq < ts)) {
      this.nextEq = text.indexOf('=', ts);
      this.eqFrom = ts;
    }
    const eq = this.nextEq !== -1 && this.nextEq < te ? this.nextEq : -1;
    this.eq = eq;
    let ks = dash ? ts + 1 : ts;
    let ke = eq < 0 ? te : eq;
    while (ks < ke && this.isBlank(ks)) ks++;
    while (ke > ks && this.isBlank(ke - 1)) ke--;
    this.ks = ks;
    this.ke = ke;
    if (ks === ke) return INVALID;
    if (eq < 0) return dash ? EXCLUSION : INVALID;
    return ASSIGNMENT;
  }

  /** The node of the line last scanned (`kind` from `scan`; not BLANK), its points on 1-based `line` starting at `ls`. */
  node(kind: LineKind, line: number, ls: number, le: number): SysctlLineNode {
    const text = this.text;
    const { ts, te } = this;
    const point = (offset: number): Point => ({ line, column: offset - ls + 1, offset });
    if (kind === COMMENT) {
      return { type: 'comment', marker: text[ts]!, value: text.slice(ts + 1, le), position: { start: point(ts), end: point(le) } };
    }
    const start = point(ts);
    const end = point(te);
    if (kind === INVALID) return { type: 'invalid', text: text.slice(ts, te), position: { start, end } };
    const { ks, ke, eq } = this;
    const raw = text.slice(ks, ke);
    const keyStart = ks === ts ? start : point(ks);
    const keyEnd = ke === te ? end : point(ke);
    const key: SysctlKeyNode = { type: 'key', name: normalizeSysctlKey(raw), raw, glob: isGlob(raw), position: { start: keyStart, end: keyEnd } };
    if (kind === EXCLUSION) return { type: 'exclusion', key, children: [key], position: { start, end } };
    let vs = eq + 1;
    let ve = te;
    while (vs < ve && this.isBlank(vs)) vs++;
    while (ve > vs && this.isBlank(ve - 1)) ve--;
    if (vs === ve) vs = ve = eq + 1; // empty value: empty range right after '='
    const valueEnd = ve === te ? end : point(ve);
    const value = { type: 'value' as const, value: text.slice(vs, ve), position: { start: vs === ve ? valueEnd : point(vs), end: valueEnd } };
    return { type: 'assignment', ignoreFailure: this.dash, key, value, children: [key, value], position: { start, end } };
  }
}

export function parseSysctl(text: string, language: 'sysctl' | 'sysctl-dump' = 'sysctl'): ParseResult<SysctlRoot> {
  const children: SysctlLineNode[] = [];
  const comments: CommentNode[] = [];
  const scanner = new LineScanner(text, language === 'sysctl-dump');
  const last = forEachLine(text, (line, ls, le) => {
    const kind = scanner.scan(ls, le);
    if (kind === BLANK) return;
    const node = scanner.node(kind, line, ls, le);
    children.push(node);
    if (kind === COMMENT) comments.push(node as CommentNode);
  });
  const tree: SysctlRoot = { type: 'root', language, children, position: wholeTextPosition(text, last) };
  return { tree, problems: [], comments };
}

/**
 * The assignments of a `sysctl -a` dump, by key, found by one scan that
 * makes no node: key → the line of its LAST assignment (as the tree's
 * assignments, read in order into a map, give), in the order keys first
 * appear. A key's node, with its positions, is made only when asked for.
 */
export class SysctlDumpIndex {
  /** Normalised key → slot: the slot's line number is `lines[2 * slot]`, its start `lines[2 * slot + 1]`. */
  readonly slots = new Map<string, number>();
  private lines: Int32Array;
  /** The scan saw a comment line (so the parse's comments are not empty). */
  readonly hasComments: boolean;
  /** Where `LineIndex` puts the end of the text. */
  readonly last: { line: number; start: number };
  private readonly scanner: LineScanner;

  constructor(readonly text: string) {
    const scanner = new LineScanner(text, true);
    this.scanner = scanner;
    const slots = this.slots;
    // About 37 bytes a line in a `sysctl -a` dump: room for most dumps without growing.
    let lines = new Int32Array(2 * (Math.ceil(text.length / 32) + 16));
    let n = 0;
    let hasComments = false;
    this.last = forEachLine(text, (line, ls, le) => {
      const kind = scanner.scan(ls, le);
      if (kind === ASSIGNMENT) {
        if (n + 2 > lines.length) {
          const grown = new Int32Array(lines.length * 2);
          grown.set(lines);
          lines = grown;
        }
        slots.set(normalizeSysctlKey(text.slice(scanner.ks, scanner.ke)), n >> 1);
        lines[n++] = line;
        lines[n++] = ls;
      } else if (kind === COMMENT) hasComments = true;
    });
    this.lines = lines;
    this.hasComments = hasComments;
  }

  private full: ParseResult<SysctlRoot> | undefined;
  private noComments: CommentNode[] | undefined;

  /** The whole parse, made on the first call (what `parseSysctl(text, 'sysctl-dump')` returns). */
  parsed(): ParseResult<SysctlRoot> {
    return (this.full ??= parseSysctl(this.text, 'sysctl-dump'));
  }

  /** The parse's comments: the whole parse only when the scan saw one. */
  comments(): CommentNode[] {
    return this.hasComments ? this.parsed().comments : (this.noComments ??= []);
  }

  /** The assignment node of a slot (a new node each call). */
  node(slot: number): SysctlAssignmentNode {
    const text = this.text;
    const line = this.lines[2 * slot]!;
    const ls = this.lines[2 * slot + 1]!;
    let le = ls;
    while (le < text.length) {
      const c = text.charCodeAt(le);
      if (c === 10 || c === 13) break;
      le++;
    }
    const kind = this.scanner.scan(ls, le);
    return this.scanner.node(kind, line, ls, le) as SysctlAssignmentNode;
  }
}

/** The tree's key index, a hidden property (not a WeakMap: thousands of dumps would weigh on every garbage collection). */
const DUMP_INDEX = Symbol('sysctlDumpIndex');

/** The key index `parseSysctlDump` made for a tree (undefined for a tree it did not make). */
export function sysctlDumpIndexOf(tree: object): SysctlDumpIndex | undefined {
  return (tree as { [DUMP_INDEX]?: SysctlDumpIndex })[DUMP_INDEX];
}

/**
 * `sysctl -a` output: `parseSysctl(text, 'sysctl-dump')`, made lazily. The
 * scan indexes the assignments by key (`sysctlDumpIndexOf`, what live
 * values are read through); the tree's children and the comments are
 * parsed, exactly as `parseSysctl` parses them, the first time someone reads
 * them (no rule visits a dump's nodes).
 *
 * The lazy properties are accessors shared by every dump (`dumpChildren`,
 * `dumpComments`), not closures per object: an object literal's own getter
 * gives each object a hidden class of its own, kept in the old generation,
 * which holds the whole parse until a full garbage collection.
 */
export function parseSysctlDump(text: string): ParseResult<SysctlRoot> {
  const index = new SysctlDumpIndex(text);
  const tree = { type: 'root', language: 'sysctl-dump' } as SysctlRoot;
  Object.defineProperty(tree, 'children', { get: dumpChildren, enumerable: true, configurable: true });
  tree.position = wholeTextPosition(text, index.last);
  Object.defineProperty(tree, DUMP_INDEX, { value: index }); // not enumerable: not part of the tree's data
  const result = { tree, problems: [] } as unknown as ParseResult<SysctlRoot>;
  Object.defineProperty(result, 'comments', { get: dumpComments, enumerable: true, configurable: true });
  return result;
}

function dumpChildren(this: SysctlRoot): SysctlLineNode[] {
  return sysctlDumpIndexOf(this)!.parsed().tree.children;
}

function dumpComments(this: ParseResult<SysctlRoot>): CommentNode[] {
  return sysctlDumpIndexOf(this.tree)!.comments();
}
