#!/usr/bin/env node
/**
 * A large manifest: one 20 MiB multi-document Kubernetes YAML file, made in a
 * temporary directory by concatenating the real Calico manifests of
 * fixtures/corpus/calico (round robin, each copy after a `---` line and a
 * comment naming it; the manifest installs with their CRDs, operator
 * resources, IP pools, kustomize output with go-yaml-style quoted scalars),
 * linted by hostlint in a fresh process, against the floor: a fresh process
 * that reads the same bytes and runs `parseAllDocuments` of the same `yaml`
 * library (parse-floor.mjs), and nothing else. Target: within 1.3x of the floor.
 *
 *   node test/bench/manifest.mjs [--runs N] [--mib N]   (needs `npm run build` first)
 *
 * Left out of the mix: the Jekyll template (not YAML until rendered), the
 * `.tmpl.yaml` and the Helm values file (not Kubernetes objects).
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { corpus, environment, fmtMiB, fmtMs, fmtRatio, hostlintBin, measure, printTable, repo, runOnce, runsFromArgs } from './harness.mjs';

const RUNS = runsFromArgs(5);
const mibArg = process.argv.indexOf('--mib');
const MIB = mibArg >= 0 ? Number(process.argv[mibArg + 1]) : 20;

const EXCLUDED = /jekyll|\.tmpl\.yaml$|helm-values/;

/** The manifest: corpus Calico files, round robin, until it holds `mib` MiB. */
export function generateManifest(mib) {
  const dir = path.join(corpus, 'calico');
  const sources = readdirSync(dir)
    .filter((f) => /\.ya?ml$/.test(f) && !EXCLUDED.test(f))
    .sort()
    .map((f) => {
      const text = readFileSync(path.join(dir, f), 'utf8');
      return [f, text.endsWith('\n') ? text : `${text}\n`];
    });
  const target = mib * 1024 * 1024;
  const parts = [];
  let size = 0;
  for (let i = 0; size < target; i++) {
    const [name, text] = sources[i % sources.length];
    const part = `---\n# ${name} (copy ${Math.floor(i / sources.length) + 1})\n${text}`;
    parts.push(part);
    size += Buffer.byteLength(part);
  }
  return { text: parts.join(''), sources: sources.length, copies: parts.length };
}

export function manifestBench({ runs = RUNS, mib = MIB } = {}) {
  const root = mkdtempSync(path.join(os.tmpdir(), 'hostlint-bench-manifest-'));
  try {
    const { text, sources, copies } = generateManifest(mib);
    const file = path.join(root, 'all-in-one.yaml');
    writeFileSync(file, text);
    const bytes = Buffer.byteLength(text);
    const lines = text.split('\n').length - 1;
    console.log(`\n## Large manifest (${(bytes / 1024 / 1024).toFixed(1)} MiB, ${lines.toLocaleString('en')} lines: ${copies} copies of ${sources} corpus manifests; median of ${runs} runs, fresh processes)\n`);
    const commands = [
      { label: 'parse floor', args: [path.join(repo, 'test/bench/parse-floor.mjs'), file], cwd: root, rusage: true, capture: true },
      { label: 'hostlint', args: [hostlintBin, '--max-file-size', `${Math.ceil(mib * 2)}M`, '--format', 'json', file], cwd: root, rusage: true, exitCodes: [0, 1] },
    ];
    const docs = Number(runOnce(commands[0]).stdout);
    const check = runOnce({ ...commands[1], capture: true });
    const report = JSON.parse(check.stdout);
    const readErrors = report.results.filter((r) => r.ruleId === 'read-error');
    if (readErrors.length) throw new Error(`hostlint did not read the manifest: ${readErrors[0].message}`);
    const m = measure(commands, { runs });
    const [floor, hostlint] = m;
    printTable(
      ['', 'wall (median)', 'ratio', 'CPU (median)', 'peak RSS'],
      [
        [`\`parseAllDocuments\` (${docs.toLocaleString('en')} documents)`, fmtMs(floor.median), fmtRatio(1), fmtMs(floor.cpuMedian), fmtMiB(floor.rssMedian)],
        [`hostlint (${report.results.length} results)`, fmtMs(hostlint.median), fmtRatio(hostlint.median / floor.median), fmtMs(hostlint.cpuMedian), fmtMiB(hostlint.rssMedian)],
      ],
    );
    const ratio = hostlint.median / floor.median;
    console.log(`\nTarget: within 1.3× of the parse floor: ${ratio <= 1.3 ? 'met' : 'NOT met'} (${fmtRatio(ratio)}; CPU ${fmtRatio(hostlint.cpuMedian / floor.cpuMedian)})`);
    return { floor, hostlint, ratio };
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  console.log(`hostlint large-manifest bench: ${environment()}`);
  manifestBench();
}
