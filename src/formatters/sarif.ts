/**
 * SARIF 2.1.0 for GitHub code scanning.
 *
 * One run per log. Every rule of the run (and every rule a result refers to)
 * has a full reportingDescriptor; every result has a `%SRCROOT%`-relative
 * artifact location with a complete region, its evidence as related
 * locations, and the engine's fingerprint as `partialFingerprints["hostlint/v1"]`.
 * The output passes Microsoft's SARIF Multitool
 * (`validate --rule-kind "Ghas;Sarif"`) without errors.
 *
 * Suppressed results are left out unless `includeSuppressed` is set (code
 * scanning ignores SARIF suppressions and would open alerts for them); with
 * it, every result carries a `suppressions` array (SARIF §3.27.23). Results of
 * a run with a baseline all carry `baselineState` (§3.27.24). Fixes are written
 * as `fixes` (§3.55): one artifact change whose replacements are the rule's
 * edits, each region given both by line/column and by character offset.
 *
 * GitHub's upload limits are respected rather than producing a file that is
 * rejected: over 25,000 results per run the most severe 25,000 are kept, and
 * related locations are cut so a result has at most 1,000 locations; both are
 * reported through `options.warn`. Results on files outside the working
 * directory (which the upload action cannot fingerprint, since the file is not
 * in the checkout) also carry the engine's fingerprint as
 * `primaryLocationLineHash`, the key code scanning matches alerts by.
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import semver from 'semver';
import type { FileReport, Fix, LintReport, Location, Position, Result, RuleMeta, Severity, Suppression } from '../types.js';
import { isSuppressed, visibleResults, type FormatOptions } from './shared.js';

export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';
export const SRCROOT = '%SRCROOT%';
export const FINGERPRINT_KEY = 'hostlint/v1';

/** GitHub's limits (sarif-support-for-code-scanning). */
const MAX_DESCRIPTION = 1024;
const MAX_NAME = 255;
const MAX_TAGS = 20;
/** Uploads over these are rejected (GitHub docs: "SARIF results exceeding limits"). */
export const GITHUB_LIMITS = { resultsPerRun: 25_000, locationsPerResult: 1_000 };
const MAX_GZIP_BYTES = 10 * 1024 * 1024;

// --- the subset of the SARIF object model hostlint writes -------------------

interface SarifMessage {
  text: string;
}

interface SarifRegion {
  startLine: number;
  startColumn: number;
  endLine: number;
  endColumn: number;
}

interface SarifArtifactLocation {
  uri: string;
  uriBaseId?: string;
}

interface SarifPhysicalLocation {
  artifactLocation: SarifArtifactLocation;
  region: SarifRegion;
  contextRegion?: { startLine: number; startColumn?: number; endLine: number; endColumn?: number; snippet: SarifMessage };
}

interface SarifLocation {
  id?: number;
  physicalLocation: SarifPhysicalLocation;
  message?: SarifMessage;
}

interface SarifFixRegion {
  startLine?: number;
  startColumn?: number;
  endLine?: number;
  endColumn?: number;
  charOffset: number;
  charLength: number;
}

interface SarifFix {
  description?: SarifMessage;
  artifactChanges: [
    {
      artifactLocation: SarifArtifactLocation;
      replacements: Array<{ deletedRegion: SarifFixRegion; insertedContent?: SarifMessage }>;
    },
  ];
}

interface SarifSuppression {
  kind: 'inSource' | 'external';
  justification?: string;
  location?: SarifLocation;
}

interface SarifResult {
  ruleId: string;
  ruleIndex: number;
  level: Severity;
  message: SarifMessage;
  locations: [SarifLocation];
  relatedLocations?: SarifLocation[];
  partialFingerprints?: Record<string, string>;
  suppressions?: SarifSuppression[];
  baselineState?: 'new' | 'unchanged';
  fixes?: SarifFix[];
  properties?: { host: string };
}

