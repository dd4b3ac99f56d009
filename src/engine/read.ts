/**
 * Reading files: bytes → text, with a clear diagnostic for what is not text.
 */
import { closeSync, constants, fstatSync, openSync, readSync, type Stats } from 'node:fs';
import { VFile } from 'vfile';
import type { LanguageId, SourceFile } from '../types.js';

/**
 * Files larger than this are not read (a diagnostic names them); raise it with
 * `--max-file-size` or `maxFileSize` in the configuration. Memory grows with
 * the number of nodes a file holds (a YAML file of short keys takes about 150
 * times its size), so the default keeps the worst case well inside Node's heap;
 * real files are far smaller (the largest Calico manifest is about 350 KB).
 */
export const DEFAULT_MAX_FILE_BYTES = 8 * 1024 * 1024;

const SIZE_UNITS: Record<string, number> = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 };

/**
 * A size as `--max-file-size` and `maxFileSize` take it: a number of bytes, or
 * with a unit K, M or G (powers of 1024; `KiB`, `MB`, ... are accepted too).
 * Undefined when it is not a size of at least one byte.
 */
export function parseByteSize(value: string | number): number | undefined {
  if (typeof value === 'number') return Number.isSafeInteger(value) && value >= 1 ? value : undefined;
  const m = /^\s*(\d+)\s*(?:([kmg])(?:i?b)?)?\s*$/i.exec(value);
  if (!m) return undefined;
  const n = Number(m[1]) * SIZE_UNITS[(m[2] ?? '').toLowerCase()]!;
  return Number.isSafeInteger(n) && n >= 1 ? n : undefined;
}

/**
 * The message of a file over the size limit, saying how to raise it; without
 * a size for a stream (standard input), which is not read past the limit.
 */
export function overLimitReason(size: number | undefined, maxBytes: number): string {
  return `is ${size === undefined ? '' : `${size} bytes, `}over the ${maxBytes}-byte limit (raise it with --max-file-size or \`maxFileSize\` in .hostlint.yaml)`;
}

/** What a file that is neither a regular file nor a directory is, for diagnostics. */
export function specialFileKind(st: Pick<Stats, 'isFIFO' | 'isSocket' | 'isCharacterDevice' | 'isBlockDevice'>): string {
  if (st.isFIFO()) return 'a named pipe (FIFO)';
  if (st.isSocket()) return 'a socket';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  return 'a special file';
}

export type ReadBytes = { ok: true; bytes: Buffer } | { ok: false; reason: string };

/**
 * Read a regular file of at most `maxBytes` bytes (a larger one is refused
 * without being read), or only its first `head` bytes. The file is opened
 * non-blocking and checked on the open descriptor, so a FIFO never blocks the
 * run and a device (a copied `/dev/zero`) is never read; a file that grows
 * past the limit while it is read is refused too.
 */
export function readRegularFile(abs: string, maxBytes: number, options: { head?: number } = {}): ReadBytes {
  let fd: number;
  try {
    fd = openSync(abs, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOCTTY);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EISDIR') return { ok: false, reason: 'is a directory, not a file' };
    return { ok: false, reason: cannotRead(error) };
  }
  try {
    const st = fstatSync(fd);
    if (st.isDirectory()) return { ok: false, reason: 'is a directory, not a file' };
    if (!st.isFile()) return { ok: false, reason: `is ${specialFileKind(st)}, not a regular file` };
    const head = options.head;
    if (head === undefined && st.size > maxBytes) return { ok: false, reason: overLimitReason(st.size, maxBytes) };
    const limit = head ?? maxBytes;
    const chunks: Buffer[] = [];
    let total = 0;
    // Read up to one byte past the limit, to notice a file that grew.
    for (;;) {
      // Sized by the file (plus one byte, to notice growth): not 1 MiB per small file.
      // (a size of 0, as /proc and /sys report, reads 64 KiB at a time).
      const want = Math.min(limit + 1 - total, 1024 * 1024, st.size > 0 ? Math.max(st.size - total, 0) + 1 : 64 * 1024);
      if (want <= 0) break;
      const buf = Buffer.allocUnsafe(want);
      const n = readSync(fd, buf, 0, want, null);
      if (n === 0) break;
      chunks.push(n === want ? buf : buf.subarray(0, n));
      total += n;
      // The whole file as its size said, and not the byte past it asked for: at its end (a
      // regular file's read is short only there), without a read to see it return nothing.
      if (st.size > 0 && total === st.size && n < want) break;
    }
    const bytes = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, total);
    if (head !== undefined) return { ok: true, bytes: bytes.subarray(0, head) };
    if (total > maxBytes) return { ok: false, reason: `is over the ${maxBytes}-byte limit (it grew while it was read)` };
    return { ok: true, bytes };
  } catch (error) {
    return { ok: false, reason: cannotRead(error) };
  } finally {
    closeSync(fd);
  }
}

