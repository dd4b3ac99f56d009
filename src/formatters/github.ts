/**
 * GitHub Actions workflow commands: one annotation per result, shown on the
 * run's summary and, for files in the pull request, on the diff.
 *
 *     ::error file=etc/sysctl.conf,line=13,col=27,endLine=13,endColumn=28,title=hostlint (sysctl-tw-recycle)::message
 *
 * `error` and `warning` keep their names, a note is a `notice`. The message
 * carries the host (for snapshot files) and the evidence, one location a line.
 * Values are escaped as @actions/core escapes them: `%`, CR and LF in the
 * message; additionally `:` and `,` in properties. GitHub shows at most 10
 * error and 10 warning annotations per step; the rest are still in the log.
 * Nothing is printed for a clean run.
 */
import type { LintReport, Result, Severity } from '../types.js';
import { escapeText } from '../util/escape.js';
import { isSuppressed, visibleResults, type FormatOptions } from './shared.js';

const COMMAND: Record<Severity, string> = { error: 'error', warning: 'warning', note: 'notice' };

export function github(report: LintReport, options: FormatOptions): string {
  let out = '';
  for (const file of report.files) {
    for (const result of visibleResults(file, options)) {
      out += annotation(result, result.host ?? file.host) + '\n';
    }
  }
  return out;
}

function annotation(result: Result, host: string | undefined): string {
  const { start, end } = result.position;
  const properties: Array<[string, string | number]> = [
    ['file', controls(result.file)],
    ['line', start.line],
    ['col', start.column],
    ['endLine', end.line],
    ['endColumn', end.column],
    ['title', `hostlint (${result.ruleId})`],
  ];
  // Untrusted text (file content in messages, file and host names): control characters escaped.
  let message = controls(result.message);
  if (host !== undefined) message += ` (host ${controls(host)})`;
  if (isSuppressed(result)) message += ' (suppressed)';
  const related = result.related ?? [];
  if (related.length > 0) {
    message += '\n' + related.map((l) => controls(`${l.file}:${l.position.start.line}:${l.position.start.column}${l.message ? ` ${l.message}` : ''}`)).join('\n');
  }
  return `::${COMMAND[result.severity]} ${properties.map(([k, v]) => `${k}=${escapeProperty(String(v))}`).join(',')}::${escapeData(message)}`;
}

/**
 * Control characters other than CR and LF (which `escapeData` turns into
 * `%0D`/`%0A`, so GitHub gets the real file name back) written as `\x1b`,
 * `\u009b`: the log must not colour, move or hide anything.
 */
// eslint-disable-next-line no-control-regex
const CONTROLS = /[\u0000-\u0009\u000b\u000c\u000e-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
function controls(s: string): string {
  return s.replace(CONTROLS, (c) => escapeText(c));
}

/** @actions/core `escapeData`. */
export function escapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** @actions/core `escapeProperty`. */
export function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}
