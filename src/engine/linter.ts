/**
 * The engine: scopes in, results out. It knows nothing of the command line or
 * of output formats.
 *
 *   load (load.ts: discover, read, parse each file through its language's
 *   unified processor, parse.ts) → per scope, one traversal per file
 *   dispatching node visitors, then scope visitors → every finding a
 *   `VFileMessage` on its file's `VFile` (message.ts) → per VFile: directives,
 *   snippets, fingerprints → the LintReport formatters read (the one choke
 *   point where VFiles become the report).
 */
import { sha256 as sha256Hash } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';
import { VFile } from 'vfile';
import type { Config } from '../config/load.js';
import type {
  BaseNode,
  FileReport,
  LintReport,
  Position,
  Result,
  RuleMeta,
  Severity,
  SourceFile,
} from '../types.js';
import { languageOf } from '../languages/index.js';
import { lineIndexFor } from '../parsers/line-index.js';
import { createMessage, type LintMessage } from './message.js';
import type { KubeDocumentHeader } from '../parsers/yaml.js';
import { builtinMetas, INTERNAL_ERROR, PARSE_ERROR, UNUSED_DIRECTIVE } from './builtin.js';
import { parseDirectives, suppressingDirective, type Directive } from './directives.js';
import { fillMessage, type ReportDescriptor, type Rule, type RuleContext } from './rule.js';
import { runHosts, type HostList, type HostSummary, type Scope } from './scope.js';
import { didYouMean } from '../suggest.js';
import { ORIGIN } from '../util/position.js';
import { countSeverities, emptyCounts } from '../util/counts.js';

export interface EngineOptions {
  config: Config;
  rules: Rule[];
  cwd: string;
  /** Severity for unused disable directives, or off. */
  reportUnusedDisableDirectives?: Severity | 'off';
  toolVersion: string;
  /**
   * The run's hosts as summaries, when they are linted elsewhere (a fleet
   * audit lints each host in a worker): the repository scope joins with these
   * instead of the host scopes passed here.
   */
  cluster?: HostList<HostSummary>;
}

/** A diagnostic found while loading (unreadable file, path that does not exist). */
export interface LoadDiagnostic {
  ruleId: string;
  /** Default `error` (a file that could not be read); `ignored-file` is a warning. */
  severity?: Severity;
  file: string;
  message: string;
  position?: Position;
  host?: string;
}


/** Results reported at a line of a file outside the scope (`ReportDescriptor.at`): the line's text and the file's identity. */
const elsewhere = new WeakMap<Result, { line?: string; text: string; identity: string }>();

/**
 * The VFiles of a run, by display path: each file's own, and one for every
 * other path a message names (a file that could not be read, a host's file
 * known only from its summary). Each is the one carrier of its file's messages.
 */
class Carriers {
  readonly byPath = new Map<string, VFile>();
  readonly files = new Map<string, SourceFile>();
  readonly hosts = new Map<string, string | undefined>();

  constructor(scopes: Scope[]) {
    for (const s of scopes) {
      for (const f of s.files) {
        // A run starts with the file's messages cleared (--fix runs the rules again).
        f.vfile.messages = [];
        this.register(f, s);
      }
    }
  }

  private register(f: SourceFile, s: Scope): void {
    this.byPath.set(f.path, f.vfile);
    this.files.set(f.path, f);
    this.hosts.set(f.path, s.kind === 'host' ? s.name : undefined);
  }

  /**
   * Files a scope read while the rules ran (`/proc/sys` values are read on
   * demand): their messages, put on a VFile by path so far, move to the file's own.
   */
  adopt(scopes: Scope[]): void {
    for (const s of scopes) {
      for (const f of s.files) {
        if (this.files.has(f.path)) continue;
        const loose = this.byPath.get(f.path);
        f.vfile.messages = loose ? loose.messages : [];
        this.register(f, s);
      }
    }
  }

