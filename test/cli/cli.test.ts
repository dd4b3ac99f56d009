/**
 * The command line as a user meets it: help, bad flags, config errors, exit
 * codes, stdin, output files, directives, bad input.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { rules as registry } from '../../rules/index.js';
import { runCli } from '../helpers/cli.js';
import { writeTree } from '../helpers/lint.js';

const TW = '# tuning\nnet.ipv4.tcp_tw_recycle = 1\n';
const KERNEL_310 = 'facts:\n  kernel: 3.10.0-1160.el7.x86_64\n';

describe('usage', () => {
  it('--help prints usage and exits 0', async () => {
    const r = await runCli(['--help'], { cwd: writeTree({}) });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Usage: hostlint \[lint\] \[options\] \[PATH \.\.\.\]/);
    expect(r.stdout).toContain('--format NAME');
  });

  it('--version prints the package version', async () => {
    const r = await runCli(['--version'], { cwd: writeTree({}) });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
  });

  it('an unknown flag is a usage error (exit 2) without a stack trace', async () => {
    const r = await runCli(['--frobnicate'], { cwd: writeTree({}) });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe("hostlint: Unknown option '--frobnicate'\nRun `hostlint --help` for usage.\n");
  });

  it('an unknown format is a usage error', async () => {
    const r = await runCli(['-f', 'xml'], { cwd: writeTree({}) });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('unknown format `xml` (choose from stylish, json, sarif, github, junit, gitlab, ndjson, html)');
  });

  it('a path that does not exist: message, other paths still linted, exit 2', async () => {
    const cwd = writeTree({ 'sysctl.conf': TW, '.hostlint.yaml': KERNEL_310 });
    const r = await runCli(['nope.conf', 'sysctl.conf'], { cwd });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('hostlint: no such file or directory: nope.conf\n');
    expect(r.stdout).toContain('sysctl-tw-recycle');
  });

  it('a directory with nothing to lint: exit 2 with one line; --pass-on-no-files: exit 0, no output', async () => {
    const cwd = writeTree({ 'notes.txt': 'hello\n' });
    expect(await runCli([], { cwd })).toEqual({
      code: 2,
      stdout: '',
      stderr:
        'hostlint: nothing to lint under .: hostlint reads sysctl.conf, sysctl.d/*.conf, resolv.conf, felix.cfg, *.conflist, Kubernetes YAML (*.yaml with apiVersion or kind) and host snapshots (--pass-on-no-files exits 0)\n',
    });
    expect(await runCli(['--pass-on-no-files'], { cwd })).toEqual({ code: 0, stdout: '', stderr: '' });
  });
});

describe('configuration', () => {
  it('an unknown key names the file and the key (exit 2)', async () => {
    const cwd = writeTree({ '.hostlint.yaml': 'rules: {}\nfact:\n  kernel: 3.10\n' });
    const r = await runCli([], { cwd });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('hostlint: configuration error: .hostlint.yaml: `(top level)` has unknown key `fact`\n');
  });

  it('a bad severity names the rule key', async () => {
    const cwd = writeTree({ '.hostlint.yaml': 'rules:\n  sysctl-tw-recycle: fatal\n' });
    const r = await runCli([], { cwd });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('.hostlint.yaml: `rules.sysctl-tw-recycle`');
  });

  it('an unknown rule is named', async () => {
    const cwd = writeTree({ '.hostlint.yaml': 'rules:\n  no-such-rule: error\n' });
    const r = await runCli([], { cwd });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('hostlint: configuration error: .hostlint.yaml: `rules.no-such-rule`: unknown rule `no-such-rule` (`hostlint rules` lists them)\n');
  });

  it('bad rule options are named', async () => {
    const cwd = writeTree({ '.hostlint.yaml': 'rules:\n  resolv-search-inherited: [warning, {alow: []}]\n' });
    const r = await runCli([], { cwd });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('hostlint: configuration error: .hostlint.yaml: `rules.resolv-search-inherited` options has unknown key `alow`\n');
  });

  it('broken YAML in the config gives its position', async () => {
    const cwd = writeTree({ '.hostlint.yaml': 'rules:\n  a: [\n' });
    const r = await runCli([], { cwd });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^hostlint: configuration error: \.hostlint\.yaml:\d+:\d+: invalid YAML: /);
  });

  it('severity and facts come from the config; overrides apply per path', async () => {
    const cwd = writeTree({
      'hosts/db/sysctl.conf': TW,
      'hosts/web/sysctl.conf': TW,
      '.hostlint.yaml': `${KERNEL_310}overrides:\n  - files: ["hosts/web/**"]\n    rules:\n      sysctl-tw-recycle: off\n`,
    });
    const r = await runCli(['-f', 'json'], { cwd });
    const doc = JSON.parse(r.stdout);
    expect(doc.results.map((x: { file: string; ruleId: string; severity: string }) => [x.file, x.ruleId, x.severity])).toEqual([
      ['hosts/db/sysctl.conf', 'sysctl-tw-recycle', 'error'],
    ]);
    expect(r.code).toBe(1);
  });

  it('--config names a file explicitly', async () => {
    const cwd = writeTree({ 'sysctl.conf': TW, 'cfg/lint.yaml': 'rules:\n  sysctl-tw-recycle: note\n' + KERNEL_310 });
    const r = await runCli(['-c', 'cfg/lint.yaml', '-f', 'json'], { cwd });
    expect(JSON.parse(r.stdout).results.map((x: { severity: string }) => x.severity)).toEqual(['note']);
    expect(r.code).toBe(0);
  });
});

describe('exit codes and output', () => {
  it('--max-warnings turns too many warnings into exit 1', async () => {
    const cwd = writeTree({ 'sysctl.conf': TW });
    const plain = await runCli([], { cwd });
    expect(plain.code).toBe(0); // unknown kernel: a warning, not an error
    expect(plain.stdout).toContain('warning');
    const strict = await runCli(['--max-warnings', '0'], { cwd });
    expect(strict.code).toBe(1);
    expect(strict.stderr).toBe('hostlint found too many warnings (maximum: 0).\n');
  });

  it('--quiet shows errors only', async () => {
    const cwd = writeTree({ 'sysctl.conf': TW });
    const r = await runCli(['--quiet'], { cwd });
    expect(r).toEqual({ code: 0, stdout: '', stderr: '' });
  });

  it('-o writes the whole report and nothing to stdout', async () => {
    const cwd = writeTree({ 'sysctl.conf': TW, '.hostlint.yaml': KERNEL_310 });
    const r = await runCli(['-f', 'json', '-o', 'out/report.json'], { cwd });
    // The output directory does not exist: exit 2, a clear message, no partial file.
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('hostlint: cannot write out/report.json: ENOENT\n');
    expect(existsSync(path.join(cwd, 'out/report.json'))).toBe(false);
    const ok = await runCli(['-f', 'json', '-o', 'report.json'], { cwd });
    expect(ok.stdout).toBe('');
    expect(ok.code).toBe(1);
    expect(JSON.parse(readFileSync(path.join(cwd, 'report.json'), 'utf8')).summary.errorCount).toBe(1);
  });

  it('reads standard input as --stdin-filename', async () => {
    const cwd = writeTree({ '.hostlint.yaml': KERNEL_310 });
    const r = await runCli(['--stdin', '--stdin-filename', 'etc/sysctl.d/90-net.conf', '-f', 'json'], { cwd, stdin: TW });
    const doc = JSON.parse(r.stdout);
    expect(doc.results.map((x: { file: string; line: number; column: number }) => [x.file, x.line, x.column])).toEqual([['etc/sysctl.d/90-net.conf', 2, 27]]);
    expect(r.code).toBe(1);
  });

  it('--stdin without a file name is a usage error', async () => {
    const r = await runCli(['-'], { cwd: writeTree({}), stdin: TW });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--stdin needs --stdin-filename NAME');
  });

  it('colours only when asked or on a terminal', async () => {
    const cwd = writeTree({ 'sysctl.conf': TW });
    expect((await runCli([], { cwd })).stdout).not.toContain('\u001b[');
    expect((await runCli([], { cwd, isTTY: true })).stdout).toContain('\u001b[');
    expect((await runCli([], { cwd, isTTY: true, env: { NO_COLOR: '1' } })).stdout).not.toContain('\u001b[');
    expect((await runCli(['--color'], { cwd })).stdout).toContain('\u001b[');
  });
});

describe('rules and explain', () => {
  it('rules --format json lists every rule with description, severity, tags and sources', async () => {
    const r = await runCli(['rules', '--format', 'json'], { cwd: writeTree({}) });
    const doc = JSON.parse(r.stdout);
    expect(doc.rules.map((x: { id: string }) => x.id)).toEqual(registry.map((x) => x.meta.id).sort());
    for (const rule of doc.rules) {
      expect(rule.description).toBeTruthy();
      expect(['error', 'warning', 'note']).toContain(rule.severity);
      expect(rule.tags.length).toBeGreaterThan(0);
      expect(rule.sources.length).toBeGreaterThan(0);
    }
  });

  it('explain sysctl-tw-recycle cites the kernel change that removed the key', async () => {
    const r = await runCli(['explain', 'sysctl-tw-recycle'], { cwd: writeTree({}) });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('4396e46187ca5070219b81773c4e65088dac50cc');
    expect(r.stdout).toContain('Examples');
  });

  it('explain keeps a leading `# ` inside code examples (only headings lose it)', async () => {
    const r = await runCli(['explain', 'sysctl-syntax'], { cwd: writeTree({}) });
    expect(r.code).toBe(0);
    // The valid example's first line is a comment: shown as written, not as a bare sentence.
    expect(r.stdout).toContain('\n# needed by the VPN\nnet.ipv4.ip_forward = 1\n');
    expect(r.stdout).not.toMatch(/^needed by the VPN$/m);
    expect(r.stdout).toMatch(/^sysctl-syntax$/m);
    expect(r.stdout).toMatch(/^Examples$/m);
  });

  it('explain of an unknown rule is a usage error', async () => {
    const r = await runCli(['explain', 'nope'], { cwd: writeTree({}) });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('unknown rule `nope`');
  });
});

describe('inline directives', () => {
  const json = async (cwd: string, extra: string[] = []) => JSON.parse((await runCli(['-f', 'json', '--include-suppressed', ...extra], { cwd })).stdout);

  it('disable-next-line suppresses the next line, with its reason', async () => {
    const cwd = writeTree({
      '.hostlint.yaml': KERNEL_310,
      'sysctl.conf': '# hostlint-disable-next-line sysctl-tw-recycle -- NAT gateway removed in 2024\nnet.ipv4.tcp_tw_recycle = 1\n',
    });
    const r = await runCli([], { cwd });
    expect(r).toEqual({ code: 0, stdout: '', stderr: '' });
    const doc = await json(cwd);
    expect(doc.results).toHaveLength(1);
  });

  it('disable / enable blocks, and other rules are not suppressed', async () => {
    const cwd = writeTree({
      '.hostlint.yaml': `${KERNEL_310}  kubernetesNode: true\n`,
      'sysctl.conf': [
        '# hostlint-disable sysctl-tw-recycle',
        'net.ipv4.tcp_tw_recycle = 1',
        'net.ipv4.ip_forward = 0',
        '# hostlint-enable sysctl-tw-recycle',
        '',
      ].join('\n'),
    });
    const r = await runCli(['-f', 'json'], { cwd });
    expect(JSON.parse(r.stdout).results.map((x: { ruleId: string; line: number }) => [x.ruleId, x.line])).toEqual([['k8s-ip-forward', 3]]);
  });

  it('directives work in YAML, including disable-line', async () => {
    const cwd = writeTree({
      '.hostlint.yaml': 'facts:\n  physicalMtu: 1500\n',
      'calico.yaml': 'kind: ConfigMap\napiVersion: v1\nmetadata:\n  name: calico-config\ndata:\n  veth_mtu: "9000" # hostlint-disable-line calico-mtu-mismatch\n',
    });
    expect((await runCli([], { cwd })).stdout).toBe('');
  });

  it('--report-unused-disable-directives reports directives that suppress nothing', async () => {
    const cwd = writeTree({
      'sysctl.conf': '# hostlint-disable-next-line sysctl-tw-recycle\nnet.ipv4.tcp_tw_recycle = 0\n# hostlint-disable-next-line no-such-rule\nvm.swappiness = 10\n',
    });
    const r = await runCli(['--report-unused-disable-directives', '-f', 'json'], { cwd });
    expect(JSON.parse(r.stdout).results.map((x: { ruleId: string; line: number; column: number; message: string }) => [x.ruleId, x.line, x.column, x.message])).toEqual([
      ['unused-disable-directive', 1, 1, 'Unused hostlint-disable directive (no problems were reported from `sysctl-tw-recycle`)'],
      ['unused-disable-directive', 3, 1, 'Unknown rule `no-such-rule` in hostlint directive'],
    ]);
    expect(r.code).toBe(1);
  });
});

describe('bad input', () => {
  it('broken YAML is a parse-error at its position; other files are still linted', async () => {
    const cwd = writeTree({
      '.hostlint.yaml': KERNEL_310,
      'a/calico.yaml': 'apiVersion: v1\nkind: ConfigMap\ndata:\n  veth_mtu: [1440\n',
      'b/sysctl.conf': TW,
    });
    const r = await runCli(['-f', 'json'], { cwd });
    const doc = JSON.parse(r.stdout);
    expect(doc.results.map((x: { ruleId: string; file: string }) => [x.ruleId, x.file])).toEqual([
      ['parse-error', 'a/calico.yaml'],
      ['sysctl-tw-recycle', 'b/sysctl.conf'],
    ]);
    expect(doc.results[0].line).toBeGreaterThanOrEqual(4);
    expect(r.code).toBe(1);
  });

  it('a binary sysctl.conf is a read-error naming the file', async () => {
    const cwd = writeTree({ '.hostlint.yaml': KERNEL_310, 'b/sysctl.conf': TW });
    writeFileSync(path.join(cwd, 'sysctl.conf'), Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 1, 2]));
    const r = await runCli(['-f', 'json'], { cwd });
    const doc = JSON.parse(r.stdout);
    expect(doc.results.map((x: { ruleId: string; file: string; message: string }) => [x.ruleId, x.file, x.message])).toEqual([
      ['sysctl-tw-recycle', 'b/sysctl.conf', expect.any(String)],
      ['read-error', 'sysctl.conf', 'File is a binary file (NUL byte at offset 4), not text'],
    ]);
  });

  it('invalid UTF-8 and UTF-16 are named, not guessed', async () => {
    const cwd = writeTree({});
    writeFileSync(path.join(cwd, 'resolv.conf'), Buffer.from([0x6e, 0x61, 0xff, 0x0a]));
    writeFileSync(path.join(cwd, 'sysctl.conf'), Buffer.from([0xff, 0xfe, 0x6e, 0x00]));
    const doc = JSON.parse((await runCli(['-f', 'json'], { cwd })).stdout);
    expect(doc.results.map((x: { file: string; message: string }) => [x.file, x.message])).toEqual([
      ['resolv.conf', 'File is not valid UTF-8 (first bad byte at offset 2)'],
      ['sysctl.conf', 'File is UTF-16 encoded; the tools that read it expect UTF-8 (or ASCII) text'],
    ]);
  });

  it('never takes the machine itself (or any ancestor of the working directory) for a snapshot', async () => {
    // On a Linux machine `/` holds etc/, proc/ and sys/: it must not become a host scope.
    const cwd = writeTree({ 'sysctl.conf': TW });
    const doc = JSON.parse((await runCli(['-f', 'json'], { cwd })).stdout);
    expect(doc.results.map((x: { file: string; host?: string }) => [x.file, x.host ?? null])).toEqual([['sysctl.conf', null]]);
  });
});
