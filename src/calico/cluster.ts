/**
 * Calico's joins: the run's Kubernetes nodes as the repository scope's Calico
 * manifests see them (through the hosts' summaries), and the Calico
 * configuration sets of a scope.
 */
import type { FactScope, FactSet, RunJoin } from '../facts/provider.js';
import type { HostSummary } from '../facts/summary.js';
import type { KubeRoot, SourceFile } from '../types.js';
import type { HostCalicoFacts } from './host.js';
import { buildCalicoView, type CalicoView } from './view.js';

/** A Kubernetes node of the run, as the repository scope's Calico manifests see it. */
export interface ClusterHost {
  name: string;
  facts: FactSet;
  calico: HostCalicoFacts;
}

/**
 * The run's Kubernetes nodes (from the hosts' summaries, wherever the hosts
 * were linted), in host order. Each pass reads the hosts anew (in a fleet
 * audit, from a temporary file): keep only what you need of each.
 */
export function clusterHosts(scope: { join: RunJoin<HostSummary> }): Iterable<ClusterHost> {
  const hosts = scope.join.hosts();
  return {
    *[Symbol.iterator]() {
      for (const h of hosts) {
        const k = h.facts.kubernetesNode;
        if (!(k.known && k.value)) continue;
        const calico = h.calico;
        if (calico) yield { name: h.name, facts: h.facts, calico };
      }
    },
  };
}

/** Calico objects and CNI conflists that describe one cluster (or one host). */
export interface CalicoSet {
  view: CalicoView;
  kube: SourceFile[];
  cni: SourceFile[];
  /** Felix's felix.cfg (on a host: /etc/calico/felix.cfg). */
  felix: SourceFile[];
}

/**
 * Calico configuration sets: the typed view over Kubernetes YAML plus the
 * CNI conflists that belong together. A host is one set; in the repository,
 * the manifests of one directory are one set (one cluster's manifests are
 * usually kept together; unrelated ones usually are not).
 */
export function calicoSets(scope: FactScope): CalicoSet[] {
  return scope.derive('calicoSets', () => {
    const groups = new Map<string, SourceFile[]>();
    for (const f of scope.files) {
      if ((f.language !== 'kube' && f.language !== 'cni' && f.language !== 'felix') || !f.parsed) continue;
      const key = scope.kind === 'host' ? '' : f.path.slice(0, f.path.lastIndexOf('/') + 1);
      const list = groups.get(key) ?? [];
      list.push(f);
      groups.set(key, list);
    }
    return [...groups.values()].map((files) => {
      const kube = files.filter((f) => f.language === 'kube');
      const view = buildCalicoView(
        kube.map((f) => ({ path: f.path, tree: f.parsed!.tree as KubeRoot, ...(f.chart !== undefined ? { chart: f.chart } : {}) })),
        (p) => kube.find((f) => f.path === p)?.text ?? '',
      );
      return { view, kube, cni: files.filter((f) => f.language === 'cni'), felix: files.filter((f) => f.language === 'felix') };
    });
  });
}
