/**
 * virDomainGet/SetBlockIoTune on a running TCG QEMU: QEMU's own throttle state (query-block) and
 * the persistent <iotune>; and the configured <iotune> QEMU gets as a disk appears (start, hotplug).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  DomainDeviceModifyFlags as F,
  DomainModificationImpact as I,
  DomainXMLFlags as X,
  ErrorNumber,
  type Connect,
  type Domain,
  type VirError,
} from '@virtkit/core';
import { cleanupRoot, domainXml, driverOf, makeDisk, newRoot, openEmbed, rejection } from './driver-helpers';

/** The throttle state QEMU itself reports for the device `qdev`, independent of our definition. */
async function qemuThrottle(dom: Domain, qdev: string): Promise<Record<string, unknown>> {
  const out = JSON.parse(await dom.qemuMonitorCommand(JSON.stringify({ execute: 'query-block' }), 0)) as {
    return: Array<{ qdev?: string; inserted?: Record<string, unknown> }>;
  };
  return out.return.find((b) => b.qdev?.includes(qdev))!.inserted!;
}

// Out of libvirt's order on purpose: the live XML shows them in libvirt's.
const TUNE =
  '<iotune><total_bytes_sec_max_length>3</total_bytes_sec_max_length><group_name>grp</group_name>' +
  '<total_bytes_sec_max>2097152</total_bytes_sec_max><read_iops_sec>50</read_iops_sec><total_bytes_sec>1048576</total_bytes_sec></iotune>';

