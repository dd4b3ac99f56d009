/**
 * Bad input, file system: directories where files belong, unreadable files,
 * paths that do not exist, symlink loops, symlinks leaving a snapshot or the
 * linted tree, FIFOs and devices. Each is named; every other file is linted;
 * the machine running hostlint is never read through a snapshot.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readRegularFile } from '../../src/engine/read.js';
import { writeTree } from '../helpers/lint.js';
import { atStart, built, canRunAsNobody, expectNoStackTrace, KERNEL_310, lintJson, spawnCli, TW } from './helpers.js';

const TW_MESSAGE = '`net.ipv4.tcp_tw_recycle = 1` with TCP timestamps on makes kernel 3.10.0-1160.el7.x86_64 drop SYNs from clients behind NAT; set it to 0';
const tw = (file: string, line = 1) => ({ ruleId: 'sysctl-tw-recycle', file, line, column: 27, endLine: line, endColumn: 28, message: TW_MESSAGE });
const isRoot = process.getuid?.() === 0;

/** A minimal host snapshot: `etc/` and `proc/` with the kernel release. */
function snapshot(files: Record<string, string>): string {
  return writeTree({ 'host/proc/sys/kernel/osrelease': '3.10.0-1160.el7.x86_64\n', 'host/etc/hostname': 'host\n', ...files });
}

describe('directories, missing paths', () => {
  it('a directory named sysctl.conf is named in a repository and in a snapshot; what is inside is still walked', async () => {
    const cwd = snapshot({ '.hostlint.yaml': KERNEL_310, 'repo/sysctl.conf/sysctl.conf': TW, 'host/etc/sysctl.conf/x': TW, 'host/etc/sysctl.d/10-tw.conf': TW });
    const r = await lintJson(cwd);
    expect(r.rows).toEqual([
      atStart('read-error', 'host/etc/sysctl.conf', 'File is a directory, not a file'),
      tw('host/etc/sysctl.d/10-tw.conf'),
      atStart('read-error', 'repo/sysctl.conf', 'File is a directory, not a file'),
      tw('repo/sysctl.conf/sysctl.conf'),
    ]);
    expect(r.code).toBe(1);
  });

  it('a directory named sysctl.conf given as a path is named too', async () => {
    const cwd = writeTree({ 'sysctl.conf/readme.txt': 'x\n' });
    expect((await lintJson(cwd, ['sysctl.conf'])).rows).toEqual([atStart('read-error', 'sysctl.conf', 'File is a directory, not a file')]);
  });

  it('a path that does not exist: a message on stderr, the other paths linted, exit 2', async () => {
    const cwd = writeTree({ '.hostlint.yaml': KERNEL_310, 'sysctl.conf': TW });
    const r = await lintJson(cwd, ['no/such/sysctl.conf', 'sysctl.conf']);
    expect(r.rows).toEqual([tw('sysctl.conf')]);
    expect(r.stderr).toBe('hostlint: no such file or directory: no/such/sysctl.conf\n');
    expect(r.code).toBe(2);
  });
});

