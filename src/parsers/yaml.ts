/**
 * Kubernetes YAML → unist data tree.
 *
 * Uses the `yaml` package's CST parser (for comments) and composer (for the
 * AST), then converts every document to the data nodes of `types.ts`. Aliases
 * are kept as `alias` nodes and never expanded; documents that contain aliases
 * are additionally resolved once with `maxAliasCount: 100` so that alias bombs
 * ("billion laughs") become a problem instead of a hang downstream.
 */
import {
  Composer,
  Parser,
  type CST,
  isAlias,
  isMap,
  isPair,
  isScalar,
  isSeq,
  type Document,
  type Node as YamlNode,
  type Pair,
} from 'yaml';
import type {
  AliasNode,
  CommentNode,
  DataNode,
  DocumentNode,
  KubeRoot,
  MappingNode,
  PairNode,
  ParseProblem,
  ParseResult,
  Position,
  ScalarNode,
  SequenceNode,
} from '../types.js';
import { LineIndex, rememberLineIndex } from './line-index.js';
import { fastKubeDocument, type FastDocument } from './yaml-fast.js';

const MAX_ALIAS_COUNT = 100;
/**
 * Collections nested deeper than this are not composed: the composer and the
 * tree walkers recurse per level, and a hostile file nested thousands of levels
 * deep would exhaust the stack at an arbitrary point. Real manifests (CRDs with
 * their OpenAPI schemas included) nest a few dozen levels.
 */
export const MAX_YAML_NESTING = 256;
/** Problems reported per file at most (a broken file cascades into many errors). */
const MAX_PROBLEMS = 100;

/**
 * Warning codes of the `yaml` package that are reported as problems. Others
 * (unknown tags or directives, flow-end indentation, ambiguous anchors) are
 * accepted by go-yaml, so Kubernetes decodes those files fine.
 */
const REPORTED_WARNINGS = new Set(['BAD_COLLECTION_TYPE']);

/** Composer options: duplicate keys are found by the converter (the composer's own check compares every key with every earlier one, quadratic in a mapping's size). */
const COMPOSE_OPTIONS = { prettyErrors: false, uniqueKeys: false } as const;

type YamlProblem = { message: string; pos?: [number, number] };

/**
 * Parse a Kubernetes YAML stream in one pass, one document at a time: each
 * top-level CST token is walked once (comments, nesting depth), composed, and
 * the finished document converted to the data tree and dropped, so neither
 * the CST nor the `yaml` package's documents of the whole file are held at
 * once. A document with errors that holds quoted scalars cut short by
 * under-indented continuation lines is parsed again on its own, padded (see
 * `padQuotedContinuations`); the rest of the file is never parsed twice.
 */
export function parseKube(text: string, options: KubeParseOptions = {}): ParseResult<KubeRoot> {
  const index = new LineIndex(text);
  const problems: ParseProblem[] = [];
  const comments: CommentNode[] = [];
  const documents: DocumentNode[] = [];
  const tree: KubeRoot = {
    type: 'root',
    language: 'kube',
    children: documents,
    comments,
    position: index.position(0, text.length),
  };

  rememberLineIndex(tree, index);
  try {
    const cuts = options.parseDocument ? documentStarts(text) : undefined;
    if (!cuts || !selective(text, index, cuts, options.parseDocument!, documents, comments, problems)) {
      new KubeStream(text, 0, index, documents, comments, problems).run();
    }
  } catch (error) {
    // The library should not throw, but a pathological input (e.g. nesting deep
    // enough to exhaust the stack) must still become a problem, not a crash.
    problems.push({
      message: `YAML could not be parsed: ${error instanceof Error ? error.message : String(error)}`,
      position: index.position(0, 0),
    });
  }
  comments.sort((a, b) => a.position.start.offset! - b.position.start.offset!);
  problems.sort((a, b) => (a.position.start.offset ?? 0) - (b.position.start.offset ?? 0));
  if (problems.length > MAX_PROBLEMS) {
    const more = problems.length - MAX_PROBLEMS;
    problems.length = MAX_PROBLEMS;
    const last = problems[MAX_PROBLEMS - 1]!.position;
    problems.push({ message: `${more} more YAML errors not shown`, position: { start: { ...last.start }, end: { ...last.start } } });
  }
  return { tree, problems, comments };
}

/** Points of the file for offsets of the text being parsed (a LineIndex, or one shifted to a part of the file). */
interface Points {
  point(offset: number): Position['start'];
  position(start: number, end: number): Position;
}

/** What is read of a document without parsing it: its top-level `apiVersion` and `kind`, and `metadata.name`. */
export interface KubeDocumentHeader {
  apiVersion: string;
  kind: string;
  name: string;
}

export interface KubeParseOptions {
  /**
   * Which documents to parse. Where this is given, the stream is split into
   * documents at its `---` lines, each document's header is read without
   * parsing it, and a document this returns false for is not parsed: it
   * stays in the tree as a placeholder (`skipped`, no body, its `kind` and
   * `apiVersion`), and its syntax errors are not reported. A document whose
   * header cannot be read that way, a `List` (whose items are objects of any
   * kind), and a document with a `hostlint-` directive in it are always
   * parsed. Absent: every document is parsed.
   */
  parseDocument?: (header: KubeDocumentHeader) => boolean;
}

