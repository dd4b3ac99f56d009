/**
 * "Did you mean …?" for misspelt flags, commands, formats and rule ids.
 *
 * The rule is commander.js's (`suggestSimilar.js`): a candidate is close when
 * it is at most two edits away and the edits leave more than 40% of the
 * longer of the two strings; the closest ones win. The distance is
 * Levenshtein's (fastest-levenshtein), compared case-insensitively.
 */
import { distance } from 'fastest-levenshtein';

const MAX_DISTANCE = 2;
const MIN_SIMILARITY = 0.4;

/** The candidates closest to `input` (at most three, sorted), or none. */
export function closest(input: string, candidates: Iterable<string>): string[] {
  const word = input.toLowerCase();
  // Bounded: nothing longer than this is compared (an input is a name, not a file).
  if (word.length === 0 || word.length > 200) return [];
  let best = MAX_DISTANCE + 1;
  let found: string[] = [];
  for (const candidate of new Set(candidates)) {
    const other = candidate.toLowerCase();
    if (other === word || Math.abs(other.length - word.length) > MAX_DISTANCE) continue;
    const d = distance(word, other);
    const length = Math.max(word.length, other.length);
    if ((length - d) / length <= MIN_SIMILARITY) continue;
    if (d < best) {
      best = d;
      found = [candidate];
    } else if (d === best) {
      found.push(candidate);
    }
  }
  return found.sort().slice(0, 3);
}

/**
 * `did you mean `x`?` (or `` `x` or `y` ``), with `prefix` before it, or ''
 * when nothing is close. `quote` wraps each candidate.
 */
export function didYouMean(input: string, candidates: Iterable<string>, prefix = '; ', quote: (s: string) => string = (s) => `\`${s}\``): string {
  const found = closest(input, candidates);
  return found.length === 0 ? '' : `${prefix}did you mean ${found.map(quote).join(' or ')}?`;
}
