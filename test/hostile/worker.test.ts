/**
 * Worker failure in a fleet audit: a worker thread that exits, throws outside
 * its task or hangs on one host costs that host an internal-error; the other
 * hosts' results are kept and the exit code is 2. The fault is simulated by
 * the worker's test hook (`HOSTLINT_TEST_WORKER_FAULT=crash|throw|hang:HOST`,
 * read from the environment only), in the built CLI run as a child process.
 */
import { describe, expect, it } from 'vitest';
import { writeTree } from '../helpers/lint.js';
import { built, expectNoStackTrace, pick, spawnCli, type Row } from './helpers.js';

const OSRELEASE_310 = '3.10.0-1160.el7.x86_64\n';

const TW = 'net.ipv4.tcp_tw_recycle = 1\n';

function fleet() {
  const files: Record<string, string> = {};
  for (const host of ['db01', 'db02', 'db03', 'db04']) {
    files[`fleet/${host}/etc/sysctl.conf`] = TW;
    files[`fleet/${host}/proc/sys/kernel/osrelease`] = OSRELEASE_310;
  }
  return writeTree(files);
}

function audit(fault: string, extra: string[] = []) {
  const r = spawnCli(['audit', '--concurrency', '2', '-f', 'json', ...extra, 'fleet'], { cwd: fleet(), env: { HOSTLINT_TEST_WORKER_FAULT: fault }, timeout: 60_000 });
  expectNoStackTrace(r.stderr);
  const rows = (JSON.parse(r.stdout).results as Row[]).map(pick);
  return { ...r, rows: rows.map((x) => [x.ruleId, x.file, x.message]) };
}

const kept = (host: string) => ['sysctl-tw-recycle', `fleet/${host}/etc/sysctl.conf`, expect.stringContaining('tcp_tw_recycle')];

describe.skipIf(!built())('a worker that fails on one host', () => {
  it('exits (process.exit in the thread): that host gets an internal-error, the others are kept, exit 2', () => {
    const r = audit('crash:db02');
    expect(r.code).toBe(2);
    expect(r.rows).toEqual([kept('db01'), ['internal-error', 'fleet/db02', 'Linting host db02 failed: process.exit(70) was called in the worker'], kept('db03'), kept('db04')]);
  });

  it('exits from a callback, outside its task: the same', () => {
    const r = audit('crash-later:db04');
    expect(r.code).toBe(2);
    expect(r.rows).toEqual([kept('db01'), kept('db02'), kept('db03'), ['internal-error', 'fleet/db04', 'Linting host db04 failed: process.exit(71) was called in the worker']]);
  });

  it('throws outside its task (an uncaught exception kills the thread): the same', () => {
    const r = audit('throw:db03');
    expect(r.code).toBe(2);
    expect(r.rows).toEqual([kept('db01'), kept('db02'), ['internal-error', 'fleet/db03', 'Linting host db03 failed: simulated worker fault'], kept('db04')]);
  });

  it('hangs: stopped at --host-timeout, that host gets an internal-error, the others are kept, exit 2', () => {
    const started = Date.now();
    const r = audit('hang:db01', ['--host-timeout', '2']);
    expect(Date.now() - started).toBeLessThan(30_000);
    expect(r.code).toBe(2);
    expect(r.rows).toEqual([
      ['internal-error', 'fleet/db01', 'Linting host db01 failed: it did not finish within 2 s (the per-host timeout, --host-timeout); its worker was stopped'],
      kept('db02'),
      kept('db03'),
      kept('db04'),
    ]);
  }, 60_000);

  it('without a fault, the same fleet lints clean of internal errors (exit 1)', () => {
    const r = audit('crash:nosuchhost');
    expect(r.code).toBe(1);
    expect(r.rows).toEqual([kept('db01'), kept('db02'), kept('db03'), kept('db04')]);
  });

  it('--host-timeout is checked', () => {
    const r = spawnCli(['audit', '--host-timeout', '0', 'fleet'], { cwd: fleet() });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('hostlint: --host-timeout takes a number of seconds greater than 0\nRun `hostlint --help` for usage.\n');
  });
});
