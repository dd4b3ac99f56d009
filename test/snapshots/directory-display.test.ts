/**
 * DirectorySnapshot.display (a path relative to the working directory, asked
 * for every file of every host) equals path.relative for every working
 * directory: outside the snapshot, the snapshot itself, inside it, and for
 * host paths that are not plain (`..`, `.`, `//`, a trailing slash). And
 * `form` from the root's listing equals what a stat of sos_commands says.
 */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DirectorySnapshot } from '../../src/engine/snapshot.js';

const top = mkdtempSync(path.join(tmpdir(), 'hostlint-display-'));
afterAll(() => rmSync(top, { recursive: true, force: true }));

function reference(cwd: string, root: string, hostPath: string): string {
  const rel = path.relative(cwd, path.join(root, hostPath));
  return (rel === '' ? '.' : rel).split(path.sep).join('/');
}

describe('DirectorySnapshot.display', () => {
  const root = path.join(top, 'fleet', 'web01');
  mkdirSync(path.join(root, 'etc'), { recursive: true });
  const cwds = [top, path.join(top, 'fleet'), root, path.join(root, 'etc'), path.join(root, 'etc', 'sysctl.d'), path.join(top, 'elsewhere', 'deep'), '/', path.join(top, 'fleet', 'web0'), path.join(top, 'fleet', 'web01x')];
  const hostPaths = ['/', '/etc', '/etc/sysctl.conf', '/etc/sysctl.d/99-x.conf', '/etc/.hidden', '/etc/..', '/etc/../etc/x', '/./etc', '//etc', '/etc/', 'etc/x', '/etc/x/.', '/..', '/...', '/etc/..x', '/étc/ü'];
  it.each(cwds.map((c) => [path.relative(top, c) || '.', c]))('cwd %s', (_name, cwd) => {
    const snap = new DirectorySnapshot(root);
    for (const hostPath of hostPaths) {
      expect(snap.display(cwd, hostPath)).toBe(reference(cwd, root, hostPath));
    }
  });
  it('the working directory may change between calls', () => {
    const snap = new DirectorySnapshot(root);
    for (const cwd of [...cwds, ...cwds.reverse()]) expect(snap.display(cwd, '/etc/sysctl.conf')).toBe(reference(cwd, root, '/etc/sysctl.conf'));
  });
});

describe('DirectorySnapshot.form', () => {
  const make = (name: string, sos: 'dir' | 'file' | 'link-dir' | 'link-file' | 'none') => {
    const root = path.join(top, 'forms', name);
    mkdirSync(path.join(root, 'etc'), { recursive: true });
    if (sos === 'dir') mkdirSync(path.join(root, 'sos_commands'));
    if (sos === 'file') writeFileSync(path.join(root, 'sos_commands'), 'x');
    if (sos === 'link-dir') {
      mkdirSync(path.join(root, 'real'));
      symlinkSync('real', path.join(root, 'sos_commands'));
    }
    if (sos === 'link-file') symlinkSync('etc/missing', path.join(root, 'sos_commands'));
    return root;
  };
  it.each([
    ['dir', 'sosreport'],
    ['file', 'directory'],
    ['link-dir', 'sosreport'],
    ['link-file', 'directory'],
    ['none', 'directory'],
  ] as const)('sos_commands %s: %s', (sos, form) => {
    const snap = new DirectorySnapshot(make(sos, sos));
    expect(snap.form).toBe(form);
    // The same after the paths were looked up (the root listed).
    const listed = new DirectorySnapshot(make(`${sos}-listed`, sos));
    listed.listReadable();
    expect(listed.form).toBe(form);
  });
});
