/** The RPC codec against the golden bytes of docs/wire-protocol.md. */
import { VirError } from '@virtkit/core';
import {
  FrameDecoder,
  FrameError,
  MessageStatus,
  MessageType,
  PROGRAM,
  XdrError,
  XdrReader,
  XdrWriter,
  decodeHeader,
  decodeRemoteError,
  decodeStruct,
  decodeValue,
  encodeFrame,
  encodeRemoteError,
  encodeStruct,
  encodeValue,
  parseXdrType,
  unknownProcedureError,
  CORE_LAYOUTS,
  EVENT_MESSAGES,
  PROCEDURES,
  REMOTE_PROC,
  TypedParamType,
  typedParamsToRecord,
  ProcedureTable,
  procedureTable,
  zeroStruct,
} from '../src/index';

const hex = (s: string): Buffer => Buffer.from(s.replace(/\s+/g, ''), 'hex');
const str = (s: string): string => Buffer.from(s, 'utf8').toString('hex');
const enc = (type: string, v: unknown): string => {
  const w = new XdrWriter();
  encodeValue(w, type, v);
  return w.bytes().toString('hex');
};
const dec = (type: string, h: string): unknown => decodeValue(new XdrReader(hex(h)), type);

const DOM = { name: 'rpcf-vm', uuid: '11111111-2222-3333-4444-555555555555', id: 62 };
const DOM_HEX = '00000007 72706366 2d766d00 11111111 22223333 44445555 55555555 0000003e';

describe('XDR scalars and strings (§2)', () => {
  test.each([
    ['int', -1, 'ffffffff'],
    ['int', 62, '0000003e'],
    ['uint', 3, '00000003'],
    ['hyper', 1044480, '00000000000ff000'],
    ['uhyper', 131072, '0000000000020000'],
    ['uchar', 1, '00000001'],
    ['bool', true, '00000001'],
    ['string', 'rpcf-vm', '0000000772706366' + '2d766d00'],
    ['string', '', '00000000'],
    ['string?', 'qemu:///system', '00000001 0000000e 71656d75 3a2f2f2f 73797374 656d0000'],
    ['string?', null, '00000000'],
    ['string?', '', '00000001 00000000'],
    ['int<20>', [0], '00000001 00000000'],
    ['uuid', DOM.uuid, '11111111 22223333 44445555 55555555'],
  ])('%s %p', (type, value, golden) => {
    const g = golden.replace(/\s+/g, '');
    expect(enc(type, value)).toBe(g);
    expect(dec(type, g)).toEqual(type === 'bool' ? true : value);
  });

  test('double is 8-byte IEEE big-endian', () => {
    expect(enc('double', 1.5)).toBe('3ff8000000000000');
    expect(dec('double', '3ff8000000000000')).toBe(1.5);
  });

  test('uhyper beyond 2^53 is a bigint both ways', () => {
    expect(enc('uhyper', 0xffffffffffffffffn)).toBe('ffffffffffffffff');
    expect(dec('uhyper', 'ffffffffffffffff')).toBe(0xffffffffffffffffn);
    expect(dec('hyper', '8000000000000000')).toBe(-(1n << 63n));
    expect(dec('uhyper', '0020000000000000')).toBe(2n ** 53n);
    expect(dec('uhyper', '001fffffffffffff')).toBe(2 ** 53 - 1);
    expect(() => enc('uhyper', -1)).toThrow(XdrError);
    expect(() => enc('int', 2 ** 31)).toThrow(XdrError);
  });

  test('char[32] fixed array: NODE_GET_INFO.model "x86_64"', () => {
    const golden = '00000078 00000038 00000036 0000005f 00000036 00000034'.replace(/\s+/g, '') + '00000000'.repeat(26);
    expect(enc('char[32]', 'x86_64')).toBe(golden);
    expect(dec('char[32]', golden)).toBe('x86_64');
  });

  test('char<257> variable array: NODE_GET_SECURITY_MODEL.model "none\\0"', () => {
    const golden = '00000005 0000006e 0000006f 0000006e 00000065 00000000'.replace(/\s+/g, '');
    expect(enc('char<257>', 'none')).toBe(golden);
    expect(dec('char<257>', golden)).toBe('none');
  });

  test('opaque and inline structs', () => {
    expect(enc('opaque<8>', Buffer.from([1, 2, 3]))).toBe('0000000301020300');
    expect(enc('opaque[3]', Buffer.from([1, 2, 3]))).toBe('01020300');
    expect(enc('{a:int,b:string}', { a: 1, b: 'x' })).toBe('00000001' + '00000001' + '78000000');
    expect(dec('{a:int,b:string}<2>', '00000001 00000001 00000001 78000000')).toEqual([{ a: 1, b: 'x' }]);
  });
});

