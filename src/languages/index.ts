/**
 * The language registry: every language hostlint reads, in the order
 * classification tries them.
 */
import type { LanguageId } from '../types.js';
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
