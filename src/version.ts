/** hostlint's version, from its package.json (`0.0.0` when that cannot be read). */
import { readFileSync } from 'node:fs';

let cached: string | undefined;

export function version(): string {
  if (cached !== undefined) return cached;
  try {
    // dist/src/version.js → the package root.
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    cached = pkg.version;
  } catch {
    cached = '0.0.0';
  }
  return cached;
}
