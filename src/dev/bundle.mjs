#!/usr/bin/env node
/**
 * The single-file CLI: bundles the TypeScript build (dist/src/cli/main.js,
 * made by `tsc` just before) and its dependencies into dist/hostlint.cjs,
 * which bin/hostlint loads. A fresh `hostlint` process then reads one file
 * instead of resolving and compiling some 200 modules, which is most of what a
 * pre-commit hook waits for (see "Performance" in the README).
 *
 *   - `import.meta.url` of each module is rewritten to the URL its unbundled
 *     build has (dist/src/...), so the files it locates beside itself
 *     (package.json, collect.sh, the audit's worker) are found as before;
 *   - the configuration schema and the rules' option schemas are compiled to
 *     validators here, with Ajv's standalone code generation
 *     (src/config/precompiled.ts is replaced by them), so a run with a
 *     .hostlint.yaml neither loads Ajv nor compiles a schema;
 *   - tinypool stays outside (the audit loads it on demand, with its own
 *     worker files);
 *   - what a lint of named files does not need is not run when the bundle
 *     loads: the packages in LAZY_PACKAGES (globby, with fast-glob, its
 *     streams, `child_process` and `fs/promises`: only a directory argument
 *     is walked with it) are imported as functions that `require` the package
 *     on their first call (esbuild then runs the package's top-level code at
 *     that point, not at start-up). Node's heavy modules (crypto, readline,
 *     worker_threads) are taken with `process.getBuiltinModule` where they are
 *     used, in the source itself.
 *
 * esbuild is a devDependency. Where it cannot run (installed with
 * `--omit=optional`, which leaves out its binary), this prints why and exits 0:
 * bin/hostlint then runs the unbundled build, slower to start but the same.
 */
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const dist = path.join(root, 'dist');
const outfile = path.join(dist, 'hostlint.cjs');
const cacheFile = `${outfile}.cache`;
const entry = path.join(dist, 'src/cli/main.js');
const precompiledModule = path.join(dist, 'src/config/precompiled.js');

if (!existsSync(entry)) {
  console.error('bundle: dist/src/cli/main.js is missing; run `tsc -p tsconfig.json` first');
  process.exit(1);
}

let esbuild;
try {
  esbuild = await import('esbuild');
  await esbuild.transform('', {}); // fails here when the platform binary is missing
} catch (error) {
  rmSync(outfile, { force: true });
  rmSync(cacheFile, { force: true });
  console.error(`bundle: esbuild is not available (${error instanceof Error ? error.message.split('\n')[0] : error}); bin/hostlint will run the unbundled build in dist/src`);
  process.exit(0);
}

/** Ajv standalone validators for the configuration and every rule's options, as one ES module. */
async function precompiledValidators() {
  const require = createRequire(import.meta.url);
  const Ajv = require('ajv').default;
  const standaloneCode = require('ajv/dist/standalone').default;
  const { rules } = await import(pathToFileURL(path.join(dist, 'rules/index.js')).href);
  const configSchema = JSON.parse(readFileSync(path.join(root, 'src/config/config.schema.json'), 'utf8'));
  // The same options as src/config/load.ts uses at run time, plus generated source.
  const ajv = new Ajv({ allErrors: false, strict: false, useDefaults: false, code: { source: true, esm: true } });
  ajv.addSchema(configSchema, 'config');
  /** Export name (an identifier) → schema key: `config`, `rule:<id>`. */
  const exports = { config: 'config' };
  for (const rule of rules) {
    if (!rule.meta.schema) continue;
    const key = `rule:${rule.meta.id}`;
    ajv.addSchema(rule.meta.schema, key);
    exports[`rule_${rule.meta.id.replace(/[^A-Za-z0-9]/g, '_')}`] = key;
  }
  const code = standaloneCode(ajv, exports);
  const table = Object.entries(exports).map(([name, key]) => `${JSON.stringify(key)}: ${name}`);
  return `${code}\nexport const precompiled = { ${table.join(', ')} };\n`;
}

