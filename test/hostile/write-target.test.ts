/**
 * `-o`, `--write-baseline` and `audit -o` never replace what is not a regular
 * file (issue 13, class 2): a FIFO or character device is written directly (as
 * `>` does), a symlink is followed and its target replaced (the link stays), a
 * directory or socket is refused. All targets are made in a temp directory;
 * the only system device used is /dev/null as a write target, after the FIFO
 * tests show that devices are opened and written, never renamed over.
 */
import { spawn, spawnSync } from 'node:child_process';
import { lstatSync, mkdirSync, readdirSync, readFileSync, readlinkSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { outputPlan } from '../../src/cli/output.js';
import { runCli } from '../helpers/cli.js';
import { writeTree } from '../helpers/lint.js';
import { BIN, built, KERNEL_310, TW } from './helpers.js';

// These tests start the real CLI (child processes, worker threads): on a loaded machine that takes seconds.
vi.setConfig({ testTimeout: 120_000 });

const tree = () => writeTree({ '.hostlint.yaml': KERNEL_310, 'etc/sysctl.conf': TW, 'fleet/db01/etc/sysctl.conf': TW, 'fleet/db01/proc/sys/kernel/osrelease': '3.10.0-1160.el7.x86_64\n' });
const tmpLeft = (dir: string) => readdirSync(dir).filter((n) => n.endsWith('.tmp'));

/** Run the CLI in-process with a `cat` reading `fifo`; what the reader got. */
async function throughFifo(cwd: string, args: string[]): Promise<{ code: number; stderr: string; read: string }> {
  const fifo = path.join(cwd, 'pipe');
  expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
  const reader = spawn('cat', [fifo]);
  let read = '';
  reader.stdout.on('data', (d) => (read += d));
  const done = new Promise<void>((resolve) => reader.once('exit', () => resolve()));
  const r = await runCli(args, { cwd });
  await done;
  expect(lstatSync(fifo).isFIFO()).toBe(true);
  return { code: r.code, stderr: r.stderr, read };
}

describe('a FIFO is written directly and stays a FIFO', () => {
  it.each([
    ['-o', ['-f', 'json', '-o', 'pipe', 'etc']],
    ['--write-baseline', ['-f', 'json', '--write-baseline', 'pipe', 'etc']],
    ['audit -o', ['audit', '--concurrency', '1', '-f', 'json', '-o', 'pipe', 'fleet']],
  ])('%s pipe', async (_name, args) => {
    const dir = tree();
    const r = await throughFifo(dir, args);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(args.includes('--write-baseline') ? 0 : 1); // what the baseline holds does not count
    expect((JSON.parse(r.read).results as Array<{ ruleId: string }>).map((x) => x.ruleId)).toEqual(['sysctl-tw-recycle']);
    expect(tmpLeft(dir)).toEqual([]);
  });
});

describe('a symlink is followed: its target is replaced, the link stays a link', () => {
  it.each([['-o'], ['--write-baseline'], ['audit -o']])('%s through a link, a chain of links and a dangling link', async (option) => {
    const dir = tree();
    mkdirSync(path.join(dir, 'out'));
    writeFileSync(path.join(dir, 'out/report.json'), 'old\n', { mode: 0o640 });
    symlinkSync('out/report.json', path.join(dir, 'link.json'));
    symlinkSync('link.json', path.join(dir, 'chain.json'));
    symlinkSync('out/new.json', path.join(dir, 'dangling.json'));
    for (const name of ['link.json', 'chain.json', 'dangling.json']) {
      const args = option === 'audit -o' ? ['audit', '--concurrency', '1', '-f', 'json', '-o', name, 'fleet'] : ['-f', 'json', option, name, 'etc'];
      const r = await runCli(args, { cwd: dir });
      expect(r.stderr).toBe('');
      expect(r.code).toBe(option === '--write-baseline' ? 0 : 1);
      expect(lstatSync(path.join(dir, name)).isSymbolicLink()).toBe(true);
    }
    expect(readlinkSync(path.join(dir, 'link.json'))).toBe('out/report.json');
    expect(JSON.parse(readFileSync(path.join(dir, 'out/report.json'), 'utf8')).results.length).toBe(1);
    expect(statSync(path.join(dir, 'out/report.json')).mode & 0o777).toBe(0o640); // the target's mode is kept
    expect(JSON.parse(readFileSync(path.join(dir, 'out/new.json'), 'utf8')).results.length).toBe(1);
    expect(tmpLeft(dir)).toEqual([]);
    expect(tmpLeft(path.join(dir, 'out'))).toEqual([]);
  });
});

describe('what cannot be written is refused, and left as it is', () => {
  it('a directory, a link to a directory, a socket: exit 2, one line naming the path', async () => {
    const dir = tree();
    mkdirSync(path.join(dir, 'adir'));
    symlinkSync('adir', path.join(dir, 'dirlink'));
    const sock = path.join(dir, 'sock');
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(sock, resolve));
    try {
      expect(await runCli(['-o', 'adir', 'etc'], { cwd: dir })).toEqual({ code: 2, stdout: '', stderr: 'hostlint: cannot write adir: EISDIR\n' });
      expect(await runCli(['--write-baseline', 'dirlink', 'etc'], { cwd: dir })).toEqual({ code: 2, stdout: '', stderr: 'hostlint: cannot write dirlink: EISDIR\n' });
      expect(await runCli(['audit', '--concurrency', '1', '-o', 'sock', 'fleet'], { cwd: dir })).toEqual({
        code: 2,
        stdout: '',
        stderr: 'hostlint: cannot write sock: ENOTSUP (is neither a regular file, a character device nor a FIFO; not overwritten)\n',
      });
      expect(lstatSync(sock).isSocket()).toBe(true);
      expect(lstatSync(path.join(dir, 'dirlink')).isSymbolicLink()).toBe(true);
      expect(tmpLeft(dir)).toEqual([]);
    } finally {
      server.close();
    }
  });
});

