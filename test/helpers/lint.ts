/**
 * Test harness: lint a directory (or a set of files written to a fresh temp
 * directory) through the same loading, engine and config code the CLI uses.
 */
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { rules as allRules } from '../../rules/index.js';
import { Config, findConfigFile, loadConfig } from '../../src/config/load.js';
import { runScopes } from '../../src/engine/linter.js';
import { loadPaths } from '../../src/engine/load.js';
import type { LintReport, Result } from '../../src/types.js';

export interface LintOptions {
  /** Paths to lint, relative to `cwd` (default `.`). */
  paths?: string[];
  reportUnusedDisableDirectives?: 'error' | 'warning' | 'note' | 'off';
}

/** Lint `cwd` as the CLI would with that working directory. */
export function lintDir(cwd: string, options: LintOptions = {}): LintReport {
  const knownRules = new Map(allRules.map((r) => [r.meta.id, r.meta.schema] as const));
  const found = findConfigFile(cwd);
  const config = found && found.startsWith(cwd) ? loadConfig(found, knownRules, cwd) : Config.empty(cwd);
  const loaded = loadPaths(options.paths ?? ['.'], { cwd, config });
  return runScopes(loaded.scopes, loaded.diagnostics, {
    config,
    rules: allRules,
    cwd,
    reportUnusedDisableDirectives: options.reportUnusedDisableDirectives ?? 'off',
    toolVersion: '0.0.0-test',
  });
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
