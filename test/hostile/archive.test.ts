/**
 * Hostile archives (built here, never committed): members named with `..` or
 * an absolute path, symlinks and hard links pointing out of the snapshot, and
 * decompression bombs. Members that would leave the snapshot are refused with
 * a read-error naming archive and member; symlinks resolve inside the
 * snapshot exactly as in the directory form, so the machine's own files are
 * never read; a bomb stops at the inflated-size limit (128 × the file size
 * limit) with a read-error naming the archive, in bounded time and memory,
 * and the other hosts are still linted.
 */
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { writeTree } from '../helpers/lint.js';
import { tarGz, type TarEntry } from '../helpers/tar.js';
import { atStart, expectNoStackTrace, lintJson, pick, TW, type Row } from './helpers.js';

const OSRELEASE = '3.10.0-1160.el7.x86_64\n';
const BASE: TarEntry[] = [
  { name: 'db02/', type: 'directory' },
  { name: 'db02/etc/', type: 'directory' },
  { name: 'db02/proc/sys/kernel/osrelease', type: 'file', content: OSRELEASE },
  // The snapshot's own /etc/passwd: what a link to /etc/passwd means in it.
  { name: 'db02/etc/passwd', type: 'file', content: TW },
];

describe('archive members that would leave the snapshot', () => {
  it('refuses `..` and absolute names and hard links out, naming archive and member; the rest is linted', async () => {
    const cwd = writeTree({});
    writeFileSync(
      path.join(cwd, 'db02.tgz'),
      await tarGz([
        ...BASE,
        { name: 'db02/etc/sysctl.conf', type: 'file', content: TW },
        { name: 'db02/../../../etc/sysctl.d/evil.conf', type: 'file', content: TW },
        { name: '/etc/sysctl.d/abs.conf', type: 'file', content: TW },
        { name: 'db02/etc/sysctl.d/10-hard.conf', type: 'link', linkname: '/etc/passwd' },
        { name: 'db02/etc/sysctl.d/20-hard.conf', type: 'link', linkname: '../../etc/passwd' },
        { name: 'db02/etc/sysctl.d/30-hard.conf', type: 'link', linkname: 'db02/etc/missing' },
      ]),
    );
    const r = await lintJson(cwd, ['db02.tgz']);
    expect(r.code).toBe(1);
    // A member named outside the archive is reported on the archive itself (its SARIF location stays inside it).
    const refused = (member: string, reason: string) =>
      atStart('read-error', member.startsWith('/') || member.includes('..') ? 'db02.tgz' : `db02.tgz!/${member}`, `Archive member \`${member}\` ${reason}: refused, it would leave the snapshot`);
    expect(r.rows.filter((x) => x.ruleId === 'read-error')).toEqual([
      refused('db02/../../../etc/sysctl.d/evil.conf', 'has a `..` path segment'),
      refused('/etc/sysctl.d/abs.conf', 'has an absolute path'),
      refused('db02/etc/sysctl.d/10-hard.conf', 'is a hard link to `/etc/passwd`, which has an absolute path'),
      refused('db02/etc/sysctl.d/20-hard.conf', 'is a hard link to `../../etc/passwd`, which has a `..` path segment'),
      refused('db02/etc/sysctl.d/30-hard.conf', 'is a hard link to `db02/etc/missing`, which is not a file of the archive'),
    ]);
    expect(r.rows.filter((x) => x.ruleId === 'sysctl-tw-recycle').map((x) => x.file)).toEqual(['db02.tgz!/db02/etc/sysctl.conf']);
  });

  it('a member symlink `etc/sysctl.conf -> /etc/passwd` reads the snapshot\'s etc/passwd, never the machine\'s — as the directory form does', async () => {
    const cwd = writeTree({});
    const links: TarEntry[] = [
      { name: 'db02/etc/sysctl.conf', type: 'symlink', linkname: '/etc/passwd' },
      { name: 'db02/etc/sysctl.d/', type: 'directory' },
      // `..` past the snapshot root stops at the root: the snapshot's /etc/passwd again.
      { name: 'db02/etc/sysctl.d/50-up.conf', type: 'symlink', linkname: '../../../../../../etc/passwd' },
      // The machine's /etc/hostname exists; the snapshot's does not: nothing is read.
      { name: 'db02/etc/sysctl.d/60-host.conf', type: 'symlink', linkname: '/etc/hostname' },
    ];
    writeFileSync(path.join(cwd, 'db02.tgz'), await tarGz([...BASE, ...links]));
    // The same snapshot as a directory.
    mkdirSync(path.join(cwd, 'dir/db02/etc/sysctl.d'), { recursive: true });
    mkdirSync(path.join(cwd, 'dir/db02/proc/sys/kernel'), { recursive: true });
    writeFileSync(path.join(cwd, 'dir/db02/proc/sys/kernel/osrelease'), OSRELEASE);
    writeFileSync(path.join(cwd, 'dir/db02/etc/passwd'), TW);
    symlinkSync('/etc/passwd', path.join(cwd, 'dir/db02/etc/sysctl.conf'));
    symlinkSync('../../../../../../etc/passwd', path.join(cwd, 'dir/db02/etc/sysctl.d/50-up.conf'));
    symlinkSync('/etc/hostname', path.join(cwd, 'dir/db02/etc/sysctl.d/60-host.conf'));

    const archive = await lintJson(cwd, ['db02.tgz']);
    const directory = await lintJson(cwd, ['dir/db02']);
    const shape = (rows: Row[], prefix: string) => rows.map((x) => ({ ...x, file: x.file.slice(prefix.length) }));
    // Only the snapshot's etc/passwd (which holds tcp_tw_recycle) is read, through both
    // links (one file, reported once, at its real path); the link to a file the snapshot
    // lacks reads nothing.
    const expected = [{ ruleId: 'sysctl-tw-recycle', file: '/etc/passwd', line: 1, column: 27, endLine: 1, endColumn: 28 }];
    const brief = (rows: Row[]) => rows.map(({ message: _m, ...rest }) => rest);
    expect(brief(shape(archive.rows, 'db02.tgz!/db02'))).toEqual(expected);
    expect(brief(shape(directory.rows, 'dir/db02'))).toEqual(expected);
    // No content of the machine's own files appears anywhere.
    for (const run of [archive, directory]) {
      expect(run.stdout).not.toContain('root:x:0:0');
      expectNoStackTrace(run.stderr);
    }
  });
});

