/**
 * `dumpxml --xpath` / `--wrap` (virsh 9.0) against real virsh on test:///default: node sets of
 * elements, attributes, text and the document, predicates, unions, functions, a result that is no
 * node set (an error), an expression that does not parse (libxml2's message, no nodes), stdout,
 * stderr and exit status byte for byte.
 */
import { compareAll, type Scenario } from './harness';

const EXPRESSIONS = [
  '//name',
  '//os',
  '/domain/devices/disk[@device="disk"]/source/@file',
  '//@type',
  '//name/text()',
  '//interface[1]/mac/@address',
  '//devices/*[last()]',
  '/domain/devices/*[position() < 3]',
  '//disk | //interface',
  '/domain/memory/@unit | //currentMemory',
  '//target[@dev="hda"]/..',
  "//*[contains(name(), 'mem')]",
  '//*[not(*) and @unit]',
  '/',
  '//nosuch',
  'count(//disk)',
  'string(//name)',
  '//[[',
];

const table: Record<string, Scenario> = {};
for (const x of EXPRESSIONS) {
  table[`--xpath ${x}`] = { script: ['dumpxml', 'test', '--xpath', x] };
  table[`--xpath ${x} --wrap`] = { script: ['dumpxml', 'test', '--xpath', x, '--wrap'] };
}
table['--xpath on the inactive definition'] = { script: ['dumpxml', '--inactive', '--xpath', '//vcpu/@placement', 'test'] };
table['net-dumpxml --xpath'] = { script: ['net-dumpxml', 'default', '--xpath', '//ip'] };
table['net-dumpxml --xpath --wrap of attributes'] = { script: ['net-dumpxml', 'default', '--xpath', '//ip/@address', '--wrap'] };
table['pool-dumpxml --xpath of text'] = { script: ['pool-dumpxml', 'default-pool', '--xpath', '//target/path/text()'] };
table['nodedev-dumpxml --xpath'] = { script: ['nodedev-dumpxml', 'computer', '--xpath', '//capability'] };
table['nodedev-dumpxml --xpath with no node set'] = { script: ['nodedev-dumpxml', 'computer', '--xpath', 'count(//x)'] };

describe('dumpxml, net-, pool-, nodedev-dumpxml --xpath', () => compareAll(table));
