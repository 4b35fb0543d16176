/** The SPI ↔ wire mapping of the remote driver, driven by the generated procedure table. */
import { PROCEDURES } from '@virtkit/protocol';
import { returnsBoolean, spiResult, streamArgument, wireArguments } from '../src/spi-codec';

const proc = (spi: string) => PROCEDURES.find((p) => p.spi === spi)!;

test('each procedure carries its API return type; booleans come back from wire ints, other ints stay numbers', () => {
  const singles = PROCEDURES.filter((p) => p.impl === 'driver' && p.retShape.kind === 'single');
  const booleans = singles.filter(returnsBoolean);
  expect(booleans.map((p) => p.spi)).toEqual(expect.arrayContaining(['domainIsActive', 'storagePoolGetAutostart', 'connectIsSecure']));
  for (const p of singles) {
    const [field, wireType] = p.ret[0];
    if (wireType !== 'int') continue;
    expect([p.spi, spiResult(p, { [field]: 1 })]).toEqual([p.spi, p.returns === 'bool' ? true : 1]);
    if (p.returns === 'bool') expect(spiResult(p, { [field]: 0 })).toBe(false);
  }
  // A bool crosses the wire as an int, never as anything else.
  for (const p of booleans) expect(p.ret.map(([, t]) => t)).toEqual(['int']);
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
  expect(spiResult(proc('domainGetJobStats'), { type: 3, params: [{ field: 'success', type: 6, value: true }] })).toEqual({
    type: 3,
    params: { success: true },
  });
});

test('the stream argument is the parameter api/ types as Stream, whatever its name', () => {
  const upload = proc('storageVolUpload');
  expect(upload.streamParam).toBe('stream');
  const vol = { pool: 'p', name: 'v', key: '/p/v' };
  const stream = { kind: 'stream' };
  expect(streamArgument(upload, [vol, stream, 0, 10, 0])).toBe(stream);
  // Renamed in api/: found by its type, not by a name that says "stream".
  const renamed = { ...upload, paramOrder: ['channel', 'offset', 'length'], streamParam: 'channel' };
  expect(streamArgument(renamed, [vol, stream, 0, 10, 0])).toBe(stream);
  expect(PROCEDURES.filter((p) => p.stream !== null).every((p) => p.streamParam !== null)).toBe(true);
  expect(PROCEDURES.filter((p) => p.stream === null).every((p) => p.streamParam === null)).toBe(true);
});
