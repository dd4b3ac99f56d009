/**
 * Bad input, structure: YAML alias bombs, nesting 10,000 levels deep,
 * duplicate keys, tags (`!!binary`, `!!js/function`, `!!python/...`), merge
 * keys; JSON with comments and deep nesting. Each is a diagnostic at its
 * position or parsed as Kubernetes would read it; nothing hangs, nothing runs.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCni } from '../../src/parsers/json.js';
import { parseKube } from '../../src/parsers/yaml.js';
import { writeTree } from '../helpers/lint.js';
import { KERNEL_310, lintJson, TW } from './helpers.js';

const TW_ROW = {
  ruleId: 'sysctl-tw-recycle',
  file: 'sysctl.conf',
  line: 1,
  column: 27,
  endLine: 1,
  endColumn: 28,
  message: '`net.ipv4.tcp_tw_recycle = 1` with TCP timestamps on makes kernel 3.10.0-1160.el7.x86_64 drop SYNs from clients behind NAT; set it to 0',
};
const CM = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: calico-config\n  namespace: kube-system\ndata:\n';
const DEEP_YAML = 'YAML nested more than 256 levels deep; hostlint does not read it (real manifests nest a few dozen levels)';
const DEEP_JSON = 'JSON nested more than 256 levels deep; hostlint does not read it (CNI configurations nest a few levels)';

describe('YAML', () => {
  it('a billion-laughs alias bomb is a parse-error at the alias that overflows, in well under a second', async () => {
    const rows = [CM.trimEnd(), '  a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    const names = 'abcdefghi';
    for (let i = 1; i < names.length; i++) rows.push(`  ${names[i]}: &${names[i]} [${Array(9).fill(`*${names[i - 1]}`).join(',')}]`);
    const cwd = writeTree({ '.hostlint.yaml': KERNEL_310, 'bomb.yaml': rows.join('\n') + '\n', 'sysctl.conf': TW });
    const started = Date.now();
    const r = await lintJson(cwd);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(r.rows).toEqual([
      {
        ruleId: 'parse-error',
        file: 'bomb.yaml',
        line: 8,
        column: 10,
        endLine: 8,
        endColumn: 12,
        message: 'Excessive alias count indicates a resource exhaustion attack (more than 100 alias expansions)',
      },
      TW_ROW,
    ]);
    expect(r.code).toBe(1);
  });

  it('nesting 10,000 levels deep (flow mappings, block sequences) is one parse-error at the first level too deep', async () => {
    const flow = `${CM}  x: ${'{a: '.repeat(10_000)}1${'}'.repeat(10_000)}\n`;
    const block = `${CM}  x:\n    ${'- '.repeat(10_000)}x\n`;
    const cwd = writeTree({ '.hostlint.yaml': KERNEL_310, 'flow.yaml': flow, 'block.yaml': block, 'sysctl.conf': TW });
    const r = await lintJson(cwd);
    // Depth 1 is the document's mapping, 2 is `data`: the 255th nested collection is the 257th level.
    expect(r.rows).toEqual([
      { ruleId: 'parse-error', file: 'block.yaml', line: 8, column: 5 + 254 * 2, endLine: 8, endColumn: 6 + 254 * 2, message: DEEP_YAML },
      { ruleId: 'parse-error', file: 'flow.yaml', line: 7, column: 6 + 254 * 4, endLine: 7, endColumn: 7 + 254 * 4, message: DEEP_YAML },
      TW_ROW,
    ]);
  });

  it('nesting just within the limit is parsed (and walked by every rule) without trouble', () => {
    const { problems, tree } = parseKube(`${CM}  x: ${'['.repeat(250)}1${']'.repeat(250)}\n`);
    expect(problems).toEqual([]);
    expect(tree.children).toHaveLength(1);
  });

  it('duplicate keys: a parse-error at the repeated key; the last value is the one rules see, as in Kubernetes', async () => {
    const cwd = writeTree({
      '.hostlint.yaml': 'facts:\n  physicalMtu: 1500\n',
      'calico.yaml': `${CM}  veth_mtu: "1480"\n  calico_backend: bird\n  veth_mtu: "1430"\n${CALICO_NODE}`,
    });
    const r = await lintJson(cwd);
    expect(r.rows).toEqual([
      { ruleId: 'parse-error', file: 'calico.yaml', line: 9, column: 3, endLine: 9, endColumn: 11, message: 'Map keys must be unique' },
      { ruleId: 'calico-mtu-mismatch', file: 'calico.yaml', line: 9, column: 13, endLine: 9, endColumn: 19, message: MTU_1430 },
    ]);
  });

  it('tags: `!!binary` is decoded and `!!str` applied as go-yaml does; a fix is offered only where digits can replace the text', async () => {
    const cwd = writeTree({
      '.hostlint.yaml': 'facts:\n  physicalMtu: 1500\n',
      'binary/calico.yaml': `${CM}  veth_mtu: !!binary MTQzMA==\n${CALICO_NODE}`,
      'str/calico.yaml': `${CM}  veth_mtu: !!str 1430\n${CALICO_NODE}`,
      'custom/calico.yaml': `${CM}  veth_mtu: !local 1430\n${CALICO_NODE}`,
    });
    const r = await lintJson(cwd);
    const doc = JSON.parse(r.stdout) as { results: Array<{ file: string; fix?: unknown }> };
    expect(r.rows).toEqual([
      { ruleId: 'calico-mtu-mismatch', file: 'binary/calico.yaml', line: 7, column: 22, endLine: 7, endColumn: 30, message: MTU_1430 },
      { ruleId: 'calico-mtu-mismatch', file: 'custom/calico.yaml', line: 7, column: 20, endLine: 7, endColumn: 24, message: MTU_1430 },
      { ruleId: 'calico-mtu-mismatch', file: 'str/calico.yaml', line: 7, column: 19, endLine: 7, endColumn: 23, message: MTU_1430 },
    ]);
    // Writing "1480" over the base64 text would leave `!!binary 1480`: no fix there.
    expect(doc.results.map((x) => [x.file, x.fix !== undefined])).toEqual([
      ['binary/calico.yaml', false],
      ['custom/calico.yaml', true],
      ['str/calico.yaml', true],
    ]);
  });

  it('language tags (`!!js/function`, `!!python/object/apply`) are plain data: nothing runs', async () => {
    const marker = path.join(writeTree({}), 'PWNED');
    const cwd = writeTree({
      'js.yaml': `${CM}  veth_mtu: !!js/function "function () { require('fs').writeFileSync('${marker}', 'x') }"\n`,
      'py.yaml': `${CM}  veth_mtu: !!python/object/apply:os.system ["touch ${marker}"]\n`,
      'ruby.yaml': `${CM}  veth_mtu: !ruby/object:Gem::Installer\n    i: x\n`,
    });
    const r = await lintJson(cwd);
    expect(r.rows).toEqual([]);
    expect(r.code).toBe(0);
    expect(existsSync(marker)).toBe(false);
    const { tree, problems } = parseKube(`${CM}  veth_mtu: !!js/function "function () { return 1 }"\n`);
    expect(problems).toEqual([]);
    const data = (tree.children[0]!.body as { children: Array<{ key: { value: unknown }; value: { value: unknown } }> }).children[3]!.value as unknown as {
      children: Array<{ value: { type: string; value: unknown } }>;
    };
    expect(data.children[0]!.value).toMatchObject({ type: 'scalar', value: 'function () { return 1 }' });
  });

  it('merge keys (`<<`) and anchors are kept as written, never expanded; an alias to another document is a parse-error', async () => {
    const cwd = writeTree({
      'merge.yaml': `${CM}  <<: &defaults {calico_backend: bird}\n  typha_service_name: none\n---\n${CM}  <<: *defaults\n`,
    });
    const r = await lintJson(cwd);
    expect(r.rows).toEqual([
      {
        ruleId: 'parse-error',
        file: 'merge.yaml',
        line: 16,
        column: 7,
        endLine: 16,
        endColumn: 16,
        message: 'Unresolved alias (the anchor must be set before the alias): defaults',
      },
    ]);
    const { tree, problems } = parseKube(`${CM}  <<: &defaults {calico_backend: bird}\n  typha_service_name: none\n`);
    expect(problems).toEqual([]);
    const data = (tree.children[0]!.body as unknown as { children: Array<{ value: { children: Array<{ key: { value: unknown }; value: { type: string } }> } }> }).children[3]!.value;
    expect(data.children.map((p) => [p.key.value, p.value.type])).toEqual([
      ['<<', 'mapping'],
      ['typha_service_name', 'scalar'],
    ]);
  });
});

describe('JSON (CNI conflist)', () => {
  it('comments are parse-errors at each comment; the rest of the file is still read', async () => {
    const text = '{\n  // the pod network\n  "cniVersion": "0.3.1", /* inline */\n  "name": "k8s-pod-network",\n  "plugins": [{"type": "calico", "mtu": 1500}]\n}\n';
    const cwd = writeTree({ '.hostlint.yaml': KERNEL_310, '10-calico.conflist': text, 'sysctl.conf': TW });
    const r = await lintJson(cwd);
    expect(r.rows).toEqual([
      { ruleId: 'parse-error', file: '10-calico.conflist', line: 2, column: 3, endLine: 2, endColumn: 21, message: 'Comments are not allowed in JSON (InvalidCommentToken)' },
      { ruleId: 'parse-error', file: '10-calico.conflist', line: 3, column: 26, endLine: 3, endColumn: 38, message: 'Comments are not allowed in JSON (InvalidCommentToken)' },
      // The rules still read the plugin list past the comments.
      {
        ruleId: 'calico-mtu-mismatch',
        file: '10-calico.conflist',
        line: 5,
        column: 41,
        endLine: 5,
        endColumn: 45,
        message:
          'Calico MTU 1500 (mtu of the calico CNI plugin) cannot be checked against the physical MTU: set `facts.physicalMtu` in .hostlint.yaml, or lint the manifests together with a Kubernetes node snapshot',
      },
      TW_ROW,
    ]);
    const { tree } = parseCni(text);
    expect((tree.children[0]!.body as { children: unknown[] }).children).toHaveLength(3);
  });

  it('nesting 10,000 levels deep is one parse-error at the first level too deep', async () => {
    const cwd = writeTree({ 'deep.conflist': `{"plugins": ${'['.repeat(10_000)}${']'.repeat(10_000)}}\n`, '.hostlint.yaml': KERNEL_310, 'sysctl.conf': TW });
    const r = await lintJson(cwd);
    expect(r.rows).toEqual([{ ruleId: 'parse-error', file: 'deep.conflist', line: 1, column: 13 + 255, endLine: 1, endColumn: 14 + 255, message: DEEP_JSON }, TW_ROW]);
  });
});

const MTU_1430 = 'Calico MTU 1430 (veth_mtu in ConfigMap calico-config) is below 1480: physical MTU 1500 minus 20 bytes of IP-in-IP; set it to 1480';
const CALICO_NODE = `---
apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: calico-node
  namespace: kube-system
spec:
  template:
    spec:
      containers:
        - name: calico-node
          image: calico/node:v3.9.0
          env:
            - name: CALICO_IPV4POOL_IPIP
              value: "Always"
`;
