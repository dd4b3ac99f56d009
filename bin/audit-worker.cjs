// The worker of a parallel `hostlint audit` (a tinypool thread): the bundled
// CLI's audit worker (src/audit/worker.ts), loaded with the bundle's code cache
// (bin/load-bundle.cjs), so that each thread starts as fast as the CLI does.
'use strict';
const path = require('node:path');
const { loadBundle } = require('./load-bundle.cjs');

module.exports = loadBundle(path.join(__dirname, '../dist/hostlint.cjs')).auditWorker;
