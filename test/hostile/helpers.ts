/**
 * Helpers of the bad-input suite: run the CLI (in-process, or as a real child
 * process of the built `bin/hostlint`) and look at what a user sees.
 */
import { spawnSync, type SpawnSyncOptions } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { runCli, type CliRun, type StdinInput } from '../helpers/cli.js';

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const BIN = path.join(REPO, 'bin', 'hostlint');

export const KERNEL_310 = 'facts:\n  kernel: 3.10.0-1160.el7.x86_64\n';
export const TW = 'net.ipv4.tcp_tw_recycle = 1\n';

/** One result as a user reads it in `--format json`. */
export interface Row {
  ruleId: string;
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  message: string;
}

export interface JsonRun extends CliRun {
  rows: Row[];
}

/** Run the CLI in-process with `--format json` and keep the results' user-visible fields. */
export async function lintJson(cwd: string, args: string[] = [], options: { stdin?: StdinInput } = {}): Promise<JsonRun> {
  const run = await runCli(['-f', 'json', ...args], { cwd, ...options });
  expectNoStackTrace(run.stderr);
  const rows = run.stdout === '' ? [] : (JSON.parse(run.stdout).results as Row[]).map(pick);
  return { ...run, rows };
}

export function pick(r: Row): Row {
  return { ruleId: r.ruleId, file: r.file, line: r.line, column: r.column, endLine: r.endLine, endColumn: r.endColumn, message: r.message };
}

/** A diagnostic at the start of a file (read errors have no better position). */
export function atStart(ruleId: string, file: string, message: string): Row {
  return { ruleId, file, line: 1, column: 1, endLine: 1, endColumn: 1, message };
}

/** No JavaScript stack trace reaches the user (`    at fn (file:1:2)` lines). */
export function expectNoStackTrace(text: string): void {
  expect(text).not.toMatch(/^\s+at .+[(:]\d+/m);
  expect(text).not.toMatch(/\b(TypeError|RangeError|ReferenceError|SyntaxError):/);
}

/** Whether the built CLI exists (`npm test` builds it first). */
export function built(): boolean {
  return existsSync(path.join(REPO, 'dist', 'src', 'cli', 'main.js'));
}

/** Whether `nobody` (uid 65534) can read the built CLI here (its checkout may lie in a folder only root can enter). */
export function canRunAsNobody(): boolean {
  const probe = spawnSync(process.execPath, ['-e', 'require("fs").accessSync(process.argv[1], require("fs").constants.R_OK)', BIN], { uid: 65534, gid: 65534 });
  return probe.status === 0;
}

/** Run the built CLI as a child process. */
export function spawnCli(args: string[], options: SpawnSyncOptions & { nodeArgs?: string[] } = {}) {
  const { nodeArgs = [], ...rest } = options;
  const r = spawnSync(process.execPath, [...nodeArgs, BIN, ...args], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, ...rest, env: { ...process.env, NO_COLOR: '1', ...(rest.env ?? {}) } });
  return { code: r.status, signal: r.signal, stdout: String(r.stdout ?? ''), stderr: String(r.stderr ?? ''), error: r.error };
}

/**
 * A scratch directory for big inputs: on tmpfs when there is one (creating
 * 100,000 files there takes seconds, not minutes), else the system temp dir.
 */
export function scratchDir(prefix: string): string {
  // Inside the run's tmpfs root when test/setup/temp-root.ts made one (removed at the end of the run).
  const shm = process.env.HOSTLINT_TEST_SHM ?? '/dev/shm';
  if (existsSync(shm)) {
    try {
      return mkdtempSync(path.join(shm, `hostlint-${prefix}-`));
    } catch {
      // not writable: the system temp dir
    }
  }
  return mkdtempSync(path.join(tmpdir(), `hostlint-${prefix}-`));
}