/**
 * Read a stream (standard input) chunk by chunk, keeping at most `maxBytes`
 * bytes: at the first chunk past the limit it stops reading (and the stream
 * is closed), so an endless or 700 MB stream costs the limit, not its size.
 */
export async function readStreamBounded(chunks: AsyncIterable<Uint8Array | string> | Iterable<Uint8Array | string>, maxBytes: number): Promise<ReadBytes> {
  const kept: Buffer[] = [];
  let total = 0;
  try {
    for await (const chunk of chunks) {
      const buf = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
      total += buf.length;
      if (total > maxBytes) return { ok: false, reason: overLimitReason(undefined, maxBytes) };
      kept.push(buf);
    }
  } catch (error) {
    return { ok: false, reason: cannotRead(error) };
  }
  return { ok: true, bytes: Buffer.concat(kept, total) };
}

const ERRNO_TEXT: Record<string, string> = {
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EIO: 'input/output error',
  ELOOP: 'too many levels of symbolic links',
  ENOENT: 'no such file',
  ENOTDIR: 'a path component is not a directory',
  ENAMETOOLONG: 'file name too long',
  EMFILE: 'too many open files',
};

/** `cannot be read (EACCES: permission denied)`: the code for searching, the words for reading. */
export function cannotRead(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (!code) return `cannot be read (${error instanceof Error ? error.message : String(error)})`;
  return `cannot be read (${code}${Object.hasOwn(ERRNO_TEXT, code) ? `: ${ERRNO_TEXT[code]}` : ''})`;
}

export type Decoded = { ok: true; text: string } | { ok: false; reason: string };

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** Decode bytes as UTF-8 text; refuse binary data, UTF-16 and invalid UTF-8. */
export function decode(bytes: Uint8Array): Decoded {
  if (bytes.length >= 2 && ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff))) {
    return { ok: false, reason: 'is UTF-16 encoded; the tools that read it expect UTF-8 (or ASCII) text' };
  }
  const nul = bytes.indexOf(0);
  if (nul !== -1) return { ok: false, reason: `is a binary file (NUL byte at offset ${nul}), not text` };
  try {
    let text = utf8.decode(bytes);
    if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    return { ok: true, text };
  } catch {
    return { ok: false, reason: `is not valid UTF-8 (first bad byte at offset ${firstInvalidUtf8(bytes)})` };
  }
}

function firstInvalidUtf8(b: Uint8Array): number {
  let i = 0;
  while (i < b.length) {
    const c = b[i]!;
    const n = c < 0x80 ? 0 : c >= 0xc2 && c <= 0xdf ? 1 : c >= 0xe0 && c <= 0xef ? 2 : c >= 0xf0 && c <= 0xf4 ? 3 : -1;
    if (n < 0) return i;
    for (let k = 1; k <= n; k++) if (i + k >= b.length || (b[i + k]! & 0xc0) !== 0x80) return i;
    i += n + 1;
  }
  return i;
}

/** Build a SourceFile for text that was read. */
export function sourceFile(init: {
  path: string;
  absolutePath: string;
  hostPath?: string;
  language: LanguageId;
  text: string;
}): SourceFile {
  return {
    path: init.path,
    absolutePath: init.absolutePath,
    hostPath: init.hostPath,
    language: init.language,
    text: init.text,
    vfile: new VFile({ path: init.path, value: init.text }),
  };
}
