/**
 * Which language a file is: by path first, then by content. Each language
 * (src/languages/) says which paths are its own.
 */
import { snapshotMarkers, snapshotPatterns } from '../facts/index.js';
import { LANGUAGES, type Classification } from '../languages/index.js';

export type { Classification };

/**
 * The host paths hostlint reads in a snapshot, as globs relative to its root
 * (`*` is one path segment): the paths the fact providers (src/facts/) declare.
 * The snapshot reader lists only these.
 */
export const SNAPSHOT_PATTERNS: readonly string[] = snapshotPatterns();

/** Host paths whose presence the snapshot records: the markers the fact providers declare. */
export const SNAPSHOT_MARKERS: readonly string[] = snapshotMarkers();

/** Classify a file of a host snapshot by its path on the host (`/etc/sysctl.conf`). */
export function classifyHostPath(hostPath: string): Classification | undefined {
  for (const language of LANGUAGES) {
    const found = language.fromHostPath(hostPath);
    if (found) return found;
  }
  return undefined;
}

/** Files that look like YAML but are configuration of tools, never Kubernetes objects. */
const TOOL_CONFIGS = new Set(['.hostlint.yaml', '.hostlint.yml', '.pre-commit-config.yaml', '.pre-commit-hooks.yaml']);

/**
 * Classify a repository file by its path (relative, forward slashes), then by
 * content where the language needs it (YAML). Undefined: not a file hostlint reads.
 */
export function classifyRepoPath(relPath: string, sniff?: () => string): Classification | undefined {
  const lower = relPath.toLowerCase();
  const base = lower.slice(lower.lastIndexOf('/') + 1);
  if (TOOL_CONFIGS.has(base)) return undefined;
  for (const language of LANGUAGES) {
    const found = language.fromRepoPath?.(lower, base, sniff);
    if (found) return found;
  }
  return undefined;
}