/**
 * Whether selected documents are first tried with the fast path of
 * yaml-fast.ts (off only in the tests that compare it with the `yaml`
 * package's path).
 */
export const kubeFastPath = { enabled: true };

/**
 * Parse only the documents `parseDocument` asks for, each run of consecutive
 * needed documents as one stream, with positions in the whole file. False
 * (and nothing added) when the file must be parsed as a whole after all.
 */
function selective(
  text: string,
  index: LineIndex,
  starts: number[],
  parseDocument: (header: KubeDocumentHeader) => boolean,
  documents: DocumentNode[],
  comments: CommentNode[],
  problems: ParseProblem[],
): boolean {
  const ends = [...starts.slice(1), text.length];
  const directive = directiveOffsets(text);
  /** The start of the run of consecutive documents to parse, and (while every one of them has been) their fast-path parses. */
  let from = -1;
  let fast: Array<{ start: number; doc: FastDocument }> | undefined;
  const parse = (to: number): boolean => {
    if (from < 0) return true;
    if (fast) {
      // The whole run took the fast path (else it is parsed as one stream, as before).
      for (const { start, doc: { body, comments: own } } of fast) {
        const doc: DocumentNode = { type: 'document', index: documents.length, body, children: [body], position: index.position(start, body.position.end.offset!) };
        setKind(doc, body);
        documents.push(doc);
        for (const c of own) comments.push(c);
      }
      from = -1;
      return true;
    }
    const part = from === 0 && to === text.length ? text : text.slice(from, to);
    const base = from;
    const points: Points = base === 0 ? index : { point: (o) => index.point(o + base), position: (s, e) => index.position(s + base, e + base) };
    const stream = new KubeStream(part, base, points, documents, comments, problems);
    stream.run();
    from = -1;
    return !stream.deep;
  };
  for (let i = 0; i < starts.length; i++) {
    const start = starts[i]!;
    const end = ends[i]!;
    const header = hasOffsetWithin(directive, start, end) ? undefined : readHeader(text, start, end);
    if (!header || header.kind.endsWith('List') || parseDocument(header)) {
      if (from < 0) {
        from = start;
        fast = kubeFastPath.enabled ? [] : undefined;
      }
      if (fast) {
        const doc = header && !header.kind.endsWith('List') ? fastKubeDocument(text, start, end, index) : undefined;
        if (doc) fast.push({ start, doc });
        else fast = undefined;
      }
      continue;
    }
    if (!parse(start)) return restart(documents, comments, problems);
    let e = end;
    while (e > start && isBlankCode(text.charCodeAt(e - 1))) e--;
    documents.push({
      type: 'document',
      index: documents.length,
      kind: header.kind,
      apiVersion: header.apiVersion,
      name: header.name,
      skipped: true,
      body: null,
      children: [],
      position: index.position(start, e),
    });
  }
  if (!parse(text.length)) return restart(documents, comments, problems);
  return true;
}

/** Forget what a selective parse produced (the file is parsed as a whole instead). */
function restart(documents: DocumentNode[], comments: CommentNode[], problems: ParseProblem[]): false {
  documents.length = 0;
  comments.length = 0;
  problems.length = 0;
  return false;
}

const isBlankCode = (c: number): boolean => c === 32 || c === 9 || c === 10 || c === 13;

/** Offsets of every `hostlint-` (an inline directive's start) in the text, ascending. */
function directiveOffsets(text: string): number[] {
  const out: number[] = [];
  for (let i = text.indexOf('hostlint-'); i !== -1; i = text.indexOf('hostlint-', i + 1)) out.push(i);
  return out;
}

function hasOffsetWithin(sorted: number[], from: number, to: number): boolean {
  return anyWithin(sorted, from, to - 1);
}

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
export function documentStarts(text: string): number[] | undefined {
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
    if (started && !ended && pos < n) {
      // Inside a document only a line that starts with `-`, `.` or `%` can
      // change anything: go to the next one with the native search.
      MARKER_LINE.lastIndex = eol;
      if (!MARKER_LINE.test(text)) break;
      pos = MARKER_LINE.lastIndex - 1;
    }
  }
  return starts;
}

