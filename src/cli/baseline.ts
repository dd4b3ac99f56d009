/**
 * Baseline files: the fingerprints of a previous run, read from its hostlint
 * JSON output (`results[].fingerprint`, what `--write-baseline` writes) or its
 * SARIF (`runs[].results[].partialFingerprints["hostlint/v1"]`).
 */
import { shortReason } from '../config/load.js';
import { readRegularFile } from '../engine/read.js';
import { FINGERPRINT_KEY } from '../formatters/sarif.js';

export class BaselineError extends Error {}

/** The largest baseline read (a JSON or SARIF report). */
export const MAX_BASELINE_BYTES = 512 * 1024 * 1024;

export function readBaseline(file: string, shownAs = file): Set<string> {
  // Only a regular file, opened without blocking (a FIFO must not hang the run).
  const read = readRegularFile(file, MAX_BASELINE_BYTES);
  if (!read.ok) throw new BaselineError(`cannot read baseline ${shownAs} (${shortReason(read.reason)})`);
  const text = read.bytes.toString('utf8');
  return parseBaseline(text.replace(/^\uFEFF/, ''), shownAs);
}

export function parseBaseline(text: string, shownAs: string): Set<string> {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    // Not the parser's message: it quotes the file's first bytes (a baseline named through a link to a secret).
    throw new BaselineError(`baseline ${shownAs} is not JSON`);
  }
  const out = new Set<string>();
  const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  if (isObject(doc) && Array.isArray(doc.runs)) {
    // SARIF: every run's results.
    for (const run of doc.runs) {
      if (!isObject(run) || !Array.isArray(run.results)) continue;
      for (const result of run.results) {
        const fp = isObject(result) && isObject(result.partialFingerprints) ? result.partialFingerprints[FINGERPRINT_KEY] : undefined;
        if (typeof fp === 'string') out.add(fp);
      }
    }
    return out;
  }
  if (isObject(doc) && Array.isArray(doc.results)) {
    // hostlint JSON.
    for (const result of doc.results) {
      const fp = isObject(result) ? result.fingerprint : undefined;
      if (typeof fp === 'string') out.add(fp);
    }
    return out;
  }
  throw new BaselineError(`baseline ${shownAs} is neither hostlint JSON output (--format json) nor SARIF (--format sarif)`);
}
