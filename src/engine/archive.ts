/**
 * Host snapshots kept as archives: `.tar.gz`, `.tgz`, `.tar.xz`, `.txz` of a
 * snapshot directory (collector output, a packed sosreport). They are read in
 * process, as a stream, never extracted to disk: gzip through node:zlib, xz
 * through `xz-decompress` (WebAssembly, no native code), tar through
 * `tar-stream`. Only the members hostlint reads are kept in memory (plus the
 * names, types and link targets of all members, to resolve paths).
 *
 * The snapshot root is the archive's top when it holds `etc/` and one of
 * `proc/`, `sys/`, `sos_commands/`, else its single top-level folder when
 * that does (`sosreport-db02-2024-05-01-xyz/`). Members named with `..` or an
 * absolute path, and hard links to such names, are refused with a diagnostic
 * and never read. Symbolic links resolve inside the snapshot exactly as in a
 * directory snapshot (`/etc/x` means `<snapshot>/etc/x`, `..` stops at the
 * snapshot root): nothing outside the archive is ever read through them.
 */
import { createReadStream } from 'node:fs';
import path from 'node:path';
import type { Readable, Transform } from 'node:stream';
import { SNAPSHOT_PATTERNS } from './classify.js';
import { listReadable, markersOf, resolveHostPath, sosHostName, type ReadResult, type Resolved, type Snapshot } from './snapshot.js';

/** File name endings of the archives hostlint reads as snapshots. */
export const ARCHIVE_SUFFIXES = ['.tar.gz', '.tgz', '.tar.xz', '.txz'] as const;

export function archiveSuffix(name: string): string | undefined {
  const lower = name.toLowerCase();
  return ARCHIVE_SUFFIXES.find((s) => lower.endsWith(s) && lower.length > s.length);
}

export function isArchiveName(name: string): boolean {
  return archiveSuffix(name) !== undefined;
}

/** The separator between an archive's path and a member's path in what users see. */
export const MEMBER_SEPARATOR = '!/';

interface Entry {
  type: 'file' | 'directory' | 'symlink' | 'other';
  size: number;
  /** Symlink target as written. */
  target?: string;
  /** Hard links: the normalised name of the member they stand for. */
  hardlink?: string;
  /** Regular files: the member that holds the bytes (a hard link's entry is its target's). */
  member?: string;
  content?: Buffer;
}

/** At most this many members are indexed; an archive with more is refused (memory is bounded by count as well as bytes). */
export const MAX_ARCHIVE_MEMBERS = 100_000;

/** A member the archive holds that was refused, with the reason. */
export interface RefusedMember {
  member: string;
  reason: string;
  /** A second copy of a name (not a path leaving the snapshot). */
  duplicate?: boolean;
}

export type OpenedArchive =
  | { ok: true; snapshot: ArchiveSnapshot; refused: RefusedMember[] }
  | { ok: false; notSnapshot: true; reason: string }
  | { ok: false; notSnapshot: false; reason: string };

export interface OpenArchiveOptions {
  /** Members larger than this are not kept (the loader reports them like an oversized file). */
  maxFileBytes: number;
  /**
   * The most tar bytes the archive may inflate to (a decompression bomb is
   * refused once it passes this). Default: INFLATE_FACTOR × `maxFileBytes`.
   */
  maxInflatedBytes?: number;
  /** The most members indexed (default MAX_ARCHIVE_MEMBERS). */
  maxMembers?: number;
}

function tooManyReason(max: number): string {
  return `has more than ${max} members: refused (memory is bounded by members as well as bytes)`;
}

/** The inflated-size limit of an archive, as a multiple of the file size limit (8 MiB → 1 GiB). */
export const INFLATE_FACTOR = 128;

/** The archive inflates past its limit: reading stops there. */
class InflateLimitError extends Error {}

function inflateLimitReason(limit: number): string {
  return `inflates to more than ${limit} bytes (${INFLATE_FACTOR} × the file size limit; raise it with --max-file-size or \`maxFileSize\` in .hostlint.yaml): refused as a possible decompression bomb`;
}

/** Patterns of the members kept in memory, relative to a snapshot root. */
const KEEP = new RegExp(
  `^(?:${['hostname', 'sos_commands/host/hostname', ...SNAPSHOT_PATTERNS.map((p) => p.split('/').map((seg) => (seg === '*' ? '[^/]+' : seg.replace(/[.+^${}()|[\]\\-]/g, '\\$&'))).join('/')), 'proc/sys/.+'].join('|')})$`,
);

/**
 * Normalise a member name: drop `./` segments and a trailing `/`. Undefined
 * (with a reason) for names that would leave the archive.
 */
