/**
 * Parsing: a file goes through its language's unified processor (src/languages/).
 */
import { VFile } from 'vfile';
import { languageOf } from '../languages/index.js';
import { parseFactFile } from '../parsers/fact.js';
import type { FactFileKind, LanguageId, ParseResult, SourceFile } from '../types.js';
import { ORIGIN } from '../util/position.js';

/**
 * Parse a file's VFile in a language; a parser failure becomes a problem,
 * never an exception.
 */
export function parseVFile(vfile: VFile, language: LanguageId, factKind?: FactFileKind): ParseResult {
  try {
    if (factKind !== undefined) vfile.data.factKind = factKind;
    languageOf(language).processor.parse(vfile);
    const parsed = vfile.data.hostlintParse!;
    // The parse stays on the SourceFile (`parsed`), not on the VFile as well.
    delete vfile.data.hostlintParse;
    return parsed;
  } catch (error) {
    const message = `Parser failed: ${error instanceof Error ? error.message : String(error)}`;
    return {
      tree: parseFactFile('', 'osrelease').tree,
      problems: [{ message, position: ORIGIN }],
      comments: [],
    };
  }
}

/** Parse (again) a source file: its text through its language's processor. */
export function parseSourceFile(file: SourceFile): void {
  file.parsed = parseVFile(file.vfile, file.language, file.factKind);
}

/** Parse text in a language (a file not linted as such: a fragment, a test). */
export function parseText(text: string, language: LanguageId, factKind?: FactFileKind): ParseResult {
  return parseVFile(new VFile({ value: text }), language, factKind);
}
