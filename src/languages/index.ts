/**
 * The language registry: every language hostlint reads, in the order
 * classification tries them.
 */
import type { LanguageId, SourceFile } from '../types.js';
import { cni } from './cni.js';
import { fact } from './fact.js';
import { felix } from './felix.js';
import { kube } from './kube.js';
import type { Language } from './language.js';
import { resolv } from './resolv.js';
import { sysctl } from './sysctl.js';
import { sysctlDump } from './sysctl-dump.js';

export type { Classification, Language } from './language.js';

/** The languages, in classification order. */
export const LANGUAGES = [sysctl, sysctlDump, resolv, felix, cni, kube, fact] as const;

/** Node types by language and `type`: the map typed visitors are derived from. */
export type NodeTypes = {
  [L in (typeof LANGUAGES)[number] as L['id']]: NonNullable<L['nodes']>;
};

const byId = new Map<LanguageId, Language>(LANGUAGES.map((l) => [l.id, l as unknown as Language]));

export function languageOf(id: LanguageId): Language {
  const language = byId.get(id);
  if (!language) throw new Error(`unknown language ${id}`);
  return language;
}

/** The root node type of a language's tree. */
export type RootOf<L extends LanguageId> = NodeTypes[L]['root'];

/**
 * A file's tree, typed by its language: undefined when the file was not
 * parsed or its tree is of none of `languages`. What rules use instead of
 * casting `file.parsed.tree`.
 */
export function treeOf<L extends LanguageId>(file: SourceFile, ...languages: L[]): RootOf<L> | undefined {
  const tree = file.parsed?.tree;
  return tree && (languages as LanguageId[]).includes(tree.language) ? (tree as RootOf<L>) : undefined;
}
