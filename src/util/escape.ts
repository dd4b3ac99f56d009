/**
 * Making untrusted text (file content, file and host names, archive member
 * names, configuration values) safe to print: a terminal must see no control
 * sequence hostlint did not write itself, and a CI log no line that a runner
 * would take for a workflow command (`::error …::`, `::stop-commands::`).
 *
 * One place for all of it: formatters and the CLI call these helpers.
 */

/**
 * C0 controls (newline and tab too), DEL, C1 controls, the Unicode line and
 * paragraph separators and the bidirectional overrides/isolates ("Trojan
 * source"): everything that can move the cursor, start an escape sequence or
 * make a line look different from its bytes.
 */
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

function escapeChar(c: string): string {
  const code = c.charCodeAt(0);
  if (code < 0x20 || code === 0x7f) return `\\x${code.toString(16).padStart(2, '0')}`;
  return `\\u${code.toString(16).padStart(4, '0')}`;
}

/** Untrusted text shown on one line: every control character written as `\xHH` / `\uHHHH`. */
export function escapeText(text: string): string {
  return text.replace(UNSAFE, escapeChar);
}

/**
 * A file path or host name that starts an output line: escaped, and never
 * beginning with `::` (a GitHub Actions workflow command). `./::x` names the
 * same file as `::x`.
 */
export function escapeLineStart(text: string): string {
  const escaped = escapeText(text);
  return escaped.startsWith('::') ? `./${escaped}` : escaped;
}

/**
 * JSON (or SARIF) text that a terminal may show: JSON.stringify already
 * escapes C0 controls inside strings; this escapes DEL, C1 controls, U+2028/9
 * and the bidirectional controls as `\uHHHH` too (still the same JSON value).
 */
const JSON_UNSAFE = /[\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
export function escapeJsonText(json: string): string {
  return json.replace(JSON_UNSAFE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * A last line of defence for text hostlint writes outside `--format github`:
 * control characters other than newline escaped, and a line that begins with
 * `::` prefixed so no workflow command can start it. `keep` lists hostlint's
 * own sequences (colours) to leave as they are.
 */
export function neutralizeOutput(text: string, options: { keepAnsiColors?: boolean } = {}): string {
  // eslint-disable-next-line no-control-regex
  const unsafe = /\u001b\[[0-9;]*m|[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
  let out = text.replace(unsafe, (m) => (m.length > 1 ? (options.keepAnsiColors ? m : escapeText(m)) : escapeChar(m)));
  if (out.startsWith('::') || out.includes('\n::')) out = out.replace(/(^|\n)::/g, '$1\\x3a:');
  return out;
}

/**
 * A report as it is written (stdout or `-o`): JSON formats get the extra
 * `\uHHHH` escapes, text formats the last line of defence (colours kept: the
 * formatters escaped every untrusted piece before colouring); `github` is the
 * one format that writes workflow commands on purpose and escapes its own
 * values (src/formatters/github.ts).
 */
export function safeReport(format: string, text: string): string {
  if (format === 'github') return text;
  if (format === 'json' || format === 'sarif' || text.startsWith('{') || text.startsWith('[')) return escapeJsonText(text);
  if (format === 'stylish') return neutralizeOutput(text, { keepAnsiColors: true });
  return text;
}
