/**
 * Building tar archives in tests (never committed as binaries): a directory
 * tree, or hand-written entries (for hostile archives), packed with
 * tar-stream, gzip-compressed with node:zlib or xz-compressed with the `xz`
 * command. Entries are sorted and carry a fixed mtime, owner and mode, so
 * the same tree always gives the same bytes.
 */
import { spawnSync } from 'node:child_process';
import { lstatSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import tar from 'tar-stream';

export type TarEntry =
  | { name: string; type: 'file'; content: string | Buffer }
  | { name: string; type: 'directory' }
  | { name: string; type: 'symlink'; linkname: string }
  | { name: string; type: 'link'; linkname: string };

const MTIME = new Date('2024-05-01T00:00:00Z');

/** The entries of a directory tree, under `prefix` (e.g. `web01/`), in name order. */
export function treeEntries(dir: string, prefix = ''): TarEntry[] {
  const out: TarEntry[] = [];
  const walk = (abs: string, rel: string) => {
    for (const name of readdirSync(abs).sort()) {
      const a = path.join(abs, name);
      const r = `${rel}${name}`;
      const st = lstatSync(a);
      if (st.isSymbolicLink()) out.push({ name: r, type: 'symlink', linkname: readlinkSync(a) });
      else if (st.isDirectory()) {
        out.push({ name: `${r}/`, type: 'directory' });
        walk(a, `${r}/`);
      } else out.push({ name: r, type: 'file', content: readFileSync(a) });
    }
  };
  if (prefix) out.push({ name: prefix, type: 'directory' });
  walk(dir, prefix);
  return out;
}

/** An uncompressed tar of `entries`. */
export async function tarOf(entries: TarEntry[]): Promise<Buffer> {
  const pack = tar.pack();
  const chunks: Buffer[] = [];
  pack.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<void>((resolve, reject) => {
    pack.on('end', () => resolve());
    pack.on('error', reject);
  });
  for (const e of entries) {
    const header = { name: e.name, mtime: MTIME, uid: 0, gid: 0, uname: 'root', gname: 'root' };
    if (e.type === 'file') {
      const content = typeof e.content === 'string' ? Buffer.from(e.content) : e.content;
      await new Promise<void>((resolve, reject) => pack.entry({ ...header, type: 'file', mode: 0o644, size: content.length }, content, (err) => (err ? reject(err) : resolve())));
    } else if (e.type === 'directory') {
      pack.entry({ ...header, type: 'directory', mode: 0o755 });
    } else {
      pack.entry({ ...header, type: e.type, mode: 0o777, linkname: e.linkname });
    }
  }
  pack.finalize();
  await done;
  return Buffer.concat(chunks);
}

export async function tarGz(entries: TarEntry[]): Promise<Buffer> {
  return gzipSync(await tarOf(entries), { level: 9 });
}

/** Whether the `xz` command is there to build .tar.xz archives. */
export function haveXz(): boolean {
  return spawnSync('xz', ['--version']).status === 0;
}

export async function tarXz(entries: TarEntry[]): Promise<Buffer> {
  const r = spawnSync('xz', ['-c', '-6'], { input: await tarOf(entries) });
  if (r.status !== 0) throw new Error(`xz failed: ${r.stderr.toString()}`);
  return r.stdout;
}
