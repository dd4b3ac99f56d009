/**
 * Loads the bundled CLI, dist/hostlint.cjs (made by src/dev/bundle.mjs), with
 * the V8 code cache made for it at build time, dist/hostlint.cjs.cache: a
 * fresh process then neither parses nor compiles the code a run needs, which
 * is most of a short run's time after Node's own start-up. The cache is used
 * only for the bundle whose id (the SHA-256 of its code, on its first line)
 * it is stamped with; V8 refuses it on another Node version (or V8 flags),
 * and the bundle is then compiled as usual.
 */
'use strict';
const { readFileSync } = require('node:fs');
const { createRequire } = require('node:module');
const path = require('node:path');
const vm = require('node:vm');

/** The bundle's first line: this, then its id (64 hex digits). The cache file starts with the same id. */
const ID_LINE = '// hostlint-bundle ';
const ID_LENGTH = 64;
/**
 * A CommonJS module's wrapper, plus the bundle's `import()` of what it leaves
 * outside (tinypool for `hostlint audit`, Node's modules): this module's, since
 * a script compiled from a code cache has no working `import()` on Node 20.
 */
const BUNDLE_WRAPPER = '(function (exports, require, module, __filename, __dirname, __hostlintImport) {';
const BUNDLE_WRAPPER_END = '\n})';

/**
 * Compile and run the bundle as a CommonJS module. `produceCache`: ignore the
 * cache file; `cache()` then returns the stamped cache data of the code
 * compiled so far (call it after a representative run).
 */
function loadBundle(file, { produceCache = false } = {}) {
  // Latin-1: the bundle is ASCII (src/dev/bundle.mjs checks), and that is the cheaper read.
  let source = readFileSync(file, 'latin1');
  const id = source.startsWith(ID_LINE) ? source.slice(ID_LINE.length, ID_LINE.length + ID_LENGTH) : undefined;
  let cachedData;
  if (!produceCache && id) {
    try {
      const data = readFileSync(`${file}.cache`);
      if (data.subarray(0, ID_LENGTH).toString('latin1') === id) cachedData = data.subarray(ID_LENGTH);
    } catch {
      // No cache: compile.
    }
  }
  // A bundle with its id line has its code inside BUNDLE_WRAPPER already; another file is wrapped here.
  if (!id) source = `${BUNDLE_WRAPPER}${readFileSync(file, 'utf8')}${BUNDLE_WRAPPER_END}`;
  const script = new vm.Script(source, { filename: file, cachedData });
  const module = { exports: {} };
  script.runInThisContext()(module.exports, createRequire(file), module, file, path.dirname(file), (specifier) => import(specifier));
  return {
    main: module.exports.main,
    /** The audit worker's task function (src/audit/worker.ts), for bin/audit-worker.cjs. */
    auditWorker: module.exports.auditWorker,
    /** Whether V8 took the code cache. */
    cached: cachedData !== undefined && !script.cachedDataRejected,
    cache: () => {
      if (!id) throw new Error(`${file} has no id line`);
      return Buffer.concat([Buffer.from(id, 'latin1'), script.createCachedData()]);
    },
  };
}

module.exports = { loadBundle, BUNDLE_WRAPPER, BUNDLE_WRAPPER_END };
