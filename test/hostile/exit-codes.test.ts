/**
 * Exit codes that do not lie (issue 13, class 7): `--stdin` with paths is a
 * usage error (the paths would be ignored); a host that disappears between
 * discovery and reading is a read-error, not a clean host; a failing stdout
 * is one line and exit 2 (ENOSPC) or, for a reader that went away (EPIPE),
 * the exit code of the results.
 */
import { spawnSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { rules } from '../../rules/index.js';
import { lintHost } from '../../src/audit/host.js';
import { Config } from '../../src/config/load.js';
import { runCli } from '../helpers/cli.js';
import { writeTree } from '../helpers/lint.js';
import { BIN, built, expectNoStackTrace, KERNEL_310, TW } from './helpers.js';

// These tests start the real CLI (child processes, worker threads): on a loaded machine that takes seconds.
vi.setConfig({ testTimeout: 120_000 });

describe('--stdin with paths', () => {
  it.each([
    [['--stdin', '--stdin-filename', 'sysctl.conf', 'etc/sysctl.conf'], 'the path `etc/sysctl.conf`'],
    [['--stdin', '--stdin-filename', 'sysctl.conf', 'missing.conf'], 'the path `missing.conf`'],
    [['--stdin-filename', 'sysctl.conf', '-', 'a', 'b'], 'the paths `a`, `b`'],
  ])('%j: a usage error naming them, exit 2', async (args, named) => {
    const dir = writeTree({ '.hostlint.yaml': KERNEL_310, 'etc/sysctl.conf': TW });
    const r = await runCli(args, { cwd: dir, stdin: 'net.ipv4.ip_forward = 1\n' });
    expect(r).toEqual({ code: 2, stdout: '', stderr: `hostlint: --stdin lints standard input only; lint ${named} in another run\nRun \`hostlint --help\` for usage.\n` });
  });

  it('--stdin alone, and `-` alone, still lint standard input', async () => {
    const dir = writeTree({ '.hostlint.yaml': KERNEL_310 });
    for (const args of [['--stdin'], ['-']]) {
      const r = await runCli(['-f', 'json', ...args, '--stdin-filename', 'sysctl.conf'], { cwd: dir, stdin: TW });
      expect(r.code).toBe(1);
      expect(JSON.parse(r.stdout).results.map((x: { ruleId: string }) => x.ruleId)).toEqual(['sysctl-tw-recycle']);
    }
  });
});

describe('a host that disappears after it was found', () => {
  it.each([
    ['removed', (root: string) => rmSync(root, { recursive: true })],
    ['replaced by a file', (root: string) => (rmSync(root, { recursive: true }), writeFileSync(root, 'x'))],
  ])('%s: a read-error for that host, which counts as an error', async (_name, change) => {
    const dir = writeTree({ 'fleet/db01/etc/sysctl.conf': TW, 'fleet/db01/proc/sys/kernel/osrelease': '3.10.0-1160.el7.x86_64\n' });
    const root = path.join(dir, 'fleet/db01');
    change(root);
    const outcome = await lintHost({ kind: 'directory', root } as Parameters<typeof lintHost>[0], { cwd: dir, config: Config.empty(dir), rules, reportUnusedDisableDirectives: 'off', toolVersion: '0' } as Parameters<typeof lintHost>[1]);
    expect(outcome.isHost).toBe(true);
    expect(outcome.errorCount).toBe(1);
    expect(outcome.files.map((f) => [f.path, f.results.map((r) => [r.ruleId, r.host, r.message])])).toEqual([
      ['fleet/db01', [['read-error', 'db01', expect.stringMatching(/^Snapshot (cannot be read \(ENOENT: no such file\)|is no longer a directory)$/)]]],
    ]);
  });
});

describe.skipIf(!built())('standard output that fails (the real binary)', () => {
  const fleet = () => {
    const files: Record<string, string> = { '.hostlint.yaml': KERNEL_310 };
    for (let i = 0; i < 12; i++) {
      files[`fleet/db${i}/etc/sysctl.conf`] = TW.repeat(200);
      files[`fleet/db${i}/proc/sys/kernel/osrelease`] = '3.10.0-1160.el7.x86_64\n';
    }
    return writeTree(files);
  };

  it.each([
    [['etc'], 'lint'],
    [['-f', 'json', 'etc'], 'lint json'],
    [['audit', '--concurrency', '1', 'fleet'], 'audit'],
  ])('> /dev/full (%j): one line, exit 2', { timeout: 60_000 }, (args) => {
    const dir = fleet();
    const etc = writeTree({ 'sysctl.conf': TW });
    const r = spawnSync('sh', ['-c', `"${process.execPath}" "${BIN}" ${args.map((a) => (a === 'etc' ? `"${etc}"` : a)).join(' ')} > /dev/full; echo "rc=$?"`], { cwd: dir, encoding: 'utf8' });
    expect(r.stdout).toBe('rc=2\n');
    expect(r.stderr).toBe('hostlint: cannot write to standard output: ENOSPC\n');
  });

  it.each([
    ['audit | head -c 1', 'audit --concurrency 2 fleet', 1],
    ['audit json | head -c 1', 'audit --concurrency 1 -f json fleet', 1],
    ['lint | head -c 1 (errors)', 'fleet', 1],
  ])('%s: exit %i, not 0, no stack trace', { timeout: 60_000 }, (_name, args, code) => {
    const r = spawnSync('bash', ['-c', `"${process.execPath}" "${BIN}" ${args} | head -c 1 > /dev/null; echo "rc=\${PIPESTATUS[0]}"`], { cwd: fleet(), encoding: 'utf8' });
    expect(r.stdout).toBe(`rc=${code}\n`);
    expectNoStackTrace(r.stderr);
    expect(r.stderr).toBe('');
  });
});
