/**
 * The QEMU XML namespace on a real start: `<qemu:commandline>` arguments and environment reach the
 * QEMU process, and `<qemu:override>` changes a device property QEMU then reports.
 */
import * as fs from 'node:fs';
import type { Connect } from '@virtkit/core';
import { cleanupRoot, driverOf, newRoot, openEmbed } from './driver-helpers';

const XML =
  `<domain type='qemu' xmlns:q='http://libvirt.org/schemas/domain/qemu/1.0'><name>ns</name>` +
  `<memory unit='MiB'>64</memory><vcpu>1</vcpu><os><type arch='x86_64'>hvm</type></os>` +
  `<devices><memballoon model='virtio'/></devices>` +
  `<q:commandline><q:arg value='-device'/><q:arg value='pvpanic,id=extra0'/><q:env name='VIRTKIT_NS' value='set'/><q:env name='EMPTY'/></q:commandline>` +
  `<q:override><q:device alias='balloon0'><q:frontend><q:property name='deflate-on-oom' type='bool' value='true'/></q:frontend></q:device></q:override>` +
  `</domain>`;

describe('the QEMU XML namespace on a running domain', () => {
  let root: string;
  let conn: Connect;
  beforeAll(async () => {
    root = newRoot();
    conn = await openEmbed(root);
  });
  afterAll(async () => {
    await cleanupRoot(root, conn);
  });

  it('passes <qemu:commandline> and <qemu:override> to QEMU', async () => {
    const dom = await conn.createXML(XML);
    const obj = driverOf(conn).domains.findByName('ns')!;
    const pid = obj.runtime.pid!;
    const argv = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    expect(argv.slice(argv.indexOf('pvpanic,id=extra0') - 1, argv.indexOf('pvpanic,id=extra0') + 1)).toEqual([
      '-device',
      'pvpanic,id=extra0',
    ]);
    const env = fs.readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0');
    expect(env).toEqual(expect.arrayContaining(['VIRTKIT_NS=set', 'EMPTY=']));
    // QEMU itself reports the overridden property of the balloon and the extra device.
    const qmp = obj.monitor();
    const balloon = await qmp.execute<boolean>('qom-get', { path: '/machine/peripheral/balloon0', property: 'deflate-on-oom' });
    expect(balloon).toBe(true);
    const extra = await qmp.execute<Array<{ name: string }>>('qom-list', { path: '/machine/peripheral/extra0' });
    expect(extra.length).toBeGreaterThan(0);
    await dom.destroy();
  });
});
