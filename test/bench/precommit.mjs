#!/usr/bin/env node
/**
 * Pre-commit latency: what a `hostlint` pre-commit hook adds to a commit that
 * changes five typical files (a sysctl.d drop-in, a sysctl.conf, a
 * resolv.conf, a Calico manifest and a CNI conflist, all real files from
 * fixtures/corpus and fixtures/), measured against
 *
 *   - `node -e 0`: the floor for any command-line tool written for Node;
 *   - ESLint 9 with eslint-plugin-yml running one YAML rule
 *     (`yml/require-string-key`, see eslint.config.mjs) on the same Calico
 *     manifest: the peer (pre-commit runs it the same way, with file names);
 *   - `node` + `parseAllDocuments` of the manifest with the `yaml` library:
 *     what parsing the manifest alone costs a fresh process.
 *
 * The repository has a .hostlint.yaml (facts about its hosts), as a real one
 * does. Two commits: one whose Calico manifest is the operator's custom-resources.yaml
 * (1 KB, the file operator installs edit), and one with the v3.28 manifest
 * install's calico.yaml (254 KB, 6,000 lines of CRDs and workloads). Every
 * command runs in a fresh process, the runs interleaved (harness.mjs).
 * Targets: hostlint at most 2.0x `node -e 0`, and well under ESLint.
 *
 *   node test/bench/precommit.mjs [--runs N]      (needs `npm run build` first)
 */
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { corpus, environment, fmtMs, fmtRatio, hostlintBin, measure, printTable, repo, runOnce, runsFromArgs } from './harness.mjs';

const RUNS = runsFromArgs(11);

/** The changed files of the commit: [path in the repository, source]. */
export const COMMON = [
  ['hosts/k8s-workers/sysctl.d/11-gce-network-security.conf', path.join(corpus, 'sysctl/gcp-compute-image-packages_11-gce-network-security.conf')],
  ['hosts/k8s-workers/sysctl.conf', path.join(corpus, 'sysctl/procps-ng_v4.0.6-sysctl.conf')],
  ['hosts/k8s-workers/resolv.conf', path.join(corpus, 'resolv/golang-go_resolv.conf')],
  ['hosts/k8s-workers/cni/net.d/10-calico.conflist', path.join(repo, 'fixtures/rules/calico-mtu-mismatch/invalid-conflist-too-large/cluster/10-calico.conflist')],
];
/** The repository's configuration: facts about the hosts its files configure (as a real repository has them). */
export const CONFIG = 'facts:\n  kernel: 5.15.0-91-generic\n  kubernetesNode: true\n  physicalMtu: 1500\n';
export const CASES = [
  { name: 'custom-resources.yaml', manifest: ['cluster/calico/custom-resources.yaml', path.join(corpus, 'calico/projectcalico-calico_v3.32.1-custom-resources.yaml')] },
  { name: 'calico.yaml v3.28', manifest: ['cluster/calico/calico.yaml', path.join(corpus, 'calico/projectcalico-calico_v3.28.0-calico.yaml')] },
];

export function precommitBench({ runs = RUNS } = {}) {
  const eslint = path.join(repo, 'node_modules/eslint/bin/eslint.js');
  try {
    statSync(eslint);
  } catch {
    throw new Error('the ESLint peer is a devDependency: run `npm ci` (or `npm install`) first');
  }
  console.log(`\n## Pre-commit latency (5 changed files; median of ${runs} runs, fresh processes)\n`);
  const results = [];
  for (const c of CASES) {
    const root = mkdtempSync(path.join(os.tmpdir(), 'hostlint-bench-precommit-'));
    try {
      const files = [...COMMON, c.manifest];
      for (const [rel, from] of files) {
        mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
        copyFileSync(from, path.join(root, rel));
      }
      writeFileSync(path.join(root, '.hostlint.yaml'), CONFIG);
      const bytes = files.reduce((n, [rel]) => n + statSync(path.join(root, rel)).size, 0);
      const manifest = c.manifest[0];
      const commands = [
        { label: 'node -e 0', args: ['-e', '0'], cwd: root },
        // Exit 1 is a finding: these are real files, some with problems.
        { label: 'hostlint', args: [hostlintBin, ...files.map(([rel]) => rel)], cwd: root, exitCodes: [0, 1] },
        { label: 'eslint', args: [eslint, '--config', path.join(repo, 'test/bench/eslint.config.mjs'), manifest], cwd: root, exitCodes: [0, 1] },
        { label: 'parse floor', args: [path.join(repo, 'test/bench/parse-floor.mjs'), manifest], cwd: root },
      ];
      // Once, to check that each tool did its work (and did not skip the files).
      const check = runOnce({ ...commands[1], args: [...commands[1].args, '--format', 'json'], capture: true });
      const report = JSON.parse(check.stdout);
      if (report.summary.files === undefined) throw new Error('hostlint: no summary in its JSON output');
      const peer = JSON.parse(runOnce({ ...commands[2], args: [...commands[2].args, '--format', 'json'], capture: true }).stdout);
      if (peer.length !== 1 || peer[0].messages.some((m) => m.fatal || /ignored/i.test(m.message))) throw new Error(`eslint did not lint ${manifest}: ${JSON.stringify(peer)}`);
      const m = measure(commands, { runs });
      const [floor, hostlint, peerRun, parse] = m.map((x) => x.median);
      results.push({ name: c.name, bytes, floor, hostlint, eslint: peerRun, parse });
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  }
  printTable(
    ['Calico manifest in the commit', '5 files', '`node -e 0`', 'hostlint', 'ESLint + yml (manifest)', 'parse manifest', 'hostlint / node', 'hostlint / ESLint'],
    results.map((r) => [r.name, `${(r.bytes / 1024).toFixed(1)} KB`, fmtMs(r.floor), fmtMs(r.hostlint), fmtMs(r.eslint), fmtMs(r.parse), fmtRatio(r.hostlint / r.floor), fmtRatio(r.hostlint / r.eslint)]),
  );
  const typical = results[0];
  console.log(
    `\nTarget (typical commit: ${typical.name}): at most 2.0× \`node -e 0\`: ${typical.hostlint <= 2 * typical.floor ? 'met' : 'NOT met'} (${fmtRatio(typical.hostlint / typical.floor)}); ` +
      `well under ESLint: ${typical.hostlint <= 0.5 * typical.eslint ? 'met' : 'NOT met'} (${fmtRatio(typical.hostlint / typical.eslint)})`,
  );
  return results;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  console.log(`hostlint pre-commit bench: ${environment()}`);
  precommitBench();
}
