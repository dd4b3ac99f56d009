/**
 * The parse floor of the benches: read a file and parse every YAML document
 * in it with `parseAllDocuments` of the `yaml` library hostlint uses, and
 * nothing else. Prints the number of documents.
 *
 *   node test/bench/parse-floor.mjs FILE
 */
import { readFileSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';

const file = process.argv[2];
if (!file) {
  console.error('usage: node test/bench/parse-floor.mjs FILE');
  process.exit(2);
}
const docs = parseAllDocuments(readFileSync(file, 'utf8'));
const list = Array.isArray(docs) ? docs : [docs];
process.stdout.write(`${list.length}\n`);
