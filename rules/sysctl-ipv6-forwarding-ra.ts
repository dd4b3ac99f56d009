import { defineRule, liveValue, raUplinks, sysctlInt, type Location } from '../src/rule-api.js';

export default defineRule({
  meta: {
    id: 'sysctl-ipv6-forwarding-ra',
    type: 'problem',
    description: 'Require `accept_ra = 2` on interfaces that take their IPv6 default route from router advertisements when IPv6 forwarding is on',
    rationale: [
      'With `net.ipv6.conf.all.forwarding = 1` the host is an IPv6 router, and a router ignores router advertisements: `accept_ra` 1 (the default) means "accept Router Advertisements if forwarding is disabled"; only `accept_ra = 2` ("overrule forwarding behaviour") keeps accepting them (ip-sysctl: accept_ra). An interface whose IPv6 address and default route come from RAs (SLAAC: a `dynamic` global address in `ip -d address`) then keeps its default route only until the current one expires — the node loses IPv6 connectivity minutes to hours after forwarding was switched on, typically when Calico or another CNI enables IPv6 on a dual-stack Kubernetes node (projectcalico/calico#6751).',
      'hostlint reports this on host snapshots that have `ip -d address` (or `ip address`) output with a `scope global dynamic` IPv6 address: at the line that turns IPv6 forwarding on, or at the live dump line when no file does (set at runtime, e.g. by Felix). The interface\'s `accept_ra` comes from the sysctl files, else the live dump, else the kernel default 1. The fix is `net.ipv6.conf.<uplink>.accept_ra = 2` in a sysctl.d file.',
    ].join('\n\n'),
    severity: 'warning',
    precision: 'medium',
    languages: ['sysctl', 'sysctl-dump', 'fact'],
    messages: {
      configured: '`{{key}} = {{value}}` turns IPv6 forwarding on while {{iface}} takes its IPv6 address ({{address}}) and default route from router advertisements with accept_ra {{acceptRa}}: a forwarding host ignores RAs unless accept_ra is 2, so the node loses its IPv6 default route when the current one expires; set net.ipv6.conf.{{iface}}.accept_ra = 2',
      live: 'IPv6 forwarding is on at runtime (`{{key}} = {{value}}`, set by no sysctl file) while {{iface}} takes its IPv6 address ({{address}}) and default route from router advertisements with accept_ra {{acceptRa}}: a forwarding host ignores RAs unless accept_ra is 2, so the node loses its IPv6 default route when the current one expires; set net.ipv6.conf.{{iface}}.accept_ra = 2',
    },
    sources: [
      { title: 'Linux ip-sysctl: accept_ra (1: accept if forwarding is disabled; 2: overrule forwarding behaviour), forwarding', url: 'https://docs.kernel.org/networking/ip-sysctl.html' },
      { title: 'projectcalico/calico#6751: nodes lose their IPv6 default route once IPv6 forwarding is enabled', url: 'https://github.com/projectcalico/calico/issues/6751' },
      { title: 'ip-address(8): "dynamic" marks an address created by stateless autoconfiguration', url: 'https://man7.org/linux/man-pages/man8/ip-address.8.html' },
    ],
    tags: ['sysctl', 'ipv6', 'routing', 'kubernetes'],
    fixable: false,
    examples: [
      {
        title: 'IPv6 forwarding on a SLAAC uplink',
        filename: 'node01/etc/sysctl.d/60-ipv6.conf',
        code: 'net.ipv6.conf.all.forwarding = 1\n',
        files: {
          'node01/proc/sys/kernel/osrelease': '6.1.0-18-amd64\n',
          'node01/sos_commands/networking/ip_-d_address':
            '2: ens3: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc fq_codel state UP group default qlen 1000\n    inet6 2001:db8:6:3::c9/64 scope global dynamic mngtmpaddr noprefixroute \n       valid_lft 86391sec preferred_lft 14391sec\n',
        },
        expect: 1,
      },
      {
        title: 'IPv6 forwarding switched on at runtime (by Felix, a script), no file sets it',
        filename: 'node01/etc/sysctl.d/10-base.conf',
        code: 'kernel.panic = 10\n',
        files: {
          'node01/sos_commands/kernel/sysctl_-a': 'kernel.panic = 10\nnet.ipv6.conf.all.forwarding = 1\nnet.ipv6.conf.ens3.accept_ra = 1\n',
          'node01/sos_commands/networking/ip_-d_address':
            '2: ens3: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc fq_codel state UP group default qlen 1000\n    inet6 2001:db8:6:3::c9/64 scope global dynamic mngtmpaddr noprefixroute \n       valid_lft 86391sec preferred_lft 14391sec\n',
        },
        expect: 1,
      },
      {
        title: 'The uplink keeps accepting RAs',
        filename: 'node01/etc/sysctl.d/60-ipv6.conf',
        code: 'net.ipv6.conf.all.forwarding = 1\nnet.ipv6.conf.ens3.accept_ra = 2\n',
        files: {
          'node01/proc/sys/kernel/osrelease': '6.1.0-18-amd64\n',
          'node01/sos_commands/networking/ip_-d_address':
            '2: ens3: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc fq_codel state UP group default qlen 1000\n    inet6 2001:db8:6:3::c9/64 scope global dynamic mngtmpaddr noprefixroute \n       valid_lft 86391sec preferred_lft 14391sec\n',
        },
        expect: 'valid',
      },
    ],
  },
  create(context) {
    const scope = context.scope;
    return {
      scope() {
        const uplinks = raUplinks(scope);
        if (uplinks.length === 0) return;
        const set = scope.sysctlSets()[0];
        const key = 'net.ipv6.conf.all.forwarding';
        const configured = set?.effective(key);
        const live = configured ? undefined : liveValue(scope, key);
        const on = configured ? sysctlInt(configured.value) : live ? sysctlInt(live.value) : undefined;
        if (!on) return; // 0, unset, or not a number: not forwarding
        for (const u of uplinks) {
          const raKey = `net.ipv6.conf.${u.iface}.accept_ra`;
          const raFile = set?.effective(raKey);
          const raLive = raFile ? undefined : liveValue(scope, raKey);
          const acceptRa = raFile ? sysctlInt(raFile.value) : raLive ? sysctlInt(raLive.value) : 1;
          if (acceptRa === 2 || acceptRa === 0 || acceptRa === undefined) continue; // 0: RAs were never the route's source
          const related: Location[] = [u.evidence];
          if (raFile) related.push({ file: raFile.file.path, position: raFile.node.position, message: `accept_ra of ${u.iface}: \`${raFile.node.key.raw} = ${raFile.value}\`` });
          else if (raLive) related.push({ file: raLive.file.path, position: raLive.position, message: `Live accept_ra of ${u.iface}: ${raLive.value}` });
          const data = { key, value: configured ? configured.value : live!.value, iface: u.iface, address: u.address, acceptRa: String(acceptRa) };
          if (configured) context.report({ messageId: 'configured', file: configured.file, node: configured.node.value, data, related });
          else context.report({ messageId: 'live', file: live!.file, position: live!.position, data, related });
        }
      },
    };
  },
});