describe('handles (§2.1)', () => {
  test('Dom of an active domain (LOOKUP_BY_NAME reply body)', () => {
    expect(enc('Dom', DOM)).toBe(DOM_HEX.replace(/\s+/g, ''));
    expect(dec('Dom', DOM_HEX)).toEqual(DOM);
  });
  test('inactive Dom has id -1; optional Dom', () => {
    expect(enc('Dom', { ...DOM, id: -1 }).slice(-8)).toBe('ffffffff');
    expect(enc('Dom?', null)).toBe('00000000');
    expect(dec('Dom?', '00000001' + DOM_HEX)).toEqual(DOM);
  });
  test('Snap, Vol, Pool', () => {
    const snap = { name: 's', domain: DOM };
    expect(dec('Snap', enc('Snap', snap))).toEqual(snap);
    const vol = { pool: 'p', name: 'v1.raw', key: '/k' };
    expect(dec('Vol', enc('Vol', vol))).toEqual(vol);
    const pool = { name: 'p', uuid: DOM.uuid };
    expect(dec('Pool', enc('Pool', pool))).toEqual(pool);
  });
});

describe('typed params (§2.2)', () => {
  test('DOMAIN_GET_JOB_STATS reply (subset)', () => {
    const golden = `00000003 00000003
      00000009 6f706572 6174696f 6e000000 00000001 00000009
      0000000c 74696d65 5f656c61 70736564 00000004 00000000 00000032
      00000007 73756363 65737300 00000006 00000001`;
    const layout = [
      ['type', 'int'],
      ['params', 'TP<64>'],
    ] as const;
    const value = {
      type: 3,
      params: [
        { field: 'operation', type: TypedParamType.INT, value: 9 },
        { field: 'time_elapsed', type: TypedParamType.ULLONG, value: 50 },
        { field: 'success', type: TypedParamType.BOOLEAN, value: true },
      ],
    };
    expect(encodeStruct(layout, value).toString('hex')).toBe(hex(golden).toString('hex'));
    expect(decodeStruct(layout, hex(golden))).toEqual(value);
  });
  test('a plain record is encoded with guessed types', () => {
    const bytes = enc('TP<4>', { a: 'x', b: true, c: 5 });
    const back = dec('TP<4>', bytes) as { field: string; type: number }[];
    expect(back.map((p) => [p.field, p.type])).toEqual([
      ['a', 7],
      ['b', 6],
      ['c', 4],
    ]);
  });
  test('a repeated string field (a string list) travels as one entry per item and comes back as one field', () => {
    const bytes = enc('TP<8>', { migrate_disks: ['vda', 'vdb'], bandwidth: 5 });
    const back = dec('TP<8>', bytes) as Parameters<typeof typedParamsToRecord>[0];
    expect(back.map((p) => [p.field, p.value])).toEqual([
      ['migrate_disks', 'vda'],
      ['migrate_disks', 'vdb'],
      ['bandwidth', 5],
    ]);
    expect(typedParamsToRecord(back)).toEqual({ migrate_disks: ['vda', 'vdb'], bandwidth: 5 });
  });
  test('more params than the max is an error', () => {
    expect(() => dec('TP<1>', '00000002')).toThrow(/maximum 1/);
  });
});