interface SarifReportingDescriptor {
  id: string;
  /** Omitted when it would equal the id (SARIF1001 compares case-insensitively). */
  name?: string;
  shortDescription: SarifMessage;
  fullDescription: SarifMessage;
  help: { text: string; markdown: string };
  defaultConfiguration: { level: Severity };
  properties: {
    tags: string[];
    precision: 'high' | 'medium';
    'problem.severity'?: 'error' | 'warning' | 'recommendation';
    'security-severity'?: string;
  };
}

interface SarifRun {
  tool: {
    driver: {
      name: 'hostlint';
      version: string;
      semanticVersion?: string;
      informationUri?: string;
      rules: SarifReportingDescriptor[];
    };
  };
  automationDetails?: { id: string };
  invocations: Array<{ executionSuccessful: boolean }>;
  originalUriBaseIds: Record<string, { uri: string }>;
  columnKind: 'utf16CodeUnits';
  results: SarifResult[];
}

export interface SarifLog {
  $schema: string;
  version: '2.1.0';
  runs: [SarifRun];
}

// --- formatter ----------------------------------------------------------------

export function sarif(report: LintReport, options: FormatOptions): string {
  const text = JSON.stringify(toSarifLog(report, options), null, 2) + '\n';
  if (options.warn && text.length > MAX_GZIP_BYTES) {
    // zlib (and Node's streams with it) only for a log this large, not in every run.
    const size = process.getBuiltinModule('node:zlib').gzipSync(text).length;
    if (size > MAX_GZIP_BYTES) {
      options.warn(`the SARIF is ${size} bytes gzipped, over GitHub code scanning's upload limit of ${MAX_GZIP_BYTES}; split the analysis (one --sarif-category per part)`);
    }
  }
  return text;
}

const LEVEL_RANK: Record<Severity, number> = { error: 0, warning: 1, note: 2 };

export function toSarifLog(report: LintReport, options: FormatOptions): SarifLog {
  let results: Result[] = [];
  const hostOf = new Map<Result, string>();
  for (const file of report.files) {
    for (const result of visibleResults(file, options)) {
      results.push(result);
      const host = result.host ?? file.host;
      if (host !== undefined) hostOf.set(result, host);
    }
  }
  const kept = selectResults(results, options);
  if (kept) results = kept.map((i) => results[i]!);
  const { run, ruleIndex, maxRelated } = runShell(report, results, options);
  const includeSuppressed = options.includeSuppressed === true;
  run.results = results.map((result) => toSarifResult(result, ruleIndex.get(result.ruleId) as number, report.cwd, includeSuppressed, hostOf.get(result), maxRelated));
  return { $schema: SARIF_SCHEMA, version: '2.1.0', runs: [run] };
}

/**
 * GitHub's limit on results per run: undefined when all are kept, else the
 * indices (in order) of the most severe `resultsPerRun`, with a warning.
 */
function selectResults(results: ReadonlyArray<{ severity: Severity }>, options: FormatOptions): number[] | undefined {
  const limits = options.sarifLimits ?? GITHUB_LIMITS;
  if (results.length <= limits.resultsPerRun) return undefined;
  // Keep the most severe (as code scanning itself ranks them), in their order.
  const keep = results
    .map((r, i) => ({ rank: LEVEL_RANK[r.severity], i }))
    .sort((a, b) => a.rank - b.rank || a.i - b.i)
    .slice(0, limits.resultsPerRun)
    .map(({ i }) => i)
    .sort((a, b) => a - b);
  options.warn?.(
    `${results.length} results are over GitHub code scanning's limit of ${limits.resultsPerRun} per run: ` +
      `the SARIF keeps the ${limits.resultsPerRun} most severe and leaves out ${results.length - limits.resultsPerRun} ` +
      `(--format json has them all)`,
  );
  return keep;
}

/**
 * The run without its results: the cut-locations warning, the rules (every
 * rule of the run, once, in the run's order; then any rule a result refers to
 * that the run did not describe, e.g. `parse-error`), and each rule's index.
 */
