/**
 * Baselines, for adopting hostlint on an existing estate: the results whose
 * fingerprint is in the baseline are known ("unchanged") and do not count;
 * everything else is "new". Matching is by the engine's fingerprint (rule,
 * file, the flagged line's text and neighbour, occurrence), so a baseline
 * survives lines moving. Reading baseline files is the CLI's business; this
 * module only matches.
 */
import type { FileReport, LintReport, Result, Severity } from '../types.js';

export interface BaselineOptions {
  /** Justification written on the external suppression of baselined results. */
  justification?: string;
}

/**
 * Mark every result `new` or `unchanged`; unchanged results also get an
 * external suppression, so they leave the counts and, like any suppressed
 * result, are shown only with `--include-suppressed`.
 */
export function applyBaseline(report: LintReport, fingerprints: ReadonlySet<string>, options: BaselineOptions = {}): LintReport {
  const files: FileReport[] = report.files.map((file) => ({
    ...file,
    results: file.results.map((result): Result => {
      const known = result.fingerprint !== undefined && fingerprints.has(result.fingerprint);
      if (!known) return { ...result, baselineState: 'new' };
      const suppressions = result.suppressions?.length
        ? result.suppressions
        : [{ kind: 'external' as const, ...(options.justification ? { justification: options.justification } : {}) }];
      return { ...result, baselineState: 'unchanged', suppressions };
    }),
  }));
  return recount({ ...report, files });
}

/** The fingerprints of a report's results that count (not suppressed): what `--write-baseline` records. */
export function baselineFingerprints(report: LintReport): Set<string> {
  const out = new Set<string>();
  for (const f of report.files) for (const r of f.results) if (r.fingerprint && !r.suppressions?.length) out.add(r.fingerprint);
  return out;
}

/** Error, warning and note counts over the results that are not suppressed. */
export function recount(report: LintReport): LintReport {
  const counts: Record<Severity, number> = { error: 0, warning: 0, note: 0 };
  for (const f of report.files) for (const r of f.results) if (!r.suppressions?.length) counts[r.severity]++;
  return { ...report, errorCount: counts.error, warningCount: counts.warning, noteCount: counts.note };
}

/** Keep only the files `keep` accepts (counts follow). */
export function filterFiles(report: LintReport, keep: (path: string) => boolean): LintReport {
  return recount({ ...report, files: report.files.filter((f) => keep(f.path)), ...(report.linted ? { linted: report.linted.filter(keep) } : {}) });
}

/**
 * Files linted, with or without results: the files read, and any other file a
 * result names (one that could not be read). Reports made without `linted`
 * count the files with results.
 */
export function lintedFileCount(report: Pick<LintReport, 'files' | 'linted'>): number {
  if (!report.linted) return report.files.length;
  const all = new Set(report.linted);
  for (const f of report.files) all.add(f.path);
  return all.size;
}
