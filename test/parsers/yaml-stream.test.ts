/**
 * The YAML parser reads a stream one document at a time (src/parsers/yaml.ts):
 * each document is walked, composed and converted once, and only a document
 * that needs the go-yaml compatibility padding is parsed again, on its own.
 * These tests pin what that must not change: exact positions in every
 * document, the comments of a padded document, the nesting limit anywhere in
 * the stream; and the line index the parser shares with the engine.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { getPath } from '../../src/parsers/data-tree.js';
import { LineIndex, lineIndexFor } from '../../src/parsers/line-index.js';
import { MAX_YAML_NESTING, parseKube } from '../../src/parsers/yaml.js';
import type { Position, ScalarNode } from '../../src/types.js';

function pos(start: [number, number, number], end: [number, number, number]): Position {
  return { start: { line: start[0], column: start[1], offset: start[2] }, end: { line: end[0], column: end[1], offset: end[2] } };
}

/** The text a position spans. */
const at = (text: string, p: Position) => text.slice(p.start.offset, p.end.offset);

describe('parseKube: one document at a time', () => {
  // Document 2 has a quoted scalar continued at its key's indentation (as go-yaml
  // accepts); the `#` line inside it is text of the scalar, not a comment.
  const TEXT = [
    '# one', //                           line 1, offset 0
    'a: 1', //                            line 2, offset 6
    '---', //                             line 3, offset 11
    'k:', //                              line 4, offset 15
    "  description: 'first line", //      line 5, offset 18
    '  # inside the scalar', //           line 6, offset 45
    "  second line'", //                  line 7, offset 67
    '  type: string # real comment', //   line 8, offset 82
    '---', //                             line 9, offset 112
    'b: 2 # two', //                      line 10, offset 116
    '',
  ].join('\n');

  it('pads only the document that needs it, with exact positions in every document', () => {
    const { tree, problems } = parseKube(TEXT);
    expect(problems).toEqual([]);
    // A comment before a document's content is not part of the document.
    expect(tree.children.map((d) => [d.index, d.position.start.line, d.position.end.line])).toEqual([
      [0, 2, 2],
      [1, 3, 8],
      [2, 9, 10],
    ]);
    const description = getPath(tree.children[1]!.body, 'k', 'description') as ScalarNode;
    expect(description.value).toBe('first line # inside the scalar second line');
    expect(description.position).toEqual(pos([5, 16, 33], [7, 15, 81]));
    expect(description.source).toBe(at(TEXT, description.position));
    const type = getPath(tree.children[1]!.body, 'k', 'type') as ScalarNode;
    expect(type.position).toEqual(pos([8, 9, 90], [8, 15, 96]));
    expect(at(TEXT, type.position)).toBe('string');
    const b = getPath(tree.children[2]!.body, 'b') as ScalarNode;
    expect(b.position).toEqual(pos([10, 4, 119], [10, 5, 120]));
  });

  it('takes the comments of a padded document from its padded text', () => {
    const { comments } = parseKube(TEXT);
    expect(comments.map((c) => [c.value, c.position])).toEqual([
      [' one', pos([1, 1, 0], [1, 6, 5])],
      [' real comment', pos([8, 16, 97], [8, 30, 111])],
      [' two', pos([10, 6, 121], [10, 11, 126])],
    ]);
  });

  it('gives each document the positions it has when parsed alone, shifted to its place in the stream', () => {
    const docs = ['apiVersion: v1\nkind: ConfigMap\ndata:\n  a: "1" # x\n', "k:\n  d: 'x\n  y'\n", '- [1, 2]\n- {a: b}\n'];
    const stream = `---\n${docs.join('---\n')}`;
    const whole = parseKube(stream);
    expect(whole.problems).toEqual([]);
    let offset = 4;
    docs.forEach((doc, i) => {
      const alone = parseKube(doc);
      const index = new LineIndex(stream);
      const shift = (p: Position) => index.position(p.start.offset! + offset, p.end.offset! + offset);
      const body = whole.tree.children[i]!.body!;
      expect(body.position).toEqual(shift(alone.tree.children[0]!.body!.position));
      expect(JSON.stringify(body, (k, v) => (k === 'position' ? undefined : v))).toBe(JSON.stringify(alone.tree.children[0]!.body, (k, v) => (k === 'position' ? undefined : v)));
      offset += doc.length + 4;
    });
  });

  it('reads nothing of a stream with a collection nested too deep in a later document, but keeps every comment', () => {
    const deep = '['.repeat(MAX_YAML_NESTING + 5) + ']'.repeat(MAX_YAML_NESTING + 5);
    const text = `# c1\na: 1\n---\n# c2\nx: ${deep} # c3\n---\n# c4\nb: 2\n`;
    const { tree, problems, comments } = parseKube(text);
    expect(tree.children).toEqual([]);
    expect(problems).toHaveLength(1);
    expect(problems[0]!.message).toMatch(`nested more than ${MAX_YAML_NESTING} levels deep`);
    // The mapping is level 1, so bracket number MAX_YAML_NESTING opens level MAX_YAML_NESTING + 1.
    const first = text.indexOf('[') + MAX_YAML_NESTING - 1;
    expect(problems[0]!.position.start).toEqual({ line: 5, column: first - text.indexOf('x: ') + 1, offset: first });
    expect(comments.map((c) => c.value)).toEqual([' c1', ' c2', ' c3', ' c4']);
  });

  it('reads a document nested exactly to the limit', () => {
    const text = `a: 1\n---\nx: ${'['.repeat(MAX_YAML_NESTING - 1)}${']'.repeat(MAX_YAML_NESTING - 1)}\n`;
    const { tree, problems } = parseKube(text);
    expect(problems).toEqual([]);
    expect(tree.children).toHaveLength(2);
  });
});

describe('LineIndex', () => {
  it('finds the same point wherever the last lookup was (the cursor is only a shortcut)', () => {
    const reference = (text: string, offset: number) => {
      const o = Math.max(0, Math.min(offset, text.length));
      let line = 1;
      let start = 0;
      for (let i = 0; i < o; i++) {
        const c = text.charCodeAt(i);
        if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) {
          line++;
          start = i + 1;
        } else if (c === 13) {
          if (i + 1 < o) {
            line++;
            start = i + 2;
            i++;
          }
        }
      }
      return { line, column: o - start + 1, offset: o };
    };
    fc.assert(
      fc.property(fc.array(fc.constantFrom('a', 'bc', '\n', '\r\n', '\r', ' ', '\u00e9'), { maxLength: 60 }), fc.array(fc.integer({ min: -2, max: 200 }), { maxLength: 40 }), (parts, offsets) => {
        const text = parts.join('');
        const index = new LineIndex(text);
        for (const o of offsets) expect(index.point(o)).toEqual(reference(text, o));
      }),
    );
  });

  it('is shared by the parser and the engine for the same text, and never for another', () => {
    const text = 'apiVersion: v1\nkind: ConfigMap\n';
    const { tree } = parseKube(text);
    const index = lineIndexFor(text, tree);
    expect(lineIndexFor(text, tree)).toBe(index);
    expect(index.text).toBe(text);
    const other = lineIndexFor(`${text}# more\n`, tree);
    expect(other).not.toBe(index);
    expect(other.lineCount).toBe(4);
    expect(lineIndexFor(text).lineCount).toBe(3);
  });
});