describe('disk I/O limits on the QEMU driver', () => {
  let root: string;
  let conn: Connect;
  beforeAll(async () => {
    root = newRoot();
    conn = await openEmbed(root);
  });
  afterAll(async () => {
    await cleanupRoot(root, conn);
  });

  it('throttles the running disk through QMP and keeps the definition per flags', async () => {
    const dom = await conn.defineXML(domainXml('iot', { disk: makeDisk(root, 'iot.qcow2', '16M') }));
    await dom.create();
    await dom.setBlockIoTune(
      'hda',
      { total_bytes_sec: 1048576, total_bytes_sec_max: 2097152, read_iops_sec: 50, group_name: 'grp' },
      I.VIR_DOMAIN_AFFECT_LIVE,
    );
    // What QEMU itself reports for the device, independent of our definition.
    const obj = driverOf(conn).domains.get({ name: dom.getName(), uuid: dom.getUUIDString(), id: dom.getID() });
    const blocks = await obj.monitor().execute<Array<{ qdev?: string; inserted?: Record<string, unknown> }>>('query-block');
    const inserted = blocks.find((b) => b.qdev?.includes('ide0-0-0'))!.inserted!;
    expect([inserted.bps, inserted.bps_max, inserted.iops_rd, inserted.group]).toEqual([1048576, 2097152, 50, 'grp']);
    const live = await dom.getBlockIoTune('hda', I.VIR_DOMAIN_AFFECT_LIVE);
    expect(Object.keys(live)).toHaveLength(20);
    expect([live.total_bytes_sec, live.total_bytes_sec_max, live.read_iops_sec, live.group_name, live.write_bytes_sec]).toEqual([
      1048576,
      2097152,
      50,
      'grp',
      0,
    ]);
    expect(await dom.getXMLDesc()).toMatch(/<iotune>\s*<total_bytes_sec>1048576<\/total_bytes_sec>/);
    expect((await dom.getBlockIoTune('hda', I.VIR_DOMAIN_AFFECT_CONFIG)).total_bytes_sec).toBe(0);
    await dom.setBlockIoTune('hda', { write_iops_sec: 7 }, I.VIR_DOMAIN_AFFECT_CONFIG);
    expect(await dom.getXMLDesc(X.VIR_DOMAIN_XML_INACTIVE)).toMatch(/<iotune>\s*<write_iops_sec>7<\/write_iops_sec>\s*<\/iotune>/);
    expect((await dom.getBlockIoTune('hda', I.VIR_DOMAIN_AFFECT_LIVE)).write_iops_sec).toBe(0);

    const both = (await rejection(dom.setBlockIoTune('hda', { read_bytes_sec: 5 }, I.VIR_DOMAIN_AFFECT_LIVE))) as VirError;
    expect([both.code, both.message]).toEqual([
      ErrorNumber.VIR_ERR_INVALID_ARG,
      'invalid argument: total and read/write of bytes_sec cannot be set at the same time',
    ]);
    const burst = (await rejection(dom.setBlockIoTune('hda', { write_iops_sec_max: 9 }, I.VIR_DOMAIN_AFFECT_LIVE))) as VirError;
    expect([burst.code, burst.message]).toEqual([
      ErrorNumber.VIR_ERR_CONFIG_UNSUPPORTED,
      "unsupported configuration: value 'write_iops_sec_max' cannot be set if 'write_iops_sec' is not set",
    ]);
    const unknown = (await rejection(dom.setBlockIoTune('hda', { bogus: 1 }, 0))) as VirError;
    expect([unknown.code, unknown.message]).toEqual([
      ErrorNumber.VIR_ERR_ARGUMENT_UNSUPPORTED,
      "argument unsupported: parameter 'bogus' not supported",
    ]);
    const noDisk = (await rejection(dom.getBlockIoTune('vdz', 0))) as VirError;
    expect(noDisk.message).toBe("invalid argument: disk 'vdz' was not found in the domain config");
    await dom.destroy();
    const notRunning = (await rejection(dom.getBlockIoTune('hda', I.VIR_DOMAIN_AFFECT_LIVE))) as VirError;
    expect(notRunning.code).toBe(ErrorNumber.VIR_ERR_OPERATION_INVALID);
    await dom.undefine();
  });

  it('gives QEMU the configured <iotune> at start and on hotplug', async () => {
    const xml = domainXml('iotcfg', { disk: makeDisk(root, 'iotcfg.qcow2', '16M'), acpi: true }).replace(
      "bus='ide'/>",
      `bus='ide'/>${TUNE}`,
    );
    const dom = await conn.defineXML(xml);
    await dom.create();
    const hda = await qemuThrottle(dom, 'ide0-0-0');
    expect([hda.bps, hda.bps_max, hda.bps_max_length, hda.iops_rd, hda.group, hda.bps_rd]).toEqual([1048576, 2097152, 3, 50, 'grp', 0]);
    const live = await dom.getBlockIoTune('hda', I.VIR_DOMAIN_AFFECT_LIVE);
    expect([live.total_bytes_sec, live.total_bytes_sec_max, live.total_bytes_sec_max_length, live.read_iops_sec, live.group_name]).toEqual([
      1048576,
      2097152,
      3,
      50,
      'grp',
    ]);
    expect(await dom.getXMLDesc()).toContain(
      '<iotune>\n        <total_bytes_sec>1048576</total_bytes_sec>\n        <read_iops_sec>50</read_iops_sec>\n' +
        '        <total_bytes_sec_max>2097152</total_bytes_sec_max>\n        <group_name>grp</group_name>\n' +
        '        <total_bytes_sec_max_length>3</total_bytes_sec_max_length>\n      </iotune>',
    );

    const file = makeDisk(root, 'iotcfg-hot.qcow2', '16M');
    const hot = `<disk type='file' device='disk'><driver name='qemu' type='qcow2'/><source file='${file}'/><target dev='vdb' bus='virtio'/>${TUNE.replace('grp', 'hot')}</disk>`;
    await dom.attachDeviceFlags(hot, F.VIR_DOMAIN_DEVICE_MODIFY_LIVE);
    const vdb = await qemuThrottle(dom, 'virtio-disk1');
    expect([vdb.bps, vdb.bps_max, vdb.bps_max_length, vdb.iops_rd, vdb.group]).toEqual([1048576, 2097152, 3, 50, 'hot']);
    expect((await dom.getBlockIoTune('vdb', I.VIR_DOMAIN_AFFECT_LIVE)).group_name).toBe('hot');
    // A virtio disk's backend is a child of its device: QEMU finds it by QOM path, as libvirt names it.
    await dom.setBlockIoTune('vdb', { write_iops_sec: 9 }, I.VIR_DOMAIN_AFFECT_LIVE);
    expect((await qemuThrottle(dom, 'virtio-disk1')).iops_wr).toBe(9);
    await dom.destroy();
    await dom.undefine();
  });

  it("gives a new CD-ROM medium the drive's configured <iotune>", async () => {
    const cd = (src: string, tune = '') =>
      `<disk type='file' device='cdrom'><driver name='qemu' type='raw'/>${src}<target dev='hdc' bus='ide'/>${tune}<readonly/></disk>`;
    const xml = domainXml('iotcd').replace('<devices>', `<devices>${cd('', TUNE.replace('grp', 'cd'))}`);
    const dom = await conn.defineXML(xml);
    // An empty drive cannot be throttled: start skips it, as libvirt does.
    await dom.create();
    const iso = path.join(root, 'iotcd.iso');
    fs.writeFileSync(iso, Buffer.alloc(1024 * 1024));
    await dom.updateDeviceFlags(cd(`<source file='${iso}'/>`), F.VIR_DOMAIN_DEVICE_MODIFY_LIVE);
    const hdc = await qemuThrottle(dom, 'ide0-1-0');
    expect([hdc.file, hdc.bps, hdc.iops_rd, hdc.group]).toEqual([iso, 1048576, 50, 'cd']);
    await dom.destroy();
    await dom.undefine();
  });
});
