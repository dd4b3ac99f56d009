/**
 * The collector script (`hostlint collect`): collect.sh beside this module
 * (copied into dist/ by the build).
 */
import { readFileSync } from 'node:fs';

export function collectScript(): string {
  return readFileSync(new URL('./collect.sh', import.meta.url), 'utf8');
}