/** A 512-byte ustar header of a regular file of `size` bytes (size < 8 GiB). */
function ustarHeader(name: string, size: number): Buffer {
  const h = Buffer.alloc(512);
  const field = (offset: number, length: number, value: string) => h.write(value, offset, length, 'ascii');
  const octal = (n: number, length: number) => n.toString(8).padStart(length - 1, '0') + '\0';
  field(0, 100, name);
  field(100, 8, octal(0o644, 8));
  field(108, 8, octal(0, 8));
  field(116, 8, octal(0, 8));
  field(124, 12, octal(size, 12));
  field(136, 12, octal(1714521600, 12));
  field(148, 8, '        ');
  field(156, 1, '0');
  field(257, 6, 'ustar\0');
  field(263, 2, '00');
  let sum = 0;
  for (const b of h) sum += b;
  field(148, 8, sum.toString(8).padStart(6, '0') + '\0 ');
  return h;
}

const MIB = 1024 * 1024;

/**
 * A .tar.gz of members of `size` zero bytes, built from concatenated gzip
 * members (gunzip reads them as one stream): one 16 MiB block of zeros is
 * compressed once and repeated, so nothing large is ever held or written.
 */
function zeroBomb(prefix: Buffer, members: { name: string; size: number }[]): Buffer {
  const block = 16 * MIB;
  const zeros = gzipSync(Buffer.alloc(block), { level: 9 });
  const parts: Buffer[] = [gzipSync(prefix)];
  for (const m of members) {
    if (m.size % block !== 0) throw new Error('size must be a multiple of 16 MiB');
    parts.push(gzipSync(ustarHeader(m.name, m.size)));
    for (let i = 0; i < m.size / block; i++) parts.push(zeros);
  }
  parts.push(gzipSync(Buffer.alloc(1024)));
  return Buffer.concat(parts);
}