describe('bounds and truncation', () => {
  test('truncated input gives a clear error', () => {
    expect(() => dec('Dom', '00000007 72706366')).toThrow(/truncated XDR input/);
    expect(() => dec('hyper', '000000')).toThrow(/truncated XDR input: hyper needs 8 bytes/);
  });
  test('variable arrays enforce their max', () => {
    expect(() => dec('int<2>', '00000003 00000000 00000000 00000000')).toThrow(/exceeds its maximum 2/);
    expect(() => enc('int<2>', [1, 2, 3])).toThrow(XdrError);
  });
  test('an impossible count is refused before allocating', () => {
    expect(() => dec('Dom<16384>', '00004000')).toThrow(/cannot fit/);
  });
  test('strings are capped at 4 MiB', () => {
    expect(() => dec('string', '00400001')).toThrow(/exceeds its maximum 4194304/);
    expect(() => enc('string', 'x'.repeat(4 * 1024 * 1024 + 1))).toThrow(XdrError);
  });
  test('strings are strict UTF-8: malformed bytes are refused, never replaced', () => {
    // "a\xff" and "a\xfe" would both decode to "a\ufffd" and name one domain.
    expect(() => dec('string', '00000002 61ff0000')).toThrow(/not valid UTF-8/);
    expect(() => dec('string', '00000002 61fe0000')).toThrow(XdrError);
    expect(() => dec('string', '00000002 c3280000')).toThrow(/not valid UTF-8/); // bad continuation
    expect(() => dec('string', '00000003 eda08000')).toThrow(/not valid UTF-8/); // encoded surrogate
    expect(() => dec('char<8>', '00000002 000000ff 00000000')).toThrow(/not valid UTF-8/);
    expect(dec('string', '00000006 efbbbf61 c3a90000')).toBe('\ufeffaé'); // a BOM is kept as text
    expect(() => enc('string', 'a\ud800')).toThrow(/lone surrogate/);
    expect(enc('string', '😀')).toBe('00000004f09f9880');
  });
  test('bad optional flag and malformed type strings', () => {
    expect(() => dec('string?', '00000002')).toThrow(/presence flag/);
    expect(() => parseXdrType('int<')).toThrow(XdrError);
    expect(() => parseXdrType('Bogus')).toThrow(/unknown type/);
  });
  test('trailing bytes are refused only in exact mode', () => {
    expect(() => decodeStruct([['a', 'int']], hex('00000001 00000002'))).toThrow(/trailing/);
    expect(decodeStruct([['a', 'int']], hex('00000001 00000002'), 0, false)).toEqual({ a: 1 });
  });
});

