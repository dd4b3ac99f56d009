/**
 * Helpers shared by the formatters. Formatters are pure: they read only the
 * report and the options, never the file system or the clock.
 */
import type { FileReport, LintReport, Result } from '../types.js';
import { countSeverities, emptyCounts, type Counts } from '../util/counts.js';

export interface FormatOptions {
  /** Emit ANSI colours (stylish only). */
  color: boolean;
  /**
   * The terminal's width in columns: stylish wraps long messages to it. Not
   * set when the output is not a terminal (a pipe, `-o FILE`): no wrapping.
   */
  width?: number;
  /** SARIF `run.automationDetails.id` category (written as `${category}/`). */
  sarifCategory?: string;
  /**
   * Keep results that carry `suppressions` (default: left out). In SARIF every
   * result then carries a `suppressions` array, empty when not suppressed.
   */
  includeSuppressed?: boolean;
  /**
   * SARIF `tool.driver.informationUri`: the tool's home page. Omitted when not
   * given; hostlint has no published URL to put there yet.
   */
  informationUri?: string;
  /**
   * Told about anything the formatter had to leave out to keep its output
   * valid (SARIF over GitHub's limits); the CLI prints it on stderr.
   */
  warn?: (message: string) => void;
  /** When the run started (ISO 8601; JUnit's `timestamp`): formatters never read the clock themselves. */
  timestamp?: string;
  /**
   * A fleet audit's hosts, in order (clean ones too): JUnit writes one
   * testsuite per host instead of one per file.
   */
  hosts?: string[];
  /** The NDJSON header's run information (what command, configuration and shard produced the output). */
  ndjson?: import('./ndjson.js').NdjsonRunInfo;
  /** GitHub code scanning's limits (tests lower them). */
  sarifLimits?: { resultsPerRun: number; locationsPerResult: number };
}

export type Formatter = (report: LintReport, options: FormatOptions) => string;

export function isSuppressed(result: Result): boolean {
  return Array.isArray(result.suppressions) && result.suppressions.length > 0;
}

/** The results of one file that a formatter shows, in the engine's order. */
export function visibleResults(file: FileReport, options: Pick<FormatOptions, 'includeSuppressed'>): Result[] {
  return options.includeSuppressed ? file.results : file.results.filter((r) => !isSuppressed(r));
}

export type { Counts } from '../util/counts.js';

/** Counts over the results that are not suppressed (what the report's counts hold). */
export function countResults(report: LintReport): Counts {
  const counts = emptyCounts();
  for (const file of report.files) countSeverities(file.results, counts);
  return counts;
}
