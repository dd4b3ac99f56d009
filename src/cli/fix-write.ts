/**
 * Writing what `--fix` changed: atomically, to the real file behind the path
 * (a symlink stays a symlink), keeping its byte order mark, permissions and
 * owner; the encoding is UTF-8, the only one hostlint reads. Line endings and
 * comments are kept because fixes only replace the ranges they name. A file
 * that changed on disk since it was read is left alone.
 */
import { accessSync, constants, readFileSync, realpathSync, statSync, type Stats } from 'node:fs';
import type { FixedFile } from '../engine/fix.js';
import { decode } from '../engine/read.js';
import { writeAtomically } from './output.js';

const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/**
 * Write one fixed file. `written` collects the real paths written so far: a
 * file reached under two names (a symlink and its target, both linted) is
 * written once.
 */
export function writeFixedFile(entry: FixedFile, written = new Set<string>()): void {
  const real = realpathSync(entry.file.absolutePath);
  if (written.has(real)) return;
  const st = statSync(real);
  if (!st.isFile()) throw new Error('not a regular file');
  refuseUnsafeRewrite(st, real);
  const bytes = readFileSync(real);
  const now = decode(bytes);
  if (!now.ok || now.text !== entry.original) throw new Error('it changed on disk while hostlint ran; not overwritten');
  const hasBom = bytes.subarray(0, 3).equals(BOM);
  const body = Buffer.from(entry.output, 'utf8');
  writeAtomically(real, hasBom ? Buffer.concat([BOM, body]) : body, { mode: st.mode & 0o7777, owner: { uid: st.uid, gid: st.gid } });
  written.add(real);
}

/**
 * `--fix` replaces a file with a new one (renamed over it): only when that
 * changes nothing but the content. Refused: a file without write permission
 * (mode 0444, also for root), one the user could not write in place, one
 * owned by another user or group when hostlint cannot give the new file the
 * same owner (not root), and one with other hard links (they would keep the
 * old content).
 */
export function refuseUnsafeRewrite(st: Stats, file: string): void {
  if ((st.mode & 0o222) === 0) throw new Error(`it is read-only (mode ${(st.mode & 0o7777).toString(8).padStart(4, '0')}); not rewritten`);
  try {
    accessSync(file, constants.W_OK);
  } catch {
    throw new Error('you cannot write it in place; not rewritten');
  }
  const uid = process.getuid?.();
  if (uid !== undefined && uid !== 0) {
    const groups = process.getgroups?.() ?? [];
    if (st.uid !== uid) throw new Error(`it is owned by another user (uid ${st.uid}); rewriting it would change its owner; not rewritten`);
    if (st.gid !== process.getgid?.() && !groups.includes(st.gid)) throw new Error(`its group (gid ${st.gid}) is not one of yours; rewriting it would change its group; not rewritten`);
  }
  if (st.nlink > 1) throw new Error(`it has ${st.nlink} hard links, which would keep the old content; not rewritten`);
}