function normalizeMember(name: string): { ok: true; name: string } | { ok: false; reason: string } {
  if (name.startsWith('/')) return { ok: false, reason: 'has an absolute path' };
  if (/^[A-Za-z]:[\\/]/.test(name)) return { ok: false, reason: 'has an absolute path' };
  const parts = name.split('/').filter((p) => p !== '' && p !== '.');
  if (parts.some((p) => p === '..')) return { ok: false, reason: 'has a `..` path segment' };
  return { ok: true, name: parts.join('/') };
}

/** Open an archive and index it; never throws for bad input. */
export async function openArchive(file: string, options: OpenArchiveOptions): Promise<OpenedArchive> {
  const first = await scan(file, options, () => false);
  if (!first.ok) return { ok: false, notSnapshot: false, reason: first.reason };
  const { entries, refused } = first;
  const prefix = snapshotPrefix(entries);
  if (prefix === undefined) {
    return { ok: false, notSnapshot: true, reason: 'holds no host snapshot (`etc/` and one of `proc/`, `sys/`, `sos_commands/` at its top or in its only top-level folder)' };
  }
  const snapshot = new ArchiveSnapshot(file, prefix, entries);
  // Links may point at members the first pass did not keep (`/etc/resolv.conf`
  // → `/run/NetworkManager/resolv.conf`): read those in a second pass.
  const wanted = new Set<string>();
  for (const hostPath of snapshot.listReadable()) {
    const r = snapshot.resolve(hostPath);
    if (!r.ok || r.isDirectory) continue;
    const member = snapshot.memberOf(r.hostPath);
    const e = entries.get(member);
    // A hard link's bytes are in the member it links to (GNU tar stores the first name as the file).
    if (e && e.type === 'file' && e.content === undefined && e.size <= options.maxFileBytes) wanted.add(e.member ?? member);
  }
  if (wanted.size > 0) {
    const second = await scan(file, options, (member) => wanted.has(member));
    if (!second.ok) return { ok: false, notSnapshot: false, reason: second.reason };
    for (const member of wanted) {
      const e = second.entries.get(member);
      if (e?.content) entries.get(member)!.content = e.content;
    }
  }
  return { ok: true, snapshot, refused };
}

type Scan = { ok: true; entries: Map<string, Entry>; refused: RefusedMember[] } | { ok: false; reason: string };

/**
 * One pass over the archive: every member's name, type and size; the content
 * of members hostlint reads (under either possible root) or that `extra` asks for.
 */
