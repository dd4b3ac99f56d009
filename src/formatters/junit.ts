/**
 * JUnit XML, as Jenkins (junit plugin), GitLab (`artifacts:reports:junit`)
 * and Azure DevOps read it. The output validates against the Apache Ant
 * JUnit schema that Jenkins' xunit plugin and most consumers follow
 * (windyroad/JUnit-Schema `JUnit.xsd`, in test/schemas/ with its origin):
 *
 *   <testsuites>
 *     <testsuite package="etc/sysctl.conf" id="0" name="etc/sysctl.conf" timestamp="…"
 *                hostname="localhost" tests="3" failures="1" errors="0" skipped="0" time="0">
 *       <properties/>
 *       <testcase name="sysctl-forwarding" classname="etc/sysctl.conf" time="0"/>
 *       <testcase name="sysctl-tw-recycle" classname="etc/sysctl.conf" time="0">
 *         <failure message="…" type="error">etc/sysctl.conf:2:27: error: … (sysctl-tw-recycle)</failure>
 *       </testcase>
 *       <system-out/>
 *       <system-err/>
 *     </testsuite>
 *   </testsuites>
 *
 * - `hostlint lint`: one testsuite per file; `hostlint audit`: one per host
 *   (every host of the fleet, clean ones too), and one per file outside the
 *   snapshots.
 * - Test cases: every rule applied passes once (for a file, the rules that
 *   read its language; for a host, every rule of the run); a rule with
 *   findings instead has one test case per finding, each with one `failure`
 *   (the schema allows one per test case, as ESLint's junit formatter does
 *   it). The failure's `type` is the severity; its text is
 *   `file:line:column: severity: message (rule)` and the evidence, one
 *   location a line. Suppressed results (`--include-suppressed`) are
 *   `skipped`.
 * - Characters XML 1.0 cannot carry (control characters, lone surrogates)
 *   are written as `\uXXXX`. `time` is 0 (rules are not timed); the
 *   timestamp is the run's (`FormatOptions.timestamp`).
 */
import type { FileReport, LintReport, Result, RuleMeta } from '../types.js';
import { isSuppressed, visibleResults, type FormatOptions } from './shared.js';

interface Suite {
  name: string;
  hostname: string;
  cases: string[];
  failures: number;
  skipped: number;
}

export function junit(report: LintReport, options: FormatOptions): string {
  const timestamp = junitTimestamp(options.timestamp);
  const suites: Suite[] = [];
  const hostSuites = new Map<string, Suite>();
  const hostRules = new Map<string, Set<string>>();
  const newSuite = (name: string, hostname: string) => {
    const suite: Suite = { name, hostname, cases: [], failures: 0, skipped: 0 };
    suites.push(suite);
    return suite;
  };
  // A fleet audit: one suite per host, in the fleet's order (clean hosts too).
  for (const host of options.hosts ?? []) {
    if (!hostSuites.has(host)) hostSuites.set(host, newSuite(host, host));
  }

  for (const file of report.files) {
    const results = visibleResults(file, options);
    const host = file.host ?? results.find((r) => r.host !== undefined)?.host;
    let suite: Suite;
    if (options.hosts && host !== undefined) {
      suite = hostSuites.get(host) ?? newSuite(host, host);
      hostSuites.set(host, suite);
      const seen = hostRules.get(host) ?? new Set<string>();
      hostRules.set(host, seen);
      for (const r of results) seen.add(r.ruleId);
      addFindings(suite, file, results);
      continue;
    }
    if (results.length === 0 && file.language === undefined) continue;
    suite = newSuite(file.path, host ?? 'localhost');
    addFindings(suite, file, results);
    const failing = new Set(results.map((r) => r.ruleId));
    const applied = file.language === undefined ? [] : report.rules.filter((m) => m.languages.includes(file.language!));
    addPassing(suite, applied, failing, file.path);
  }
  for (const [host, suite] of hostSuites) addPassing(suite, report.rules, hostRules.get(host) ?? new Set(), host);

  let out = '<?xml version="1.0" encoding="UTF-8"?>\n<testsuites>\n';
  suites.forEach((suite, id) => {
    out +=
      `  <testsuite package="${attr(suite.name)}" id="${id}" name="${attr(suite.name)}" timestamp="${timestamp}" ` +
      `hostname="${attr(suite.hostname)}" tests="${suite.cases.length}" failures="${suite.failures}" errors="0" skipped="${suite.skipped}" time="0">\n` +
      '    <properties/>\n' +
      suite.cases.join('') +
      '    <system-out/>\n    <system-err/>\n  </testsuite>\n';
  });
  return out + '</testsuites>\n';
}

function addFindings(suite: Suite, file: FileReport, results: Result[]): void {
  for (const r of results) {
    const open = `    <testcase name="${attr(r.ruleId)}" classname="${attr(file.path)}" time="0">\n`;
    if (isSuppressed(r)) {
      const why = r.suppressions?.map((s) => s.justification).find((j) => j !== undefined && j !== '');
      suite.cases.push(`${open}      <skipped message="${attr(`suppressed${why ? `: ${why}` : ''}`)}">${text(failureText(r))}</skipped>\n    </testcase>\n`);
      suite.skipped++;
    } else {
      suite.cases.push(`${open}      <failure message="${attr(r.message)}" type="${r.severity}">${text(failureText(r))}</failure>\n    </testcase>\n`);
      suite.failures++;
    }
  }
}

function addPassing(suite: Suite, rules: RuleMeta[], failing: Set<string>, classname: string): void {
  const ids = [...new Set(rules.map((m) => m.id))].filter((id) => !failing.has(id)).sort();
  for (const id of ids) suite.cases.push(`    <testcase name="${attr(id)}" classname="${attr(classname)}" time="0"/>\n`);
}

function failureText(r: Result): string {
  const { line, column } = r.position.start;
  let s = `${r.file}:${line}:${column}: ${r.severity}: ${r.message}${r.host !== undefined ? ` (host ${r.host})` : ''} (${r.ruleId})`;
  for (const e of r.related ?? []) s += `\n  ${e.file}:${e.position.start.line}:${e.position.start.column}${e.message ? `: ${e.message}` : ''}`;
  return s;
}

/** `2026-12-01T23:40:00` (the schema's pattern: no fraction, no zone; UTC). */
export function junitTimestamp(iso: string | undefined): string {
  const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})/.exec(iso ?? '');
  return m ? m[1]! : '1970-01-01T00:00:00';
}

/** Characters XML 1.0 cannot hold, even as references, and controls a terminal must not see raw (C1, DEL, bidirectional overrides). */
// eslint-disable-next-line no-control-regex
const NOT_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u2028\u2029\u202A-\u202E\u2066-\u2069\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

function clean(s: string): string {
  return s.replace(NOT_XML, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function text(s: string): string {
  return clean(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\r/g, '&#13;');
}

function attr(s: string): string {
  return text(s).replace(/"/g, '&quot;').replace(/\t/g, '&#9;').replace(/\n/g, '&#10;');
}
