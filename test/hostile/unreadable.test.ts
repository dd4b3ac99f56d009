/**
 * An unreadable file, by injection: every read of a path under a directory
 * named `locked` fails with EACCES, as chmod 000 does for a user who is not
 * root. (filesystem.test.ts does it for real when the run is not root, or
 * runs the CLI as `nobody` when it is; this covers the same code paths
 * in-process whoever runs the tests.)
 */
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { writeTree } from '../helpers/lint.js';
import { atStart, KERNEL_310, lintJson, TW } from './helpers.js';

vi.mock('node:fs', async (importOriginal) => {
  const fs = await importOriginal<typeof import('node:fs')>();
  const locked = (p: unknown) => String(p).split(path.sep).includes('locked');
  const denied = () => Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES', errno: -13 });
  const openSync = ((p: Parameters<typeof fs.openSync>[0], ...rest: unknown[]) => {
    if (locked(p)) throw denied();
    return (fs.openSync as (...a: unknown[]) => number)(p, ...rest);
  }) as typeof fs.openSync;
  const readFileSync = ((p: Parameters<typeof fs.readFileSync>[0], ...rest: unknown[]) => {
    if (locked(p)) throw denied();
    return (fs.readFileSync as (...a: unknown[]) => unknown)(p, ...rest);
  }) as typeof fs.readFileSync;
  return { ...fs, default: { ...fs, openSync, readFileSync }, openSync, readFileSync };
});

const TW_MESSAGE = '`net.ipv4.tcp_tw_recycle = 1` with TCP timestamps on makes kernel 3.10.0-1160.el7.x86_64 drop SYNs from clients behind NAT; set it to 0';
const DENIED = 'File cannot be read (EACCES: permission denied)';

describe('unreadable files (injected EACCES)', () => {
  it('a repository file: read-error naming it, the other files linted, exit 1', async () => {
    const cwd = writeTree({ '.hostlint.yaml': KERNEL_310, 'locked/sysctl.conf': TW, 'open/sysctl.conf': TW });
    const r = await lintJson(cwd);
    expect(r.rows).toEqual([
      atStart('read-error', 'locked/sysctl.conf', DENIED),
      { ruleId: 'sysctl-tw-recycle', file: 'open/sysctl.conf', line: 1, column: 27, endLine: 1, endColumn: 28, message: TW_MESSAGE },
    ]);
    expect(r.code).toBe(1);
  });

  it('a file of a snapshot: read-error naming it, the rest of the host linted', async () => {
    const cwd = writeTree({
      'locked/proc/sys/kernel/osrelease': '3.10.0-1160.el7.x86_64\n',
      'locked/etc/sysctl.d/10-tw.conf': TW,
    });
    const r = await lintJson(cwd, ['locked']);
    expect(r.rows).toEqual([
      atStart('read-error', 'locked/etc/sysctl.d/10-tw.conf', DENIED),
      atStart('read-error', 'locked/proc/sys/kernel/osrelease', DENIED),
    ]);
    expect(r.code).toBe(1);
  });
});
