/**
 * Snapshot metadata without a running QEMU: REDEFINE, current tracking, persistence, the
 * flag and argument errors libvirt reports, and offline internal snapshots through qemu-img.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  DomainSnapshotCreateFlags as CF,
  DomainSnapshotDeleteFlags as DF,
  DomainSnapshotRevertFlags as RF,
  ErrorDomain,
  ErrorNumber,
} from '@virtkit/core';
import { formatDomainXml } from '@virtkit/xml';
import { QemuSnapshots, snapshotSpi } from '../src/snapshot';
import { SnapVm, UUID, imageTags } from './snapshot-fixture';

const REDEFINE = CF.VIR_DOMAIN_SNAPSHOT_CREATE_REDEFINE;
const CURRENT = CF.VIR_DOMAIN_SNAPSHOT_CREATE_CURRENT;

describe('QEMU snapshot metadata', () => {
  const vm = new SnapVm(1);
  const domXml = formatDomainXml(vm.persistent!, { inactive: true, secure: true });
  afterAll(() => vm.cleanup());

  /** A snapshot's redefinition XML. */
  function snapXml(name: string, parent?: string, state = 'running', time = 1000, dom = domXml): string {
    return (
      `<domainsnapshot><name>${name}</name><state>${state}</state>` +
      (parent ? `<parent><name>${parent}</name></parent>` : '') +
      `<creationTime>${time}</creationTime>${dom}</domainsnapshot>`
    );
  }

  function fresh(): { snaps: QemuSnapshots; dir: string } {
    const dir = fs.mkdtempSync(path.join(vm.dir, 'meta-'));
    return { snaps: new QemuSnapshots(vm.ctx({ dirs: { snapshots: dir } })), dir };
  }

  it('redefines a tree, makes it current only with CURRENT, and stores one file per snapshot', async () => {
    const { snaps, dir } = fresh();
    await snaps.create(snapXml('a'), REDEFINE);
    expect(await snaps.hasCurrent(0)).toBe(false);
    await snaps.create(snapXml('b', 'a', 'shutoff', 1001), REDEFINE | CURRENT);
    await snaps.create(snapXml('c', 'a', 'paused', 1002), REDEFINE);
    expect(await snaps.current(0)).toBe('b');
    expect(fs.readdirSync(dir).sort()).toEqual(['a.xml', 'b.xml', 'c.xml']);
    expect(fs.readFileSync(path.join(dir, 'b.xml'), 'utf8')).toContain('<active>1</active>');
    expect(fs.readFileSync(path.join(dir, 'a.xml'), 'utf8')).toContain('<active>0</active>');
    // libvirt keeps the most recently linked child first
    expect(await snaps.listChildren('a', 0)).toEqual(['c', 'b']);
    // redefining the current snapshot keeps it current; moving it re-links it
    await snaps.create(snapXml('b', undefined, 'shutoff', 1001), REDEFINE);
    expect(await snaps.current(0)).toBe('b');
    expect((await snaps.listAll(1)).sort()).toEqual(['a', 'b']);
    const again = new QemuSnapshots(vm.ctx({ dirs: { snapshots: dir } }));
    expect(await again.current(0)).toBe('b');
    expect((await again.listAll(1)).sort()).toEqual(['a', 'b']);
    expect(await again.listChildren('a', 0)).toEqual(['c']);
  });

  it("refuses bad redefinitions with libvirt's errors", async () => {
    const { snaps } = fresh();
    await snaps.create(snapXml('a'), REDEFINE);
    await snaps.create(snapXml('b', 'a'), REDEFINE);
    const fails = (xml: string) => snaps.create(xml, REDEFINE);
    await expect(fails(snapXml('a', 'a'))).rejects.toMatchObject({
      code: ErrorNumber.VIR_ERR_INVALID_ARG,
      domain: ErrorDomain.VIR_FROM_DOMAIN,
      message: 'invalid argument: cannot set moment a as its own parent',
    });
    await expect(fails(snapXml('a', 'b'))).rejects.toMatchObject({ message: 'invalid argument: parent b would create cycle to a' });
    await expect(fails(snapXml('x', 'nope'))).rejects.toMatchObject({ message: 'invalid argument: parent nope for moment x not found' });
    await expect(fails(snapXml('a', undefined, 'shutoff'))).rejects.toMatchObject({
      message: 'invalid argument: cannot change between online and offline snapshot state in snapshot a',
    });
    await expect(
      fails(snapXml('y', undefined, 'running', 1, domXml.replace(UUID, '00000000-0000-0000-0000-000000000001'))),
    ).rejects.toMatchObject({
      code: ErrorNumber.VIR_ERR_INVALID_ARG,
      domain: ErrorDomain.VIR_FROM_DOMAIN_SNAPSHOT,
      message: `invalid argument: definition for snapshot y must use uuid ${UUID}`,
    });
    await expect(fails('<domainsnapshot><name>z</name></domainsnapshot>')).rejects.toMatchObject({
      code: ErrorNumber.VIR_ERR_INTERNAL_ERROR,
    });
    await expect(
      fails(
        snapXml('d', undefined, 'running', 1, domXml.replace("<target dev='vda'", "<target dev='vdq'")).replace(
          '</domainsnapshot>',
          "<disks><disk name='vdz'/></disks></domainsnapshot>",
        ),
      ),
    ).rejects.toMatchObject({ code: ErrorNumber.VIR_ERR_CONFIG_UNSUPPORTED, message: "unsupported configuration: no disk named 'vdz'" });
    expect((await snaps.listAll(0)).sort()).toEqual(['a', 'b']);
  });

  it('checks flags as libvirt does', async () => {
    const { snaps } = fresh();
    const xml = '<domainsnapshot><name>f</name></domainsnapshot>';
    await expect(snaps.create(xml, 1 << 12)).rejects.toMatchObject({
      code: ErrorNumber.VIR_ERR_INVALID_ARG,
      message: 'unsupported flags (0x1000) in function qemuSnapshotCreateXML',
    });
    await expect(snaps.create(xml, CF.VIR_DOMAIN_SNAPSHOT_CREATE_QUIESCE)).rejects.toMatchObject({
      message: "invalid argument: Flag 'VIR_DOMAIN_SNAPSHOT_CREATE_DISK_ONLY' is required by flag 'VIR_DOMAIN_SNAPSHOT_CREATE_QUIESCE'",
    });
    await expect(snaps.create(xml, CF.VIR_DOMAIN_SNAPSHOT_CREATE_QUIESCE | CF.VIR_DOMAIN_SNAPSHOT_CREATE_DISK_ONLY)).rejects.toMatchObject({
      code: ErrorNumber.VIR_ERR_ARGUMENT_UNSUPPORTED,
    });
    await expect(snaps.create(xml, REDEFINE | CF.VIR_DOMAIN_SNAPSHOT_CREATE_NO_METADATA)).rejects.toMatchObject({
      message:
        "invalid argument: Flags 'VIR_DOMAIN_SNAPSHOT_CREATE_REDEFINE' and 'VIR_DOMAIN_SNAPSHOT_CREATE_NO_METADATA' are mutually exclusive",
    });
    await expect(snaps.create(xml, CF.VIR_DOMAIN_SNAPSHOT_CREATE_LIVE)).rejects.toMatchObject({
      code: ErrorNumber.VIR_ERR_OPERATION_UNSUPPORTED,
      message: 'Operation not supported: live snapshot creation is supported only during full system snapshots',
    });
    await expect(snaps.create(xml, CF.VIR_DOMAIN_SNAPSHOT_CREATE_LIVE | REDEFINE)).rejects.toMatchObject({
      message: "invalid argument: Flags 'VIR_DOMAIN_SNAPSHOT_CREATE_LIVE' and 'VIR_DOMAIN_SNAPSHOT_CREATE_REDEFINE' are mutually exclusive",
    });
    await expect(snaps.listAll(1 << 11)).rejects.toMatchObject({
      message: 'unsupported flags (0x800) in function qemuDomainListAllSnapshots',
    });
    await snaps.create(snapXml('a', undefined, 'shutoff'), REDEFINE);
    await expect(snaps.revert('a', RF.VIR_DOMAIN_SNAPSHOT_REVERT_RUNNING | RF.VIR_DOMAIN_SNAPSHOT_REVERT_PAUSED)).rejects.toMatchObject({
      code: ErrorNumber.VIR_ERR_INVALID_ARG,
    });
    await expect(
      snaps.delete('a', DF.VIR_DOMAIN_SNAPSHOT_DELETE_CHILDREN | DF.VIR_DOMAIN_SNAPSHOT_DELETE_CHILDREN_ONLY),
    ).rejects.toMatchObject({
      code: ErrorNumber.VIR_ERR_INVALID_ARG,
    });
    expect(await snaps.listAll(0)).toEqual(['a']);
  });

  it("answers lookups, parents and current with libvirt's not-found errors", async () => {
    const { snaps } = fresh();
    await expect(snaps.current(0)).rejects.toMatchObject({
      code: ErrorNumber.VIR_ERR_NO_DOMAIN_SNAPSHOT,
      message: 'Domain snapshot not found: the domain does not have a current snapshot',
    });
    await snaps.create(snapXml('a'), REDEFINE | CURRENT);
    await expect(snaps.lookup('zz', 0)).rejects.toMatchObject({
      message: "Domain snapshot not found: no domain snapshot with matching name 'zz'",
    });
    await expect(snaps.parent('a', 0)).rejects.toMatchObject({ message: "Domain snapshot not found: snapshot 'a' does not have a parent" });
    expect(await snaps.lookup('a', 0)).toBe('a');
    expect(await snaps.hasMetadata('a', 0)).toBe(true);
    expect(await snaps.isCurrent('a', 0)).toBe(true);
    const xml = await snaps.getXMLDesc('a', 0);
    expect(xml).toMatch(/^<domainsnapshot>\n {2}<name>a<\/name>\n {2}<state>running<\/state>/);
    expect(xml).toContain(`<uuid>${UUID}</uuid>`);
    expect(xml).not.toContain('<active>');
  });

  it('deletes metadata only, moving children up and the current snapshot to the parent', async () => {
    const { snaps, dir } = fresh();
    await snaps.create(snapXml('a'), REDEFINE);
    await snaps.create(snapXml('b', 'a', 'running', 1001), REDEFINE | CURRENT);
    await snaps.create(snapXml('c', 'b', 'running', 1002), REDEFINE);
    await snaps.create(snapXml('d', 'b', 'running', 1003), REDEFINE);
    await snaps.delete('b', DF.VIR_DOMAIN_SNAPSHOT_DELETE_METADATA_ONLY);
    expect(await snaps.current(0)).toBe('a');
    expect((await snaps.listChildren('a', 0)).sort()).toEqual(['c', 'd']);
    const again = new QemuSnapshots(vm.ctx({ dirs: { snapshots: dir } }));
    expect(await again.parent('c', 0)).toBe('a');
    expect(await again.current(0)).toBe('a');
    expect(fs.readdirSync(dir).sort()).toEqual(['a.xml', 'c.xml', 'd.xml']);
  });

  it('takes, reverts and deletes an offline internal snapshot with qemu-img; NO_METADATA leaves no file', async () => {
    const { snaps, dir } = fresh();
    await snaps.create('<domainsnapshot><name>off</name></domainsnapshot>', 0);
    expect(imageTags(vm.disks[0])).toEqual(['off']);
    await expect(snaps.create('<domainsnapshot><name>off</name></domainsnapshot>', 0)).rejects.toMatchObject({
      code: ErrorNumber.VIR_ERR_OPERATION_FAILED,
      message: 'operation failed: domain moment off already exists',
    });
    await snaps.create('<domainsnapshot><name>nometa</name></domainsnapshot>', CF.VIR_DOMAIN_SNAPSHOT_CREATE_NO_METADATA);
    expect(imageTags(vm.disks[0])).toEqual(['nometa', 'off']);
    expect(await snaps.listAll(0)).toEqual(['off']);
    expect(fs.readdirSync(dir)).toEqual(['off.xml']);
    await snaps.revert('off', 0);
    expect(await snaps.current(0)).toBe('off');
    // RUNNING / PAUSED start the domain after rolling the images back
    await snaps.revert('off', RF.VIR_DOMAIN_SNAPSHOT_REVERT_RUNNING);
    expect(vm.qmp).toBeDefined();
    expect(vm.state).toBe(1);
    await snaps.revert('off', RF.VIR_DOMAIN_SNAPSHOT_REVERT_PAUSED);
    expect(vm.state).toBe(3);
    expect((await vm.qmp!.execute<{ status: string }>('query-status')).status).toBe('prelaunch');
    await vm.stop();
    const transient = new QemuSnapshots(vm.ctx({ dirs: { snapshots: dir }, persistentDef: () => undefined }));
    await expect(transient.revert('off', 0)).rejects.toMatchObject({
      code: ErrorNumber.VIR_ERR_OPERATION_INVALID,
      message: 'Requested operation is not valid: transient domain needs to request run or pause to revert to inactive snapshot',
    });
    await expect(transient.create('<domainsnapshot/>', CF.VIR_DOMAIN_SNAPSHOT_CREATE_HALT)).rejects.toMatchObject({
      message: 'Requested operation is not valid: cannot halt after transient domain snapshot',
    });
    await snaps.delete('off', 0);
    expect(imageTags(vm.disks[0])).toEqual(['nometa']);
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  it('serves the SPI with refs of the domain', async () => {
    const { snaps } = fresh();
    const spi = snapshotSpi(() => snaps);
    const dom = { name: 'snap', uuid: UUID, id: -1 };
    const a = await spi.domainSnapshotCreateXML(dom, snapXml('a'), REDEFINE | CURRENT);
    await spi.domainSnapshotCreateXML(dom, snapXml('b', 'a', 'running', 1001), REDEFINE);
    expect(a).toEqual({ name: 'a', domain: dom });
    expect(await spi.domainListAllSnapshots(dom, 4)).toEqual([{ name: 'b', domain: dom }]);
    expect(await spi.domainSnapshotGetParent({ name: 'b', domain: dom }, 0)).toEqual(a);
    expect(await spi.domainSnapshotCurrent(dom, 0)).toEqual(a);
    expect(await spi.domainSnapshotListAllChildren(a, 0)).toEqual([{ name: 'b', domain: dom }]);
    expect(await spi.domainSnapshotNum(dom, 1)).toBe(1);
    expect(await spi.domainSnapshotListChildrenNames(a, 5, 0)).toEqual(['b']);
    await spi.domainSnapshotDelete(a, DF.VIR_DOMAIN_SNAPSHOT_DELETE_METADATA_ONLY);
    expect(await spi.domainHasCurrentSnapshot(dom, 0)).toBe(false);
  });

  it('refuses what QEMU cannot snapshot', async () => {
    const { snaps, dir } = fresh();
    const err = (xml: string, flags = 0) => snaps.create(`<domainsnapshot><name>x</name>${xml}</domainsnapshot>`, flags);
    await expect(err("<disks><disk name='vda' snapshot='no'/></disks>")).rejects.toMatchObject({
      message: 'unsupported configuration: nothing selected for snapshot',
    });
    await expect(err("<disks><disk name='vda' snapshot='external' type='file'><driver type='raw'/></disk></disks>")).rejects.toMatchObject({
      message: 'unsupported configuration: external snapshot format for disk vda is unsupported: raw',
    });
    fs.writeFileSync(path.join(vm.dir, 'taken'), '');
    await expect(
      err(`<disks><disk name='vda' snapshot='external'><source file='${path.join(vm.dir, 'taken')}'/></disk></disks>`),
    ).rejects.toMatchObject({
      message: `unsupported configuration: external snapshot file for disk vda already exists and is not a block device: ${path.join(vm.dir, 'taken')}`,
    });
    await expect(err("<memory snapshot='external' file='/tmp/x.mem'/>")).rejects.toMatchObject({ code: ErrorNumber.VIR_ERR_XML_ERROR });
    expect(fs.readdirSync(dir)).toEqual([]);
    await snaps.create(
      snapXml('ext', undefined, 'disk-snapshot').replace(
        '</domainsnapshot>',
        `<disks><disk name='vda' snapshot='external'><source file='${path.join(vm.dir, 'ext.qcow2')}'/></disk></disks></domainsnapshot>`,
      ),
      REDEFINE,
    );
    await expect(snaps.revert('ext', 0)).rejects.toMatchObject({
      code: ErrorNumber.VIR_ERR_CONFIG_UNSUPPORTED,
      message: 'unsupported configuration: revert to external snapshot not supported yet',
    });
  });
});
