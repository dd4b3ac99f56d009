/** `resolv.conf` (glibc's resolver configuration). */
import { parseResolv } from '../parsers/resolv.js';
import type { CommentNode, ResolvDirectiveNode, ResolvKeywordNode, ResolvOptionNode, ResolvRoot, ResolvWordNode } from '../types.js';
import { processorOf, type Language } from './language.js';

export interface ResolvNodes {
  root: ResolvRoot;
  directive: ResolvDirectiveNode;
  keyword: ResolvKeywordNode;
  word: ResolvWordNode;
  option: ResolvOptionNode;
  comment: CommentNode;
}

export const resolv: Language<'resolv', ResolvRoot, ResolvNodes> = {
  id: 'resolv',
  fromHostPath(hostPath) {
    if (hostPath === '/etc/resolv.conf' || /^\/run\/systemd\/resolve\/(stub-)?resolv\.conf$/.test(hostPath)) return { language: 'resolv' };
    return undefined;
  },
  fromRepoPath(_lower, base) {
    if (base === 'resolv.conf' || base.endsWith('.resolv.conf') || base === 'stub-resolv.conf') return { language: 'resolv' };
    return undefined;
  },
  processor: processorOf(parseResolv),
  commentMarkers: ['#', ';'],
  commentsBesideTree: false,
  fingerprintNeighbour: false,
};
