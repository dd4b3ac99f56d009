/**
 * From paths to scopes: find snapshots and repository files, read them once,
 * classify, parse. Everything that cannot be read becomes a diagnostic that
 * names the file; nothing here throws for bad input.
 */
import { lstatSync, readFileSync, realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Config } from '../config/load.js';
import { parseSourceFile } from './parse.js';
import type { KubeRoot, SourceFile } from '../types.js';
import type { KubeDocumentHeader } from '../parsers/yaml.js';
import { IGNORED_FILE, IGNORED_FILE_MESSAGE, PARSE_ERROR, READ_ERROR } from './builtin.js';
import { ignorePatternMatcher, walkDirectory } from './discover.js';
import { unrenderedNote, KustomizeIndex } from './unrendered.js';
import { classifyHostPath, classifyRepoPath } from './classify.js';
import type { LoadDiagnostic } from './linter.js';
import { cannotRead, specialFileKind, decode, DEFAULT_MAX_FILE_BYTES, overLimitReason, readRegularFile, sourceFile } from './read.js';
import { Scope } from './scope.js';

export { parseText } from './parse.js';
import { archiveSuffix, isArchiveName, MEMBER_SEPARATOR, openArchive } from './archive.js';
import { DirectorySnapshot, isSnapshotDir, type Snapshot } from './snapshot.js';

export interface LoadOptions {
  cwd: string;
  config: Config;
  maxFileBytes?: number;
  /**
   * Do not load host snapshots, only find them (`Loaded.hosts`): a fleet
   * audit loads each host on its own, in a worker, with `loadHost`.
   */
  deferHosts?: boolean;
  /** Honour `.gitignore` files when walking directories (default true; `audit` takes what it is given). */
  gitignore?: boolean;
  /** `--ignore-pattern` globs, relative to `cwd`. */
  ignorePatterns?: string[];
  /** `--no-ignore`: no `.gitignore`, no configuration `ignores`, no `--ignore-pattern`. */
  noIgnore?: boolean;
  /**
   * Which documents of the repository's Kubernetes YAML files to parse (the
   * engine's `kubeDocumentSelector`); absent: all. Host snapshots' files are
   * parsed whole (a host's summary reads them).
   */
  kubeDocuments?: (header: KubeDocumentHeader) => boolean;
}

/** A host snapshot found under the paths, not loaded yet. */
export type HostRef =
  | { kind: 'directory'; root: string }
  /** `explicit`: named on the command line (an archive found by walking that holds no snapshot is skipped silently). */
  | { kind: 'archive'; file: string; explicit: boolean };

export interface Loaded {
  scopes: Scope[];
  diagnostics: LoadDiagnostic[];
  /** Paths given that do not exist (a usage error). */
  missing: string[];
  /**
   * Set when files or directories inside a snapshot were named without the
   * snapshot itself (pre-commit passes the files a commit changes): the whole
   * snapshot is loaded for its facts, but only the named paths are reported.
   */
  reportOnly?: ReportFilter;
  /**
   * Host snapshots found but not loaded: every snapshot with `deferHosts`,
   * else the archives (reading an archive is asynchronous; `loadPathsAsync`
   * loads them).
   */
  hosts: HostRef[];
  /**
   * Directory arguments under which nothing hostlint reads was found (no file
   * it reads, no snapshot, nothing it could not read): the CLI makes this an
   * error unless `--pass-on-no-files`. Archives found under an argument count
   * once loaded: see `archivesUnder`.
   */
  nothingUnder: string[];
  /** Directory arguments whose only finds are archives (found by walking) that may not be snapshots. */
  archivesUnder?: Array<{ arg: string; archives: string[] }>;
}

/** What a directory argument turned up while it was walked. */
interface ArgFinds {
  arg: string;
  found: boolean;
  archives: string[];
}

/** Snapshot roots (display paths) whose results are limited to the selected paths. */
export interface ReportFilter {
  roots: string[];
  /** Display paths of the named files and directories inside those roots. */
  selected: string[];
}

/** Whether results of the file at display path `file` are reported under `filter`. */
export function isReported(filter: ReportFilter | undefined, file: string): boolean {
  if (!filter) return true;
  const under = (p: string, dir: string) => dir === '.' || p === dir || p.startsWith(dir + '/');
  if (!filter.roots.some((root) => under(file, root))) return true;
  return filter.selected.some((sel) => under(file, sel));
}