describe('decompression bombs', () => {
  async function fleetWithBomb(bomb: Buffer) {
    const cwd = writeTree({
      'fleet/web01/etc/sysctl.conf': TW,
      'fleet/web01/proc/sys/kernel/osrelease': OSRELEASE,
    });
    writeFileSync(path.join(cwd, 'fleet/bomb.tgz'), bomb);
    return cwd;
  }

  const prefix = async () => {
    const tgz = await tarGz([...BASE, { name: 'db02/etc/sysctl.conf', type: 'file', content: TW }]);
    // The tar bytes without their two closing zero blocks, so members can follow.
    const { gunzipSync } = await import('node:zlib');
    const raw = gunzipSync(tgz);
    return raw.subarray(0, raw.length - 1024);
  };

  const BOMB_MESSAGE =
    'Archive inflates to more than 1073741824 bytes (128 × the file size limit; raise it with --max-file-size or `maxFileSize` in .hostlint.yaml): refused as a possible decompression bomb';

  it('one member of 6 GiB of zeros (a ~6 MB .tgz): refused at its header, the other host is linted', async () => {
    const bomb = zeroBomb(await prefix(), [{ name: 'db02/var/log/zeros', size: 6 * 1024 * MIB }]);
    expect(bomb.length).toBeLessThan(8 * MIB);
    const cwd = await fleetWithBomb(bomb);
    const started = Date.now();
    const r = await runCli(['audit', '--concurrency', '1', '-f', 'json', 'fleet'], { cwd });
    expect(Date.now() - started).toBeLessThan(5_000);
    expectNoStackTrace(r.stderr);
    expect(r.code).toBe(1);
    const rows = (JSON.parse(r.stdout).results as Row[]).map(pick);
    expect(rows.map((x) => [x.ruleId, x.file, x.message])).toEqual([
      ['read-error', 'fleet/bomb.tgz', BOMB_MESSAGE],
      ['sysctl-tw-recycle', 'fleet/web01/etc/sysctl.conf', expect.any(String)],
    ]);
  });

  it('many members each under the limit, 4 GiB in all: stops at the total limit in bounded time and memory', async () => {
    const members = Array.from({ length: 32 }, (_, i) => ({ name: `db02/var/log/z${i}`, size: 128 * MIB }));
    const bomb = zeroBomb(await prefix(), members);
    expect(bomb.length).toBeLessThan(8 * MIB);
    const cwd = await fleetWithBomb(bomb);
    const rss = process.memoryUsage().rss;
    const started = Date.now();
    const r = await runCli(['audit', '--concurrency', '1', '-f', 'json', 'fleet'], { cwd });
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(process.memoryUsage().rss - rss).toBeLessThan(256 * MIB);
    expect(r.code).toBe(1);
    const rows = (JSON.parse(r.stdout).results as Row[]).map(pick);
    expect(rows.map((x) => [x.ruleId, x.file, x.message])).toEqual([
      ['read-error', 'fleet/bomb.tgz', BOMB_MESSAGE],
      ['sysctl-tw-recycle', 'fleet/web01/etc/sysctl.conf', expect.any(String)],
    ]);
  }, 30_000);

  it('the limit follows --max-file-size', async () => {
    const members = Array.from({ length: 4 }, (_, i) => ({ name: `db02/var/log/z${i}`, size: 16 * MIB }));
    const cwd = await fleetWithBomb(zeroBomb(await prefix(), members));
    const r = await runCli(['-f', 'json', '--max-file-size', '256k', 'fleet/bomb.tgz'], { cwd });
    expect(r.code).toBe(1);
    const rows = (JSON.parse(r.stdout).results as Row[]).map(pick);
    expect(rows.map((x) => [x.ruleId, x.file, x.message])).toEqual([['read-error', 'fleet/bomb.tgz', BOMB_MESSAGE.replace('1073741824', String(128 * 256 * 1024))]]);
  });
});
