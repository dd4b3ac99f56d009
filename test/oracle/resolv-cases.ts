/** Generated resolv.conf files for the resolver oracle (fast-check). */
import fc from 'fast-check';

const blank = fc.constantFrom(' ', ' ', ' ', '\t', '  ', ' \t');
const tail = fc.constantFrom('', '', '', ' ', '\t', ' # comment', ' ; x', ' junk', '#x');

const address = fc.constantFrom(
  '10.0.0.2', '192.0.2.53', '127.0.0.53', '8.8.8.8', '127.1', '0x7f.0.0.1', '010.0.0.1', '1.2.3', '300', '4294967295', '1.2.3.256', '1.2.3.4.5', '01.02.03.04',
  '::1', '2001:db8::53', 'fe80::1%lo', 'fe80::1%eth0', 'fe80::1%1', '::ffff:192.0.2.1', '2001:db8::1%', '::', 'fe80::1%', '2001:db8:::1', '1:2:3:4:5:6:7:8:9',
  'dns.example.com', '', '10.0.0.2#x', '10.0.0.2,10.0.0.3',
);
const domain = fc.constantFrom('example.com', 'corp.example.com', 'a', 'svc.cluster.local', 'example.org.', 'x'.repeat(60) + '.example', 'y'.repeat(100) + '.example.net', 'b.example', 'c.example', 'd.example', 'e.example', 'f.example', 'g.example');
const option = fc.oneof(
  fc.record({ k: fc.constantFrom('ndots', 'timeout', 'attempts'), v: fc.constantFrom('0', '1', '2', '3', '5', '6', '15', '16', '30', '31', '40', '-1', 'x', '', '2x', ' 3', '99999999999') }).map(({ k, v }) => `${k}:${v}`),
  fc.constantFrom('rotate', 'edns0', 'single-request', 'single-request-reopen', 'no-tld-query', 'no_tld_query', 'use-vc', 'no-reload', 'trust-ad', 'no-aaaa', 'inet6', 'debug', 'rotatex', 'ndots', 'timeout', 'foo', 'ip6-dotint', 'edns'),
);

const line = fc.oneof(
  { weight: 6, arbitrary: fc.record({ b: blank, a: address, t: tail }).map(({ b, a, t }) => `nameserver${b}${a}${t}`) },
  { weight: 3, arbitrary: fc.record({ b: blank, d: fc.array(domain, { minLength: 0, maxLength: 12 }), s: blank, t: tail }).map(({ b, d, s, t }) => `search${b}${d.join(s)}${t}`) },
  { weight: 1, arbitrary: fc.record({ b: blank, d: fc.array(domain, { minLength: 0, maxLength: 2 }), s: blank }).map(({ b, d, s }) => `domain${b}${d.join(s)}`) },
  { weight: 3, arbitrary: fc.record({ b: blank, o: fc.array(option, { minLength: 0, maxLength: 5 }), s: blank }).map(({ b, o, s }) => `options${b}${o.join(s)}`) },
  { weight: 2, arbitrary: fc.constantFrom('# comment', '; comment', '#nameserver 10.9.9.9', ' # indented', '\tnameserver 10.9.9.9', ' search indented.example', 'nameserver', 'nameserver1.2.3.4', 'search', 'options', 'domain', 'sortlist 10.0.0.0/8', 'foo bar', '', 'NAMESERVER 10.9.9.8', 'options\tndots:4') },
);

export const resolvFile: fc.Arbitrary<string> = fc
  .record({ lines: fc.array(line, { minLength: 0, maxLength: 10 }), eol: fc.constantFrom('\n', '\n', '\n', '\r\n', '\r'), last: fc.boolean() })
  .map(({ lines, eol, last }) => lines.join(eol) + (last && lines.length ? eol : ''));
