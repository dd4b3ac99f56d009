/**
 * The rule registry: every rule module, by id. A meta-test checks that each
 * id equals its file name and that every file in rules/ is listed here.
 */
import type { Rule } from '../src/engine/rule.js';
import calicoEncapBoth from './calico-encap-both.js';
import calicoLooseRpf from './calico-loose-rpf.js';
import calicoMtuAutodetectPattern from './calico-mtu-autodetect-pattern.js';
import calicoMtuInconsistent from './calico-mtu-inconsistent.js';
import calicoMtuLegacyDefault from './calico-mtu-legacy-default.js';
import calicoMtuMismatch from './calico-mtu-mismatch.js';
import calicoNatOutgoing from './calico-nat-outgoing.js';
import cniConflistShadowed from './cni-conflist-shadowed.js';
import cniMtuInconsistent from './cni-mtu-inconsistent.js';
import cniMtuMismatch from './cni-mtu-mismatch.js';
import felixDuplicateKey from './felix-duplicate-key.js';
import fleetKernelSkew from './fleet-kernel-skew.js';
import fleetSysctlOutlier from './fleet-sysctl-outlier.js';
import k8sBridgeNfCall from './k8s-bridge-nf-call.js';
import k8sIpForward from './k8s-ip-forward.js';
import k8sNodeportEphemeralOverlap from './k8s-nodeport-ephemeral-overlap.js';
import k8sProtectKernelDefaults from './k8s-protect-kernel-defaults.js';
import k8sResolvLoopback from './k8s-resolv-loopback.js';
import k8sSearchLimits from './k8s-search-limits.js';
import resolvDomainIgnored from './resolv-domain-ignored.js';
import resolvIgnoredLine from './resolv-ignored-line.js';
import resolvMaxNameservers from './resolv-max-nameservers.js';
import resolvNoNameserver from './resolv-no-nameserver.js';
import resolvOptions from './resolv-options.js';
import resolvSearchInherited from './resolv-search-inherited.js';
import resolvSearchOverride from './resolv-search-override.js';
import sysctlConfNotRead from './sysctl-conf-not-read.js';
import sysctlDashPrefixCompat from './sysctl-dash-prefix-compat.js';
import sysctlDrift from './sysctl-drift.js';
import sysctlDuplicateKey from './sysctl-duplicate-key.js';
import sysctlIpv6ForwardingRa from './sysctl-ipv6-forwarding-ra.js';
import sysctlNeighGcThresh from './sysctl-neigh-gc-thresh.js';
import sysctlPortRange from './sysctl-port-range.js';
import sysctlRemovedKey from './sysctl-removed-key.js';
import sysctlSyntax from './sysctl-syntax.js';
import sysctlTimestampsValue from './sysctl-timestamps-value.js';
import sysctlTwRecycle from './sysctl-tw-recycle.js';
import sysctlTwReuseValue from './sysctl-tw-reuse-value.js';
import sysctlUnknownKey from './sysctl-unknown-key.js';

export const rules: Rule[] = [calicoEncapBoth, calicoLooseRpf, calicoMtuAutodetectPattern, calicoMtuInconsistent, calicoMtuLegacyDefault, calicoMtuMismatch, calicoNatOutgoing, cniConflistShadowed, cniMtuInconsistent, cniMtuMismatch, felixDuplicateKey, fleetKernelSkew, fleetSysctlOutlier, k8sBridgeNfCall, k8sIpForward, k8sNodeportEphemeralOverlap, k8sProtectKernelDefaults, k8sResolvLoopback, k8sSearchLimits, resolvDomainIgnored, resolvIgnoredLine, resolvMaxNameservers, resolvNoNameserver, resolvOptions, resolvSearchInherited, resolvSearchOverride, sysctlConfNotRead, sysctlDashPrefixCompat, sysctlDrift, sysctlDuplicateKey, sysctlIpv6ForwardingRa, sysctlNeighGcThresh, sysctlPortRange, sysctlRemovedKey, sysctlSyntax, sysctlTimestampsValue, sysctlTwRecycle, sysctlTwReuseValue, sysctlUnknownKey];
