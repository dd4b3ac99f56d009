/**
 * The stream splitter and header reader of src/parsers/yaml.ts as they were
 * before they were rewritten for speed (commit c53eb35): per-character loops,
 * kept here unchanged as the reference the rewrite must agree with on every
 * input (test/parsers/yaml-header-reference.test.ts).
 */
interface KubeDocumentHeader {
  apiVersion: string;
  kind: string;
  name: string;
}

const isBlankCode = (c: number): boolean => c === 32 || c === 9 || c === 10 || c === 13;

/** Whether the character after `---` or `...` at a line start makes it a document marker (as the `yaml` package reads it). */
const endsMarker = (c: number): boolean => Number.isNaN(c) || c === 32 || c === 9 || c === 10 || c === 13;

/**
 * Where the documents of a YAML stream start, found in one linear pass over
 * its lines, without parsing: a `---` line (`---` at column 0, then a blank,
 * a line break or the end) starts a document wherever it is, in a block
 * scalar, a quoted scalar or a flow collection too, as the `yaml` package
 * (and the YAML 1.2 grammar) reads it. The first document starts at 0 (blank
 * and comment lines, a byte-order mark, before the first `---` are its own).
 * Undefined where the split is not that simple (directives, a document after
 * `...` without a `---`): the caller parses the file as a whole.
 */
export function referenceDocumentStarts(text: string): number[] | undefined {
  const starts = [0];
  const n = text.length;
  let started = false;
  let ended = false;
  let pos = 0;
  while (pos < n) {
    let eol = text.indexOf('\n', pos);
    if (eol === -1) eol = n;
    const s = pos === 0 && text.charCodeAt(0) === 0xfeff ? 1 : pos;
    const c = text.charCodeAt(s);
    if (c === 45 /* - */ && text.charCodeAt(s + 1) === 45 && text.charCodeAt(s + 2) === 45 && endsMarker(text.charCodeAt(s + 3))) {
      if (started) starts.push(pos);
      started = true;
      ended = false;
    } else if (c === 46 /* . */ && text.charCodeAt(s + 1) === 46 && text.charCodeAt(s + 2) === 46 && endsMarker(text.charCodeAt(s + 3))) {
      if (!isTrivia(text, s + 3, eol)) return undefined;
      ended = true;
    } else if (c === 37 /* % */) {
      return undefined; // a directive (or content no document may start with)
    } else if (!isTrivia(text, s, eol)) {
      if (ended) return undefined; // a document after `...`, without `---`
      started = true;
    }
    pos = eol + 1;
  }
  return starts;
}

/** Whether text[from, to) is blanks, or blanks and a comment. */
function isTrivia(text: string, from: number, to: number): boolean {
  let i = from;
  while (i < to) {
    const c = text.charCodeAt(i);
    if (c === 32 || c === 9 || c === 13) i++;
    else return c === 35; /* # */
  }
  return true;
}

const HEADER_KEYS = new Set(['apiVersion', 'kind']);
const NOT_STRINGS = new Set(['null', 'Null', 'NULL', 'true', 'True', 'TRUE', 'false', 'False', 'FALSE']);

/**
 * The header of the document text[from, to), read line by line without
 * parsing, or undefined where it cannot be read for certain. The lines are
 * followed as the YAML lexer reads them: the text of a block scalar (lines
 * more indented than its key), of a quoted scalar that goes on over lines
 * (up to its closing quote, at whatever indentation) and of a plain scalar's
 * continuation lines is skipped. What remains must be a block mapping at
 * column 0 whose column-0 lines are all plain `key:` lines, with
 * `apiVersion`, `kind` and `metadata` once each, the first two with one-line
 * string values, `metadata` with one `name` among its direct children.
 * Anything else (flow collections over several lines, anchors, tags, tabs
 * in indentation, explicit block indentation) makes the document one that
 * is parsed.
 */
