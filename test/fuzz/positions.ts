/**
 * The position invariants every tree, comment, problem and result must keep:
 * inside the text, start before end, and line/column equal to what the
 * offset means in the text (lines end at LF, CRLF or a lone CR; columns count
 * UTF-16 code units, 1-based).
 */
import { LineIndex } from '../../src/parsers/line-index.js';
import type { Point, Position } from '../../src/types.js';

export interface PositionFault {
  path: string;
  problem: string;
}

function checkPoint(p: Point | undefined, index: LineIndex, name: string): string | undefined {
  if (!p || typeof p !== 'object') return `${name} is missing`;
  const { offset, line, column } = p;
  if (!Number.isInteger(offset)) return `${name}.offset is ${String(offset)}`;
  if (offset! < 0 || offset! > index.length) return `${name}.offset ${offset} is outside the text (length ${index.length})`;
  const want = index.point(offset!);
  if (line !== want.line || column !== want.column) return `${name} says ${line}:${column} but offset ${offset} is ${want.line}:${want.column}`;
  return undefined;
}

/** Check one position; undefined when it is sound. */
export function positionFault(position: Position, index: LineIndex): string | undefined {
  const start = checkPoint(position.start, index, 'start');
  if (start) return start;
  const end = checkPoint(position.end, index, 'end');
  if (end) return end;
  if (position.end.offset! < position.start.offset!) return `end ${position.end.offset} is before start ${position.start.offset}`;
  return undefined;
}

/**
 * Every `position` reachable from `root` (nodes, their keys and values,
 * comments, problems), checked against `text`. Returns the faults found.
 */
export function positionFaults(root: unknown, text: string): PositionFault[] {
  // (The count of positions checked is kept on the function, for campaign figures.)
  const index = new LineIndex(text);
  const faults: PositionFault[] = [];
  const seen = new Set<unknown>();
  const stack: Array<[unknown, string]> = [[root, '$']];
  let checked = 0;
  while (stack.length > 0) {
    const [value, at] = stack.pop()!;
    if (value === null || typeof value !== 'object' || seen.has(value)) continue;
    seen.add(value);
    if (Array.isArray(value)) {
      value.forEach((v, i) => stack.push([v, `${at}[${i}]`]));
      continue;
    }
    const obj = value as Record<string, unknown>;
    if (obj.position && typeof obj.position === 'object' && 'start' in (obj.position as object)) {
      checked++;
      const fault = positionFault(obj.position as Position, index);
      if (fault) faults.push({ path: `${at}${typeof obj.type === 'string' ? `<${obj.type}>` : ''}.position`, problem: fault });
    }
    for (const [k, v] of Object.entries(obj)) if (k !== 'position') stack.push([v, `${at}.${k}`]);
  }
  positionFaults.checked += checked;
  return faults;
}
positionFaults.checked = 0;
