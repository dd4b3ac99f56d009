/**
 * The low-severity items of issue 13: limits of --host-timeout, a device or
 * FIFO named on the command line, a sosreport `hostname` file read within a
 * bound, and no temporary file left by SIGINT during `audit -o`.
 */
import { spawn, spawnSync } from 'node:child_process';
import { readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { writeTree } from '../helpers/lint.js';
import { atStart, BIN, built, KERNEL_310, lintJson, TW } from './helpers.js';

// These tests start the real CLI (child processes, worker threads): on a loaded machine that takes seconds.
vi.setConfig({ testTimeout: 120_000 });

describe('--host-timeout', () => {
  it.each([
    [['audit', '--host-timeout', '2147484', '.'], 'hostlint: --host-timeout takes at most 2147483 seconds\n'],
    [['audit', '--host-timeout', '1e9', '.'], 'hostlint: --host-timeout takes a number of seconds greater than 0\n'],
    [['audit', '--host-timeout', '99999999999', '.'], 'hostlint: --host-timeout takes at most 2147483 seconds\n'],
    [['audit', '--concurrency', '1', '--host-timeout', '5', '.'], 'hostlint: --host-timeout needs worker threads: with --concurrency 1 hosts are linted on the main thread, which cannot be stopped\n'],
  ])('%j: a usage error', async (args, message) => {
    const r = await runCli(args, { cwd: writeTree({}) });
    expect(r).toEqual({ code: 2, stdout: '', stderr: `${message}Run \`hostlint --help\` for usage.\n` });
  });
});

describe('a device or FIFO named on the command line', () => {
  it('/dev/zero and a FIFO: a read-error each, never read, never skipped silently', async () => {
    const dir = writeTree({ '.hostlint.yaml': KERNEL_310, 'sysctl.conf': TW });
    expect(spawnSync('mkfifo', [path.join(dir, 'pipe.conf')]).status).toBe(0);
    const r = await lintJson(dir, ['/dev/zero', 'pipe.conf', 'sysctl.conf']);
    expect(r.code).toBe(1);
    expect(r.rows.map((x) => [x.ruleId, x.file, x.message])).toEqual([
      ['read-error', path.relative(dir, '/dev/zero'), 'File is a character device, not a regular file'],
      ['read-error', 'pipe.conf', 'File is a named pipe (FIFO), not a regular file'],
      ['sysctl-tw-recycle', 'sysctl.conf', expect.stringContaining('tcp_tw_recycle')],
    ]);
  });
});

describe('a sosreport hostname file', () => {
  it('over 4 KiB (here 1 MiB): not read whole, the snapshot keeps its own name', async () => {
    const root = 'sosreport-db07-2024-05-01-abc';
    const dir = writeTree({
      [`${root}/etc/sysctl.conf`]: TW,
      [`${root}/proc/sys/kernel/osrelease`]: '3.10.0-1160.el7.x86_64\n',
      [`${root}/sos_commands/host/hostname`]: 'x'.repeat(1 << 20),
      [`${root}/hostname`]: 'x'.repeat(1 << 20),
    });
    const r = await runCli(['-f', 'json', root], { cwd: dir });
    expect(JSON.parse(r.stdout).results.map((x: { host: string }) => x.host)).toEqual([root]);
    void atStart;
  });
});

describe.skipIf(!built())('SIGINT during audit -o', () => {
  it('the temporary file is removed; the target is not created', { timeout: 60_000 }, async () => {
    const files: Record<string, string> = { '.hostlint.yaml': KERNEL_310 };
    for (let i = 0; i < 60; i++) {
      files[`fleet/db${i}/etc/sysctl.conf`] = TW.repeat(300);
      files[`fleet/db${i}/proc/sys/kernel/osrelease`] = '3.10.0-1160.el7.x86_64\n';
    }
    const dir = writeTree(files);
    const child = spawn(process.execPath, [BIN, 'audit', '--concurrency', '1', '-o', 'report.txt', 'fleet'], { cwd: dir, stdio: 'ignore' });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code, signal) => resolve(signal ? 128 + 2 : code)));
    const tmp = () => readdirSync(dir).filter((n) => n.endsWith('.tmp'));
    const started = Date.now();
    while (tmp().length === 0 && Date.now() - started < 30_000) await new Promise((r) => setTimeout(r, 5));
    expect(tmp().length).toBe(1);
    child.kill('SIGINT');
    await exited;
    expect(tmp()).toEqual([]);
    expect(readdirSync(dir)).not.toContain('report.txt');
    writeFileSync(path.join(dir, 'done'), '');
  });
});

describe.skipIf(process.getuid?.() !== 0)('a .hostlint.yaml above the working directory owned by another user', () => {
  it('is used with a warning naming it; one in the working directory, or owned by the user, is not warned about', async () => {
    const { chownSync, mkdirSync: mk } = await import('node:fs');
    const dir = writeTree({ '.hostlint.yaml': KERNEL_310, 'sub/sysctl.conf': TW });
    mk(path.join(dir, 'sub2'));
    chownSync(path.join(dir, '.hostlint.yaml'), 65534, 65534);
    const r = await runCli(['-f', 'json', '.'], { cwd: path.join(dir, 'sub') });
    expect(r.stderr).toBe(`hostlint: warning: using ${path.join(dir, '.hostlint.yaml')}, found above the working directory and owned by another user (uid 65534); pass --config to choose the configuration\n`);
    expect(r.code).toBe(1);
    const inCwd = await runCli(['-f', 'json', 'sub'], { cwd: dir });
    expect(inCwd.stderr).toBe('');
    chownSync(path.join(dir, '.hostlint.yaml'), 0, 0);
    expect((await runCli(['-f', 'json', '.'], { cwd: path.join(dir, 'sub') })).stderr).toBe('');
  });
});