  /** Put a finding on the VFile of the file it names. */
  add(result: Result & { fatal?: boolean }): LintMessage {
    const message = createMessage(result);
    let vfile = this.byPath.get(result.file);
    if (!vfile) this.byPath.set(result.file, (vfile = new VFile(result.file === '' ? undefined : { path: result.file })));
    vfile.messages.push(message);
    return message;
  }
}

/** The rules a run applies: those on by default, and those its configuration names. */
export function enabledRules(rules: Rule[], config: Config): Rule[] {
  return rules.filter((rule) => {
    const base = config.ruleSetting(rule.meta.id, undefined)?.severity ?? rule.meta.severity;
    return base !== 'off' || config.ruleIds().has(rule.meta.id);
  });
}

/**
 * Which Kubernetes YAML documents of repository files a run parses: those of
 * a kind some enabled rule reads (`meta.kinds`), or every one (undefined)
 * when an enabled rule that reads `kube` does not say which kinds it reads.
 */
export function kubeDocumentSelector(rules: Rule[], config: Config): ((header: KubeDocumentHeader) => boolean) | undefined {
  const kinds = new Set<string>();
  for (const rule of enabledRules(rules, config)) {
    if (!rule.meta.languages.includes('kube')) continue;
    if (!rule.meta.kinds) return undefined;
    for (const k of rule.meta.kinds) kinds.add(k);
  }
  return (header) => kinds.has(header.kind);
}

/** Apply every enabled rule to every scope and assemble the report. */
export function runScopes(scopes: Scope[], loadDiagnostics: LoadDiagnostic[], options: EngineOptions): LintReport {
  const { config } = options;
  const results = new Carriers(scopes);
  const usedRules = new Map<string, RuleMeta>();
  // One join for every scope: the run's hosts as summaries (given, or summarised from the host scopes on first use).
  const run = runHosts(scopes, options.cluster);
  for (const scope of scopes) scope.joinRun(run);

  const enabled = enabledRules(options.rules, config);
  for (const rule of enabled) usedRules.set(rule.meta.id, rule.meta);

  for (const d of loadDiagnostics) {
    results.add({ ruleId: d.ruleId, severity: d.severity ?? 'error', message: d.message, file: d.file, position: d.position ?? ORIGIN, related: [], host: d.host });
    usedRules.set(d.ruleId, builtinMetas[d.ruleId]!);
  }

  for (const scope of scopes) {
    const host = scope.kind === 'host' ? scope.name : undefined;
    // Parse errors first: they are results of the file, not of a rule.
    for (const file of scope.files) {
      for (const p of file.parsed?.problems ?? []) {
        results.add({ ruleId: PARSE_ERROR, severity: 'error', message: p.message, file: file.path, position: p.position, related: [], host, fatal: true });
        usedRules.set(PARSE_ERROR, builtinMetas[PARSE_ERROR]!);
      }
    }
    runRulesOnScope(scope, enabled, options, results, host);
  }

  results.adopt(scopes);
  const byFile = groupAndFinish(results, options, usedRules);
  const counts = emptyCounts();
  for (const f of byFile) countSeverities(f.results, counts);
  return {
    cwd: options.cwd,
    files: byFile,
    linted: [...new Set(scopes.flatMap((s) => s.files.map((f) => f.path)))],
    rules: [...usedRules.values()].sort((a, b) => (a.id < b.id ? -1 : 1)),
    toolVersion: options.toolVersion,
    ...counts,
  };
}

