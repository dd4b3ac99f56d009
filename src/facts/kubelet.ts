/**
 * The kubelet's configuration (/var/lib/kubelet/config.yaml, its
 * KubeletConfiguration documents): the one reader every rule and model uses,
 * parsed once per scope.
 */
import { getScalar } from '../parsers/data-tree.js';
import type { DataNode, Evidence, KubeRoot, ScalarNode, SourceFile } from '../types.js';
import type { FactProvider, FactScope } from './provider.js';

const PATH = '/var/lib/kubelet/config.yaml';

export const kubeletProvider: FactProvider = {
  id: 'kubelet',
  paths: [PATH.slice(1)],
};

/** The kubelet's configuration file of a host snapshot and its KubeletConfiguration documents. */
export interface KubeletConfig {
  file: SourceFile;
  /** The bodies of its KubeletConfiguration documents, in file order. */
  documents: DataNode[];
}

/** The kubelet's configuration file (whatever it holds), when the snapshot has one. */
export function kubeletConfigFile(scope: FactScope): SourceFile | undefined {
  return scope.kind === 'host' ? scope.hostFile(PATH) : undefined;
}

/**
 * The KubeletConfiguration of this host (/var/lib/kubelet/config.yaml), when
 * the snapshot has one with a body.
 */
export function kubeletConfig(scope: FactScope): KubeletConfig | undefined {
  return scope.derive('kubeletConfig', () => {
    const file = kubeletConfigFile(scope);
    const tree = file?.parsed?.tree as KubeRoot | undefined;
    if (!file || !tree) return undefined;
    const documents = tree.children.flatMap((d) => (d.kind === 'KubeletConfiguration' && d.body ? [d.body] : []));
    return documents.length ? { file, documents } : undefined;
  });
}

/** The scalar of `key` in the kubelet's configuration (the first document that sets it), with the file. */
export function kubeletValue(scope: FactScope, key: string): { file: SourceFile; node: ScalarNode } | undefined {
  const cfg = kubeletConfig(scope);
  if (!cfg) return undefined;
  for (const body of cfg.documents) {
    const node = getScalar(body, key);
    if (node) return { file: cfg.file, node };
  }
  return undefined;
}

/**
 * The resolv.conf the kubelet gives pods (`resolvConf` in
 * /var/lib/kubelet/config.yaml; default /etc/resolv.conf). Undefined outside
 * host scopes.
 */
export function kubeletResolvConf(scope: FactScope): { value: string; evidence?: Evidence } | undefined {
  if (scope.kind !== 'host') return undefined;
  return scope.derive('kubeletResolvConf', () => {
    const cfg = kubeletConfig(scope);
    for (const body of cfg?.documents ?? []) {
      const node = getScalar(body, 'resolvConf');
      // resolvConf is a *string in KubeletConfiguration v1beta1: absent or null takes the
      // default, an explicit "" gives pods no node resolver settings at all.
      if (node && typeof node.value === 'string') {
        const value = node.value;
        return { value, evidence: { file: cfg!.file.path, position: node.position, message: `kubelet resolvConf: ${JSON.stringify(value)}` } };
      }
    }
    return { value: '/etc/resolv.conf' };
  });
}
