/**
 * Reading files: bytes → text, with a clear diagnostic for what is not text.
 */
import { VFile } from 'vfile';
import type { LanguageId, SourceFile } from '../types.js';

/** Files larger than this are not read (a diagnostic names them). */
export const DEFAULT_MAX_FILE_BYTES = 32 * 1024 * 1024;

export type Decoded = { ok: true; text: string } | { ok: false; reason: string };

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** Decode bytes as UTF-8 text; refuse binary data, UTF-16 and invalid UTF-8. */
export function decode(bytes: Uint8Array): Decoded {
  if (bytes.length >= 2 && ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff))) {
    return { ok: false, reason: 'is UTF-16 encoded; the tools that read it expect UTF-8 (or ASCII) text' };
  }
  const nul = bytes.indexOf(0);
  if (nul !== -1) return { ok: false, reason: `is a binary file (NUL byte at offset ${nul}), not text` };
  try {
    let text = utf8.decode(bytes);
    if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    return { ok: true, text };
  } catch {
    return { ok: false, reason: `is not valid UTF-8 (first bad byte at offset ${firstInvalidUtf8(bytes)})` };
  }
}

function firstInvalidUtf8(b: Uint8Array): number {
  let i = 0;
  while (i < b.length) {
    const c = b[i]!;
    const n = c < 0x80 ? 0 : c >= 0xc2 && c <= 0xdf ? 1 : c >= 0xe0 && c <= 0xef ? 2 : c >= 0xf0 && c <= 0xf4 ? 3 : -1;
    if (n < 0) return i;
    for (let k = 1; k <= n; k++) if (i + k >= b.length || (b[i + k]! & 0xc0) !== 0x80) return i;
    i += n + 1;
  }
  return i;
}

/** Build a SourceFile for text that was read. */
export function sourceFile(init: {
  path: string;
  absolutePath: string;
  hostPath?: string;
  language: LanguageId;
  text: string;
}): SourceFile {
  return {
    path: init.path,
    absolutePath: init.absolutePath,
    hostPath: init.hostPath,
    language: init.language,
    text: init.text,
    vfile: new VFile({ path: init.path, value: init.text }),
  };
}
