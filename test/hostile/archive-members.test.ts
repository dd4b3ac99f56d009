/**
 * Appended archives and hard links (issue 13, class 11): a name that appears
 * twice (`cat bad.tgz benign.tgz`, `tar -r`) is a read-error naming it, and
 * the first copy is read (GNU tar reads only the first of concatenated
 * archives), so a benign copy can never hide a finding; a legitimate hard link
 * (GNU tar stores the first name as the file, later names as links to it)
 * reads the linked bytes, whatever the first name is; an archive of more than
 * MAX_ARCHIVE_MEMBERS members is refused (memory bounded by count too).
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { MAX_ARCHIVE_MEMBERS, openArchive } from '../../src/engine/archive.js';
import { writeTree } from '../helpers/lint.js';
import { tarGz, type TarEntry } from '../helpers/tar.js';
import { atStart, lintJson, TW } from './helpers.js';

// These tests start the real CLI (child processes, worker threads): on a loaded machine that takes seconds.
vi.setConfig({ testTimeout: 120_000 });

const OSRELEASE = '3.10.0-1160.el7.x86_64\n';
const BENIGN = 'net.ipv4.tcp_tw_recycle = 0\n';
const base = (host: string): TarEntry[] => [
  { name: `${host}/`, type: 'directory' },
  { name: `${host}/etc/`, type: 'directory' },
  { name: `${host}/proc/sys/kernel/osrelease`, type: 'file', content: OSRELEASE },
];
const dup = (member: string) =>
  atStart('read-error', `db02.tgz!/${member}`, `Archive member \`${member}\` appears more than once in the archive (appended archives or members); the first copy is read, as GNU tar reads only the first of concatenated archives`);

async function lintArchive(bytes: Buffer) {
  const cwd = writeTree({});
  writeFileSync(path.join(cwd, 'db02.tgz'), bytes);
  const r = await lintJson(cwd, ['db02.tgz']);
  return { code: r.code, rows: r.rows.map((x) => [x.ruleId, x.file, x.message]), raw: r.rows };
}

describe('a name twice', () => {
  it('cat bad.tgz benign.tgz: the bad copy is read and the duplicate named; exit 1', async () => {
    const bad = await tarGz([...base('db02'), { name: 'db02/etc/sysctl.conf', type: 'file', content: TW }]);
    const benign = await tarGz([...base('db02'), { name: 'db02/etc/sysctl.conf', type: 'file', content: BENIGN }]);
    const r = await lintArchive(Buffer.concat([bad, benign]));
    expect(r.code).toBe(1);
    expect(r.raw.filter((x) => x.ruleId === 'read-error')).toEqual([dup('db02/proc/sys/kernel/osrelease'), dup('db02/etc/sysctl.conf')].sort((a, b) => (a.file < b.file ? -1 : 1)));
    expect(r.rows.filter((x) => x[0] === 'sysctl-tw-recycle').map((x) => x[1])).toEqual(['db02.tgz!/db02/etc/sysctl.conf']);
  });

  it('cat benign.tgz bad.tgz: never clean either (the duplicate is an error)', async () => {
    const bad = await tarGz([...base('db02'), { name: 'db02/etc/sysctl.d/99-x.conf', type: 'file', content: TW }]);
    const benign = await tarGz([...base('db02'), { name: 'db02/etc/sysctl.d/99-x.conf', type: 'file', content: BENIGN }]);
    const r = await lintArchive(Buffer.concat([benign, bad]));
    expect(r.code).toBe(1);
    expect(r.raw.filter((x) => x.ruleId === 'read-error').map((x) => x.file)).toEqual(['db02.tgz!/db02/etc/sysctl.d/99-x.conf', 'db02.tgz!/db02/proc/sys/kernel/osrelease']);
  });

  it('one archive with a member appended (tar -r), and a symlink then a file of one name', async () => {
    const r = await lintArchive(
      await tarGz([
        ...base('db02'),
        { name: 'db02/etc/resolv.conf', type: 'symlink', linkname: '/run/resolv.conf' },
        { name: 'db02/etc/sysctl.conf', type: 'file', content: TW },
        { name: 'db02/etc/sysctl.conf', type: 'file', content: BENIGN },
        { name: 'db02/etc/resolv.conf', type: 'file', content: 'nameserver 10.0.0.1\n' },
      ]),
    );
    expect(r.code).toBe(1);
    expect(r.raw.filter((x) => x.ruleId === 'read-error')).toEqual([dup('db02/etc/resolv.conf'), dup('db02/etc/sysctl.conf')]);
  });
});

describe('legitimate hard links', () => {
  it.each([
    ['a file outside the kept paths, linked as etc/sysctl.conf', 'db02/usr/lib/backup/sysctl.conf', 'db02/etc/sysctl.conf'],
    ['a drop-in linked under another name', 'db02/root/notes.txt', 'db02/etc/sysctl.d/50-net.conf'],
    ['a file linked from a second drop-in', 'db02/etc/sysctl.d/10-a.conf', 'db02/etc/sysctl.d/20-b.conf'],
  ])('%s: the linked bytes are read, no size-limit error', async (_name, first, link) => {
    const r = await lintArchive(await tarGz([...base('db02'), { name: first, type: 'file', content: TW }, { name: link, type: 'link', linkname: first }]));
    expect(r.rows.filter((x) => x[0] === 'read-error')).toEqual([]);
    expect(r.rows.filter((x) => x[0] === 'sysctl-tw-recycle').map((x) => x[1])).toContain(`db02.tgz!/${link}`);
    expect(r.code).toBe(1);
  });
});

describe('members bounded by count', () => {
  it('more than the limit of tiny members: the archive is refused (limit lowered to 2,000 here; the default is 100,000)', async () => {
    const many: TarEntry[] = [...base('db02')];
    for (let i = 0; i < 2000; i++) many.push({ name: `db02/d/${i}`, type: 'directory' });
    const dir = writeTree({});
    const file = path.join(dir, 'db02.tgz');
    writeFileSync(file, await tarGz(many));
    expect(await openArchive(file, { maxFileBytes: 1 << 20, maxMembers: 2000 })).toEqual({ ok: false, notSnapshot: false, reason: 'has more than 2000 members: refused (memory is bounded by members as well as bytes)' });
    const within = await openArchive(file, { maxFileBytes: 1 << 20, maxMembers: 2003 });
    expect(within.ok).toBe(true);
    expect(MAX_ARCHIVE_MEMBERS).toBe(100_000);
  });
});

describe('a refused member named outside the archive', () => {
  it('keeps its SARIF location on the archive, never on a repository file', async () => {
    const { runCli } = await import('../helpers/cli.js');
    const cwd = writeTree({});
    writeFileSync(
      path.join(cwd, 'db02.tgz'),
      await tarGz([...base('db02'), { name: '../../.github/workflows/release.yml', type: 'file', content: 'on: push\n' }, { name: '/.github/x.yml', type: 'file', content: 'x\n' }]),
    );
    const r = await runCli(['-f', 'sarif', 'db02.tgz'], { cwd });
    const uris = (JSON.parse(r.stdout).runs[0].results as Array<{ locations: Array<{ physicalLocation: { artifactLocation: { uri: string } } }> }>).map((x) => x.locations[0]!.physicalLocation.artifactLocation.uri);
    expect(uris).toEqual(['db02.tgz', 'db02.tgz']);
  });
});
