/**
 * fuzz: random and mutated RPC frames against virtkitd, in batches on fresh connections (half of
 * them opened on test:///default first), while a bystander client keeps asking for the domain
 * count. Counts crashes, bystander failures and latency, and the daemon's RSS growth.
 */
import * as net from 'node:net';
import { MessageStatus, MessageType, PROGRAM, encodeFrame, encodeStruct } from '@virtkit/protocol';
import { remoteProcedure, rssMiB } from '@virtkit/testkit';
import { domainXml, numOfDomains, openRaw, seededRandom, sleep, startVirtkitd, timed, type Target } from './common';
import type { Figures, Probe, ProbeOptions } from './probe';

const FRAMES_PER_CONNECTION = 50;

/** Well-formed calls that mutations start from: open, counts, lookups, a define. */
function seedFrames(): Buffer[] {
  const call = (proc: number, payload: Buffer, serial: number): Buffer =>
    encodeFrame({ prog: PROGRAM.REMOTE, vers: 1, proc, type: MessageType.CALL, serial, status: MessageStatus.OK }, payload);
  const lookup = remoteProcedure('domainLookupByName');
  const define = remoteProcedure('domainDefineXML');
  const list = remoteProcedure('connectListAllDomains');
  return [
    call(
      1,
      encodeStruct(
        [
          ['name', 'string?'],
          ['flags', 'uint'],
        ],
        { name: 'test:///default', flags: 0 },
      ),
      1,
    ),
    call(remoteProcedure('connectNumOfDomains').num, Buffer.alloc(0), 2),
    call(lookup.num, encodeStruct(lookup.args, { name: 'test' }), 3),
    call(define.num, encodeStruct(define.args, { xml: domainXml('fuzzed') }), 4),
    call(list.num, encodeStruct(list.args, { need_results: 1, flags: 0 }), 5),
  ];
}

/** A frame of random bytes behind a length word that is usually plausible and sometimes not. */
function randomFrame(rand: () => number): Buffer {
  const size = 4 + Math.floor(rand() * 512);
  const b = Buffer.alloc(size);
  for (let i = 0; i < size; i++) b[i] = Math.floor(rand() * 256);
  const lengthWord = rand() < 0.8 ? size : Math.floor(rand() * 0xffffffff);
  b.writeUInt32BE(lengthWord >>> 0, 0);
  return b;
}

/** A seed frame with a few bytes flipped, a word overwritten with an extreme value, cut or padded. */
function mutatedFrame(seeds: Buffer[], rand: () => number): Buffer {
  const b = Buffer.from(seeds[Math.floor(rand() * seeds.length)]);
  const pick = rand();
  if (pick < 0.4) {
    for (let n = 1 + Math.floor(rand() * 4); n > 0; n--) b[Math.floor(rand() * b.length)] = Math.floor(rand() * 256);
  } else if (pick < 0.7) {
    const at = 4 * Math.floor(rand() * (b.length / 4));
    b.writeUInt32BE([0, 1, 0x7fffffff, 0x80000000, 0xffffffff, 0x02000000][Math.floor(rand() * 6)], at);
  } else if (pick < 0.85) {
    return b.subarray(0, Math.floor(rand() * b.length));
  } else {
    return Buffer.concat([b, Buffer.alloc(Math.floor(rand() * 64), Math.floor(rand() * 256))]);
  }
  return b;
}

/** Writes `frames` on a fresh connection, opened first when `open`, then hangs up. */
async function sendBatch(t: Target, frames: Buffer[], open: boolean): Promise<void> {
  const s = open ? ((await openRaw(t.sock)).sock as net.Socket) : net.connect(t.sock);
  s.on('error', () => undefined);
  s.on('data', () => undefined);
  for (const f of frames) if (!s.destroyed) s.write(f);
  await sleep(20);
  s.destroy();
}

async function fuzz(t: Target, o: ProbeOptions): Promise<Figures> {
  const total = { random: o.ci ? 1000 : 2000, mutated: o.ci ? 2000 : 5000 };
  const rand = seededRandom(o.seed);
  const seeds = seedFrames();
  const bystander = await openRaw(t.sock);
  const rssBefore = rssMiB(t.pid);
  let bystanderFailures = 0;
  let bystanderMaxMs = 0;
  let sent = 0;
  for (const [kind, count] of Object.entries(total)) {
    for (let done = 0; done < count && t.alive(); done += FRAMES_PER_CONNECTION) {
      const frames = Array.from({ length: FRAMES_PER_CONNECTION }, () =>
        kind === 'random' ? randomFrame(rand) : mutatedFrame(seeds, rand),
      );
      await sendBatch(t, frames, rand() < 0.5).catch(() => undefined);
      sent += frames.length;
      const asked = await timed(() => numOfDomains(bystander, 5000)).catch(() => null);
      if (!asked) bystanderFailures++;
      else bystanderMaxMs = Math.max(bystanderMaxMs, asked.ms);
    }
  }
  await sleep(500);
  const figures: Figures = {
    'virtkitd.frames': sent,
    'virtkitd.crashes': t.alive() ? 0 : 1,
    'virtkitd.rssBeforeMiB': round(rssBefore),
    'virtkitd.rssGrowthMiB': round(rssMiB(t.pid) - rssBefore),
    'virtkitd.bystanderFailures': bystanderFailures,
    'virtkitd.bystanderMaxMs': Math.round(bystanderMaxMs),
  };
  bystander.close();
  return figures;
}

const round = (x: number): number => Math.round(x * 10) / 10;

export const fuzzProbe: Probe = {
  name: 'fuzz',
  what: 'random and mutated RPC frames against virtkitd; crashes, RSS growth, a bystander still served',
  async run(o) {
    const t = await startVirtkitd();
    try {
      return await fuzz(t, o);
    } finally {
      await t.stop();
    }
  },
};
