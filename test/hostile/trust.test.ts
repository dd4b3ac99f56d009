/**
 * Trust: a scanned repository is data. Its `.hostlint.yaml` cannot make
 * hostlint run code, fetch anything or read outside the given paths; the
 * outputs carry no file content beyond the flagged line (and not even that
 * with `--no-snippets`).
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { writeTree } from '../helpers/lint.js';
import { expectNoStackTrace, KERNEL_310, lintJson, TW } from './helpers.js';

let requests = 0;
let port = 0;
const server = createServer((_req, res) => {
  requests++;
  res.end('{}');
});
beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

/** A repository whose config tries something; returns the run and the marker the attempt would create. */
async function attempt(config: (marker: string, dir: string) => string, extra: Record<string, string> = {}) {
  const cwd = writeTree({ 'sysctl.conf': TW, ...extra });
  const marker = path.join(cwd, 'PWNED');
  writeFileSync(path.join(cwd, '.hostlint.yaml'), config(marker, cwd));
  const r = await runCli(['-f', 'json'], { cwd });
  expectNoStackTrace(r.stderr);
  return { ...r, pwned: existsSync(marker), cwd };
}

describe('the configuration is data only', () => {
  it('YAML language tags (`!!js/function`, `!!python/object/apply`) are strings, never called', async () => {
    const js = await attempt((m) => `rules: !!js/function "function () { require('fs').writeFileSync('${m}', 'x') }"\n`);
    expect(js).toMatchObject({ code: 2, pwned: false, stdout: '' });
    expect(js.stderr).toBe('hostlint: configuration error: .hostlint.yaml: `rules` must be object\n');
    const py = await attempt((m) => `facts:\n  kernel: !!python/object/apply:os.system ["touch ${m}"]\n`);
    expect(py).toMatchObject({ code: 2, pwned: false });
    expect(py.stderr).toBe('hostlint: configuration error: .hostlint.yaml: `facts.kernel` must be string\n');
    // A tagged string is validated as the string it is.
    const str = await attempt((m) => `facts:\n  kernel: !!js/function "require('fs').writeFileSync('${m}', 'x')"\n`);
    expect(str).toMatchObject({ code: 2, pwned: false, stderr: 'hostlint: configuration error: .hostlint.yaml: `facts.kernel` must match pattern "^[0-9]+\\.[0-9]+"\n' });
    const ok = await attempt(() => `facts:\n  kernel: !!js/function 3.10.0-1160.el7.x86_64\n`);
    expect(ok.code).toBe(1); // used as the kernel release: the tw_recycle error
  });

  it('keys that load code or other files elsewhere (`extends`, `plugins`, `require`, `parser`) are unknown keys: exit 2, nothing loaded', async () => {
    for (const key of ['extends: ./evil.yaml', 'plugins: [./evil.js]', 'require: ./evil.js', 'parser: ./evil.js', 'extends: /etc/hostlint.yaml']) {
      const r = await attempt(() => `${key}\n`, { 'evil.js': "require('fs').writeFileSync(__dirname + '/PWNED', 'x')\n", 'evil.yaml': 'rules: {}\n' });
      const name = key.slice(0, key.indexOf(':'));
      expect(r.stderr, key).toBe(`hostlint: configuration error: .hostlint.yaml: \`(top level)\` has unknown key \`${name}\`\n`);
      expect(r.code).toBe(2);
      expect(r.pwned).toBe(false);
    }
  });

  it('`$schema` (for editors) is accepted and never fetched', async () => {
    const r = await attempt(() => `$schema: http://127.0.0.1:${port}/config.schema.json\n${KERNEL_310}`);
    expect(r.code).toBe(1); // the tw_recycle error: the config was used
    expect(requests).toBe(0);
  });

  it('an alias bomb in the configuration is refused', async () => {
    const bomb = ['a: &a [x,x,x,x,x,x,x,x,x]', 'b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]', 'c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]', 'ignores: *c'].join('\n');
    const r = await attempt(() => `${bomb}\n`);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('hostlint: configuration error: .hostlint.yaml: Excessive alias count indicates a resource exhaustion attack\n');
  });

  it('globs that name paths outside the linted tree (`languages`, `overrides`) read nothing there', async () => {
    const outside = writeTree({ 'sysctl.conf': `# CANARY-31d4\n${TW}`, 'notes.txt': `${TW}` });
    const rel = path.relative(writeTree({}), outside);
    const r = await attempt(
      () =>
        `${KERNEL_310}languages:\n  "${outside}/notes.txt": sysctl\n  "../${rel}/*": sysctl\n  "/etc/passwd": sysctl\noverrides:\n  - files: ["${outside}/**", "/etc/**"]\n    rules: {sysctl-tw-recycle: off}\nignores: ["../**"]\n`,
    );
    const doc = JSON.parse(r.stdout) as { results: Array<{ file: string; ruleId: string }> };
    expect(doc.results.map((x) => [x.file, x.ruleId])).toEqual([['sysctl.conf', 'sysctl-tw-recycle']]);
    expect(r.stdout).not.toContain('CANARY-31d4');
    expect(r.stdout).not.toContain('root:');
  });
});

