/**
 * Test harness: lint a directory (or a set of files written to a fresh temp
 * directory) through the lint pipeline the CLI and the API run (src/api/lint.ts).
 */
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runLintSync } from '../../src/api/lint.js';
import { findConfigFile } from '../../src/config/load.js';
import type { LintReport, Result } from '../../src/types.js';

export interface LintOptions {
  /** Paths to lint, relative to `cwd` (default `.`). */
  paths?: string[];
  reportUnusedDisableDirectives?: 'error' | 'warning' | 'note' | 'off';
}

/** Lint `cwd` as the CLI would with that working directory. */
export function lintDir(cwd: string, options: LintOptions = {}): LintReport {
  // The configuration inside `cwd` only: one above it (the repository's own) is not the test's.
  const found = findConfigFile(cwd);
  return runLintSync({
    cwd,
    paths: options.paths ?? ['.'],
    config: found && found.startsWith(cwd) ? found : false,
    reportUnusedDisableDirectives: options.reportUnusedDisableDirectives ?? 'off',
    passOnNoFiles: true,
    toolVersion: '0.0.0-test',
  }).report;
}

/** Write `files` (path → text) into a new temp directory and return it. */
export function writeTree(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'hostlint-test-'));
  for (const [rel, text] of Object.entries(files)) {
    const abs = path.join(dir, rel);
    mkdirSync(path.dirname(abs), { recursive: true });
    writeFileSync(abs, text);
  }
  return dir;
}

/** Every result of a report, flattened, in file order. */
export function allResults(report: LintReport): Result[] {
  return report.files.flatMap((f) => f.results);
}

/** The compact, exact shape tests compare: what a user sees of a result. */
export interface Expected {
  ruleId: string;
  severity: string;
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  message: string;
}

export function expectedOf(r: Result): Expected {
  return {
    ruleId: r.ruleId,
    severity: r.severity,
    file: r.file,
    line: r.position.start.line,
    column: r.position.start.column,
    endLine: r.position.end.line,
    endColumn: r.position.end.column,
    message: r.message,
  };
}
