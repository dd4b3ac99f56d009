/**
 * What the command line talks to (standard streams, working directory,
 * environment), and how it words a failed write: shared by `lint`, `audit`
 * and `merge` (src/cli/main.ts, audit.ts, merge.ts).
 */
import { OutputError } from './output.js';

export interface Io {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  stdin: () => Promise<string>;
  /** Standard input as a stream of chunks (`lint --stdin` stops reading at the size limit); else `stdin` is read whole. */
  stdinStream?: () => AsyncIterable<Uint8Array> | Iterable<Uint8Array>;
  cwd: string;
  isTTY: boolean;
  /** Whether standard error is a terminal (the audit's progress indicator); false when absent. */
  stderrIsTTY?: boolean;
  /** The terminal's width (stdout's columns), when stdout is a terminal: stylish wraps long messages to it. */
  columns?: number;
  env: NodeJS.ProcessEnv;
  /** Standard error without the escaping `main` adds (the audit's progress line writes its own control sequences). */
  rawStderr?: (s: string) => void;
}

/** Why a file could not be written: the error code, and what it means for the paths hostlint refuses. */
export function writeErrorText(error: unknown): string {
  if (error instanceof OutputError) return error.message ? `${error.code} (${error.message})` : error.code;
  return (error as NodeJS.ErrnoException).code ?? (error as Error).message;
}