describe('outputs carry no file content beyond the flagged line', () => {
  // Every line that is neither flagged nor evidence carries a canary.
  const files = {
    '.hostlint.yaml': 'facts:\n  physicalMtu: 1500\n  kernel: 3.10.0-1160.el7.x86_64\n',
    'sysctl.conf': '# CANARY-0001 tuning notes\nvm.swappiness = 10\n# CANARY-0002\nnet.ipv4.tcp_tw_recycle = 1\nkernel.hostname = CANARY-0003\n',
    'resolv.conf': 'nameserver 10.0.0.1 # CANARY-0004\nsearch CANARY-0005.example\n',
    'cluster/calico.yaml': [
      'apiVersion: v1 # CANARY-0006',
      'kind: ConfigMap',
      'metadata:',
      '  name: calico-config',
      '  namespace: kube-system',
      '  annotations: {note: CANARY-0007}',
      'data:',
      '  veth_mtu: "1430" # FLAGGED-LINE-CANARY',
      '  typha_service_name: CANARY-0008',
      '---',
      'apiVersion: apps/v1',
      'kind: DaemonSet',
      'metadata:',
      '  name: calico-node',
      '  namespace: kube-system',
      'spec:',
      '  template:',
      '    spec:',
      '      containers:',
      '        - name: calico-node',
      '          image: calico/node:v3.9.0',
      '          env:',
      '            - name: CALICO_IPV4POOL_IPIP',
      '              value: "Always"',
      '            - name: CANARY_0009',
      '              value: "CANARY-0010"',
      '',
    ].join('\n'),
  };

  for (const format of ['json', 'sarif', 'stylish', 'github']) {
    it(`${format}: no canary from other lines; the flagged line's text only as its snippet, gone with --no-snippets`, async () => {
      const cwd = writeTree(files);
      const withSnippets = await runCli(['-f', format], { cwd });
      const without = await runCli(['-f', format, '--no-snippets'], { cwd });
      for (const r of [withSnippets, without]) {
        expect(r.code).toBe(1);
        expect(r.stdout).toContain('calico-mtu-mismatch');
        expect(r.stdout).not.toMatch(/CANARY-\d{4}|CANARY_0009/);
      }
      // The snippet (SARIF contextRegion) is the only place the flagged line's own text shows.
      expect(withSnippets.stdout.includes('FLAGGED-LINE-CANARY')).toBe(format === 'sarif');
      expect(without.stdout).not.toContain('FLAGGED-LINE-CANARY');
    });
  }

  it('--no-snippets keeps everything else: positions, messages, fixes, fingerprints', async () => {
    const cwd = writeTree(files);
    const a = JSON.parse((await lintJson(cwd)).stdout);
    const b = JSON.parse((await lintJson(cwd, ['--no-snippets'])).stdout);
    expect(b).toEqual(a);
  });
});
