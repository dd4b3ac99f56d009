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
export function resolveHostPath<T>(hostPath: string, entry: (components: string[]) => PathEntry<T>, found: (components: string[], data: T | undefined) => Resolved): Resolved {
  let pending = hostPath.split('/').filter(Boolean);
  let current: string[] = [];
  let hops = 0;
  while (pending.length > 0) {
    const part = pending.shift()!;
    if (part === '.') continue;
    if (part === '..') {
      current.pop(); // at the root, `..` is the root, as on the host
      continue;
    }
    const e = entry([...current, part]);
    if (e.type === 'missing') return { ok: false, missing: true };
    if (e.type === 'error') return { ok: false, missing: false, reason: e.reason };
    if (e.type === 'symlink') {
      if (++hops > 40) return { ok: false, missing: false, reason: 'is a symlink loop (more than 40 links)' };
      if (e.target === '/dev/null') return { ok: false, missing: false, reason: 'is masked (a symlink to /dev/null)' };
      pending = [...e.target.split('/').filter(Boolean), ...pending];
      if (e.target.startsWith('/')) current = [];
      continue;
    }
    current.push(part);
    if (pending.length > 0 && e.type !== 'directory') return { ok: false, missing: true };
    if (pending.length === 0) return found(current, e.data);
  }
  return found([], undefined);
}

export type Resolved =
  | { ok: true; absolute: string; hostPath: string; isDirectory: boolean; size: number }
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

/** Host paths matching SNAPSHOT_PATTERNS that exist in `snap` (`*` is one path segment). */
export function listReadable(snap: Pick<Snapshot, 'list' | 'resolve'>): string[] {
  // Present: readable, or there but unreadable (a loop, a FIFO), which the loader names.
  const present = (hostPath: string) => {
    const r = snap.resolve(hostPath);
    return r.ok || !r.missing;
  };
  const out: string[] = [];
  for (const pattern of SNAPSHOT_PATTERNS) {
    const parts = pattern.split('/');
    const expand = (prefix: string, rest: string[]): void => {
      if (rest.length === 0) {
        out.push(prefix);
        return;
      }
      const [head, ...tail] = rest;
      if (head === '*') {
        for (const name of snap.list(prefix || '/')) expand(`${prefix}/${name}`, tail);
      } else if (tail.length === 0 ? present(`${prefix}/${head}`) : true) {
        expand(`${prefix}/${head}`, tail);
      }
    };
    expand('', parts);
  }
  return [...new Set(out)];
}

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
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

export class DirectorySnapshot implements Snapshot {
  constructor(
    /** Absolute path of the snapshot directory. */
    readonly root: string,
  ) {}

  get name(): string {
    return (this.hostName ??= sosHostName(this, path.basename(this.root)));
  }

  private hostName: string | undefined;

  get form(): 'directory' | 'sosreport' {
    return isDir(path.join(this.root, 'sos_commands')) ? 'sosreport' : 'directory';
  }

  display(cwd: string, hostPath: string): string {
    const rel = path.relative(cwd, path.join(this.root, hostPath));
    return (rel === '' ? '.' : rel).split(path.sep).join('/');
  }

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
    return resolveHostPath<Stats>(
      hostPath,
      (components) => {
        const abs = path.join(this.root, ...components);
        const st = this.lstat(abs);
        if (typeof st === 'string') return st === 'ENOENT' || st === 'ENOTDIR' ? { type: 'missing' } : { type: 'error', reason: cannotRead({ code: st }) };
        if (st.isSymbolicLink()) return { type: 'symlink', target: this.readlink(abs) };
        return { type: st.isDirectory() ? 'directory' : 'other', data: st };
      },
      (components, st) => {
        if (!st) return { ok: true, absolute: this.root, hostPath: '/', isDirectory: true, size: 0 };
        // A FIFO would block the read forever, a device (a copied /dev/zero) never end it.
        if (!st.isDirectory() && !st.isFile()) return { ok: false, missing: false, reason: `is ${specialFileKind(st)}, not a regular file` };
        return { ok: true, absolute: path.join(this.root, ...components), hostPath: `/${components.join('/')}`, isDirectory: st.isDirectory(), size: st.size };
      },
    );
  }

  // One lstat, readlink and readdir per path: the many host paths looked up
  // share their directories, and the snapshot does not change while it is read.
  private readonly stats = new Map<string, Stats | string>();
  private readonly links = new Map<string, string>();

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
      try {
        names = readdirSync(r.absolute).sort();
      } catch {
        names = [];
      }
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