describe('frames (§1)', () => {
  const authList = '0000001c 20008086 00000001 00000042 00000000 00000000 00000000';

  test('AUTH_LIST call frame', () => {
    const f = encodeFrame({ prog: PROGRAM.REMOTE, vers: 1, proc: 66, type: MessageType.CALL, serial: 0, status: MessageStatus.OK });
    expect(f.toString('hex')).toBe(hex(authList).toString('hex'));
    expect(decodeHeader(f)).toEqual({ prog: PROGRAM.REMOTE, vers: 1, proc: 66, type: 0, serial: 0, status: 0 });
  });

  test('keepalive PING', () => {
    const f = encodeFrame({ prog: PROGRAM.KEEPALIVE, vers: 1, proc: 1, type: MessageType.MESSAGE, serial: 0, status: MessageStatus.OK });
    expect(f.toString('hex')).toBe('0000001c6b656570000000010000000100000002' + '0000000000000000');
  });

  test('STREAM_HOLE frame', () => {
    const golden = '00000028 20008086 00000001 000000d1 00000006 0000000a 00000002 00000000 000ff000 00000000';
    const payload = encodeStruct(
      [
        ['length', 'hyper'],
        ['flags', 'uint'],
      ],
      { length: 0xff000, flags: 0 },
    );
    const f = encodeFrame(
      { prog: PROGRAM.REMOTE, vers: 1, proc: 209, type: MessageType.STREAM_HOLE, serial: 10, status: MessageStatus.CONTINUE },
      payload,
    );
    expect(f.toString('hex')).toBe(hex(golden).toString('hex'));
  });

  test('DEFINED lifecycle event (72 bytes)', () => {
    const golden = `00000048 20008086 00000001 0000013e 00000002 00000001 00000000 00000000 ${DOM_HEX.replace('0000003e', 'ffffffff')} 00000000 00000000`;
    const layout = EVENT_MESSAGES.find((e) => e.eventId === 0)!;
    const payload = encodeStruct(layout.fields, { callbackID: 0, dom: { ...DOM, id: -1 }, event: 0, detail: 0 });
    const f = encodeFrame(
      { prog: PROGRAM.REMOTE, vers: 1, proc: layout.proc, type: MessageType.MESSAGE, serial: 1, status: MessageStatus.OK },
      payload,
    );
    expect(f.toString('hex')).toBe(hex(golden).toString('hex'));
  });

  test('BLOCK_JOB_2 event body', () => {
    const layout = EVENT_MESSAGES.find((e) => e.eventId === 16)!;
    expect(layout.proc).toBe(0x153);
    const body = encodeStruct(layout.fields, { callbackID: 4, dom: DOM, dst: 'vda', type: 4, status: 3 });
    expect(body.toString('hex')).toBe(hex(`00000004 ${DOM_HEX} 00000003 76646100 00000004 00000003`).toString('hex'));
  });

  test('DOMAIN_GET_INFO reply body (32 bytes)', () => {
    const ret = [
      ['state', 'uchar'],
      ['maxMem', 'uhyper'],
      ['memory', 'uhyper'],
      ['nrVirtCpu', 'ushort'],
      ['cpuTime', 'uhyper'],
    ] as const;
    const golden = '00000001 00000000 00020000 00000000 00020000 00000001 00000000 fdea7100';
    const v = { state: 1, maxMem: 131072, memory: 131072, nrVirtCpu: 1, cpuTime: 4260000000 };
    expect(encodeStruct(ret, v).toString('hex')).toBe(hex(golden).toString('hex'));
    expect(decodeStruct(ret, hex(golden))).toEqual(v);
  });

  test('decoder splits frames arriving byte by byte and in bulk', () => {
    const one = hex(authList);
    const d = new FrameDecoder();
    const got = [];
    for (const b of Buffer.concat([one, one])) got.push(...d.push(Buffer.from([b])));
    expect(got).toHaveLength(2);
    expect(d.push(Buffer.concat([one, one, one.subarray(0, 5)]))).toHaveLength(2);
    expect(d.pending).toBe(5);
  });

  test('the byte each descriptor rides on after a *_WITH_FDS frame is dropped, arriving whole or apart', () => {
    const nfds = Buffer.alloc(4);
    nfds.writeUInt32BE(2);
    const withFds = encodeFrame(
      { prog: PROGRAM.REMOTE, vers: 1, proc: 249, type: MessageType.CALL_WITH_FDS, serial: 7, status: MessageStatus.OK },
      nfds,
    );
    const next = hex(authList);
    const whole = new FrameDecoder().push(Buffer.concat([withFds, Buffer.from([0, 0]), next]));
    expect(whole.map((f) => [f.header.type, f.header.serial])).toEqual([
      [MessageType.CALL_WITH_FDS, 7],
      [MessageType.CALL, 0],
    ]);
    const d = new FrameDecoder();
    expect(d.push(Buffer.concat([withFds, Buffer.from([0])]))).toHaveLength(1);
    expect(d.push(Buffer.from([0]))).toEqual([]);
    expect(d.push(next)).toHaveLength(1);
  });

  test('length limits: 32 MiB + 4 accepted, one more refused, too short refused', () => {
    const len = (n: number): Buffer => {
      const b = Buffer.alloc(4);
      b.writeUInt32BE(n);
      return b;
    };
    expect(new FrameDecoder().push(len(33554436))).toEqual([]);
    expect(() => new FrameDecoder().push(len(33554437))).toThrow(FrameError);
    expect(() => new FrameDecoder().push(len(8))).toThrow(/too short/);
    expect(() => encodeFrame({ prog: 1, vers: 1, proc: 1, type: 0, serial: 0, status: 0 }, Buffer.alloc(33554432))).toThrow(FrameError);
  });
});

