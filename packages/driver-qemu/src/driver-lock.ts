/**
 * One process at a time drives a state directory (libvirt's `driver.pid` in the QEMU state dir):
 * two processes following the same QEMU monitors would steal each other's connections. The lock
 * is a pid file created exclusively; a file whose process is gone (or whose pid now belongs to a
 * different process) is stale and taken over.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ErrorDomain, ErrorNumber, VirError } from '@virtkit/core';
import { pidAlive, pidStartTicks } from './fsutil';

interface LockOwner {
  pid: number;
  startTicks?: number;
}

function readOwner(file: string): LockOwner | undefined {
  try {
    const [pid, ticks] = fs.readFileSync(file, 'utf8').trim().split(/\s+/);
    return { pid: Number(pid), startTicks: ticks === undefined ? undefined : Number(ticks) };
  } catch {
    return undefined;
  }
}

function ownerAlive(o: LockOwner): boolean {
  if (!pidAlive(o.pid)) return false;
  return o.startTicks === undefined || pidStartTicks(o.pid) === o.startTicks;
}

/**
 * The lock's file name. libvirt calls it `driver.pid`, which a domain named `driver` would share
 * with its own pid file; a leading dot is escaped in every domain file name, so this one cannot.
 */
export const DRIVER_LOCK_FILE = '.driver.pid';

/** Take `<stateDir>/.driver.pid`; resolves with the release function. */
export async function acquireDriverLock(stateDir: string): Promise<() => void> {
  await fs.promises.mkdir(stateDir, { recursive: true, mode: 0o700 });
  const file = path.join(stateDir, DRIVER_LOCK_FILE);
  const content = `${process.pid} ${pidStartTicks(process.pid) ?? ''}`.trim();
  for (let attempt = 0; attempt < 5; attempt++) {
    try {
      const fd = fs.openSync(file, 'wx', 0o644);
      fs.writeSync(fd, `${content}\n`);
      fs.closeSync(fd);
      return () => {
        if (readOwner(file)?.pid === process.pid) fs.rmSync(file, { force: true });
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    const owner = readOwner(file);
    if (owner && ownerAlive(owner)) {
      throw VirError.create(
        ErrorNumber.VIR_ERR_SYSTEM_ERROR,
        ErrorDomain.VIR_FROM_NONE,
        `Failed to acquire pid file '${file}': Resource temporarily unavailable`,
      );
    }
    fs.rmSync(file, { force: true });
  }
  throw VirError.internal(`could not take over the stale pid file '${file}'`);
}
