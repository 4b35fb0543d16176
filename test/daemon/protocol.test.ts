/**
 * virtkitd at the byte level: the preamble, reactions to bad input (docs/wire-protocol.md §1.8),
 * keepalive, daemon-wide callback IDs, and a fuzz run that must not disturb a well-behaved client.
 */
import * as net from 'node:net';
import { randomBytes, randomInt } from 'node:crypto';
import { MessageStatus, MessageType, PROCEDURES, PROGRAM, encodeFrame, encodeStruct, type FieldLayout } from '@virtkit/protocol';
import { RawClient, startDaemon, type RunningDaemon } from '@virtkit/testkit';

const OPEN: FieldLayout = [
  ['name', 'string?'],
  ['flags', 'uint'],
];
const LIST_ALL: [FieldLayout, FieldLayout] = [
  [
    ['need_results', 'int'],
    ['flags', 'uint'],
  ],
  [
    ['domains', 'Dom<16384>'],
    ['ret', 'uint'],
  ],
];

let daemon: RunningDaemon;
beforeAll(async () => {
  daemon = await startDaemon(['--config', '/dev/null']);
});
afterAll(async () => {
  expect(await daemon?.stop()).toBe(0);
});

async function client(ro = false): Promise<RawClient> {
  const c = new RawClient(ro ? daemon.sockRo : daemon.sock);
  await c.connected();
  return c;
}

async function opened(uri = 'test:///default'): Promise<RawClient> {
  const c = await client();
  expect((await c.call(66, [], {}, [['types', 'int<20>']])).ok).toEqual({ types: [0] });
  expect((await c.call(1, OPEN, { name: uri, flags: 0 })).ok).toEqual({});
  return c;
}

