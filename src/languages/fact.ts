/**
 * Fact files: kernel release, `uname -a`, interface MTU and state, `ip`
 * output, `iptables-save`, module loading, packages, CPUs, tuned. What a file
 * holds (its `factKind`) is decided by its host path; the scope builder reads
 * facts from the lines.
 */
import { parseFactFile } from '../parsers/fact.js';
import type { FactFileKind, FactLineNode, FactRoot } from '../types.js';
import { processorOf, type Classification, type Language } from './language.js';

export interface FactNodes {
  root: FactRoot;
  line: FactLineNode;
}

const fact_ = (factKind: FactFileKind): Classification => ({ language: 'fact', factKind });

export const fact: Language<'fact', FactRoot, FactNodes> = {
  id: 'fact',
  fromHostPath(hostPath) {
    if (hostPath === '/run/flannel/subnet.env') return fact_('flannel-subnet-env');
    if (hostPath === '/proc/sys/kernel/osrelease') return fact_('osrelease');
    if (/^\/sys\/class\/net\/[^/]+\/mtu$/.test(hostPath)) return fact_('mtu');
    if (/^\/sys\/class\/net\/[^/]+\/operstate$/.test(hostPath)) return fact_('operstate');
    if (hostPath === '/sos_commands/kernel/uname_-a' || hostPath === '/uname') return fact_('uname');
    if (/^\/sos_commands\/networking\/ip_(-o_link|-s_-d_link|-d_link)$/.test(hostPath)) return fact_('ip-link');
    if (/^\/sos_commands\/networking\/ip_(-d_)?address$/.test(hostPath)) return fact_('ip-address');
    if (/^\/(sos_commands\/(networking|firewall_tables)\/)?iptables-save$/.test(hostPath)) return fact_('iptables-save');
    if (/^\/proc\/sys\//.test(hostPath)) return fact_('proc-sys');
    if (/^\/(etc|run|usr\/local\/lib|usr\/lib|lib)\/modules-load\.d\/[^/]+\.conf$/.test(hostPath) || hostPath === '/etc/modules' || /^\/etc\/udev\/rules\.d\/[^/]+\.rules$/.test(hostPath)) {
      return fact_('modules-load');
    }
    if (hostPath === '/installed-rpms' || hostPath === '/installed-debs') return fact_('packages');
    if (hostPath === '/etc/tuned/active_profile' || hostPath === '/etc/tuned/tuned-main.conf' || /^\/(etc|usr\/lib)\/tuned\/(profiles\/)?[^/]+\/tuned\.conf$/.test(hostPath)) {
      return fact_('tuned');
    }
    if (hostPath === '/proc/cpuinfo') return fact_('cpuinfo');
    if (hostPath === '/sos_commands/processor/lscpu') return fact_('lscpu');
    return undefined;
  },
  processor: processorOf((text, file) => parseFactFile(text, file.data.factKind ?? 'osrelease')),
  commentMarkers: [],
  commentsBesideTree: false,
  fingerprintNeighbour: false,
};
