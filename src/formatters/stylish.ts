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
      ruleId: Math.max(...rows.map((r) => r.ruleId.length)),
    };
    // The message column starts here; wrapped lines hang under it.
    const indent = 2 + width.line + 1 + width.column + 2 + width.severity + 2;
    const messageWidth = wrapWidth(options.width, indent, width.message, width.ruleId);
    for (const row of rows) {
      const [first = '', ...more] = messageWidth === undefined ? [row.message] : wrap(row.message, messageWidth);
      const position = row.line.padStart(width.line) + ':' + row.column;
      const line =
        '  ' +
        c.dim(position) +
        ' '.repeat(width.column - row.column.length) +
        '  ' +
        severityColor[row.sev](row.severity) +
        ' '.repeat(width.severity - row.severity.length) +
        '  ' +
        first +
        ' '.repeat(Math.max(0, (messageWidth ?? width.message) - first.length)) +
        '  ' +
        (row.ruleId === '' ? '' : c.dim(row.ruleId));
      output += line.trimEnd() + '\n';
      for (const rest of more) output += ' '.repeat(indent) + rest + '\n';
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

/** Narrower than this, a message column is not worth wrapping into: the terminal wraps instead. */
const MIN_MESSAGE_WIDTH = 20;

/**
 * The width to wrap messages to so that every row fits in `terminal`
 * columns (the rule id stays on the first line, after the message column),
 * or undefined: no terminal width known, everything fits already, or the
 * message column would be too narrow to be of use.
 */
function wrapWidth(terminal: number | undefined, indent: number, longest: number, ruleId: number): number | undefined {
  if (terminal === undefined || !Number.isFinite(terminal) || terminal <= 0) return undefined;
  const available = Math.floor(terminal) - indent - (ruleId > 0 ? 2 + ruleId : 0);
  if (longest <= available || available < MIN_MESSAGE_WIDTH) return undefined;
  return available;
}

/**
 * `text` in lines of at most `width` characters, broken at spaces; a word
 * longer than a line is cut (never inside a surrogate pair).
 */
export function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (let word of text.split(/ +/)) {
    if (word === '') continue;
    if (line !== '' && line.length + 1 + word.length <= width) {
      line += ' ' + word;
      continue;
    }
    if (line !== '') lines.push(line);
    line = '';
    while (word.length > width) {
      let cut = width;
      const code = word.charCodeAt(cut - 1);
      if (code >= 0xd800 && code <= 0xdbff && cut > 1) cut--;
      lines.push(word.slice(0, cut));
      word = word.slice(cut);
    }
    line = word;
  }
  if (line !== '' || lines.length === 0) lines.push(line);
  return lines;
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
