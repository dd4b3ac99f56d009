/**
 * Whether the host runs systemd (whose systemd-sysctl applies the sysctl
 * files at boot, without /etc/sysctl.conf): one of systemd's own vendor
 * sysctl.d files, /run/systemd/system (the sd_booted(3) test), the
 * systemd-sysctl binary, or an sosreport `sos_commands/systemd` directory.
 * Also records whether the snapshot holds /etc/sysctl.d at all.
 */
import type { Location } from '../types.js';
import type { FactProvider, FactScope } from './provider.js';
import { ORIGIN } from '../util/position.js';

/** Files systemd itself installs into the vendor sysctl.d directory. */
const SYSTEMD_VENDOR_FILES = ['50-default.conf', '50-pid-max.conf', '50-coredump.conf'].flatMap((n) => [`/usr/lib/sysctl.d/${n}`, `/lib/sysctl.d/${n}`]);
/** Paths that exist only on a host booted with systemd (sd_booted(3): /run/systemd/system) or with it installed. */
const SYSTEMD_MARKERS = ['/run/systemd/system', '/usr/lib/systemd/systemd-sysctl', '/lib/systemd/systemd-sysctl', '/sos_commands/systemd'];

export const systemdProvider: FactProvider = {
  id: 'systemd',
  markers: ['/etc/sysctl.d', ...SYSTEMD_MARKERS],
};

/** Evidence that the host runs systemd, when its snapshot shows it. Undefined outside host scopes. */
export function systemdEvidence(scope: FactScope): Location | undefined {
  if (scope.kind !== 'host') return undefined;
  return scope.derive('systemd', () => {
    for (const p of SYSTEMD_VENDOR_FILES) {
      const f = scope.hostFile(p);
      if (f) return { file: f.path, position: f.parsed!.tree.position, message: `\`${p}\` is installed by systemd` };
    }
    const marker = SYSTEMD_MARKERS.find((m) => scope.hasHostPath(m));
    if (!marker) return undefined;
    return { file: `${scope.displayRoot()}${marker}`, position: ORIGIN, message: `\`${marker}\` exists: the host runs systemd` };
  });
}
