// Types of src/dev/generate.mjs, for the tests that import it.
import type { RuleMeta } from '../types.js';

export const RULES_INDEX: string;
export const README: string;
export const TABLE_START: string;
export const TABLE_END: string;
export function ruleIdsIn(rulesDir: string): string[];
export function importName(id: string): string;
export function rulesIndexSource(ids: string[]): string;
export function readmeWithRulesTable(readme: string, metas: RuleMeta[], catalogMarkdown: (metas: RuleMeta[]) => string): string;
export interface GeneratedFile {
  /** Relative to the root. */
  path: string;
  /** What the generator would write. */
  text: string;
  /** What is on disk. */
  current: string;
}
export function generatedFiles(root: URL, built?: { metas?: RuleMeta[]; catalogMarkdown?: (metas: RuleMeta[]) => string }): GeneratedFile[];
