/** The order one client's calls keep while they run concurrently (call-order.ts). */
import { CallGate } from '../src/call-order';

/** A job that records its start and end and lasts until released. */
function job(log: string[], name: string): { run: () => Promise<void>; release: () => void } {
  let release!: () => void;
  const until = new Promise<void>((r) => (release = r));
  return {
    run: async () => {
      log.push(`${name}+`);
      await until;
      log.push(`${name}-`);
    },
    release: () => release(),
  };
}

const tick = (): Promise<void> => new Promise((r) => setTimeout(r, 5));

test('concurrent calls overlap; an exclusive one waits for them and holds back the later ones', async () => {
  const gate = new CallGate();
  const log: string[] = [];
  const a = job(log, 'a');
  const b = job(log, 'b');
  const close = job(log, 'close');
  const c = job(log, 'c');
  const done = [
    gate.run('concurrent', a.run),
    gate.run('concurrent', b.run),
    gate.run('exclusive', close.run),
    gate.run('concurrent', c.run),
  ];
  await tick();
  expect(log).toEqual(['a+', 'b+']);
  b.release();
  await tick();
  expect(log).toEqual(['a+', 'b+', 'b-']);
  a.release();
  await tick();
  expect(log).toEqual(['a+', 'b+', 'b-', 'a-', 'close+']);
  close.release();
  await tick();
  expect(log.slice(-2)).toEqual(['close-', 'c+']);
  c.release();
  await Promise.all(done);
});

test('ordered calls run one at a time in arrival order, beside concurrent ones', async () => {
  const gate = new CallGate();
  const log: string[] = [];
  const register = job(log, 'register');
  const deregister = job(log, 'deregister');
  const other = job(log, 'other');
  const done = [gate.run('ordered', register.run), gate.run('ordered', deregister.run), gate.run('concurrent', other.run)];
  await tick();
  expect(log).toEqual(['register+', 'other+']);
  register.release();
  await tick();
  expect(log).toEqual(['register+', 'other+', 'register-', 'deregister+']);
  deregister.release();
  other.release();
  await Promise.all(done);
});

test('a failed call neither blocks the ones after it nor hides its failure; idle waits for every call', async () => {
  const gate = new CallGate();
  const failing = gate.run('exclusive', () => Promise.reject(new Error('open failed')));
  await expect(failing).rejects.toThrow('open failed');
  const log: string[] = [];
  const slow = job(log, 'slow');
  void gate.run('concurrent', slow.run);
  let idle = false;
  const waiting = gate.idle().then(() => (idle = true));
  await tick();
  expect(idle).toBe(false);
  slow.release();
  await waiting;
  expect(log).toEqual(['slow+', 'slow-']);
});
