/**
 * Guest-initiated power-off with real QEMU: a boot sector that powers the machine off stands in
 * for a guest OS, so shutdown handling and the reboot-through-power-off path run for real.
 */
import { DomainCreateFlags, DomainEventType as E, DomainState as S, type Connect } from '@virtkit/core';
import type { QmpEvent } from '../src';
import { cleanupRoot, domainXml, driverOf, makePoweroffDisk, newRoot, openEmbed, recordLifecycle, until } from './driver-helpers';

describe('guest power-off', () => {
  let root: string;
  let conn: Connect;
  let disk: string;
  let events: Array<[string, number, number]>;

  beforeAll(async () => {
    root = newRoot();
    disk = makePoweroffDisk(root);
    conn = await openEmbed(root);
    events = await recordLifecycle(conn);
  });

  afterAll(async () => {
    await cleanupRoot(root, conn);
  });

  const stoppedOf = (name: string) => () => events.some(([n, e]) => n === name && e === E.VIR_DOMAIN_EVENT_STOPPED);

  it('a guest that powers off ends shut off (shutdown)', async () => {
    const dom = await conn.defineXML(domainXml('poweroff', { disk, diskFormat: 'raw', acpi: true }));
    await dom.create();
    await until(stoppedOf('poweroff'), 30_000);
    expect(await dom.getState()).toEqual({ state: S.VIR_DOMAIN_SHUTOFF, reason: 1 /* shutdown */ });
    expect(events.filter(([n]) => n === 'poweroff')).toEqual([
      ['poweroff', E.VIR_DOMAIN_EVENT_DEFINED, 0],
      ['poweroff', E.VIR_DOMAIN_EVENT_RESUMED, 0],
      ['poweroff', E.VIR_DOMAIN_EVENT_STARTED, 0],
      ['poweroff', E.VIR_DOMAIN_EVENT_SHUTDOWN, 1 /* guest */],
      ['poweroff', E.VIR_DOMAIN_EVENT_STOPPED, 0 /* shutdown */],
    ]);
    await dom.undefine();
  });

  it('reboot turns the next guest power-off into a reset (fake reboot); the one after stops it', async () => {
    const dom = await conn.createXML(
      domainXml('rebooter', { disk, diskFormat: 'raw', acpi: true }),
      DomainCreateFlags.VIR_DOMAIN_START_PAUSED,
    );
    const reboots: number[] = [];
    await conn.domainEventRegisterAny(dom, 1 /* REBOOT */, () => reboots.push(1));
    const resets: unknown[] = [];
    driverOf(conn)
      .domains.findByName('rebooter')!
      .runtime.on('qmp-event', (e: QmpEvent) => {
        if (e.event === 'RESET') resets.push(e.data);
      });
    await dom.reboot();
    await dom.resume();
    await until(stoppedOf('rebooter'), 45_000);
    expect(events.filter(([n]) => n === 'rebooter')).toEqual([
      ['rebooter', E.VIR_DOMAIN_EVENT_STARTED, 0],
      ['rebooter', E.VIR_DOMAIN_EVENT_SUSPENDED, 0],
      ['rebooter', E.VIR_DOMAIN_EVENT_RESUMED, 0],
      ['rebooter', E.VIR_DOMAIN_EVENT_SHUTDOWN, 1 /* guest */],
      ['rebooter', E.VIR_DOMAIN_EVENT_RESUMED, 0 /* after the reset */],
      ['rebooter', E.VIR_DOMAIN_EVENT_SHUTDOWN, 1],
      ['rebooter', E.VIR_DOMAIN_EVENT_STOPPED, 0],
    ]);
    // Every QEMU reset is a REBOOT event, ours (the fake reboot) included.
    expect(resets).toContainEqual({ guest: false, reason: 'host-qmp-system-reset' });
    expect(reboots).toHaveLength(resets.length);
  });
});
