/**
 * The errors the API throws for what the caller asked wrongly. The command
 * line maps each to exit code 2 with its message; anything else thrown is an
 * internal error.
 */
export { ConfigError } from '../config/load.js';

/** An option or a combination of options that cannot be honoured (the CLI's usage errors). */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** A file the caller asked hostlint to write (`writeBaseline`) could not be written. */
export class WriteError extends Error {
  constructor(
    /** The path as the caller gave it. */
    readonly file: string,
    /** The error code and, for the paths hostlint refuses, why (`EISDIR`, `ENOTSUP (…)`). */
    readonly reason: string,
  ) {
    super(`cannot write ${file}: ${reason}`);
    this.name = 'WriteError';
  }
}

/**
 * Nothing to lint: paths that do not exist, or directories under which
 * hostlint found nothing it reads (the CLI's exit 2 unless `--pass-on-no-files`).
 */
export class NothingToLintError extends Error {
  constructor(
    readonly missing: string[],
    readonly nothingUnder: string[],
  ) {
    super([...missing.map((m) => `no such file or directory: ${m}`), ...nothingUnder.map((a) => `nothing to lint under ${a}`)].join('; '));
    this.name = 'NothingToLintError';
  }
}
