/**
 * The fact providers. A new fact is one file in src/facts/ and one entry
 * here: the snapshot reader lists the paths the providers declare
 * (src/engine/classify.ts derives SNAPSHOT_PATTERNS and SNAPSHOT_MARKERS from
 * this list), and the entries of FactSet come from FACT_SET.
 */
import type { ConfigFacts } from '../config/load.js';
import { cniProvider } from './cni.js';
import { cpusProvider } from './cpus.js';
import { interfacesProvider } from './interfaces.js';
import { kernel } from './kernel.js';
import { kubeletProvider } from './kubelet.js';
import { kubernetesNode } from './kubernetes.js';
import { liveSysctlProvider } from './live-sysctl.js';
import { modulesProvider } from './modules.js';
import { nat } from './nat.js';
import { physicalMtu } from './physical-mtu.js';
import { procps } from './procps.js';
import type { FactProvider, FactScope, FactSet, FactSetProvider, FactSetValues, RunJoin } from './provider.js';
import { resolvProvider } from './resolv.js';
import { sysctlProvider } from './sysctl.js';
import { systemdProvider } from './systemd.js';
import { tunedProvider } from './tuned.js';

/** Every provider, in the order the snapshot reader lists their paths. */
export const FACT_PROVIDERS: readonly FactProvider[] = [
  sysctlProvider,
  resolvProvider,
  cniProvider,
  kernel,
  interfacesProvider,
  liveSysctlProvider,
  nat,
  kubeletProvider,
  modulesProvider,
  procps,
  cpusProvider,
  tunedProvider,
  kubernetesNode,
  systemdProvider,
  physicalMtu,
];

/** The providers of FactSet's entries, in FactSet's order. */
const FACT_SET: { [K in keyof FactSetValues]: FactSetProvider<K> } = { kernel, kubernetesNode, nat, physicalMtu, procps };

/** The host paths the providers read, as globs relative to a snapshot root (`*` is one path segment). */
export function snapshotPatterns(providers: readonly FactProvider[] = FACT_PROVIDERS): string[] {
  return [...new Set(providers.flatMap((p) => p.paths ?? []))];
}

/** The host paths whose presence the providers read. */
export function snapshotMarkers(providers: readonly FactProvider[] = FACT_PROVIDERS): string[] {
  return [...new Set(providers.flatMap((p) => p.markers ?? []))];
}

/** The facts of a host scope (`config`: the configuration's facts for its root). */
export function hostFacts(scope: FactScope, config: ConfigFacts): FactSet {
  const out = {} as Record<string, unknown>;
  for (const [key, provider] of Object.entries(FACT_SET)) out[key] = (provider as FactSetProvider<keyof FactSetValues>).host(scope, config);
  return out as FactSet;
}

/** The facts of a file of the repository scope (`config`: the configuration's facts for its path). */
export function repositoryFacts(config: ConfigFacts, join: RunJoin): FactSet {
  const out = {} as Record<string, unknown>;
  for (const [key, provider] of Object.entries(FACT_SET)) out[key] = (provider as FactSetProvider<keyof FactSetValues>).repository(config, join);
  return out as FactSet;
}

export type { FactProvider, FactScope, FactSet, FactSetProvider, Kernel, RunJoin } from './provider.js';
