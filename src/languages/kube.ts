/** Kubernetes YAML: multi-document streams, `List` wrappers, the kubelet's config file. */
import { parseKube } from '../parsers/yaml.js';
import type { CommentNode, KubeRoot } from '../types.js';
import type { DataNodes } from './cni.js';
import { processorOf, type Language } from './language.js';

export interface KubeNodes extends DataNodes<KubeRoot> {
  comment: CommentNode;
}

const KUBE_SNIFF = /^(?:---\s*\n)?[^\n]*?(?:^|\n)(?:apiVersion|kind)\s*:/m;

export const kube: Language<'kube', KubeRoot, KubeNodes> = {
  id: 'kube',
  fromHostPath: (hostPath) => (hostPath === '/var/lib/kubelet/config.yaml' ? { language: 'kube' } : undefined),
  fromRepoPath(_lower, base, sniff) {
    if (!base.endsWith('.yaml') && !base.endsWith('.yml')) return undefined;
    if (!sniff) return { language: 'kube' };
    return KUBE_SNIFF.test(sniff()) ? { language: 'kube' } : undefined;
  },
  processor: processorOf((text, file) => parseKube(text, file.data.kubeDocuments ? { parseDocument: file.data.kubeDocuments } : {})),
  commentMarkers: ['#'],
  // YAML comments are kept beside the data tree.
  commentsBesideTree: true,
  fingerprintNeighbour: true,
};
