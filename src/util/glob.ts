/**
 * Glob matching without regular expressions, in time bounded by the product
 * of the pattern's and the name's lengths (never exponential: there is no
 * backtracking regex to blow up, whatever an untrusted file or configuration
 * writes).
 *
 * - `sysctlGlob`: sysctl keys (`net.ipv4.conf.*.rp_filter`): fnmatch over
 *   `.`-separated names, `*` and `?` never match a `.` (systemd-sysctl and
 *   procps apply them with glob(3) over /proc/sys, where `.` is `/`).
 * - `pathGlob`: `.hostlint.yaml` globs (`ignores`, `overrides[].files`,
 *   `languages`) over `/`-separated relative paths: `**` matches any number
 *   of whole segments, `*`, `?` and `[...]` match inside one segment and
 *   match dot files too (picomatch's `dot: true`), `{a,b}` alternatives, a
 *   leading `!` negates.
 *
 * Each segment is matched with the classic wildcard algorithm that remembers
 * only the last `*` (O(pattern × name) steps); whole segments are matched the
 * same way with `**` as the star. `steps` counts the comparisons made, so
 * tests can show the bound without timing anything.
 */

type Token = { kind: 'char'; c: string } | { kind: 'any' } | { kind: 'star' } | { kind: 'class'; negate: boolean; items: Array<[string, string]> };

/** Comparisons made by every matcher since the start (for tests of the bound). */
export const globSteps = { count: 0 };

/** At most this many alternatives from `{a,b}` expansion; more is refused. */
export const MAX_BRACE_ALTERNATIVES = 256;

export class GlobError extends Error {}

function compileSegment(pattern: string): Token[] {
  const chars = Array.from(pattern);
  const tokens: Token[] = [];
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i]!;
    if (c === '*') {
      if (tokens[tokens.length - 1]?.kind !== 'star') tokens.push({ kind: 'star' }); // `**` inside a segment is one `*`
    } else if (c === '?') tokens.push({ kind: 'any' });
    else if (c === '\\' && i + 1 < chars.length) tokens.push({ kind: 'char', c: chars[++i]! });
    else if (c === '[') {
      const cls = compileClass(chars, i);
      if (cls) {
        tokens.push(cls.token);
        i = cls.end;
      } else tokens.push({ kind: 'char', c }); // an unterminated `[` is itself (fnmatch)
    } else tokens.push({ kind: 'char', c });
  }
  return tokens;
}

function compileClass(chars: string[], start: number): { token: Token; end: number } | undefined {
  let i = start + 1;
  let negate = false;
  if (chars[i] === '!' || chars[i] === '^') {
    negate = true;
    i++;
  }
  const items: Array<[string, string]> = [];
  let first = true;
  for (; i < chars.length; i++) {
    let c = chars[i]!;
    if (c === ']' && !first) return { token: { kind: 'class', negate, items }, end: i };
    first = false;
    if (c === '\\' && i + 1 < chars.length) c = chars[++i]!;
    if (chars[i + 1] === '-' && i + 2 < chars.length && chars[i + 2] !== ']') {
      let hi = chars[i + 2]!;
      i += 2;
      if (hi === '\\' && i + 1 < chars.length) hi = chars[++i]!;
      items.push([c, hi]);
    } else items.push([c, c]);
  }
  return undefined;
}

function tokenMatches(t: Token, c: string): boolean {
  if (t.kind === 'any') return true;
  if (t.kind === 'char') return t.c === c;
  if (t.kind === 'class') {
    let hit = false;
    for (const [lo, hi] of t.items) if (c >= lo && c <= hi) hit = true;
    return hit !== t.negate;
  }
  return false;
}

/** Wildcard matching with one remembered star: O(tokens × chars). */
function matchTokens(tokens: Token[], chars: string[]): boolean {
  let p = 0;
  let s = 0;
  let starP = -1;
  let starS = 0;
  while (s < chars.length) {
    globSteps.count++;
    const t = tokens[p];
    if (t && t.kind === 'star') {
      starP = p++;
      starS = s;
    } else if (t && tokenMatches(t, chars[s]!)) {
      p++;
      s++;
    } else if (starP >= 0) {
      p = starP + 1;
      s = ++starS;
    } else return false;
  }
  while (tokens[p]?.kind === 'star') p++;
  return p === tokens.length;
}

