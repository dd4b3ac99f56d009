/**
 * Archive snapshots are read in memory and contained: members named with
 * `..` or an absolute path, and hard links to such names, are refused with a
 * read-error naming them; symlinks resolve inside the snapshot (the machine
 * running hostlint is never read through them); an archive that cannot be
 * read is a read-error; one found by walking that holds no snapshot (a Helm
 * chart) is not a host and is skipped.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { rules } from '../../rules/index.js';
import { Config } from '../../src/config/load.js';
import { openArchive } from '../../src/engine/archive.js';
import { runScopes } from '../../src/engine/linter.js';
import { loadPathsAsync } from '../../src/engine/load.js';
import { artifactLocation } from '../../src/formatters/sarif.js';
import { tarGz, type TarEntry } from '../helpers/tar.js';

const BASE: TarEntry[] = [
  { name: 'db02/', type: 'directory' },
  { name: 'db02/etc/sysctl.conf', type: 'file', content: 'net.ipv4.tcp_tw_recycle = 1\n' },
  { name: 'db02/proc/sys/kernel/osrelease', type: 'file', content: '3.10.0-1160.el7.x86_64\n' },
];

async function lintArchive(entries: TarEntry[], name = 'db02.tgz', paths = [name]) {
  const cwd = mkdtempSync(path.join(tmpdir(), 'hostlint-archive-'));
  writeFileSync(path.join(cwd, name), await tarGz(entries));
  const config = Config.empty(cwd);
  const loaded = await loadPathsAsync(paths, { cwd, config });
  const report = runScopes(loaded.scopes, loaded.diagnostics, { config, rules, cwd, toolVersion: 'test' });
  return { loaded, results: report.files.flatMap((f) => f.results) };
}

const brief = (r: { ruleId: string; file: string; message: string; host?: string }) => [r.ruleId, r.file, r.message, r.host];

describe('archive containment', () => {
  it('refuses members that leave the archive, and still lints the rest', async () => {
    const { results } = await lintArchive([
      ...BASE,
      { name: '../../etc/shadow', type: 'file', content: 'root:x:0:0\n' },
      { name: '/etc/passwd', type: 'file', content: 'root:x:0:0\n' },
      { name: 'db02/etc/sysctl.d/10-up.conf', type: 'link', linkname: '../outside.conf' },
    ]);
    expect(results.filter((r) => r.ruleId === 'read-error').map(brief)).toEqual([
      // Named outside the archive: reported on the archive itself (issue 13), so no location leaves it.
      ['read-error', 'db02.tgz', 'Archive member `../../etc/shadow` has a `..` path segment: refused, it would leave the snapshot', 'db02'],
      ['read-error', 'db02.tgz', 'Archive member `/etc/passwd` has an absolute path: refused, it would leave the snapshot', 'db02'],
      ['read-error', 'db02.tgz!/db02/etc/sysctl.d/10-up.conf', 'Archive member `db02/etc/sysctl.d/10-up.conf` is a hard link to `../outside.conf`, which has a `..` path segment: refused, it would leave the snapshot', 'db02'],
    ]);
    expect(results.filter((r) => r.ruleId === 'sysctl-tw-recycle').map((r) => r.file)).toEqual(['db02.tgz!/db02/etc/sysctl.conf']);
  });

  it('resolves symlinks inside the snapshot: absolute targets and `..` past the root stay in it', async () => {
    const { loaded } = await lintArchive([
      ...BASE,
      { name: 'db02/etc/sysctl.d/', type: 'directory' },
      // On the host, /etc/sysctl.d/99-sysctl.conf -> ../sysctl.conf is the same file.
      { name: 'db02/etc/sysctl.d/99-sysctl.conf', type: 'symlink', linkname: '../sysctl.conf' },
      // An absolute target means the snapshot's file; `..` above the root is the root.
      { name: 'db02/etc/sysctl.d/50-net.conf', type: 'symlink', linkname: '/usr/lib/sysctl.d/50-net.conf' },
      { name: 'db02/usr/lib/sysctl.d/50-net.conf', type: 'file', content: 'net.core.somaxconn = 1024\n' },
      { name: 'db02/etc/sysctl.d/60-escape.conf', type: 'symlink', linkname: '../../../../../../../etc/hostname' },
      // A hard link inside the archive is the file it links to.
      { name: 'db02/etc/sysctl.d/70-copy.conf', type: 'link', linkname: 'db02/usr/lib/sysctl.d/50-net.conf' },
    ]);
    const host = loaded.scopes.find((s) => s.kind === 'host')!;
    const files = host.files.filter((f) => f.language === 'sysctl').map((f) => [f.hostPath, f.path, f.linkedFrom ?? []]);
    expect(files).toEqual([
      ['/etc/sysctl.conf', 'db02.tgz!/db02/etc/sysctl.conf', ['/etc/sysctl.d/99-sysctl.conf']],
      ['/usr/lib/sysctl.d/50-net.conf', 'db02.tgz!/db02/usr/lib/sysctl.d/50-net.conf', ['/etc/sysctl.d/50-net.conf']],
      ['/etc/sysctl.d/70-copy.conf', 'db02.tgz!/db02/etc/sysctl.d/70-copy.conf', []],
    ]);
    // /etc/hostname is not in the snapshot: the escaping link reads nothing (no file, no error).
    expect(host.files.some((f) => f.text.includes(require_hostname()))).toBe(false);
    expect(loaded.diagnostics).toEqual([]);
  });

  it('reads a link target that is not a file hostlint would read by itself (a second pass)', async () => {
    const { loaded } = await lintArchive([
      ...BASE,
      { name: 'db02/etc/resolv.conf', type: 'symlink', linkname: '/run/NetworkManager/resolv.conf' },
      { name: 'db02/run/NetworkManager/resolv.conf', type: 'file', content: 'nameserver 10.0.0.2\nsearch corp.example.com\n' },
    ]);
    const host = loaded.scopes.find((s) => s.kind === 'host')!;
    const resolv = host.files.find((f) => f.language === 'resolv')!;
    expect([resolv.hostPath, resolv.path, resolv.linkedFrom, resolv.text]).toEqual([
      '/run/NetworkManager/resolv.conf',
      'db02.tgz!/db02/run/NetworkManager/resolv.conf',
      undefined, // read as /etc/resolv.conf, found where the link points
      'nameserver 10.0.0.2\nsearch corp.example.com\n',
    ]);
  });

  it('a corrupt archive is a read-error; an archive without a snapshot is one when named, skipped when found', async () => {
    const cwd = mkdtempSync(path.join(tmpdir(), 'hostlint-archive-'));
    writeFileSync(path.join(cwd, 'broken.tgz'), Buffer.from('this is not gzip'));
    writeFileSync(path.join(cwd, 'chart-1.0.0.tgz'), await tarGz([{ name: 'chart/Chart.yaml', type: 'file', content: 'name: chart\n' }]));
    const config = Config.empty(cwd);
    const walked = await loadPathsAsync(['.'], { cwd, config });
    expect(walked.diagnostics.map(brief)).toEqual([['read-error', 'broken.tgz', 'Archive cannot be read as a gzip-compressed tar archive (Z_DATA_ERROR)', 'broken']]);
    expect(walked.scopes.filter((s) => s.kind === 'host')).toEqual([]);
    const named = await loadPathsAsync(['chart-1.0.0.tgz'], { cwd, config });
    expect(named.diagnostics.map(brief)).toEqual([
      ['read-error', 'chart-1.0.0.tgz', 'Archive holds no host snapshot (`etc/` and one of `proc/`, `sys/`, `sos_commands/` at its top or in its only top-level folder)', 'chart-1.0.0'],
    ]);
  });

  it('keeps only the members hostlint reads in memory', async () => {
    const cwd = mkdtempSync(path.join(tmpdir(), 'hostlint-archive-'));
    const file = path.join(cwd, 'big.tgz');
    writeFileSync(file, await tarGz([...BASE, { name: 'db02/var/log/messages', type: 'file', content: 'x'.repeat(1 << 20) }]));
    const opened = await openArchive(file, { maxFileBytes: 32 << 20 });
    expect(opened.ok).toBe(true);
    if (!opened.ok) return;
    expect(opened.snapshot.exists('/var/log/messages')).toBe(true);
    expect(opened.snapshot.read('/var/log/messages')).toEqual({ ok: false, missing: false, reason: 'is 1048576 bytes, over the size limit' });
    expect(opened.snapshot.read('/etc/sysctl.conf')).toMatchObject({ ok: true, size: 28 });
  });
});

describe('SARIF locations of archive members', () => {
  it('keep the archive path and the member path, `!` marking where the archive ends', () => {
    expect(artifactLocation('fleet/db02.tgz!/sosreport-db02/etc/sysctl.conf', '/work')).toEqual({ uri: 'fleet/db02.tgz!/sosreport-db02/etc/sysctl.conf', uriBaseId: '%SRCROOT%' });
    expect(artifactLocation('fleet/web 01.tar.xz!/etc/sysctl.d/a b.conf', '/work')).toEqual({ uri: 'fleet/web%2001.tar.xz!/etc/sysctl.d/a%20b.conf', uriBaseId: '%SRCROOT%' });
  });
});

function require_hostname(): string {
  return 'root:x:0:0';
}
