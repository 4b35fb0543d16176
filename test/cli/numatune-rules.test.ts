/**
 * `<vcpu>` placement and CPU sets, `<numatune>` and the NUMA parameter calls as domain_conf.c,
 * numa_conf.c and the test driver have them: definitions written to a temporary folder, defined
 * and dumped, and `numatune` run, by real virsh 9.0 and by vsh on test:///default, compared byte
 * for byte (outputs and refusals).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { compareAll, type Scenario } from './harness';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'numatune-rules-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const TWO_CELLS = "<cpu><numa><cell id='0' cpus='0' memory='32768'/><cell id='1' cpus='1' memory='32768'/></numa></cpu>";

/** Domain `d` with the given `<vcpu>` and what follows it, as a file to define. */
const VARIANTS: Record<string, string> = {
  'automatic vCPU placement implies an automatic memory placement': "<vcpu placement='auto'>2</vcpu>",
  'a nodeset is written as ranges, strict by default': "<vcpu>2</vcpu><numatune><memory nodeset='0-1,3,2'/></numatune>",
  'an automatic memory placement places the vCPUs too': "<vcpu>2</vcpu><numatune><memory mode='interleave' placement='auto'/></numatune>",
  'a static placement needs a nodeset': "<vcpu>2</vcpu><numatune><memory mode='preferred'/></numatune>",
  'a mode alone follows the vCPU placement': "<vcpu placement='auto'>2</vcpu><numatune><memory mode='preferred'/></numatune>",
  'a pinned vCPU set stays static': "<vcpu cpuset='1'>2</vcpu><numatune><memory placement='auto'/></numatune>",
  'memnode without guest cells': "<vcpu>2</vcpu><numatune><memnode cellid='0' nodeset='0'/></numatune>",
  'memnodes in cell order with their mode': `<vcpu>2</vcpu>${TWO_CELLS}<numatune><memnode cellid='1' nodeset='1'/><memnode cellid='0' mode='interleave' nodeset='2,0-1'/></numatune>`,
  'memnode of a cell that is not there': `<vcpu>2</vcpu>${TWO_CELLS}<numatune><memnode cellid='2' nodeset='1'/></numatune>`,
  'memnode with a bad cell id': `<vcpu>2</vcpu>${TWO_CELLS}<numatune><memnode cellid='a' nodeset='1'/></numatune>`,
  'two memnodes of one cell': `<vcpu>2</vcpu>${TWO_CELLS}<numatune><memnode cellid='0' nodeset='1'/><memnode cellid='0' nodeset='0'/></numatune>`,
  'restrictive memory wants restrictive memnodes': `<vcpu>2</vcpu>${TWO_CELLS}<numatune><memory mode='restrictive' nodeset='0'/><memnode cellid='0' nodeset='1'/></numatune>`,
  'per-node binding with automatic placement': `<vcpu>2</vcpu>${TWO_CELLS}<numatune><memory placement='auto'/><memnode cellid='0' nodeset='1'/></numatune>`,
  'unknown mode': "<vcpu>2</vcpu><numatune><memory mode='x' nodeset='0'/></numatune>",
  'unknown placement': "<vcpu>2</vcpu><numatune><memory placement='x'/></numatune>",
  'two numatune elements': "<vcpu>2</vcpu><numatune><memory nodeset='0'/></numatune><numatune/>",
  'nodesets: high bits, negation and a last comma': "<vcpu>2</vcpu><numatune><memory nodeset='5000,1-3,^2,'/></numatune>",
  'an empty nodeset': "<vcpu>2</vcpu><numatune><memory nodeset=''/></numatune>",
  'a nodeset of only a comma': "<vcpu>2</vcpu><numatune><memory nodeset=','/></numatune>",
  'a nodeset past the mask': "<vcpu>2</vcpu><numatune><memory nodeset='20000'/></numatune>",
  'a CPU set is written as ranges': "<vcpu cpuset='3,1,2,'>2</vcpu>",
  'an automatic placement drops the CPU set': "<vcpu placement='auto' cpuset='1'>2</vcpu>",
  'unknown vCPU placement': "<vcpu placement='bogus'>2</vcpu>",
  'a current count that is no number': "<vcpu current='x'>2</vcpu>",
  'an empty CPU set': "<vcpu cpuset=''>2</vcpu>",
};

const table: Record<string, Scenario> = {};
for (const [i, [name, vcpu]] of Object.entries(VARIANTS).entries()) {
  const file = path.join(dir, `d${i}.xml`);
  fs.writeFileSync(file, `<domain type='test'><name>d</name><memory>65536</memory>${vcpu}<os><type>hvm</type></os></domain>\n`);
  table[`define: ${name}`] = { script: `define ${file}; dumpxml d --xpath '/domain/vcpu|/domain/numatune'` };
}
const memnodes = path.join(dir, 'memnodes.xml');
fs.writeFileSync(
  memnodes,
  `<domain type='test'><name>mn</name><memory>65536</memory><vcpu>2</vcpu>${TWO_CELLS}` +
    "<numatune><memnode cellid='1' nodeset='1'/></numatune><os><type>hvm</type></os></domain>\n",
);
Object.assign(table, {
  'numatune: shown and set in the persistent definition': {
    script: 'numatune test; numatune test --mode interleave --nodeset 0-1,3 --config; numatune test --config; numatune test',
  },
  'numatune: the running domain takes a first policy, then keeps its mode': {
    script: 'numatune test --mode preferred; numatune test --mode strict; numatune test; numatune test --nodeset 5; numatune test',
  },
  'numatune: refusals': { script: 'numatune test --nodeset x; numatune test --mode 7; numatune test --nodeset 20000' },
  'numatune: wide nodesets': { script: 'numatune test --nodeset 2000; numatune test' },
  'numatune: the memnodes stay': { script: `define ${memnodes}; numatune mn --nodeset 2 --config; dumpxml mn --xpath //numatune` },
});

compareAll(table);
