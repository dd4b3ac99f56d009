/**
 * "Nothing to lint" (ESLint 9: "No files matching the pattern … were found",
 * exit 2): a directory argument under which hostlint found nothing it reads,
 * or an audit that found no host snapshot, is an error unless
 * `--pass-on-no-files` is given. One line on stderr, naming the path.
 */

/** What hostlint reads, for the one-line message. */
export const WHAT_HOSTLINT_READS =
  'sysctl.conf, sysctl.d/*.conf, resolv.conf, felix.cfg, *.conflist, Kubernetes YAML (*.yaml with apiVersion or kind) and host snapshots';

export const WHAT_IS_A_SNAPSHOT =
  'a snapshot is a directory holding etc/ and one of proc/, sys/, sos_commands/, or a .tar.gz, .tgz or .tar.xz of one';

/** A path as typed, with control characters escaped so they never reach the terminal raw. */
export function shownArg(arg: string): string {
  let out = '';
  for (const ch of arg) {
    const c = ch.codePointAt(0)!;
    out += c < 0x20 || c === 0x7f || (c >= 0x80 && c < 0xa0) ? `\\x${c.toString(16).padStart(2, '0')}` : ch;
  }
  return out;
}

export function nothingToLintLine(arg: string): string {
  return `hostlint: nothing to lint under ${shownArg(arg)}: hostlint reads ${WHAT_HOSTLINT_READS} (--pass-on-no-files exits 0)\n`;
}

export function noSnapshotLine(paths: string[]): string {
  return `hostlint audit: no host snapshot under ${paths.map(shownArg).join(', ')}: ${WHAT_IS_A_SNAPSHOT} (--pass-on-no-files exits 0)\n`;
}
