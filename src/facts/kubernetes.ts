/**
 * Whether the host is a Kubernetes node: the snapshot holds /var/lib/kubelet,
 * /etc/kubernetes or /etc/cni/net.d; `facts.kubernetesNode` in the configuration.
 */
import type { Fact } from '../types.js';
import { fromConfig, type FactScope, type FactSetProvider } from './provider.js';

const MARKERS = ['/var/lib/kubelet', '/etc/kubernetes', '/etc/cni/net.d'];

export const kubernetesNode: FactSetProvider<'kubernetesNode'> = {
  id: 'kubernetes',
  key: 'kubernetesNode',
  markers: MARKERS,
  host: (scope, c) => fromSnapshot(scope) ?? fromConfig(c.kubernetesNode, `set \`facts.kubernetesNode\` for ${scope.name}`),
  repository: (c) => fromConfig(c.kubernetesNode, 'set `facts.kubernetesNode` in .hostlint.yaml'),
};

function fromSnapshot(scope: FactScope): Fact<boolean> | undefined {
  for (const marker of MARKERS) {
    if (scope.hasMarker(marker)) {
      return { known: true, value: true, evidence: [{ file: scope.displayHostPath(marker), message: `\`${marker}\` exists on ${scope.name}` }] };
    }
  }
  return undefined;
}
