/**
 * Offset ↔ line/column conversion shared by every parser.
 *
 * Lines end at `\n`, `\r\n` or a lone `\r` (as editors and GitHub count them).
 * Columns are 1-based UTF-16 code unit indexes within the line.
 */
import type { Point, Position } from '../types.js';

export class LineIndex {
  /** Offset at which each line starts; `starts[0] === 0`. */
  readonly starts: number[];
  readonly length: number;

  constructor(readonly text: string) {
    const starts = [0];
    if (text.indexOf('\r') === -1) {
      // The common case, found by the native search: only `\n` ends lines.
      for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
    } else {
      for (let i = 0; i < text.length; i++) {
        const c = text.charCodeAt(i);
        if (c === 10) starts.push(i + 1);
        else if (c === 13) {
          if (text.charCodeAt(i + 1) === 10) i++;
          starts.push(i + 1);
        }
      }
    }
    this.starts = starts;
    this.length = text.length;
  }

  /** Number of lines (a final newline does not start a counted empty line unless text follows). */
  get lineCount(): number {
    return this.starts.length;
  }

  /** Line (0-based) of the last point asked for: parsers ask in nearly ascending order. */
  private last = 0;

  /** The point at a 0-based offset (clamped into the text). */
  point(offset: number): Point {
    const o = Math.max(0, Math.min(offset, this.length));
    const starts = this.starts;
    const n = starts.length;
    let lo = this.last;
    if (starts[lo]! <= o && (lo + 1 === n || o < starts[lo + 1]!)) {
      // Same line as the last point.
    } else if (lo + 1 < n && starts[lo + 1]! <= o && (lo + 2 === n || o < starts[lo + 2]!)) {
      lo++; // the next line
    } else {
      lo = 0;
      let hi = n - 1;
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if (starts[mid]! <= o) lo = mid;
        else hi = mid - 1;
      }
    }
    this.last = lo;
    return { line: lo + 1, column: o - starts[lo]! + 1, offset: o };
  }

  position(start: number, end: number): Position {
    return { start: this.point(start), end: this.point(end) };
  }

  /** Offset where 1-based `line` starts. */
  lineStart(line: number): number {
    return this.starts[Math.max(0, Math.min(line - 1, this.starts.length - 1))]!;
  }

  /** Offset just before the line terminator of 1-based `line`. */
  lineEnd(line: number): number {
    const next = line < this.starts.length ? this.starts[line]! : this.length;
    let end = next;
    if (end > this.lineStart(line) && this.text.charCodeAt(end - 1) === 10) end--;
    if (end > this.lineStart(line) && this.text.charCodeAt(end - 1) === 13) end--;
    return end;
  }

  /** The text of 1-based `line` without its terminator. */
  lineText(line: number): string {
    return this.text.slice(this.lineStart(line), this.lineEnd(line));
  }
}

/** The lines of a text with their start and end offsets (end excludes the terminator), as `forEachLine` walks them. */
export function lines(text: string): Array<{ line: number; start: number; end: number; text: string }> {
  const out: Array<{ line: number; start: number; end: number; text: string }> = [];
  forEachLine(text, (line, start, end) => out.push({ line, start, end, text: text.slice(start, end) }));
  return out;
}

/**
 * Calls `each(line, start, end)` for every line of `text` (end excludes the
 * terminator; no empty line after a final terminator; one empty line for an
 * empty text) and returns the start of the last line, where `LineIndex`
 * places the end of the text.
 */
export function forEachLine(text: string, each: (line: number, start: number, end: number) => void): { line: number; start: number } {
  const n = text.length;
  const lf = text.indexOf('\r') === -1;
  let line = 1;
  let start = 0;
  for (;;) {
    let end: number;
    if (lf) {
      end = text.indexOf('\n', start);
      if (end === -1) end = n;
    } else {
      end = start;
      while (end < n) {
        const c = text.charCodeAt(end);
        if (c === 10 || c === 13) break;
        end++;
      }
    }
    if (start === n && n > 0) break;
    each(line, start, end);
    if (end >= n) break;
    start = text.charCodeAt(end) === 13 && text.charCodeAt(end + 1) === 10 ? end + 2 : end + 1;
    line++;
  }
  return { line, start };
}

/** The position of the whole text (what `new LineIndex(text).position(0, text.length)` gives), from what `forEachLine` returned. */
export function wholeTextPosition(text: string, last: { line: number; start: number }): Position {
  return { start: { line: 1, column: 1, offset: 0 }, end: { line: last.line, column: text.length - last.start + 1, offset: text.length } };
}

/**
 * The index each parser built for its tree, so that the engine does not build
 * another for the same text: a hidden property of the tree, not a WeakMap (a
 * young generation collection keeps a WeakMap's entries, so every host's trees
 * and indexes would live until a full collection).
 */
const LINE_INDEX = Symbol('lineIndex');

/** Record the index a tree's positions were computed with. */
export function rememberLineIndex(tree: object, index: LineIndex): void {
  Object.defineProperty(tree, LINE_INDEX, { value: index, configurable: true });
}

/** A line index of `text`: the one its parser built for `tree`, if it was built for this text, else a new one. */
export function lineIndexFor(text: string, tree?: object): LineIndex {
  const known = tree ? (tree as { [LINE_INDEX]?: LineIndex })[LINE_INDEX] : undefined;
  return known && known.text === text ? known : new LineIndex(text);
}
