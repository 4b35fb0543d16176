/**
 * virDomainSetBlockThreshold and the BLOCK_THRESHOLD event on a running TCG QEMU: the threshold
 * lands on the image's storage node (QEMU's own query-named-block-nodes shows it, and so does the
 * block.N.threshold stat), a real write past it (QEMU's qemu-io through the monitor, into the
 * disk's device) raises QEMU's BLOCK_WRITE_THRESHOLD, and the driver publishes libvirt's events for
 * it; virDomainGetDiskErrors reads QEMU's io-status of the same disk.
 */
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import {
  ConnectGetAllDomainStatsFlags as SF,
  DomainEventID,
  DomainQemuMonitorCommandFlags as MF,
  DomainStatsTypes as S,
  ErrorNumber,
  type Connect,
  type Domain,
  type DomainEvent,
  type VirError,
} from '@virtkit/core';
import { cleanupRoot, domainXml, newRoot, openEmbed, rejection, until } from './driver-helpers';

const MiB = 1024 * 1024;

describe('block write thresholds on the QEMU driver', () => {
  let root: string;
  let conn: Connect;
  let image: string;
  let dom: Domain;
  const events: Array<Record<string, unknown>> = [];

  beforeAll(async () => {
    root = newRoot();
    conn = await openEmbed(root);
    image = path.join(root, 'thr.raw');
    execFileSync('qemu-img', ['create', '-q', '-f', 'raw', image, '8M']);
    await conn.domainEventRegisterAny(null, DomainEventID.VIR_DOMAIN_EVENT_ID_BLOCK_THRESHOLD, (_c, _d, e: DomainEvent) => {
      events.push({ dev: e.dev, path: e.path, threshold: e.threshold, excess: e.excess });
    });
    dom = await conn.defineXML(domainXml('thr', { disk: image, diskFormat: 'raw' }));
    await dom.create();
  });
  afterAll(async () => {
    await cleanupRoot(root, conn);
  });

  /** The write threshold QEMU itself holds on the disk's storage node. */
  const qemuThreshold = async (): Promise<number> => {
    const reply = JSON.parse(await dom.qemuMonitorCommand('{"execute":"query-named-block-nodes","arguments":{"flat":true}}', 0)) as {
      return: Array<{ 'node-name': string; write_threshold: number }>;
    };
    return reply.return.find((n) => n['node-name'] === 'libvirt-1-storage')!.write_threshold;
  };
  const thresholdStat = async () =>
    (await conn.getAllDomainStats(S.VIR_DOMAIN_STATS_BLOCK, SF.VIR_CONNECT_GET_ALL_DOMAINS_STATS_ACTIVE))[0].params['block.0.threshold'];
  /** A write by QEMU into the disk as the guest's device sees it. */
  const write = (offset: number, length: number) =>
    dom.qemuMonitorCommand(`qemu-io -d ide0-0-0 "write ${offset} ${length}"`, MF.VIR_DOMAIN_QEMU_MONITOR_COMMAND_HMP);

  it('sets the threshold on the storage node and reports it in the block stats', async () => {
    await dom.setBlockThreshold('hda', MiB, 0);
    expect(await qemuThreshold()).toBe(MiB);
    expect(await thresholdStat()).toBe(MiB);
  });

  it('raises BLOCK_THRESHOLD for the disk and for its image once a write passes it', async () => {
    events.length = 0;
    await write(0, 512 * 1024);
    await write(0, 3 * MiB);
    await until(() => events.length >= 2);
    const expected = { path: image, threshold: MiB, excess: 2 * MiB };
    expect(events).toEqual([
      { dev: 'hda', ...expected },
      { dev: 'hda[1]', ...expected },
    ]);
    // QEMU drops a threshold once it fired.
    expect(await qemuThreshold()).toBe(0);
    expect(await thresholdStat()).toBeUndefined();
  });

  it('names only the image when the threshold was set with its index', async () => {
    events.length = 0;
    await dom.setBlockThreshold('hda[1]', 4 * MiB, 0);
    await write(4 * MiB, MiB);
    await until(() => events.length >= 1);
    await new Promise((r) => setTimeout(r, 300));
    expect(events).toEqual([{ dev: 'hda[1]', path: image, threshold: 4 * MiB, excess: MiB }]);
  });

  it("refuses what libvirt's qemuDomainGetStorageSourceByDevstr refuses", async () => {
    const cases: Array<[string, string]> = [
      ['hdz', "invalid argument: failed to find disk 'hdz'"],
      ['hda[x]', "invalid argument: failed to parse block device 'hda[x]'"],
      ['hda[1', "invalid argument: failed to parse block device 'hda[1'"],
      ['hda[7]', "invalid argument: failed to find disk 'hda[7]'"],
    ];
    for (const [dev, message] of cases) {
      const e = (await rejection(dom.setBlockThreshold(dev, MiB, 0))) as VirError;
      expect([e.code, e.message]).toEqual([ErrorNumber.VIR_ERR_INVALID_ARG, message]);
    }
  });

  it('has no disk errors while QEMU reports none, and needs a running domain', async () => {
    expect(await dom.getDiskErrors(0)).toEqual([]);
    await dom.destroy();
    for (const call of [dom.getDiskErrors(0), dom.setBlockThreshold('hda', MiB, 0)]) {
      const e = (await rejection(call)) as VirError;
      expect([e.code, e.message]).toEqual([
        ErrorNumber.VIR_ERR_OPERATION_INVALID,
        'Requested operation is not valid: domain is not running',
      ]);
    }
    await dom.undefine();
  });
});
