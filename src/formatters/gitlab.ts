/**
 * GitLab Code Quality (`artifacts:reports:codequality`): one JSON array, an
 * object per result with exactly the fields GitLab documents and reads
 * ("Code Quality report format", docs.gitlab.com/ci/testing/code_quality/):
 *
 *   [
 *     {
 *       "description": "… (host db01)",
 *       "check_name": "sysctl-tw-recycle",
 *       "fingerprint": "…",                 // the engine's, unique per result
 *       "severity": "major",                // error: major, warning: minor, note: info
 *       "location": { "path": "etc/sysctl.conf", "lines": { "begin": 2 } }
 *     }
 *   ]
 *
 * A clean run is `[]`. No byte order mark (GitLab's parser rejects one).
 * GitLab shows results with one fingerprint as one entry, so a fingerprint
 * that repeats in the report (it cannot from one run of the engine, but
 * an audit joins many) is made unique with the host and position.
 */
import type { LintReport, Result, Severity } from '../types.js';
import { isSuppressed, visibleResults, type FormatOptions } from './shared.js';

export interface CodeQualityIssue {
  description: string;
  check_name: string;
  fingerprint: string;
  severity: 'info' | 'minor' | 'major' | 'critical' | 'blocker';
  location: { path: string; lines: { begin: number } };
}

const SEVERITY: Record<Severity, CodeQualityIssue['severity']> = { error: 'major', warning: 'minor', note: 'info' };

export function gitlab(report: LintReport, options: FormatOptions): string {
  const issues: CodeQualityIssue[] = [];
  const seen = new Set<string>();
  for (const file of report.files) {
    for (const r of visibleResults(file, options)) {
      const host = r.host ?? file.host;
      let description = r.message;
      if (host !== undefined) description += ` (host ${host})`;
      if (isSuppressed(r)) description += ' (suppressed)';
      let fingerprint = r.fingerprint ?? hash(`${r.ruleId}\0${r.file}\0${r.message}`);
      for (let n = 0; seen.has(fingerprint); n++) fingerprint = hash(`${fingerprint}\0${host ?? ''}\0${position(r)}\0${n}`);
      seen.add(fingerprint);
      issues.push({
        description,
        check_name: r.ruleId,
        fingerprint,
        severity: SEVERITY[r.severity],
        location: { path: file.path, lines: { begin: Math.max(1, r.position.start.line) } },
      });
    }
  }
  return JSON.stringify(issues, null, 2) + '\n';
}

function position(r: Result): string {
  return `${r.file}:${r.position.start.line}:${r.position.start.column}`;
}

function hash(s: string): string {
  return process.getBuiltinModule('node:crypto').createHash('sha256').update(s).digest('hex').slice(0, 32);
}
