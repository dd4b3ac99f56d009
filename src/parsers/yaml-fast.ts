/**
 * A fast path for the documents a selective parse needs (src/parsers/yaml.ts):
 * the block YAML that Kubernetes manifests are written in, read line by line
 * straight into the data nodes of `types.ts`, without the `yaml` package's
 * lexer, CST and composer. In a fresh process (a pre-commit hook) those run
 * interpreted, cold, and cost several times what this does.
 *
 * It accepts only a narrow subset, where what the `yaml` package (and the
 * converter of yaml.ts) would make is certain: a document that starts with a
 * `---` line, whose body is a block mapping at column 0, of block mappings
 * with plain keys, block sequences, one-line plain, single- and
 * double-quoted (no escapes) scalars, one-line flow sequences of those, and
 * literal block scalars (`|`, `|-`); `#` comments. Anything else (tabs,
 * CR line ends, anchors, aliases, tags, flow mappings, folded or `|+`
 * scalars, multi-line plain or quoted scalars, empty values, duplicate keys,
 * plain scalars that are not strings, integers, booleans or null, trailing
 * comments after the body...) makes it give up: the document is then parsed
 * by the `yaml` package as before. test/parsers/yaml-fast.test.ts checks
 * that every document it accepts in fixtures/, and in inputs made to be
 * awkward, gives exactly the tree, comments and (no) problems of that path.
 */
import type { CommentNode, DataNode, MappingNode, PairNode, ScalarNode, SequenceNode } from '../types.js';
import type { LineIndex } from './line-index.js';

/** Thrown (and caught in `fastKubeDocument`) where the document is not in the subset. */
const GIVE_UP = new Error('not in the subset of the fast path'); // one object, thrown as is (no stack to capture)

/** Nesting this deep is left to the full parser (which bounds it itself). */
const MAX_DEPTH = 64;

/** Characters the subset has no place for anywhere in a document (tabs, CR, other controls, NEL, line/paragraph separators, BOM). */
// eslint-disable-next-line no-control-regex -- the control characters are what it looks for
const UNSUPPORTED = /[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\ufeff]/;

/** Plain scalars the core schema reads as something else than a string, integer, boolean or null: floats, octal, hex, infinities. */
const OTHER_NUMBER = /^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN|0o[0-7]+|0x[0-9a-fA-F]+)$/;
const INT = /^[-+]?[0-9]+$/;

export interface FastDocument {
  body: MappingNode;
  comments: CommentNode[];
}

/**
 * The body and comments of the document text[from, to) (file offsets; `index`
 * over the whole file), or undefined where it is not in the subset.
 */
export function fastKubeDocument(text: string, from: number, to: number, index: LineIndex): FastDocument | undefined {
  if (UNSUPPORTED.test(text.slice(from, to))) return undefined;
  try {
    return new FastParser(text, from, to, index).document();
  } catch (error) {
    if (error === GIVE_UP) return undefined;
    throw error;
  }
}

function giveUp(): never {
  throw GIVE_UP;
}

/** The value the core schema gives a one-line plain scalar, where it is one the subset keeps. */
function plainValue(source: string): ScalarNode['value'] {
  const c = source.charCodeAt(0);
  // Most plain scalars start with a letter other than those of null/true/false.
  if ((c >= 97 && c <= 122) || (c >= 65 && c <= 90)) {
    if (c === 110 || c === 78) {
      if (source === 'null' || source === 'Null' || source === 'NULL') return null;
    } else if (c === 116 || c === 84) {
      if (source === 'true' || source === 'True' || source === 'TRUE') return true;
    } else if (c === 102 || c === 70) {
      if (source === 'false' || source === 'False' || source === 'FALSE') return false;
    }
    return source;
  }
  if (source === '~') return null;
  if (INT.test(source)) return parseInt(source, 10);
  if (OTHER_NUMBER.test(source)) giveUp();
  return source;
}

class FastParser {
  /** Line starts, ends (before the `\n`) and indentation (spaces), of the document's lines. */
  private readonly starts: number[] = [];
  private readonly ends: number[] = [];
  private readonly indents: number[] = [];
  /** 0: blank, 1: comment only, 2: content. */
  private readonly kinds: number[] = [];
  private readonly comments: CommentNode[] = [];
  /** The line after the value just read. */
  private next = 0;
  private depth = 0;

