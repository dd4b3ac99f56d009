/**
 * Everything a rule module may import. Rules see the rule contract, the scope
 * and fact types, the tree types and the tree helpers — nothing of the CLI,
 * the formatters or the engine's internals.
 */
export { defineRule, type Rule, type RuleContext, type ReportDescriptor, type Visitors, type NodeSelector, type NodeOf } from './engine/rule.js';
export { treeOf, type NodeTypes, type RootOf } from './languages/index.js';
export type { RuleScope as Scope, SysctlSet, EffectiveSetting, LiveValue } from './engine/scope.js';
// The fact API (src/facts/): each fact through its provider's accessor, computed once per scope.
export type { FactSet, HostList, Kernel } from './facts/provider.js';
export type { HostSummary } from './facts/summary.js';
export { sysctlSummary, type SysctlSummary } from './facts/sysctl.js';
export { kernelBefore } from './facts/kernel.js';
export { interfaces, raUplinks, type NetInterface, type RaUplink } from './facts/interfaces.js';
export { physicalMtuFor } from './facts/physical-mtu.js';
export { liveDump, liveDumpFile, liveValue } from './facts/live-sysctl.js';
export { kubeletConfig, kubeletConfigFile, kubeletResolvConf, kubeletValue, type KubeletConfig } from './facts/kubelet.js';
export { cpuCount } from './facts/cpus.js';
export { loadsModule } from './facts/modules.js';
export { systemdEvidence } from './facts/systemd.js';
export { calicoSets, clusterHosts, type CalicoSet, type ClusterHost } from './calico/cluster.js';
export type { CalicoView, CalicoNode, CalicoConfigMap, EnvVar, Installation, IPPool, FelixConfiguration, ValueRef } from './calico/view.js';
export { getPath, getScalar, getString, getItems, pairOf, isMapping, isScalar, isSequence } from './parsers/data-tree.js';
export type * from './types.js';
export { MAXNS, atoi as glibcAtoi, glibcNameservers, kubeletSearchLine, parseNameserver, podResolvFiles, type NameserverAddress, type PodResolvFile } from './resolv/semantics.js';
export { CALICO_DEFAULT_MTU_IFACE_PATTERN, hostCalicoFacts, type HostCalicoFacts } from './calico/host.js';
export { CALICO_KINDS } from './calico/view.js';
/** The kind of the kubelet's configuration document (a rule that reads it lists it in its `meta.kinds`). */
export const KUBELET_KINDS: readonly string[] = ['KubeletConfiguration'];
export { calicoAtLeast, encapsulationOn, envValue, felixBool, felixFileSetting, felixKeys, type FelixKey } from './calico/settings.js';
export { goRegExp, type GoRegExp } from './util/go-regexp.js';
export { OVERHEAD, TUNNEL_MTUS, encapModeOn, encapsulations, installationWithoutDataplane, largestOverhead, mtuSettings, type Encap, type Encapsulations, type MtuSetting } from './calico/mtu.js';

import type { RuleScope as Scope } from './engine/scope.js';
import type { HostSummary } from './facts/summary.js';
import type { HostList } from './facts/provider.js';
import type { Evidence, Fact, Location } from './types.js';

export { ORIGIN } from './util/position.js';
import { ORIGIN } from './util/position.js';

/**
 * The run's hosts as summaries (fleet rules, in the repository scope): wherever
 * they were linted. Iterable again and again, in host order; in a fleet audit
 * each pass streams them from a temporary file, so keep only what you need of
 * each host, never the host itself.
 */
export function fleetHosts(scope: Scope): HostList<HostSummary> {
  return scope.join.hosts();
}

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
