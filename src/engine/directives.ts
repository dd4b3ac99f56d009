/**
 * Inline directives, in every comment-bearing format:
 *
 *   # hostlint-disable-next-line RULE[, RULE] -- reason
 *   # hostlint-disable-line RULE
 *   # hostlint-disable RULE        (until hostlint-enable, or the end of the file)
 *   # hostlint-enable RULE
 *
 * Without rule ids a directive applies to every rule. Parse and read errors
 * are never suppressed.
 */
import type { CommentNode, Position, Result } from '../types.js';
import { INTERNAL_ERROR, PARSE_ERROR, READ_ERROR } from './builtin.js';

export interface Directive {
  kind: 'disable' | 'enable' | 'disable-line' | 'disable-next-line';
  /** Rule ids, or null for all rules. */
  rules: string[] | null;
  reason?: string;
  position: Position;
  /** Rule ids (or '*') this directive suppressed something for. */
  used: Set<string>;
}

const DIRECTIVE = /^\s*hostlint-(disable-next-line|disable-line|disable|enable)(?=\s|$)(.*)$/;

/**
 * The directives among a file's comments: those written after one of the
 * language's comment markers (its directive comment syntax, src/languages/).
 */
export function parseDirectives(comments: CommentNode[], markers: readonly string[]): Directive[] {
  const out: Directive[] = [];
  if (markers.length === 0) return out;
  for (const c of comments) {
    if (!markers.includes(c.marker)) continue;
    const m = DIRECTIVE.exec(c.value);
    if (!m) continue;
    const [body, reason] = splitReason(m[2]!);
    const ids = body
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    out.push({
      kind: m[1] as Directive['kind'],
      rules: ids.length ? ids : null,
      reason,
      position: c.position,
      used: new Set(),
    });
  }
  return out;
}

function splitReason(rest: string): [string, string | undefined] {
  const i = rest.search(/(^|\s)--(\s|$)/);
  if (i === -1) return [rest, undefined];
  const dash = rest.indexOf('--', i);
  return [rest.slice(0, dash), rest.slice(dash + 2).trim() || undefined];
}

const UNSUPPRESSIBLE = new Set([PARSE_ERROR, READ_ERROR, INTERNAL_ERROR]);

function covers(d: Directive, ruleId: string): boolean {
  return d.rules === null || d.rules.includes(ruleId);
}

function before(a: Position['start'], b: Position['start']): boolean {
  return a.line < b.line || (a.line === b.line && a.column <= b.column);
}

/** The directive that suppresses a result in its own file, if any. */
export function suppressingDirective(directives: Directive[], result: Result): Directive | undefined {
  if (UNSUPPRESSIBLE.has(result.ruleId)) return undefined;
  const line = result.position.start.line;
  for (const d of directives) {
    if (!covers(d, result.ruleId)) continue;
    if (d.kind === 'disable-line' && d.position.start.line === line) return d;
    if (d.kind === 'disable-next-line' && d.position.end.line + 1 === line) return d;
  }
  // Block directives: replay them in order up to the result.
  let all: Directive | undefined;
  const byRule = new Map<string, Directive>();
  const enabledUnderAll = new Set<string>();
  for (const d of directives) {
    if (d.kind !== 'disable' && d.kind !== 'enable') continue;
    if (!before(d.position.start, result.position.start)) break;
    if (d.kind === 'disable') {
      if (d.rules === null) {
        all = d;
        byRule.clear();
        enabledUnderAll.clear();
      } else for (const r of d.rules) {
        byRule.set(r, d);
        enabledUnderAll.delete(r);
      }
    } else if (d.rules === null) {
      all = undefined;
      byRule.clear();
      enabledUnderAll.clear();
    } else for (const r of d.rules) {
      byRule.delete(r);
      if (all) enabledUnderAll.add(r);
    }
  }
  const specific = byRule.get(result.ruleId);
  if (specific) return specific;
  if (all && !enabledUnderAll.has(result.ruleId)) return all;
  return undefined;
}
