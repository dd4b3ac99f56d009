/**
 * Everything a rule module may import. Rules see the rule contract, the scope
 * and fact types, the tree types and the tree helpers — nothing of the CLI,
 * the formatters or the engine's internals.
 */
export { defineRule, type Rule, type RuleContext, type ReportDescriptor, type Visitors } from './engine/rule.js';
export { fleetHosts, kernelBefore, type HostSummary, type SysctlSummary, type CalicoSet, type EffectiveSetting, type FactSet, type Kernel, type LiveValue, type Scope, type SysctlSet } from './engine/scope.js';
export type { CalicoView, CalicoNode, CalicoConfigMap, EnvVar, Installation, IPPool, FelixConfiguration, ValueRef } from './calico/view.js';
export { getPath, getScalar, getString, getItems, pairOf, isMapping, isScalar, isSequence } from './parsers/data-tree.js';
export type * from './types.js';
export { MAXNS, atoi as glibcAtoi, glibcNameservers, hasKubeletConfig, kubeletConfigValue, kubeletSearchLine, parseNameserver, podResolvFiles, type NameserverAddress, type PodResolvFile } from './resolv/semantics.js';
export { clusterHosts, hostCalicoFacts, type ClusterHost, type HostCalicoFacts } from './calico/host.js';
export { CALICO_KINDS } from './calico/view.js';
/** The kind of the kubelet's configuration document (a rule that reads it lists it in its `meta.kinds`). */
export const KUBELET_KINDS: readonly string[] = ['KubeletConfiguration'];
export { calicoAtLeast, encapsulationOn, envValue, felixBool, felixFileSetting, felixKeys, type FelixKey } from './calico/settings.js';
export { goRegExp, type GoRegExp } from './util/go-regexp.js';
export { OVERHEAD, TUNNEL_MTUS, encapModeOn, encapsulations, installationWithoutDataplane, largestOverhead, mtuSettings, type Encap, type Encapsulations, type MtuSetting } from './calico/mtu.js';

import type { Evidence, Fact, Location, Position } from './types.js';

const ORIGIN: Position = { start: { line: 1, column: 1, offset: 0 }, end: { line: 1, column: 1, offset: 0 } };

/** Related locations from a fact's evidence (nothing for an unknown fact). */
export function evidenceOf(fact: Fact<unknown>): Location[] {
  return fact.known ? fact.evidence.map(toLocation) : [];
}

export function toLocation(e: Evidence): Location {
  return { file: e.file, position: e.position ?? ORIGIN, message: e.message };
}

/** Parse a sysctl integer value (`"1"`, `" 0 "`); undefined when it is not one. */
export function sysctlInt(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const t = value.trim();
  return /^-?\d+$/.test(t) ? Number(t) : undefined;
}
export {
  CNI_CONF_EXTENSIONS,
  CNI_KINDS,
  CNI_TITLE,
  cniConfigs,
  describeBudget,
  describeEncapsulations,
  goStringCompare,
  hostCniFacts,
  nodeCni,
  totalOverhead,
  type CniConfig,
  type CniEncapsulation,
  type CniMtuSetting,
  type CniName,
  type HostCniFacts,
} from './cni/index.js';
export { FLANNEL_DEVICE_BACKEND, flannelBackend } from './cni/flannel.js';
