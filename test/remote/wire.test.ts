/**
 * The client's side of the protocol against a scripted peer that replays frames captured from
 * libvirtd 9.0 (docs/wire-protocol.md §6.3): server-assigned callback IDs routing lifecycle and
 * BLOCK_JOB_2 messages to DriverEvents, the server's PING answered, an "unknown procedure" error
 * turned into VIR_ERR_NO_SUPPORT as libvirt's client does, and the CONNECT_OPEN name and flags.
 */
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { ErrorNumber, open, registerDriver, resetRegistry, type DomainEvent } from '@virtkit/core';
import { createRemoteDriver } from '@virtkit/remote';
import {
  FrameDecoder,
  KEEPALIVE_PROC,
  MessageStatus,
  MessageType,
  PROGRAM,
  decodeStruct,
  encodeFrame,
  encodeRemoteError,
  encodeStruct,
  rpcError,
  type Frame,
} from '@virtkit/protocol';

const hex = (s: string): Buffer => Buffer.from(s.replace(/[^0-9a-f]/gi, ''), 'hex');
const DOM = '00000007 72706366 2d766d00 11111111 22223333 44445555 55555555';
/** Lifecycle DEFINED of rpcf-vm, callbackID 0, exactly as libvirtd sent it. */
const DEFINED_FRAME = hex(`00000048 20008086 00000001 0000013e 00000002 00000001 00000000 00000000 ${DOM} ffffffff 00000000 00000000`);
/** BLOCK_JOB_2 (proc 339) for callbackID 4: dst "vda", type 4 ACTIVE_COMMIT, status 3 READY. */
const BLOCK_JOB_2_FRAME = hex(
  `00000050 20008086 00000001 00000153 00000002 00000001 00000000 00000004 ${DOM} 0000003e 00000003 76646100 00000004 00000003`,
);
/** libvirtd's callback IDs in that capture: LIFECYCLE got 0, BLOCK_JOB_2 got 4. */
const CALLBACK_ID: Record<number, number> = { 0: 0, 16: 4 };

interface Peer {
  server: net.Server;
  sock: string;
  calls: Frame[];
  pongs: number;
  client?: net.Socket;
}

function reply(c: net.Socket, f: Frame, payload: Buffer = Buffer.alloc(0), status = MessageStatus.OK): void {
  c.write(encodeFrame({ ...f.header, type: MessageType.REPLY, status }, payload));
}

/** Answers the handshake and event registrations; getType (3) gets libvirtd's unknown-procedure error. */
function answer(peer: Peer, c: net.Socket, f: Frame): void {
  if (f.header.prog === PROGRAM.KEEPALIVE) {
    if (f.header.proc === KEEPALIVE_PROC.PONG) peer.pongs++;
    return;
  }
  peer.calls.push(f);
  switch (f.header.proc) {
    case 66:
      return reply(c, f, encodeStruct([['types', 'int<20>']], { types: [0] }));
    case 60:
      return reply(c, f, encodeStruct([['supported', 'int']], { supported: 1 }));
    case 1:
    case 2:
    case 317:
      return reply(c, f);
    case 316: {
      const { eventID } = decodeStruct(
        [
          ['eventID', 'int'],
          ['dom', 'Dom?'],
        ],
        f.payload,
      );
      return reply(
        c,
        f,
        encodeStruct([['callbackID', 'int']], { callbackID: CALLBACK_ID[eventID as number] ?? 100 + (eventID as number) }),
      );
    }
    default:
      return reply(c, f, encodeRemoteError(rpcError(`unknown procedure: ${f.header.proc}`)), MessageStatus.ERROR);
  }
}

let tmp: string;
let peer: Peer;

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'remote-wire-'));
  peer = { server: net.createServer(), sock: path.join(tmp, 'peer-sock'), calls: [], pongs: 0 };
  peer.server.on('connection', (c) => {
    peer.client = c;
    const dec = new FrameDecoder();
    c.on('data', (d) => dec.push(d).forEach((f) => answer(peer, c, f)));
  });
  await new Promise<void>((r) => peer.server.listen(peer.sock, r));
  registerDriver(createRemoteDriver());
});
afterAll(async () => {
  await new Promise((r) => peer.server.close(r));
  fs.rmSync(tmp, { recursive: true, force: true });
  resetRegistry();
});

test('handshake order, CONNECT_OPEN name without transport or socket, read-only flag', async () => {
  peer.calls = [];
  const conn = await open(`qemu+unix:///system?socket=${peer.sock}&extra=1`, { readOnly: true });
  expect(peer.calls.map((f) => [f.header.serial, f.header.proc])).toEqual([
    [0, 66],
    [1, 60],
    [2, 1],
    [3, 60],
  ]);
  expect(decodeStruct([['feature', 'int']], peer.calls[1].payload)).toEqual({ feature: 10 });
  expect(
    decodeStruct(
      [
        ['name', 'string?'],
        ['flags', 'uint'],
      ],
      peer.calls[2].payload,
    ),
  ).toEqual({ name: 'qemu:///system?extra=1', flags: 1 });
  expect(decodeStruct([['feature', 'int']], peer.calls[3].payload)).toEqual({ feature: 14 });
  await conn.close();
});

test('captured lifecycle and BLOCK_JOB_2 messages reach the callbacks by server callback ID', async () => {
  const conn = await open(`test+unix:///default?socket=${peer.sock}`);
  const seen: DomainEvent[] = [];
  await conn.domainEventRegisterAny(null, 0, (_c, _d, ev) => seen.push(ev));
  await conn.domainEventRegisterAny(null, 16, (_c, _d, ev) => seen.push(ev));
  peer.client!.write(DEFINED_FRAME);
  peer.client!.write(BLOCK_JOB_2_FRAME);
  const dom = { name: 'rpcf-vm', uuid: '11111111-2222-3333-4444-555555555555' };
  await new Promise((r) => setTimeout(r, 100));
  expect(seen).toEqual([
    { eventId: 0, dom: { ...dom, id: -1 }, event: 0, detail: 0 },
    { eventId: 16, dom: { ...dom, id: 62 }, dst: 'vda', type: 4, status: 3 },
  ]);
  await conn.close();
});

test('a server PING is answered with a PONG', async () => {
  const conn = await open(`test+unix:///default?socket=${peer.sock}`);
  const before = peer.pongs;
  peer.client!.write(
    encodeFrame({
      prog: PROGRAM.KEEPALIVE,
      vers: 1,
      proc: KEEPALIVE_PROC.PING,
      type: MessageType.MESSAGE,
      serial: 0,
      status: MessageStatus.OK,
    }),
  );
  await new Promise((r) => setTimeout(r, 100));
  expect(peer.pongs).toBe(before + 1);
  await conn.close();
});

test('"unknown procedure" from the server becomes VIR_ERR_NO_SUPPORT with the server\'s message', async () => {
  const conn = await open(`test+unix:///default?socket=${peer.sock}`);
  await expect(conn.getType()).rejects.toMatchObject({ code: ErrorNumber.VIR_ERR_NO_SUPPORT, domain: 7, message: 'unknown procedure: 3' });
  await conn.close();
});
