/**
 * QEMU driver start/stop latency through the public API (`qemu:///embed`, TCG, no guest OS):
 * the first open of a fresh root (capability probe included), then per round
 * define → create → running and destroy (until QEMU is gone), plus undefine. Prints each round
 * and the medians in milliseconds.
 *
 *     npx tsx bench/qemu-start.ts [rounds=5]
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DomainState, open } from '@virtkit/core';

const ROUNDS = Number(process.argv[2] ?? 5);

const xml = (name: string) =>
  `<domain type='qemu'><name>${name}</name><memory unit='MiB'>64</memory><vcpu>1</vcpu>` +
  `<os><type arch='x86_64'>hvm</type></os></domain>`;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const ms = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e6;

async function main(): Promise<void> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'vk-bench-'));
  try {
    let t0 = process.hrtime.bigint();
    const conn = await open(`qemu:///embed?root=${root}`);
    await conn.getVersion(); // the capability probe happens on first use
    console.log(`open + capability probe: ${ms(t0).toFixed(1)} ms`);
    const rows: Array<{ define: number; start: number; destroy: number; undefine: number }> = [];
    for (let i = 0; i < ROUNDS; i++) {
      t0 = process.hrtime.bigint();
      const dom = await conn.defineXML(xml(`bench${i}`));
      const define = ms(t0);
      t0 = process.hrtime.bigint();
      await dom.create();
      if ((await dom.getState()).state !== DomainState.VIR_DOMAIN_RUNNING) throw new Error('not running after create');
      const start = ms(t0);
      t0 = process.hrtime.bigint();
      await dom.destroy();
      const destroy = ms(t0);
      t0 = process.hrtime.bigint();
      await dom.undefine();
      const undefine = ms(t0);
      rows.push({ define, start, destroy, undefine });
      console.log(
        `round ${i + 1}: define ${define.toFixed(1)} ms, start→running ${start.toFixed(1)} ms, destroy ${destroy.toFixed(1)} ms, undefine ${undefine.toFixed(1)} ms`,
      );
    }
    const col = (k: keyof (typeof rows)[number]) => median(rows.map((r) => r[k])).toFixed(1);
    console.log(
      `median of ${ROUNDS}: define ${col('define')} ms, start→running ${col('start')} ms, destroy ${col('destroy')} ms, undefine ${col('undefine')} ms`,
    );
    await conn.close();
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
