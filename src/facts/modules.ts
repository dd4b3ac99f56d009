/**
 * How kernel modules are loaded at boot: modules-load.d(5) files, Debian's
 * /etc/modules, udev rules.
 */
import type { FactRoot } from '../types.js';
import type { FactProvider, FactScope } from './provider.js';

export const modulesProvider: FactProvider = {
  id: 'modules',
  paths: [
    'etc/modules-load.d/*',
    'run/modules-load.d/*',
    'usr/local/lib/modules-load.d/*',
    'usr/lib/modules-load.d/*',
    'lib/modules-load.d/*',
    'etc/modules',
    'etc/udev/rules.d/*',
  ],
};

/**
 * Whether a modules-load.d file, /etc/modules or a udev rule of the snapshot
 * names the module (outside comments); unknown (undefined) in the repository.
 */
export function loadsModule(scope: FactScope, module: 'br_netfilter'): boolean | undefined {
  if (scope.kind !== 'host') return undefined;
  return scope.derive(`loadsModule:${module}`, () =>
    scope.filesOf('fact').some((f) => {
      const tree = f.parsed!.tree as FactRoot;
      return tree.factKind === 'modules-load' && tree.children.some((l) => !/^\s*[#;]/.test(l.value) && /\bbr_netfilter\b/.test(l.value));
    }),
  );
}