/** Relative display path with forward slashes. */
export function displayPath(cwd: string, abs: string): string {
  const rel = path.relative(cwd, abs);
  return (rel === '' ? '.' : rel).split(path.sep).join('/');
}

/** Find snapshots and repository files under `paths` and load them into scopes. */
export function loadPaths(paths: string[], options: LoadOptions): Loaded {
  const { cwd, config } = options;
  const maxBytes = options.maxFileBytes ?? config.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  const diagnostics: LoadDiagnostic[] = [];
  const missing: string[] = [];
  const snapshots = new Map<string, { snap: DirectorySnapshot }>();
  const repoFiles = new Map<string, { explicit: boolean; from?: ArgFinds }>();
  const archives = new Map<string, { explicit: boolean }>();

  // A path inside a snapshot is linted with its whole snapshot (the facts live
  // there), but only that path is reported unless the snapshot itself is named.
  const wholeSnapshots = new Set<string>();
  const selected = new Map<string, string[]>();
  const addSnapshotPath = (root: string, abs: string) => {
    if (!snapshots.has(root)) snapshots.set(root, { snap: new DirectorySnapshot(root) });
    const hostPath = '/' + path.relative(root, abs).split(path.sep).join('/');
    // Symlinks inside the snapshot resolve the way the host resolves them: report
    // the file under the path it is loaded as.
    const resolved = snapshots.get(root)!.snap.resolve(hostPath);
    const shown = displayPath(cwd, resolved.ok ? path.join(root, resolved.hostPath) : abs);
    selected.set(root, [...(selected.get(root) ?? []), shown]);
  };

  const dirArgs: ArgFinds[] = [];
  let finds: ArgFinds = { arg: '', found: false, archives: [] };
  const diagnose = (d: LoadDiagnostic) => {
    finds.found = true;
    diagnostics.push(d);
  };
  // Ignored: by the configuration's `ignores` or `--ignore-pattern` (.gitignore is the walk's business).
  const cliIgnored = ignorePatternMatcher(options.ignorePatterns ?? [], cwd);
  const ignored = options.noIgnore ? () => false : (abs: string) => config.isIgnored(abs) || cliIgnored(abs);
  const walk = (top: string) => {
    const addSnapshot = (dir: string) => {
      snapshots.set(dir, { snap: new DirectorySnapshot(dir) });
      wholeSnapshots.add(dir);
      finds.found = true;
    };
    if (isSnapshotDir(top)) return addSnapshot(top);
    const found = walkDirectory(top, { gitignore: (options.gitignore ?? true) && !options.noIgnore, ignored, isSnapshot: isSnapshotDir });
    for (const dir of found.snapshots) addSnapshot(dir);
    for (const u of found.unreadable) diagnose({ ruleId: READ_ERROR, file: displayPath(cwd, u.abs), message: u.reason });
    let realTop: string | undefined;
    for (const { abs, kind } of found.entries) {
      if (kind === 'directory') {
        // A directory where a file hostlint reads belongs (`sysctl.conf/`) is named (and walked).
        if (byNameOnly(cwd, abs)) diagnose({ ruleId: READ_ERROR, file: displayPath(cwd, abs), message: 'File is a directory, not a file' });
      } else if (kind === 'file') {
        if (isArchiveName(path.basename(abs))) {
          archives.set(abs, { explicit: false });
          finds.archives.push(abs);
        } else repoFiles.set(abs, { explicit: false, from: finds });
      } else {
        // Follow a file symlink only when it stays inside the tree being linted.
        // A link named like a file hostlint reads that loops or leaves the tree is named, never read.
        const named = byNameOnly(cwd, abs);
        try {
          const real = realpathSync(abs);
          realTop ??= realpathSync(top);
          if (!isInside(real, realTop)) {
            if (named) diagnose({ ruleId: READ_ERROR, file: displayPath(cwd, abs), message: 'File is a symlink to outside the directory being linted; not followed' });
          } else if (statSync(real).isFile()) repoFiles.set(abs, { explicit: false, from: finds });
        } catch (error) {
          // A dangling link is a file that is not there; a loop is named.
          if (named && (error as NodeJS.ErrnoException).code === 'ELOOP') diagnose({ ruleId: READ_ERROR, file: displayPath(cwd, abs), message: 'File is a symlink loop' });
        }
      }
    }
  };

  for (const p of paths) {
    const abs = path.resolve(cwd, p);
    let st;
    try {
      st = lstatSync(abs);
    } catch {
      missing.push(p);
      continue;
    }
    if (st.isSymbolicLink()) {
      try {
        st = statSync(abs);
      } catch {
        diagnostics.push({ ruleId: READ_ERROR, file: displayPath(cwd, abs), message: 'File is a dangling or looping symlink' });
        continue;
      }
      // A named file symlink obeys the rule of walked ones: followed only when
      // it stays inside the tree (the working directory, or the link's own
      // directory), so `--fix` never rewrites, and no finding quotes, a file
      // outside it.
      if (!st.isDirectory() && !namedLinkInside(abs, cwd)) {
        diagnostics.push({ ruleId: READ_ERROR, file: displayPath(cwd, abs), message: 'File is a symlink to outside the directory being linted; not followed' });
        continue;
      }
    }
    if (st.isDirectory()) {
      const root = snapshotAncestor(abs);
      if (root && root !== abs) addSnapshotPath(root, abs);
      else {
        finds = { arg: p, found: root !== undefined, archives: [] };
        dirArgs.push(finds);
        if (byNameOnly(cwd, abs)) diagnose({ ruleId: READ_ERROR, file: displayPath(cwd, abs), message: 'File is a directory, not a file' });
        walk(abs);
      }
    } else {
      // A file named explicitly that an ignore pattern matches is not linted, and
      // says so (ESLint's warning); .gitignore does not apply to named files.
      if (ignored(abs)) {
        diagnostics.push({ ruleId: IGNORED_FILE, severity: 'warning', file: displayPath(cwd, abs), message: IGNORED_FILE_MESSAGE });
        continue;
      }
      // A device, FIFO or socket named on the command line (`hostlint /dev/zero`) is named, never read.
      if (!st.isFile()) {
        diagnostics.push({ ruleId: READ_ERROR, file: displayPath(cwd, abs), message: `File is ${specialFileKind(st)}, not a regular file` });
        continue;
      }
      const root = snapshotAncestor(path.dirname(abs));
      if (root) addSnapshotPath(root, abs);
      else (isArchiveName(abs) ? archives : repoFiles).set(abs, { explicit: true });
    }
  }
  const partialRoots = [...selected.keys()].filter((root) => !wholeSnapshots.has(root));
  const reportOnly: ReportFilter | undefined = partialRoots.length
    ? { roots: partialRoots.map((r) => displayPath(cwd, r)), selected: partialRoots.flatMap((r) => selected.get(r)!) }
    : undefined;

  const scopes: Scope[] = [];
  const hosts: HostRef[] = [];
  for (const { snap } of [...snapshots.values()].sort((a, b) => (a.snap.root < b.snap.root ? -1 : 1))) {
    if (options.deferHosts) hosts.push({ kind: 'directory', root: snap.root });
    else scopes.push(loadSnapshot(snap, { cwd, config, maxBytes, diagnostics }));
  }
  for (const [file, { explicit }] of archives) hosts.push({ kind: 'archive', file, explicit });
  const refPath = (r: HostRef) => (r.kind === 'directory' ? r.root : r.file);
  hosts.sort((a, b) => (refPath(a) < refPath(b) ? -1 : refPath(a) > refPath(b) ? 1 : 0));

  const files: SourceFile[] = [];
  const kustomize = new KustomizeIndex(maxBytes);
  for (const [abs, { explicit, from }] of [...repoFiles.entries()].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const rel = displayPath(cwd, abs);
    const relToConfig = path.relative(config.base, abs).split(path.sep).join('/');
    const forced = config.languageFor(abs);
    let chart = config.chartFor(abs);
    let text: string | undefined;
    const read = (): string | undefined => {
      if (text !== undefined) return text;
      const r = readText(abs, maxBytes);
      if (!r.ok) {
        diagnostics.push({ ruleId: READ_ERROR, file: rel, message: `File ${r.reason}` });
        text = '';
        return undefined;
      }
      text = r.text;
      return text;
    };
    let cls = forced ? { language: forced } : classifyRepoPath(relToConfig.startsWith('..') ? rel : relToConfig, () => sniffHead(abs));
    if (!cls && explicit) cls = classifyRepoPath(path.basename(abs));
    if (!cls && (chart ??= chartOfValues(abs)) !== undefined) cls = { language: 'kube' };
    if (!cls) continue;
    if (from) from.found = true;
    const t = read();
    if (t === undefined) continue;
    const file = sourceFile({ path: rel, absolutePath: abs, language: cls.language, text: t });
    if (options.kubeDocuments && cls.language === 'kube') file.vfile.data.kubeDocuments = options.kubeDocuments;
    parseSourceFile(file);
    // Templates and Kustomize patches are not objects until rendered: one note, no rules.
    const note = cls.language === 'kube' ? unrenderedNote({ abs, rel, cwd, text: t, tree: file.parsed!.tree as KubeRoot, kustomize }) : undefined;
    if (note) {
      diagnostics.push(note);
      continue;
    }
    if (chart !== undefined && cls.language === 'kube') file.chart = chart;
    files.push(file);
  }
  // With several hosts, the repository scope (even without files) is where fleet rules see them all.
  if (files.length > 0 || (scopes.length === 0 && hosts.length === 0) || scopes.length + hosts.length > 1) {
    scopes.push(new Scope({ kind: 'repository', name: '(repository)', files, config }));
  }
  const nothingUnder = dirArgs.filter((a) => !a.found && a.archives.length === 0).map((a) => a.arg);
  const archivesUnder = dirArgs.filter((a) => !a.found && a.archives.length > 0).map(({ arg, archives: list }) => ({ arg, archives: list }));
  return { scopes, diagnostics, missing, hosts, nothingUnder, ...(archivesUnder.length ? { archivesUnder } : {}), ...(reportOnly ? { reportOnly } : {}) };
}

