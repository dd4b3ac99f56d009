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
  /** Normalised key → slot (a key's slot is the order it first appears in; its line is its last assignment's). */
  readonly slots: DumpKeys;
  /** The scan saw a comment line (so the parse's comments are not empty). */
  readonly hasComments: boolean;
  /** Where `LineIndex` puts the end of the text. */
  readonly last: { line: number; start: number };
  private readonly scanner: LineScanner;

  constructor(readonly text: string) {
    const scanner = new LineScanner(text, true);
    this.scanner = scanner;
    const keys = new DumpKeys(text);
    this.slots = keys;
    let hasComments = false;
    this.last = forEachLine(text, (line, ls, le) => {
      const kind = scanner.scan(ls, le);
      if (kind === ASSIGNMENT) keys.add(scanner.ks, scanner.ke, line, ls);
      else if (kind === COMMENT) hasComments = true;
    });
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
    const line = this.slots.lineOf(slot);
    const ls = this.slots.lineStartOf(slot);
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

// A slot's fields in DumpKeys.data.
const LINE = 0; // 1-based line of the key's last assignment
const LINE_START = 1; // its offset
const KEY_START = 2; // the key's range in the text (of its first assignment)
const KEY_END = 3;
const SWAP = 4; // 1: the key is written with `/` (its normalised form swaps `/` and `.`)
const HASH = 5;
const FIELDS = 6;
/**
 * FNV-1a's offset basis as an int32 (a small integer: the hash stays one in
 * optimised code, never a double), mixed with a seed drawn once per process:
 * a dump is untrusted, and keys crafted to collide under a known hash would
 * make every lookup walk them all (quadratic time). With the seed unknown
 * when the file was written, they collide only by chance.
 */
const FNV_OFFSET = (0x811c9dc5 ^ Math.floor(Math.random() * 0x100000000)) | 0;

/** A table position from a hash: every bit of the hash (and so of the seed) reaches the low bits the mask keeps (murmur3's finaliser). */
function spread(h: number): number {
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return h ^ (h >>> 16);
}

/**
 * The keys of a dump: normalised key → slot, as a Map would hold them, without
 * a string or a map entry per key. Keys are ranges of the text, hashed and
 * compared in their normalised form (`normalizeSysctlKey`) character by
 * character; a key's string is made only when the keys are listed. A slot is
 * a key, in the order keys first appear; a later assignment of the same key
 * moves its slot to that line (the last assignment wins).
 */
export class DumpKeys implements ReadonlyMap<string, number> {
  private data: Int32Array;
  /** Open addressing: slot + 1 (0: empty); the length is a power of two, at least twice the keys. */
  private table: Int32Array;
  private count = 0;

  constructor(private readonly text: string) {
    // About 37 bytes a line in a `sysctl -a` dump: room for most dumps without growing.
    const expected = Math.ceil(text.length / 32) + 16;
    this.data = new Int32Array(FIELDS * expected);
    let size = 64;
    while (size < 2 * expected) size *= 2;
    this.table = new Int32Array(size);
  }

  get size(): number {
    return this.count;
  }

  /** Record an assignment of the key at [ks, ke) on `line` starting at `ls`. */
  add(ks: number, ke: number, line: number, ls: number): void {
    const text = this.text;
    const swap = keySwaps(text, ks, ke);
    let h = FNV_OFFSET;
    for (let i = ks; i < ke; i++) h = Math.imul(h ^ normalisedCode(text.charCodeAt(i), swap), 0x01000193);
    const table = this.table;
    const mask = table.length - 1;
    const data = this.data;
    for (let t = spread(h) & mask; ; t = (t + 1) & mask) {
      const entry = table[t]!;
      if (entry === 0) break;
      const b = (entry - 1) * FIELDS;
      if (data[b + HASH] === h && this.sameKey(b, ks, ke, swap)) {
        data[b + LINE] = line;
        data[b + LINE_START] = ls;
        return;
      }
    }
    if ((this.count + 1) * FIELDS > data.length) {
      const grown = new Int32Array(data.length * 2);
      grown.set(data);
      this.data = grown;
    }
    const slot = this.count++;
    const b = slot * FIELDS;
    const d = this.data;
    d[b + LINE] = line;
    d[b + LINE_START] = ls;
    d[b + KEY_START] = ks;
    d[b + KEY_END] = ke;
    d[b + SWAP] = swap ? 1 : 0;
    d[b + HASH] = h;
    if (2 * this.count > this.table.length) this.rehash();
    else this.place(slot, h);
  }

  private place(slot: number, h: number): void {
    const table = this.table;
    const mask = table.length - 1;
    let t = spread(h) & mask;
    while (table[t] !== 0) t = (t + 1) & mask;
    table[t] = slot + 1;
  }

  private rehash(): void {
    this.table = new Int32Array(this.table.length * 2);
    for (let slot = 0; slot < this.count; slot++) this.place(slot, this.data[slot * FIELDS + HASH]!);
  }

  /** Whether the key at data offset `b` is, normalised, the key at [ks, ke) (`swap`: its normalisation). */
  private sameKey(b: number, ks: number, ke: number, swap: boolean): boolean {
    const data = this.data;
    const os = data[b + KEY_START]!;
    if (data[b + KEY_END]! - os !== ke - ks) return false;
    const oswap = data[b + SWAP] === 1;
    const text = this.text;
    for (let i = 0; i < ke - ks; i++) {
      if (normalisedCode(text.charCodeAt(os + i), oswap) !== normalisedCode(text.charCodeAt(ks + i), swap)) return false;
    }
    return true;
  }

  get(key: string): number | undefined {
    let h = FNV_OFFSET;
    for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
    const table = this.table;
    const mask = table.length - 1;
    const data = this.data;
    const text = this.text;
    for (let t = spread(h) & mask; ; t = (t + 1) & mask) {
      const entry = table[t]!;
      if (entry === 0) return undefined;
      const b = (entry - 1) * FIELDS;
      if (data[b + HASH] !== h) continue;
      const ks = data[b + KEY_START]!;
      if (data[b + KEY_END]! - ks !== key.length) continue;
      const swap = data[b + SWAP] === 1;
      let i = 0;
      while (i < key.length && normalisedCode(text.charCodeAt(ks + i), swap) === key.charCodeAt(i)) i++;
      if (i === key.length) return entry - 1;
    }
  }

  has(key: string): boolean {
    return this.get(key) !== undefined;
  }

  /** The line (1-based) of a slot's key's last assignment. */
  lineOf(slot: number): number {
    return this.data[slot * FIELDS + LINE]!;
  }

  /** The offset where that line starts. */
  lineStartOf(slot: number): number {
    return this.data[slot * FIELDS + LINE_START]!;
  }

  /** The normalised key of a slot. */
  keyOf(slot: number): string {
    const b = slot * FIELDS;
    return normalizeSysctlKey(this.text.slice(this.data[b + KEY_START], this.data[b + KEY_END]));
  }

  *keys(): MapIterator<string> {
    for (let slot = 0; slot < this.count; slot++) yield this.keyOf(slot);
  }

  *values(): MapIterator<number> {
    for (let slot = 0; slot < this.count; slot++) yield slot;
  }

  *entries(): MapIterator<[string, number]> {
    for (let slot = 0; slot < this.count; slot++) yield [this.keyOf(slot), slot];
  }

  [Symbol.iterator](): MapIterator<[string, number]> {
    return this.entries();
  }

  forEach(callback: (value: number, key: string, map: ReadonlyMap<string, number>) => void, thisArg?: unknown): void {
    for (let slot = 0; slot < this.count; slot++) callback.call(thisArg, slot, this.keyOf(slot), this);
  }
}

/** Whether the key at [ks, ks) of `text` is normalised by swapping `/` and `.` (`normalizeSysctlKey`: a `/` before any `.`). */
function keySwaps(text: string, ks: number, ke: number): boolean {
  for (let i = ks; i < ke; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x2e) return false;
    if (c === 0x2f) return true;
  }
  return false;
}

/** A key's character code in its normalised form. */
function normalisedCode(c: number, swap: boolean): number {
  return swap && (c === 0x2e || c === 0x2f) ? c ^ 0x01 : c;
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
