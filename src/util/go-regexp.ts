/**
 * Regular expressions written by users for Go programs (Felix's
 * `mtuIfacePattern`, Calico's interface patterns): RE2 syntax, matched the
 * way Go's `regexp.MatchString` does (anywhere in the string), by re2js, a
 * pure-JavaScript port of RE2 whose matching time is linear in the input
 * whatever the pattern (`^(a+)+$` cannot blow up as it does in V8's
 * backtracking engine). Patterns longer than MAX_PATTERN are refused.
 */
import { createRequire } from 'node:module';
import type { RE2JS } from 're2js';

/**
 * re2js is loaded on first use (synchronously): most runs never check a
 * pattern, and every audit worker thread would pay for loading it. In the
 * CommonJS bundle `__filename` is the bundle; in the ES module build,
 * `import.meta.url`.
 */
let engine: typeof RE2JS | undefined;
function re2(): typeof RE2JS {
  if (!engine) {
    const base = typeof __filename === 'string' ? __filename : import.meta.url;
    engine = (createRequire(base)('re2js') as { RE2JS: typeof RE2JS }).RE2JS;
  }
  return engine;
}

export const MAX_GO_PATTERN = 4096;

export interface GoRegExp {
  source: string;
  /** Go's `MatchString`: whether the pattern matches somewhere in `text`. */
  test(text: string): boolean;
}

/** The compiled pattern, or undefined when Go's RE2 would not accept it (Felix then fails to start). */
export function goRegExp(source: string): GoRegExp | undefined {
  if (source.length > MAX_GO_PATTERN) return undefined;
  let re: RE2JS;
  try {
    re = re2().compile(source);
  } catch {
    return undefined;
  }
  return { source, test: (text) => re.matcher(text).find() };
}
