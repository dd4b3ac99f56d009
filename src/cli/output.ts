/**
 * Writing files atomically: a temporary file in the same directory, renamed
 * over the target, so readers see the whole file or none (the report file,
 * the baseline, and files rewritten by `--fix`).
 */
import { chmodSync, chownSync, closeSync, constants, fstatSync, fsyncSync, lstatSync, openSync, readlinkSync, realpathSync, statSync, renameSync, rmSync, writeFileSync, type Stats } from 'node:fs';
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
      // The new file must have the original's owner, or the original stays:
      // `--fix` never hands a file to another user (a failure here leaves it as it was).
      const st = statSync(tmp);
      if (st.uid !== options.owner.uid || st.gid !== options.owner.gid) chownSync(tmp, options.owner.uid, options.owner.gid);
    }
    renameSync(tmp, file);
  } catch (error) {
    rmSync(tmp, { force: true });
    throw error;
  }
}

/**
 * Where a report or baseline goes (`-o`, `--write-baseline`, `audit -o`), as
 * shell redirection would treat the path, but never replacing what is not a
 * regular file:
 * - a new path or a regular file: a temporary file next to it, renamed over
 *   it at the end (complete or absent); the file's permission bits are kept;
 * - a symlink: followed (every level); its target is written as above, the
 *   link stays a link;
 * - a character device or FIFO (`/dev/stdout`, `/dev/null`, a named pipe):
 *   opened and written directly, never renamed over or removed;
 * - a directory, a block device or a socket: refused (EISDIR, ENOTSUP).
 * An interrupt (SIGINT, SIGTERM, SIGHUP) while a temporary file exists removes it.
 */
export interface OutputTarget {
  write(text: string): void;
  /** Finish: rename the temporary file over the target (or close the device). */
  commit(): void;
  /** Give up: remove the temporary file (a device is only closed). */
  abort(): void;
}

export class OutputError extends Error {
  constructor(readonly code: string, message: string) {
    super(message);
  }
}

/**
 * What is to be written: stat() follows every link (also /proc's magic links
 * such as /dev/stdout → /proc/self/fd/1 → pipe:[…]); a regular file is
 * replaced at its real path; a dangling link names the new file's path.
 */
function resolveTarget(file: string): { path: string; stat?: Stats } {
  const abs = path.resolve(file);
  let st: Stats | undefined;
  try {
    st = statSync(abs);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  if (st) return { path: st.isFile() ? realpathSync(abs) : abs, stat: st };
  // Missing: a new file, or the missing target of a (chain of) dangling link(s).
  let current = abs;
  for (let hops = 0; hops < 40; hops++) {
    let link: Stats;
    try {
      link = lstatSync(current);
    } catch {
      return { path: current };
    }
    if (!link.isSymbolicLink()) return { path: current };
    current = path.resolve(path.dirname(current), readlinkSync(current));
  }
  throw new OutputError('ELOOP', 'too many levels of symbolic links');
}

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/** How `file` would be written: directly (device, FIFO, /dev or /proc path) or by replacing `path`; throws OutputError when refused. */
export function outputPlan(file: string): { kind: 'direct' | 'replace'; path: string; stat?: Stats; fd?: number } {
  // As bash does for redirections: /dev/stdout, /dev/stderr and /dev/fd/N are
  // this process's descriptors (also a socket, which cannot be opened by path).
  const fdPath = /^\/(?:dev\/(stdout|stderr|fd\/(\d{1,9}))|proc\/self\/fd\/(\d{1,9}))$/.exec(path.resolve(file));
  if (fdPath) {
    const fd = fdPath[1] === 'stdout' ? 1 : fdPath[1] === 'stderr' ? 2 : Number(fdPath[2] ?? fdPath[3]);
    return { kind: 'direct', path: path.resolve(file), stat: fstatSync(fd), fd };
  }
  const { path: resolved, stat } = resolveTarget(file);
  if (stat?.isDirectory()) throw new OutputError('EISDIR', '');
  // A device or pipe, or a file reached through /dev or /proc (`-o /dev/stdout`
  // with stdout redirected to a file: the shell's open file, not a new one).
  if (stat && (stat.isCharacterDevice() || stat.isFIFO() || (stat.isFile() && /^\/(dev|proc)\//.test(path.resolve(file))))) return { kind: 'direct', path: resolved, stat };
  if (stat && !stat.isFile()) throw new OutputError('ENOTSUP', 'is neither a regular file, a character device nor a FIFO; not overwritten');
  return { kind: 'replace', path: resolved, ...(stat ? { stat } : {}) };
}

export function openOutput(file: string): OutputTarget {
  const { kind, path: target, stat, fd: ownFd } = outputPlan(file);
  if (kind === 'direct' && ownFd !== undefined) return { write: (text) => void writeFileSync(ownFd, text), commit: () => {}, abort: () => {} };
  if (kind === 'direct') {
    // As `> /dev/null` does: write to the device or pipe itself.
    const fd = openSync(target, constants.O_WRONLY | constants.O_APPEND);
    const check = fstatSync(fd);
    if (!check.isCharacterDevice() && !check.isFIFO() && !check.isFile()) {
      closeSync(fd);
      throw new OutputError('EAGAIN', 'changed while it was opened');
    }
    let open = true;
    const close = () => {
      if (open) closeSync(fd);
      open = false;
    };
    return { write: (text) => void writeFileSync(fd, text), commit: close, abort: close };
  }
  const tmp = path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}.${Date.now()}.tmp`);
  const fd = openSync(tmp, 'wx', stat ? stat.mode & 0o777 : 0o666);
  let done = false;
  const onSignal = (signal: NodeJS.Signals) => {
    cleanup();
    rmSync(tmp, { force: true });
    process.kill(process.pid, signal);
  };
  const cleanup = () => {
    if (done) return;
    done = true;
    for (const s of SIGNALS) process.removeListener(s, onSignal);
    closeSync(fd);
  };
  for (const s of SIGNALS) process.once(s, onSignal);
  return {
    write: (text) => void writeFileSync(fd, text),
    commit: () => {
      try {
        fsyncSync(fd);
        cleanup();
        if (stat) chmodSync(tmp, stat.mode & 0o7777);
        renameSync(tmp, target);
      } catch (error) {
        cleanup();
        rmSync(tmp, { force: true });
        throw error;
      }
    },
    abort: () => {
      cleanup();
      rmSync(tmp, { force: true });
    },
  };
}

/** Write a whole report or baseline to `file` (see openOutput). */
export function writeOutputFile(file: string, content: string): void {
  const out = openOutput(file);
  try {
    out.write(content);
  } catch (error) {
    out.abort();
    throw error;
  }
  out.commit();
}