/** A line that starts with `-`, `.` or `%` (searched from the line break before it). */
const MARKER_LINE = /\n[-.%]/g;

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
export function readHeader(text: string, from: number, to: number): KubeDocumentHeader | undefined {
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
    const indent = Math.min(spacesEnd(text, s), eol);
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
    for (;;) {
      // The next `:` or `#` of the line (the characters between change nothing), found natively.
      NOT_COLON_HASH.lastIndex = j;
      NOT_COLON_HASH.test(text);
      j = NOT_COLON_HASH.lastIndex;
      if (j >= eol) break;
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
  // Only quotes (and, double-quoted, backslashes) matter: the native search goes from one to the next.
  const skip = quote === 39 ? NOT_SINGLE_QUOTE : NOT_DOUBLE_QUOTE_BACKSLASH;
  for (let i = from; i < eol; i++) {
    skip.lastIndex = i;
    skip.test(text);
    i = skip.lastIndex;
    if (i >= eol) return -1;
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

/*
 * Sticky searches that stop at a line break too, so that none goes past the
 * line it starts on (each line is searched once, whatever the file holds).
 */
const SPACES = / */y;
const NOT_COLON_HASH = /[^:#\n]*/y;
const NOT_SINGLE_QUOTE = /[^'\n]*/y;
const NOT_DOUBLE_QUOTE_BACKSLASH = /[^"\\\n]*/y;

/** Offset of the first character from `at` on that is not a space. */
function spacesEnd(text: string, at: number): number {
  SPACES.lastIndex = at;
  SPACES.test(text);
  return SPACES.lastIndex;
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

class KubeStream {
  /** Whether a collection nested deeper than MAX_YAML_NESTING was found (nothing of the text was composed). */
  deep = false;
  /** Collection-key problems, dropped at the end where the YAML parser already complained. */
  private readonly keyProblems: Array<{ message: string; pos: [number, number] }> = [];
  private readonly converter: Converter;
  private readonly scanner: CstScanner;

  /**
   * `text`: what is parsed, the file or one part of it that starts at offset
   * `base` of the file; `index` gives points of the file for offsets of `text`.
   */
  constructor(
    private readonly text: string,
    private readonly base: number,
    private readonly index: Points,
    private readonly documents: DocumentNode[],
    private readonly comments: CommentNode[],
    private readonly problems: ParseProblem[],
  ) {
    this.converter = new Converter(text, index, (p) => this.keyProblems.push(p as { message: string; pos: [number, number] }), base);
    this.scanner = new CstScanner(index, comments);
  }

  private readonly report = (err: YamlProblem): void => {
    const [s, e] = err.pos ?? [0, 0];
    this.problems.push({ message: cleanMessage(err.message), position: this.index.position(s, Math.max(s, e)) });
  };

  run(): void {
    const composer = new Composer(COMPOSE_OPTIONS);
    /** Top-level tokens of the document being composed: its `document` token and those after it. */
    let group: CstToken[] | undefined;
    const tokens = new Parser().parse(this.text);
    for (const token of tokens) {
      const before = this.comments.length;
      const deep = this.scanner.scan(token);
      if (deep !== undefined) {
        this.tooDeep(deep, token, before, tokens);
        return;
      }
      if (token.type === 'document') {
        const previous = group;
        group = [token];
        for (const doc of composer.next(token)) this.document(doc, previous!, token.offset);
      } else {
        group?.push(token);
        for (const doc of composer.next(token)) this.document(doc, group!, this.text.length);
      }
    }
    for (const doc of composer.end(false, this.text.length)) this.document(doc, group!, this.text.length);
    const info = composer.streamInfo();
    for (const err of info.errors) this.report(err);
    for (const w of info.warnings) if (REPORTED_WARNINGS.has(w.code)) this.report(w);
    const reported = this.problems.map((p) => p.position.start.offset! - this.base).sort((a, b) => a - b);
    for (const kp of this.keyProblems) {
      if (!anyWithin(reported, kp.pos[0], kp.pos[1])) this.report(kp);
    }
  }

  /**
   * A collection nested deeper than MAX_YAML_NESTING: nothing of the file is
   * composed (what was is dropped), its comments are still collected.
   */
  private tooDeep(offset: number, token: CstToken, commentsBefore: number, rest: Iterable<CstToken>): void {
    this.deep = true;
    this.documents.length = 0;
    this.problems.length = 0;
    this.keyProblems.length = 0;
    // The scan stopped descending at the deep collection: collect this token's comments iteratively.
    this.comments.length = commentsBefore;
    collectComments([token], this.index, this.comments);
    for (const t of rest) collectComments([t], this.index, this.comments);
    this.problems.push({
      message: `YAML nested more than ${MAX_YAML_NESTING} levels deep; hostlint does not read it (real manifests nest a few dozen levels)`,
      position: this.index.position(offset, Math.min(offset + 1, this.text.length)),
    });
  }

  /** A composed document, from the top-level tokens `group` that end at `end`. */
  private document(doc: Document.Parsed, group: CstToken[], end: number): void {
    if (doc.errors.length > 0 && this.padded(doc, group, end)) return;
    for (const err of doc.errors) this.report(err);
    for (const w of doc.warnings) if (REPORTED_WARNINGS.has(w.code)) this.report(w);
    this.documents.push(this.converter.document(doc, this.documents.length));
    if (this.converter.aliases.length > 0) checkAliases(doc, this.converter.aliases, this.report);
  }

  /**
   * go-yaml (and so kubectl) accepts quoted scalars whose continuation lines
   * are not indented past their key, as older YAML marshallers emit them in
   * CRD descriptions; the `yaml` package rejects them. Parse the document
   * again on its own with those lines padded, and if that removes errors, use
   * it with every offset mapped back to the file.
   */
  private padded(doc: Document.Parsed, group: CstToken[], end: number): boolean {
    const start = group[0]!.offset;
    const patch = padQuotedContinuations(this.text, group, start, end);
    if (!patch) return false;
    const tokens = Array.from(new Parser().parse(patch.text));
    // One walk of the padded CST: its comments (kept if it is used) and its depth.
    const local = new LineIndex(patch.text);
    const mine: CommentNode[] = [];
    const scanner = new CstScanner(local, mine);
    for (const t of tokens) if (scanner.scan(t) !== undefined) return false;
    const composer = new Composer(COMPOSE_OPTIONS);
    const docs = Array.from(composer.compose(tokens));
    const info = composer.streamInfo();
    if (docs.length !== 1) return false;
    const fixed = docs[0]!;
    // Errors before the document (the composer hands stream errors to the next document) are not its own.
    const own = doc.errors.filter((e) => e.pos[0] >= start).length;
    if (fixed.errors.length + info.errors.length >= own) return false;

    const map: OffsetMapper = (p) => start + patch.mapper(p);
    const index = this.index;
    const reportMapped = (err: YamlProblem): void => {
      const [s, e] = err.pos ?? [0, 0];
      const a = map(s);
      this.problems.push({ message: cleanMessage(err.message), position: index.position(a, Math.max(a, map(Math.max(s, e)))) });
    };
    for (const err of doc.errors) if (err.pos[0] < start) this.report(err);
    for (const err of fixed.errors) reportMapped(err);
    for (const w of fixed.warnings) if (REPORTED_WARNINGS.has(w.code)) reportMapped(w);
    for (const err of info.errors) reportMapped(err);
    for (const w of info.warnings) if (REPORTED_WARNINGS.has(w.code)) reportMapped(w);

    const converter = new Converter(patch.text, local, (p) => {
      const kp = p as { message: string; pos: [number, number] };
      this.keyProblems.push({ message: kp.message, pos: [map(kp.pos[0]), map(kp.pos[1])] });
    });
    const node = converter.document(fixed, this.documents.length);
    remapDocument(node, this.text, this.base, index, map);
    this.documents.push(node);
    if (converter.aliases.length > 0) checkAliases(fixed, converter.aliases, reportMapped);

    // The comments of the document are those of the padded text (a `#` on a
    // continuation line is text of the scalar, not a comment).
    let cut = this.comments.length;
    while (cut > 0 && this.comments[cut - 1]!.position.start.offset! >= this.base + start) cut--;
    const later = this.comments.splice(cut).filter((c) => c.position.start.offset! >= this.base + end);
    for (const c of mine) remapPosition(c.position, index, map);
    this.comments.push(...mine, ...later);
    return true;
  }
}

type CstToken = CST.Token;

/**
 * One walk of a top-level CST token: collects its `#` comments and finds the
 * first collection nested deeper than MAX_YAML_NESTING (below which it does
 * not descend, so the walk's recursion is bounded).
 */
class CstScanner {
  private deep: number | undefined;

  constructor(
    private readonly index: Points,
    private readonly out: CommentNode[],
  ) {}

  /** Scan a top-level token; the offset of its first too-deep collection, if any. */
  scan(token: CstToken): number | undefined {
    this.deep = undefined;
    this.visit(token, 0);
    return this.deep;
  }

  private list(tokens: unknown, depth: number): void {
    if (!Array.isArray(tokens)) return;
    for (let i = 0; i < tokens.length; i++) {
      const t = tokens[i];
      if (t === null || typeof t !== 'object') continue;
      // The usual source tokens, without a call.
      const type = t.type;
      if (type === 'space' || type === 'newline' || type === 'map-value-ind' || type === 'seq-item-ind') continue;
      this.visit(t, depth);
    }
  }

  private visit(t: Record<string, any>, depth: number): void {
    if (Array.isArray(t)) {
      this.list(t, depth);
      return;
    }
    // The most frequent token types first.
    const type = t.type;
    if (type === 'scalar' || type === 'double-quoted-scalar' || type === 'single-quoted-scalar' || type === 'alias') {
      if (t.end !== undefined) this.list(t.end, depth);
      return;
    }
    if (type === 'block-map' || type === 'block-seq' || type === 'flow-collection') {
      const d = depth + 1;
      if (d > MAX_YAML_NESTING && typeof t.offset === 'number') {
        if (this.deep === undefined || t.offset < this.deep) this.deep = t.offset;
        return;
      }
      if (t.start !== null && typeof t.start === 'object') this.visit(t.start, d); // flow-collection: its opening bracket
      const items = t.items;
      if (Array.isArray(items)) {
        for (let i = 0; i < items.length; i++) {
          const it = items[i];
          if (it === null || typeof it !== 'object') continue;
          if (it.start != null && it.start.length !== 0) this.list(it.start, d);
          if (it.key !== null && typeof it.key === 'object') this.visit(it.key, d);
          if (it.sep !== undefined) this.list(it.sep, d);
          if (it.value !== null && typeof it.value === 'object') this.visit(it.value, d);
        }
      }
      if (t.end !== undefined) this.list(t.end, d);
      return;
    }
    switch (type) {
      case 'comment': {
        const src = t.source;
        if (typeof src !== 'string' || typeof t.offset !== 'number' || !src.startsWith('#')) return;
        this.out.push({ type: 'comment', marker: '#', value: src.slice(1), position: this.index.position(t.offset, t.offset + src.length) });
        return;
      }
      // Source tokens: leaves.
      case 'space':
      case 'newline':
      case 'anchor':
      case 'tag':
      case 'seq-item-ind':
      case 'explicit-key-ind':
      case 'map-value-ind':
      case 'comma':
      case 'flow-map-start':
      case 'flow-map-end':
      case 'flow-seq-start':
      case 'flow-seq-end':
      case 'doc-start':
      case 'block-scalar-header':
      case 'byte-order-mark':
      case 'doc-mode':
      case 'directive-line':
      case 'flow-error-end':
      case 'error':
      case 'directive':
        return;
    }
    // document, doc-end, block-scalar, and anything else: every child.
    for (let i = 0; i < CHILD_KEYS.length; i++) {
      const child = t[CHILD_KEYS[i]!];
      if (child !== undefined && child !== null && typeof child === 'object') this.visit(child, depth);
    }
  }
}


// ---------------------------------------------------------------------------
// Compatibility shim: under-indented continuation lines of quoted scalars

type OffsetMapper = (patchedOffset: number) => number;

/**
 * Find quoted scalars of `tokens` (the CST of `text` from offset `from` to
 * `to`) that the lexer cut short at an under-indented continuation line, pad
 * those lines (inside the scalar, where leading blanks are folded away) and
 * return that part of the text, padded, with a mapper from its offsets to
 * offsets of the unpadded part (add `from` for offsets of `text`).
 */
function padQuotedContinuations(text: string, tokens: unknown[], from: number, to: number): { text: string; mapper: OffsetMapper } | undefined {
  const candidates: Array<{ offset: number; indent: number; quote: string }> = [];
  forEachToken(tokens, (tok) => {
    if (tok.type !== 'single-quoted-scalar' && tok.type !== 'double-quoted-scalar') return;
    const src = tok.source as string;
    if (typeof tok.offset !== 'number' || typeof src !== 'string' || typeof tok.indent !== 'number') return;
    if (quotedEnd(src, 0) === src.length) return; // properly closed
    candidates.push({ offset: tok.offset, indent: tok.indent, quote: src[0]! });
  });
  if (candidates.length === 0) return undefined;
  candidates.sort((a, b) => a.offset - b.offset);

  const inserts: Array<{ at: number; count: number }> = [];
  let done = 0;
  for (const c of candidates) {
    if (c.offset < done) continue;
    const end = quotedEnd(text, c.offset);
    if (end < 0 || end > to) continue;
    const local: Array<{ at: number; count: number }> = [];
    let ok = true;
    for (let i = text.indexOf('\n', c.offset); i >= 0 && i < end; i = text.indexOf('\n', i + 1)) {
      const lineStart = i + 1;
      let j = lineStart;
      while (text.charCodeAt(j) === 32) j++;
      const rest = text.slice(j, j + 4);
      if (j === lineStart && /^(---|\.\.\.)(\s|$)/.test(rest)) {
        ok = false; // a document marker ends the scalar in every parser
        break;
      }
      const c0 = text.charCodeAt(j);
      if (c0 === 10 || c0 === 13 || Number.isNaN(c0)) continue; // blank line
      const have = j - lineStart;
      if (have <= c.indent) local.push({ at: j, count: c.indent + 1 - have });
    }
    if (!ok) continue;
    inserts.push(...local);
    done = end;
  }
  if (inserts.length === 0) return undefined;

  const parts: string[] = [];
  const patchedStarts: number[] = [];
  const counts: number[] = [];
  const cumBefore: number[] = [];
  let last = from;
  let total = 0;
  for (const ins of inserts) {
    parts.push(text.slice(last, ins.at), ' '.repeat(ins.count));
    patchedStarts.push(ins.at - from + total);
    counts.push(ins.count);
    cumBefore.push(total);
    total += ins.count;
    last = ins.at;
  }
  parts.push(text.slice(last, to));
  const mapper: OffsetMapper = (p) => {
    let lo = 0;
    let hi = patchedStarts.length - 1;
    let k = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (patchedStarts[mid]! <= p) {
        k = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    if (k < 0) return p;
    const start = patchedStarts[k]!;
    if (p < start + counts[k]!) return start - cumBefore[k]!;
    return p - cumBefore[k]! - counts[k]!;
  };
  return { text: parts.join(''), mapper };
}

/**
 * Offset just past the closing quote of the quoted scalar opening at `start`
 * in `text`, or -1 when it is not closed.
 */
function quotedEnd(text: string, start: number): number {
  const q = text[start];
  if (q === "'") {
    for (let i = start + 1; i < text.length; i++) {
      if (text[i] === "'") {
        if (text[i + 1] === "'") i++;
        else return i + 1;
      }
    }
  } else if (q === '"') {
    for (let i = start + 1; i < text.length; i++) {
      const c = text[i];
      if (c === '\\') i++;
      else if (c === '"') return i + 1;
    }
  }
  return -1;
}

/** Rewrite a position from offsets of the padded text to the file's (in place). */
function remapPosition(pos: Position, index: Points, map: OffsetMapper): void {
  const s = map(pos.start.offset!);
  const e = Math.max(s, map(pos.end.offset!));
  const out = index.position(s, e);
  pos.start = out.start;
  pos.end = out.end;
}

/** Rewrite every position of a document converted from a padded text to the file's offsets. */
function remapDocument(doc: DocumentNode, text: string, base: number, index: Points, map: OffsetMapper): void {
  const seen = new WeakSet<object>();
  const fix = (pos: Position): void => {
    if (seen.has(pos)) return;
    remapPosition(pos, index, map);
    seen.add(pos);
  };
  const data = (n: DataNode | null): void => {
    if (!n) return;
    fix(n.position);
    if (n.type === 'scalar') {
      n.source = text.slice(n.position.start.offset! - base, n.position.end.offset! - base);
    } else if (n.type === 'mapping') {
      for (const pair of n.children) {
        fix(pair.position);
        data(pair.key);
        data(pair.value);
      }
    } else if (n.type === 'sequence') {
      for (const c of n.children) data(c);
    }
  };
  fix(doc.position);
  data(doc.body);
}

/** Whether the sorted `offsets` hold a value in [from, to]. */
function anyWithin(offsets: number[], from: number, to: number): boolean {
  let lo = 0;
  let hi = offsets.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (offsets[mid]! < from) lo = mid + 1;
    else hi = mid;
  }
  return lo < offsets.length && offsets[lo]! <= to;
}

function cleanMessage(message: string): string {
  // prettyErrors is off, but be defensive about multi-line messages.
  const nl = message.indexOf('\n');
  return (nl >= 0 ? message.slice(0, nl) : message).trim();
}

/** Resolve aliases once with a limit, so that alias bombs and dangling aliases are reported. */
function checkAliases(
  doc: Document.Parsed,
  aliases: Array<{ name: string; pos: [number, number] }>,
  report: (e: { message: string; pos?: [number, number] }) => void,
): void {
  try {
    doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT, mapAsMap: true });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    // With composition errors already reported, only alias trouble is news.
    if (doc.errors.length > 0 && !/alias/i.test(message)) return;
    const named = lastColonToken(message);
    const at = aliases.find((a) => a.name === named) ?? aliases[0];
    report({
      message: /excessive alias count/i.test(message)
        ? `${message} (more than ${MAX_ALIAS_COUNT} alias expansions)`
        : message,
      pos: at ? at.pos : [doc.range[0], doc.range[0]],
    });
  }
}

/** Visit every CST token (depth-first, in source order). */
function forEachToken(tokens: unknown[], visit: (tok: Record<string, unknown>) => void): void {
  const stack: unknown[] = [...tokens].reverse();
  while (stack.length > 0) {
    const t = stack.pop();
    if (t === null || typeof t !== 'object') continue;
    if (Array.isArray(t)) {
      for (let i = t.length - 1; i >= 0; i--) stack.push(t[i]);
      continue;
    }
    const tok = t as Record<string, unknown>;
    visit(tok);
    for (let i = CHILD_KEYS.length - 1; i >= 0; i--) {
      const child = tok[CHILD_KEYS[i]!];
      if (child !== undefined && child !== null && typeof child === 'object') stack.push(child);
    }
  }
}

/** Token fields that hold child tokens, in source order. */
const CHILD_KEYS = ['props', 'start', 'key', 'sep', 'value', 'items', 'end'];

/** Every `#` comment token of the CST, in source order. */
function collectComments(tokens: unknown[], index: Points, out: CommentNode[]): void {
  forEachToken(tokens, (tok) => {
    if (tok.type !== 'comment' || typeof tok.source !== 'string' || typeof tok.offset !== 'number') return;
    const src = tok.source;
    if (!src.startsWith('#')) return;
    out.push({
      type: 'comment',
      marker: '#',
      value: src.slice(1),
      position: index.position(tok.offset, tok.offset + src.length),
    });
  });
  out.sort((a, b) => a.position.start.offset! - b.position.start.offset!);
}

class Converter {
  /** Aliases of the last converted document (offsets of the parsed text). */
  aliases: Array<{ name: string; pos: [number, number] }> = [];

  /** `base`: the offset in the file of `text`, which `index` adds to the offsets of `text` (positions made hold the file's offsets). */
  constructor(
    private readonly text: string,
    private readonly index: Points,
    private readonly report: (err: { message: string; pos?: [number, number] }) => void,
    private readonly base = 0,
  ) {}

  document(doc: Document.Parsed, i: number): DocumentNode {
    this.aliases = [];
    let contents = doc.contents as YamlNode | null;
    // An empty document (`---` and nothing else) has no body.
    if (contents && isScalar(contents) && contents.value === null && contents.range && contents.range[0] === contents.range[1]) {
      contents = null;
    }
    const body = contents ? this.node(contents) : null;
    const start = doc.range[0];
    let end = this.trimEnd(start, doc.range[1]);
    if (body) end = Math.max(end, body.position.end.offset! - this.base);
    const node: DocumentNode = {
      type: 'document',
      index: i,
      body,
      children: body ? [body] : [],
      position: this.index.position(start, end),
    };
    if (body && body.type === 'mapping') setKind(node, body);
    return node;
  }

  /** Move `end` back over trailing blanks and line breaks (not before `start`). */
  private trimEnd(start: number, end: number): number {
    const text = this.text;
    let e = Math.min(end, text.length);
    while (e > start) {
      const c = text.charCodeAt(e - 1);
      if (c === 32 || c === 9 || c === 10 || c === 13) e--;
      else break;
    }
    return e;
  }

  private range(n: YamlNode): [number, number] {
    const r = n.range;
    if (!r) return [0, 0];
    return [r[0], Math.max(r[0], r[1])];
  }

  node(n: YamlNode | Pair): DataNode {
    // The node classes are disjoint: the most frequent first.
    if (isScalar(n)) return this.scalar(n);
    if (isMap(n)) {
      const [s, e] = this.range(n);
      const startPoint = this.index.point(s);
      const children: PairNode[] = [];
      // Keys seen: a list while the mapping is small (most are), a set beyond (`includes` and `Set` both compare with SameValueZero).
      let few: unknown[] | undefined = [];
      let many: Set<unknown> | undefined;
      for (const item of n.items) {
        const pair = this.pair(item as Pair);
        children.push(pair);
        // Scalar (and empty) keys compared by value, as the \`yaml\` package and go-yaml do.
        const k = (item as Pair).key;
        if (k == null || isScalar(k)) {
          const value = k == null ? null : (k as import('yaml').Scalar).value;
          if (many ? many.has(value) : few!.includes(value)) {
            this.report({ message: 'Map keys must be unique', pos: [pair.key.position.start.offset! - this.base, pair.key.position.end.offset! - this.base] });
          } else if (many) many.add(value);
          else {
            few!.push(value);
            if (few!.length > 16) {
              many = new Set(few);
              few = undefined;
            }
          }
        }
      }
      const map: MappingNode = { type: 'mapping', children, position: this.collectionPosition(n.flow, s, e, startPoint, children) };
      return map;
    }
    if (isSeq(n)) {
      const [s, e] = this.range(n);
      const startPoint = this.index.point(s);
      const children: DataNode[] = [];
      for (const item of n.items) {
        if (item == null) continue;
        children.push(this.node(item as YamlNode | Pair));
      }
      const seq: SequenceNode = { type: 'sequence', children, position: this.collectionPosition(n.flow, s, e, startPoint, children) };
      return seq;
    }
    if (isAlias(n)) {
      const [s, e] = this.range(n);
      this.aliases.push({ name: n.source, pos: [s, e] });
      const alias: AliasNode = { type: 'alias', name: n.source, position: this.index.position(s, e) };
      return alias;
    }
    if (isPair(n)) {
      // A pair as a sequence item (`[a: 1]`): a single-pair mapping.
      const pair = this.pair(n);
      return { type: 'mapping', children: [pair], position: this.index.position(pair.position.start.offset! - this.base, pair.position.end.offset! - this.base) };
    }
    // Unknown node class: keep its text as a string scalar.
    const [s, e] = this.range(n as YamlNode);
    const source = this.text.slice(s, e);
    return { type: 'scalar', value: source, source, position: this.index.position(s, e) };
  }

  private scalar(n: import('yaml').Scalar): ScalarNode {
    const r = n.range;
    const s = r ? r[0] : 0;
    let e = r ? Math.max(s, r[1]) : 0;
    let style: ScalarNode['style'];
    switch (n.type) {
      case 'QUOTE_DOUBLE':
        style = 'double';
        break;
      case 'QUOTE_SINGLE':
        style = 'single';
        break;
      case 'BLOCK_LITERAL':
        style = 'literal';
        e = this.trimEnd(s, e);
        break;
      case 'BLOCK_FOLDED':
        style = 'folded';
        e = this.trimEnd(s, e);
        break;
      default:
        style = 'plain';
    }
    const source = this.text.slice(s, e);
    // `!!binary` is base64 that go-yaml decodes (Kubernetes sees the text it encodes).
    const binary = n.value instanceof Uint8Array ? utf8Text(n.value) : n.tag === 'tag:yaml.org,2002:binary' && typeof n.value === 'string' ? decodeBinary(n.value) : undefined;
    return { type: 'scalar', value: binary ?? jsValue(n.value, source), source, style, position: this.index.position(s, e) };
  }

  /**
   * A collection spans from its start to its closing bracket (flow), or to the
   * end of its last item (block; without items, to its last non-blank), whose
   * end point it shares.
   */
  private collectionPosition(flow: boolean | undefined, s: number, e: number, start: Position['start'], children: Array<{ position: Position }>): Position {
    if (!flow && children.length > 0) {
      const end = children[children.length - 1]!.position.end;
      if (end.offset! - this.base >= s) return { start, end };
    }
    const end = flow ? e : children.length > 0 ? children[children.length - 1]!.position.end.offset! - this.base : this.trimEnd(s, e);
    return { start, end: this.index.point(Math.max(s, end)) };
  }

  private keyScalar(key: unknown, fallbackOffset: number): ScalarNode {
    if (key == null) {
      return { type: 'scalar', value: null, source: '', position: this.index.position(fallbackOffset, fallbackOffset) };
    }
    if (isScalar(key)) return this.scalar(key);
    // Collection or alias key: a scalar whose value is its source text.
    const converted = this.node(key as YamlNode);
    if (converted.type === 'mapping' || converted.type === 'sequence') {
      this.report({
        message: 'Mapping key is a collection; Kubernetes (JSON) accepts only scalar keys',
        pos: [converted.position.start.offset! - this.base, converted.position.end.offset! - this.base],
      });
    }
    const s = converted.position.start.offset! - this.base;
    const e = converted.position.end.offset! - this.base;
    const source = this.text.slice(s, e);
    return { type: 'scalar', value: source, source, position: this.index.position(s, e) };
  }

  private pair(p: Pair): PairNode {
    let key: ScalarNode;
    let valueNode: DataNode | null;
    if (p.key == null || isScalar(p.key)) {
      // The usual key: converted first, in source order (no aliases to keep in order).
      const keyRange = p.key != null && (p.key as YamlNode).range ? (p.key as YamlNode).range! : undefined;
      const fallback = keyRange ? keyRange[0] : p.value != null ? this.range(p.value as YamlNode)[0] : 0;
      key = this.keyScalar(p.key, fallback);
      valueNode = p.value == null ? null : this.node(p.value as YamlNode);
    } else {
      valueNode = p.value == null ? null : this.node(p.value as YamlNode);
      key = this.keyScalar(p.key, (p.key as YamlNode).range ? (p.key as YamlNode).range![0] : valueNode ? valueNode.position.start.offset! - this.base : 0);
    }
    // The pair spans its key (or, without one, its value) to the later end;
    // it shares those points (points are never changed in place).
    const first = p.key == null && valueNode ? valueNode : key;
    const last = valueNode && valueNode.position.end.offset! >= key.position.end.offset! ? valueNode : key;
    const start = first.position.start;
    const end = last.position.end;
    const node: PairNode = {
      type: 'pair',
      key,
      value: valueNode,
      children: valueNode ? [key, valueNode] : [key],
      position: start.offset! <= end.offset! ? { start, end } : this.index.position(end.offset! - this.base, end.offset! - this.base),
    };
    return node;
  }
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** The UTF-8 text a `!!binary` scalar encodes, or undefined when it is not base64 of UTF-8 text. */
function decodeBinary(value: string): string | undefined {
  const b64 = value.replace(/[ \t\r\n]+/g, '');
  if (!/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(b64)) return undefined;
  return utf8Text(Buffer.from(b64, 'base64'));
}

function utf8Text(bytes: Uint8Array): string | undefined {
  try {
    return strictUtf8.decode(bytes);
  } catch {
    return undefined;
  }
}

function jsValue(v: unknown, source: string): ScalarNode['value'] {
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return v;
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  if (v === undefined) return null;
  if (v instanceof Date) return source;
  return source;
}

/** A document's `kind` and `apiVersion`, where its body has both as strings. */
function setKind(node: DocumentNode, body: MappingNode): void {
  const kind = lastScalar(body, 'kind');
  const apiVersion = lastScalar(body, 'apiVersion');
  if (typeof kind === 'string' && typeof apiVersion === 'string') {
    node.kind = kind;
    node.apiVersion = apiVersion;
  }
}

function lastScalar(map: MappingNode, key: string): ScalarNode['value'] | undefined {
  for (let i = map.children.length - 1; i >= 0; i--) {
    const pair = map.children[i]!;
    if (pair.key.value === key) return pair.value && pair.value.type === 'scalar' ? pair.value.value : undefined;
  }
  return undefined;
}

/**
 * What `/:\s*(\S+)\s*$/` captures (the name after the last `: ` of a yaml
 * error message), without the regex: over a message quoting untrusted text
 * (`::::…`) that regex is quadratic.
 */
function lastColonToken(message: string): string | undefined {
  const t = message.trimEnd();
  let i = t.length;
  while (i > 0 && !/\s/.test(t[i - 1]!)) i--;
  const token = t.slice(i);
  if (token === '') return undefined;
  if (t.slice(0, i).trimEnd().endsWith(':')) return token;
  const colon = token.indexOf(':');
  return colon >= 0 && colon < token.length - 1 ? token.slice(colon + 1) : undefined;
}