const validators = await precompiledValidators();

/**
 * Packages whose named imports (all functions) become lazy in the bundle:
 * `import { f } from 'pkg';` → a function `f` that requires `pkg` when first
 * called. Every import of them must have that form (the build fails otherwise).
 */
const LAZY_PACKAGES = ['globby'];
const LAZY_IMPORT = new RegExp(`^import \\{([\\w\\s,]+)\\} from '(${LAZY_PACKAGES.join('|')})';$`, 'gm');
const ANY_IMPORT = new RegExp(`\\bfrom\\s*['"](${LAZY_PACKAGES.join('|')})['"]|\\bimport\\s*\\(\\s*['"](${LAZY_PACKAGES.join('|')})['"]`);

/** A module's source with its imports of LAZY_PACKAGES made lazy. */
function lazyImports(source, file) {
  if (!ANY_IMPORT.test(source)) return source;
  const out = source.replace(LAZY_IMPORT, (_, names, pkg) =>
    names
      .split(',')
      .map((n) => n.trim())
      .filter(Boolean)
      .map((n) => {
        if (!/^\w+$/.test(n)) throw new Error(`bundle: ${file}: \`import { ${names.trim()} } from '${pkg}'\` cannot be made lazy (only plain named imports of functions)`);
        return `const ${n} = (...args) => require(${JSON.stringify(pkg)}).${n}(...args);`;
      })
      .join(' '),
  );
  if (ANY_IMPORT.test(out)) throw new Error(`bundle: ${file} imports one of ${LAZY_PACKAGES.join(', ')} in a way that cannot be made lazy`);
  return out;
}

/**
 * picocolors decides at load whether *its default* colours are on, reading
 * `process.stdout.isTTY`: that makes Node's stdout stream and loads its stream
 * modules, which bin/hostlint otherwise spares a run whose output is not a
 * terminal. hostlint never uses that default (it calls `createColors(color)`
 * with the colour src/cli decided), so the bundle's copy does not look.
 */
const PICOCOLORS_TTY = '((p.stdout || {}).isTTY && env.TERM !== "dumb")';
function picocolorsWithoutStdout(source, file) {
  if (!source.includes(PICOCOLORS_TTY)) throw new Error(`bundle: ${file} no longer has \`${PICOCOLORS_TTY}\`: see picocolorsWithoutStdout`);
  return source.replace(PICOCOLORS_TTY, 'false /* hostlint: the default colours are never used */');
}

