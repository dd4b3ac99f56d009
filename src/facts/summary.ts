/**
 * What the repository scope knows about one host of the run: its facts and
 * what the joins read, serialisable (a fleet audit computes it in a worker
 * and sends it to the main thread, where the cluster's manifests are joined
 * with it). Every cross-host join reads these summaries, whether the hosts
 * were linted in this process or elsewhere.
 */
import { hostCalicoFacts, type HostCalicoFacts } from '../calico/host.js';
import { hostCniFacts, type HostCniFacts } from '../cni/index.js';
import type { FactScope, FactSet } from './provider.js';
import { sysctlSummary, type SysctlSummary } from './sysctl.js';

export interface HostSummary {
  name: string;
  facts: FactSet;
  /** What Calico rules join with the cluster's manifests (rp_filter, interfaces, felix.cfg). */
  calico?: HostCalicoFacts;
  /** What the node shows of its CNI: /etc/cni/net.d in the runtime's order, subnet.env, CNI device MTUs. */
  cni?: HostCniFacts;
  /** The effective configured values of the networking keys (`net.*`) the host's sysctl files set (fleet rules compare them). */
  sysctl?: SysctlSummary[];
}

/** The summary of a host scope, computed once per scope. */
export function summarizeHost(scope: FactScope & { facts(): FactSet }): HostSummary {
  return scope.derive('summary', () => ({ name: scope.name, facts: scope.facts(), calico: hostCalicoFacts(scope), cni: hostCniFacts(scope), sysctl: sysctlSummary(scope) }));
}
