import { defineRule, evidenceOf, systemdEvidence, type Location, treeOf } from '../src/rule-api.js';

/** Kernels of distributions whose systemd 219 carries "sysctl: bring back /etc/sysctl.conf" (RHEL/CentOS 7, Amazon Linux 2). */
const READS_SYSCTL_CONF = /\.el7(?:[._]|$)|\.amzn2\./;

export default defineRule({
  meta: {
    id: 'sysctl-conf-not-read',
    type: 'problem',
    description: 'Disallow settings in /etc/sysctl.conf on systemd hosts where nothing applies that file at boot',
    rationale: [
      'At boot, sysctl files are applied by systemd-sysctl, and upstream systemd-sysctl reads only `*.conf` in the sysctl.d directories — **not** `/etc/sysctl.conf` (sysctl.conf(5): "systemd-sysctl does not read /etc/sysctl.conf"). Distributions keep the old file working with a link, `/etc/sysctl.d/99-sysctl.conf -> ../sysctl.conf` (Debian and Ubuntu in the systemd package, Fedora and RHEL 8+ as well). Where that link is missing — a minimal image, Arch Linux, a cleanup that removed a "dangling" link — whatever an administrator or a configuration-management tool adds to `/etc/sysctl.conf` works when applied by hand with `sysctl -p`, and silently disappears at the next reboot.',
      'hostlint reports the first assignment of `/etc/sysctl.conf` in a host snapshot when the snapshot holds `/etc/sysctl.d` with no link to the file, and shows that the host runs systemd: one of systemd\'s own vendor files (`/usr/lib/sysctl.d/50-default.conf`, `50-pid-max.conf`, `50-coredump.conf`), `/run/systemd/system` (the sd_booted(3) test), the `systemd-sysctl` binary, or an sosreport `sos_commands/systemd` directory. RHEL/CentOS 7 and Amazon Linux 2 are exempt: their systemd 219 carries the patch "sysctl: bring back /etc/sysctl.conf" and reads the file itself. When the kernel release (which tells those apart) is unknown, the finding is one level lower.',
    ].join('\n\n'),
    severity: 'warning',
    precision: 'medium',
    languages: ['sysctl'],
    messages: {
      notRead: '`/etc/sysctl.conf` sets {{count}} but systemd-sysctl does not read it at boot and no sysctl.d file links to it: these settings are lost on reboot; link it (`ln -s ../sysctl.conf /etc/sysctl.d/99-sysctl.conf`) or move them to /etc/sysctl.d/',
      notReadUnknownKernel: '`/etc/sysctl.conf` sets {{count}} but systemd-sysctl does not read it at boot and no sysctl.d file links to it, unless this is RHEL/CentOS 7 or Amazon Linux 2 (kernel unknown: {{hint}}); link it or move the settings to /etc/sysctl.d/',
    },
    sources: [
      { title: 'sysctl.conf(5) (procps-ng): systemd-sysctl does not read /etc/sysctl.conf', url: 'https://man7.org/linux/man-pages/man5/sysctl.conf.5.html' },
      { title: 'sysctl.d(5) (systemd): the directories systemd-sysctl reads', url: 'https://www.freedesktop.org/software/systemd/man/latest/sysctl.d.html' },
      { title: 'RHEL 7 systemd 219 patch "sysctl: bring back /etc/sysctl.conf" (as carried by XCP-ng\'s systemd package)', url: 'https://github.com/xcp-ng-rpms/systemd/blob/4ad846649be2ed1bd0922bb55bf818203ef9572d/SOURCES/0003-sysctl-bring-back-etc-sysctl.conf.patch' },
      { title: 'Amazon Linux 2 systemd 219 spec: Patch0003 0003-sysctl-bring-back-etc-sysctl.conf.patch', url: 'https://github.com/lambci/yumda/blob/ea41c32ae93993ee177d4f25678c3bc5a1815585/amazon-linux-2/build/specs/amzn2/systemd.spec' },
      { title: 'sd_booted(3): a system booted with systemd has /run/systemd/system', url: 'https://www.freedesktop.org/software/systemd/man/latest/sd_booted.html' },
    ],
    tags: ['sysctl', 'systemd', 'boot'],
    fixable: false,
    examples: [
      {
        title: 'A systemd host without the 99-sysctl.conf link',
        filename: 'web01/etc/sysctl.conf',
        code: 'vm.swappiness = 10\nnet.core.somaxconn = 4096\n',
        files: {
          'web01/etc/sysctl.d/10-network.conf': 'net.ipv4.conf.all.rp_filter = 1\n',
          'web01/usr/lib/sysctl.d/50-default.conf': 'kernel.sysrq = 16\n',
          'web01/proc/sys/kernel/osrelease': '6.1.0-18-amd64\n',
        },
        expect: 1,
      },
      {
        title: 'Settings kept in /etc/sysctl.d',
        filename: 'web01/etc/sysctl.d/90-tuning.conf',
        code: 'vm.swappiness = 10\nnet.core.somaxconn = 4096\n',
        files: {
          'web01/usr/lib/sysctl.d/50-default.conf': 'kernel.sysrq = 16\n',
          'web01/proc/sys/kernel/osrelease': '6.1.0-18-amd64\n',
        },
        expect: 'valid',
      },
    ],
  },
  create(context) {
    const scope = context.scope;
    return {
      scope() {
        // A host's /etc/sysctl.conf (none in the repository).
        const main = scope.hostFile('/etc/sysctl.conf');
        if (!main || (main.linkedFrom ?? []).length > 0) return;
        const assignments = treeOf(main, 'sysctl', 'sysctl-dump')?.children.filter((n) => n.type === 'assignment') ?? [];
        if (assignments.length === 0 || !scope.hasHostPath('/etc/sysctl.d')) return;
        const evidence = systemdEvidence(scope);
        if (!evidence) return;
        const kernel = scope.facts().kernel;
        if (kernel.known && READS_SYSCTL_CONF.test(kernel.value.release)) return;
        const count = assignments.length === 1 ? '1 key' : `${assignments.length} keys`;
        const related: Location[] = [evidence, ...evidenceOf(kernel)];
        if (kernel.known) context.report({ messageId: 'notRead', file: main, node: assignments[0], data: { count }, related });
        else context.report({ messageId: 'notReadUnknownKernel', file: main, node: assignments[0], data: { count, hint: kernel.hint }, related, demote: 1 });
      },
    };
  },
});
