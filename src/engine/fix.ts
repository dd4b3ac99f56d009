/**
 * Autofix: ESLint's multipass algorithm over hostlint's scopes.
 *
 * One pass takes, per file, the fixes of the results that are not suppressed,
 * sorts them by range and applies each one whose range starts strictly after
 * the end of the fix applied before it (so overlapping — even touching —
 * fixes wait for the next pass, as ESLint's SourceCodeFixer does). The files
 * that changed are parsed again and every rule runs again over every scope
 * (facts may come from the changed files), up to `maxPasses` passes (ESLint's
 * MAX_AUTOFIX_PASSES, 10). A file whose text comes back to an earlier text is
 * circular and is fixed no further. The report returned always describes the
 * final texts. Nothing here touches the disk.
 */
import { VFile } from 'vfile';
import type { Fix, LintReport, SourceFile } from '../types.js';
import { runScopes, type EngineOptions, type LoadDiagnostic } from './linter.js';
import { parseSourceFile } from './parse.js';
import type { Scope } from './scope.js';

export const MAX_FIX_PASSES = 10;

export interface FixOptions {
  maxPasses?: number;
  /** Which files may be changed (by display path); default all. */
  canFix?: (path: string) => boolean;
}

export interface FixedFile {
  file: SourceFile;
  /** The text as read (BOM removed). */
  original: string;
  /** The text after the last pass that changed it. */
  output: string;
}

export interface FixRun {
  /** The lint report of the final texts; `FileReport.output` is set on the files that changed. */
  report: LintReport;
  /** Files whose text changed, by display path. */
  fixed: Map<string, FixedFile>;
  /** Passes that applied at least one fix. */
  passes: number;
  /** Problems met on the way (circular fixes, invalid fixes), one line each. */
  warnings: string[];
}

/** A fix reduced to one edit over the original text, or why it cannot be applied. */
type Merged = { ok: true; start: number; end: number; text: string } | { ok: false; reason: string };

/**
 * One fix's edits as a single replacement (ESLint merges a report's fixes the
 * same way): edits must lie inside the text and must not overlap each other.
 */
export function mergeFix(text: string, fix: Fix): Merged {
  const edits = [...fix.edits].sort((a, b) => a.range[0] - b.range[0] || a.range[1] - b.range[1]);
  if (edits.length === 0) return { ok: false, reason: 'the fix has no edits' };
  let out = '';
  let cursor = edits[0]!.range[0];
  for (const e of edits) {
    const [s, t] = e.range;
    if (!Number.isInteger(s) || !Number.isInteger(t) || s < 0 || t < s || t > text.length) {
      return { ok: false, reason: `edit range [${s}, ${t}] is outside the text (length ${text.length})` };
    }
    if (s < cursor) return { ok: false, reason: 'the fix has overlapping edits' };
    out += text.slice(cursor, s) + e.text;
    cursor = t;
  }
  return { ok: true, start: edits[0]!.range[0], end: cursor, text: out };
}

export interface AppliedFixes {
  output: string;
  /** Fixes applied in this pass, in range order. */
  applied: Fix[];
  /** Fixes that overlap an applied one: they get another chance in the next pass. */
  deferred: Fix[];
  /** Fixes that can never apply (ranges outside the text, overlapping edits). */
  invalid: Array<{ fix: Fix; reason: string }>;
}