function runRulesOnScope(scope: Scope, rules: Rule[], options: EngineOptions, results: Carriers, host: string | undefined): void {
  const { config } = options;
  type Handler = { rule: Rule; fn: (node: unknown, file: SourceFile) => void };
  const handlers = new Map<string, Handler[]>();
  const scopeHandlers: Handler[] = [];
  let current: SourceFile | undefined;

  for (const rule of rules) {
    const setting = config.ruleSetting(rule.meta.id, undefined);
    const context: RuleContext = {
      id: rule.meta.id,
      options: { ...(rule.meta.defaultOptions ?? {}), ...(setting?.options ?? {}) },
      optionsFor: (file: SourceFile) => ({
        ...(rule.meta.defaultOptions ?? {}),
        ...(config.ruleSetting(rule.meta.id, file.absolutePath)?.options ?? {}),
      }),
      scope,
      report: (d: ReportDescriptor<string>) => {
        if (d.at) {
          const configured = config.ruleSetting(rule.meta.id, undefined)?.severity ?? rule.meta.severity;
          if (configured === 'off') return;
          const levels: Severity[] = ['error', 'warning', 'note'];
          const severity = levels[Math.min(levels.indexOf(configured) + Math.max(0, d.demote ?? 0), 2)]!;
          const result = results.add({
            ruleId: rule.meta.id,
            severity,
            message: fillMessage(rule.meta.messages[d.messageId] ?? d.messageId, d.data),
            file: d.at.file,
            position: d.at.position,
            related: d.related ?? [],
            host: d.at.host,
          });
          elsewhere.set(result, { ...(d.at.line !== undefined ? { line: d.at.line } : {}), text: d.at.line ?? d.at.key ?? result.message, identity: `${d.at.host}:${d.at.hostPath ?? d.at.file}` });
          return;
        }
        const file = d.file ?? current;
        if (!file) throw new Error(`rule ${rule.meta.id} reported outside a file without naming one`);
        if (d.fix && !rule.meta.fixable) throw new MetaError(`rule ${rule.meta.id} reported a fix but its meta.fixable is false`);
        const configured = config.ruleSetting(rule.meta.id, file.absolutePath)?.severity ?? rule.meta.severity;
        if (configured === 'off') return;
        const levels: Severity[] = ['error', 'warning', 'note'];
        const severity = levels[Math.min(levels.indexOf(configured) + Math.max(0, d.demote ?? 0), 2)]!;
        const position = d.node?.position ?? d.position ?? ORIGIN;
        results.add({
          ruleId: rule.meta.id,
          severity,
          message: fillMessage(rule.meta.messages[d.messageId] ?? d.messageId, d.data),
          file: file.path,
          position,
          related: d.related ?? [],
          fix: d.fix,
          host,
        });
      },
    };
    let visitors;
    try {
      visitors = rule.create(context);
    } catch (error) {
      results.add(internalError(rule, scope.files[0]?.path ?? scope.name, error, host));
      continue;
    }
    const undeclared = Object.keys(visitors).find((selector) => selector !== 'scope' && !(rule.meta.languages as string[]).includes(selector.slice(0, selector.indexOf(':'))));
    if (undeclared !== undefined) {
      results.add(internalError(rule, scope.files[0]?.path ?? scope.name, new MetaError(`rule ${rule.meta.id} visits \`${undeclared}\` but its meta.languages does not declare that language`), host));
      continue;
    }
    for (const [selector, fn] of Object.entries(visitors)) {
      if (typeof fn !== 'function') continue;
      const h = { rule, fn: fn as Handler['fn'] };
      if (selector === 'scope') scopeHandlers.push(h);
      else {
        const list = handlers.get(selector) ?? [];
        list.push(h);
        handlers.set(selector, list);
      }
    }
  }

  const failed = new Set<Rule>();
  const call = (h: Handler, node: unknown, file: SourceFile | undefined) => {
    if (failed.has(h.rule)) return;
    try {
      h.fn(node, file as SourceFile);
    } catch (error) {
      failed.add(h.rule);
      results.add(internalError(h.rule, file?.path ?? scope.files[0]?.path ?? scope.name, error, host));
    }
  };

  if (handlers.size > 0) {
    // Only the trees of languages some rule visits are walked (no rule visits YAML nodes: a large manifest is not walked at all).
    const languages = new Set([...handlers.keys()].map((selector) => selector.slice(0, selector.indexOf(':'))));
    for (const file of scope.files) {
      if (!file.parsed || !languages.has(file.language)) continue;
      current = file;
      const prefix = `${file.language}:`;
      const walk = (node: BaseNode & { children?: unknown[] }) => {
        const list = handlers.get(prefix + node.type);
        if (list) for (const h of list) call(h, node, file);
        if (Array.isArray(node.children)) for (const child of node.children) if (child && typeof child === 'object') walk(child as BaseNode);
      };
      const language = languageOf(file.language);
      const comments = file.parsed.comments;
      // One traversal, run as the file's unified pipeline (the language's `hostlintRules` transformer).
      file.vfile.data.hostlintVisit = (tree) => {
        walk(tree);
        // Comments of data trees live beside the tree.
        const commentHandlers = handlers.get(`${prefix}comment`);
        if (commentHandlers && language.commentsBesideTree) for (const c of comments) for (const h of commentHandlers) call(h, c, file);
      };
      try {
        language.processor.runSync(file.parsed.tree, file.vfile);
      } finally {
        delete file.vfile.data.hostlintVisit;
      }
    }
    current = undefined;
  }
  for (const h of scopeHandlers) call(h, undefined, undefined);
}

