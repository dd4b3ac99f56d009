/**
 * What a node shows of its CNI (the model is src/cni/ and src/calico/):
 * Felix's felix.cfg, /etc/cni/net.d, flannel's subnet.env.
 */
import type { FactProvider } from './provider.js';

export const cniProvider: FactProvider = {
  id: 'cni',
  paths: ['etc/calico/felix.cfg', 'etc/cni/net.d/*', 'run/flannel/subnet.env'],
};