export function referenceReadHeader(text: string, from: number, to: number): KubeDocumentHeader | undefined {
  let apiVersion: string | undefined;
  let kind: string | undefined;
  let name: string | undefined;
  let metadata = false;
  /** The top-level key of the lines being read (`''`: none yet). */
  let top = '';
  let childIndent = -1;
  let first = true;
  /** Text being skipped: a quoted scalar (its quote), a block scalar or a plain scalar (lines more indented than `col`). */
  let open: { kind: 'quote'; quote: number } | { kind: 'block' | 'plain'; col: number } | undefined;
  /** The last line was `apiVersion:` or `kind:` (a continuation line would change its value). */
  let header = false;
  let pos = from;
  while (pos < to) {
    let eol = text.indexOf('\n', pos);
    if (eol === -1 || eol > to) eol = to;
    const s = pos === 0 && text.charCodeAt(0) === 0xfeff ? 1 : pos;
    pos = eol + 1;
    // A CRLF line end: the line is what comes before the CR (else `key:\r` would read as a key with a value).
    if (eol > s && text.charCodeAt(eol - 1) === 13) eol--;
    if (open?.kind === 'quote') {
      const close = quoteClose(text, s, eol, open.quote);
      if (close < 0) continue;
      open = undefined;
      if (!isTrivia(text, close, eol)) return undefined;
      continue;
    }
    let indent = s;
    while (indent < eol && text.charCodeAt(indent) === 32) indent++;
    const c = text.charCodeAt(indent);
    const blank = indent === eol || c === 13 || ((c === 9 || c === 13) && isTrivia(text, indent, eol));
    if (open) {
      if (blank) continue;
      if (open.kind === 'plain' && c === 35) {
        open = undefined; // a comment ends a plain scalar
        continue;
      }
      if (indent - s > open.col) {
        if (header) return undefined;
        continue;
      }
      open = undefined;
    }
    header = false;
    if (blank || c === 35 /* # */) continue;
    if (c === 9) return undefined; // a tab in the indentation
    const line = readLine(text, s, indent, eol);
    if (line === undefined) return undefined;
    open = line.open;
    if (indent > s) {
      if (top === '') return undefined;
      if (top !== 'metadata') continue;
      const depth = indent - s;
      if (childIndent < 0) childIndent = depth;
      if (depth < childIndent) return undefined;
      if (depth > childIndent) continue;
      const key = plainKey(text, indent, eol);
      if (key === undefined) return undefined;
      if (key.name !== 'name') continue;
      if (name !== undefined) return undefined;
      name = simpleValue(text, key.value, eol);
      if (name === undefined) return undefined;
      header = true;
      continue;
    }
    if (first && c === 45 && text.charCodeAt(s + 1) === 45 && text.charCodeAt(s + 2) === 45 && endsMarker(text.charCodeAt(s + 3))) {
      first = false;
      if (!isTrivia(text, s + 3, eol)) return undefined;
      open = undefined;
      continue;
    }
    first = false;
    if (c === 46 && text.charCodeAt(s + 1) === 46 && text.charCodeAt(s + 2) === 46 && endsMarker(text.charCodeAt(s + 3))) {
      break; // `...`: the rest of the document is blank or comments (documentStarts checked)
    }
    if (c === 45 && (text.charCodeAt(s + 1) === 32 || s + 1 >= eol || text.charCodeAt(s + 1) === 13)) {
      // `- ` at column 0: a sequence, the value of the top-level key above it.
      if (top === '' || top === 'metadata' || HEADER_KEYS.has(top)) return undefined;
      continue;
    }
    const key = plainKey(text, s, eol);
    if (key === undefined) return undefined;
    top = key.name;
    if (HEADER_KEYS.has(key.name)) {
      const value = simpleValue(text, key.value, eol);
      if (value === undefined) return undefined;
      header = true;
      if (key.name === 'kind') {
        if (kind !== undefined) return undefined;
        kind = value;
      } else {
        if (apiVersion !== undefined) return undefined;
        apiVersion = value;
      }
    } else if (key.name === 'metadata') {
      if (metadata || !isTrivia(text, key.value, eol)) return undefined;
      metadata = true;
    }
  }
  if (open?.kind === 'quote') return undefined;
  if (apiVersion === undefined || kind === undefined || name === undefined) return undefined;
  return { apiVersion, kind, name };
}

/**
 * One line of block YAML from its first non-blank, text[at, eol): what it
 * leaves open (a quoted scalar not closed on it; a block scalar or plain
 * scalar whose text may go on on more indented lines, with the column they
 * must be more indented than), or undefined for what readHeader does not
 * follow (a flow collection over lines, anchors, tags, aliases, explicit
 * keys, explicit block indentation).
 */
