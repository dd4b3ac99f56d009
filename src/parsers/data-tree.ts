/**
 * Helpers over the data trees shared by YAML (kube) and JSON (cni) files.
 *
 * None of these helpers throws on odd shapes: a path through a scalar, a
 * missing key or an alias simply yields `undefined`. Aliases are never
 * followed (the tree keeps them as `alias` nodes).
 */
import type { DataNode, MappingNode, PairNode, ScalarNode, SequenceNode } from '../types.js';

export function isMapping(node: DataNode | null | undefined): node is MappingNode {
  return node != null && node.type === 'mapping';
}

export function isSequence(node: DataNode | null | undefined): node is SequenceNode {
  return node != null && node.type === 'sequence';
}

export function isScalar(node: DataNode | null | undefined): node is ScalarNode {
  return node != null && node.type === 'scalar';
}

/** The key of a pair as a string (`String(value)`; a `null` key is `''`). */
export function keyName(pair: PairNode): string {
  const v = pair.key.value;
  return v === null ? '' : String(v);
}

/**
 * The pair of `mapping` whose key is `key` (compared as strings). With duplicate
 * keys the LAST pair wins, as in Kubernetes' and Felix's decoders.
 */
export function pairOf(mapping: DataNode | null | undefined, key: string): PairNode | undefined {
  if (!isMapping(mapping)) return undefined;
  const pairs = mapping.children;
  for (let i = pairs.length - 1; i >= 0; i--) {
    const pair = pairs[i]!;
    if (keyName(pair) === key) return pair;
  }
  return undefined;
}

/**
 * Follow `keys` from `node`: strings select mapping members, numbers select
 * sequence items. Returns `undefined` when any step does not exist (or the
 * value at the end is an empty `key:` with no node).
 */
export function getPath(node: DataNode | null | undefined, ...keys: Array<string | number>): DataNode | undefined {
  let current: DataNode | null | undefined = node;
  for (const key of keys) {
    if (current == null) return undefined;
    if (typeof key === 'number') {
      if (!isSequence(current)) return undefined;
      current = current.children[key];
    } else {
      const pair = pairOf(current, key);
      if (!pair) return undefined;
      current = pair.value;
    }
  }
  return current ?? undefined;
}

/** The scalar at `keys` (see `getPath`), if it is a scalar. */
export function getScalar(node: DataNode | null | undefined, ...keys: Array<string | number>): ScalarNode | undefined {
  const found = getPath(node, ...keys);
  return isScalar(found) ? found : undefined;
}

/** The string value at `keys`, only if the scalar there is a string. */
export function getString(node: DataNode | null | undefined, ...keys: Array<string | number>): string | undefined {
  const s = getScalar(node, ...keys);
  return s && typeof s.value === 'string' ? s.value : undefined;
}

/** Items of the sequence at `keys` (empty when absent or not a sequence). */
export function getItems(node: DataNode | null | undefined, ...keys: Array<string | number>): DataNode[] {
  const found = getPath(node, ...keys);
  return isSequence(found) ? found.children : [];
}

/**
 * Map a span `[start, end)` of a scalar's parsed string value back to FILE
 * offsets. Returns `undefined` when the mapping cannot be established exactly.
 *
 * - literal block scalars (`|`, `|-`, `|+`): value line i is source content
 *   line i with the block indentation removed;
 * - any other style: the span's text must occur the same number of times in
 *   the value and in the source (so escapes/folding cannot shift it), and the
 *   k-th occurrence in the value maps to the k-th occurrence in the source.
 */
export function mapScalarSpan(node: ScalarNode, start: number, end: number): [number, number] | undefined {
  if (typeof node.value !== 'string') {
    // Non-string scalars: value text is the source text.
    if (start < 0 || end > node.source.length || start > end) return undefined;
    const base = node.position.start.offset;
    return base === undefined ? undefined : [base + start, base + end];
  }
  const value = node.value;
  if (start < 0 || end > value.length || start > end) return undefined;
  const base = node.position.start.offset;
  if (base === undefined) return undefined;
  if (node.style === 'literal') {
    const mapped = mapLiteral(node.source, value, start, end);
    if (mapped) return [base + mapped[0], base + mapped[1]];
  }
  const token = value.slice(start, end);
  if (token.length === 0 || /[\s"'\\]/.test(token)) return undefined;
  const before = countOccurrences(value.slice(0, start + token.length - 1), token); // occurrences starting before `start`
  const inValue = countOccurrences(value, token);
  const inSource = countOccurrences(node.source, token);
  if (inValue !== inSource) return undefined;
  let at = -1;
  for (let k = 0; k <= before; k++) {
    at = node.source.indexOf(token, at + 1);
    if (at < 0) return undefined;
  }
  return [base + at, base + at + token.length];
}

function countOccurrences(haystack: string, needle: string): number {
  let n = 0;
  let at = haystack.indexOf(needle);
  while (at >= 0) {
    n++;
    at = haystack.indexOf(needle, at + 1);
  }
  return n;
}

/** Offsets into `source` (which starts with the `|` header line) for a span of the value. */
function mapLiteral(source: string, value: string, start: number, end: number): [number, number] | undefined {
  // Which value line holds `start`, and at what column.
  let line = 0;
  let lineStart = 0;
  for (let i = value.indexOf('\n'); i >= 0 && i < start; i = value.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  let lineEnd = value.indexOf('\n', lineStart);
  if (lineEnd < 0) lineEnd = value.length;
  if (end > lineEnd) return undefined; // spans lines: not needed, keep it simple
  const valueLine = value.slice(lineStart, lineEnd);
  // Source line `line + 1` (line 0 of the source is the header).
  const re = /\r\n|\r|\n/g;
  let srcLineStart = 0;
  let srcLine = 0;
  let m: RegExpExecArray | null;
  while (srcLine < line + 1 && (m = re.exec(source)) !== null) {
    srcLine++;
    srcLineStart = m.index + m[0].length;
  }
  if (srcLine !== line + 1) return undefined;
  re.lastIndex = srcLineStart;
  const next = re.exec(source);
  const srcLineEnd = next ? next.index : source.length;
  const text = source.slice(srcLineStart, srcLineEnd);
  if (!text.endsWith(valueLine)) return undefined;
  const indent = text.length - valueLine.length;
  if (text.slice(0, indent).trim() !== '') return undefined;
  const s = srcLineStart + indent + (start - lineStart);
  return [s, s + (end - start)];
}