describe('unreadable files', () => {
  it('the reader names the error (EIO from /proc/self/mem, which not even root can read)', () => {
    expect(readRegularFile('/proc/self/mem', 1024)).toEqual({ ok: false, reason: 'cannot be read (EIO: input/output error)' });
  });

  it.skipIf(isRoot)('chmod 000: read-error with EACCES, the other files linted', async () => {
    const cwd = writeTree({ '.hostlint.yaml': KERNEL_310, 'sysctl.conf': TW, 'b/sysctl.conf': TW });
    chmodSync(path.join(cwd, 'sysctl.conf'), 0o000);
    const r = await lintJson(cwd);
    expect(r.rows).toEqual([tw('b/sysctl.conf'), atStart('read-error', 'sysctl.conf', 'File cannot be read (EACCES: permission denied)')]);
    expect(r.code).toBe(1);
  });

  // As root (CI), chmod does not stop reads: run the CLI as `nobody` instead,
  // when that user can reach the built CLI. (unreadable.test.ts injects the
  // error into the same code path in-process, so it is covered either way.)
  const asNobody = isRoot && built() && canRunAsNobody();
  it.skipIf(!asNobody)('chmod 000 as an unprivileged user (the CLI run as nobody): read-error with EACCES', () => {
    const cwd = writeTree({ '.hostlint.yaml': KERNEL_310, 'sysctl.conf': TW, 'b/sysctl.conf': TW });
    chmodSync(cwd, 0o755);
    chmodSync(path.join(cwd, 'b'), 0o755);
    chmodSync(path.join(cwd, 'sysctl.conf'), 0o000);
    const r = spawnCli(['-f', 'json'], { cwd, uid: 65534, gid: 65534 });
    expectNoStackTrace(r.stderr);
    const rows = (JSON.parse(r.stdout).results as Array<{ ruleId: string; file: string; message: string }>).map((x) => [x.ruleId, x.file, x.message]);
    expect(rows).toEqual([
      ['sysctl-tw-recycle', 'b/sysctl.conf', TW_MESSAGE],
      ['read-error', 'sysctl.conf', 'File cannot be read (EACCES: permission denied)'],
    ]);
    expect(r.code).toBe(1);
  });
});

describe('symlinks', () => {
  it('symlink loops are named (repository, snapshot, and a looping path argument); the rest is linted', async () => {
    const cwd = snapshot({ '.hostlint.yaml': KERNEL_310, 'repo/b/sysctl.conf': TW, 'host/etc/sysctl.d/10-tw.conf': TW });
    symlinkSync('sysctl.conf', path.join(cwd, 'repo/sysctl.conf')); // itself
    symlinkSync('resolv.conf', path.join(cwd, 'repo/felix.cfg'));
    symlinkSync('felix.cfg', path.join(cwd, 'repo/resolv.conf')); // a two-link loop
    symlinkSync('../etc/sysctl.conf', path.join(cwd, 'host/etc/sysctl.conf'));
    const r = await lintJson(cwd);
    expect(r.rows).toEqual([
      atStart('read-error', 'host/etc/sysctl.conf', 'File is a symlink loop (more than 40 links)'),
      tw('host/etc/sysctl.d/10-tw.conf'),
      tw('repo/b/sysctl.conf'),
      atStart('read-error', 'repo/felix.cfg', 'File is a symlink loop'),
      atStart('read-error', 'repo/resolv.conf', 'File is a symlink loop'),
      atStart('read-error', 'repo/sysctl.conf', 'File is a symlink loop'),
    ]);
    const arg = await lintJson(cwd, ['repo/sysctl.conf', 'repo/b/sysctl.conf']);
    expect(arg.rows).toEqual([tw('repo/b/sysctl.conf'), atStart('read-error', 'repo/sysctl.conf', 'File is a dangling or looping symlink')]);
  });

  it('snapshot links resolve inside the snapshot: `etc/sysctl.conf -> /etc/passwd` reads <snapshot>/etc/passwd, never the machine\'s', async () => {
    const cwd = snapshot({ '.hostlint.yaml': KERNEL_310, 'host/etc/passwd': `# not the machine's passwd\n${TW}` });
    symlinkSync('/etc/passwd', path.join(cwd, 'host/etc/sysctl.conf'));
    const r = await lintJson(cwd);
    expect(r.rows).toEqual([tw('host/etc/passwd', 2)]);
    expect(r.stdout).not.toContain('root:x:0:0');
  });

  it('links out of a snapshot, absolute or relative, read nothing outside it (a canary outside is never seen)', async () => {
    const outside = writeTree({ 'secret.conf': `# CANARY-7f3a\n${TW}` });
    const cwd = snapshot({ '.hostlint.yaml': KERNEL_310 });
    const secret = path.join(outside, 'secret.conf');
    const up = path.relative(path.join(cwd, 'host/etc/sysctl.d'), secret); // ../../../<tmp>/.../secret.conf
    mkdirSync(path.join(cwd, 'host/etc/sysctl.d'), { recursive: true });
    symlinkSync(secret, path.join(cwd, 'host/etc/sysctl.d/50-absolute.conf'));
    symlinkSync(up, path.join(cwd, 'host/etc/sysctl.d/60-relative.conf'));
    symlinkSync(`../../../../../../../../../../../../..${secret}`, path.join(cwd, 'host/etc/sysctl.d/70-dotdot.conf'));
    symlinkSync(path.dirname(secret), path.join(cwd, 'host/etc/calico')); // a directory link out
    const r = await lintJson(cwd);
    // Each link resolves to a path inside the snapshot that does not exist there: a file that is not there.
    expect(r.rows).toEqual([]);
    expect(r.stdout).not.toContain('CANARY-7f3a');
    // A copy inside the snapshot at the path the links name is what they read (once, for all three).
    mkdirSync(path.join(cwd, 'host', path.dirname(secret)), { recursive: true });
    writeFileSync(path.join(cwd, 'host', secret), TW);
    expect((await lintJson(cwd)).rows).toEqual([tw(`host${secret}`)]);
  });

  it('a repository link that leaves the linted directory is named and not followed; links inside it are followed', async () => {
    const outside = writeTree({ 'sysctl.conf': `# CANARY-9b1c\n${TW}` });
    const cwd = writeTree({ '.hostlint.yaml': KERNEL_310, 'real/sysctl.conf': TW });
    mkdirSync(path.join(cwd, 'a'));
    symlinkSync(path.join(outside, 'sysctl.conf'), path.join(cwd, 'a/sysctl.conf'));
    mkdirSync(path.join(cwd, 'b'));
    symlinkSync('../real/sysctl.conf', path.join(cwd, 'b/sysctl.conf'));
    const r = await lintJson(cwd);
    expect(r.rows).toEqual([
      atStart('read-error', 'a/sysctl.conf', 'File is a symlink to outside the directory being linted; not followed'),
      tw('b/sysctl.conf'),
      tw('real/sysctl.conf'),
    ]);
    expect(r.stdout).not.toContain('CANARY-9b1c');
  });
});

