/**
 * Which files under a directory argument hostlint looks at: the directory is
 * walked with `globby` (fast-glob underneath), honouring `.gitignore` files
 * (nested ones, and those of the enclosing git repository above it, as git
 * does) unless told not to, plus the configuration's `ignores` and the
 * command line's `--ignore-pattern`s; `--no-ignore` turns all three off, as in
 * ESLint. Version-control folders and `node_modules` are never walked.
 *
 * The walk goes through a file-system adapter that keeps the guarantees of
 * the engine: a host snapshot is not walked into (it is loaded whole, with
 * its own reader), an ignored directory is not read at all, a directory that
 * cannot be read becomes a finding instead of an exception, symlinks are not
 * followed (the caller decides about each one), and an ignore file is read
 * only when it is a small regular file (never a FIFO or a device).
 */
import fs from 'node:fs';
import path from 'node:path';
import { globbySync } from 'globby';
import { pathGlob } from '../util/glob.js';
import { readRegularFile } from './read.js';

const LINE_TERMINATOR = /[\n\r\u2028\u2029]/;

/** Folders never walked, whatever the ignore settings (ESLint keeps its defaults under --no-ignore too). */
export const NEVER_WALKED = ['.git', '.hg', '.svn', 'node_modules'];

/** The largest `.gitignore` read; a bigger one is named, not read. */
export const MAX_IGNORE_FILE_BYTES = 1024 * 1024;

export interface WalkOptions {
  /** Honour `.gitignore` files (`lint`: yes; `audit` takes what it is given). */
  gitignore: boolean;
  /** Excluded by the configuration's `ignores` or `--ignore-pattern` (absolute path). */
  ignored: (abs: string) => boolean;
  /** Whether a directory is a host snapshot: it is recorded, not walked into. */
  isSnapshot: (abs: string) => boolean;
}

export interface WalkEntry {
  abs: string;
  kind: 'file' | 'directory' | 'symlink';
}

export interface WalkResult {
  /** Files, directories and symlinks found, sorted by path; none inside a snapshot. */
  entries: WalkEntry[];
  /** Snapshot directories found below the top, sorted. */
  snapshots: string[];
  /** Directories (and ignore files) that could not be read, with the reason. */
  unreadable: Array<{ abs: string; reason: string }>;
}

