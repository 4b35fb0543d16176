/** Counters of the QEMU process, its threads and its tap devices, from /proc and /sys. */
import * as fs from 'node:fs';

/** Nanoseconds per clock tick (USER_HZ is 100 on Linux). */
const TICK_NS = 10_000_000;

function read(path: string): string | null {
  try {
    return fs.readFileSync(path, 'utf8');
  } catch {
    return null;
  }
}

/** The fields of a stat file after the command name (field 3 onwards), which may hold spaces. */
function statFields(text: string): string[] {
  return text.slice(text.lastIndexOf(')') + 2).split(' ');
}

/** CPU time of the process: the scheduler's exact total, and user and system from the tick counts. */
export function processTimes(pid: number): { total: number; user: number; system: number } | null {
  const stat = read(`/proc/${pid}/stat`);
  if (stat === null) return null;
  const f = statFields(stat);
  const user = Number(f[11]) * TICK_NS;
  const system = Number(f[12]) * TICK_NS;
  return { total: threadsRunTime(pid) ?? user + system, user, system };
}

/** The scheduler's run time of every thread of the process, in nanoseconds (what cpuacct.usage counts). */
function threadsRunTime(pid: number): number | null {
  let tids: string[];
  try {
    tids = fs.readdirSync(`/proc/${pid}/task`);
  } catch {
    return null;
  }
  let sum = 0;
  for (const tid of tids) sum += Number(read(`/proc/${pid}/task/${tid}/schedstat`)?.split(' ')[0] ?? 0);
  return sum;
}

/** Resident set size of the process in KiB. */
export function rssKiB(pid: number): number | null {
  const status = read(`/proc/${pid}/status`);
  const m = status && /^VmRSS:\s+(\d+) kB$/m.exec(status);
  return m ? Number(m[1]) : null;
}

/**
 * A vCPU thread's times in nanoseconds: running (stat), waiting to run (schedstat's second field,
 * libvirt's "delay") and the scheduler's wait sum (sched's se.statistics.wait_sum, in ms).
 */
export function threadTimes(pid: number, tid: number): { time: number; wait: number; delay: number } {
  const stat = read(`/proc/${pid}/task/${tid}/stat`);
  const f = stat ? statFields(stat) : [];
  const time = stat ? (Number(f[11]) + Number(f[12])) * TICK_NS : 0;
  const sched = read(`/proc/${pid}/task/${tid}/schedstat`);
  const delay = sched ? Number(sched.split(' ')[1]) : 0;
  const waitSum = /^(?:se\.statistics\.)?wait_sum\s+:\s+([\d.]+)$/m.exec(read(`/proc/${pid}/task/${tid}/sched`) ?? '');
  return { time, wait: waitSum ? Math.round(Number(waitSum[1]) * 1e6) : 0, delay };
}

/** A tap's counters as the guest sees them: what the host sends is what the guest receives. */
export function tapCounters(dev: string): Record<string, number> | null {
  const get = (name: string): number | null => {
    const v = read(`/sys/class/net/${dev}/statistics/${name}`);
    return v === null ? null : Number(v.trim());
  };
  const tx = get('tx_bytes');
  if (tx === null) return null;
  return {
    'rx.bytes': tx,
    'rx.pkts': get('tx_packets') ?? 0,
    'rx.errs': get('tx_errors') ?? 0,
    'rx.drop': get('tx_dropped') ?? 0,
    'tx.bytes': get('rx_bytes') ?? 0,
    'tx.pkts': get('rx_packets') ?? 0,
    'tx.errs': get('rx_errors') ?? 0,
    'tx.drop': get('rx_dropped') ?? 0,
  };
}

/**
 * KVM's halt-polling times of a QEMU process (debugfs `kvm/<pid>-<fd>/halt_poll_{success,fail}_ns`),
 * or null without debugfs or a KVM VM of that process.
 */
export function haltPollTimes(pid: number): { success: number; fail: number } | null {
  const kvm = '/sys/kernel/debug/kvm';
  let dir: string | undefined;
  try {
    dir = fs.readdirSync(kvm).find((e) => e.startsWith(`${pid}-`));
  } catch {
    return null;
  }
  if (!dir) return null;
  const success = read(`${kvm}/${dir}/halt_poll_success_ns`);
  const fail = read(`${kvm}/${dir}/halt_poll_fail_ns`);
  return success === null || fail === null ? null : { success: Number(success.trim()), fail: Number(fail.trim()) };
}