/** `loadPaths`, with the archive snapshots it found opened and loaded too. */
export async function loadPathsAsync(paths: string[], options: LoadOptions): Promise<Loaded> {
  const loaded = loadPaths(paths, { ...options, deferHosts: false });
  const extra: Scope[] = [];
  const yielded = new Set<string>();
  for (const ref of loaded.hosts) {
    const r = await loadHost(ref, options);
    loaded.diagnostics.push(...r.diagnostics);
    if (r.scope) extra.push(r.scope);
    if (ref.kind === 'archive' && (r.scope || r.diagnostics.length)) yielded.add(ref.file);
  }
  // An argument whose only finds were archives holding no snapshot (a Helm chart's .tgz) had nothing to lint.
  for (const { arg, archives } of loaded.archivesUnder ?? []) if (!archives.some((a) => yielded.has(a))) loaded.nothingUnder.push(arg);
  if (extra.length === 0) return { ...loaded, hosts: [] };
  const hostCount = loaded.scopes.filter((s) => s.kind === 'host').length + extra.length;
  const repo = loaded.scopes.filter((s) => s.kind === 'repository' && (s.files.length > 0 || hostCount > 1));
  const hostScopes = [...loaded.scopes.filter((s) => s.kind === 'host'), ...extra].sort((a, b) => (a.root! < b.root! ? -1 : a.root! > b.root! ? 1 : 0));
  return { ...loaded, scopes: [...hostScopes, ...repo], hosts: [] };
}