/** Walk `top` (an absolute directory, itself not a snapshot). Never throws for what it finds on disk. */
export function walkDirectory(top: string, options: WalkOptions): WalkResult {
  const snapshots = new Set<string>();
  const unreadable = new Map<string, string>();
  // Names with a line terminator: fast-glob's patterns (`.` in a RegExp) never match them, so
  // globby never lists them nor walks into them. They are found here and walked below.
  const unmatchable: string[] = [];
  const readdirSync = (dir: fs.PathLike, opts?: unknown): unknown => {
    const abs = path.resolve(String(dir));
    if (abs !== top) {
      // Pruned before a read: an ignored directory is not read, a snapshot is loaded whole elsewhere.
      if (options.ignored(abs)) return [];
      if (options.isSnapshot(abs)) {
        snapshots.add(abs);
        return [];
      }
    }
    try {
      const list = (fs.readdirSync as (d: string, o?: unknown) => unknown)(abs, opts);
      if (Array.isArray(list)) {
        for (const e of list as Array<string | fs.Dirent>) {
          const name = typeof e === 'string' ? e : e.name;
          if (LINE_TERMINATOR.test(name)) unmatchable.push(path.join(abs, name));
        }
      }
      return list;
    } catch (error) {
      unreadable.set(abs, `Directory cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
      return [];
    }
  };
  const readFileSync = (file: fs.PathLike): string => {
    const abs = path.resolve(String(file));
    const r = readRegularFile(abs, MAX_IGNORE_FILE_BYTES);
    if (!r.ok) {
      // A missing file is no ignore file; anything else is named (and the file's rules are not applied).
      const reason = r.reason.includes('-byte limit') ? `is over the ${MAX_IGNORE_FILE_BYTES}-byte limit for ignore files` : r.reason;
      if (!r.reason.includes('(ENOENT') && !r.reason.includes('(ENOTDIR')) unreadable.set(abs, `Ignore file ${reason}; its patterns are not applied`);
      const error: NodeJS.ErrnoException = new Error(r.reason);
      error.code = 'EHOSTLINT';
      throw error;
    }
    return r.bytes.toString('utf8');
  };
  const adapter = { ...fs, readdirSync, readFileSync } as unknown as typeof fs;

  const entries = globbySync('**', {
    cwd: top,
    dot: true,
    onlyFiles: false,
    followSymbolicLinks: false,
    objectMode: true,
    gitignore: options.gitignore,
    ignore: NEVER_WALKED.flatMap((d) => [`**/${d}`, `**/${d}/**`]),
    suppressErrors: true,
    fs: adapter,
  });

  // The search for ignore files reads directories through the adapter too, before the
  // nested .gitignore files are known: only what the final, filtered listing holds counts.
  const out: WalkEntry[] = [];
  const found: string[] = [];
  const listed = new Set<string>([top]);
  for (const e of entries) {
    const abs = path.resolve(top, e.path);
    if (options.ignored(abs)) continue;
    listed.add(abs);
    if (snapshots.has(abs)) {
      found.push(abs);
      continue;
    }
    const d = e.dirent;
    const kind = d.isSymbolicLink() ? 'symlink' : d.isDirectory() ? 'directory' : d.isFile() ? 'file' : undefined;
    if (kind) out.push({ abs, kind });
  }
  // What globby could not list (names with a line terminator), walked by hand: under a
  // listed directory, neither ignored nor never walked; .gitignore patterns are not applied there.
  const pending = unmatchable.filter((abs) => listed.has(path.dirname(abs)));
  while (pending.length > 0) {
    const abs = pending.pop()!;
    if (listed.has(abs) || NEVER_WALKED.includes(path.basename(abs)) || options.ignored(abs)) continue;
    let st: fs.Stats;
    try {
      st = fs.lstatSync(abs);
    } catch {
      continue; // gone meanwhile
    }
    listed.add(abs);
    if (st.isDirectory() && options.isSnapshot(abs)) {
      found.push(abs);
      continue;
    }
    const kind = st.isSymbolicLink() ? 'symlink' : st.isDirectory() ? 'directory' : st.isFile() ? 'file' : undefined;
    if (kind) out.push({ abs, kind });
    if (kind !== 'directory') continue;
    try {
      for (const name of fs.readdirSync(abs)) pending.push(path.join(abs, name));
    } catch (error) {
      unreadable.set(abs, `Directory cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
    }
  }
  const byPath = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  out.sort((a, b) => byPath(a.abs, b.abs));
  return {
    entries: out,
    snapshots: found.sort(byPath),
    unreadable: [...unreadable.entries()]
      .filter(([abs]) => listed.has(abs))
      .sort(([a], [b]) => byPath(a, b))
      .map(([abs, reason]) => ({ abs, reason })),
  };
}

/**
 * Matcher for `--ignore-pattern` globs, relative to the working directory
 * (ESLint's rule): a pattern matches a path or anything under it.
 */
export function ignorePatternMatcher(patterns: string[], cwd: string): (abs: string) => boolean {
  if (patterns.length === 0) return () => false;
  // The linear matcher of the configuration's globs (src/util/glob.ts): no backtracking, dot files matched.
  const match = pathGlob(patterns.flatMap((p) => [p, `${p.replace(/\/+$/, '')}/**`]));
  return (abs) => {
    const rel = path.relative(cwd, abs).split(path.sep).join('/');
    return rel !== '' && !rel.startsWith('../') && rel !== '..' && match(rel);
  };
}