/** A matcher for one sysctl glob key: fnmatch per `.`-separated part. */
export function sysctlGlob(pattern: string): (key: string) => boolean {
  const parts = pattern.split('.').map(compileSegment);
  return (key: string) => {
    const names = key.split('.');
    if (names.length !== parts.length) return false;
    for (let i = 0; i < parts.length; i++) if (!matchTokens(parts[i]!, Array.from(names[i]!))) return false;
    return true;
  };
}

/** `{a,b}` alternatives (nested too), at most MAX_BRACE_ALTERNATIVES of them. */
export function expandBraces(pattern: string): string[] {
  // Find the first top-level `{...}` that holds a top-level comma.
  for (let i = 0; i < pattern.length; i++) {
    if (pattern[i] === '\\') {
      i++;
      continue;
    }
    if (pattern[i] !== '{') continue;
    let depth = 0;
    const commas: number[] = [];
    let end = -1;
    for (let j = i; j < pattern.length; j++) {
      const c = pattern[j];
      if (c === '\\') {
        j++;
        continue;
      }
      if (c === '{') depth++;
      else if (c === '}' && --depth === 0) {
        end = j;
        break;
      } else if (c === ',' && depth === 1) commas.push(j);
    }
    if (end < 0) return [pattern];
    if (commas.length === 0) continue;
    const head = pattern.slice(0, i);
    const tail = pattern.slice(end + 1);
    const bounds = [i, ...commas, end];
    const out: string[] = [];
    for (let k = 0; k + 1 < bounds.length; k++) {
      for (const inner of expandBraces(head + pattern.slice(bounds[k]! + 1, bounds[k + 1]) + tail)) {
        out.push(inner);
        if (out.length > MAX_BRACE_ALTERNATIVES) throw new GlobError(`has more than ${MAX_BRACE_ALTERNATIVES} {…} alternatives`);
      }
    }
    return out;
  }
  return [pattern];
}

type Segment = { globstar: true } | { globstar: false; tokens: Token[] };

function compilePath(pattern: string): Segment[] {
  const segments: Segment[] = [];
  for (const part of pattern.replace(/^(\.\/)+/, '').split('/')) {
    if (part === '') continue;
    if (part === '**') {
      if (!(segments[segments.length - 1] as { globstar?: boolean } | undefined)?.globstar) segments.push({ globstar: true });
    } else segments.push({ globstar: false, tokens: compileSegment(part) });
  }
  return segments;
}

/** Segment-level wildcard matching, `**` being the star: O(segments × names) segment matches. */
function matchSegments(segments: Segment[], names: string[][]): boolean {
  let p = 0;
  let s = 0;
  let starP = -1;
  let starS = 0;
  while (s < names.length) {
    globSteps.count++;
    const seg = segments[p];
    if (seg && seg.globstar) {
      starP = p++;
      starS = s;
    } else if (seg && matchTokens(seg.tokens, names[s]!)) {
      p++;
      s++;
    } else if (starP >= 0) {
      p = starP + 1;
      s = ++starS;
    } else return false;
  }
  while ((segments[p] as { globstar?: boolean } | undefined)?.globstar) p++;
  return p === segments.length;
}

/**
 * A matcher for `.hostlint.yaml` globs over relative `/`-separated paths; true
 * when any of the patterns matches. Throws GlobError for a pattern it refuses.
 */
export function pathGlob(patterns: string[]): (file: string) => boolean {
  const positive: Segment[][] = [];
  const negative: Segment[][] = [];
  for (const raw of patterns) {
    const negate = raw.startsWith('!') && !raw.startsWith('!(');
    const body = negate ? raw.slice(1) : raw;
    if (/[@!+*?]\(/.test(body)) throw new GlobError('uses an extended glob (`@(…)`, `!(…)`, `+(…)`, `*(…)`, `?(…)`), which hostlint does not support');
    for (const alt of expandBraces(body)) (negate ? negative : positive).push(compilePath(alt));
  }
  return (file: string) => {
    const names = file.split('/').filter((n) => n !== '' && n !== '.').map((n) => Array.from(n));
    if (names.some((n) => n.length === 2 && n[0] === '.' && n[1] === '.')) return false; // never outside the base
    const hit = positive.length === 0 || positive.some((segs) => matchSegments(segs, names));
    return hit && !negative.some((segs) => matchSegments(segs, names));
  };
}