/**
 * Load one host snapshot (a directory, or an archive read in memory) into its
 * scope. No scope for an archive that cannot be read (a diagnostic names it)
 * or, found by walking, holds no snapshot (skipped: e.g. a Helm chart).
 */
export async function loadHost(
  ref: HostRef,
  options: LoadOptions,
): Promise<{ scope?: Scope; snapshot?: Snapshot; diagnostics: LoadDiagnostic[] }> {
  const { cwd, config } = options;
  const maxBytes = options.maxFileBytes ?? config.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  const diagnostics: LoadDiagnostic[] = [];
  if (ref.kind === 'directory') {
    // A snapshot removed (or replaced by something else) since it was found is
    // a read error, never a clean host.
    let gone: string | undefined;
    try {
      if (!statSync(ref.root).isDirectory()) gone = 'is no longer a directory';
    } catch (error) {
      gone = cannotRead(error);
    }
    if (gone) {
      diagnostics.push({ ruleId: READ_ERROR, file: displayPath(cwd, ref.root), message: `Snapshot ${gone}`, host: path.basename(ref.root) });
      return { diagnostics };
    }
    const snap = new DirectorySnapshot(ref.root);
    return { scope: loadSnapshot(snap, { cwd, config, maxBytes, diagnostics }), snapshot: snap, diagnostics };
  }
  const opened = await openArchive(ref.file, { maxFileBytes: maxBytes });
  const file = displayPath(cwd, ref.file);
  if (!opened.ok) {
    const base = path.basename(ref.file);
    const host = base.slice(0, base.length - (archiveSuffix(base)?.length ?? 0));
    if (!opened.notSnapshot || ref.explicit) diagnostics.push({ ruleId: READ_ERROR, file, message: `Archive ${opened.reason}`, host });
    return { diagnostics };
  }
  const snap = opened.snapshot;
  for (const r of opened.refused) {
    // A member named with `..` or an absolute path is reported on the archive itself: as a path
    // it would resolve outside it (`db02.tgz!/../../.github/workflows/x.yml` is `.github/...`).
    const leaves = r.member.startsWith('/') || r.member.split('/').includes('..');
    diagnostics.push({ ruleId: READ_ERROR, file: leaves ? file : `${file}${MEMBER_SEPARATOR}${r.member}`, message: r.duplicate ? `Archive member \`${r.member}\` ${r.reason}` : `Archive member \`${r.member}\` ${r.reason}: refused, it would leave the snapshot`, host: snap.name });
  }
  return { scope: loadSnapshot(snap, { cwd, config, maxBytes, diagnostics }), snapshot: snap, diagnostics };
}