async function scan(file: string, options: OpenArchiveOptions, extra: (member: string) => boolean): Promise<Scan> {
  const libs = await archiveLibraries();
  const { Transform, pipeline, tar } = libs;
  const entries = new Map<string, Entry>();
  const refused: RefusedMember[] = [];
  const keep = (member: string) => {
    if (extra(member) || KEEP.test(member)) return true;
    const slash = member.indexOf('/');
    return slash > 0 && KEEP.test(member.slice(slash + 1));
  };
  const limit = options.maxInflatedBytes ?? INFLATE_FACTOR * options.maxFileBytes;
  let inflated = 0;
  let stop = false;
  let members = 0;
  const maxMembers = options.maxMembers ?? MAX_ARCHIVE_MEMBERS;
  let tooMany = false;
  /** Names seen twice: the first copy is kept (as GNU tar reads only the first of concatenated archives); each is reported. */
  const duplicates = new Set<string>();
  // Counts the tar bytes as they are inflated, and stops the stream past the limit.
  const counter = new Transform({
    transform(chunk: Buffer, _enc, callback) {
      inflated += chunk.length;
      if (stop || inflated > limit) callback(new InflateLimitError(inflateLimitReason(limit)));
      else callback(null, chunk);
    },
  });
  const extract = tar.extract();
  // Errors reach `pipeline`; this keeps a late one (after teardown) from being uncaught.
  extract.on('error', () => undefined);
  extract.on('entry', (header, stream, next) => {
    // When reading stops (a bomb, a corrupt archive), the open member's stream is
    // destroyed with the error that `pipeline` reports: it must not be uncaught.
    stream.on('error', () => undefined);
    // A member announcing more bytes than the limit leaves: stop now, not after inflating them.
    if ((header.size ?? 0) > limit - inflated) {
      stop = true; // the counter fails at its next chunk
      stream.resume();
      return;
    }
    const name = normalizeMember(header.name);
    const done = () => {
      stream.resume();
      stream.on('end', () => next());
    };
    if (!name.ok) {
      refused.push({ member: header.name, reason: name.reason });
      return done();
    }
    if (name.name === '') return done();
    if (++members > maxMembers) {
      tooMany = true;
      stop = true;
      return done();
    }
    const type = header.type;
    if (type === 'directory') {
      if (!entries.has(name.name)) entries.set(name.name, { type: 'directory', size: 0 });
      return done();
    }
    if (entries.has(name.name)) {
      // `cat bad.tgz benign.tgz`, or a member appended with `tar -r`: one name, two contents.
      if (!duplicates.has(name.name)) {
        duplicates.add(name.name);
        refused.push({ member: name.name, duplicate: true, reason: 'appears more than once in the archive (appended archives or members); the first copy is read, as GNU tar reads only the first of concatenated archives' });
      }
      return done();
    }
    if (type === 'symlink') {
      entries.set(name.name, { type: 'symlink', size: 0, target: header.linkname ?? '' });
      return done();
    }
    if (type === 'link') {
      const target = normalizeMember(header.linkname ?? '');
      if (!target.ok || target.name === '') {
        refused.push({ member: header.name, reason: `is a hard link to \`${header.linkname}\`, which ${target.ok ? 'is empty' : target.reason}` });
      } else entries.set(name.name, { type: 'file', size: 0, hardlink: target.name });
      return done();
    }
    if (type !== 'file' && type !== 'contiguous-file') {
      entries.set(name.name, { type: 'other', size: 0 });
      return done();
    }
    const size = header.size ?? 0;
    const entry: Entry = { type: 'file', size, member: name.name };
    entries.set(name.name, entry);
    if (size > options.maxFileBytes || !keep(name.name)) return done();
    const chunks: Buffer[] = [];
    stream.on('data', (c: unknown) => chunks.push(c as Buffer));
    stream.on('end', () => {
      entry.content = Buffer.concat(chunks);
      next();
    });
  });
  try {
    await pipeline([...decompressed(file, libs), counter, extract]);
  } catch (error) {
    if (tooMany) return { ok: false, reason: tooManyReason(maxMembers) };
    if (error instanceof InflateLimitError) return { ok: false, reason: error.message };
    return { ok: false, reason: `cannot be read as a ${describe(file)} (${errorText(error)})` };
  }
  if (tooMany) return { ok: false, reason: tooManyReason(maxMembers) };
  // Hard links share their target's entry.
  for (const [name, e] of entries) {
    if (!e.hardlink) continue;
    const target = entries.get(e.hardlink);
    if (target && target.type === 'file' && !target.hardlink) entries.set(name, target);
    else {
      entries.delete(name);
      refused.push({ member: name, reason: `is a hard link to \`${e.hardlink}\`, which is not a file of the archive` });
    }
  }
  return { ok: true, entries, refused };
}

function describe(file: string): string {
  const s = archiveSuffix(file);
  return s === '.tar.xz' || s === '.txz' ? 'xz-compressed tar archive' : 'gzip-compressed tar archive';
}

function errorText(error: unknown): string {
  const e = error as NodeJS.ErrnoException;
  return e?.code ?? (e instanceof Error ? e.message : String(error));
}

/**
 * Node's streams and zlib, tar-stream and xz-decompress: loaded with the first
 * archive, so that a run without one (a pre-commit hook) does not load them.
 */
async function archiveLibraries() {
  const [stream, promises, zlib, tarStream, xzDecompress] = await Promise.all([
    import('node:stream'),
    import('node:stream/promises'),
    import('node:zlib'),
    import('tar-stream'),
    import('xz-decompress'),
  ]);
  return { Readable: stream.Readable, Transform: stream.Transform, pipeline: promises.pipeline, createGunzip: zlib.createGunzip, tar: tarStream.default, xz: xzDecompress.default };
}

/** The streams that turn the archive file into tar bytes. */
function decompressed(file: string, { Readable, createGunzip, xz }: Awaited<ReturnType<typeof archiveLibraries>>): [Readable] | [Readable, Transform] {
  const raw = createReadStream(file);
  const s = archiveSuffix(file);
  if (s === '.tar.xz' || s === '.txz') {
    const web = new xz.XzReadableStream(Readable.toWeb(raw) as unknown as ReadableStream<Uint8Array>);
    return [Readable.fromWeb(web as unknown as import('node:stream/web').ReadableStream<Uint8Array>)];
  }
  return [raw, createGunzip()];
}