function runShell(
  report: Pick<LintReport, 'rules' | 'toolVersion' | 'cwd'>,
  results: ReadonlyArray<{ ruleId: string; severity: Severity; related?: unknown[] | undefined; relatedCount?: number }>,
  options: FormatOptions,
): { run: SarifRun; ruleIndex: Map<string, number>; maxRelated: number } {
  const limits = options.sarifLimits ?? GITHUB_LIMITS;
  const maxRelated = limits.locationsPerResult - 1; // the primary location is one
  const cut = results.filter((r) => (r.relatedCount ?? (r.related ?? []).length) > maxRelated).length;
  if (cut > 0) {
    options.warn?.(
      `${cut} ${cut === 1 ? 'result has' : 'results have'} more than GitHub code scanning's ${limits.locationsPerResult} locations per result: ` +
        `the SARIF keeps the first ${maxRelated} related locations of each`,
    );
  }

  const rules: SarifReportingDescriptor[] = [];
  const ruleIndex = new Map<string, number>();
  for (const meta of report.rules) {
    if (ruleIndex.has(meta.id)) continue;
    ruleIndex.set(meta.id, rules.length);
    rules.push(describeRule(meta));
  }
  for (const result of results) {
    if (ruleIndex.has(result.ruleId)) continue;
    ruleIndex.set(result.ruleId, rules.length);
    rules.push(synthesiseRule(result.ruleId, result.severity));
  }

  const driver: SarifRun['tool']['driver'] = {
    name: 'hostlint',
    version: report.toolVersion,
    ...(semver.valid(report.toolVersion) ? { semanticVersion: report.toolVersion } : {}),
    ...(options.informationUri ? { informationUri: options.informationUri } : {}),
    rules,
  };

  const run: SarifRun = {
    tool: { driver },
    ...(options.sarifCategory ? { automationDetails: { id: automationId(options.sarifCategory) } } : {}),
    invocations: [{ executionSuccessful: true }],
    originalUriBaseIds: { [SRCROOT]: { uri: directoryUri(report.cwd) } },
    columnKind: 'utf16CodeUnits',
    results: [],
  };
  return { run, ruleIndex, maxRelated };
}

/** Receives SARIF results file by file (a fleet audit, host by host) and writes the log at the end. */
export interface SarifStream {
  add(files: FileReport[]): void;
  /** Write the whole log through `write` (in pieces), then forget everything. */
  end(rules: RuleMeta[]): void;
  /** Forget everything without writing (the run failed). */
  abort(): void;
}

/**
 * SARIF for a run too large to hold: the visible results are serialised, as
 * they come, to a private temporary file (removed at the end), and only a
 * small index (file path, severity, rule, offset) stays in memory. At the end
 * the index is put in the order `sarif()` gives (by file path, then as
 * reported), GitHub's limits are applied, and the log is written result by
 * result: the same bytes as `sarif()` of the whole report.
 */