describe('preamble and protocol-level calls', () => {
  test('AUTH_LIST, feature probes, CONNECT_OPEN with the default URI, GET_URI, close', async () => {
    const c = await client();
    expect((await c.call(66, [], {}, [['types', 'int<20>']])).ok).toEqual({ types: [0] });
    const feat = async (n: number): Promise<unknown> =>
      (await c.call(60, [['feature', 'int']], { feature: n }, [['supported', 'int']])).ok?.supported;
    expect(await feat(10)).toBe(1);
    expect((await c.call(1, OPEN, { name: '', flags: 0 })).ok).toEqual({});
    expect(await feat(14)).toBe(1);
    expect(await feat(15)).toBe(1);
    expect(await feat(16)).toBe(1);
    // FD_PASSING: on a UNIX socket virtkitd sends descriptors (virDomainOpenGraphicsFD's).
    expect(await feat(8)).toBe(1);
    expect(await feat(1234)).toBe(0);
    expect((await c.call(360)).ok).toEqual({});
    expect((await c.call(110, [], {}, [['uri', 'string']])).ok).toEqual({ uri: 'test:///default' });
    expect((await c.call(361)).ok).toEqual({});
    expect((await c.call(2)).ok).toEqual({});
    c.close();
  });

  test('keepalive PING is answered with PONG, even before AUTH_LIST', async () => {
    const c = await client();
    c.write(encodeFrame({ prog: PROGRAM.KEEPALIVE, vers: 1, proc: 1, type: MessageType.MESSAGE, serial: 0, status: MessageStatus.OK }));
    const f = await c.next((x) => x.header.prog === PROGRAM.KEEPALIVE);
    expect(f.header).toEqual({ prog: PROGRAM.KEEPALIVE, vers: 1, proc: 2, type: MessageType.MESSAGE, serial: 0, status: 0 });
    c.close();
  });

  test('bad input answers as libvirtd does', async () => {
    const c = await client();
    const unknown = await c.call(9999);
    expect(unknown.err).toMatchObject({ code: 39, domain: 7, level: 2, message: 'unknown procedure: 9999' });
    expect(unknown.frame.header.proc).toBe(9999);
    const vers = await c.call(66, [], {}, [], { vers: 2 });
    expect(vers.err).toMatchObject({ code: 39, domain: 7, message: 'Cannot find program 536903814 version 2' });
    expect(vers.frame.header.vers).toBe(2);
    const prog = await c.call(66, [], {}, [], { prog: 0x12345678 });
    expect(prog.err).toMatchObject({ code: 39, domain: 7, message: 'Cannot find program 305419896 version 1' });
    const notOpen = await c.call(273, LIST_ALL[0], { need_results: 1, flags: 0 });
    expect(notOpen.err).toMatchObject({ code: 1, domain: 7, message: 'internal error: hypervisor connection not open' });
    // A CALL with status ERROR.
    c.write(encodeFrame({ prog: PROGRAM.REMOTE, vers: 1, proc: 66, type: MessageType.CALL, serial: 500, status: MessageStatus.ERROR }));
    const st = await c.next((f) => f.header.serial === 500);
    expect(st.header.status).toBe(MessageStatus.ERROR);
    c.close();
    const o = await opened();
    // DOMAIN_LOOKUP_BY_NAME with a string length but no bytes.
    o.write(
      encodeFrame({ prog: PROGRAM.REMOTE, vers: 1, proc: 23, type: MessageType.CALL, serial: 77, status: 0 }, Buffer.from([0, 0, 0, 10])),
    );
    const trunc = await o.next((f) => f.header.serial === 77);
    expect(trunc.header.status).toBe(MessageStatus.ERROR);
    // Unknown-procedure errors the client turns into NO_SUPPORT; MESSAGE and stray STREAM frames are dropped.
    o.write(encodeFrame({ prog: PROGRAM.REMOTE, vers: 1, proc: 318, type: MessageType.MESSAGE, serial: 1, status: 0 }));
    o.write(
      encodeFrame(
        { prog: PROGRAM.REMOTE, vers: 1, proc: 208, type: MessageType.STREAM, serial: 4242, status: MessageStatus.CONTINUE },
        Buffer.from('xx'),
      ),
    );
    const list = await o.call(273, LIST_ALL[0], { need_results: 1, flags: 0 }, LIST_ALL[1]);
    expect((list.ok!.domains as { name: string }[]).map((d) => d.name)).toEqual(['test']);
    expect(o.frames).toEqual([]);
    o.close();
  });

  test('oversized and too-short length words end only that connection', async () => {
    for (const len of [33554437, 8]) {
      const bad = await client();
      const b = Buffer.alloc(4);
      b.writeUInt32BE(len);
      bad.write(b);
      await expect(bad.next(() => true, 3000)).rejects.toThrow(/closed/);
    }
    const good = await opened();
    expect((await good.call(273, LIST_ALL[0], { need_results: 0, flags: 0 }, LIST_ALL[1])).ok).toEqual({ domains: [], ret: 1 });
    good.close();
  });

  test('read-only socket: reads allowed, writes denied with OPERATION_DENIED', async () => {
    const c = await client(true);
    await c.call(66, [], {}, [['types', 'int<20>']]);
    expect((await c.call(1, OPEN, { name: 'test:///default', flags: 0 })).ok).toEqual({});
    const dom = (await c.call(23, [['name', 'string']], { name: 'test' }, [['dom', 'Dom']])).ok!.dom;
    const r = await c.call(12, [['dom', 'Dom']], { dom });
    expect(r.err).toMatchObject({ code: 29, domain: 20, message: 'operation forbidden: read only access prevents virDomainDestroy' });
    c.close();
  });

  test('callback IDs come from one daemon-wide counter; events arrive as MESSAGE serial 1', async () => {
    const a = await opened();
    const b = await opened();
    const reg = [
      ['eventID', 'int'],
      ['dom', 'Dom?'],
    ] as const;
    const ida = (await a.call(316, reg, { eventID: 0, dom: null }, [['callbackID', 'int']])).ok!.callbackID as number;
    const idb = (await b.call(316, reg, { eventID: 0, dom: null }, [['callbackID', 'int']])).ok!.callbackID as number;
    const idb2 = (await b.call(316, reg, { eventID: 16, dom: null }, [['callbackID', 'int']])).ok!.callbackID as number;
    expect(new Set([ida, idb, idb2]).size).toBe(3);
    expect(idb2).toBeGreaterThan(idb);
    expect((await a.call(316, reg, { eventID: 999, dom: null })).err).toMatchObject({ code: 8 });
    // Suspend on b: a's registration receives a lifecycle message.
    const dom = (await b.call(23, [['name', 'string']], { name: 'test' }, [['dom', 'Dom']])).ok!.dom;
    expect((await b.call(34, [['dom', 'Dom']], { dom })).ok).toEqual({});
    const ev = await a.next((f) => f.header.type === MessageType.MESSAGE && f.header.proc === 318);
    expect(ev.header.serial).toBe(1);
    expect(ev.payload.readInt32BE(0)).toBe(ida);
    expect((await b.call(28, [['dom', 'Dom']], { dom })).ok).toEqual({});
    expect((await a.call(317, [['callbackID', 'int']], { callbackID: ida })).ok).toEqual({});
    expect((await a.call(317, [['callbackID', 'int']], { callbackID: ida })).err).toMatchObject({ code: 8 });
    a.close();
    b.close();
  });
});