describe.skipIf(!built())('devices: written, never replaced (the real binary)', () => {
  it('-o /dev/stdout goes to standard output; -o /dev/null and audit -o /dev/null leave /dev/null a device', () => {
    const dir = tree();
    const out = spawnSync(process.execPath, [BIN, '-f', 'json', '-o', '/dev/stdout', 'etc'], { cwd: dir, encoding: 'utf8' });
    expect(out.status).toBe(1);
    expect(JSON.parse(out.stdout).results.length).toBe(1);
    // Only once the code is known to write /dev/null directly (never a rename over it).
    expect(outputPlan('/dev/null').kind).toBe('direct');
    expect(outputPlan('/dev/stdout').kind).toBe('direct');
    const before = statSync('/dev/null');
    for (const [code, args] of [[1, ['-o', '/dev/null', 'etc']], [0, ['--write-baseline', '/dev/null', 'etc']], [1, ['audit', '-o', '/dev/null', 'fleet']]] as const) {
      const r = spawnSync(process.execPath, [BIN, ...args], { cwd: dir, encoding: 'utf8' });
      expect([r.status, r.stderr]).toEqual([code, '']);
    }
    const after = statSync('/dev/null');
    expect(after.isCharacterDevice()).toBe(true);
    expect([after.ino, after.rdev]).toEqual([before.ino, before.rdev]);
  });

  it('-o /dev/stdout with stdout redirected to a file writes into that open file', () => {
    const dir = tree();
    const r = spawnSync('sh', ['-c', `"${process.execPath}" "${BIN}" -f json -o /dev/stdout etc > out.json; echo $?`], { cwd: dir, encoding: 'utf8' });
    expect(r.stdout).toBe('1\n');
    expect(JSON.parse(readFileSync(path.join(dir, 'out.json'), 'utf8')).results.length).toBe(1);
  });
});
