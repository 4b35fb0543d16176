/**
 * The drivers' static tables as the generator reads them: an entry that is not an SPI method
 * stops generation, and each table names exactly the SPI methods its driver's connections have,
 * so the support matrix cannot claim a method a driver lacks, nor miss one it has.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseUri, type DriverConnection } from '@virtkit/core';
import { driver as qemuDriver, qemuDriverTable } from '@virtkit/driver-qemu';
import { driver as testDriver, testDriverTable } from '@virtkit/driver-test';
import { PROCEDURES } from '@virtkit/protocol';
import { readTables, scanDrivers } from '../src/drivers';
import { loadApi } from '../src/load';

const ROOT = path.resolve(__dirname, '..', '..');
const model = loadApi(ROOT);
const spiNames = new Set(model.calls.filter((c) => c.impl === 'driver').map((c) => c.spi));
const { drivers, errors } = scanDrivers(ROOT, model);
const column = (name: string) => drivers.find((d) => d.name === name)!.methods;

/** The SPI methods a connection object has (own or inherited). */
function methodsOf(conn: DriverConnection): string[] {
  return [...spiNames].filter((m) => typeof (conn as unknown as Record<string, unknown>)[m] === 'function').sort();
}

test('the tree has no table errors and the generator sees each driver table as written', () => {
  expect(errors).toEqual([]);
  expect(Object.fromEntries(column('test'))).toEqual(testDriverTable);
  expect(Object.fromEntries(column('qemu'))).toEqual(qemuDriverTable);
});

test('a table entry that is not an SPI method, or has no version, is refused', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'virtkit-table-'));
  try {
    const dir = path.join(root, 'packages', 'driver-fake', 'src');
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(
      path.join(dir, 'table.ts'),
      `import type { DriverTable } from '@virtkit/core';
export const fakeTable = { domainGetInfo: '0.1.0', domainFrobnicate: '0.2.0', domainGetXMLDesc: VERSION } as const satisfies DriverTable;
`,
    );
    const r = scanDrivers(root, model);
    expect(r.errors).toEqual([
      'packages/driver-fake/src/table.ts: table names domainFrobnicate, which is not an SPI method of api/',
      'packages/driver-fake/src/table.ts: table entry domainGetXMLDesc must be a version string literal',
    ]);
    expect([...readTables(dir, spiNames).methods]).toEqual([['domainGetInfo', '0.1.0']]);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});

test('the test driver table names exactly the methods of its connections', async () => {
  const conn = await testDriver.open(parseUri('test:///default'), { readOnly: false });
  try {
    expect(methodsOf(conn)).toEqual(Object.keys(testDriverTable).sort());
  } finally {
    await conn.close();
  }
});

test('the QEMU driver table names exactly the methods of its connections', async () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'virtkit-table-qemu-'));
  const conn = await qemuDriver.open(parseUri(`qemu:///embed?root=${root}`), { readOnly: false });
  try {
    expect(methodsOf(conn)).toEqual(Object.keys(qemuDriverTable).sort());
  } finally {
    await conn.close();
    fs.rmSync(root, { recursive: true, force: true });
  }
});

test('the remote column is every call the remote connection forwards', () => {
  const forwarded = PROCEDURES.filter((p) => p.impl === 'driver' && p.argMap !== null)
    .map((p) => p.spi)
    .sort();
  expect([...column('remote').keys()].sort()).toEqual(forwarded);
  // Every driver call crosses the wire but virDomainLxcOpenNamespace, whose answer is file
  // descriptors of the calling process (api/src/lxc.ts says why it is local only).
  expect([...spiNames].filter((m) => !forwarded.includes(m))).toEqual(['domainLxcOpenNamespace']);
});
