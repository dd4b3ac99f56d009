/**
 * The rule registry: every rule module, by id. A meta-test checks that each
 * id equals its file name and that every file in rules/ is listed here.
 */
import type { Rule } from '../src/engine/rule.js';
import calicoMtuMismatch from './calico-mtu-mismatch.js';
import k8sIpForward from './k8s-ip-forward.js';
import resolvSearchInherited from './resolv-search-inherited.js';
import sysctlRemovedKey from './sysctl-removed-key.js';
import sysctlTwRecycle from './sysctl-tw-recycle.js';

export const rules: Rule[] = [calicoMtuMismatch, k8sIpForward, resolvSearchInherited, sysctlRemovedKey, sysctlTwRecycle];
