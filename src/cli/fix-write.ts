/**
 * Writing what `--fix` changed: atomically, to the real file behind the path
 * (a symlink stays a symlink), keeping its byte order mark, permissions and
 * owner; the encoding is UTF-8, the only one hostlint reads. Line endings and
 * comments are kept because fixes only replace the ranges they name. A file
 * that changed on disk since it was read is left alone.
 */
import { readFileSync, realpathSync, statSync } from 'node:fs';
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
  const bytes = readFileSync(real);
  const now = decode(bytes);
  if (!now.ok || now.text !== entry.original) throw new Error('it changed on disk while hostlint ran; not overwritten');
  const hasBom = bytes.subarray(0, 3).equals(BOM);
  const body = Buffer.from(entry.output, 'utf8');
  writeAtomically(real, hasBom ? Buffer.concat([BOM, body]) : body, { mode: st.mode & 0o7777, owner: { uid: st.uid, gid: st.gid } });
  written.add(real);
}
