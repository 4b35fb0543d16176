/** Ending a QEMU process: libvirt's virProcessKillPainfully. */
import { pidAlive, sleep } from '../fsutil';

/**
 * SIGTERM, wait; with `force` SIGKILL and wait again. Resolves whether the process is gone.
 * `exiting` resolves when the process is seen leaving (its monitor closed): from then on the
 * wait polls every millisecond instead of every ten.
 */
export async function killPid(pid: number, force: boolean, waitMs: number, exiting?: Promise<void>): Promise<boolean> {
  const signal = (sig: NodeJS.Signals) => {
    try {
      process.kill(pid, sig);
    } catch {
      /* already gone */
    }
  };
  let exited = false;
  void exiting?.then(() => (exited = true));
  const tick = () => (exited ? sleep(1) : exiting ? Promise.race([sleep(10), exiting]) : sleep(10));
  const waitGone = async (ms: number) => {
    const end = Date.now() + ms;
    while (Date.now() < end) {
      if (!pidAlive(pid)) return true;
      await tick();
    }
    return !pidAlive(pid);
  };
  if (!pidAlive(pid)) return true;
  signal('SIGTERM');
  if (await waitGone(force ? Math.min(waitMs, 3_000) : waitMs)) return true;
  if (!force) return false;
  signal('SIGKILL');
  return waitGone(5_000);
}

/** SIGKILL at once and wait (a QEMU that must not run on: half-started, untracked). */
export async function killNow(pid: number): Promise<boolean> {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    /* already gone */
  }
  const end = Date.now() + 5_000;
  while (pidAlive(pid) && Date.now() < end) await sleep(5);
  return !pidAlive(pid);
}
