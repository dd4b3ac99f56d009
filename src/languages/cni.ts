/** CNI network configuration lists (`/etc/cni/net.d/*.conflist`, JSON). */
import { parseCni } from '../parsers/json.js';
import type { AliasNode, CniRoot, DocumentNode, MappingNode, PairNode, ScalarNode, SequenceNode } from '../types.js';
import { processorOf, type Language } from './language.js';

/** The node types of the data trees (YAML and JSON). */
export interface DataNodes<Root> {
  root: Root;
  document: DocumentNode;
  mapping: MappingNode;
  pair: PairNode;
  sequence: SequenceNode;
  scalar: ScalarNode;
  alias: AliasNode;
}

export const cni: Language<'cni', CniRoot, DataNodes<CniRoot>> = {
  id: 'cni',
  fromHostPath: (hostPath) => (/^\/etc\/cni\/net\.d\/[^/]+\.(conflist|conf|json)$/.test(hostPath) ? { language: 'cni' } : undefined),
  fromRepoPath(lower, base) {
    if (base.endsWith('.conflist') || /(^|\/)cni\/net\.d\/[^/]+\.conf$/.test(lower)) return { language: 'cni' };
    return undefined;
  },
  processor: processorOf(parseCni),
  commentMarkers: [],
  commentsBesideTree: false,
  fingerprintNeighbour: true,
};
