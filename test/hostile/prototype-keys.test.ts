/**
 * Prototype-named keys (issue 13, class 6): `constructor`, `toString`,
 * `__proto__`, `valueOf`, `hasOwnProperty` … are keys like any other in every
 * language hostlint reads; tables keyed by untrusted text are Maps (or
 * null-prototype objects), so no rule crashes and no lookup finds
 * Object.prototype's members.
 */
import { describe, expect, it, vi } from 'vitest';
import { writeTree } from '../helpers/lint.js';
import { KERNEL_310, lintJson, spawnCli, built } from './helpers.js';

// These tests start the real CLI (child processes, worker threads): on a loaded machine that takes seconds.
vi.setConfig({ testTimeout: 120_000 });

export const PROTO_NAMES = ['constructor', 'toString', '__proto__', 'valueOf', 'hasOwnProperty', 'isPrototypeOf', 'propertyIsEnumerable', 'toLocaleString', '__defineGetter__', 'prototype'];

const kernels = [KERNEL_310, 'facts:\n  kernel: 6.8.0-45-generic\n  kubernetesNode: true\n'];

describe('prototype names as keys, options and names', () => {
  it.each(PROTO_NAMES)('%s: every language, known kernels, no internal-error', async (name) => {
    for (const config of kernels) {
      const dir = writeTree({
        '.hostlint.yaml': config,
        'etc/sysctl.conf': `${name} = 1\nnet.ipv4.${name} = 2\n${name}.${name} = 3\n-${name}\nnet.*.${name} = 4\n`,
        [`etc/sysctl.d/${name}.conf`]: `${name} = 5\n`,
        'etc/resolv.conf': `options ${name} ${name}:1\nsearch ${name}\nnameserver 10.0.0.1\n`,
        'etc/calico/felix.cfg': `[global]\n${name} = 1\n${name} = 2\n`,
        'net.d/10-calico.conflist': JSON.stringify({ cniVersion: '0.3.1', name, plugins: [{ type: 'calico', [name]: 1, mtu: 0 }] }),
        'cluster/calico.yaml': `kind: ConfigMap\napiVersion: v1\nmetadata:\n  name: ${name}\n  namespace: kube-system\ndata:\n  ${name}: "1"\n  veth_mtu: "1440"\n---\nkind: ${name}\napiVersion: v1\n${name}: {}\n`,
      });
      const r = await lintJson(dir);
      expect(r.stderr).toBe('');
      expect(r.rows.filter((x) => x.ruleId === 'internal-error')).toEqual([]);
      expect([0, 1]).toContain(r.code);
      // The sysctl keys are unknown keys, nothing else: not "removed", not "set by the kubelet".
      expect(r.rows.filter((x) => x.message.includes('was removed'))).toEqual([]);
    }
  });

  it.skipIf(!built())('in a fleet audit (host scope, live values named like prototype members)', () => {
    const files: Record<string, string> = { '.hostlint.yaml': KERNEL_310 };
    for (const name of PROTO_NAMES.slice(0, 5)) {
      files[`fleet/${name}/etc/sysctl.conf`] = `${name} = 1\nkernel.${name} = 2\n`;
      files[`fleet/${name}/proc/sys/kernel/${name}`] = '3\n';
      files[`fleet/${name}/proc/sys/kernel/osrelease`] = '3.10.0-1160.el7.x86_64\n';
    }
    const r = spawnCli(['audit', '--concurrency', '2', '-f', 'json', 'fleet'], { cwd: writeTree(files) });
    expect(r.stderr).toBe('');
    const results = JSON.parse(r.stdout).results as Array<{ ruleId: string; host: string; message: string }>;
    expect(results.filter((x) => x.ruleId === 'internal-error')).toEqual([]);
    // Hosts in path order; each host's own live value is found, none from Object.prototype.
    expect(results.filter((x) => x.ruleId === 'sysctl-drift').map((x) => [x.host, x.message])).toEqual(
      ['__proto__', 'constructor', 'hasOwnProperty', 'toString', 'valueOf'].map((name) => [
        name,
        `\`kernel.${name}\` is configured as \`2\` but is \`3\` on the running host: the file was changed and not applied since, or the value was changed at runtime`,
      ]),
    );
  });
});
