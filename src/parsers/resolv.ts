/**
 * Parser for resolv.conf, with glibc semantics (`resolv/res_init.c`).
 *
 * - Lines are split at `\n`, `\r\n` or a lone `\r` (as `LineIndex` does).
 *   NB: glibc itself only splits at `\n`; a CR left at the end of a line is
 *   part of the last word for glibc (`nameserver 1.2.3.4\r` does not parse
 *   there). Rules that care must look at the raw text.
 * - Blanks are space and tab only (glibc's separators); a U+FEFF at offset 0
 *   (a BOM the caller did not remove) counts as a blank, so a BOM-prefixed
 *   first line is "indented" — glibc would not recognise its keyword either.
 * - Blank-only lines produce nothing.
 * - A line whose FIRST character (column 1) is `#` or `;` is a comment.
 * - Design choice: an INDENTED line whose first non-blank character is `#` or
 *   `;` is also a `CommentNode` (positioned from the marker), and nothing
 *   else, so hostlint's own inline directives (`# hostlint-disable ...`) work
 *   in it. glibc would not treat it as a comment, but as a line with an
 *   unknown keyword it ignores it all the same; a rule wanting to flag
 *   "indented comment" can compare `position.start.column` with 1.
 * - Every other non-empty line is a `directive`:
 *   - indented (first character is a blank) → `active: false`,
 *     `inactiveReason: 'indented'` (takes precedence over the reasons below);
 *   - first word is `nameserver`, `search`, `domain`, `options` or `sortlist`
 *     and is followed by a space or tab → `active: true` (even with no args:
 *     `search ` is active with zero args, as in glibc);
 *   - such a keyword followed by end of line → `inactiveReason: 'no-separator'`;
 *   - any other first word → `inactiveReason: 'unknown-keyword'` (this includes
 *     `nameserver1.2.3.4`, which glibc does not match either).
 * - `args` are the remaining space/tab-separated words; on `options` lines they
 *   are `option` nodes (`name` before the first `:`, `value` after it or null,
 *   position = the whole word), elsewhere `word` nodes. No inline comments are
 *   recognised (glibc does cut `nameserver` addresses at `#`/`;`, rules may).
 *
 * Positions: directive = from the line start (column 1, so the indentation of
 * an indented line is included) to the last non-blank character; keyword and
 * args = the word itself; comment = from the marker to the end of the line
 * (terminator excluded, trailing blanks included like `value`).
 *
 * The parser never throws and produces no `problems`.
 */
import type {
  CommentNode,
  ParseResult,
  Point,
  Position,
  ResolvDirectiveNode,
  ResolvKeywordNode,
  ResolvLineNode,
  ResolvOptionNode,
  ResolvRoot,
  ResolvWordNode,
} from '../types.js';
import { forEachLine, wholeTextPosition } from './line-index.js';

const KEYWORDS = new Set(['nameserver', 'search', 'domain', 'options', 'sortlist']);

function isBlank(text: string, i: number): boolean {
  const c = text.charCodeAt(i);
  return c === 0x20 || c === 0x09 || (c === 0xfeff && i === 0);
}

export function parseResolv(text: string): ParseResult<ResolvRoot> {
  const children: ResolvLineNode[] = [];
  const comments: CommentNode[] = [];

  const last = forEachLine(text, (line, lineStart, lineEnd) => {
    const point = (offset: number): Point => ({ line, column: offset - lineStart + 1, offset });
    const pos = (s: number, e: number): Position => ({ start: point(s), end: point(e) });

    let ts = lineStart;
    while (ts < lineEnd && isBlank(text, ts)) ts++;
    if (ts === lineEnd) return;
    let te = lineEnd;
    while (te > ts && isBlank(text, te - 1)) te--;

    const first = text[ts]!;
    if (first === '#' || first === ';') {
      const node: CommentNode = {
        type: 'comment',
        marker: first,
        value: text.slice(ts + 1, lineEnd),
        position: pos(ts, lineEnd),
      };
      children.push(node);
      comments.push(node);
      return;
    }

    // Split [ts, te) into blank-separated words.
    const words: Array<[number, number]> = [];
    let i = ts;
    while (i < te) {
      const ws = i;
      while (i < te && !isBlank(text, i)) i++;
      words.push([ws, i]);
      while (i < te && isBlank(text, i)) i++;
    }

    const [kws, kwe] = words[0]!;
    const name = text.slice(kws, kwe);
    const keyword: ResolvKeywordNode = { type: 'keyword', value: name, position: pos(kws, kwe) };

    let active = false;
    let inactiveReason: ResolvDirectiveNode['inactiveReason'];
    if (ts > lineStart) inactiveReason = 'indented';
    else if (!KEYWORDS.has(name)) inactiveReason = 'unknown-keyword';
    else if (kwe === lineEnd) inactiveReason = 'no-separator';
    else active = true;

    const args: Array<ResolvWordNode | ResolvOptionNode> = words.slice(1).map(([s, e]) => {
      const value = text.slice(s, e);
      if (name === 'options') {
        const colon = value.indexOf(':');
        const opt: ResolvOptionNode = {
          type: 'option',
          name: colon < 0 ? value : value.slice(0, colon),
          value: colon < 0 ? null : value.slice(colon + 1),
          position: pos(s, e),
        };
        return opt;
      }
      const word: ResolvWordNode = { type: 'word', value, position: pos(s, e) };
      return word;
    });

    const directive: ResolvDirectiveNode = {
      type: 'directive',
      name,
      active,
      keyword,
      args,
      children: [keyword, ...args],
      position: pos(lineStart, te),
    };
    if (inactiveReason) directive.inactiveReason = inactiveReason;
    children.push(directive);
  });

  const tree: ResolvRoot = { type: 'root', language: 'resolv', children, position: wholeTextPosition(text, last) };
  return { tree, problems: [], comments };
}
