/**
 * The fact providers (src/facts/) on real snapshot files of the fixtures:
 * exact values and the evidence's file and position.
 */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { Config } from '../../src/config/load.js';
import { SNAPSHOT_MARKERS, SNAPSHOT_PATTERNS } from '../../src/engine/classify.js';
import { loadPaths } from '../../src/engine/load.js';
import type { Scope } from '../../src/engine/scope.js';
import { cpuCount } from '../../src/facts/cpus.js';
import { FACT_PROVIDERS } from '../../src/facts/index.js';
import { interfaces } from '../../src/facts/interfaces.js';
import { kubeletConfig, kubeletResolvConf, kubeletValue } from '../../src/facts/kubelet.js';
import { liveDump, liveValue } from '../../src/facts/live-sysctl.js';
import { loadsModule } from '../../src/facts/modules.js';
import { systemdEvidence } from '../../src/facts/systemd.js';
import type { Position } from '../../src/types.js';

const fixtures = fileURLToPath(new URL('../../fixtures/', import.meta.url));

function hosts(dir: string, paths = ['.']): Map<string, Scope> {
  const cwd = `${fixtures}${dir}`;
  const loaded = loadPaths(paths, { cwd, config: Config.empty(cwd) });
  return new Map(loaded.scopes.filter((s) => s.kind === 'host').map((s) => [s.name, s]));
}

function repository(dir: string): Scope {
  const cwd = `${fixtures}${dir}`;
  return loadPaths(['.'], { cwd, config: Config.empty(cwd) }).scopes.find((s) => s.kind === 'repository')!;
}

const at = (line: number, column: number, offset: number, length: number): Position => ({
  start: { line, column, offset },
  end: { line, column: column + length, offset: offset + length },
});