/** Whether a named symlink's target is inside the working directory or the link's own directory. */
function namedLinkInside(abs: string, cwd: string): boolean {
  try {
    const real = realpathSync(abs);
    return isInside(real, realpathSync(cwd)) || isInside(real, realpathSync(path.dirname(abs)));
  } catch {
    return false;
  }
}

function isInside(child: string, parent: string): boolean {
  const rel = path.relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/**
 * The nearest directory at or above `dir` that is a snapshot, wherever the
 * working directory is (a file named inside a snapshot gets the snapshot's
 * facts from any cwd). The filesystem root, and any directory that is the
 * root itself under another name (a bind mount, `/proc/1/root`), are never
 * taken for a snapshot: the machine running hostlint is not linted as a
 * host. Only directory entries are looked at (stat), no file is read.
 */
function snapshotAncestor(dir: string): string | undefined {
  let d = dir;
  for (;;) {
    if (path.dirname(d) === d) return undefined;
    if (isSnapshotDir(d) && !isFilesystemRoot(d)) return d;
    d = path.dirname(d);
  }
}

/** Whether `dir` is the filesystem root under another name (same device and inode). */
function isFilesystemRoot(dir: string): boolean {
  try {
    const a = statSync(dir);
    const b = statSync(path.parse(dir).root);
    return a.dev === b.dev && a.ino === b.ino;
  } catch {
    return true; // cannot tell: do not take it for a snapshot
  }
}

/** Whether a repository path is a file hostlint reads by its name alone (YAML needs its content). */
function byNameOnly(cwd: string, abs: string): boolean {
  const cls = classifyRepoPath(displayPath(cwd, abs), () => '');
  return cls !== undefined;
}

/** The first 64 KiB of a file as text (to tell Kubernetes YAML from other YAML); never the whole file. */
function sniffHead(abs: string): string {
  const r = readRegularFile(abs, 0, { head: 64 * 1024 });
  return r.ok ? r.bytes.toString('utf8') : '';
}

function readText(abs: string, maxBytes: number): { ok: true; text: string } | { ok: false; reason: string } {
  const r = readRegularFile(abs, maxBytes);
  if (!r.ok) return r;
  const d = decode(r.bytes);
  return d.ok ? d : { ok: false, reason: d.reason };
}

export function loadSnapshot(
  snap: Snapshot,
  ctx: { cwd: string; config: Config; maxBytes: number; diagnostics: LoadDiagnostic[] },
): Scope {
  const files: SourceFile[] = [];
  const masked: string[] = [];
  const byResolved = new Map<string, SourceFile>();
  const host = snap.name;
  const display = (hostPath: string) => snap.display(ctx.cwd, hostPath);
  const load = (hostPath: string): SourceFile | undefined => {
    const cls = classifyHostPath(hostPath);
    if (!cls) return undefined;
    const resolved = snap.resolve(hostPath);
    if (!resolved.ok) {
      if (!resolved.missing) {
        if (resolved.reason.startsWith('is masked')) masked.push(hostPath);
        else ctx.diagnostics.push({ ruleId: READ_ERROR, file: display(hostPath), message: `File ${resolved.reason}`, host });
      }
      return undefined;
    }
    if (resolved.isDirectory) {
      if (cls.language !== 'fact') ctx.diagnostics.push({ ruleId: READ_ERROR, file: display(hostPath), message: 'File is a directory, not a file', host });
      return undefined;
    }
    // A link to another file of the snapshot (99-sysctl.conf -> ../sysctl.conf) is that file.
    if (resolved.hostPath !== hostPath) {
      const target = byResolved.get(resolved.hostPath) ?? load(resolved.hostPath);
      if (target) {
        (target.linkedFrom ??= []).push(hostPath);
        return target;
      }
    }
    if (byResolved.has(resolved.hostPath)) return byResolved.get(resolved.hostPath);
    if (resolved.size !== undefined && resolved.size > ctx.maxBytes) {
      ctx.diagnostics.push({ ruleId: READ_ERROR, file: display(hostPath), message: `File ${overLimitReason(resolved.size, ctx.maxBytes)}`, host });
      return undefined;
    }
    const r = snap.read(resolved.hostPath, ctx.maxBytes);
    if (!r.ok) {
      ctx.diagnostics.push({ ruleId: READ_ERROR, file: display(hostPath), message: `File ${r.reason}`, host });
      return undefined;
    }
    const d = decode(r.bytes);
    if (!d.ok) {
      ctx.diagnostics.push({ ruleId: READ_ERROR, file: display(hostPath), message: `File ${d.reason}`, host });
      return undefined;
    }
    const file = sourceFile({ path: display(resolved.hostPath), absolutePath: resolved.absolute, hostPath: resolved.hostPath, language: cls.language, text: d.text });
    file.factKind = cls.factKind;
    parseSourceFile(file);
    byResolved.set(resolved.hostPath, file);
    files.push(file);
    return file;
  };
  for (const hostPath of snap.listReadable()) load(hostPath);
  const scope = new Scope({
    kind: 'host',
    name: host,
    root: snap.root,
    files,
    config: ctx.config,
    markers: snap.markers(),
    masked,
    display,
    readHostFile: (hostPath) => {
      const f = load(hostPath);
      return f;
    },
  });
  return scope;
}

export { PARSE_ERROR };

/** Charts whose values hostlint reads (src/cni/cilium.ts, src/calico/view.ts). */
const KNOWN_CHARTS = new Set(['cilium', 'tigera-operator']);

/**
 * A values file (`values.yaml`, `values-*.yaml`) of a Helm chart hostlint
 * knows, beside the chart's `Chart.yaml` (`name: cilium`, `name:
 * tigera-operator`): read as YAML, so that it is linted like the objects it
 * configures. Other charts' values are left alone. The chart's name, or
 * undefined. (Elsewhere, `languages: { GLOB: helm-values:cilium }` says it.)
 */
function chartOfValues(abs: string): string | undefined {
  if (!/^values[^/\\]*\.ya?ml$/.test(path.basename(abs))) return undefined;
  try {
    const chart = path.join(path.dirname(abs), 'Chart.yaml');
    const st = lstatSync(chart); // a symlink is not followed: nothing outside the linted tree is read
    if (!st.isFile() || st.size > 65536) return undefined;
    const m = /^name:[ \t]*["']?([A-Za-z0-9._-]{1,100})/m.exec(readFileSync(chart, 'utf8'));
    return m !== null && KNOWN_CHARTS.has(m[1]!) ? m[1] : undefined;
  } catch {
    return undefined;
  }
}
