/**
 * The event commands of networks, storage pools, node devices and secrets (virsh's net-event,
 * pool-event, nodedev-event, secret-event): one shape, its words per kind. `--list` names the
 * event types; otherwise wait for one event, or for each one with `--loop`, until `--timeout` or
 * an interrupt, and count them.
 */
import type { Ctl } from '../ctl';
import { flag, str, uint } from '../opt';
import type { CmdDef, OptDef } from '../types';

/** An event as the commands print it: a lifecycle event carries `event`. */
interface PrintedEvent {
  event?: number;
}

/** What one kind's event command says and calls. */
export interface ObjectEventCommandDef<H> {
  name: string;
  group: string;
  /** The noun in the help texts and printed lines: `network`, `storage pool`, ... */
  noun: string;
  /** The filter option: `--network`, `--pool`, `--device`, `--secret`. */
  filter: OptDef;
  /** The event type names, by event ID (`lifecycle` first). */
  events: readonly string[];
  /** The names of the lifecycle `event` values (virsh's vir<Kind>EventTypeToString). */
  lifecycle: readonly string[];
  /**
   * The object `--<filter>` names. `waitOnFailure`: virsh goes on waiting for every object when
   * the lookup fails (net-, pool- and secret-event), and reports the lookup's error at the end.
   */
  lookup(ctl: Ctl, text: string): Promise<H>;
  waitOnFailure: boolean;
  register(ctl: Ctl, only: H | null, eventId: number, cb: (obj: H, ev: PrintedEvent) => void): Promise<number>;
  deregister(ctl: Ctl, callbackId: number): Promise<unknown>;
  /** How a printed line names the object (its name; a secret's UUID). */
  label(obj: H): string;
}

/** vshEventLifecyclePrint's timestamp: the UTC time with milliseconds and `+0000`. */
export function eventStamp(): string {
  const d = new Date();
  const p = (n: number, w = 2): string => String(n).padStart(w, '0');
  return (
    `${d.getUTCFullYear()}-${p(d.getUTCMonth() + 1)}-${p(d.getUTCDate())} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:` +
    `${p(d.getUTCSeconds())}.${p(d.getUTCMilliseconds(), 3)}+0000`
  );
}

type Ending = 'timeout' | 'interrupt' | 'done';

/** The line virsh prints for one event, without the timestamp. */
function eventLine<H>(def: ObjectEventCommandDef<H>, eventId: number, obj: H, ev: PrintedEvent): string {
  const what = `event '${def.events[eventId]}' for ${def.noun} ${def.label(obj)}`;
  return eventId === 0 ? `${what}: ${def.lifecycle[ev.event ?? -1] ?? 'unknown'}` : what;
}

/** The command of one kind of object events. */
export function objectEventCommand<H>(def: ObjectEventCommandDef<H>): CmdDef {
  return {
    name: def.name,
    group: def.group,
    help: `${def.noun.replace(/(^|\s)\w/g, (c) => c.toUpperCase())} Events`,
    desc: `List event types, or wait for ${def.noun} events to occur`,
    opts: [
      def.filter,
      { name: 'event', type: 'string', help: 'which event type to wait for' },
      { name: 'loop', type: 'bool', help: 'loop until timeout or interrupt, rather than one-shot' },
      { name: 'timeout', type: 'int', help: 'timeout seconds' },
      { name: 'list', type: 'bool', help: 'list valid event types' },
      { name: 'timestamp', type: 'bool', help: 'show timestamp for each printed event' },
    ],
    async handler(ctl, opts) {
      if (flag(opts, 'list')) {
        for (const n of def.events) ctl.print(`${n}\n`);
        return true;
      }
      const eventName = str(ctl, opts, 'event');
      if (eventName === null) return ctl.fail('either --list or --event <type> is required');
      const eventId = def.events.indexOf(eventName);
      if (eventId < 0) ctl.fail(`unknown event type ${eventName}`);
      const timeout = uint(ctl, opts, 'timeout');
      if (timeout !== null && (timeout === 0 || timeout > 2147483)) {
        ctl.fail(`Numeric value '${timeout}' for <timeout> option is malformed or out of range`);
      }
      const filterText = str(ctl, opts, def.filter.name);
      let lookupError: unknown = null;
      const only =
        filterText === null
          ? null
          : await def.lookup(ctl, filterText).catch((e: unknown) => {
              if (!def.waitOnFailure) throw e;
              lookupError = e;
              return null;
            });
      const loop = flag(opts, 'loop');
      const ts = flag(opts, 'timestamp');
      let count = 0;
      let finish: (e: Ending) => void = () => undefined;
      const ended = new Promise<Ending>((resolve) => {
        finish = resolve;
      });
      const id = await def.register(ctl, only, eventId, (obj, ev) => {
        if (!loop && count) return;
        const line = eventLine(def, eventId, obj, ev);
        ctl.print(ts ? `${eventStamp()}: ${line}\n` : `${line}\n`);
        count++;
        if (!loop) finish('done');
      });
      const timer = timeout !== null ? setTimeout(() => finish('timeout'), timeout * 1000) : null;
      const onInt = (): void => finish('interrupt');
      process.once('SIGINT', onInt);
      const how = await ended;
      if (timer) clearTimeout(timer);
      process.removeListener('SIGINT', onInt);
      await def.deregister(ctl, id).catch(() => undefined);
      if (how === 'timeout') ctl.print('event loop timed out\n');
      if (how === 'interrupt') ctl.print('event loop interrupted\n');
      ctl.print(`events received: ${count}\n`);
      // virsh reports the lookup's error only when the command fails for want of events
      if (lookupError && count === 0) throw lookupError;
      return count > 0;
    },
  };
}
