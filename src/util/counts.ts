/**
 * Results counted by severity: the one place that maps a severity to its
 * count (the report's counts, formatters' summaries, per-host and per-rule
 * tallies).
 */
import type { Result, Severity } from '../types.js';

export interface Counts {
  errorCount: number;
  warningCount: number;
  noteCount: number;
}

export function emptyCounts(): Counts {
  return { errorCount: 0, warningCount: 0, noteCount: 0 };
}

/** The field of `Counts` a severity is counted in. */
export function countKey(severity: Severity): keyof Counts {
  return severity === 'error' ? 'errorCount' : severity === 'warning' ? 'warningCount' : 'noteCount';
}

/** Add the results that are not suppressed to `counts` (a new tally by default) and return it. */
export function countSeverities(results: Iterable<Result>, counts: Counts = emptyCounts()): Counts {
  for (const r of results) if (!r.suppressions?.length) counts[countKey(r.severity)]++;
  return counts;
}
