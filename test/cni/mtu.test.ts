/**
 * cni-mtu-mismatch over the fixtures taken from each CNI's released manifests:
 * each finding carries the physical MTU's evidence and the setting that makes
 * the encapsulation active (its own line), and a fix where the value is a
 * plain scalar. The overheads are the projects' own constants.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { OVERHEADS } from '../../src/cni/model.js';
import { allResults, lintDir, writeTree } from '../helpers/lint.js';

const root = fileURLToPath(new URL('../../fixtures/rules/cni-mtu-mismatch/', import.meta.url));

function finding(kase: string) {
  const results = allResults(lintDir(path.join(root, kase))).filter((r) => r.ruleId === 'cni-mtu-mismatch');
  expect(results).toHaveLength(1);
  const r = results[0]!;
  return { r, related: r.related.map((x) => [x.file, x.position.start.line, x.position.start.column, x.message]) };
}

describe('cni-mtu-mismatch evidence', () => {
  it('uses each project\'s own overheads', () => {
    expect(OVERHEADS.flannel).toEqual({ vxlan: 50, wireguard: 80, ipip: 20, udp: 28, ipsec: 77, 'host-gw': 0 });
    expect(OVERHEADS.cilium).toEqual({ vxlan: 50, geneve: 50, ipsec: 77, wireguard: 80 });
    expect(OVERHEADS.antrea).toEqual({ geneve: 50, vxlan: 50, gre: 42, stt: 0, ipv6: 20, wireGuard: 60, ipsec: 38 });
    expect(OVERHEADS.weave).toEqual({ fastdp: 50, esp: 34 });
  });

  it('flannel: Backend.MTU, with Backend.Type as evidence', () => {
    const { r, related } = finding('invalid-flannel-backend-mtu');
    expect([r.file, r.position.start.line, r.position.start.column]).toEqual(['cluster/kube-flannel.yml', 97, 16]);
    expect(related).toEqual([
      ['.hostlint.yaml', 2, 3, 'Configuration: `facts.physicalMtu: 1500`'],
      ['cluster/kube-flannel.yml', 96, 17, 'flannel VXLAN adds 50 bytes: Backend.Type "vxlan" in net-conf.json of ConfigMap kube-flannel-cfg'],
    ]);
    expect(r.fix).toBeUndefined(); // inside embedded JSON: no fix
  });

  it('Canal: veth_mtu over flannel\'s backend, with a fix to 1450', () => {
    const { r, related } = finding('invalid-canal-veth-mtu');
    expect(related[1]).toEqual(['cluster/canal.yaml', 102, 17, 'flannel VXLAN adds 50 bytes: Backend.Type "vxlan" in net-conf.json of ConfigMap canal-config']);
    expect(r.fix?.edits[0]?.text).toBe('1450');
  });

  it('Cilium: mtu is the underlay MTU; the tunnel setting is the evidence', () => {
    const { related } = finding('invalid-cilium-config-mtu');
    expect(related[1]).toEqual(['cluster/quick-install.yaml', 79, 11, 'Cilium VXLAN tunnelling subtracts 50 bytes: tunnel "vxlan" in ConfigMap cilium-config']);
  });

  it('Cilium chart values: tunnel and WireGuard settings as evidence', () => {
    const { r, related } = finding('invalid-cilium-chart-values');
    expect([r.file, r.position.start.line]).toEqual(['charts/cilium/values.yaml', 3]);
    expect(related.slice(1).map((x) => [x[1], x[2]])).toEqual([
      [5, 14],
      [12, 9],
    ]);
  });

  it('Antrea: GRE and IPsec add up, each at its own line', () => {
    const { related } = finding('invalid-antrea-gre-ipsec');
    expect(related.slice(1)).toEqual([
      ['cluster/antrea-config.yaml', 159, 17, 'Antrea GRE takes 42 bytes: tunnelType "gre", trafficEncapMode encap in antrea-agent.conf of ConfigMap antrea-config'],
      ['cluster/antrea-config.yaml', 182, 28, 'Antrea IPsec ESP takes 38 more bytes: trafficEncryptionMode "ipsec" in antrea-agent.conf of ConfigMap antrea-config'],
    ]);
  });

  it('a node\'s FLANNEL_MTU, with its uplink and flannel.1 as evidence', () => {
    const { r, related } = finding('invalid-host-flannel-subnet-env');
    expect([r.file, r.position.start.line, r.position.start.column, r.position.end.column]).toEqual(['node07/run/flannel/subnet.env', 3, 13, 17]);
    expect(related.map((x) => x[0])).toEqual(['node07/sys/class/net/ens3/mtu', 'node07/sys/class/net/flannel.1/mtu']);
  });
});

describe('what is read as a CNI configuration', () => {
  const canal = (name: string) =>
    ['kind: ConfigMap', 'apiVersion: v1', 'metadata:', `  name: ${name}`, 'data:', '  veth_mtu: "1500"', '  net-conf.json: |', '    {"Network": "10.42.0.0/16", "Backend": {"Type": "vxlan"}}', ''].join('\n');

  it('a ConfigMap with veth_mtu and net-conf.json is Canal\'s, whatever its name (RKE2\'s rke2-canal-config)', () => {
    const cwd = writeTree({ 'cluster/canal.yaml': canal('rke2-canal-config'), '.hostlint.yaml': 'facts:\n  physicalMtu: 1500\n' });
    const r = allResults(lintDir(cwd)).filter((x) => x.ruleId === 'cni-mtu-mismatch');
    expect(r.map((x) => [x.position.start.line, x.message])).toEqual([
      [6, 'MTU 1500 of Canal (veth_mtu in ConfigMap rke2-canal-config) exceeds 1450: physical MTU 1500 minus 50 bytes of flannel VXLAN; full-size packets will be fragmented or dropped'],
    ]);
  });

  it('chart values are read only beside their chart\'s Chart.yaml', () => {
    const values = 'MTU: 9001\nroutingMode: native\n';
    const facts = 'facts:\n  physicalMtu: 1500\n';
    const beside = writeTree({ 'cilium/Chart.yaml': 'apiVersion: v2\nname: cilium\nversion: 1.18.0\n', 'cilium/values.yaml': values, '.hostlint.yaml': facts });
    expect(allResults(lintDir(beside)).filter((x) => x.ruleId === 'cni-mtu-mismatch').map((x) => [x.file, x.position.start.line])).toEqual([['cilium/values.yaml', 1]]);
    const alone = writeTree({ 'cilium/values.yaml': values, '.hostlint.yaml': facts });
    expect(allResults(lintDir(alone)).filter((x) => x.ruleId === 'cni-mtu-mismatch')).toEqual([]);
    const otherChart = writeTree({ 'x/Chart.yaml': 'apiVersion: v2\nname: x\nversion: 1.0.0\n', 'x/values.yaml': values, '.hostlint.yaml': facts });
    expect(allResults(lintDir(otherChart)).filter((x) => x.ruleId === 'cni-mtu-mismatch')).toEqual([]);
  });
});
