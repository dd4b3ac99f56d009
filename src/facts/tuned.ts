/**
 * tuned (RHEL/CentOS/Fedora) as a sysctl source: the active profile and its
 * files (the model is src/engine/tuned.ts); the host's sysctl set applies it.
 */
import { tunedSysctl, type TunedSysctl } from '../engine/tuned.js';
import type { FactProvider, FactScope } from './provider.js';

export const tunedProvider: FactProvider = {
  id: 'tuned',
  paths: [
    'etc/tuned/active_profile',
    'etc/tuned/tuned-main.conf',
    'etc/tuned/*/tuned.conf',
    'etc/tuned/profiles/*/tuned.conf',
    'usr/lib/tuned/*/tuned.conf',
    'usr/lib/tuned/profiles/*/tuned.conf',
  ],
};

/** tuned's sysctl settings on a host, if the snapshot shows an active profile. */
export function tuned(scope: FactScope): TunedSysctl | undefined {
  return scope.kind === 'host' ? tunedSysctl((p) => scope.hostFile(p)) : undefined;
}
