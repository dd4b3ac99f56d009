/**
 * Host snapshots on disk: a directory holding copies of a host's files at
 * their absolute paths. Paths and symlinks resolve inside the snapshot the way
 * they would on the host (`/etc/x` means `<snapshot>/etc/x`, `..` stops at the
 * snapshot root); the machine running hostlint is never read through them.
 */
import { lstatSync, readdirSync, readlinkSync, statSync, type Stats } from 'node:fs';
import path from 'node:path';
import { SNAPSHOT_MARKERS, SNAPSHOT_PATTERNS } from './classify.js';
import { cannotRead, readRegularFile, specialFileKind } from './read.js';

/** What one path component of a snapshot is, for `resolveHostPath`. */
export type PathEntry<T> =
  | { type: 'missing' }
  | { type: 'error'; reason: string }
  | { type: 'symlink'; target: string }
  | { type: 'directory' | 'other'; data: T };

/**
 * Resolve a host path inside a snapshot (a directory or an archive) component
 * by component, as the host's kernel would with the snapshot as its root:
 * `..` at the root stays at the root, symlinks are followed inside the
 * snapshot (absolute targets from its root, at most 40 hops), a symlink to
 * /dev/null is a masked file, and a non-directory in the middle of the path
 * means the path does not exist. `entry(components)` describes the entry at
 * those components; `found(components, data)` makes the result for the last
 * one (`data` undefined: the root itself).
 */
export function resolveHostPath<T>(hostPath: string, entry: (components: readonly string[]) => PathEntry<T>, found: (components: readonly string[], data: T | undefined) => Resolved): Resolved {
  let pending = hostPath.split('/');
  let next = 0; // pending[next] is the component to resolve now
  const current: string[] = [];
  let hops = 0;
  while (next < pending.length) {
    const part = pending[next++]!;
    if (part === '' || part === '.') continue;
    if (part === '..') {
      current.pop(); // at the root, `..` is the root, as on the host
      continue;
    }
    current.push(part);
    const e = entry(current);
    if (e.type === 'missing') return { ok: false, missing: true };
    if (e.type === 'error') return { ok: false, missing: false, reason: e.reason };
    if (e.type === 'symlink') {
      if (++hops > 40) return { ok: false, missing: false, reason: 'is a symlink loop (more than 40 links)' };
      if (e.target === '/dev/null') return { ok: false, missing: false, reason: 'is masked (a symlink to /dev/null)' };
      current.pop();
      pending = [...e.target.split('/'), ...pending.slice(next)];
      next = 0;
      if (e.target.startsWith('/')) current.length = 0;
      continue;
    }
    let more = false; // whether a component follows (`.` and `..` count)
    for (let i = next; i < pending.length && !more; i++) more = pending[i] !== '';
    if (more && e.type !== 'directory') return { ok: false, missing: true };
    if (!more) return found(current, e.data);
  }
  return found([], undefined);
}

export type Resolved =
  /** `size` undefined: not known until the file is read (the read refuses a file over the limit). */
  | { ok: true; absolute: string; hostPath: string; isDirectory: boolean; size?: number }
  | { ok: false; missing: true }
  | { ok: false; missing: false; reason: string };

export type ReadResult = { ok: true; bytes: Buffer; size: number } | { ok: false; missing: boolean; reason: string };

/**
 * A snapshot's files, wherever they are kept (a directory, an archive): the
 * loader reads a host through this and does not care which form it has.
 * Every path is a host path (`/etc/sysctl.conf`); links resolve inside.
 */
export interface Snapshot {
  /** The host's name: the directory's name, or the archive's name without its suffix. */
  readonly name: string;
  /** Absolute path of the snapshot directory or of the archive file (configuration globs match it). */
  readonly root: string;
  /** What the snapshot is, for summaries. */
  readonly form: 'directory' | 'sosreport' | 'archive';
  /** Path shown to users for a host path, relative to `cwd` (`fleet/db02.tgz!/sosreport-db02/etc/sysctl.conf`). */
  display(cwd: string, hostPath: string): string;
  resolve(hostPath: string): Resolved;
  list(hostDir: string): string[];
  /** The file's bytes; a file over `maxBytes` is not read (a ReadResult saying so). */
  read(hostPath: string, maxBytes?: number): ReadResult;
  exists(hostPath: string): boolean;
  /** Host paths of the files hostlint reads in this snapshot. */
  listReadable(): string[];
  /** The marker paths (`/var/lib/kubelet`, ...) that exist. */
  markers(): Set<string>;
}

