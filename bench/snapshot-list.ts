/**
 * virDomainListAllSnapshots over 1k, 5k and 10k snapshots with metadata (created with
 * REDEFINE; no QEMU needed), at the driver SPI: the QEMU driver's snapshot module (metadata in
 * a directory, one file per snapshot) and the test driver (in memory). Full walk, ROOTS and
 * LEAVES, plus reloading the QEMU metadata directory. Median of repeated calls.
 *
 *     npx tsx bench/snapshot-list.ts [--runs N]
 *
 * Tree shape (both drivers): mostly chains — each snapshot's parent is the previous one,
 * every 10th branches off an earlier snapshot, every 100th is a new root — so ~1% roots and
 * ~10% leaves.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { DomainSnapshotCreateFlags, parseUri, type DomainRef, type DriverConnection } from '@virtkit/core';
import { formatDomainXml } from '@virtkit/xml';
import { driver as testDriver } from '@virtkit/driver-test';
import { parseStored, QemuSnapshots, snapshotSpi } from '@virtkit/driver-qemu';

const REDEFINE = DomainSnapshotCreateFlags.VIR_DOMAIN_SNAPSHOT_CREATE_REDEFINE;
const SIZES = [1000, 5000, 10000];
const QUERIES: Array<[string, number]> = [
  ['all', 0],
  ['ROOTS', 1],
  ['LEAVES', 4],
];
const runs = Number(process.argv[process.argv.indexOf('--runs') + 1]) || 25;

/** Parent index of snapshot i (undefined: a root). */
function parentOf(i: number, seed: { v: number }): number | undefined {
  if (i % 100 === 0) return undefined;
  if (i % 10 !== 0) return i - 1;
  seed.v = (seed.v * 1103515245 + 12345) % 2 ** 31;
  return seed.v % i;
}

function snapXml(i: number, parent: number | undefined, domXml: string): string {
  const p = parent === undefined ? '' : `<parent><name>s${parent}</name></parent>`;
  return (
    `<domainsnapshot><name>s${i}</name><state>${i % 3 ? 'running' : 'shutoff'}</state>${p}` +
    `<creationTime>${1_700_000_000 + i}</creationTime>${domXml}</domainsnapshot>`
  );
}

async function fill(spi: Pick<DriverConnection, 'domainSnapshotCreateXML'>, dom: DomainRef, n: number, domXml: string): Promise<void> {
  const seed = { v: 42 };
  for (let i = 0; i < n; i++) await spi.domainSnapshotCreateXML!(dom, snapXml(i, parentOf(i, seed), domXml), REDEFINE);
}

/** Median and worst milliseconds of `runs` calls (after a warm-up), and the size of the answer. */
async function time(call: () => Promise<unknown[]>): Promise<{ ms: number; max: number; count: number }> {
  let count = 0;
  for (let i = 0; i < 3; i++) count = (await call()).length;
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await call();
    samples.push(performance.now() - t);
  }
  samples.sort((a, b) => a - b);
  return { ms: samples[Math.floor(samples.length / 2)], max: samples[samples.length - 1], count };
}

interface Row {
  driver: string;
  n: number;
  query: string;
  ms: number;
  max: number;
  count: number;
}

async function benchQemu(n: number, rows: Row[]): Promise<number> {
  const base = fs.existsSync('/dev/shm') ? '/dev/shm' : os.tmpdir();
  const dir = fs.mkdtempSync(path.join(base, 'vk-snapbench-'));
  const uuid = '6f1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';
  const def = parseStored(
    `<domain type='qemu'><name>bench</name><uuid>${uuid}</uuid><memory>65536</memory><os><type arch='x86_64' machine='q35'>hvm</type></os>` +
      "<devices><disk type='file' device='disk'><driver name='qemu' type='qcow2'/><source file='/var/lib/x.qcow2'/><target dev='vda' bus='virtio'/></disk></devices></domain>",
    false,
  );
  const dom: DomainRef = { name: 'bench', uuid, id: -1 };
  const ctx = {
    ref: () => dom,
    qmp: () => undefined,
    def: () => def,
    persistentDef: () => def,
    state: () => 5,
    saveDef: async () => undefined,
    withJob: <T>(_o: string, fn: () => Promise<T>) => fn(),
    start: async () => undefined,
    stop: async () => undefined,
    pause: async () => undefined,
    resume: async () => undefined,
    dirs: { snapshots: dir },
  };
  try {
    const domXml = formatDomainXml(def, { inactive: true });
    const shared = new QemuSnapshots(ctx);
    const spi = snapshotSpi(() => shared);
    await fill(spi, dom, n, domXml);
    for (const [query, flags] of QUERIES)
      rows.push({ driver: 'qemu', n, query, ...(await time(() => spi.domainListAllSnapshots(dom, flags))) });
    const t = performance.now();
    const reopened = new QemuSnapshots(ctx);
    const count = (await reopened.listAll(0)).length;
    return count === n ? performance.now() - t : NaN;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function benchTest(n: number, rows: Row[]): Promise<void> {
  const c = await testDriver.open(parseUri('test:///default'), { readOnly: false });
  try {
    const dom = await c.domainLookupByName!('test');
    const domXml = await c.domainGetXMLDesc!(dom, 2);
    for (const s of await c.domainListAllSnapshots!(dom, 0)) await c.domainSnapshotDelete!(s, 0);
    await fill(c, dom, n, domXml);
    for (const [query, flags] of QUERIES)
      rows.push({ driver: 'test', n, query, ...(await time(() => c.domainListAllSnapshots!(dom, flags))) });
    for (const s of await c.domainListAllSnapshots!(dom, 1)) await c.domainSnapshotDelete!(s, 1);
  } finally {
    await c.close();
  }
}

async function main(): Promise<void> {
  const rows: Row[] = [];
  const reloads: Array<[number, number]> = [];
  for (const n of SIZES) {
    reloads.push([n, await benchQemu(n, rows)]);
    await benchTest(n, rows);
  }
  console.log(`virDomainListAllSnapshots at the driver SPI, ${runs} calls each\n`);
  console.log('driver  snapshots  query   results  median ms   worst ms   ns/snapshot');
  for (const r of rows) {
    const line = [
      r.driver.padEnd(6),
      String(r.n).padStart(9),
      r.query.padEnd(6),
      String(r.count).padStart(8),
      r.ms.toFixed(3).padStart(9),
      r.max.toFixed(3).padStart(9),
      ((r.ms * 1e6) / r.n).toFixed(0).padStart(12),
    ];
    console.log(line.join('  '));
  }
  console.log('\nQEMU metadata reload (new module instance reading the directory):');
  for (const [n, ms] of reloads) console.log(`  ${String(n).padStart(5)} snapshots: ${ms.toFixed(0)} ms`);
}

void main();
