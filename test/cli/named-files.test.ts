/**
 * Files named on the command line, as pre-commit names the files a commit
 * changes: a file inside a host snapshot is linted with that snapshot's facts,
 * and only the named files are reported (and fixed); files matching the
 * configuration's `ignores` are skipped even when named.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { writeTree } from '../helpers/lint.js';

const SNAPSHOT = {
  'hosts/node01/etc/sysctl.conf': '# db tuning\nnet.ipv4.tcp_tw_recycle = 1\n',
  'hosts/node01/etc/sysctl.d/60-cis.conf': 'net.ipv4.ip_forward = 0\n',
  'hosts/node01/proc/sys/kernel/osrelease': '3.10.0-1160.el7.x86_64\n',
  'hosts/node01/var/lib/kubelet/config.yaml': 'kind: KubeletConfiguration\napiVersion: kubelet.config.k8s.io/v1beta1\n',
};

async function rules(cwd: string, args: string[]): Promise<Array<[string, string, number]>> {
  const r = await runCli([...args, '-f', 'json'], { cwd });
  expect(r.stderr).toBe('');
  return JSON.parse(r.stdout).results.map((x: { ruleId: string; file: string; line: number }) => [x.ruleId, x.file, x.line]);
}

describe('files named inside a snapshot', () => {
  const cwd = writeTree(SNAPSHOT);
  const TW: [string, string, number] = ['sysctl-tw-recycle', 'hosts/node01/etc/sysctl.conf', 2];
  const FWD: [string, string, number] = ['k8s-ip-forward', 'hosts/node01/etc/sysctl.d/60-cis.conf', 1];

  it("are linted with the snapshot's facts, and only they are reported", async () => {
    const r = await runCli(['hosts/node01/etc/sysctl.conf'], { cwd });
    expect(r.code).toBe(1);
    // The kernel release comes from the snapshot's proc/sys/kernel/osrelease (no .hostlint.yaml here).
    expect(r.stdout).toBe(
      '\nhosts/node01/etc/sysctl.conf  (host node01)\n' +
        '  2:27  error  `net.ipv4.tcp_tw_recycle = 1` with TCP timestamps on makes kernel 3.10.0-1160.el7.x86_64 drop SYNs from clients behind NAT; set it to 0  sysctl-tw-recycle\n' +
        '\n✖ 1 problem (1 error, 0 warnings, 0 notes)\n',
    );
    // The node marker (var/lib/kubelet) comes from the snapshot too.
    expect(await rules(cwd, ['hosts/node01/etc/sysctl.d/60-cis.conf'])).toEqual([FWD]);
    expect(await rules(cwd, ['hosts/node01/etc/sysctl.conf', 'hosts/node01/etc/sysctl.d/60-cis.conf'])).toEqual([TW, FWD]);
  });

  it('a directory inside the snapshot reports what is under it; the snapshot itself reports everything', async () => {
    expect(await rules(cwd, ['hosts/node01/etc/sysctl.d'])).toEqual([FWD]);
    expect(await rules(cwd, ['hosts/node01/etc'])).toEqual([TW, FWD]);
    expect(await rules(cwd, ['hosts/node01'])).toEqual([TW, FWD]);
    expect(await rules(cwd, ['hosts/node01/etc/sysctl.conf', 'hosts'])).toEqual([TW, FWD]);
  });

  it('--fix changes only the named files', async () => {
    const dir = writeTree(SNAPSHOT);
    const r = await runCli(['hosts/node01/etc/sysctl.conf', '--fix'], { cwd: dir });
    expect(r).toEqual({ code: 0, stdout: '', stderr: '' });
    expect(readFileSync(path.join(dir, 'hosts/node01/etc/sysctl.conf'), 'utf8')).toBe('# db tuning\nnet.ipv4.tcp_tw_recycle = 0\n');
    expect(readFileSync(path.join(dir, 'hosts/node01/etc/sysctl.d/60-cis.conf'), 'utf8')).toBe('net.ipv4.ip_forward = 0\n');
  });
});

describe('files named on the command line and `ignores`', () => {
  it("does not lint a named file the configuration ignores, and says so (ESLint's warning)", async () => {
    const cwd = writeTree({
      '.hostlint.yaml': 'facts:\n  kernel: 3.10.0-1160.el7.x86_64\nignores: ["vendor/**"]\n',
      'vendor/sysctl.conf': 'net.ipv4.tcp_tw_recycle = 1\n',
      'etc/sysctl.conf': 'net.ipv4.tcp_tw_recycle = 1\n',
    });
    expect(await rules(cwd, ['vendor/sysctl.conf', 'etc/sysctl.conf'])).toEqual([
      ['sysctl-tw-recycle', 'etc/sysctl.conf', 1],
      ['ignored-file', 'vendor/sysctl.conf', 1],
    ]);
    expect(await runCli(['vendor/sysctl.conf'], { cwd })).toEqual({
      code: 0,
      stdout: '\nvendor/sysctl.conf\n  1:1  warning  File ignored because of a matching ignore pattern. Use "--no-ignore" to override  ignored-file\n\n✖ 1 problem (0 errors, 1 warning, 0 notes)\n',
      stderr: '',
    });
  });
});
