/**
 * Writing the report file atomically: a temporary file in the same directory,
 * renamed over the target, so readers see the whole report or none.
 */
import { renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export function writeAtomically(file: string, content: string): void {
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${Date.now()}.tmp`);
  try {
    writeFileSync(tmp, content, { flag: 'wx' });
    renameSync(tmp, file);
  } catch (error) {
    rmSync(tmp, { force: true });
    throw error;
  }
}
