/**
 * nonreading: a client that pipelines small calls (connectGetLibVersion) and never reads a reply,
 * for S seconds, against virtkitd and a private libvirtd 9.0. The daemon's RSS is sampled over
 * time; a daemon with back-pressure stops reading the client and stays flat. A bystander's call
 * latency is sampled too. The writer stops early once the daemon has grown by `stopGrowthMiB`,
 * so the probe cannot exhaust the machine.
 */
import type * as net from 'node:net';
import { MessageStatus, MessageType, PROGRAM, encodeFrame } from '@virtkit/protocol';
import { remoteProcedure, rssMiB } from '@virtkit/testkit';
import { numOfDomains, openRaw, sideBySide, sleep, timed, type Target } from './common';
import type { Figures, Probe, ProbeOptions } from './probe';

const BATCH = 1000;

/** BATCH pipelined calls, serials from `first`. */
function batch(proc: number, first: number): Buffer {
  return Buffer.concat(
    Array.from({ length: BATCH }, (_, i) =>
      encodeFrame({ prog: PROGRAM.REMOTE, vers: 1, proc, type: MessageType.CALL, serial: first + i, status: MessageStatus.OK }),
    ),
  );
}

interface Run {
  sent: number;
  rssBefore: number;
  rssPeak: number;
  rssAfterClose: number;
  samples: string;
  bystanderMaxMs: number;
  stoppedEarly: boolean;
}

async function flood(t: Target, seconds: number, stopGrowthMiB: number): Promise<Run> {
  const bystander = await openRaw(t.sock);
  const writer = await openRaw(t.sock);
  const sock = writer.sock as net.Socket;
  sock.pause();
  const proc = remoteProcedure('connectGetLibVersion').num;
  const rssBefore = rssMiB(t.pid);
  let rssPeak = rssBefore;
  let sent = 0;
  let stoppedEarly = false;
  let bystanderMaxMs = 0;
  const samples: number[] = [];
  const start = Date.now();
  let nextSample = start;
  while (Date.now() - start < seconds * 1000 && t.alive()) {
    if (Date.now() >= nextSample) {
      nextSample += 1000;
      const rss = rssMiB(t.pid);
      samples.push(Math.round(rss));
      rssPeak = Math.max(rssPeak, rss);
      const asked = await timed(() => numOfDomains(bystander, 10000)).catch(() => ({ ms: 10000 }));
      bystanderMaxMs = Math.max(bystanderMaxMs, asked.ms);
      if (rss - rssBefore > stopGrowthMiB) {
        stoppedEarly = true;
        break;
      }
    }
    if (sock.write(batch(proc, sent))) sent += BATCH;
    else {
      sent += BATCH;
      let drained = (): void => undefined;
      await Promise.race([
        new Promise<void>((r) => {
          drained = r;
          sock.once('drain', drained);
        }),
        sleep(250),
      ]);
      sock.off('drain', drained);
    }
  }
  writer.close();
  await sleep(2000);
  const rssAfterClose = rssMiB(t.pid);
  bystander.close();
  return { sent, rssBefore, rssPeak, rssAfterClose, samples: samples.join(' '), bystanderMaxMs, stoppedEarly };
}

export const nonReadingProbe: Probe = {
  name: 'nonreading',
  what: 'a client pipelining calls without reading replies: daemon RSS over time (virtkitd vs libvirtd 9.0)',
  async run(o: ProbeOptions) {
    const seconds = o.ci ? 10 : 40;
    const stopGrowthMiB = o.ci ? 400 : 2048;
    const results = await sideBySide(o.log, (t) => flood(t, seconds, stopGrowthMiB));
    const figures: Figures = { seconds, stopGrowthMiB };
    for (const [name, r] of results) {
      figures[`${name}.callsWritten`] = r.sent;
      figures[`${name}.rssBeforeMiB`] = Math.round(r.rssBefore);
      figures[`${name}.rssPeakMiB`] = Math.round(r.rssPeak);
      figures[`${name}.rssGrowthMiB`] = Math.round(r.rssPeak - r.rssBefore);
      figures[`${name}.rssAfterCloseMiB`] = Math.round(r.rssAfterClose);
      figures[`${name}.rssSamplesMiB`] = r.samples;
      figures[`${name}.bystanderMaxMs`] = Math.round(r.bystanderMaxMs);
      figures[`${name}.stoppedEarly`] = r.stoppedEarly ? 'yes' : 'no';
    }
    return figures;
  },
};
