/**
 * The per-domain lock: the pid file QEMU writes with `-pidfile` and keeps locked (lockf) for
 * as long as it runs. Node has no flock or fcntl, and a lock file of our own (O_EXCL + a pid +
 * a liveness check) can go stale, be taken over wrongly after pid reuse, and is held by the
 * wrong process anyway: what must be unique is the QEMU, not the process that started it. The
 * pid file lock is held by QEMU itself, the kernel drops it exactly when QEMU dies (also on
 * SIGKILL), and QEMU refuses to start on a pid file that is locked ("Cannot lock pid file"),
 * so no two QEMUs of one domain can run whoever starts them: this driver in any process, an
 * embed `vsh`, a daemon. The driver only has to leave a held pid file in place and look up its
 * holder in /proc/locks to find a QEMU that no status record tracks.
 */
import * as fs from 'node:fs';
import { pidAlive } from '../fsutil';
import { killNow } from './kill';

/** The pids holding a POSIX lock on `file` (at most one: QEMU's), from /proc/locks. */
export function pidFileHolders(file: string): number[] {
  let st: fs.BigIntStats;
  let locks: string;
  try {
    st = fs.statSync(file, { bigint: true });
    locks = fs.readFileSync('/proc/locks', 'utf8');
  } catch {
    return [];
  }
  // /proc/locks names the file as MAJOR:MINOR:INODE, the device numbers in hex (glibc's
  // major()/minor() split of st_dev).
  const dev = st.dev;
  const major = ((dev >> 8n) & 0xfffn) | ((dev >> 32n) & ~0xfffn);
  const minor = (dev & 0xffn) | ((dev >> 12n) & ~0xffn);
  const id = `${major.toString(16).padStart(2, '0')}:${minor.toString(16).padStart(2, '0')}:${st.ino}`;
  const pids = new Set<number>();
  for (const line of locks.split('\n')) {
    // "1: POSIX  ADVISORY  WRITE 21404 fe:00:2147030 0 EOF" (blocked waiters have "->" first)
    const f = line.trim().split(/\s+/);
    if (f[1] !== 'POSIX' || f[5] !== id) continue;
    const pid = Number(f[4]);
    if (pidAlive(pid)) pids.add(pid);
  }
  return [...pids];
}

/**
 * Kill every live holder of `file` except `keep` (a QEMU no status record tracks, which must
 * not run on beside the one being started or followed); `killed` hears of each. Removes the
 * pid file once free. Resolves with the pids killed.
 */
export async function reapPidFileHolders(file: string, killed: (pid: number) => Promise<void>, keep?: number): Promise<number[]> {
  const pids = pidFileHolders(file).filter((pid) => pid !== keep);
  for (const pid of pids) {
    await killNow(pid);
    await killed(pid);
  }
  if (pids.length > 0 && keep === undefined) await removePidFileIfFree(file);
  return pids;
}

/** Remove the pid file unless a live QEMU holds it (removing a held one would let a second QEMU start). */
export async function removePidFileIfFree(file: string): Promise<void> {
  if (pidFileHolders(file).length === 0) await fs.promises.rm(file, { force: true });
}
