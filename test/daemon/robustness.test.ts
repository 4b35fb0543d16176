/**
 * virtkitd stays up for everyone else: a driver that throws, rejects with nothing, returns what the
 * wire cannot carry or fails later from a timer costs only the call that met it; many clients at
 * once; and SIGTERM / SIGINT shut down cleanly (clients closed, sockets removed, exit 0).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { VirStream, open } from '@virtkit/core';
import { PROCEDURES, type FieldLayout } from '@virtkit/protocol';
import { RawClient, startDaemon, type RunningDaemon } from '@virtkit/testkit';

const OPEN: FieldLayout = [
  ['name', 'string?'],
  ['flags', 'uint'],
];
const FAULTY_DRIVER = path.join(__dirname, 'fixtures', 'faulty-driver.js');

function proc(spi: string): { num: number; ret: FieldLayout } {
  const p = PROCEDURES.find((x) => x.spi === spi && x.program === 'remote')!;
  return { num: p.proc, ret: p.ret as FieldLayout };
}

async function opened(sock: string, uri: string): Promise<RawClient> {
  const c = new RawClient(sock);
  await c.connected();
  expect((await c.call(66, [], {}, [['types', 'int<20>']])).ok).toEqual({ types: [0] });
  const r = await c.call(1, OPEN, { name: uri, flags: 0 });
  expect(r.err).toBeUndefined();
  return c;
}

async function domainCount(c: RawClient): Promise<number> {
  const r = await c.call(proc('connectNumOfDomains').num, [], {}, proc('connectNumOfDomains').ret);
  return r.ok!.num as number;
}

describe('a failing driver call costs only that call', () => {
  let daemon: RunningDaemon;
  beforeAll(async () => {
    daemon = await startDaemon(['--config', '/dev/null'], { VIRTKIT_DRIVERS: FAULTY_DRIVER });
  });
  afterAll(async () => {
    expect(await daemon?.stop()).toBe(0);
  });

  test('each fault answers an internal error; the faulty client and a bystander carry on', async () => {
    const bystander = await opened(daemon.sock, 'test:///default');
    const faulty = await opened(daemon.sock, 'faulty:///');
    const ask = async (spi: string) => (await faulty.call(proc(spi).num, [], {}, proc(spi).ret)).err;

    expect(await ask('connectGetType')).toMatchObject({
      code: 1,
      message: "internal error: Cannot read properties of undefined (reading 'type')",
    });
    expect(await ask('connectGetHostname')).toMatchObject({ code: 1, message: 'internal error: undefined' });
    expect((await ask('connectGetCapabilities'))?.code).toBe(1);
    expect(await domainCount(bystander)).toBeGreaterThan(0);

    // A failure thrown later, outside any call, is logged; nobody is disconnected.
    expect((await faulty.call(proc('connectGetVersion').num, [], {}, proc('connectGetVersion').ret)).ok).toEqual({ hv_ver: 1000000 });
    const deadline = Date.now() + 5000;
    while (!/uncaught exception: Error: stray failure from a driver timer/.test(daemon.stderr()) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(daemon.stderr()).toMatch(/uncaught exception: Error: stray failure from a driver timer/);
    expect(daemon.proc.exitCode).toBeNull();
    expect(await ask('connectGetType')).toMatchObject({ code: 1 });
    expect(await domainCount(bystander)).toBeGreaterThan(0);
    expect(faulty.closed || bystander.closed).toBe(false);
    faulty.close();
    bystander.close();
  });
});

describe('stream aborts', () => {
  test('a client aborting an upload: the stream ends on the server with no stray error, the connection carries on', async () => {
    const daemon = await startDaemon(['--config', '/dev/null']);
    try {
      const conn = await open(`test+unix:///default?socket=${daemon.sock}`);
      const pool = await conn.storagePoolLookupByName('default-pool');
      for (let i = 0; i < 3; i++) {
        const vol = await pool.createXML(`<volume><name>abort-${i}.img</name><capacity>65536</capacity></volume>`);
        const aborted = new VirStream();
        const uploading = vol.upload(aborted, 0, 0);
        aborted.send(Buffer.alloc(1000, 7));
        aborted.upload.destroy(new Error('changed my mind'));
        await expect(uploading).rejects.toThrow('changed my mind');
        expect((await vol.getInfo()).capacity).toBe(65536);
        await vol.delete();
      }
      await conn.close();
      expect(daemon.proc.exitCode).toBeNull();
      expect(daemon.stderr()).not.toMatch(/uncaught|unhandled/);
    } finally {
      expect(await daemon.stop()).toBe(0);
    }
  });
});

describe('many clients, and shutdown', () => {
  test('20 clients at once each get their own answers', async () => {
    const daemon = await startDaemon(['--config', '/dev/null']);
    try {
      const clients = await Promise.all(Array.from({ length: 20 }, () => opened(daemon.sock, 'test:///default')));
      const lookup = proc('domainLookupByName');
      const answers = await Promise.all(
        clients.map(async (c, i) => {
          const names: string[] = [];
          for (let k = 0; k < 10; k++) {
            const r = await c.call(lookup.num, [['name', 'string']], { name: (i + k) % 2 ? 'test' : `missing-${i}` }, lookup.ret);
            names.push(r.ok ? (r.ok.dom as { name: string }).name : `error ${r.err!.code}`);
          }
          return names;
        }),
      );
      answers.forEach((names, i) => {
        expect(names).toEqual(Array.from({ length: 10 }, (_, k) => ((i + k) % 2 ? 'test' : 'error 42')));
      });
      for (const c of clients) c.close();
    } finally {
      await daemon.stop();
    }
  });

  test.each(['SIGTERM', 'SIGINT'] as const)('%s: clients are closed, the sockets removed, exit status 0', async (signal) => {
    const daemon = await startDaemon(['--config', '/dev/null']);
    const clients = [await opened(daemon.sock, 'test:///default'), await opened(daemon.sockRo, 'test:///default')];
    const exited = new Promise<number | null>((r) => daemon.proc.once('exit', (code) => r(code)));
    daemon.proc.kill(signal);
    expect(await exited).toBe(0);
    for (const c of clients) {
      await c.next(() => false, 5000).catch(() => undefined);
      expect(c.closed).toBe(true);
    }
    expect(fs.existsSync(daemon.sock)).toBe(false);
    expect(fs.existsSync(daemon.sockRo)).toBe(false);
    expect(daemon.stderr()).toMatch(new RegExp(`caught ${signal}, shutting down[\\s\\S]*stopped`));
  });
});