describe('fact providers', () => {
  const fleet = hosts('examples/fleet', ['sosreport-node02-2024-05-01-qxlvjzb', 'node01']);
  const node01 = fleet.get('node01')!;
  const node02 = fleet.get('node02')!;

  it('kernel: /proc/sys/kernel/osrelease, else the release in `uname -a`', () => {
    expect(node01.facts().kernel).toEqual({ known: true, value: { release: '5.4.0-150-generic', version: '5.4.0' }, evidence: [{ file: 'node01/proc/sys/kernel/osrelease', position: at(1, 1, 0, 17), message: 'Kernel release 5.4.0-150-generic' }] });
    expect(node02.facts().kernel).toEqual({
      known: true,
      value: { release: '5.4.0-99-generic', version: '5.4.0' },
      evidence: [{ file: 'sosreport-node02-2024-05-01-qxlvjzb/sos_commands/kernel/uname_-a', position: at(1, 29, 28, 16), message: 'Kernel release 5.4.0-99-generic' }],
    });
  });

  it('Kubernetes role: the /var/lib/kubelet marker, with the snapshot\'s display path', () => {
    expect(node02.facts().kubernetesNode).toEqual({ known: true, value: true, evidence: [{ file: 'sosreport-node02-2024-05-01-qxlvjzb/var/lib/kubelet', message: '`/var/lib/kubelet` exists on node02' }] });
  });

  it('interfaces: /sys/class/net with operstate, else `ip -s -d link` at the `mtu N` words', () => {
    expect(interfaces(node01).map((i) => [i.name, i.mtu, i.state, i.evidence.file, i.evidence.position])).toEqual([
      ['eth0', 9000, 'up', 'node01/sys/class/net/eth0/mtu', at(1, 1, 0, 4)],
      ['lo', 65536, 'unknown', 'node01/sys/class/net/lo/mtu', at(1, 1, 0, 5)],
    ]);
    const link = 'sosreport-node02-2024-05-01-qxlvjzb/sos_commands/networking/ip_-s_-d_link';
    expect(interfaces(node02).map((i) => [i.name, i.mtu, i.state, i.evidence.file, i.evidence.position!.start.line, i.evidence.position!.start.column])).toEqual([
      ['lo', 65536, 'unknown', link, 1, 31],
      ['ens3', 8958, 'up', link, 7, 44],
      ['flannel.1', 8908, 'unknown', link, 13, 49],
    ]);
  });

  it('physical MTU: the smallest up interface matching Calico\'s default pattern', () => {
    expect(node02.facts().physicalMtu).toEqual({
      known: true,
      value: { mtu: 8958, iface: 'ens3' },
      evidence: [{ file: 'sosreport-node02-2024-05-01-qxlvjzb/sos_commands/networking/ip_-s_-d_link', position: at(7, 44, 551, 8), message: 'MTU of ens3 is 8958' }],
    });
  });

  it('kubelet configuration: one reader for values and resolvConf; nothing in the repository', () => {
    const cfg = kubeletConfig(node01)!;
    expect(cfg.file.path).toBe('node01/var/lib/kubelet/config.yaml');
    expect(kubeletConfig(node01)).toBe(cfg); // parsed once per scope
    const cd = kubeletValue(node01, 'clusterDomain')!;
    expect([cd.node.value, cd.node.position]).toEqual(['cluster.local', at(13, 16, 239, 13)]);
    expect(kubeletResolvConf(node01)).toEqual({
      value: '/run/systemd/resolve/resolv.conf',
      evidence: { file: 'node01/var/lib/kubelet/config.yaml', position: at(14, 13, 265, 32), message: 'kubelet resolvConf: "/run/systemd/resolve/resolv.conf"' },
    });
    const repo = repository('examples/incident');
    expect(kubeletResolvConf(repo)).toBeUndefined();
    expect(kubeletValue(repo, 'clusterDomain')).toBeUndefined();
  });

  it('live sysctls: the `sysctl -a` dump, at the value', () => {
    const v = liveValue(node02, 'net.ipv4.ip_forward')!;
    expect({ value: v.value, file: v.file.path, position: v.position }).toEqual({ value: '1', file: 'sosreport-node02-2024-05-01-qxlvjzb/sos_commands/kernel/sysctl_-a', position: at(468, 23, 16693, 1) });
    expect(liveDump(node02)).toBe(liveDump(node02));
    expect(liveValue(node01, 'net.ipv4.ip_forward')).toBeUndefined();
    expect(liveValue(repository('examples/incident'), 'net.ipv4.ip_forward')).toBeUndefined();
  });

  it('procps: the version in sosreport\'s installed-rpms', () => {
    const app21 = hosts('rules/sysctl-dash-prefix-compat/invalid-rhel7-sosreport').get('sosreport-app21')!;
    expect(app21.facts().procps).toEqual({ known: true, value: { version: '3.3.10' }, evidence: [{ file: 'sosreport-app21/installed-rpms', position: at(3, 11, 180, 6), message: 'procps-ng 3.3.10 is installed' }] });
  });

  it('CPU count: the processor lines of /proc/cpuinfo', () => {
    const node09 = hosts('rules/sysctl-drift/invalid-kube-proxy-conntrack').get('node09')!;
    expect(cpuCount(node09)).toEqual({ cpus: 8, evidence: { file: 'node09/proc/cpuinfo', position: at(36, 1, 805, 13), message: '8 CPUs (processor lines of /proc/cpuinfo)' } });
    expect(cpuCount(node01)).toBeUndefined();
  });

  it('systemd: a vendor sysctl.d file of systemd, else a marker path', () => {
    const pg01 = hosts('rules/sysctl-conf-not-read/invalid-no-link').get('pg01')!;
    expect(systemdEvidence(pg01)).toEqual({ file: 'pg01/usr/lib/sysctl.d/50-default.conf', position: { start: { line: 1, column: 1, offset: 0 }, end: { line: 57, column: 1, offset: 1934 } }, message: '`/usr/lib/sysctl.d/50-default.conf` is installed by systemd' });
    const k8s9 = hosts('rules/sysctl-conf-not-read/invalid-sosreport-unknown-kernel').get('juju-k8s-9')!;
    expect(systemdEvidence(k8s9)).toEqual({ file: 'juju-k8s-9/sos_commands/systemd', position: at(1, 1, 0, 0), message: '`/sos_commands/systemd` exists: the host runs systemd' });
    expect(systemdEvidence(node01)).toBeUndefined();
  });

  it('modules: br_netfilter named in modules-load.d', () => {
    expect(loadsModule(node01, 'br_netfilter')).toBe(false);
  });
});

describe('snapshot path lists', () => {
  it('are the paths and markers the providers declare, each once', () => {
    expect([...SNAPSHOT_PATTERNS].sort()).toEqual([...new Set(FACT_PROVIDERS.flatMap((p) => p.paths ?? []))].sort());
    expect([...SNAPSHOT_MARKERS].sort()).toEqual([...new Set(FACT_PROVIDERS.flatMap((p) => p.markers ?? []))].sort());
    expect(new Set(SNAPSHOT_PATTERNS).size).toBe(SNAPSHOT_PATTERNS.length);
    expect(SNAPSHOT_PATTERNS).toContain('var/lib/kubelet/config.yaml');
    expect(SNAPSHOT_MARKERS).toContain('/sos_commands/systemd');
  });

  it('give every provider a distinct id', () => {
    const ids = FACT_PROVIDERS.map((p) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
