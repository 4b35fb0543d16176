/**
 * The last line of cleanup: QEMU processes still running on images under the bench's work
 * directory (a domain whose destroy never ran because a round failed, or that libvirtd left
 * behind when it stopped: libvirtd does not kill its domains on exit). Found by pid through
 * /proc, killed by pid.
 */
import * as fs from 'node:fs';
import { pidAlive } from '@virtkit/driver-qemu';

function pidsUsing(dir: string): number[] {
  const out: number[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      const argv = fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
      if (/qemu-system/.test(argv[0] ?? '') && argv.some((a) => a.includes(dir))) out.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

/** Kill every QEMU whose command line names `dir`; resolves with their count once they are gone. */
export async function killStrayQemus(dir: string): Promise<number> {
  const pids = pidsUsing(dir);
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // exited meanwhile
    }
  }
  for (let i = 0; i < 500 && pids.some(pidAlive); i++) await new Promise((r) => setTimeout(r, 10));
  return pids.length;
}
