/**
 * Shards of a fleet audit (`hostlint audit --shard INDEX/COUNT`): a host
 * belongs to shard `h mod COUNT`, where `h` is the first 48 bits of the
 * SHA-256 of its path relative to the audited root (the PATH it was found
 * under; the snapshot's own name when it was named itself), with forward
 * slashes. So the shards of one COUNT are disjoint and together complete, and
 * a host lands in the same shard from run to run, whatever directory the
 * fleet is mounted at.
 */
import path from 'node:path';

export interface Shard {
  /** 0-based. */
  index: number;
  count: number;
}

/** The most shards a run may have (a Kubernetes Indexed Job allows up to 100,000 completions). */
export const MAX_SHARDS = 100_000;

/** `INDEX/COUNT` (0 ≤ INDEX < COUNT ≤ 100000), or an error message. */
export function parseShard(text: string): Shard | string {
  const m = /^(\d{1,6})\/(\d{1,6})$/.exec(text.trim());
  if (!m) return `--shard takes INDEX/COUNT, e.g. 0/8 (INDEX from 0 to COUNT-1), not \`${text}\``;
  const index = Number(m[1]);
  const count = Number(m[2]);
  if (count < 1 || count > MAX_SHARDS) return `--shard: COUNT must be from 1 to ${MAX_SHARDS} (got ${count})`;
  if (index >= count) return `--shard: INDEX must be from 0 to ${count - 1} (got ${index}; INDEX is 0-based, as $JOB_COMPLETION_INDEX is)`;
  return { index, count };
}

/** The shard a host's relative path belongs to. */
export function shardOf(relativePath: string, count: number): number {
  const digest = process.getBuiltinModule('node:crypto').createHash('sha256').update(relativePath).digest();
  return digest.readUIntBE(0, 6) % count;
}

/**
 * A host's path relative to the audited root: relative to the deepest given
 * path that contains it, or its own base name when it is a given path.
 */
export function relativeToRoot(file: string, roots: string[]): string {
  let best: string | undefined;
  for (const r of roots) {
    if (r === file) continue;
    const rel = path.relative(r, file);
    if (rel === '' || rel.startsWith('..') || path.isAbsolute(rel)) continue;
    if (best === undefined || r.length > best.length) best = r;
  }
  const rel = best === undefined ? path.basename(file) : path.relative(best, file);
  return rel.split(path.sep).join('/');
}