export function sarifStream(options: FormatOptions, base: { cwd: string; toolVersion: string }, write: (s: string) => void): SarifStream {
  const { closeSync, mkdtempSync, openSync, readSync, rmSync, writeSync } = process.getBuiltinModule('node:fs');
  const os = process.getBuiltinModule('node:os');
  const v8 = process.getBuiltinModule('node:v8');
  let dir: string | undefined;
  let fd: number | undefined;
  let size = 0;
  let memory: Buffer[] | undefined;
  const index: Array<{ path: string; ruleId: string; severity: Severity; relatedCount: number; offset: number; length: number }> = [];
  const close = () => {
    if (fd !== undefined) closeSync(fd);
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
    fd = undefined;
    dir = undefined;
    index.length = 0;
    memory = undefined;
  };
  return {
    add(files) {
      for (const file of files) {
        for (const result of visibleResults(file, options)) {
          if (fd === undefined && memory === undefined) {
            try {
              dir = mkdtempSync(path.join(os.tmpdir(), 'hostlint-sarif-'));
              fd = openSync(path.join(dir, 'results'), 'w+', 0o600);
            } catch {
              // No writable temporary directory: kept in memory instead.
              close();
              memory = [];
            }
          }
          const bytes = v8.serialize({ result, host: result.host ?? file.host });
          if (memory) memory.push(bytes);
          else writeSync(fd!, bytes, 0, bytes.length, size);
          index.push({ path: file.path, ruleId: result.ruleId, severity: result.severity, relatedCount: (result.related ?? []).length, offset: memory ? memory.length - 1 : size, length: bytes.length });
          size += bytes.length;
        }
      }
    },
    end(rules) {
      try {
        // As sarif() sorts the files: by path, stable.
        let order = index.map((_, i) => i).sort((a, b) => (index[a]!.path < index[b]!.path ? -1 : index[a]!.path > index[b]!.path ? 1 : a - b));
        const kept = selectResults(order.map((i) => index[i]!), options);
        if (kept) order = kept.map((k) => order[k]!);
        const entries = order.map((i) => index[i]!);
        const { run, ruleIndex, maxRelated } = runShell({ rules, toolVersion: base.toolVersion, cwd: base.cwd }, entries, options);
        const includeSuppressed = options.includeSuppressed === true;
        const PLACEHOLDER = '\u0000results';
        run.results = entries.length ? [PLACEHOLDER as unknown as SarifResult] : [];
        const shell = JSON.stringify({ $schema: SARIF_SCHEMA, version: '2.1.0', runs: [run] }, null, 2) + '\n';
        const quoted = JSON.stringify(PLACEHOLDER);
        const at = shell.indexOf(quoted);
        /** The log's text, in pieces of about 64 KiB, to `sink`; its length. */
        const render = (sink: (text: string) => void): number => {
          if (at < 0) {
            sink(shell);
            return shell.length;
          }
          let total = shell.length - quoted.length;
          sink(shell.slice(0, at));
          let batch = '';
          for (const [n, e] of entries.entries()) {
            let buffer: Buffer;
            if (memory) buffer = memory[e.offset]!;
            else {
              buffer = Buffer.allocUnsafe(e.length);
              readSync(fd!, buffer, 0, e.length, e.offset);
            }
            const { result, host } = v8.deserialize(buffer) as { result: Result; host: string | undefined };
            const item = JSON.stringify(toSarifResult(result, ruleIndex.get(result.ruleId) as number, base.cwd, includeSuppressed, host, maxRelated), null, 2);
            batch += `${n === 0 ? '' : ',\n        '}${item.replace(/\n/g, '\n        ')}`;
            if (batch.length > 1 << 16) {
              total += batch.length;
              sink(batch);
              batch = '';
            }
          }
          total += batch.length;
          sink(batch);
          sink(shell.slice(at + quoted.length));
          return total;
        };
        const total = render(write);
        if (options.warn && total > MAX_GZIP_BYTES) {
          // As sarif() does, whether GitHub takes it: the log rendered again and gzipped in
          // pieces of 1 MiB (their sizes summed: within a few per mille of one gzip stream).
          const zlib = process.getBuiltinModule('node:zlib');
          let gz = 0;
          let piece = '';
          render((text) => {
            piece += text;
            if (piece.length >= 1 << 20) {
              gz += zlib.gzipSync(piece).length;
              piece = '';
            }
          });
          if (piece) gz += zlib.gzipSync(piece).length;
          if (gz > MAX_GZIP_BYTES) {
            options.warn(`the SARIF is ${gz} bytes gzipped, over GitHub code scanning's upload limit of ${MAX_GZIP_BYTES}; split the analysis (one --sarif-category per part)`);
          }
        }
      } finally {
        close();
      }
    },
    abort: close,
  };
}

// --- results -------------------------------------------------------------------

