/**
 * Results do not depend on the working directory (issue 12, wrong answer 7):
 * a file named inside a snapshot gets the snapshot's facts whether the
 * snapshot lies under the cwd, beside it, or around it. The filesystem root
 * is never taken for a snapshot.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { allResults, lintDir, writeTree } from '../helpers/lint.js';

const tree = () =>
  writeTree({
    'snaps/db01/etc/sysctl.d/90-tuning.conf': '# tuning from 2016\nnet.ipv4.tcp_tw_recycle = 1\nnet.ipv4.tcp_timestamps = 1\n',
    'snaps/db01/proc/sys/kernel/osrelease': '5.15.0-91-generic\n',
    'elsewhere/README': 'a sibling working directory\n',
  });

/** What a user sees of the named file's results, independent of how its path is written. */
function seen(cwd: string, named: string): string[] {
  return allResults(lintDir(cwd, { paths: [named] }))
    .map((r) => `${r.ruleId} ${path.basename(r.file)}:${r.position.start.line} ${r.message}`)
    .sort();
}

describe('named paths inside a snapshot', () => {
  it('get the snapshot context from the parent, a sibling folder and inside the snapshot', () => {
    const root = tree();
    const file = path.join(root, 'snaps/db01/etc/sysctl.d/90-tuning.conf');
    const fromParent = seen(root, path.relative(root, file));
    const fromSibling = seen(path.join(root, 'elsewhere'), path.relative(path.join(root, 'elsewhere'), file));
    const fromInside = seen(path.join(root, 'snaps/db01/etc'), 'sysctl.d/90-tuning.conf');
    const absolute = seen(path.join(root, 'elsewhere'), file);
    // The kernel fact from the snapshot's proc/sys/kernel/osrelease reaches the rule.
    expect(fromParent.some((r) => r.startsWith('sysctl-removed-key 90-tuning.conf:2 ') && r.includes('5.15.0-91-generic'))).toBe(true);
    expect(fromSibling).toEqual(fromParent);
    expect(fromInside).toEqual(fromParent);
    expect(absolute).toEqual(fromParent);
  });

  it('a file outside any snapshot stays a repository file (no kernel fact)', () => {
    const root = writeTree({ 'conf/90-tuning.conf': 'net.ipv4.tcp_tw_recycle = 1\n' });
    mkdirSync(path.join(root, 'other'));
    const results = seen(path.join(root, 'other'), '../conf/90-tuning.conf');
    expect(results.some((r) => r.includes('5.15.0'))).toBe(false);
  });
});
