/** `sysctl.conf` and `sysctl.d/*.conf` drop-ins (procps and systemd-sysctl). */
import { parseSysctl } from '../parsers/sysctl.js';
import type { CommentNode, SysctlAssignmentNode, SysctlExclusionNode, SysctlInvalidNode, SysctlKeyNode, SysctlRoot, SysctlValueNode } from '../types.js';
import { SYSCTL_DIRS } from '../facts/sysctl.js';
import { processorOf, type Language } from './language.js';

export interface SysctlNodes {
  root: SysctlRoot;
  assignment: SysctlAssignmentNode;
  exclusion: SysctlExclusionNode;
  invalid: SysctlInvalidNode;
  key: SysctlKeyNode;
  value: SysctlValueNode;
  comment: CommentNode;
}

export const sysctl: Language<'sysctl', SysctlRoot, SysctlNodes> = {
  id: 'sysctl',
  fromHostPath(hostPath) {
    if (hostPath === '/etc/sysctl.conf') return { language: 'sysctl' };
    if (SYSCTL_DIRS.some((d) => hostPath.startsWith(d) && !hostPath.slice(d.length).includes('/')) && hostPath.endsWith('.conf')) {
      return { language: 'sysctl' };
    }
    return undefined;
  },
  fromRepoPath(lower, base) {
    if (base === 'sysctl.conf' || /(^|\/)sysctl\.d\/[^/]+\.conf$/.test(lower)) return { language: 'sysctl' };
    return undefined;
  },
  processor: processorOf((text) => parseSysctl(text, 'sysctl')),
  commentMarkers: ['#', ';'],
  commentsBesideTree: false,
  fingerprintNeighbour: false,
};