function toSarifResult(
  result: Result,
  index: number,
  cwd: string,
  includeSuppressed: boolean,
  host: string | undefined,
  maxRelated: number,
): SarifResult {
  const primary: SarifLocation = {
    physicalLocation: physicalLocation(result.file, result.position, cwd, result.snippet, result.snippetColumn),
  };
  const related = (result.related ?? []).slice(0, Math.max(0, maxRelated));
  const out: SarifResult = {
    ruleId: result.ruleId,
    ruleIndex: index,
    level: result.severity,
    message: { text: linkedMessage(nonEmpty(result.message, result.ruleId), related) },
    locations: [primary],
  };
  if (related.length > 0) {
    out.relatedLocations = related.map((location, i) => toRelatedLocation(location, i + 1, cwd));
  }
  if (result.fingerprint) {
    out.partialFingerprints = { [FINGERPRINT_KEY]: result.fingerprint };
    // Outside the checkout the upload action computes no primaryLocationLineHash.
    if (primary.physicalLocation.artifactLocation.uriBaseId === undefined) {
      out.partialFingerprints.primaryLocationLineHash = result.fingerprint;
    }
  }
  if (includeSuppressed) {
    out.suppressions = isSuppressed(result) ? (result.suppressions ?? []).map((s) => toSuppression(s, cwd)) : [];
  }
  if (result.baselineState !== undefined) out.baselineState = result.baselineState;
  if (result.fix && result.fix.edits.length > 0) out.fixes = [toFix(result.fix, result.file, cwd)];
  if (host !== undefined) out.properties = { host };
  return out;
}

function toFix(fix: Fix, file: string, cwd: string): SarifFix {
  const replacements = [...fix.edits]
    .sort((a, b) => a.range[0] - b.range[0] || a.range[1] - b.range[1])
    .map((edit) => {
      const deletedRegion: SarifFixRegion = {
        ...(edit.position
          ? {
              startLine: positiveInt(edit.position.start.line),
              startColumn: positiveInt(edit.position.start.column),
              endLine: positiveInt(edit.position.end.line),
              endColumn: positiveInt(edit.position.end.column),
            }
          : {}),
        charOffset: edit.range[0],
        charLength: edit.range[1] - edit.range[0],
      };
      return { deletedRegion, ...(edit.text !== '' ? { insertedContent: { text: edit.text } } : {}) };
    });
  return {
    ...(fix.description ? { description: { text: fix.description } } : {}),
    artifactChanges: [{ artifactLocation: artifactLocation(file, cwd), replacements }],
  };
}

function toRelatedLocation(location: Location, id: number, cwd: string): SarifLocation {
  return {
    id,
    physicalLocation: physicalLocation(location.file, location.position, cwd),
    message: { text: escapeMessage(evidenceLabel(location)) },
  };
}

/**
 * The result's message with its evidence linked (SARIF §3.11.6): literal
 * `[` and `]` escaped, then ` Evidence: [label](1), [label](2).` naming each
 * related location by its id (the first ten; more are counted). GitHub code
 * scanning shows related locations only where the message links them. The JSON and stylish messages are not
 * changed: they list the evidence themselves.
 */
export function linkedMessage(message: string, related: Location[]): string {
  const text = escapeMessage(message);
  if (related.length === 0) return text;
  const links = related.slice(0, MAX_LINKS).map((location, i) => `[${escapeMessage(evidenceLabel(location))}](${i + 1})`);
  const more = related.length - links.length;
  return `${sentence(text)} Evidence: ${links.join(', ')}${more > 0 ? ` and ${more} more related ${more === 1 ? 'location' : 'locations'}` : ''}.`;
}

/** Links in one message: the rest of a long evidence list is counted, not linked (they stay in relatedLocations). */
const MAX_LINKS = 10;

/** What a related location shows: its message, else `file:line`. */
function evidenceLabel(location: Location): string {
  const message = location.message?.replace(/\s+/g, ' ').trim();
  return message ? message.replace(/([^.])\.$/, '$1') : `${location.file}:${positiveInt(location.position?.start.line)}`;
}

/** SARIF §3.11.6: literal square brackets in a message are escaped with a backslash. */
export function escapeMessage(text: string): string {
  return text.replace(/[[\]]/g, '\\$&');
}

function toSuppression(suppression: Suppression, cwd: string): SarifSuppression {
  return {
    kind: suppression.kind,
    ...(suppression.justification ? { justification: suppression.justification } : {}),
    ...(suppression.location
      ? { location: { physicalLocation: physicalLocation(suppression.location.file, suppression.location.position, cwd) } }
      : {}),
  };
}

