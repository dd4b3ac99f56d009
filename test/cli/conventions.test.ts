/**
 * Command-line conventions: options that do not apply to a subcommand,
 * "did you mean" for flags, subcommands, formats and rule ids (CLI, config,
 * inline directives), FORCE_COLOR / NO_COLOR / --color, stylish wrapping to
 * the terminal's width, and a --help that lists every option.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { HELP, OPTIONS } from '../../src/cli/main.js';
import { COMMANDS, useColor } from '../../src/cli/options.js';
import { stylish, wrap } from '../../src/formatters/stylish.js';
import { closest } from '../../src/suggest.js';
import { runCli } from '../helpers/cli.js';
import { writeTree } from '../helpers/lint.js';
import { reportWithResults } from '../formatters/reports.js';

const TW = '# tuning\nnet.ipv4.tcp_tw_recycle = 1\n';
const KERNEL_310 = 'facts:\n  kernel: 3.10.0-1160.el7.x86_64\n';
const USAGE = 'Run `hostlint --help` for usage.\n';
const ESC = '\u001b[';

describe('options that do not apply to a subcommand are usage errors', () => {
  it('collect -o FILE: exit 2, one line, nothing written', async () => {
    const cwd = writeTree({});
    const r = await runCli(['collect', '-o', 'collect.sh'], { cwd });
    expect(r).toEqual({
      code: 2,
      stdout: '',
      stderr: 'hostlint: --output-file does not apply to `hostlint collect` (it is an option of `hostlint lint`, `hostlint audit` and `hostlint merge`)\n' + USAGE,
    });
    expect(existsSync(path.join(cwd, 'collect.sh'))).toBe(false);
  });

  it('rules -o, rules --fix, explain --fix, audit --fix, collect --format, audit --max-file-size', async () => {
    const cwd = writeTree({});
    const cases: Array<[string[], string]> = [
      [['rules', '-o', 'rules.txt'], '--output-file does not apply to `hostlint rules` (it is an option of `hostlint lint`, `hostlint audit` and `hostlint merge`)'],
      [['rules', '--fix'], '--fix does not apply to `hostlint rules` (it is an option of `hostlint lint`)'],
      [['explain', '--fix', 'sysctl-tw-recycle'], '--fix does not apply to `hostlint explain` (it is an option of `hostlint lint`)'],
      [['audit', '--fix', 'fleet'], '--fix does not apply to `hostlint audit` (it is an option of `hostlint lint`)'],
      [['merge', '--stdin', 'x.ndjson'], '--stdin does not apply to `hostlint merge` (it is an option of `hostlint lint`)'],
      [['collect', '--format', 'json'], '--format does not apply to `hostlint collect` (it is an option of `hostlint lint`, `hostlint audit`, `hostlint merge`, `hostlint rules` and `hostlint explain`)'],
      [['--host-timeout', '5'], '--host-timeout does not apply to `hostlint lint` (it is an option of `hostlint audit`)'],
      [
        ['audit', '--max-file-size', '1M', 'fleet'],
        '--max-file-size does not apply to `hostlint audit` (it is an option of `hostlint lint`); for `hostlint audit` set `maxFileSize` in .hostlint.yaml',
      ],
    ];
    for (const [argv, message] of cases) {
      expect(await runCli(argv, { cwd }), argv.join(' ')).toEqual({ code: 2, stdout: '', stderr: `hostlint: ${message}\n${USAGE}` });
    }
    expect(existsSync(path.join(cwd, 'rules.txt'))).toBe(false);
  });

  it('every option, given to every subcommand that does not take it, is refused; --help and --version go everywhere', async () => {
    const cwd = writeTree({});
    let refused = 0;
    for (const option of OPTIONS) {
      for (const command of COMMANDS) {
        const argv = [command, `--${option.name}`, ...(option.type === 'string' ? ['x'] : [])];
        const r = await runCli(argv, { cwd });
        if (option.commands.includes(command)) {
          expect(r.stderr, argv.join(' ')).not.toContain('does not apply');
        } else {
          refused++;
          expect(r.code, argv.join(' ')).toBe(2);
          expect(r.stderr, argv.join(' ')).toMatch(new RegExp(`^hostlint: --${option.name} does not apply to \`hostlint ${command}\` \\(it is an option of `));
        }
      }
    }
    expect(refused).toBeGreaterThan(40);
    for (const command of COMMANDS) {
      expect((await runCli([command, '--version'], { cwd })).code).toBe(0);
      expect((await runCli([command, '-h'], { cwd })).stdout).toBe(HELP);
    }
  });

  it('options that apply are still taken: rules --format json, explain --format markdown, audit --concurrency', async () => {
    const cwd = writeTree({});
    expect((await runCli(['rules', '--format', 'json'], { cwd })).code).toBe(0);
    expect((await runCli(['explain', '--format', 'markdown', 'sysctl-tw-recycle'], { cwd })).stdout).toMatch(/^# sysctl-tw-recycle/);
  });
});

describe('did you mean', () => {
  it('closest(): at most two edits, more than 40% kept, ties sorted, exact matches skipped', () => {
    expect(closest('fomrat', ['format', 'fix', 'quiet'])).toEqual(['format']);
    expect(closest('colour', ['color', 'no-color'])).toEqual(['color']);
    expect(closest('jsn', ['json', 'sarif'])).toEqual(['json']);
    expect(closest('ab', ['cd', 'abc'])).toEqual(['abc']);
    expect(closest('xy', ['ab'])).toEqual([]); // two edits of two characters keep nothing
    expect(closest('sysctl-tw-recyle', ['sysctl-tw-recycle', 'sysctl-tw-reuse'])).toEqual(['sysctl-tw-recycle']);
    expect(closest('lnt', ['lint', 'list'])).toEqual(['lint']);
    expect(closest('lsit', ['lint', 'list'])).toEqual(['lint', 'list']);
    expect(closest('format', ['format'])).toEqual([]);
    expect(closest('', ['a'])).toEqual([]);
  });

  it('a misspelt flag', async () => {
    const cwd = writeTree({});
    expect(await runCli(['--formt', 'json'], { cwd })).toEqual({ code: 2, stdout: '', stderr: "hostlint: Unknown option '--formt' (did you mean '--format'?)\n" + USAGE });
    expect((await runCli(['--no-colour'], { cwd })).stderr).toBe("hostlint: Unknown option '--no-colour' (did you mean '--no-color'?)\n" + USAGE);
    expect((await runCli(['--concurency=2', 'audit'], { cwd })).stderr).toBe("hostlint: Unknown option '--concurency' (did you mean '--concurrency'?)\n" + USAGE);
    expect((await runCli(['--frobnicate'], { cwd })).stderr).toBe("hostlint: Unknown option '--frobnicate'\n" + USAGE);
  });

  it('a misspelt subcommand (when no file of that name exists)', async () => {
    const cwd = writeTree({ 'rulse/sysctl.conf': TW });
    expect(await runCli(['audti', 'fleet'], { cwd })).toEqual({
      code: 2,
      stdout: '',
      stderr: 'hostlint: `audti` is neither a command nor a file or directory; did you mean `audit`?\n' + USAGE,
    });
    // A file of that name is linted as a file.
    const file = await runCli(['rulse'], { cwd });
    expect(file.stderr).toBe('');
    expect(file.stdout).toContain('rulse/sysctl.conf');
    // Nothing close: the path is simply missing.
    expect(await runCli(['nothing-here'], { cwd })).toEqual({ code: 2, stdout: '', stderr: 'hostlint: no such file or directory: nothing-here\n' });
  });

  it('a misspelt format', async () => {
    const cwd = writeTree({});
    expect((await runCli(['-f', 'sarf'], { cwd })).stderr).toBe('hostlint: unknown format `sarf` (choose from stylish, json, sarif, github, junit, gitlab, ndjson, html); did you mean `sarif`?\n' + USAGE);
    expect((await runCli(['rules', '-f', 'markdwn'], { cwd })).stderr).toBe('hostlint: unknown format `markdwn` for `hostlint rules` (choose from text, json, markdown); did you mean `markdown`?\n' + USAGE);
  });

  it('a misspelt rule id: explain, the configuration, inline directives', async () => {
    const cwd = writeTree({ 'sysctl.conf': '# hostlint-disable-next-line sysctl-tw-recyle\nnet.ipv4.tcp_tw_recycle = 1\n' });
    expect((await runCli(['explain', 'sysctl-tw-recyle'], { cwd })).stderr).toBe(
      'hostlint: unknown rule `sysctl-tw-recyle`; did you mean `sysctl-tw-recycle`? (`hostlint rules` lists them)\n' + USAGE,
    );
    expect((await runCli(['explain', 'zzz'], { cwd })).stderr).toBe('hostlint: unknown rule `zzz` (`hostlint rules` lists them)\n' + USAGE);

    const configured = writeTree({ '.hostlint.yaml': 'rules:\n  sysctl-tw-recyle: error\n' });
    expect(await runCli([], { cwd: configured })).toEqual({
      code: 2,
      stdout: '',
      stderr: 'hostlint: configuration error: .hostlint.yaml: `rules.sysctl-tw-recyle`: unknown rule `sysctl-tw-recyle`; did you mean `sysctl-tw-recycle`? (`hostlint rules` lists them)\n',
    });
    const inOverride = writeTree({ '.hostlint.yaml': 'overrides:\n  - files: ["a/**"]\n    rules:\n      k8s-ip-forwad: off\n' });
    expect((await runCli([], { cwd: inOverride })).stderr).toBe(
      'hostlint: configuration error: .hostlint.yaml: `overrides.0.rules.k8s-ip-forwad`: unknown rule `k8s-ip-forwad`; did you mean `k8s-ip-forward`? (`hostlint rules` lists them)\n',
    );

    const r = await runCli(['-f', 'json', '--report-unused-disable-directives', 'sysctl.conf'], { cwd });
    const results = JSON.parse(r.stdout).results.filter((x: { ruleId: string }) => x.ruleId === 'unused-disable-directive');
    expect(results.map((x: { line: number; column: number; message: string }) => [x.line, x.column, x.message])).toContainEqual([
      1,
      1,
      'Unknown rule `sysctl-tw-recyle` in hostlint directive; did you mean `sysctl-tw-recycle`?',
    ]);
  });
});

describe('colours: --color/--no-color, then NO_COLOR, then FORCE_COLOR, then a terminal', () => {
  it('useColor() decides in that order', () => {
    const cases: Array<[{ color?: boolean; 'no-color'?: boolean }, NodeJS.ProcessEnv, boolean, boolean, boolean]> = [
      [{}, {}, true, false, true],
      [{}, {}, false, false, false],
      [{}, {}, true, true, false], // -o FILE
      [{}, { FORCE_COLOR: '1' }, false, false, true],
      [{}, { FORCE_COLOR: '2' }, false, true, true],
      [{}, { FORCE_COLOR: '3' }, false, false, true],
      [{}, { FORCE_COLOR: 'true' }, false, false, true],
      [{}, { FORCE_COLOR: '' }, false, false, true],
      [{}, { FORCE_COLOR: '0' }, true, false, false],
      [{}, { FORCE_COLOR: 'false' }, true, false, false],
      [{}, { NO_COLOR: '1', FORCE_COLOR: '1' }, true, false, false],
      [{}, { NO_COLOR: '' }, true, false, true],
      [{ color: true }, { NO_COLOR: '1' }, false, true, true],
      [{ 'no-color': true }, { FORCE_COLOR: '1' }, true, false, false],
      [{ color: true }, { FORCE_COLOR: '0' }, false, false, true],
    ];
    for (const [values, env, tty, toFile, expected] of cases) {
      expect(useColor(values, env, tty, toFile), JSON.stringify([values, env, tty, toFile])).toBe(expected);
    }
  });

  it('the CLI honours FORCE_COLOR for a pipe, and NO_COLOR over it', async () => {
    const cwd = writeTree({ 'sysctl.conf': TW, '.hostlint.yaml': KERNEL_310 });
    expect((await runCli([], { cwd })).stdout).not.toContain(ESC);
    expect((await runCli([], { cwd, env: { FORCE_COLOR: '1' } })).stdout).toContain(`${ESC}31merror`);
    expect((await runCli([], { cwd, env: { FORCE_COLOR: '0' }, isTTY: true })).stdout).not.toContain(ESC);
    expect((await runCli([], { cwd, env: { FORCE_COLOR: '1', NO_COLOR: '1' } })).stdout).not.toContain(ESC);
    expect((await runCli(['--no-color'], { cwd, env: { FORCE_COLOR: '1' } })).stdout).not.toContain(ESC);
    expect((await runCli(['audit', '--pass-on-no-files', '.'], { cwd, env: { FORCE_COLOR: '1' } })).stdout).toContain(ESC);
  });
});

describe('stylish wraps long messages to the terminal width', () => {
  it('wrap(): at spaces, long words cut, never inside a surrogate pair', () => {
    expect(wrap('one two three four', 9)).toEqual(['one two', 'three', 'four']);
    expect(wrap('abcdefghij kl', 4)).toEqual(['abcd', 'efgh', 'ij', 'kl']);
    expect(wrap('ab\u{1F600}cd', 3)).toEqual(['ab', '\u{1F600}c', 'd']);
    expect(wrap('', 5)).toEqual(['']);
    expect(wrap('a  b', 5)).toEqual(['a b']);
  });

  it('hangs continuation lines under the message column; rule ids stay aligned on the first line', () => {
    const out = stylish(reportWithResults(), { color: false, width: 72 });
    expect(out).toBe(
      [
        '',
        'fixtures/examples/incident/db01/etc/sysctl.conf  (host db01)',
        '   7:1  error  net.ipv4.tcp_tw_recycle = 1 drops SYNs  no-tcp-tw-recycle',
        '               from clients behind NAT while TCP',
        '               timestamps are on',
        '  12:1  error  Invalid syntax: expected `key = value`  parse-error',
        '',
        'fixtures/examples/incident/manifests/calico.yaml',
        '  42:13  warning  veth_mtu is 1430, but IP-in-IP on  calico-mtu-mismatch',
        '                  a 1500-byte network needs 1480',
        '',
        'fixtures/examples/incident/node01/etc/resolv.conf  (host node01)',
        '  2:8  note  Pods inherit the search domain      resolv-search-inherited',
        '             corp.example.com',
        '',
        '✖ 4 problems (2 errors, 1 warning, 1 note)',
        '',
      ].join('\n'),
    );
    for (const line of out.split('\n').slice(0, 15)) expect(line.length, line).toBeLessThanOrEqual(72);
  });

  it('does not wrap without a width, when everything fits, or when the message column would be too narrow', () => {
    const plain = stylish(reportWithResults(), { color: false });
    expect(stylish(reportWithResults(), { color: false, width: 200 })).toBe(plain);
    expect(stylish(reportWithResults(), { color: false, width: 40 })).toBe(plain);
  });

  it('the CLI wraps for a terminal only: not for a pipe, not into -o FILE', async () => {
    const cwd = writeTree({ 'sysctl.conf': TW, '.hostlint.yaml': KERNEL_310 });
    const plain = await runCli([], { cwd });
    const row = plain.stdout.split('\n')[2]!;
    expect(row).toMatch(/^ {2}2:27 {2}error {2}`net\.ipv4\.tcp_tw_recycle = 1` /);
    expect(row.length).toBeGreaterThan(80);
    const tty = await runCli(['--no-color'], { cwd, isTTY: true, columns: 80 });
    expect(tty.stdout).toBe(
      [
        '',
        'sysctl.conf',
        '  2:27  error  `net.ipv4.tcp_tw_recycle = 1` with TCP' + ' '.repeat(10) + 'sysctl-tw-recycle',
        '               timestamps on makes kernel',
        '               3.10.0-1160.el7.x86_64 drop SYNs from clients',
        '               behind NAT; set it to 0',
        '',
        '\u2716 1 problem (1 error, 0 warnings, 0 notes)',
        '',
      ].join('\n'),
    );
    for (const line of tty.stdout.split('\n')) expect(line.length, line).toBeLessThanOrEqual(80);
    // audit: the files are indented under their host, and still fit.
    const audit = await runCli(['audit', '--concurrency', '1', '--pass-on-no-files', '--no-color', '.'], { cwd, isTTY: true, columns: 80 });
    expect(audit.stdout.split('\n').slice(0, 9).join('\n')).toBe(
      [
        '',
        '(repository)  files outside the snapshots  1 error',
        '',
        '  sysctl.conf',
        '    2:27  error  `net.ipv4.tcp_tw_recycle = 1` with TCP' + ' '.repeat(8) + 'sysctl-tw-recycle',
        '                 timestamps on makes kernel',
        '                 3.10.0-1160.el7.x86_64 drop SYNs from',
        '                 clients behind NAT; set it to 0',
        '',
      ].join('\n'),
    );
    for (const line of audit.stdout.split('\n')) expect(line.length, line).toBeLessThanOrEqual(80);
    await runCli(['-o', 'report.txt'], { cwd, isTTY: true, columns: 80 });
    expect(readFileSync(path.join(cwd, 'report.txt'), 'utf8')).toBe(plain.stdout);
  });
});

describe('--help lists every option, and only options that exist', () => {
  it('each option of the parser is in --help, with its short form', () => {
    for (const option of OPTIONS) {
      const long = `--${option.name}`;
      expect(HELP, long).toMatch(new RegExp(`(^|[ ,])${long.replace(/-/g, '\\-')}([ ,\\n]|$)`, 'm'));
      if (option.short) expect(HELP, long).toContain(`-${option.short}, ${long}`);
    }
    expect(HELP).toContain('      --concurrency N ');
  });

  it('every --flag that --help names is accepted by the parser', async () => {
    const cwd = writeTree({});
    const named = new Set(HELP.match(/(?<![\w-])--[a-z][a-z-]*/g));
    expect(named.size).toBeGreaterThanOrEqual(OPTIONS.length);
    for (const flag of named) {
      // A string option takes `x`; a boolean one leaves it a positional. --help ends the run either way.
      const r = await runCli([flag, 'x', '--help'], { cwd });
      expect(r.code, flag).toBe(0);
      expect(r.stdout, flag).toBe(HELP);
    }
  });
});
