/**
 * felix.cfg (INI) → unist tree.
 *
 * Felix reads the file with go-ini (felix/config/file_loader.go): section names
 * are ignored, keys of all sections are merged into one map and a repeated key
 * keeps the last value (with a "Multiple values defined for key" warning). The
 * tree keeps every section and every property, duplicates included; use
 * `felixSettings` for the merged, last-wins view.
 *
 * Line syntax (as go-ini): leading blanks are ignored; `#` and `;` start a
 * full-line comment; `[name]` is a section header; otherwise the key runs up to
 * the first `=` or `:`. Values are decoded with the `ini` package's `unsafe()`
 * (quotes removed, unquoted values cut at an unescaped `;` or `#`).
 */
import ini from 'ini';
import type {
  CommentNode,
  FelixRoot,
  IniKeyNode,
  IniPropertyNode,
  IniSectionNode,
  IniValueNode,
  ParseProblem,
  ParseResult,
} from '../types.js';
import { LineIndex, lines } from './line-index.js';

export const UNEXPECTED_LINE = 'Unexpected line, expected `[section]`, `key = value` or a comment';

export function parseFelix(text: string): ParseResult<FelixRoot> {
  const index = new LineIndex(text);
  const problems: ParseProblem[] = [];
  const comments: CommentNode[] = [];
  const sections: IniSectionNode[] = [];
  let current: IniSectionNode = {
    type: 'section',
    name: '',
    children: [],
    position: index.position(0, 0),
  };

  const finish = (section: IniSectionNode): void => {
    if (!section.header && section.children.length === 0) return; // empty implicit section
    const start = section.header
      ? section.header.start.offset!
      : section.children[0]!.position.start.offset!;
    const last = section.children[section.children.length - 1];
    const end = last ? last.position.end.offset! : section.header!.end.offset!;
    section.position = index.position(start, end);
    sections.push(section);
  };

  for (const line of lines(text)) {
    const raw = line.text;
    const lead = raw.length - raw.trimStart().length;
    const body = raw.trim();
    if (body === '') continue;
    const start = line.start + lead;
    const end = start + body.length;
    const first = body[0];

    if (first === '#' || first === ';') {
      const c: CommentNode = {
        type: 'comment',
        marker: first,
        value: raw.slice(lead + 1),
        position: index.position(start, line.end),
      };
      current.children.push(c);
      comments.push(c);
      continue;
    }

    if (first === '[') {
      const close = body.lastIndexOf(']');
      if (close < 0) {
        problems.push({ message: 'Unclosed section header: missing `]`', position: index.position(start, end) });
        continue;
      }
      finish(current);
      const headerEnd = start + close + 1;
      current = {
        type: 'section',
        name: body.slice(1, close).trim(),
        header: index.position(start, headerEnd),
        children: [],
        position: index.position(start, headerEnd),
      };
      const rest = body.slice(close + 1);
      const restTrim = rest.trimStart();
      if (restTrim.startsWith('#') || restTrim.startsWith(';')) {
        const at = headerEnd + (rest.length - restTrim.length);
        comments.push({
          type: 'comment',
          marker: restTrim[0]!,
          value: raw.slice(at - line.start + 1),
          position: index.position(at, line.end),
        });
      }
      continue;
    }

    const delim = body.search(/[=:]/);
    if (delim < 0) {
      problems.push({ message: UNEXPECTED_LINE, position: index.position(start, end) });
      continue;
    }
    const keyText = body.slice(0, delim).trimEnd();
    if (keyText === '') {
      problems.push({ message: 'Missing key before the delimiter', position: index.position(start, start + delim + 1) });
      continue;
    }
    const key: IniKeyNode = { type: 'key', name: keyText, position: index.position(start, start + keyText.length) };

    const afterDelim = body.slice(delim + 1);
    const valueLead = afterDelim.length - afterDelim.trimStart().length;
    const rawValue = afterDelim.trim();
    const valueStart = start + delim + 1 + valueLead;
    // The value node covers the value text without an inline comment.
    let valueLen = rawValue.length;
    let inlineComment: number | undefined;
    if (!isQuoted(rawValue)) {
      const cut = unescapedCommentIndex(rawValue);
      if (cut >= 0) {
        inlineComment = cut;
        valueLen = rawValue.slice(0, cut).trimEnd().length;
      }
    }
    const valueNodeStart = rawValue.length === 0 ? start + delim + 1 : valueStart;
    const value: IniValueNode = {
      type: 'value',
      value: ini.unsafe(rawValue),
      position: index.position(valueNodeStart, valueNodeStart + valueLen),
    };
    const property: IniPropertyNode = {
      type: 'property',
      key,
      value,
      children: [key, value],
      position: index.position(start, Math.max(value.position.end.offset!, start + delim + 1)),
    };
    current.children.push(property);
    if (inlineComment !== undefined) {
      const at = valueStart + inlineComment;
      comments.push({
        type: 'comment',
        marker: rawValue[inlineComment]!,
        value: text.slice(at + 1, line.end),
        position: index.position(at, line.end),
      });
    }
  }
  finish(current);

  const tree: FelixRoot = {
    type: 'root',
    language: 'felix',
    children: sections,
    position: index.position(0, text.length),
  };
  return { tree, problems, comments };
}

/**
 * Felix's effective settings: keys of all sections merged, last one wins.
 * Each entry lists every property for the key, in file order (the last is effective).
 */
export function felixSettings(tree: FelixRoot): Map<string, IniPropertyNode[]> {
  const out = new Map<string, IniPropertyNode[]>();
  for (const section of tree.children) {
    for (const child of section.children) {
      if (child.type !== 'property') continue;
      const list = out.get(child.key.name);
      if (list) list.push(child);
      else out.set(child.key.name, [child]);
    }
  }
  return out;
}

function isQuoted(v: string): boolean {
  return v.length > 1 && ((v.startsWith('"') && v.endsWith('"')) || (v.startsWith("'") && v.endsWith("'")));
}

/** Index of the first `;` or `#` not escaped by a backslash (as `ini.unsafe` cuts), or -1. */
function unescapedCommentIndex(v: string): number {
  let esc = false;
  for (let i = 0; i < v.length; i++) {
    const c = v[i];
    if (esc) esc = false;
    else if (c === '\\') esc = true;
    else if (c === ';' || c === '#') return i;
  }
  return -1;
}
