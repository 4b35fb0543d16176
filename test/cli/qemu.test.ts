/**
 * vsh against virsh 9.0: qemu-monitor-command and domxml-to-native on test:///default, whose
 * driver has neither call — so what is compared is everything virsh does around the call:
 * option rules, domain and file lookups, the read-only refusal, and the QMP wrapping of the
 * command words, whose failures print libvirt's JSON parser errors.
 */
import { compareAll } from './harness';

/** One qemu-monitor-command per QMP argument list, each a malformed or valid wrapping case. */
const WRAP_CASES = [
  'x',
  'tx',
  '"a":tru',
  '"a":t',
  '"a":-',
  '"a":-x',
  '"a":1.',
  '"a":1e',
  '"a":1e+',
  '"a":01',
  '"a":"x',
  '"a":"\\q"',
  '"a":"\\u12g4"',
  '"a":[1',
  '"a":1}',
  '"a":/*c*/1',
  '"a"://c',
  '"a":{"b":1',
  '"a" 1',
  '"a":1 "b":2',
  '"a":,',
  '"a":]',
  '"a":[1,]',
  '"a":[,1]',
  '"a":1.5e3x',
  '"a":1,"b"',
  '"a":1,"a":2',
  '"a":{},"a":[]',
  '"a":[1 2]',
  '{bad',
  '[1]',
  '"a":1,',
  '"a"',
  '"k":"' + 'long-value-'.repeat(6) + '" x',
];

/** argv form, so each argument reaches the command unchanged. */
const monitor = (...words: string[]): string[] => ['qemu-monitor-command', 'test', ...words];

/** All wrap cases as one command string (one virsh run); single quotes keep each word as written. */
const WRAP_SCRIPT = WRAP_CASES.map(
  (c) =>
    `qemu-monitor-command test cmd ${c
      .split(' ')
      .map((w) => `'${w}'`)
      .join(' ')}`,
).join('; ');

compareAll({
  'qemu-monitor-command: QMP and HMP words': {
    script:
      'qemu-monitor-command test info; qemu-monitor-command test --hmp info status; qemu-monitor-command test --pretty \'{"execute":"query-status"}\'; qemu-monitor-command test --return-value query-status',
  },
  'qemu-monitor-command: option errors': {
    script:
      'qemu-monitor-command test; qemu-monitor-command test --hmp --pretty info; qemu-monitor-command test --hmp --return-value info; qemu-monitor-command nope info; qemu-monitor-command nope --hmp --pretty x',
  },
  'qemu-monitor-command: --cmd and empty words': {
    script:
      "qemu-monitor-command test --cmd query-status; qemu-monitor-command test ''; qemu-monitor-command test --hmp ''; qemu-monitor-command test cmd ''",
  },
  'qemu-monitor-command: read-only': {
    script: 'qemu-monitor-command test a; qemu-monitor-command test a b',
    globals: ['-r', '-c', 'test:///default'],
  },
  'qemu-monitor-command: arguments as one object': { script: monitor('query-block', '{"flat":true}') },
  'qemu-monitor-command: arguments as key:value words': { script: monitor('query-block', '"flat":true', '"x":[1,{"y":null}]') },
  'qemu-monitor-command: a JSON object is passed through': { script: monitor('{"execute":"query-status"}') },
  'qemu-monitor-command: a JSON object split in words': { script: monitor('{"execute":', '"query-status"}') },
  'qemu-monitor-command: object then more words': { script: monitor('{"execute":"x"}', 'extra') },
  'qemu-monitor-command: two objects': { script: monitor('cmd', '{"a":1}', '"b":2') },
  'qemu-monitor-command: wrapping failures and their parser errors': { script: WRAP_SCRIPT },
  'qemu-monitor-command: control character in a string': { script: monitor('cmd', '"a":"\u0001"') },
  'qemu-monitor-command: one word with blanks': { script: monitor('cmd', '"a":1 "b":2') },
  'qemu-monitor-command: error offset counts UTF-8 bytes': { script: monitor('cmd', '"a":"é\\x"') },
  'qemu-monitor-command: newline in the error window': { script: monitor('cmd', '"a":\n1', 'x') },
  'domxml-to-native': {
    script:
      'domxml-to-native qemu-argv demo.xml; domxml-to-native foo demo.xml; domxml-to-native --format qemu-argv --xml demo.xml; domxml-to-native qemu-argv --domain test',
  },
  'domxml-to-native errors': {
    script:
      'domxml-to-native qemu-argv; domxml-to-native qemu-argv missing.xml; domxml-to-native qemu-argv --domain nope; domxml-to-native qemu-argv --domain test --xml demo.xml; domxml-to-native qemu-argv demo.xml extra',
  },
  'domxml-to-native empty options': { script: "domxml-to-native '' demo.xml; domxml-to-native qemu-argv --xml ''" },
  'domxml-to-native read-only': { script: 'domxml-to-native qemu-argv demo.xml', globals: ['-r', '-c', 'test:///default'] },
});