describe('special files', () => {
  const haveMkfifo = spawnSync('mkfifo', ['--version']).status === 0;

  it.skipIf(!haveMkfifo)('a FIFO named like a config file never blocks the run: named, in a repository and in a snapshot', async () => {
    const cwd = snapshot({ '.hostlint.yaml': KERNEL_310, 'repo/b/sysctl.conf': TW });
    mkdirSync(path.join(cwd, 'host/etc/sysctl.d'), { recursive: true });
    expect(spawnSync('mkfifo', [path.join(cwd, 'host/etc/sysctl.d/10-fifo.conf'), path.join(cwd, 'repo/calico.yaml')]).status).toBe(0);
    const r = await lintJson(cwd, ['host', 'repo', 'repo/calico.yaml']);
    expect(r.rows).toEqual([
      atStart('read-error', 'host/etc/sysctl.d/10-fifo.conf', 'File is a named pipe (FIFO), not a regular file'),
      tw('repo/b/sysctl.conf'),
      atStart('read-error', 'repo/calico.yaml', 'File is a named pipe (FIFO), not a regular file'),
    ]);
  });

  it.skipIf(!isRoot)('a character device in a snapshot (a copied /dev/zero as an MTU) is named, never read (mknod needs root)', async () => {
    const cwd = snapshot({ '.hostlint.yaml': KERNEL_310, 'host/etc/sysctl.d/10-tw.conf': TW });
    mkdirSync(path.join(cwd, 'host/sys/class/net/eth0'), { recursive: true });
    expect(spawnSync('mknod', [path.join(cwd, 'host/sys/class/net/eth0/mtu'), 'c', '1', '5']).status).toBe(0);
    const r = await lintJson(cwd);
    expect(r.rows).toEqual([
      tw('host/etc/sysctl.d/10-tw.conf'),
      atStart('read-error', 'host/sys/class/net/eth0/mtu', 'File is a character device, not a regular file'),
    ]);
  });
});