const distUrlPlugin = {
  name: 'hostlint-dist-urls',
  setup(build) {
    build.onLoad({ filter: /[\\/]node_modules[\\/]picocolors[\\/]picocolors\.js$/ }, (args) => ({ contents: picocolorsWithoutStdout(readFileSync(args.path, 'utf8'), args.path), loader: 'js' }));
    // Each module of the build keeps the URL of its unbundled file (`__filename` is the bundle's).
    build.onLoad({ filter: /[\\/]dist[\\/](src|rules)[\\/].*\.js$/ }, (args) => {
      if (path.resolve(args.path) === precompiledModule) return { contents: validators, loader: 'js', resolveDir: path.dirname(args.path) };
      let source = readFileSync(args.path, 'utf8');
      // `import()` of what stays outside the bundle (tinypool, Node's modules) goes through
      // bin/load-bundle.cjs's own `import()`: a script compiled by `vm` has none that works
      // with a code cache on Node 20. (esbuild turns the others into lazy `require`s.)
      source = source.replace(/\bimport\((?=\s*['"](?:tinypool|node:[^'"]+)['"])/g, '__hostlintImport(');
      source = lazyImports(source, args.path);
      if (!source.includes('import.meta.url')) return { contents: source, loader: 'js' };
      const rel = path.relative(dist, args.path).split(path.sep).join('/');
      const url = `new URL(${JSON.stringify(`./${rel}`)}, require("node:url").pathToFileURL(__filename)).href`;
      return { contents: source.replaceAll('import.meta.url', url), loader: 'js' };
    });
  },
};

/**
 * esbuild gives every module that imports one of Node's modules or a CommonJS
 * package by default or as a namespace (`import path from 'node:path'`,
 * `import semver from 'semver'`) its own copy of it (`__toESM`: an object
 * with a getter per export, some hundred for `fs` or `process`), at load, for
 * some forty modules. They are alike, and nothing writes to them: the bundle
 * makes each once (`__hostlintNode`, `__hostlintPackage`), on first use.
 */
function nodeModulesOnce(code) {
  if (code.startsWith('"use strict"') || code.startsWith("'use strict'")) throw new Error('bundle: the bundle starts with a directive (see nodeModulesOnce)');
  const helper =
    'var __hostlintModules = new Map();\n' +
    'function __hostlintNode(id) {\n  let m = __hostlintModules.get(id);\n  if (!m) __hostlintModules.set(id, (m = __toESM(require(id), 1)));\n  return m;\n}\n' +
    'function __hostlintPackage(load) {\n  let m = __hostlintModules.get(load);\n  if (!m) __hostlintModules.set(load, (m = __toESM(load(), 1)));\n  return m;\n}\n';
  return (
    helper +
    code
      .replace(/\b__toESM\(require\(("node:[\w/]+")\),\s*1\)/g, '__hostlintNode($1)')
      // esbuild's `require_<name>()` of a bundled CommonJS module returns the same `module.exports` every time.
      .replace(/\b__toESM\((require_\w+)\(\),\s*1\)/g, '__hostlintPackage($1)')
  );
}

rmSync(cacheFile, { force: true });
const result = await esbuild.build({
  // The CLI, and the audit's worker task (bin/audit-worker.cjs runs it from this bundle).
  stdin: { contents: `export * from './src/cli/main.js';\nexport { default as auditWorker } from './src/audit/worker.js';\n`, resolveDir: dist, sourcefile: 'hostlint-entry.js', loader: 'js' },
  outfile,
  bundle: true,
  platform: 'node',
  // CommonJS, so that bin/hostlint can compile it with a V8 code cache (Node 20 has none for ES modules).
  format: 'cjs',
  charset: 'ascii',
  target: 'node20',
  external: ['tinypool'],
  // jsonc-parser's `main` is a UMD build whose `require`s a bundler cannot follow; its ES module build is the same code.
  alias: { 'jsonc-parser': 'jsonc-parser/lib/esm/main.js' },
  plugins: [distUrlPlugin],
  // HOSTLINT_BUNDLE_READABLE=1: not minified, for profiling.
  minifySyntax: !process.env.HOSTLINT_BUNDLE_READABLE,
  minifyWhitespace: !process.env.HOSTLINT_BUNDLE_READABLE,
  legalComments: 'eof',
  logLevel: 'warning',
  metafile: true,
});
if (process.argv.includes('--analyze')) console.log(await esbuild.analyzeMetafile(result.metafile));
// The bundle's id, on its first line: the SHA-256 of its code (the code cache is stamped with it).
// Then the code, already inside the CommonJS wrapper bin/load-bundle.cjs compiles (so that it
// compiles the file as read, without making a second 1 MB string), all ASCII (esbuild escapes
// the rest), so that it reads the file as Latin-1, without decoding UTF-8.
const code = nodeModulesOnce(readFileSync(outfile, 'utf8'));
if (Buffer.byteLength(code, 'utf8') !== code.length) throw new Error('bundle: dist/hostlint.cjs is not all ASCII (bin/load-bundle.cjs reads it as Latin-1)');
const { BUNDLE_WRAPPER, BUNDLE_WRAPPER_END } = createRequire(import.meta.url)(path.join(root, 'bin/load-bundle.cjs'));
writeFileSync(outfile, `// hostlint-bundle ${createHash('sha256').update(code).digest('hex')}\n${BUNDLE_WRAPPER}${code}${BUNDLE_WRAPPER_END}`);

/**
 * The code cache: the bundle compiled by V8 after the runs below in this
 * process (so that the functions a run needs are compiled too), stamped with
 * the bundle's id. bin/hostlint uses it only for the same bundle; V8 itself
 * refuses it on another Node version.
 *
 * What it is trained on is a trade: every function in the cache is
 * deserialised by every run (the cache's size is most of what loading the
 * bundle costs), one left out is compiled by the runs that call it. So the
 * runs are the typical ones: a pre-commit hook's commit of named files (a
 * sysctl.d drop-in, a sysctl.conf, a resolv.conf, a CNI conflist and a
 * Calico operator manifest, with a `.hostlint.yaml`), then a directory, the
 * incident example, as JSON, with a rule's options, then an audit of the
 * example fleet (snapshots, an sosreport, an archive) on this thread. Not a
 * lint of the fleet examples as well: that made the cache 10% larger again
 * and a commit slower (issue 15: measured with valgrind's instruction counts
 * and interleaved wall times; without the audit, the commit was 2-3% faster
 * still but `audit --concurrency 1` 4-6% slower).
 */
const TRAINING_COMMIT = [
  ['node/etc/sysctl.d/10-network-security.conf', 'corpus/sysctl/kind_10-network-security.conf'],
  ['node/etc/sysctl.conf', 'corpus/sysctl/amazon-eks-ami_al2-sysctl.conf'],
  ['node/etc/resolv.conf', 'corpus/resolv/glibc_tst-resolv-res_init_option-values-multiple-servers.conf'],
  ['node/etc/cni/net.d/10-calico.conflist', 'rules/cni-conflist-shadowed/valid-single-with-backups/node06/etc/cni/net.d/10-calico.conflist'],
  ['cluster/calico/custom-resources.yaml', 'corpus/calico/projectcalico-calico_v3.24.0-custom-resources.yaml'],
];
const { loadBundle } = createRequire(import.meta.url)(path.join(root, 'bin/load-bundle.cjs'));
const loaded = loadBundle(outfile, { produceCache: true });
const fixtures = path.join(root, 'fixtures');
const incident = path.join(fixtures, 'examples/incident');
if (existsSync(incident) && TRAINING_COMMIT.every(([, from]) => existsSync(path.join(fixtures, from)))) {
  const work = mkdtempSync(path.join(os.tmpdir(), 'hostlint-bundle-'));
  try {
    const commit = path.join(work, 'commit');
    for (const [rel, from] of TRAINING_COMMIT) {
      mkdirSync(path.dirname(path.join(commit, rel)), { recursive: true });
      copyFileSync(path.join(fixtures, from), path.join(commit, rel));
    }
    writeFileSync(path.join(commit, '.hostlint.yaml'), 'facts:\n  kernel: 5.15.0-91-generic\n  kubernetesNode: true\n  physicalMtu: 1500\n');
    const config = path.join(work, 'hostlint.yaml');
    writeFileSync(config, 'facts:\n  kernel: 5.15.0-91-generic\n  physicalMtu: 1500\nrules:\n  k8s-search-limits: [warn, {}]\n');
    const runs = [
      { cwd: commit, args: TRAINING_COMMIT.map(([rel]) => rel) },
      { cwd: root, args: ['--config', config, '--format', 'json', incident] },
      { cwd: path.join(fixtures, 'examples'), args: ['audit', '--concurrency', '1', '--format', 'json', 'fleet'] },
    ];
    let errors = '';
    for (const { cwd, args } of runs) {
      const io = { stdout: () => {}, stderr: (s) => (errors += s), stdin: async () => '', cwd, isTTY: false, env: {} };
      const code = await loaded.main(args, io);
      if (code === 2) throw new Error(`bundle: the bundled CLI failed on ${args.join(' ')}: ${errors}`);
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
writeFileSync(cacheFile, loaded.cache());