/** SNAPSHOT_PATTERNS split into components (`*` is one path segment). */
const PATTERN_PARTS: ReadonlyArray<readonly string[]> = SNAPSHOT_PATTERNS.map((pattern) => pattern.split('/'));

/** Host paths matching SNAPSHOT_PATTERNS that exist in `snap` (`*` is one path segment). */
export function listReadable(snap: Pick<Snapshot, 'list' | 'resolve'>): string[] {
  // Present: readable, or there but unreadable (a loop, a FIFO), which the loader names.
  const present = (hostPath: string) => {
    const r = snap.resolve(hostPath);
    return r.ok || !r.missing;
  };
  const out: string[] = [];
  const expand = (parts: readonly string[], i: number, prefix: string): void => {
    if (i === parts.length) {
      out.push(prefix);
      return;
    }
    const head = parts[i]!;
    if (head === '*') {
      for (const name of snap.list(prefix || '/')) expand(parts, i + 1, `${prefix}/${name}`);
    } else if (i + 1 < parts.length || present(`${prefix}/${head}`)) {
      expand(parts, i + 1, `${prefix}/${head}`);
    }
  };
  for (const parts of PATTERN_PARTS) expand(parts, 0, '');
  return [...new Set(out)];
}

/** What a directory listing says an entry is. */
type EntryKind = 'symlink' | 'directory' | 'file' | 'special';

/**
 * Host directories a snapshot is listed in rather than probed entry by entry:
 * those with a `*` pattern, and those where three or more of the paths
 * hostlint looks for (SNAPSHOT_PATTERNS, SNAPSHOT_MARKERS) are (`/`, `/etc`,
 * `/sos_commands/networking`...). One directory read then answers what would
 * be an lstat each, and most of those paths do not exist.
 */
const DENSE_DIRECTORIES: ReadonlySet<string> = (() => {
  const children = new Map<string, Set<string>>();
  for (const pattern of [...SNAPSHOT_PATTERNS, ...SNAPSHOT_MARKERS]) {
    const parts = pattern.split('/').filter(Boolean);
    for (let i = 0; i < parts.length; i++) {
      const dir = `/${parts.slice(0, i).join('/')}`;
      if (parts.slice(0, i).includes('*')) break;
      let set = children.get(dir);
      if (!set) children.set(dir, (set = new Set()));
      set.add(parts[i]!);
    }
  }
  return new Set([...children].filter(([, names]) => names.has('*') || names.size >= 3).map(([dir]) => dir));
})();

/**
 * The host name of a snapshot named the way sos names its reports
 * (`sosreport-<host>-<date>-<id>`): the content of the report's `hostname`
 * file (a root link to `sos_commands/host/hostname`). Otherwise, and when that
 * file is missing, the snapshot's own name.
 */
export function sosHostName(snap: Pick<Snapshot, 'read'>, name: string): string {
  if (!/^sosreport-/i.test(name)) return name;
  const r = snap.read('/hostname', 4096); // a name, never a whole big file
  if (!r.ok) return name;
  const host = r.bytes.toString('utf8').split(/\r?\n/)[0]!.trim();
  return /^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(host) ? host : name;
}

/** The SNAPSHOT_MARKERS that exist in `snap`. */
export function markersOf(snap: Pick<Snapshot, 'exists'>): Set<string> {
  return new Set(SNAPSHOT_MARKERS.filter((m) => snap.exists(m)));
}

/** A directory is a snapshot when it holds `etc/` and one of `proc/`, `sys/`, `sos_commands/`. */
export function isSnapshotDir(dir: string): boolean {
  return isDir(path.join(dir, 'etc')) && ['proc', 'sys', 'sos_commands'].some((d) => isDir(path.join(dir, d)));
}

function isDir(p: string): boolean {
  try {
    // A missing entry is the common case (a sosreport has no proc/): no exception made for it.
    return statSync(p, { throwIfNoEntry: false })?.isDirectory() ?? false;
  } catch {
    return false;
  }
}

/** Whether a relative path is empty or only `..` segments (the working directory is at or inside the root). */
function isUpOnly(rel: string): boolean {
  if (rel === '') return true;
  for (const part of rel.split('/')) if (part !== '..') return false;
  return true;
}

/** `/a/b`: absolute, no empty, `.` or `..` segment, no trailing slash (path.join leaves it as it is). */
function isPlainHostPath(hostPath: string): boolean {
  if (hostPath.length < 2 || hostPath.charCodeAt(0) !== 0x2f || hostPath.charCodeAt(hostPath.length - 1) === 0x2f) return false;
  for (let i = 0; i < hostPath.length - 1; i++) {
    if (hostPath.charCodeAt(i) !== 0x2f) continue;
    const next = hostPath.charCodeAt(i + 1);
    if (next === 0x2f) return false;
    if (next === 0x2e && (i + 2 === hostPath.length || hostPath.charCodeAt(i + 2) === 0x2f || (hostPath.charCodeAt(i + 2) === 0x2e && (i + 3 === hostPath.length || hostPath.charCodeAt(i + 3) === 0x2f)))) return false;
  }
  return true;
}