function physicalLocation(file: string, position: Position, cwd: string, lineText?: string, snippetColumn?: number): SarifPhysicalLocation {
  const region = toRegion(position);
  const out: SarifPhysicalLocation = { artifactLocation: artifactLocation(file, cwd), region };
  // `Result.snippet` is the text of the flagged line, not of the region, so it
  // belongs in a context region (SARIF §3.29.5) covering that line. Only for
  // single-line regions: a context region must contain the region.
  if (typeof lineText === 'string' && lineText.length > 0 && region.endLine === region.startLine) {
    out.contextRegion =
      snippetColumn === undefined
        ? { startLine: region.startLine, endLine: region.startLine, snippet: { text: lineText } }
        : // a window of a long line (src/engine/linter.ts snippetWindow), which contains the region
          { startLine: region.startLine, startColumn: snippetColumn, endLine: region.startLine, endColumn: snippetColumn + lineText.length, snippet: { text: lineText } };
  }
  return out;
}

/** A complete region: startLine/startColumn ≥ 1, end never before start. */
function toRegion(position: Position | undefined): SarifRegion {
  const start = position?.start;
  const end = position?.end;
  const startLine = positiveInt(start?.line);
  const startColumn = positiveInt(start?.column);
  let endLine = positiveInt(end?.line ?? startLine);
  let endColumn = positiveInt(end?.column ?? startColumn);
  if (endLine < startLine) {
    endLine = startLine;
    endColumn = startColumn;
  } else if (endLine === startLine && endColumn < startColumn) {
    endColumn = startColumn;
  }
  return { startLine, startColumn, endLine, endColumn };
}

function positiveInt(n: number | undefined): number {
  return typeof n === 'number' && Number.isFinite(n) && n >= 1 ? Math.floor(n) : 1;
}

/**
 * `%SRCROOT%`-relative URI for files under the working directory (forward
 * slashes, percent-encoded segments); an absolute `file:` URI without a base
 * for anything outside it.
 */
export function artifactLocation(file: string, cwd: string): SarifArtifactLocation {
  // A member of an archive snapshot keeps its display path (`fleet/db02.tgz!/db02/etc/sysctl.conf`):
  // `!` is a valid path character (RFC 3986 sub-delims) and marks where the archive ends.
  const absolute = path.resolve(cwd, file);
  const relative = path.relative(cwd, absolute);
  if (relative === '' || relative === '..' || relative.startsWith('..' + path.sep) || path.isAbsolute(relative)) {
    return { uri: pathToFileURL(absolute).href };
  }
  return {
    uri: relative.split(path.sep).map(encodeURIComponent).join('/'),
    uriBaseId: SRCROOT,
  };
}

function directoryUri(dir: string): string {
  const href = pathToFileURL(path.resolve(dir)).href;
  return href.endsWith('/') ? href : href + '/';
}

function automationId(category: string): string {
  return category.endsWith('/') ? category : category + '/';
}

// --- rules ---------------------------------------------------------------------------

function describeRule(meta: RuleMeta): SarifReportingDescriptor {
  const description = nonEmpty(meta.description.trim(), meta.id);
  const rationale = (meta.rationale ?? '').trim();
  const firstParagraph = plainText(rationale.split(/\n\s*\n/)[0] ?? '');
  const fullDescription = firstParagraph === '' ? description : `${sentence(description)} ${firstParagraph}`;

  const sources = meta.sources ?? [];
  const helpText = [
    rationale === '' ? sentence(description) : plainText(rationale, { keepParagraphs: true, keepUrls: true }),
    ...(sources.length > 0 ? ['Sources:\n' + sources.map((s) => `- ${s.title}: ${s.url}`).join('\n')] : []),
  ].join('\n\n');
  const helpMarkdown = [
    rationale === '' ? sentence(description) : rationale,
    ...(sources.length > 0
      ? ['**Sources**\n\n' + sources.map((s) => `- [${escapeLinkText(s.title)}](${linkDestination(s.url)})`).join('\n')]
      : []),
  ].join('\n\n');

  const properties: SarifReportingDescriptor['properties'] = {
    tags: [...new Set(meta.tags ?? [])].slice(0, MAX_TAGS),
    precision: meta.precision === 'medium' ? 'medium' : 'high',
  };
  if (meta.securitySeverity !== undefined && meta.securitySeverity !== '') {
    properties['security-severity'] = String(meta.securitySeverity);
    // Code scanning files results under "security" by this tag.
    if (!properties.tags.includes('security')) properties.tags = ['security', ...properties.tags].slice(0, MAX_TAGS);
  } else {
    properties['problem.severity'] = problemSeverity(meta.severity);
  }

  return {
    id: meta.id,
    ...nameOf(meta.id),
    shortDescription: { text: truncate(description) },
    fullDescription: { text: truncate(fullDescription) },
    help: { text: helpText, markdown: helpMarkdown },
    defaultConfiguration: { level: meta.severity },
    properties,
  };
}

