/**
 * Reads and writes outside the tree (issue 13, class 9) and `--fix` with
 * ownership (class 10). A symlink named on the command line obeys the rule of
 * walked ones (followed only inside the working directory or the link's own
 * directory); `--config` and `--baseline` read only regular files (a FIFO
 * never hangs the run); `--fix` replaces a file only when nothing but its
 * content changes: no read-only, foreign-owned, not-writable or hard-linked
 * file is rewritten.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, chownSync, linkSync, mkdirSync, readFileSync, statSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { writeTree } from '../helpers/lint.js';
import { BIN, built, canRunAsNobody, KERNEL_310, lintJson, TW } from './helpers.js';

// These tests start the real CLI (child processes, worker threads): on a loaded machine that takes seconds.
vi.setConfig({ testTimeout: 120_000 });

const SECRET = 'root:$6$salt$hash:19000:0:99999:7:::\nnet.ipv4.tcp_tw_recycle = 1\n';

describe('a symlink named on the command line', () => {
  it.each([
    ['a link to a file outside the tree', 'link.conf', (dir: string, outside: string) => symlinkSync(path.join(outside, 'shadow'), path.join(dir, 'link.conf'))],
    ['a relative link climbing out', 'sysctl.conf', (dir: string, outside: string) => symlinkSync(path.relative(dir, path.join(outside, 'shadow')), path.join(dir, 'sysctl.conf'))],
    ['a chain of links ending outside', 'etc/sysctl.conf', (dir: string, outside: string) => (mkdirSync(path.join(dir, 'etc')), symlinkSync('../hop', path.join(dir, 'etc/sysctl.conf')), symlinkSync(path.join(outside, 'shadow'), path.join(dir, 'hop')))],
  ])('%s: a read-error, not read, not fixed', async (_name, named, make) => {
    const outside = writeTree({ shadow: SECRET });
    const dir = writeTree({ '.hostlint.yaml': KERNEL_310 });
    make(dir, outside);
    const r = await lintJson(dir, [named]);
    expect(r.rows.map((x) => [x.ruleId, x.file, x.message])).toEqual([['read-error', named, 'File is a symlink to outside the directory being linted; not followed']]);
    expect(r.stdout).not.toContain('root:');
    const fix = await runCli(['--fix', named], { cwd: dir });
    expect(fix.code).toBe(1);
    expect(readFileSync(path.join(outside, 'shadow'), 'utf8')).toBe(SECRET);
  });

  it('a link inside the tree is followed (and fixed at its target)', async () => {
    const dir = writeTree({ '.hostlint.yaml': KERNEL_310, 'real/sysctl.conf': TW });
    symlinkSync('real/sysctl.conf', path.join(dir, 'sysctl.conf'));
    const r = await lintJson(dir, ['sysctl.conf']);
    expect(r.rows.map((x) => [x.ruleId, x.file])).toEqual([['sysctl-tw-recycle', 'sysctl.conf']]);
    expect((await runCli(['--fix', 'sysctl.conf'], { cwd: dir })).code).toBe(0);
    expect(readFileSync(path.join(dir, 'real/sysctl.conf'), 'utf8')).toBe('net.ipv4.tcp_tw_recycle = 0\n');
  });
});

describe('--config and --baseline read regular files only', () => {
  it.each([
    ['--config', 'FIFO', 'hostlint: configuration error: Cannot read configuration file cfg: is a named pipe (FIFO), not a regular file\n'],
    ['--baseline', 'FIFO', 'hostlint: cannot read baseline cfg (is a named pipe (FIFO), not a regular file)\nRun `hostlint --help` for usage.\n'],
    ['--config', 'directory', 'hostlint: configuration error: Cannot read configuration file cfg: is a directory, not a file\n'],
    ['--baseline', 'directory', 'hostlint: cannot read baseline cfg (is a directory, not a file)\nRun `hostlint --help` for usage.\n'],
  ])('%s naming a %s: exit 2 at once, one message', async (option, kind, message) => {
    const dir = writeTree({ 'sysctl.conf': TW });
    if (kind === 'FIFO') expect(spawnSync('mkfifo', [path.join(dir, 'cfg')]).status).toBe(0);
    else mkdirSync(path.join(dir, 'cfg'));
    const r = await runCli([option, 'cfg', '.'], { cwd: dir });
    expect(r).toEqual({ code: 2, stdout: '', stderr: message });
  });

  it('a .hostlint.yaml that is a FIFO is not a configuration file: not opened, no hang', async () => {
    const dir = writeTree({ 'sysctl.conf': 'net.ipv4.ip_forward 1\n' });
    expect(spawnSync('mkfifo', [path.join(dir, '.hostlint.yaml')]).status).toBe(0);
    const r = await lintJson(dir);
    expect(r.stderr).toBe('');
    expect(r.rows.map((x) => [x.ruleId, x.file, x.line])).toEqual([['sysctl-syntax', 'sysctl.conf', 1]]);
  });
});

describe('--fix and ownership', () => {
  const FIXED = 'net.ipv4.tcp_tw_recycle = 0\n';

  it.each([
    ['mode 0444', (f: string) => chmodSync(f, 0o444), 'it is read-only (mode 0444); not rewritten'],
    ['mode 0400', (f: string) => chmodSync(f, 0o400), 'it is read-only (mode 0400); not rewritten'],
    ['a second hard link', (f: string) => linkSync(f, `${f}.bak`), 'it has 2 hard links, which would keep the old content; not rewritten'],
  ])('%s: refused, exit 2, the file unchanged', async (_name, make, why) => {
    const dir = writeTree({ '.hostlint.yaml': KERNEL_310, 'sysctl.conf': TW });
    const file = path.join(dir, 'sysctl.conf');
    make(file);
    const before = statSync(file);
    const r = await runCli(['--fix', 'sysctl.conf'], { cwd: dir });
    expect(r.stderr).toBe(`hostlint: cannot write fixes to sysctl.conf: ${why}\n`);
    expect(r.code).toBe(2);
    expect(readFileSync(file, 'utf8')).toBe(TW);
    const after = statSync(file);
    expect([after.ino, after.mode, after.uid]).toEqual([before.ino, before.mode, before.uid]);
  });

  const asRoot = process.getuid?.() === 0;
  it.skipIf(!asRoot || !built() || !canRunAsNobody())('as another user (nobody) in a directory it may write: a root-owned file is not replaced', () => {
    const dir = writeTree({ '.hostlint.yaml': KERNEL_310, 'a/sysctl.conf': TW, 'b/sysctl.conf': TW });
    for (const d of [dir, path.join(dir, 'a'), path.join(dir, 'b')]) chmodSync(d, 0o777);
    chmodSync(path.join(dir, 'a/sysctl.conf'), 0o644); // root's, not writable by nobody
    chmodSync(path.join(dir, 'b/sysctl.conf'), 0o666); // writable by nobody, but root's
    const run = (file: string) => spawnSync(process.execPath, [BIN, '--fix', file], { cwd: dir, uid: 65534, gid: 65534, encoding: 'utf8', env: { PATH: process.env.PATH, NO_COLOR: '1' } });
    const a = run('a/sysctl.conf');
    expect([a.status, a.stderr]).toEqual([2, 'hostlint: cannot write fixes to a/sysctl.conf: you cannot write it in place; not rewritten\n']);
    const b = run('b/sysctl.conf');
    expect([b.status, b.stderr]).toEqual([2, 'hostlint: cannot write fixes to b/sysctl.conf: it is owned by another user (uid 0); rewriting it would change its owner; not rewritten\n']);
    for (const f of ['a/sysctl.conf', 'b/sysctl.conf']) {
      expect(readFileSync(path.join(dir, f), 'utf8')).toBe(TW);
      expect(statSync(path.join(dir, f)).uid).toBe(0);
    }
  });

  it.skipIf(!asRoot)('as root: a file owned by another user keeps its owner, group and mode', async () => {
    const dir = writeTree({ '.hostlint.yaml': KERNEL_310, 'sysctl.conf': TW });
    const file = path.join(dir, 'sysctl.conf');
    chownSync(file, 65534, 65534);
    chmodSync(file, 0o640);
    expect((await runCli(['--fix', 'sysctl.conf'], { cwd: dir })).code).toBe(0);
    const st = statSync(file);
    expect([readFileSync(file, 'utf8'), st.uid, st.gid, st.mode & 0o7777]).toEqual([FIXED, 65534, 65534, 0o640]);
  });
});
