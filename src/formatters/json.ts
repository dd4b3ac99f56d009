/**
 * hostlint JSON output, format version 1.
 *
 * A stable, documented shape for scripts and dashboards. Fields are only ever
 * added within a version; a change that removes or redefines a field bumps
 * `version`. Pretty-printed with two spaces and a final newline.
 *
 *   {
 *     "version": 1,
 *     "tool": { "name": "hostlint", "version": "0.1.0" },
 *     "summary": {
 *       "files": 3,          // files linted (with or without results)
 *       "errorCount": 1,     // counts exclude suppressed results
 *       "warningCount": 0,
 *       "noteCount": 2
 *     },
 *     "results": [           // flattened, in file order, then the engine's order
 *       {
 *         "ruleId": "sysctl-tw-recycle",
 *         "severity": "error",          // "error" | "warning" | "note"
 *         "message": "…",
 *         "file": "etc/sysctl.conf",    // relative to the working directory, "/" separators
 *         "host": "db01",               // only for files of a host snapshot
 *         "line": 3, "column": 1,       // 1-based
 *         "endLine": 3, "endColumn": 25, // one past the last character
 *         "related": [                  // evidence; [] when none
 *           { "file": "…", "line": 1, "column": 1, "endLine": 1, "endColumn": 9,
 *             "message": "…" }            // "" when the location has no message
 *         ],
 *         "fix": {                      // only when the rule offers a fix
 *           "description": "…",         // optional
 *           "edits": [ { "range": [10, 14], "text": "0" } ]  // offsets into the text (BOM removed)
 *         },
 *         "fingerprint": "…",           // only when the engine computed one
 *         "baselineState": "new",       // only with --baseline: "new" | "unchanged"
 *         "suppressions": [             // only with includeSuppressed, on suppressed results
 *           { "kind": "inSource", "justification": "…" }   // "external": in the baseline
 *         ]
 *       }
 *     ],
 *     "fixed": [             // only with --fix / --fix-dry-run, when fixes changed files
 *       { "file": "etc/sysctl.conf", "host": "db01", "output": "…" }  // the whole fixed text
 *     ]
 *   }
 *
 * Columns count UTF-16 code units. Suppressed results are left out unless the
 * `includeSuppressed` option is set.
 */
import type { LintReport, Location, Position, Result } from '../types.js';
import { lintedFileCount } from '../engine/baseline.js';
import { countResults, isSuppressed, visibleResults, type FormatOptions } from './shared.js';

export const JSON_FORMAT_VERSION = 1;

export interface JsonRange {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

export interface JsonRelated extends JsonRange {
  file: string;
  message: string;
}

export interface JsonResult extends JsonRange {
  ruleId: string;
  severity: 'error' | 'warning' | 'note';
  message: string;
  file: string;
  host?: string;
  related: JsonRelated[];
  fix?: { description?: string; edits: Array<{ range: [number, number]; text: string }> };
  fingerprint?: string;
  baselineState?: 'new' | 'unchanged';
  suppressions?: Array<{ kind: 'inSource' | 'external'; justification?: string }>;
}

export interface JsonFixed {
  file: string;
  host?: string;
  /** The file's whole text after the fixes (BOM not included). */
  output: string;
}

export interface JsonReport {
  version: 1;
  tool: { name: 'hostlint'; version: string };
  summary: { files: number; errorCount: number; warningCount: number; noteCount: number };
  results: JsonResult[];
  fixed?: JsonFixed[];
}

export function json(report: LintReport, options: FormatOptions): string {
  return JSON.stringify(jsonReport(report, options), null, 2) + '\n';
}

/** The object `json` prints (the programmatic API's `lint` resolves to it). */
export function jsonReport(report: LintReport, options: Pick<FormatOptions, 'includeSuppressed'>): JsonReport {
  const results: JsonResult[] = [];
  for (const file of report.files) {
    for (const result of visibleResults(file, options)) {
      results.push(toJsonResult(result, file.host));
    }
  }
  const output: JsonReport = {
    version: JSON_FORMAT_VERSION,
    tool: { name: 'hostlint', version: report.toolVersion },
    summary: { files: lintedFileCount(report), ...countResults(report) },
    results,
  };
  const fixed = report.files.filter((f) => f.output !== undefined);
  if (fixed.length > 0) {
    output.fixed = fixed.map((f) => ({ file: f.path, ...(f.host !== undefined ? { host: f.host } : {}), output: f.output! }));
  }
  return output;
}

/** One result as it appears in `results` (also used by the streaming audit output). */
export function toJsonResult(result: Result, fileHost: string | undefined): JsonResult {
  const host = result.host ?? fileHost;
  const out: JsonResult = {
    ruleId: result.ruleId,
    severity: result.severity,
    message: result.message,
    file: result.file,
    ...(host !== undefined ? { host } : {}),
    ...range(result.position),
    related: (result.related ?? []).map(toJsonRelated),
  };
  if (result.fix) {
    out.fix = {
      ...(result.fix.description !== undefined ? { description: result.fix.description } : {}),
      edits: result.fix.edits.map((e) => ({ range: [e.range[0], e.range[1]], text: e.text })),
    };
  }
  if (result.fingerprint !== undefined) out.fingerprint = result.fingerprint;
  if (result.baselineState !== undefined) out.baselineState = result.baselineState;
  if (isSuppressed(result)) {
    out.suppressions = (result.suppressions ?? []).map((s) => ({
      kind: s.kind,
      ...(s.justification !== undefined ? { justification: s.justification } : {}),
    }));
  }
  return out;
}

function toJsonRelated(location: Location): JsonRelated {
  return { file: location.file, ...range(location.position), message: location.message ?? '' };
}

function range(position: Position): JsonRange {
  return {
    line: position.start.line,
    column: position.start.column,
    endLine: position.end.line,
    endColumn: position.end.column,
  };
}