/** Descriptions of the rules the engine itself reports. */
const BUILTIN_DESCRIPTIONS: Record<string, string> = {
  'parse-error': 'Report files that hostlint cannot read or parse',
};

/** A minimal valid descriptor for a rule the run did not describe. */
function synthesiseRule(id: string, severity: Severity): SarifReportingDescriptor {
  const description = (Object.hasOwn(BUILTIN_DESCRIPTIONS, id) ? BUILTIN_DESCRIPTIONS[id] : undefined) ?? `Report problems found by the hostlint rule ${id}`;
  return {
    id,
    ...nameOf(id),
    shortDescription: { text: description },
    fullDescription: { text: sentence(description) },
    help: { text: sentence(description), markdown: sentence(description) },
    defaultConfiguration: { level: severity },
    properties: { tags: [], precision: 'high', 'problem.severity': problemSeverity(severity) },
  };
}

function problemSeverity(severity: Severity): 'error' | 'warning' | 'recommendation' {
  return severity === 'note' ? 'recommendation' : severity;
}

function nameOf(id: string): { name?: string } {
  const name = ruleName(id);
  return name.toLowerCase() === id.toLowerCase() ? {} : { name };
}

/** `no-tcp-tw-recycle` → `NoTcpTwRecycle`. */
export function ruleName(id: string): string {
  const name = id
    .split(/[^A-Za-z0-9]+/)
    .filter((part) => part !== '')
    .map((part) => part[0]!.toUpperCase() + part.slice(1))
    .join('');
  return (name === '' ? id : name).slice(0, MAX_NAME);
}

// --- text helpers --------------------------------------------------------------------

function nonEmpty(text: string | undefined, fallback: string): string {
  return typeof text === 'string' && text.trim() !== '' ? text : fallback;
}

function sentence(text: string): string {
  return /[.!?]$/.test(text) ? text : text + '.';
}

function truncate(text: string, max = MAX_DESCRIPTION): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max - 1);
  const space = cut.lastIndexOf(' ');
  return (space > max / 2 ? cut.slice(0, space) : cut) + '\u2026';
}

/** Markdown → plain text, enough for descriptions: links, emphasis, code spans. */
function plainText(markdown: string, opts: { keepParagraphs?: boolean; keepUrls?: boolean } = {}): string {
  let text = markdown
    .replace(/!?\[([^\]]*)\]\(([^)\s]*)[^)]*\)/g, (_m, label: string, url: string) =>
      opts.keepUrls && url !== '' ? `${label} (${url})` : label,
    )
    .replace(/(\*\*|__)(.+?)\1/g, '$2')
    .replace(/`([^`]*)`/g, '$1');
  if (opts.keepParagraphs) {
    text = text.replace(/[ \t]+$/gm, '').trim();
  } else {
    text = text.replace(/\s+/g, ' ').trim();
  }
  return text;
}

function escapeLinkText(text: string): string {
  return text.replace(/([\\[\]])/g, '\\$1');
}

function linkDestination(url: string): string {
  return /[\s()<>]/.test(url) ? `<${url.replace(/[<>]/g, encodeURIComponent)}>` : url;
}