/** '' when the archive's top is a snapshot, `top/` for its only top-level folder, undefined otherwise. */
function snapshotPrefix(entries: Map<string, Entry>): string | undefined {
  const dirs = new Set<string>();
  for (const [name, e] of entries) {
    const parts = name.split('/');
    for (let i = 1; i < parts.length; i++) dirs.add(parts.slice(0, i).join('/'));
    if (e.type === 'directory') dirs.add(name);
  }
  const isSnapshotAt = (p: string) => dirs.has(`${p}etc`) && ['proc', 'sys', 'sos_commands'].some((d) => dirs.has(`${p}${d}`));
  if (isSnapshotAt('')) return '';
  const tops = new Set([...entries.keys()].map((n) => n.split('/')[0]!));
  if (tops.size === 1) {
    const top = [...tops][0]!;
    if (isSnapshotAt(`${top}/`)) return `${top}/`;
  }
  return undefined;
}

/** An opened archive snapshot: an in-memory index of its members. */
export class ArchiveSnapshot implements Snapshot {
  readonly form = 'archive' as const;
  private readonly archiveName: string;
  private hostName: string | undefined;
  private readonly children = new Map<string, string[]>();

  constructor(
    /** Absolute path of the archive file. */
    readonly root: string,
    /** The member folder that is the snapshot root (`''` or `sosreport-db02-.../`). */
    readonly prefix: string,
    private readonly entries: Map<string, Entry>,
  ) {
    const base = path.basename(root);
    this.archiveName = base.slice(0, base.length - (archiveSuffix(base)?.length ?? 0));
    const dirs = new Set<string>();
    for (const name of entries.keys()) {
      const parts = name.split('/');
      for (let i = 1; i <= parts.length; i++) {
        const parent = parts.slice(0, i - 1).join('/');
        const child = parts[i - 1]!;
        const key = `${parent}\0${child}`;
        if (dirs.has(key)) continue;
        dirs.add(key);
        const list = this.children.get(parent) ?? [];
        list.push(child);
        this.children.set(parent, list);
      }
    }
    for (const list of this.children.values()) list.sort();
  }

  get name(): string {
    return (this.hostName ??= sosHostName(this, this.archiveName));
  }

  /** The member name of a host path (`/etc/x` → `sosreport-db02/etc/x`). */
  memberOf(hostPath: string): string {
    return `${this.prefix}${hostPath.replace(/^\/+/, '')}`.replace(/\/$/, '');
  }

  display(cwd: string, hostPath: string): string {
    const rel = path.relative(cwd, this.root).split(path.sep).join('/') || path.basename(this.root);
    return `${rel}${MEMBER_SEPARATOR}${this.memberOf(hostPath)}`;
  }

  private kind(member: string): Entry['type'] | undefined {
    if (member === this.prefix.replace(/\/$/, '')) return 'directory';
    const e = this.entries.get(member);
    if (e) return e.type;
    return this.children.has(member) ? 'directory' : undefined;
  }

  resolve(hostPath: string): Resolved {
    return resolveHostPath<{ member: string; kind: Entry['type'] }>(
      hostPath,
      (components) => {
        const member = this.memberOf(`/${components.join('/')}`);
        const kind = this.kind(member);
        if (kind === undefined) return { type: 'missing' };
        if (kind === 'symlink') return { type: 'symlink', target: this.entries.get(member)!.target ?? '' };
        return { type: kind === 'directory' ? 'directory' : 'other', data: { member, kind } };
      },
      (components, found) => {
        if (!found) return { ok: true, absolute: `${this.root}${MEMBER_SEPARATOR}${this.prefix}`, hostPath: '/', isDirectory: true, size: 0 };
        if (found.kind === 'other') return { ok: false, missing: false, reason: 'is not a regular file' };
        const size = this.entries.get(found.member)?.size ?? 0;
        return { ok: true, absolute: `${this.root}${MEMBER_SEPARATOR}${found.member}`, hostPath: `/${components.join('/')}`, isDirectory: found.kind === 'directory', size };
      },
    );
  }

  exists(hostPath: string): boolean {
    return this.resolve(hostPath).ok;
  }

  list(hostDir: string): string[] {
    const r = this.resolve(hostDir);
    if (!r.ok || !r.isDirectory) return [];
    return [...(this.children.get(this.memberOf(r.hostPath)) ?? [])];
  }

  read(hostPath: string, maxBytes = Number.MAX_SAFE_INTEGER): ReadResult {
    const r = this.resolve(hostPath);
    if (!r.ok) return { ok: false, missing: r.missing, reason: r.missing ? 'does not exist' : r.reason };
    if (r.isDirectory) return { ok: false, missing: false, reason: 'is a directory, not a file' };
    const e = this.entries.get(this.memberOf(r.hostPath));
    if (!e?.content || e.content.length > maxBytes) return { ok: false, missing: false, reason: `is ${r.size} bytes, over the size limit` };
    return { ok: true, bytes: e.content, size: e.content.length };
  }

  listReadable(): string[] {
    return listReadable(this);
  }

  markers(): Set<string> {
    return markersOf(this);
  }
}
