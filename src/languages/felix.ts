/** Felix's `felix.cfg` (INI). */
import { parseFelix } from '../parsers/felix.js';
import type { CommentNode, FelixRoot, IniKeyNode, IniPropertyNode, IniSectionNode, IniValueNode } from '../types.js';
import { processorOf, type Language } from './language.js';

export interface FelixNodes {
  root: FelixRoot;
  section: IniSectionNode;
  property: IniPropertyNode;
  key: IniKeyNode;
  value: IniValueNode;
  comment: CommentNode;
}

export const felix: Language<'felix', FelixRoot, FelixNodes> = {
  id: 'felix',
  fromHostPath: (hostPath) => (hostPath === '/etc/calico/felix.cfg' ? { language: 'felix' } : undefined),
  fromRepoPath: (_lower, base) => (base === 'felix.cfg' ? { language: 'felix' } : undefined),
  processor: processorOf(parseFelix),
  commentMarkers: ['#', ';'],
  commentsBesideTree: false,
  fingerprintNeighbour: false,
};
