/**
 * The physical MTU: on a host, `facts.physicalMtu`, else the smallest MTU
 * among its interfaces that are up and match Calico's default
 * mtuIfacePattern; in the repository, `facts.physicalMtu` for the file, else
 * the smallest among the run's Kubernetes nodes (the cluster the manifests
 * describe), joined through the hosts' summaries.
 */
import { CALICO_DEFAULT_MTU_IFACE } from '../calico/host.js';
import { nodeCni, type CniName, type HostCniFacts } from '../cni/index.js';
import type { ConfigFacts } from '../config/load.js';
import type { Evidence, Fact } from '../types.js';
import { interfaces } from './interfaces.js';
import { unknown, type FactScope, type FactSetProvider, type RunJoin } from './provider.js';

type PhysicalMtu = { mtu: number; iface?: string };

export const physicalMtu: FactSetProvider<'physicalMtu'> = {
  id: 'physical-mtu',
  key: 'physicalMtu',
  host: (scope, c) => (c.physicalMtu ? configured(c)! : fromSnapshot(scope)),
  repository: (c, join) => configured(c) ?? clusterPhysicalMtu(join, 'calico'),
};

function configured(c: ConfigFacts): Fact<PhysicalMtu> | undefined {
  return c.physicalMtu ? { known: true, value: { mtu: c.physicalMtu.value }, evidence: [c.physicalMtu.evidence] } : undefined;
}

function fromSnapshot(scope: FactScope): Fact<PhysicalMtu> {
  const candidates = interfaces(scope).filter((i) => CALICO_DEFAULT_MTU_IFACE.test(i.name) && (i.state === undefined || i.state === 'up'));
  if (candidates.length === 0) {
    return unknown(`no interface of ${scope.name} that is up matches Calico's default mtuIfacePattern; set \`facts.physicalMtu\``);
  }
  const min = candidates.reduce((a, b) => (b.mtu < a.mtu ? b : a));
  return { known: true, value: { mtu: min.mtu, iface: min.name }, evidence: [min.evidence] };
}

/**
 * The physical MTU for a file that configures `cni`: in a host scope, the
 * host's; in the repository, `facts.physicalMtu` or the smallest among the
 * run's Kubernetes nodes that may run that CNI.
 */
export function physicalMtuFor(scope: FactScope & { facts(): { physicalMtu: Fact<PhysicalMtu> }; join: RunJoin }, file: { absolutePath: string }, cni: CniName | 'calico'): Fact<PhysicalMtu> {
  if (scope.kind === 'host') return scope.facts().physicalMtu;
  return configured(scope.config.factsFor(file.absolutePath)) ?? clusterPhysicalMtu(scope.join, cni);
}

/**
 * The smallest physical MTU among the run's Kubernetes-node hosts: the
 * cluster the manifests describe. A node whose CNI configuration shows
 * another CNI than `cni` runs another cluster and is left out.
 */
function clusterPhysicalMtu(join: RunJoin, cni: CniName | 'calico'): Fact<PhysicalMtu> {
  return join.derive(`physicalMtu:${cni}`, () => {
    let best: { mtu: number; iface: string; evidence: Evidence[]; host: string } | undefined;
    let nodes = 0;
    let other = 0;
    for (const h of join.hosts()) {
      const f = h.facts;
      if (!(f.kubernetesNode.known && f.kubernetesNode.value) || !f.physicalMtu.known) continue;
      const runs = nodeCni(h.cni as HostCniFacts | undefined);
      if (runs !== undefined && runs !== cni) {
        other++;
        continue;
      }
      nodes++;
      if (!best || f.physicalMtu.value.mtu < best.mtu) {
        best = { mtu: f.physicalMtu.value.mtu, iface: f.physicalMtu.value.iface ?? '', evidence: f.physicalMtu.evidence, host: h.name };
      }
    }
    if (best) {
      // The deciding node's evidence, saying why it decides.
      const left = other ? ` (${other} running another CNI left out)` : '';
      const why = (nodes === 1 ? `the only Kubernetes node in the run` : `the smallest among ${nodes} Kubernetes nodes in the run`) + left;
      const evidence = best.evidence.map((e) => ({ ...e, message: `${e.message} on ${best!.host}, ${why}` }));
      return { known: true, value: { mtu: best.mtu, iface: best.iface }, evidence };
    }
    return unknown('set `facts.physicalMtu` in .hostlint.yaml, or lint the manifests together with a Kubernetes node snapshot');
  });
}
