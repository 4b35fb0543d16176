/** The SPI ↔ wire mapping of the remote driver, checked against the generated SPI and table. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { PROCEDURES } from '../../packages/core/src/generated/remote.gen';
import { returnsBoolean, spiResult, wireArguments } from '../../packages/core/src/remote/spi-codec';

const proc = (spi: string) => PROCEDURES.find((p) => p.spi === spi)!;

test('every SPI method returning a boolean is known as one (and no other)', () => {
  const spi = fs.readFileSync(path.join(__dirname, '../../packages/core/src/generated/spi.gen.ts'), 'utf8');
  const booleans = new Set([...spi.matchAll(/^ {2}(\w+)\?\([^)]*\): Promise<boolean>/gm)].map((m) => m[1]));
  const remoteDriverCalls = PROCEDURES.filter((p) => p.impl === 'driver');
  expect(remoteDriverCalls.filter(returnsBoolean).map((p) => p.spi).sort()).toEqual(remoteDriverCalls.filter((p) => booleans.has(p.spi)).map((p) => p.spi).sort());
});

test('wire arguments: owner handle, parameters by name, constants, flags', () => {
  const dom = { name: 'd', uuid: '11111111-2222-3333-4444-555555555555', id: -1 };
  expect(wireArguments(proc('domainSnapshotLookupByName'), [dom, 's1', 0])).toEqual({ dom, name: 's1', flags: 0 });
  expect(wireArguments(proc('connectListAllDomains'), [3])).toEqual({ need_results: 1, flags: 3 });
  expect(wireArguments(proc('domainSetAutostart'), [dom, true])).toEqual({ dom, autostart: true });
});

test('results: booleans from ints, nullable records, typed params as records', () => {
  expect(spiResult(proc('domainIsActive'), { active: 0 })).toBe(false);
  expect(spiResult(proc('domainGetMaxMemory'), { memory: 1024 })).toBe(1024);
  const jobInfo = proc('domainGetBlockJobInfo');
  expect(spiResult(jobInfo, { found: 0, type: 0, bandwidth: 0, cur: 0, end: 0 })).toBeNull();
  expect(spiResult(jobInfo, { found: 1, type: 4, bandwidth: 0, cur: 5, end: 9 })).toEqual({ type: 4, bandwidth: 0, cur: 5, end: 9 });
  expect(spiResult(proc('domainGetJobStats'), { type: 3, params: [{ field: 'success', type: 6, value: true }] })).toEqual({ type: 3, params: { success: true } });
});