/** One pass of ESLint's SourceCodeFixer over `text`. */
export function applyFixes(text: string, fixes: Fix[]): AppliedFixes {
  const merged: Array<{ fix: Fix; start: number; end: number; text: string }> = [];
  const invalid: AppliedFixes['invalid'] = [];
  for (const fix of fixes) {
    const m = mergeFix(text, fix);
    if (m.ok) merged.push({ fix, start: m.start, end: m.end, text: m.text });
    else invalid.push({ fix, reason: m.reason });
  }
  merged.sort((a, b) => a.start - b.start || a.end - b.end);
  const applied: Fix[] = [];
  const deferred: Fix[] = [];
  let output = '';
  let cursor = 0;
  let lastEnd = Number.NEGATIVE_INFINITY;
  for (const m of merged) {
    if (m.start <= lastEnd) {
      deferred.push(m.fix);
      continue;
    }
    output += text.slice(cursor, m.start) + m.text;
    cursor = m.end;
    lastEnd = m.end;
    applied.push(m.fix);
  }
  output += text.slice(cursor);
  return { output, applied, deferred, invalid };
}

/** Lint, apply fixes, re-lint, until nothing more applies or `maxPasses` passes ran. */
export function lintAndFix(scopes: Scope[], diagnostics: LoadDiagnostic[], options: EngineOptions, fixOptions: FixOptions = {}): FixRun {
  const maxPasses = fixOptions.maxPasses ?? MAX_FIX_PASSES;
  const canFix = fixOptions.canFix ?? (() => true);
  const byPath = new Map<string, SourceFile>();
  for (const scope of scopes) for (const f of scope.files) byPath.set(f.path, f);

  const fixed = new Map<string, FixedFile>();
  const history = new Map<string, Set<string>>();
  const circular = new Set<string>();
  const warnings: string[] = [];
  const reportedInvalid = new Set<string>();
  let report = runScopes(scopes, diagnostics, options);
  let passes = 0;

  while (passes < maxPasses) {
    let changed = false;
    for (const fileReport of report.files) {
      const path = fileReport.path;
      if (circular.has(path)) continue;
      const fixes = fileReport.results.filter((r) => r.fix && !r.suppressions?.length).map((r) => r.fix!);
      if (fixes.length === 0 || !canFix(path)) continue;
      // Files read lazily during the run (proc/sys values) join the map here.
      const file = byPath.get(path) ?? scopes.flatMap((s) => s.files).find((f) => f.path === path);
      if (!file?.parsed) continue;
      const pass = applyFixes(file.text, fixes);
      for (const { reason } of pass.invalid) {
        const line = `${path}: a fix was not applied: ${reason}`;
        if (!reportedInvalid.has(line)) warnings.push(line);
        reportedInvalid.add(line);
      }
      if (pass.applied.length === 0 || pass.output === file.text) continue;
      const seen = history.get(path) ?? new Set([file.text]);
      history.set(path, seen);
      if (seen.has(pass.output)) {
        // ESLint's circular-fix check: the text came back to an earlier state.
        circular.add(path);
        warnings.push(`${path}: circular fixes detected (a later fix undoes an earlier one); fixing stopped for this file`);
        continue;
      }
      seen.add(pass.output);
      const entry = fixed.get(path) ?? { file, original: file.text, output: file.text };
      setText(file, pass.output);
      entry.output = pass.output;
      fixed.set(path, entry);
      changed = true;
    }
    if (!changed) break;
    passes++;
    for (const scope of scopes) scope.invalidate();
    report = runScopes(scopes, diagnostics, options);
  }

  // (A text never returns to its original: that is caught as circular above.)
  const files = report.files.map((f) => (fixed.has(f.path) ? { ...f, output: fixed.get(f.path)!.output } : f));
  for (const [path, entry] of fixed) {
    if (files.some((f) => f.path === path)) continue;
    const host = hostOf(scopes, entry.file);
    files.push({ path, ...(host !== undefined ? { host } : {}), results: [], output: entry.output });
  }
  files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { report: { ...report, files }, fixed, passes, warnings };
}

function setText(file: SourceFile, text: string): void {
  file.text = text;
  file.vfile = new VFile({ path: file.path, value: text });
  parseSourceFile(file);
}

function hostOf(scopes: Scope[], file: SourceFile): string | undefined {
  const scope = scopes.find((s) => s.files.includes(file));
  return scope?.kind === 'host' ? scope.name : undefined;
}
