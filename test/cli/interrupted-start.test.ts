/**
 * Interrupted starts with the real programs: an embed `bin/vsh start` killed (SIGKILL) or
 * interrupted (SIGINT), and a virtkitd killed while serving the start, at several points after
 * QEMU came up. Afterwards the next process must report the truth — no QEMU of the domain alive
 * while it says shut off —, a second start must leave exactly one QEMU with the domain's UUID,
 * and destroy must leave none.
 */
import { InterruptedStartBench, describeIf, faults, qemusOf, UUID, type InterruptMode } from '@virtkit/testkit';

describeIf('qemu')('interrupted domain starts leave no orphan QEMU', () => {
  let bench: InterruptedStartBench;

  beforeAll(() => {
    bench = new InterruptedStartBench(process.cwd());
  }, 60_000);

  afterAll(async () => {
    await bench?.close();
  });

  const cases: Array<[InterruptMode, number]> = [
    ['vsh-sigkill', 0],
    ['vsh-sigkill', 40],
    ['vsh-sigint', 10],
    ['daemon-sigkill', 0],
    ['daemon-sigkill', 20],
  ];

  it.each(cases)(
    '%s %i ms after QEMU wrote its pid file',
    async (mode, delayMs) => {
      const r = await bench.trial(mode, delayMs);
      expect(faults(r)).toEqual({ orphans: 0, duplicates: 0, survivedDestroy: 0 });
      if (r.stateAfter === 'shut off') expect(r.qemusAfter).toBe(0);
      else expect([r.stateAfter, r.qemusAfter]).toEqual(['running', 1]);
      expect(r.qemusAfterRestart).toBe(1);
      expect(qemusOf(UUID)).toEqual([]);
    },
    120_000,
  );
});
