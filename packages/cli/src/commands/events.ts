/** The `event` command: wait for domain events and print them as virsh does. */
import { DomainEventID, type Domain, type DomainEvent } from '@virtkit/core';
import type { CmdDef } from '../types';
import type { Ctl } from '../ctl';
import { lookupDomain } from '../lookup';
import { flag, str, uint } from '../opt';

/** Event names in VIR_DOMAIN_EVENT_ID_* order. */
export const EVENT_NAMES = [
  'lifecycle',
  'reboot',
  'rtc-change',
  'watchdog',
  'io-error',
  'graphics',
  'io-error-reason',
  'control-error',
  'block-job',
  'disk-change',
  'tray-change',
  'pm-wakeup',
  'pm-suspend',
  'balloon-change',
  'pm-suspend-disk',
  'device-removed',
  'block-job-2',
  'tunable',
  'agent-lifecycle',
  'device-added',
  'migration-iteration',
  'job-completed',
  'device-removal-failed',
  'metadata-change',
  'block-threshold',
  'memory-failure',
  'memory-device-size-change',
];

const LIFECYCLE: Array<[string, string[]]> = [
  ['Defined', ['Added', 'Updated', 'Renamed', 'Snapshot']],
  ['Undefined', ['Removed', 'Renamed']],
  ['Started', ['Booted', 'Migrated', 'Restored', 'Snapshot', 'Event wakeup']],
  ['Suspended', ['Paused', 'Migrated', 'I/O Error', 'Watchdog', 'Restored', 'Snapshot', 'API error', 'Post-copy', 'Post-copy Error']],
  ['Resumed', ['Unpaused', 'Migrated', 'Snapshot', 'Post-copy', 'Post-copy Error']],
  ['Stopped', ['Shutdown', 'Destroyed', 'Crashed', 'Migrated', 'Saved', 'Failed', 'Snapshot']],
  ['Shutdown', ['Finished', 'Finished after guest request', 'Finished after host request']],
  ['PMSuspended', ['Memory', 'Disk']],
  ['Crashed', ['Panicked', 'Crashed']],
];

function lifecycleText(ev: DomainEvent): string {
  const e = Number(ev.event ?? 0);
  const d = Number(ev.detail ?? 0);
  const [name, details] = LIFECYCLE[e] ?? ['unknown', []];
  return `${name} ${details[d] ?? 'unknown'}`;
}

function stamp(): string {
  const d = new Date();
  const p = (n: number, w = 2): string => String(n).padStart(w, '0');
  return (
    `${d.getUTCFullYear()}-${p(d.getUTCMonth() + 1)}-${p(d.getUTCDate())} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:` +
    `${p(d.getUTCSeconds())}.${p(d.getUTCMilliseconds(), 3)}+0000: `
  );
}

/** The line virsh prints for an event of kind `id` (virshEvent*Print); the kinds without a printer here name only the event. */
function eventText(id: number, name: string, ev: DomainEvent): string {
  const head = `event '${EVENT_NAMES[id]}' for domain '${name}'`;
  switch (id) {
    case DomainEventID.VIR_DOMAIN_EVENT_ID_LIFECYCLE:
      return `${head}: ${lifecycleText(ev)}`;
    case DomainEventID.VIR_DOMAIN_EVENT_ID_BLOCK_THRESHOLD:
      return `${head}: dev: ${String(ev.dev)}(${ev.path == null ? '<null>' : String(ev.path)}) ${String(ev.threshold)} ${String(ev.excess)}`;
    default:
      return head;
  }
}

type Ending = 'timeout' | 'interrupt' | 'done';

export const eventCommands: CmdDef[] = [
  {
    name: 'event',
    group: 'domain',
    help: 'Domain Events',
    opts: [
      { name: 'domain', type: 'string' },
      { name: 'event', type: 'string' },
      { name: 'all', type: 'bool' },
      { name: 'loop', type: 'bool' },
      { name: 'timeout', type: 'int' },
      { name: 'list', type: 'bool' },
      { name: 'timestamp', type: 'bool' },
    ],
    async handler(ctl: Ctl, opts) {
      if (flag(opts, 'list')) {
        for (const n of EVENT_NAMES) ctl.print(`${n}\n`);
        return true;
      }
      const eventName = str(ctl, opts, 'event');
      if (eventName === null && !flag(opts, 'all')) ctl.fail('one of --list, --all, or --event <type> is required');
      let ids: number[];
      if (flag(opts, 'all')) ids = EVENT_NAMES.map((_, i) => i);
      else {
        const id = EVENT_NAMES.indexOf(eventName!);
        if (id < 0) ctl.fail(`unknown event type ${eventName}`);
        ids = [id];
      }
      const timeout = uint(ctl, opts, 'timeout');
      if (timeout !== null && (timeout === 0 || timeout > 2147483)) {
        ctl.fail(`Numeric value '${timeout}' for <timeout> option is malformed or out of range`);
      }
      const domText = str(ctl, opts, 'domain');
      const dom = domText === null ? null : await lookupDomain(ctl, domText);
      const loop = flag(opts, 'loop');
      const ts = flag(opts, 'timestamp');
      let count = 0;
      let finish: (e: Ending) => void = () => undefined;
      const ended = new Promise<Ending>((resolve) => {
        finish = resolve;
      });
      const regs: number[] = [];
      for (const id of ids) {
        regs.push(
          await ctl.c.domainEventRegisterAny<Domain>(dom, id, (_c, d, ev) => {
            ctl.print(`${ts ? stamp() : ''}${eventText(id, d.getName(), ev)}\n`);
            count++;
            if (!loop) finish('done');
          }),
        );
      }
      const timer = timeout !== null ? setTimeout(() => finish('timeout'), timeout * 1000) : null;
      const onInt = (): void => finish('interrupt');
      process.once('SIGINT', onInt);
      const how = await ended;
      if (timer) clearTimeout(timer);
      process.removeListener('SIGINT', onInt);
      for (const r of regs) await ctl.c.domainEventDeregisterAny(r).catch(() => undefined);
      if (how === 'timeout') ctl.print('event loop timed out\n');
      if (how === 'interrupt') ctl.print('event loop interrupted\n');
      ctl.print(`events received: ${count}\n`);
      return count > 0;
    },
  },
];