  constructor(
    private readonly text: string,
    from: number,
    to: number,
    private readonly index: LineIndex,
  ) {
    let pos = from;
    while (pos < to) {
      let eol = text.indexOf('\n', pos);
      if (eol === -1 || eol > to) eol = to;
      let i = pos;
      while (i < eol && text.charCodeAt(i) === 32) i++;
      this.starts.push(pos);
      this.ends.push(eol);
      this.indents.push(i - pos);
      this.kinds.push(i === eol ? 0 : text.charCodeAt(i) === 35 ? 1 : 2);
      pos = eol + 1;
    }
  }

  document(): FastDocument {
    const { text, starts, ends } = this;
    const n = starts.length;
    // A `---` line and nothing else on it.
    if (n === 0 || ends[0]! - starts[0]! !== 3 || !text.startsWith('---', starts[0]!)) giveUp();
    const first = this.skipTrivia(1);
    if (first >= n || this.indents[first] !== 0) giveUp();
    const body = this.blockMap(first, 0);
    if (this.skipTrivia(this.next) < n) giveUp();
    // Comments after the body's last character would extend the document (not followed here).
    const end = body.position.end.offset!;
    for (const c of this.comments) if (c.position.start.offset! > end) giveUp();
    return { body, comments: this.comments };
  }

  /** The first line from `i` on that has content, collecting the comments of those before it. */
  private skipTrivia(i: number): number {
    const n = this.starts.length;
    while (i < n) {
      const kind = this.kinds[i]!;
      if (kind === 2) return i;
      if (kind === 1) this.comment(this.starts[i]! + this.indents[i]!, this.ends[i]!);
      i++;
    }
    return i;
  }

  private comment(at: number, eol: number): void {
    const source = this.text.slice(at, eol);
    this.comments.push({ type: 'comment', marker: '#', value: source.slice(1), position: this.index.position(at, eol) });
  }

  /** After a value ended at `at` on a line ending at `eol`: blanks, then a comment or nothing. */
  private rest(at: number, eol: number): void {
    const text = this.text;
    let i = at;
    while (i < eol && text.charCodeAt(i) === 32) i++;
    if (i === eol) return;
    if (text.charCodeAt(i) !== 35 || i === at) giveUp();
    this.comment(i, eol);
  }

  private isDash(i: number, at: number): boolean {
    const c = this.text.charCodeAt(at + 1);
    return this.text.charCodeAt(at) === 45 && (at + 1 === this.ends[i] || c === 32);
  }

  /**
   * The colon of a plain implicit key that starts at `at` on line `i` (a
   * `:` followed by a blank or the line end, with no comment before it), or -1.
   */
  private keyColon(i: number, at: number): number {
    const text = this.text;
    const eol = this.ends[i]!;
    for (let j = this.find(':', at, eol); j !== -1; j = this.find(':', j + 1, eol)) {
      if (j + 1 === eol || text.charCodeAt(j + 1) === 32) {
        if (this.find('#', at, j) !== -1) giveUp();
        return j;
      }
    }
    return -1;
  }

  /** Where `needle` is in text[at, end), or -1 (the search does not go past `end`). */
  private find(needle: string, at: number, end: number): number {
    if (at >= end) return -1;
    const i = this.text.slice(at, end).indexOf(needle);
    return i === -1 ? -1 : at + i;
  }

  private scalar(value: ScalarNode['value'], s: number, e: number, style: ScalarNode['style']): ScalarNode {
    return { type: 'scalar', value, source: this.text.slice(s, e), style, position: this.index.position(s, e) };
  }

