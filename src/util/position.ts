/**
 * The position of a file's first character: where a finding about a whole
 * file (or about a file known only by its name) is placed. Frozen: it is
 * shared by every such result.
 */
import type { Point, Position } from '../types.js';

export const ORIGIN_POINT: Point = Object.freeze({ line: 1, column: 1, offset: 0 });
export const ORIGIN: Position = Object.freeze({ start: ORIGIN_POINT, end: ORIGIN_POINT });