describe('remote_error (§1.7)', () => {
  test('the observed 224-byte NO_DOMAIN reply', () => {
    const message = "Domain not found: no domain with matching name 'no-such-domain-rpcf'";
    const detail = "no domain with matching name 'no-such-domain-rpcf'";
    const golden = `000000e0 20008086 00000001 00000017 00000001 00000006 00000001
      0000002a 0000000a
      00000001 00000044 ${str(message)}
      00000002 00000000
      00000001 00000014 ${str('Domain not found: %s')}
      00000001 00000032 ${str(detail)} 0000
      00000000 ffffffff ffffffff 00000000`;
    const err = new VirError({ code: 42, domain: 10, message, str1: 'Domain not found: %s', str2: detail });
    const f = encodeFrame(
      { prog: PROGRAM.REMOTE, vers: 1, proc: 23, type: MessageType.REPLY, serial: 6, status: MessageStatus.ERROR },
      encodeRemoteError(err),
    );
    expect(f.length).toBe(224);
    expect(f.toString('hex')).toBe(hex(golden).toString('hex'));
    expect(decodeRemoteError(f, 28)).toMatchObject({
      code: 42,
      domain: 10,
      message,
      level: 2,
      str1: 'Domain not found: %s',
      str2: detail,
      str3: null,
      int1: -1,
      int2: -1,
    });
  });

  test('unknown procedure error', () => {
    const r = decodeRemoteError(encodeRemoteError(unknownProcedureError(9999)));
    expect(r).toMatchObject({ code: 39, domain: 7, level: 2, message: 'unknown procedure: 9999' });
  });

  test('non-VirError values, look-alikes included, become internal errors', () => {
    expect(decodeRemoteError(encodeRemoteError(new Error('boom')))).toMatchObject({ code: 1, message: 'internal error: boom' });
    // One copy of core exists in every build, so only a real VirError carries its own code.
    const alike = Object.assign(new Error('x'), { code: 55, domain: 20, str1: null, str2: null, str3: null, int1: -1, int2: -1, level: 2 });
    expect(decodeRemoteError(encodeRemoteError(alike))).toMatchObject({ code: 1, message: 'internal error: x' });
    expect(decodeRemoteError(encodeRemoteError(VirError.invalidArg('y')))).toMatchObject({ code: 8, message: 'invalid argument: y' });
  });
});

describe('the generated procedure table', () => {
  test('protocol constants agree with the numbers api/ records', () => {
    for (const [name, proc] of Object.entries(REMOTE_PROC)) {
      const p = PROCEDURES.find((x) => x.procName === `REMOTE_PROC_${name}`);
      if (p) expect([name, p.proc]).toEqual([name, proc]);
    }
    expect(CORE_LAYOUTS[REMOTE_PROC.CONNECT_OPEN]).toEqual({
      args: [
        ['name', 'string?'],
        ['flags', 'uint'],
      ],
      ret: [],
      // remote_protocol.x marks it `@priority: high`: a prio worker may open a connection
      highPriority: true,
    });
  });

  test('lookup by program and number; every entry carries its ACL permissions', () => {
    const t = procedureTable();
    expect(t.get('remote', 23)?.c).toBe('virDomainLookupByName');
    expect(t.get('qemu', 1)?.c).toBe('virDomainQemuMonitorCommand');
    expect(t.get('remote', 9999)).toBeUndefined();
    expect(t.get('remote', 12)).toMatchObject({ acl: ['domain:stop'], readOnlySafe: false });
    expect(t.get('remote', 14)).toMatchObject({ acl: ['domain:read'], readOnlySafe: true });
  });

  test('the codec parses every layout of api/, event messages included', () => {
    expect(() => procedureTable()).not.toThrow();
    for (const e of EVENT_MESSAGES) for (const [, type] of e.fields) expect(() => parseXdrType(type)).not.toThrow();
    expect(() => new ProcedureTable([{ ...PROCEDURES[0], ret: [['x', 'NoSuchRecord']] }])).toThrow(XdrError);
  });

  test('zero values of a layout are what all-zero bytes decode to', () => {
    const ret = PROCEDURES.find((p) => p.procName === 'REMOTE_PROC_DOMAIN_GET_BLOCK_JOB_INFO')!.ret;
    expect(zeroStruct(ret)).toEqual({ found: 0, type: 0, bandwidth: 0, cur: 0, end: 0 });
    expect(
      zeroStruct([
        ['s', 'string'],
        ['o', 'string?'],
        ['l', 'Dom<16>'],
        ['d', 'Dom'],
      ]),
    ).toEqual({ s: '', o: null, l: [], d: { name: '', uuid: '00000000-0000-0000-0000-000000000000', id: 0 } });
  });
});
