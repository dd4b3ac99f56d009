/**
 * Writing files atomically: a temporary file in the same directory, renamed
 * over the target, so readers see the whole file or none (the report file,
 * the baseline, and files rewritten by `--fix`).
 */
import { chmodSync, chownSync, closeSync, fsyncSync, openSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export interface WriteOptions {
  /** Permission bits for the new file (`--fix` keeps the original's). */
  mode?: number;
  /** Owner to restore, when allowed (`--fix` run as root keeps the original's). */
  owner?: { uid: number; gid: number };
}

export function writeAtomically(file: string, content: string | Uint8Array, options: WriteOptions = {}): void {
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${Date.now()}.tmp`);
  try {
    // Flushed before the rename: after a crash of the machine, too, the target
    // holds the old report or the whole new one.
    const fd = openSync(tmp, 'wx');
    try {
      writeFileSync(fd, content);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    if (options.mode !== undefined) chmodSync(tmp, options.mode);
    if (options.owner) {
      try {
        chownSync(tmp, options.owner.uid, options.owner.gid);
      } catch {
        // not allowed (not root): the file is ours, as a new file would be
      }
    }
    renameSync(tmp, file);
  } catch (error) {
    rmSync(tmp, { force: true });
    throw error;
  }
}
