/**
 * Calls per second of the TS remote driver (`@virtkit/core` open() over a unix socket) against
 * virtkitd and against libvirtd 9.0, both serving test:///default: lookupByName and
 * Domain.getInfo, with 1 and with 4 connections (each its own connection, one call outstanding
 * per connection, all in this one Node process).
 *
 *     npx tsx bench/remote-calls.ts [--seconds S]
 */
import { open, type Connect } from '@virtkit/core';
import { startDaemon } from '@virtkit/testkit';
import { missing, startLibvirtd } from '@virtkit/testkit';

type Call = 'lookupByName' | 'getInfo';
const CALLS: Call[] = ['lookupByName', 'getInfo'];
const CLIENTS = [1, 4];

async function oneClient(conn: Connect, call: Call, until: number): Promise<number> {
  const dom = await conn.lookupByName('test');
  const op = call === 'lookupByName' ? () => conn.lookupByName('test') : () => dom.getInfo();
  let n = 0;
  while (Date.now() < until) {
    await op();
    n++;
  }
  return n;
}

async function measure(uri: string, call: Call, clients: number, seconds: number): Promise<number> {
  const conns = await Promise.all(Array.from({ length: clients }, () => open(uri)));
  // Warm up each connection before the clock starts.
  await Promise.all(conns.map((c) => oneClient(c, call, Date.now() + 200)));
  const start = Date.now();
  const until = start + seconds * 1000;
  const counts = await Promise.all(conns.map((c) => oneClient(c, call, until)));
  const elapsed = (Date.now() - start) / 1000;
  await Promise.all(conns.map((c) => c.close()));
  return counts.reduce((a, b) => a + b, 0) / elapsed;
}

async function run(uri: string, seconds: number): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  for (const call of CALLS) for (const clients of CLIENTS) out.set(`${call}/${clients}`, await measure(uri, call, clients, seconds));
  return out;
}

async function main(): Promise<void> {
  const i = process.argv.indexOf('--seconds');
  const seconds = i > 0 ? Number(process.argv[i + 1]) : 3;
  const results: [string, Map<string, number>][] = [];

  const virtkitd = await startDaemon();
  try {
    results.push(['virtkitd', await run(`test+unix:///default?socket=${virtkitd.sock}`, seconds)]);
  } finally {
    await virtkitd.stop();
  }
  const skip = missing('libvirtd');
  if (skip) process.stderr.write(`libvirtd column skipped: ${skip}\n`);
  else {
    const libvirtd = await startLibvirtd();
    try {
      results.push(['libvirtd 9.0', await run(`test+unix:///default?socket=${libvirtd.sock}`, seconds)]);
    } finally {
      await libvirtd.stop();
    }
  }

  const head = ['call', 'clients', ...results.map(([n]) => `${n} (calls/s)`)];
  const rows = CALLS.flatMap((call) =>
    CLIENTS.map((clients) => [call, String(clients), ...results.map(([, m]) => Math.round(m.get(`${call}/${clients}`)!).toString())]),
  );
  const width = head.map((h, k) => Math.max(h.length, ...rows.map((r) => r[k].length)));
  const line = (cells: string[]): string => cells.map((c, k) => c.padEnd(width[k])).join('  ');
  process.stdout.write(`TS remote driver (unix socket, test:///default, ${seconds} s per cell, node ${process.version})\n`);
  process.stdout.write(`${line(head)}\n${rows.map(line).join('\n')}\n`);
}

main().catch((e) => {
  process.stderr.write(`${(e as Error).stack ?? e}\n`);
  process.exit(1);
});
