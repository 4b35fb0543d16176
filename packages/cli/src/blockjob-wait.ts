/**
 * Waiting for a block job the way virsh does: block job events (BLOCK_JOB and BLOCK_JOB_2) plus
 * polling virDomainGetBlockJobInfo every half second, a progress line on stderr with --verbose,
 * an abort on --timeout or Ctrl-C. Also the --bandwidth and --timeout option parsers the block
 * commands share.
 */
import {
  ConnectDomainEventBlockJobStatus as S,
  DomainBlockJobAbortFlags,
  DomainEventID,
  wideToNumber,
  type Domain,
  type Wide,
} from '@virtkit/core';
import type { Ctl } from './ctl';
import { isVirError } from './errors';
import type { Opts } from './types';
import { parseScaledSize } from './format';
import { str } from './opt';

const POLL_MS = 500;
const ULONG_MAX = 2n ** 64n - 1n;

/** virsh's job progress line: `\r<label>: [ 42 %]` on stderr, 100 only once nothing remains. */
export function printJobProgress(ctl: Ctl, label: string, remainingWide: Wide, totalWide: Wide): void {
  const remaining = wideToNumber(remainingWide);
  let progress = 100;
  if (remaining !== 0) progress = Math.min(99, Math.trunc(100 - (remaining * 100) / wideToNumber(totalWide)));
  ctl.io.stderr(`\r${label}: [${String(progress).padStart(3)} %]`);
}

/**
 * --bandwidth as virsh's vshBlockJobOptionBandwidth reads it: a plain number is taken in the
 * command's unit; a number with a suffix is bytes/s, turned into MiB/s unless `bytes`.
 */
export function bandwidthOpt(ctl: Ctl, opts: Opts, bytes: boolean): number {
  const text = str(ctl, opts, 'bandwidth');
  if (text === null) return 0;
  const plain = /^\s*(-?)(\d+)$/.exec(text);
  if (plain && BigInt(plain[2]) <= ULONG_MAX) {
    // like strtoul, a negative number wraps around
    const n = BigInt(plain[2]);
    return Number(plain[1] ? (ULONG_MAX + 1n - n) & ULONG_MAX : n);
  }
  const scaled = parseScaledSize(text);
  if (scaled === null || !/^\d/.test(text)) {
    ctl.error(`Scaled numeric value '${text}' for <--bandwidth> option is malformed or out of range`);
    const suffix = /^\d+(.+)$/.exec(text);
    return ctl.fail(suffix ? `invalid argument: unknown suffix '${suffix[1]}'` : `invalid argument: malformed number '${text}'`);
  }
  return bytes ? scaled : Math.floor(scaled / 2 ** 20);
}

/** --timeout in milliseconds (0: none), as virsh's vshCommandOptTimeoutToMs. */
export function timeoutOpt(ctl: Ctl, opts: Opts): number {
  const text = str(ctl, opts, 'timeout');
  if (text === null) return 0;
  if (!/^\+?\d+$/.test(text) || Number(text) < 1 || Number(text) > Math.floor(0x7fffffff / 1000)) {
    ctl.fail(`Numeric value '${text}' for <timeout> option is malformed or out of range`);
  }
  return Number(text) * 1000;
}

export interface WaitOptions {
  dom: Domain;
  /** The disk as the command named it (target or path). */
  dev: string;
  label: string;
  verbose: boolean;
  timeoutMs: number;
  asyncAbort: boolean;
}

/** A registered wait: events are recorded from the moment it exists, before the job starts. */
export class BlockJobWait {
  private status = -1;
  private ids: Array<number | null> = [];
  private wake: (() => void) | null = null;

  private constructor(
    private readonly ctl: Ctl,
    private readonly o: WaitOptions,
  ) {}

  /** Register for both block job events of the domain; a driver without events leaves polling alone. */
  static async start(ctl: Ctl, o: WaitOptions): Promise<BlockJobWait> {
    const w = new BlockJobWait(ctl, o);
    for (const id of [DomainEventID.VIR_DOMAIN_EVENT_ID_BLOCK_JOB, DomainEventID.VIR_DOMAIN_EVENT_ID_BLOCK_JOB_2]) {
      w.ids.push(
        await ctl.c
          .domainEventRegisterAny(o.dom, id, (_c, _d, ev) => w.onEvent(ev))
          .catch((e: unknown) => {
            if (!isVirError(e)) throw e;
            return null;
          }),
      );
    }
    return w;
  }

  private onEvent(ev: Record<string, unknown>): void {
    const disk = (ev.dst ?? ev.path) as string | undefined;
    if (disk !== this.o.dev) return;
    this.status = ev.status as number;
    this.wake?.();
  }

  /** Stop listening. */
  async stop(): Promise<void> {
    for (const id of this.ids) if (id !== null) await this.ctl.c.domainEventDeregisterAny(id).catch(() => undefined);
    this.ids = [];
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(done, ms);
      function done(): void {
        clearTimeout(t);
        resolve();
      }
      this.wake = done;
    });
  }

  /**
   * Wait until the job ends or is ready: a ConnectDomainEventBlockJobStatus value. Query and
   * abort failures print virsh's error and fail the command.
   */
  async wait(): Promise<number> {
    const { dom, dev, label, verbose, timeoutMs } = this.o;
    const withEvents = this.ids.some((id) => id !== null);
    const bothEvents = this.ids.every((id) => id !== null);
    const start = Date.now();
    let retries = 5;
    let last: { cur: Wide; end: Wide } = { cur: 0, end: 0 };
    let interrupted = false;
    const onSigint = (): void => {
      interrupted = true;
      this.wake?.();
    };
    process.once('SIGINT', onSigint);
    try {
      let result: number;
      for (;;) {
        const info = await this.ctl.attempt(`failed to query job for disk ${dev}`, () => dom.getBlockJobInfo(dev, 0));
        if (withEvents && this.status !== -1) {
          result = this.status;
          break;
        }
        if (!bothEvents) {
          if (info === null) {
            result = S.VIR_DOMAIN_BLOCK_JOB_COMPLETED;
            break;
          }
          if (info.end === info.cur && (!withEvents || --retries === 0)) {
            result = S.VIR_DOMAIN_BLOCK_JOB_READY;
            break;
          }
        }
        const now = info ?? { cur: 0, end: 0 };
        if (verbose && (now.cur !== last.cur || now.end !== last.end))
          printJobProgress(this.ctl, label, wideToNumber(now.end) - wideToNumber(now.cur), now.end);
        last = now;
        if (interrupted || (timeoutMs && Date.now() - start > timeoutMs)) {
          const flags = this.o.asyncAbort ? DomainBlockJobAbortFlags.VIR_DOMAIN_BLOCK_JOB_ABORT_ASYNC : 0;
          await this.ctl.attempt(`failed to abort job for disk '${dev}'`, () => dom.blockJobAbort(dev, flags));
          result = S.VIR_DOMAIN_BLOCK_JOB_CANCELED;
          break;
        }
        await this.sleep(POLL_MS);
      }
      if (verbose && (result === S.VIR_DOMAIN_BLOCK_JOB_COMPLETED || result === S.VIR_DOMAIN_BLOCK_JOB_READY)) {
        printJobProgress(this.ctl, label, 0, 1);
      }
      return result;
    } finally {
      process.off('SIGINT', onSigint);
    }
  }
}
