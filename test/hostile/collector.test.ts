/**
 * The collector never copies secrets (issue 13, class 8): every decision is
 * made on the real path, directory symlinks resolved inside HOSTLINT_ROOT
 * (absolute links too, never outside it), and on the content; /proc/*\/environ,
 * keys, kubeconfigs and tokens are never copied, whatever link leads there.
 * And the script is clean under ShellCheck.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it, vi } from 'vitest';
import { collectScript } from '../../src/collect/index.js';
import { REPO } from './helpers.js';

// These tests start the real CLI (child processes, worker threads): on a loaded machine that takes seconds.
vi.setConfig({ testTimeout: 120_000 });

const MARK = 'PLANTED-SECRET-7f3a';

function which(cmd: string): string | undefined {
  const r = spawnSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' });
  const p = r.stdout.trim();
  return r.status === 0 && p.startsWith('/') ? p : undefined;
}

/** Only the tools the collector needs (no sysctl, ip or iptables: nothing of this machine is described). */
function toolbox(): string {
  const bin = mkdtempSync(path.join(tmpdir(), 'hostlint-bin-'));
  for (const tool of ['cat', 'mkdir', 'rm', 'ln', 'readlink', 'mktemp', 'tr', 'tar', 'gzip', 'wc', 'grep', 'dd']) symlinkSync(which(tool)!, path.join(bin, tool));
  writeFileSync(path.join(bin, 'uname'), '#!/bin/sh\necho node9\n');
  chmodSync(path.join(bin, 'uname'), 0o755);
  return bin;
}

function put(root: string, rel: string, content: string | { link: string }): void {
  const abs = path.join(root, rel);
  mkdirSync(path.dirname(abs), { recursive: true });
  if (typeof content === 'string') writeFileSync(abs, content);
  else symlinkSync(content.link, abs);
}

/** Run the collector on a root; the snapshot's tar bytes (uncompressed) and member names. */
function collect(files: Record<string, string | { link: string }>): { tar: string; names: string[] } {
  const root = mkdtempSync(path.join(tmpdir(), 'hostlint-fakeroot-'));
  for (const [rel, content] of Object.entries(files)) put(root, rel, content);
  const r = spawnSync(which('sh')!, ['-s'], { input: collectScript(), env: { PATH: toolbox(), HOSTLINT_ROOT: root, TMPDIR: mkdtempSync(path.join(tmpdir(), 'hostlint-out-')) }, maxBuffer: 64 << 20 });
  expect(r.stderr.toString()).toBe('');
  expect(r.status).toBe(0);
  const tar = gunzipSync(r.stdout);
  const names: string[] = [];
  for (let off = 0; off + 512 <= tar.length; ) {
    const name = tar.subarray(off, off + 100).toString('utf8').replace(/\0.*$/s, '');
    if (name === '') break;
    names.push(name);
    const size = parseInt(tar.subarray(off + 124, off + 136).toString('utf8').replace(/\0.*$/s, '').trim() || '0', 8);
    off += 512 + Math.ceil(size / 512) * 512;
  }
  return { tar: tar.toString('latin1'), names };
}

const BASE = { 'proc/sys/kernel/osrelease': '5.15.0-1\n', 'etc/sysctl.conf': 'net.ipv4.ip_forward = 1\n' };

describe('secrets behind symlinks are never collected', () => {
  it.each([
    ['etc/cni/net.d -> ../kubernetes (admin.conf matches *.conf)', { 'etc/kubernetes/admin.conf': `client-key-data: ${MARK}\n`, 'etc/cni/net.d': { link: '../kubernetes' } }],
    ['etc/sysctl.d -> ssl/private', { 'etc/ssl/private/server.conf': `${MARK}\n`, 'etc/sysctl.d': { link: 'ssl/private' } }],
    ['etc/sysctl.d -> /etc/ssl/private (absolute, resolved inside the root)', { 'etc/ssl/private/server.conf': `${MARK}\n`, 'etc/sysctl.d': { link: '/etc/ssl/private' } }],
    ['etc/resolv.conf -> /proc/self/environ', { 'proc/self/environ': `HOME=/root\0SECRET=${MARK}\0`, 'etc/resolv.conf': { link: '/proc/self/environ' } }],
    ['etc/resolv.conf -> ../proc/1/environ', { 'proc/1/environ': `SECRET=${MARK}\0`, 'etc/resolv.conf': { link: '../proc/1/environ' } }],
    ['etc/calico -> ../root/.kube (felix.cfg is a kubeconfig)', { 'root/.kube/felix.cfg': `token: ${MARK}\n`, 'etc/calico': { link: '../root/.kube' } }],
    ['a conflist that holds a private key', { 'etc/cni/net.d/10-x.conflist': `-----BEGIN RSA PRIVATE KEY-----\n${MARK}\n` }],
    ['a drop-in that is a kubeconfig by content', { 'etc/sysctl.d/90-x.conf': `apiVersion: v1\nusers:\n- user:\n    token: ${MARK}\n` }],
    ['an interface attribute that links to environ', { 'proc/self/environ': `SECRET=${MARK}\0`, 'sys/class/net/eth0/mtu': { link: '/proc/self/environ' }, 'sys/class/net/eth0/operstate': 'up\n' }],
    ['a live value that links out of /proc/sys', { 'etc/sysctl.conf': 'net.core.somaxconn = 4096\n', 'etc/secret-values': `${MARK}\n`, 'proc/sys/net/core/somaxconn': { link: '/etc/secret-values' } }],
    ['a directory link loop next to a secret', { 'etc/sysctl.d': { link: 'sysctl.d' }, 'etc/ssl/private/k.conf': `${MARK}\n` }],
  ] as Array<[string, Record<string, string | { link: string }>]>)('%s', (_name, files) => {
    const { tar, names } = collect({ ...BASE, ...files });
    expect(tar).not.toContain(MARK);
    expect(names).toContain('node9/etc/sysctl.conf');
  });

  it('ordinary links inside the root still work: a drop-in linked to ../sysctl.conf, resolv.conf to the systemd stub', () => {
    const { tar, names } = collect({
      ...BASE,
      'etc/sysctl.d/99-sysctl.conf': { link: '../sysctl.conf' },
      'run/systemd/resolve/stub-resolv.conf': 'nameserver 127.0.0.53\n',
      'etc/resolv.conf': { link: '../run/systemd/resolve/stub-resolv.conf' },
      'usr/lib/sysctl.d': { link: '../../lib/sysctl.d' },
      'lib/sysctl.d/50-default.conf': 'net.ipv4.conf.all.rp_filter = 2\n',
    });
    expect(names).toEqual(expect.arrayContaining(['node9/etc/sysctl.d/99-sysctl.conf', 'node9/run/systemd/resolve/stub-resolv.conf', 'node9/etc/resolv.conf', 'node9/usr/lib/sysctl.d/50-default.conf', 'node9/lib/sysctl.d/50-default.conf']));
    expect(tar).toContain('nameserver 127.0.0.53');
    expect(tar).toContain('net.ipv4.conf.all.rp_filter = 2');
  });
});

describe('ShellCheck', () => {
  const shellcheck = which('shellcheck');
  it.skipIf(!shellcheck && !process.env.CI)('src/collect/collect.sh is clean (POSIX sh)', () => {
    expect(shellcheck, 'Debian package shellcheck (installed by .ci/run)').toBeDefined();
    const r = spawnSync(shellcheck!, ['--shell=sh', '--severity=style', path.join(REPO, 'src/collect/collect.sh')], { encoding: 'utf8' });
    expect(r.stdout).toBe('');
    expect(r.status).toBe(0);
  });
});
