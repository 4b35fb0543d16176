/**
 * The remote driver when the peer misbehaves, against a real virtkitd: answering the server's
 * keepalive PINGs, detecting a server that stopped answering (SIGSTOP) by our own PINGs, reopening
 * on the next call, and re-registering events after the reconnect.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Duplex } from 'node:stream';
import { createRemoteDriver } from '../src';
import { open, registerDriver, resetRegistry, type DomainEvent } from '@virtkit/core';
import { openTransport } from '../src/transport';
import type { RemoteTarget } from '../src';
import { startDaemon, type RunningDaemon } from '@virtkit/testkit';
import { waitFor } from '@virtkit/testkit';

let daemon: RunningDaemon;
let configDir: string;
let uri: string;
let transportsOpened = 0;

async function countingTransport(t: RemoteTarget): Promise<Duplex> {
  transportsOpened++;
  return openTransport(t);
}

beforeAll(async () => {
  configDir = fs.mkdtempSync(path.join(os.tmpdir(), 'remote-resilience-'));
  const config = path.join(configDir, 'virtkitd.conf');
  // The server pings after 1 s of silence and gives up after 2 unanswered PINGs (~3 s).
  fs.writeFileSync(config, 'keepalive_interval = 1\nkeepalive_count = 2\n');
  daemon = await startDaemon(['--config', config]);
  uri = `test+unix:///default?socket=${daemon.sock}`;
});
afterAll(async () => {
  if (daemon?.proc.pid) process.kill(daemon.proc.pid, 'SIGCONT');
  await daemon?.stop();
  fs.rmSync(configDir, { recursive: true, force: true });
  resetRegistry();
});

test("the server's PINGs are answered: an idle connection outlives the server's keepalive limit", async () => {
  registerDriver(createRemoteDriver({ keepalive: { interval: 0, count: 0 }, openTransport: countingTransport }));
  transportsOpened = 0;
  const conn = await open(uri);
  await new Promise((r) => setTimeout(r, 4500));
  expect(await conn.isAlive()).toBe(true);
  expect(await conn.getType()).toBe('TEST');
  expect(transportsOpened).toBe(1);
  await conn.close();
});

test('a silent server is detected by keepalive; the next call reopens; events are registered again', async () => {
  registerDriver(createRemoteDriver({ keepalive: { interval: 1, count: 1 }, reconnectDelays: [100], openTransport: countingTransport }));
  transportsOpened = 0;
  const conn = await open(uri);
  const listener = await open(uri);
  const seen: DomainEvent[] = [];
  await listener.domainEventRegisterAny(null, 0, (_c, _d, ev) => seen.push(ev));
  expect(transportsOpened).toBe(2);

  process.kill(daemon.proc.pid!, 'SIGSTOP');
  const stuck = conn.getType();
  await expect(stuck).rejects.toMatchObject({ message: 'internal error: connection closed due to keepalive timeout' });
  expect(await conn.isAlive()).toBe(false);
  await waitFor(() => transportsOpened >= 3, 5000, 'the listener to start reconnecting');
  process.kill(daemon.proc.pid!, 'SIGCONT');

  expect(await conn.getType()).toBe('TEST');
  expect(await conn.isAlive()).toBe(true);
  // The listener reconnects in the background; once it answers, its events are registered again.
  expect(await listener.getType()).toBe('TEST');
  expect(await listener.isAlive()).toBe(true);
  expect(transportsOpened).toBe(4);
  const dom = await conn.defineXML(
    "<domain type='test'><name>after-reconnect</name><memory>65536</memory><os><type>hvm</type></os></domain>",
  );
  await waitFor(() => seen.some((e) => e.dom.name === 'after-reconnect'), 5000, 'the DEFINED event after reconnect');
  expect(seen.find((e) => e.dom.name === 'after-reconnect')).toMatchObject({ eventId: 0, event: 0 });
  await dom.undefine();
  await listener.close();
  await conn.close();
});
