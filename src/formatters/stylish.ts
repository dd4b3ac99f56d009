/**
 * ESLint's `stylish` look:
 *
 *     <blank line>
 *     etc/sysctl.conf  (host db01)
 *       3:1   error    message  rule-id
 *      12:17  warning  message  rule-id
 *     <blank line>
 *     ✖ 2 problems (1 error, 1 warning, 0 notes)
 *
 * Line numbers are right-aligned so the colons line up; the other columns are
 * left-aligned; trailing blanks are trimmed. Nothing at all is printed when
 * there are no results.
 */
import picocolors from 'picocolors';
import type { FileReport, LintReport, Result, Severity } from '../types.js';
import { escapeLineStart, escapeText } from '../util/escape.js';
import { countResults, isSuppressed, visibleResults, type Counts, type FormatOptions } from './shared.js';

export function stylish(report: LintReport, options: FormatOptions): string {
  const { text: output, shown } = stylishFiles(report.files, options);
  if (shown === 0) return '';
  return output + stylishSummary(countResults(report), options);
}

/**
 * The blocks of `stylish` for some files (each: a blank line, the path, its
 * rows), without the summary line; `showHost: false` leaves out `(host …)`
 * (the fleet audit prints the host above its files).
 */
export function stylishFiles(files: FileReport[], options: FormatOptions, showHost = true): { text: string; shown: number } {
  const c = picocolors.createColors(options.color);
  const severityColor: Record<Severity, (s: string) => string> = {
    error: c.red,
    warning: c.yellow,
    note: c.cyan,
  };
  let output = '';
  let shown = 0;
  for (const file of files) {
    const results = visibleResults(file, options);
    if (results.length === 0) continue;
    shown += results.length;

    const host = showHost ? (file.host ?? results.find((r) => r.host !== undefined)?.host) : undefined;
    // File and host names are untrusted: control characters escaped, never a line starting with `::`.
    output += '\n' + c.underline(escapeLineStart(file.path)) + (host !== undefined ? '  ' + c.dim(`(host ${escapeText(host)})`) : '') + '\n';

    const rows = results.map((r) => toRow(r));
    const width = {
      line: Math.max(...rows.map((r) => r.line.length)),
      column: Math.max(...rows.map((r) => r.column.length)),
      severity: Math.max(...rows.map((r) => r.severity.length)),
      message: Math.max(...rows.map((r) => r.message.length)),
    };
    for (const row of rows) {
      const position = row.line.padStart(width.line) + ':' + row.column;
      const line =
        '  ' +
        c.dim(position) +
        ' '.repeat(width.column - row.column.length) +
        '  ' +
        severityColor[row.sev](row.severity) +
        ' '.repeat(width.severity - row.severity.length) +
        '  ' +
        row.message +
        ' '.repeat(width.message - row.message.length) +
        '  ' +
        (row.ruleId === '' ? '' : c.dim(row.ruleId));
      output += line.trimEnd() + '\n';
    }
  }

  return { text: output, shown };
}

/** The closing line of `stylish` (with the blank line before it). */
export function stylishSummary(counts: Counts, options: FormatOptions): string {
  const c = picocolors.createColors(options.color);
  const { errorCount, warningCount, noteCount } = counts;
  const total = errorCount + warningCount + noteCount;
  const summary =
    `\u2716 ${total} ${plural(total, 'problem')} ` +
    `(${errorCount} ${plural(errorCount, 'error')}, ` +
    `${warningCount} ${plural(warningCount, 'warning')}, ` +
    `${noteCount} ${plural(noteCount, 'note')})`;
  const summaryColor = errorCount > 0 ? c.red : warningCount > 0 ? c.yellow : c.cyan;
  return '\n' + c.bold(summaryColor(summary)) + '\n';
}

interface Row {
  line: string;
  column: string;
  sev: Severity;
  severity: string;
  message: string;
  ruleId: string;
}

function toRow(result: Result): Row {
  const start = result.position?.start;
  // ESLint drops a final period and keeps each result on one row.
  // Messages quote file content: every control character is shown escaped.
  // (split and trim, not a regex: `\s*\n\s*` is quadratic over a long run of blanks)
  const oneLine = result.message.includes('\n') ? result.message.split('\n').map((part) => part.trim()).join(' ') : result.message;
  let message = escapeText(oneLine).replace(/([^ ])\.$/, '$1');
  if (isSuppressed(result)) message += ' (suppressed)';
  return {
    line: String(start?.line ?? 0),
    column: String(start?.column ?? 0),
    sev: result.severity,
    severity: result.severity,
    message,
    ruleId: escapeText(result.ruleId ?? ''),
  };
}

function plural(n: number, word: string): string {
  return n === 1 ? word : word + 's';
}