export class DirectorySnapshot implements Snapshot {
  constructor(
    /** Absolute path of the snapshot directory. */
    readonly root: string,
  ) {
    this.plainRoot = path.isAbsolute(root) && path.resolve(root) === root && root !== path.sep && path.sep === '/';
  }

  get name(): string {
    return (this.hostName ??= sosHostName(this, path.basename(this.root)));
  }

  private hostName: string | undefined;

  get form(): 'directory' | 'sosreport' {
    if (this.kind === undefined) {
      // The root's listing (read for the paths looked up) says it without a stat, unless sos_commands is a link.
      const listing = this.entriesOf('');
      const entry = listing?.get('sos_commands');
      this.kind = entry === 'directory' || ((entry === 'symlink' || !listing) && isDir(path.join(this.root, 'sos_commands'))) ? 'sosreport' : 'directory';
    }
    return this.kind;
  }

  private kind: 'directory' | 'sosreport' | undefined;

  display(cwd: string, hostPath: string): string {
    // A plain host path (`/etc/sysctl.d/x.conf`) under a root the working directory is not in:
    // the root's relative path and the host path, as path.relative would give them (it is
    // asked once per file of every host).
    if (cwd !== this.displayCwd) {
      this.displayCwd = cwd;
      const base = path.relative(cwd, this.root);
      this.displayBase = this.plainRoot && path.isAbsolute(cwd) && !isUpOnly(base) ? base : undefined;
    }
    if (this.displayBase !== undefined && isPlainHostPath(hostPath)) return `${this.displayBase}${hostPath}`;
    const rel = path.relative(cwd, path.join(this.root, hostPath));
    return (rel === '' ? '.' : rel).split(path.sep).join('/');
  }

  private displayCwd: string | undefined;
  /** path.relative(displayCwd, root) where a plain host path can be appended to it, else undefined. */
  private displayBase: string | undefined;

  private readonly resolved = new Map<string, Resolved>();
  private readonly listed = new Map<string, string[]>();

  /** Resolve a host path component by component, following symlinks inside the snapshot. */
  resolve(hostPath: string): Resolved {
    let r = this.resolved.get(hostPath);
    if (r === undefined) {
      r = this.resolveUncached(hostPath);
      this.resolved.set(hostPath, r);
    }
    return r;
  }

  private resolveUncached(hostPath: string): Resolved {
    return resolveHostPath<{ abs: string; kind?: EntryKind }>(
      hostPath,
      (components) => {
        // Host paths share their leading components: each is looked at once.
        const rel = components.join('/');
        let e = this.pathEntries.get(rel);
        if (e === undefined) {
          e = this.entryOf(components, rel);
          this.pathEntries.set(rel, e);
        }
        return e;
      },
      (components, data) => {
        if (data === undefined) return { ok: true, absolute: this.root, hostPath: '/', isDirectory: true, size: 0 };
        // `root/a/b` is what path.join gives for a normalised root other than `/` (components are names).
        const absolute = this.plainRoot ? data.abs : path.join(this.root, ...components);
        const hostPath = `/${components.join('/')}`;
        // A directory or regular file its directory's listing named: its size is checked when it is read.
        if (data.kind === 'directory' || data.kind === 'file') return { ok: true, absolute, hostPath, isDirectory: data.kind === 'directory' };
        const st = this.lstat(data.abs);
        if (typeof st === 'string') return st === 'ENOENT' || st === 'ENOTDIR' ? { ok: false, missing: true } : { ok: false, missing: false, reason: cannotRead({ code: st }) };
        // A FIFO would block the read forever, a device (a copied /dev/zero) never end it.
        if (!st.isDirectory() && !st.isFile()) return { ok: false, missing: false, reason: `is ${specialFileKind(st)}, not a regular file` };
        return { ok: true, absolute, hostPath, isDirectory: st.isDirectory(), size: st.size };
      },
    );
  }