/**
 * A rule broke its own `meta` (a fix without `meta.fixable`, a visitor for a
 * language not in `meta.languages`): an internal error, which the meta-test
 * (test/meta.test.ts) fails on.
 */
export class MetaError extends Error {
  override name = 'MetaError';
}

function internalError(rule: Rule, file: string, error: unknown, host: string | undefined): Result {
  const message = error instanceof Error ? error.message : String(error);
  return {
    ruleId: INTERNAL_ERROR,
    severity: 'error',
    message: fillMessage(builtinMetas[INTERNAL_ERROR]!.messages.crashed!, { ruleId: rule.meta.id, message }),
    file,
    position: ORIGIN,
    related: [],
    host,
  };
}

/** Directives, snippets, fingerprints, ordering: each VFile's messages become its FileReport. */
function groupAndFinish(carriers: Carriers, options: EngineOptions, usedRules: Map<string, RuleMeta>): FileReport[] {
  const { files, hosts } = carriers;
  const unusedSeverity = options.reportUnusedDisableDirectives ?? 'off';
  const grouped = new Map<string, Result[]>();
  for (const [path, vfile] of carriers.byPath) {
    // Files with directives but no results still need their unused directives reported.
    if (vfile.messages.length > 0 || (unusedSeverity !== 'off' && files.get(path)?.parsed?.comments.length)) grouped.set(path, vfile.messages as LintMessage[]);
  }

  const out: FileReport[] = [];
  for (const [path, list] of grouped) {
    const file = files.get(path);
    const directives: Directive[] = file?.parsed ? parseDirectives(file.parsed.comments, languageOf(file.language).commentMarkers) : [];
    for (const r of list) {
      const d = directives.length ? suppressingDirective(directives, r) : undefined;
      if (d) {
        d.used.add(r.ruleId);
        r.suppressions = [{ kind: 'inSource', justification: d.reason, location: { file: path, position: d.position } }];
      }
    }
    if (unusedSeverity !== 'off') {
      const known = new Set([...options.rules.map((r) => r.meta.id)]);
      for (const d of directives) {
        if (d.kind === 'enable') continue;
        for (const id of d.rules ?? []) {
          if (!known.has(id)) {
            carriers.add(unusedResult(path, d.position, unusedSeverity, 'unknownRule', { ruleId: id, suggestion: didYouMean(id, known) }, hosts.get(path))); // onto `list`, the VFile's messages
          }
        }
        const unused = d.rules === null ? (d.used.size === 0 ? [''] : []) : d.rules.filter((id) => known.has(id) && !d.used.has(id));
        if (unused.length) {
          const from = unused[0] === '' ? '' : ` from ${unused.map((u) => `\`${u}\``).join(', ')}`;
          carriers.add(unusedResult(path, d.position, unusedSeverity, 'unused', { from }, hosts.get(path)));
        }
      }
      if (list.some((r) => r.ruleId === UNUSED_DIRECTIVE)) usedRules.set(UNUSED_DIRECTIVE, builtinMetas[UNUSED_DIRECTIVE]!);
    }
    list.sort(compareResults);
    if (file) addSnippetsAndFingerprints(file, list, hosts.get(path));
    else {
      // A file that was not read (read-error, missing): the message stands in for the line.
      // A line reported from a host's summary (`at`) has its text, as in the host's scope.
      const seen = new Map<string, number>();
      for (const r of list) {
        const at = elsewhere.get(r);
        const text = at ? norm(at.text) : r.message;
        const k = `${r.ruleId}\0${text}`;
        const n = seen.get(k) ?? 0;
        seen.set(k, n + 1);
        if (at?.line !== undefined) r.snippet = at.line.replace(/\s+$/, '');
        r.fingerprint = fingerprint(r, at?.identity ?? r.file, text, '', n);
      }
    }
    out.push({ path, host: hosts.get(path) ?? list[0]?.host, ...(file ? { language: file.language } : {}), results: list });
  }
  out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return out;
}

function unusedResult(file: string, position: Position, severity: Severity, messageId: 'unused' | 'unknownRule', data: Record<string, string>, host: string | undefined): Result {
  return {
    ruleId: UNUSED_DIRECTIVE,
    severity,
    message: fillMessage(builtinMetas[UNUSED_DIRECTIVE]!.messages[messageId]!, data),
    file,
    position,
    related: [],
    host,
  };
}

function compareResults(a: Result, b: Result): number {
  return (
    a.position.start.line - b.position.start.line ||
    a.position.start.column - b.position.start.column ||
    (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0)
  );
}

/**
 * A fingerprint that survives unrelated edits (SARIF
 * `partialFingerprints["hostlint/v1"]`, the key `--baseline` matches on):
 * sha256 of the rule id, the file's path (for a file of a host snapshot: the
 * host's name and the file's path on the host, so a finding keeps its identity
 * when next week's snapshot of the host lies elsewhere or is archived), the
 * flagged line's text with blanks
 * folded, its neighbour, and which occurrence of that same tuple in the file
 * (in position order) it is. Line numbers never enter, and the neighbour is
 * the next non-blank line — never a line above — so inserting or deleting
 * lines anywhere above a finding leaves its fingerprint unchanged, and so do
 * changes of indentation, trailing blanks and line endings.
 *
 * The neighbour is taken only in YAML and JSON (`kube`, `cni`), where a flagged
 * line is often a bare leaf (`value: "1440"`, `"mtu": 1440`) that repeats in
 * the file: the next line tells repeated leaves apart without depending on
 * their order, so fixing one of two identical findings does not re-identify
 * the other. In the line-oriented formats (sysctl, resolv.conf, felix.cfg, fact
 * files) a line names its own key, so the line alone identifies the finding
 * and appending a line after it (the usual edit) changes nothing.
 */
function addSnippetsAndFingerprints(file: SourceFile, results: Result[], host: string | undefined): void {
  // Lines by index, not split (a large manifest has hundreds of thousands of lines, and few results).
  const at = lineIndexFor(file.text, file.parsed?.tree);
  // A host's file is identified by the host and its path on the host, not by where the snapshot lies.
  const identity = host !== undefined && file.hostPath !== undefined ? `${host}:${file.hostPath}` : file.path;
  const withNeighbour = languageOf(file.language).fingerprintNeighbour;
  // Everything that depends on the whole line is computed once per line, so
  // that many results on one long line cost O(result) each, not O(line).
  interface LineInfo {
    text: string;
    /** Normalised line and neighbour, as one key; and a short id for it. */
    key: string;
    id: number;
  }
  const lines = new Map<number, LineInfo>();
  const keyIds = new Map<string, number>();
  // The next non-blank line after a line; known answers are kept for the blank
  // lines passed on the way, so a run of blank lines is looked at once.
  const afterBlank = new Map<number, string>();
  const neighbourOf = (line: number): string => {
    const blanks: number[] = [];
    let found = '';
    for (let l = line + 1; l <= at.lineCount; l++) {
      const known = afterBlank.get(l);
      if (known !== undefined) {
        found = known;
        break;
      }
      const n = norm(at.lineText(l));
      if (n !== '') {
        found = n;
        break;
      }
      blanks.push(l);
    }
    for (const l of blanks) afterBlank.set(l, found);
    return found;
  };
  const infoOf = (line: number): LineInfo => {
    let info = lines.get(line);
    if (!info) {
      const text = line >= 1 && line <= at.lineCount ? at.lineText(line) : '';
      const key = `${norm(text)}\0${withNeighbour ? neighbourOf(line) : ''}`;
      let id = keyIds.get(key);
      if (id === undefined) keyIds.set(key, (id = keyIds.size));
      info = { text, key, id };
      lines.set(line, info);
    }
    return info;
  };
  const seen = new Map<string, number>();
  /** Hash states after `rule\0file\0line\0neighbour\0`, per rule and line key: each result only adds its occurrence. */
  const prefixes = new Map<string, TextHash>();
  for (const r of results) {
    const line = r.position.start.line;
    const info = infoOf(line);
    const window = snippetWindow(info.text, r.position);
    if (window) {
      r.snippet = window.text;
      if (window.column !== undefined) r.snippetColumn = window.column;
    }
    const k = `${r.ruleId}\0${info.id}`;
    const n = seen.get(k) ?? 0;
    seen.set(k, n + 1);
    let prefix = prefixes.get(k);
    if (!prefix) prefixes.set(k, (prefix = sha256().update(`${r.ruleId}\0${identity}\0${info.key}\0`)));
    r.fingerprint = prefix.copy().update(String(n)).digest('hex').slice(0, 32);
    if (r.fix) {
      r.fix = { ...r.fix, edits: r.fix.edits.map((e) => ({ ...e, position: at.position(e.range[0], e.range[1]) })) };
    }
  }
}

/** Longest snippet kept whole; a longer line gives a window of this many characters around the result. */
export const SNIPPET_MAX = 1024;

function snippetWindow(text: string, position: Position): { text: string; column?: number } | undefined {
  if (text.length <= SNIPPET_MAX) return { text: text.trimEnd() };
  const start = Math.max(0, position.start.column - 1);
  const end = position.end.line === position.start.line ? Math.max(start, position.end.column - 1) : text.length;
  if (end - start > SNIPPET_MAX) return undefined; // a context region must contain the whole region
  const from = Math.max(0, Math.min(start - Math.floor((SNIPPET_MAX - (end - start)) / 2), text.length - SNIPPET_MAX));
  return { text: text.slice(from, from + SNIPPET_MAX), column: from + 1 };
}

/**
 * SHA-256 of UTF-8 text, in JavaScript (@noble/hashes): the same digests as
 * node:crypto's `createHash('sha256')`, without what its first use costs a
 * short run (Node's crypto and stream modules, OpenSSL's digest set-up).
 */
class TextHash {
  constructor(private readonly state = sha256Hash.create()) {}
  update(text: string): this {
    this.state.update(utf8ToBytes(text));
    return this;
  }
  copy(): TextHash {
    return new TextHash(this.state.clone());
  }
  digest(_encoding: 'hex'): string {
    return bytesToHex(this.state.digest());
  }
}
const sha256 = (): TextHash => new TextHash();

function norm(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

function fingerprint(r: Result, identity: string, normalizedLine: string, neighbour: string, occurrence: number): string {
  return sha256().update(`${r.ruleId}\0${identity}\0${normalizedLine}\0${neighbour}\0${occurrence}`).digest('hex').slice(0, 32);
}