  /** A plain scalar text[s, e) (trimmed), checked for what may not start or be in one. */
  private plain(s: number, e: number, flow: boolean): ScalarNode {
    const text = this.text;
    if (e <= s) giveUp();
    const c = text.charCodeAt(s);
    // Indicators that cannot start a plain scalar (or that the subset does not take): - ? : , [ ] { } # & * ! | > ' " % @ `
    if (c === 45 || c === 63 || c === 58) {
      const d = text.charCodeAt(s + 1);
      if (s + 1 === e || d === 32 || c !== 45) giveUp();
    }
    if (c === 44 || c === 91 || c === 93 || c === 123 || c === 125 || c === 35 || c === 38 || c === 42 || c === 33 || c === 124 || c === 62 || c === 39 || c === 34 || c === 37 || c === 64 || c === 96) giveUp();
    const source = text.slice(s, e);
    if (source.includes(': ') || source.endsWith(':') || source.includes(' #')) giveUp();
    if (flow && /[,[\]{}:#]/.test(source)) giveUp();
    if ((s === 0 || text.charCodeAt(s - 1) === 10) && (source.startsWith('---') || source.startsWith('...'))) giveUp();
    return { type: 'scalar', value: plainValue(source), source, style: 'plain', position: this.index.position(s, e) };
  }

  /** A quoted scalar that opens at `s` and closes on the same line (no escapes); the offset after its closing quote is `this.quoteEnd`. */
  private quoted(s: number, eol: number): ScalarNode {
    const text = this.text;
    const q = text.charCodeAt(s);
    let i = s + 1;
    for (;;) {
      i = this.find(q === 39 ? "'" : '"', i, eol);
      if (i === -1) giveUp();
      if (q === 39 && text.charCodeAt(i + 1) === 39) {
        i += 2;
        continue;
      }
      break;
    }
    const inner = text.slice(s + 1, i);
    if (q === 34 && inner.includes('\\')) giveUp();
    this.quoteEnd = i + 1;
    return this.scalar(q === 39 ? inner.replaceAll("''", "'") : inner, s, i + 1, q === 39 ? 'single' : 'double');
  }

  private quoteEnd = 0;

  /**
   * A value that starts at `at` on line `i` (after `key: ` or `- `), inside a
   * collection at column `col`; sets `this.next` to the line after it.
   */
  private inline(i: number, at: number, col: number, inSequence: boolean): DataNode {
    const text = this.text;
    const eol = this.ends[i]!;
    const c = text.charCodeAt(at);
    this.next = i + 1;
    if (c === 34 || c === 39) {
      const node = this.quoted(at, eol);
      this.rest(this.quoteEnd, eol);
      this.noContinuation(col);
      return node;
    }
    if (c === 91) {
      const node = this.flowSequence(at, eol);
      this.noContinuation(col);
      return node;
    }
    if (c === 124 && !inSequence) return this.literal(i, at, col);
    // A plain scalar, up to a comment or the line end.
    let e = eol;
    const hash = this.find(' #', at, eol);
    if (hash !== -1) {
      e = hash;
      this.comment(hash + 1, eol);
    }
    while (e > at && text.charCodeAt(e - 1) === 32) e--;
    const node = this.plain(at, e, false);
    this.noContinuation(col);
    return node;
  }

  /** The next line with content is not more indented than `col` (no continuation of a one-line value). */
  private noContinuation(col: number): void {
    const j = this.skipTrivia(this.next);
    this.next = j;
    if (j < this.starts.length && this.indents[j]! > col) giveUp();
  }

  /** `[a, "b", 'c']` on one line. */
  private flowSequence(s: number, eol: number): SequenceNode {
    const text = this.text;
    const children: DataNode[] = [];
    let i = s + 1;
    for (;;) {
      while (i < eol && text.charCodeAt(i) === 32) i++;
      if (i >= eol) giveUp();
      const c = text.charCodeAt(i);
      if (c === 93 /* ] */) {
        if (children.length > 0) giveUp(); // `[a, ]`
        i++;
        break;
      }
      let item: ScalarNode;
      if (c === 34 || c === 39) {
        item = this.quoted(i, eol);
        i = this.quoteEnd;
      } else {
        let e = i;
        while (e < eol) {
          const d = text.charCodeAt(e);
          if (d === 44 || d === 93) break;
          e++;
        }
        let t = e;
        while (t > i && text.charCodeAt(t - 1) === 32) t--;
        item = this.plain(i, t, true);
        i = e;
      }
      children.push(item);
      while (i < eol && text.charCodeAt(i) === 32) i++;
      const d = text.charCodeAt(i);
      if (d === 44) {
        i++;
        while (i < eol && text.charCodeAt(i) === 32) i++;
        if (text.charCodeAt(i) === 93) giveUp();
        continue;
      }
      if (d === 93) {
        i++;
        break;
      }
      giveUp();
    }
    this.rest(i, eol);
    return { type: 'sequence', children, position: { start: this.index.point(s), end: this.index.point(i) } };
  }

  /** A literal block scalar (`|` or `|-`) whose header is at `at` on line `i`, the value of a key at column `col`. */
  private literal(i: number, at: number, col: number): ScalarNode {
    const text = this.text;
    const eol = this.ends[i]!;
    let h = at + 1;
    const strip = text.charCodeAt(h) === 45;
    if (strip) h++;
    if (h < eol && text.charCodeAt(h) !== 32) giveUp(); // `|+`, `|2`, `>`...
    this.rest(h, eol);
    const { starts, ends, indents, kinds } = this;
    const n = starts.length;
    const first = i + 1;
    if (first >= n || kinds[first] === 0) giveUp(); // leading blank lines (or nothing)
    const indent = indents[first]!;
    if (indent <= col) giveUp(); // empty
    const lines: string[] = [];
    let last = first;
    let j = first;
    for (; j < n; j++) {
      if (kinds[j] === 0) {
        if (ends[j]! - starts[j]! > indent) giveUp(); // spaces past the indentation on an empty line
        lines.push('');
        continue;
      }
      if (indents[j]! < indent) break;
      lines.push(text.slice(starts[j]! + indent, ends[j]!));
      last = j;
    }
    lines.length = last - first + 1;
    const value = strip ? lines.join('\n') : `${lines.join('\n')}\n`;
    let e = ends[last]!;
    while (e > at && text.charCodeAt(e - 1) === 32) e--;
    this.next = j;
    const node = this.scalar(value, at, e, 'literal');
    const k = this.skipTrivia(j);
    this.next = k;
    if (k < n && indents[k]! > col) giveUp();
    return node;
  }

  /** The value of a key at column `col` whose line ends after the colon: a collection on the lines below. */
  private below(i: number, col: number): DataNode {
    const j = this.skipTrivia(i);
    if (j >= this.starts.length) giveUp();
    const indent = this.indents[j]!;
    const at = this.starts[j]! + indent;
    if (indent > col) {
      if (this.isDash(j, at)) return this.blockSeq(j, indent);
      if (this.keyColon(j, at) !== -1) return this.blockMap(j, indent);
      giveUp();
    }
    // A sequence as the value of a key may start at the key's column.
    if (indent === col && this.isDash(j, at)) return this.blockSeq(j, indent);
    return giveUp();
  }

  /** A block mapping whose first key is at column `col` of line `i`. */
  private blockMap(i: number, col: number): MappingNode {
    if (++this.depth > MAX_DEPTH) giveUp();
    const text = this.text;
    const { starts, ends, indents } = this;
    const n = starts.length;
    const s = starts[i]! + col;
    const children: PairNode[] = [];
    const seen = new Set<ScalarNode['value']>();
    for (;;) {
      const at = starts[i]! + col;
      const eol = ends[i]!;
      const colon = this.keyColon(i, at);
      if (colon === -1 || colon - at > 1000 || text.charCodeAt(colon - 1) === 32) giveUp();
      const key = this.plain(at, colon, false);
      if (seen.has(key.value)) giveUp();
      seen.add(key.value);
      let v = colon + 1;
      while (v < eol && text.charCodeAt(v) === 32) v++;
      let value: DataNode;
      if (v === eol || text.charCodeAt(v) === 35) {
        if (v < eol) {
          if (v === colon + 1) giveUp();
          this.comment(v, eol);
        }
        value = this.below(i + 1, col);
      } else value = this.inline(i, v, col, false);
      const last = value.position.end.offset! >= key.position.end.offset! ? value : key;
      children.push({ type: 'pair', key, value, children: [key, value], position: { start: key.position.start, end: last.position.end } });
      const j = this.skipTrivia(this.next);
      this.next = j;
      if (j >= n || indents[j]! < col) break;
      if (indents[j]! > col || this.isDash(j, starts[j]! + col)) giveUp();
      i = j;
    }
    this.depth--;
    return { type: 'mapping', children, position: { start: this.index.point(s), end: children[children.length - 1]!.position.end } };
  }

  /** A block sequence whose first `-` is at column `col` of line `i`. */
  private blockSeq(i: number, col: number): SequenceNode {
    if (++this.depth > MAX_DEPTH) giveUp();
    const text = this.text;
    const { starts, ends, indents } = this;
    const n = starts.length;
    const s = starts[i]! + col;
    const children: DataNode[] = [];
    for (;;) {
      const eol = ends[i]!;
      let at = starts[i]! + col + 1;
      while (at < eol && text.charCodeAt(at) === 32) at++;
      if (at === eol || text.charCodeAt(at) === 35 || at === starts[i]! + col + 1) giveUp(); // an item on the lines below, or `-x`
      if (this.isDash(i, at)) giveUp(); // `- - a`
      const c = text.charCodeAt(at);
      const item = c !== 34 && c !== 39 && c !== 91 && this.keyColon(i, at) !== -1 ? this.blockMap(i, at - starts[i]!) : this.inline(i, at, col, true);
      children.push(item);
      const j = this.skipTrivia(this.next);
      this.next = j;
      if (j >= n || indents[j]! < col) break;
      if (indents[j]! > col) giveUp();
      if (!this.isDash(j, starts[j]! + col)) break; // the key after a sequence at its key's column
      i = j;
    }
    this.depth--;
    return { type: 'sequence', children, position: { start: this.index.point(s), end: children[children.length - 1]!.position.end } };
  }
}