function readLine(text: string, s: number, at: number, eol: number): { open?: { kind: 'quote'; quote: number } | { kind: 'block' | 'plain'; col: number } } | undefined {
  let i = at;
  /** The column of the node whose value is read next (its scalar's text must be more indented). */
  let col = at - s;
  // Sequence entries: `- `.
  while (text.charCodeAt(i) === 45 && (i + 1 >= eol || text.charCodeAt(i + 1) === 32 || text.charCodeAt(i + 1) === 13)) {
    col = i - s;
    i += 1;
    while (i < eol && text.charCodeAt(i) === 32) i++;
  }
  let key = false;
  for (;;) {
    if (i >= eol) return {};
    const c = text.charCodeAt(i);
    if (c === 35 /* # */ && (i === at || text.charCodeAt(i - 1) === 32)) return {};
    if (c === 34 || c === 39) {
      const close = quoteClose(text, i + 1, eol, c);
      if (close < 0) return { open: { kind: 'quote', quote: c } };
      i = close;
      while (i < eol && text.charCodeAt(i) === 32) i++;
      if (!key && text.charCodeAt(i) === 58 && (i + 1 >= eol || text.charCodeAt(i + 1) === 32 || text.charCodeAt(i + 1) === 13)) {
        // A quoted key: its value follows.
        key = true;
        i++;
        while (i < eol && text.charCodeAt(i) === 32) i++;
        continue;
      }
      return isTrivia(text, i, eol) ? {} : undefined;
    }
    if (c === 91 || c === 123) {
      let e = eol;
      while (e > i && isBlankCode(text.charCodeAt(e - 1))) e--;
      return text.charCodeAt(e - 1) === (c === 91 ? 93 : 125) ? {} : undefined;
    }
    if (c === 124 || c === 62) {
      // A block scalar header: `|`, `>`, with a chomping indicator; explicit indentation is not followed.
      let j = i + 1;
      if (text.charCodeAt(j) === 45 || text.charCodeAt(j) === 43) j++;
      return isTrivia(text, j, eol) ? { open: { kind: 'block', col } } : undefined;
    }
    if (c === 38 || c === 33 || c === 42 || c === 63 || c === 37 || c === 64 || c === 96) return undefined; // & ! * ? % @ `
    if (key) return { open: { kind: 'plain', col } };
    // A plain key (its value after `: `), else a plain scalar.
    let j = i;
    while (j < eol) {
      const d = text.charCodeAt(j);
      if (d === 58 && (j + 1 >= eol || text.charCodeAt(j + 1) === 32 || text.charCodeAt(j + 1) === 13)) break;
      if (d === 35 && text.charCodeAt(j - 1) === 32) return { open: { kind: 'plain', col } };
      j++;
    }
    if (j >= eol) return { open: { kind: 'plain', col } };
    key = true;
    col = i - s;
    i = j + 1;
    while (i < eol && text.charCodeAt(i) === 32) i++;
  }
}

/** Offset just past the quote that closes a quoted scalar (`quote`: its character code), searching text[from, eol); -1 when it does not close there. */
function quoteClose(text: string, from: number, eol: number, quote: number): number {
  for (let i = from; i < eol; i++) {
    const c = text.charCodeAt(i);
    if (quote === 39) {
      if (c === 39) {
        if (i + 1 < eol && text.charCodeAt(i + 1) === 39) i++;
        else return i + 1;
      }
    } else if (c === 92) i++;
    else if (c === 34) return i + 1;
  }
  return -1;
}

const isKeyStart = (c: number): boolean => (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
const isKeyChar = (c: number): boolean => isKeyStart(c) || (c >= 48 && c <= 57) || c === 95 || c === 46 || c === 45 || c === 47;

/** `name:` (a plain key of letters, digits and `_.-/`, then `:` and a blank or the end) at text[at]; the offset after the colon. */
function plainKey(text: string, at: number, eol: number): { name: string; value: number } | undefined {
  if (!isKeyStart(text.charCodeAt(at))) return undefined;
  let i = at + 1;
  while (i < eol && isKeyChar(text.charCodeAt(i))) i++;
  if (text.charCodeAt(i) !== 58 /* : */) return undefined;
  const after = text.charCodeAt(i + 1);
  if (i + 1 < eol && after !== 32 && after !== 9 && after !== 13) return undefined;
  return { name: text.slice(at, i), value: i + 1 };
}

/**
 * A one-line string value at text[at, eol): plain (a letter, then letters,
 * digits and `._/-`; not null or a boolean), or quoted without escapes, then
 * blanks or a comment. Undefined for anything else.
 */
function simpleValue(text: string, at: number, eol: number): string | undefined {
  let i = at;
  while (i < eol && text.charCodeAt(i) === 32) i++;
  const c = text.charCodeAt(i);
  let value: string;
  if (c === 34 || c === 39) {
    const close = quoteClose(text, i + 1, eol, c);
    if (close < 0) return undefined;
    value = text.slice(i + 1, close - 1);
    if (value.includes('\\') || value.includes("'")) return undefined; // escapes
    i = close;
  } else {
    if (!isKeyStart(c)) return undefined;
    const start = i;
    while (i < eol && isKeyChar(text.charCodeAt(i))) i++;
    value = text.slice(start, i);
    if (NOT_STRINGS.has(value)) return undefined;
  }
  if (i < eol && text.charCodeAt(i) !== 32 && text.charCodeAt(i) !== 9 && text.charCodeAt(i) !== 13) return undefined;
  return isTrivia(text, i, eol) ? value : undefined;
}

