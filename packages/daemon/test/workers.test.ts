/** max_workers, prio_workers and max_client_requests: the settings, and the shared worker pool. */
import { defaultConfig, parseConfigText } from '../src/config';
import { WorkerPool } from '../src/workers';

test("max_client_requests (5), max_workers (20) and prio_workers (5), as libvirtd's defaults", () => {
  expect(defaultConfig()).toMatchObject({ maxClientRequests: 5, maxWorkers: 20, prioWorkers: 5 });
  expect(parseConfigText('max_client_requests = 2\nmax_workers = 3\nprio_workers = 0\n', defaultConfig())).toMatchObject({
    maxClientRequests: 2,
    maxWorkers: 3,
    prioWorkers: 0,
  });
  expect(() => parseConfigText('prio_workers = -1', defaultConfig())).toThrow(/'prio_workers' needs an integer/);
  expect(() => parseConfigText('max_workers = 0', defaultConfig())).toThrow(/'max_workers' needs an integer/);
  expect(() => parseConfigText('max_client_requests = -1', defaultConfig())).toThrow(/'max_client_requests' needs an integer/);
});

test('a pool runs at most its size of jobs at once, the waiting ones in arrival order, through failures', async () => {
  const pool = new WorkerPool(2);
  let running = 0;
  let peak = 0;
  const started: number[] = [];
  const job = (i: number) =>
    pool.run(async () => {
      started.push(i);
      running++;
      peak = Math.max(peak, running);
      await new Promise((r) => setTimeout(r, 10));
      running--;
      if (i === 1) throw new Error('job 1 fails');
      return i;
    });
  const results = await Promise.allSettled([0, 1, 2, 3, 4, 5].map(job));
  expect(peak).toBe(2);
  expect(started).toEqual([0, 1, 2, 3, 4, 5]);
  expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'fulfilled', 'fulfilled', 'fulfilled']);
  // The failed job gave its worker back: the pool is whole again.
  expect(await Promise.all([job(6), job(7)])).toEqual([6, 7]);
});

test('high-priority jobs run on the priority workers while slow ordinary jobs hold every ordinary one', async () => {
  const pool = new WorkerPool(1, 1);
  let releaseSlow!: () => void;
  const slowGate = new Promise<void>((r) => (releaseSlow = r));
  const order: string[] = [];
  const slow = pool.run(async () => {
    await slowGate;
    order.push('slow');
  });
  const queued = pool.run(async () => {
    order.push('ordinary');
  });
  // The ordinary worker is busy: a high-priority job takes the priority worker at once...
  await pool.run(async () => {
    order.push('high');
  }, true);
  // ...and an ordinary job never does: it waits for the slow one.
  expect(order).toEqual(['high']);
  releaseSlow();
  await Promise.all([slow, queued]);
  expect(order).toEqual(['high', 'slow', 'ordinary']);
});

test('without priority workers a high-priority job waits its turn like any other', async () => {
  const pool = new WorkerPool(1, 0);
  const order: string[] = [];
  const first = pool.run(async () => {
    await new Promise((r) => setTimeout(r, 20));
    order.push('first');
  });
  await pool.run(async () => {
    order.push('high');
  }, true);
  await first;
  expect(order).toEqual(['first', 'high']);
});