  /** What the entry at `components` (joined: `rel`) is. */
  private entryOf(components: readonly string[], rel: string): PathEntry<{ abs: string; kind?: EntryKind }> {
    const abs = `${this.root}/${rel}`;
    // What a directory's listing says of its entries, without a system call per
    // path looked up: for the directories hostlint looks into most (DENSE), and any
    // already listed for a `*` pattern.
    const slash = rel.lastIndexOf('/');
    const parent = slash === -1 ? '' : `/${rel.slice(0, slash)}`;
    const listing = DENSE_DIRECTORIES.has(parent || '/') || this.entries.has(parent) ? this.entriesOf(parent) : undefined;
    if (listing) {
      const kind = listing.get(components[components.length - 1]!);
      if (kind === undefined) return { type: 'missing' };
      if (kind === 'symlink') return { type: 'symlink', target: this.readlink(abs) };
      return { type: kind === 'directory' ? 'directory' : 'other', data: { abs, kind } };
    }
    // Else (and where a directory cannot be listed: search permission only), each entry on its own.
    const st = this.lstat(abs);
    if (typeof st === 'string') return st === 'ENOENT' || st === 'ENOTDIR' ? { type: 'missing' } : { type: 'error', reason: cannotRead({ code: st }) };
    if (st.isSymbolicLink()) return { type: 'symlink', target: this.readlink(abs) };
    return { type: st.isDirectory() ? 'directory' : 'other', data: { abs } };
  }

  /** Components joined with `/` → what the entry is (a component may hold no `/`, so the key is exact). */
  private readonly pathEntries = new Map<string, PathEntry<{ abs: string; kind?: EntryKind }>>();
  /** The root is absolute, normalised and not `/`: `${root}/${rel}` is path.join(root, rel). */
  private readonly plainRoot: boolean;

  // One readdir, lstat and readlink per path: the many host paths looked up
  // share their directories, and the snapshot does not change while it is read.
  private readonly stats = new Map<string, Stats | string>();
  private readonly links = new Map<string, string>();
  /** Host directory ('' for the root) → its entries' names and kinds; null: it cannot be listed. */
  private readonly entries = new Map<string, Map<string, EntryKind> | null>();

  private entriesOf(hostDir: string): Map<string, EntryKind> | undefined {
    let listing = this.entries.get(hostDir);
    if (listing === undefined) {
      try {
        listing = new Map();
        // Node gives each entry's type from the directory itself (an lstat only where the file system does not say).
        for (const d of readdirSync(`${this.root}${hostDir}`, { withFileTypes: true })) {
          listing.set(d.name, d.isSymbolicLink() ? 'symlink' : d.isDirectory() ? 'directory' : d.isFile() ? 'file' : 'special');
        }
      } catch {
        listing = null;
      }
      this.entries.set(hostDir, listing);
    }
    return listing ?? undefined;
  }

  private lstat(abs: string): Stats | string {
    let st = this.stats.get(abs);
    if (st === undefined) {
      try {
        // A missing path is the common case (most patterns match nothing): no exception for it.
        st = lstatSync(abs, { throwIfNoEntry: false }) ?? 'ENOENT';
      } catch (error) {
        st = (error as NodeJS.ErrnoException).code ?? 'EIO';
      }
      this.stats.set(abs, st);
    }
    return st;
  }

  private readlink(abs: string): string {
    let t = this.links.get(abs);
    if (t === undefined) {
      t = readlinkSync(abs);
      this.links.set(abs, t);
    }
    return t;
  }

  exists(hostPath: string): boolean {
    return this.resolve(hostPath).ok;
  }

  /** Names in a host directory (empty when it does not exist). */
  list(hostDir: string): string[] {
    const r = this.resolve(hostDir);
    if (!r.ok || !r.isDirectory) return [];
    let names = this.listed.get(r.absolute);
    if (names === undefined) {
      names = [...(this.entriesOf(r.hostPath === '/' ? '' : r.hostPath)?.keys() ?? [])].sort();
      this.listed.set(r.absolute, names);
    }
    return [...names];
  }

  read(hostPath: string, maxBytes = Number.MAX_SAFE_INTEGER): ReadResult {
    const r = this.resolve(hostPath);
    if (!r.ok) return { ok: false, missing: r.missing, reason: r.missing ? 'does not exist' : r.reason };
    if (r.isDirectory) return { ok: false, missing: false, reason: 'is a directory, not a file' };
    // Never more than asked for, and never a FIFO or device that took the file's place.
    const read = readRegularFile(r.absolute, maxBytes);
    if (!read.ok) return { ok: false, missing: false, reason: read.reason };
    return { ok: true, bytes: read.bytes, size: read.bytes.length };
  }

  /** Host paths of the files hostlint reads in this snapshot. */
  listReadable(): string[] {
    return listReadable(this);
  }

  /** The marker paths (`/var/lib/kubelet`, ...) that exist. */
  markers(): Set<string> {
    return markersOf(this);
  }
}