describe('fuzz', () => {
  const procs = PROCEDURES.filter((p) => p.program === 'remote')
    .map((p) => p.proc)
    .concat([1, 2, 60, 66, 110, 316, 317, 360, 361, 105, 106, 167, 168, 9999]);

  function randomFrame(): Buffer {
    switch (randomInt(6)) {
      case 0:
        return randomBytes(randomInt(1, 200));
      case 1: {
        // sane length, random header and payload
        const body = randomBytes(24 + randomInt(0, 300));
        const b = Buffer.alloc(4);
        b.writeUInt32BE(body.length + 4);
        return Buffer.concat([b, body]);
      }
      case 2:
      case 3: // well-formed call, random arguments
        return encodeFrame(
          {
            prog: PROGRAM.REMOTE,
            vers: 1,
            proc: procs[randomInt(procs.length)],
            type: MessageType.CALL,
            serial: randomInt(1000),
            status: 0,
          },
          randomBytes(randomInt(0, 120)),
        );
      case 4: {
        // truncated: the length promises more than is sent
        const f = encodeFrame({ prog: PROGRAM.REMOTE, vers: 1, proc: 23, type: 0, serial: 1, status: 0 }, randomBytes(64));
        return f.subarray(0, randomInt(4, f.length));
      }
      default: {
        // oversized
        const b = Buffer.alloc(28);
        b.writeUInt32BE(33554437 + randomInt(1000));
        return b;
      }
    }
  }

  async function fuzzer(until: number): Promise<number> {
    let sent = 0;
    while (Date.now() < until) {
      const s = net.connect(daemon.sock);
      s.on('error', () => undefined);
      await new Promise<void>((r) => s.once('connect', () => r()).once('error', () => r()));
      if (randomInt(2))
        s.write(
          encodeFrame(
            { prog: PROGRAM.REMOTE, vers: 1, proc: 1, type: 0, serial: 0, status: 0 },
            encodeStruct(OPEN, { name: 'test:///default', flags: 0 }),
          ),
        );
      for (let i = 0; i < 20 && !s.destroyed && Date.now() < until; i++) {
        s.write(randomFrame());
        sent++;
        await new Promise((r) => setTimeout(r, randomInt(0, 5)));
      }
      s.destroy();
    }
    return sent;
  }

  test('random, truncated and oversized frames for ~5 s while a client keeps working', async () => {
    const until = Date.now() + 5000;
    const good = await opened();
    const fuzzers = Promise.all([0, 1, 2, 3].map(() => fuzzer(until)));
    let calls = 0;
    while (Date.now() < until) {
      const r = await good.call(273, LIST_ALL[0], { need_results: 1, flags: 3 }, LIST_ALL[1]);
      expect(r.err).toBeUndefined();
      expect((r.ok!.domains as { name: string }[]).some((d) => d.name === 'test')).toBe(true);
      const info = await good.call(23, [['name', 'string']], { name: 'test' }, [['dom', 'Dom']]);
      expect(info.ok!.dom).toMatchObject({ name: 'test' });
      calls++;
    }
    const sent = (await fuzzers).reduce((a, b) => a + b, 0);
    expect(sent).toBeGreaterThan(100);
    expect(calls).toBeGreaterThan(20);
    expect(daemon.proc.exitCode).toBeNull();
    good.close();
    const after = await opened();
    expect((await after.call(273, LIST_ALL[0], { need_results: 1, flags: 0 }, LIST_ALL[1])).err).toBeUndefined();
    after.close();
  }, 30000);
});
