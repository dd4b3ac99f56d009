/**
 * The oracle of the resolv.conf parser's tests: `parseResolv` exactly as it
 * was before it stopped iterating with a generator (hostlint commit
 * 50d17d9, src/parsers/resolv.ts), with the `lines()` of that commit.
 * Test code only; do not "fix" it.
 */
import { LineIndex } from '../../src/parsers/line-index.js';
import type { CommentNode, ParseResult, Point, Position, ResolvDirectiveNode, ResolvKeywordNode, ResolvLineNode, ResolvOptionNode, ResolvRoot, ResolvWordNode } from '../../src/types.js';
import { lines } from './sysctl-reference.js';

const KEYWORDS = new Set(['nameserver', 'search', 'domain', 'options', 'sortlist']);

function isBlank(text: string, i: number): boolean {
  const c = text.charCodeAt(i);
  return c === 0x20 || c === 0x09 || (c === 0xfeff && i === 0);
}

export function referenceParseResolv(text: string): ParseResult<ResolvRoot> {
  const children: ResolvLineNode[] = [];
  const comments: CommentNode[] = [];

  for (const ln of lines(text)) {
    const point = (offset: number): Point => ({ line: ln.line, column: offset - ln.start + 1, offset });
    const pos = (s: number, e: number): Position => ({ start: point(s), end: point(e) });

    let ts = ln.start;
    while (ts < ln.end && isBlank(text, ts)) ts++;
    if (ts === ln.end) continue;
    let te = ln.end;
    while (te > ts && isBlank(text, te - 1)) te--;

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
    if (ts > ln.start) inactiveReason = 'indented';
    else if (!KEYWORDS.has(name)) inactiveReason = 'unknown-keyword';
    else if (kwe === ln.end) inactiveReason = 'no-separator';
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
      position: pos(ln.start, te),
    };
    if (inactiveReason) directive.inactiveReason = inactiveReason;
    children.push(directive);
  }

  const index = new LineIndex(text);
  const tree: ResolvRoot = { type: 'root', language: 'resolv', children, position: index.position(0, text.length) };
  return { tree, problems: [], comments };
}
