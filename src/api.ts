/**
 * hostlint's programmatic API (`import { lint, audit, rules } from 'hostlint'`).
 *
 *   const report = await lint({ cwd: '/srv/gitops', paths: ['hosts/'] });
 *   for (const r of report.results) console.log(r.file, r.line, r.ruleId, r.message);
 *
 * `lint()` resolves to the object `hostlint --format json` prints, `audit()`
 * to the one `hostlint audit --format json` prints (format version 1,
 * documented in src/formatters/json.ts and the README). Usage and
 * configuration mistakes are thrown as `UsageError` and `ConfigError` (the
 * CLI's exit code 2); a file that cannot be read or parsed is a result, as on
 * the command line.
 */
import { rules as allRules } from '../rules/index.js';
import { jsonReport, type JsonReport } from './formatters/json.js';
import type { RuleMeta } from './types.js';
import { NothingToLint, runLint, type LintOptions } from './api/lint.js';
import { NothingToLintError, WriteError } from './api/errors.js';
import type { AuditOptions, JsonAuditReport } from './api/audit.js';

export { ConfigError, NothingToLintError, UsageError, WriteError } from './api/errors.js';
export type { InMemoryFile, LintOptions } from './api/lint.js';
export type { AuditOptions, JsonAuditReport } from './api/audit.js';
export type { ConfigData, ConfigInput, RuleEntry } from './api/config.js';
export type { JsonFixed, JsonRelated, JsonReport, JsonResult } from './formatters/json.js';
export type { RuleMeta } from './types.js';

/**
 * Lint files, directories and host snapshots (`paths`), or texts (`files`):
 * the report `hostlint --format json` prints for the same inputs.
 */
export async function lint(options: LintOptions = {}): Promise<JsonReport> {
  try {
    const run = await runLint(options);
    // What makes the CLI exit 2 after its report: a path that does not exist, a fix that could not be written.
    if (run.missing.length > 0) throw new NothingToLintError(run.missing, []);
    const failed = run.writeFailures[0];
    if (failed) throw new WriteError(failed.file, failed.reason);
    return jsonReport(run.shown, { includeSuppressed: options.includeSuppressed ?? false });
  } catch (error) {
    if (error instanceof NothingToLint) throw new NothingToLintError(error.missing, error.nothingUnder);
    throw error;
  }
}

/**
 * Audit a fleet: every snapshot under `paths` is a host, linted in worker
 * threads; resolves to what `hostlint audit --format json` prints.
 */
export async function audit(options: AuditOptions = {}): Promise<JsonAuditReport> {
  // On demand: linting never loads the audit, its archive readers or its worker pool.
  const { audit: run } = await import('./api/audit.js');
  return run(options);
}

/** Every rule's metadata (id, type, description, severity, languages, messages, sources…), by id. */
export const rules: readonly RuleMeta[] = allRules.map((r) => r.meta).sort((a, b) => (a.id < b.id ? -1 : 1));
