/**
 * `sysctl -a` output (sosreport `sos_commands/kernel/sysctl_-a`): the sysctl syntax, read as live values.
 * Parsed lazily: a key index first, the tree when someone reads it (`parseSysctlDump`).
 */
import { parseSysctlDump } from '../parsers/sysctl.js';
import type { SysctlRoot } from '../types.js';
import { processorOf, type Language } from './language.js';
import type { SysctlNodes } from './sysctl.js';

export const sysctlDump: Language<'sysctl-dump', SysctlRoot, SysctlNodes> = {
  id: 'sysctl-dump',
  fromHostPath: (hostPath) => (hostPath === '/sos_commands/kernel/sysctl_-a' ? { language: 'sysctl-dump' } : undefined),
  processor: processorOf((text) => parseSysctlDump(text)),
  commentMarkers: ['#', ';'],
  commentsBesideTree: false,
  fingerprintNeighbour: false,
};
