/** The host's resolver configuration files (the resolv language reads them). */
import type { FactProvider } from './provider.js';

export const resolvProvider: FactProvider = {
  id: 'resolv',
  paths: ['etc/resolv.conf', 'run/systemd/resolve/resolv.conf', 'run/systemd/resolve/stub-resolv.conf'],
};
