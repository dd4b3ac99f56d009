/**
 * CNI conflist (JSON) → unist data tree.
 *
 * CNI plugins decode their config with Go's encoding/json: no comments, no
 * trailing commas. Both are problems here, and the rest of the file is still
 * returned as far as jsonc-parser can recover.
 */
import { createScanner, parseTree, printParseErrorCode, SyntaxKind, type Node as JsonNode, type ParseError } from 'jsonc-parser';
import type { CniRoot, DataNode, DocumentNode, PairNode, ParseProblem, ParseResult, ScalarNode } from '../types.js';
import { LineIndex } from './line-index.js';

const FRIENDLY: Record<string, string> = {
  InvalidSymbol: 'Invalid symbol',
  InvalidNumberFormat: 'Invalid number format',
  PropertyNameExpected: 'Property name expected',
  ValueExpected: 'Value expected',
  ColonExpected: 'Colon expected',
  CommaExpected: 'Comma expected',
  CloseBraceExpected: 'Closing brace `}` expected',
  CloseBracketExpected: 'Closing bracket `]` expected',
  EndOfFileExpected: 'End of file expected',
  InvalidCommentToken: 'Comments are not allowed in JSON',
  UnexpectedEndOfComment: 'Unexpected end of comment',
  UnexpectedEndOfString: 'Unexpected end of string',
  UnexpectedEndOfNumber: 'Unexpected end of number',
  InvalidUnicode: 'Invalid unicode escape sequence',
  InvalidEscapeCharacter: 'Invalid escape character in string',
  InvalidCharacter: 'Invalid character',
};

/** Human-readable message for a jsonc-parser error, ending with its code name. */
export function jsonErrorMessage(error: ParseError, text: string): string {
  const code = printParseErrorCode(error.error);
  let message = FRIENDLY[code] ?? 'JSON syntax error';
  if (code === 'ValueExpected' && /^[\]}]/.test(text.slice(error.offset, error.offset + 1))) {
    message = 'Value expected (trailing commas are not allowed in JSON)';
  }
  return `${message} (${code})`;
}

/**
 * Arrays and objects nested deeper than this are not parsed: jsonc-parser and
 * the tree walkers recurse per level. CNI configurations nest a few levels.
 */
export const MAX_JSON_NESTING = 256;

/** Offset of the first `[` or `{` nested deeper than `limit`, or undefined. Iterative. */
function firstTooDeep(text: string, limit: number): number | undefined {
  const scanner = createScanner(text, false);
  let depth = 0;
  for (let kind = scanner.scan(); kind !== SyntaxKind.EOF; kind = scanner.scan()) {
    if (kind === SyntaxKind.OpenBraceToken || kind === SyntaxKind.OpenBracketToken) {
      if (++depth > limit) return scanner.getTokenOffset();
    } else if (kind === SyntaxKind.CloseBraceToken || kind === SyntaxKind.CloseBracketToken) {
      if (depth > 0) depth--;
    }
  }
  return undefined;
}

export interface JsonDataTree {
  body: DataNode | null;
  problems: ParseProblem[];
}

/**
 * Parse JSON text into a data node. `index` converts offsets to points (pass
 * one built over the whole file); `shift` is added to every offset first, for
 * JSON embedded at `shift` in a larger text whose characters map 1:1.
 */
export function dataTreeFromJson(text: string, index: LineIndex = new LineIndex(text), shift = 0): JsonDataTree {
  const errors: ParseError[] = [];
  const problems: ParseProblem[] = [];
  let body: DataNode | null = null;
  const tooDeep = firstTooDeep(text, MAX_JSON_NESTING);
  if (tooDeep !== undefined) {
    problems.push({
      message: `JSON nested more than ${MAX_JSON_NESTING} levels deep; hostlint does not read it (CNI configurations nest a few levels)`,
      position: index.position(shift + tooDeep, shift + tooDeep + 1),
    });
    return { body, problems };
  }
  try {
    const root = parseTree(text, errors, { disallowComments: true, allowTrailingComma: false });
    body = root ? convert(root, text, index, shift) : null;
  } catch (error) {
    problems.push({
      message: `JSON could not be parsed: ${error instanceof Error ? error.message : String(error)}`,
      position: index.position(shift, shift),
    });
  }
  for (const e of errors) {
    problems.push({
      message: jsonErrorMessage(e, text),
      position: index.position(shift + e.offset, shift + e.offset + e.length),
    });
  }
  return { body, problems };
}

export function parseCni(text: string): ParseResult<CniRoot> {
  const index = new LineIndex(text);
  const { body, problems } = dataTreeFromJson(text, index);
  const start = body ? body.position.start.offset! : 0;
  const end = body ? body.position.end.offset! : 0;
  const document: DocumentNode = {
    type: 'document',
    index: 0,
    body,
    children: body ? [body] : [],
    position: index.position(start, end),
  };
  const tree: CniRoot = {
    type: 'root',
    language: 'cni',
    children: [document],
    position: index.position(0, text.length),
  };
  return { tree, problems, comments: [] };
}

function convert(node: JsonNode, text: string, index: LineIndex, shift: number): DataNode {
  // Iterative over containers would be nicer, but JSON nesting deep enough to
  // matter already failed in jsonc-parser's own recursion (caught above).
  const position = index.position(shift + node.offset, shift + node.offset + node.length);
  switch (node.type) {
    case 'object': {
      const children: PairNode[] = [];
      for (const prop of node.children ?? []) {
        const keyNode = prop.children?.[0];
        if (!keyNode) continue;
        const key = scalar(keyNode, text, index, shift);
        const valueJson = prop.children?.[1];
        const value = valueJson ? convert(valueJson, text, index, shift) : null;
        const end = value ? value.position.end.offset! : key.position.end.offset!;
        children.push({
          type: 'pair',
          key,
          value,
          children: value ? [key, value] : [key],
          position: index.position(key.position.start.offset!, end),
        });
      }
      return { type: 'mapping', children, position };
    }
    case 'array':
      return {
        type: 'sequence',
        children: (node.children ?? []).map((c) => convert(c, text, index, shift)),
        position,
      };
    default:
      return scalar(node, text, index, shift);
  }
}

function scalar(node: JsonNode, text: string, index: LineIndex, shift: number): ScalarNode {
  const v: unknown = node.value;
  const value: ScalarNode['value'] =
    v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? v : null;
  return {
    type: 'scalar',
    value,
    source: text.slice(node.offset, node.offset + node.length),
    style: 'json',
    position: index.position(shift + node.offset, shift + node.offset + node.length),
  };
}
