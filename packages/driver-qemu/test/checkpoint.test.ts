/** Checkpoints: bitmaps per checkpoint running and shut off, the tree, metadata, restarts. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  DomainCheckpointCreateFlags as Create,
  DomainCheckpointDeleteFlags as Delete,
  DomainCheckpointListFlags as List,
  DomainCheckpointXMLFlags as Xml,
  ErrorNumber,
} from '@virtkit/core';
import { Checkpoints } from '../src/backup';
import { TestVm, imageBitmapNames } from './backup-fixture';
import { rejection } from './helpers';

const chk = (name: string, extra = '') => `<domaincheckpoint><name>${name}</name>${extra}</domaincheckpoint>`;
const names = (image: string) =>
  imageBitmapNames(image)
    .map((b) => b.name)
    .sort();

describe('checkpoints', () => {
  const vm = new TestVm(2, '32M');
  afterAll(() => vm.cleanup());

  it('shut off: qemu-img bitmaps per checkpoint, SIZE through a storage daemon, delete', async () => {
    const cps = new Checkpoints(vm.ctx());
    expect(await cps.create(chk('a'), 0)).toBe('a');
    expect(await cps.create(chk('b', `<disks><disk name='vdb' checkpoint='no'/></disks>`), 0)).toBe('b');
    expect(names(vm.disks[0])).toEqual(['a', 'b']);
    expect(names(vm.disks[1])).toEqual(['a']);
    expect(imageBitmapNames(vm.disks[0]).every((b) => b.flags.includes('auto'))).toBe(true);
    const xml = await cps.getXMLDesc('b', Xml.VIR_DOMAIN_CHECKPOINT_XML_SIZE | Xml.VIR_DOMAIN_CHECKPOINT_XML_NO_DOMAIN);
    expect(xml).toMatch(/<parent>\s*<name>a<\/name>\s*<\/parent>/);
    expect(xml).toContain(`<disk name='vda' checkpoint='bitmap' bitmap='b' size='0'/>`);
    expect(xml).toContain(`<disk name='vdb' checkpoint='no'/>`);
    expect(await cps.getXMLDesc('a', 0)).toContain('<domain type=');
    // Deleting shut off removes only that checkpoint's bitmaps.
    await cps.delete('a', 0);
    expect(names(vm.disks[0])).toEqual(['b']);
    expect(names(vm.disks[1])).toEqual([]);
    expect((await rejection(cps.parent('b'))).code).toBe(ErrorNumber.VIR_ERR_NO_DOMAIN_CHECKPOINT);
  });

  it('running: bitmaps in one transaction, SIZE counts writes, metadata and bitmaps survive a restart', async () => {
    await vm.start();
    const cps = new Checkpoints(vm.ctx());
    await cps.create(chk('c'), 0);
    await vm.io(0, 'write -P 0x33 1M 256k');
    await vm.io(1, 'write -P 0x33 2M 64k');
    await cps.create(chk('d'), 0);
    await vm.io(0, 'write -P 0x34 5M 64k');
    const size = (await cps.getXMLDesc('c', Xml.VIR_DOMAIN_CHECKPOINT_XML_SIZE)).match(/size='(\d+)'/g);
    expect(size).toEqual([`size='${256 * 1024 + 64 * 1024}'`, `size='${64 * 1024}'`]);
    await vm.stop();
    expect(names(vm.disks[0])).toEqual(['b', 'c', 'd']);
    // Shut off, the storage daemon reads the same counts from the images.
    const again = new Checkpoints(vm.ctx());
    expect((await again.getXMLDesc('d', Xml.VIR_DOMAIN_CHECKPOINT_XML_SIZE)).match(/size='(\d+)'/g)).toEqual([
      `size='${64 * 1024}'`,
      `size='0'`,
    ]);
    await vm.start();
    await vm.io(0, 'write -P 0x35 9M 64k');
    expect((await again.getXMLDesc('d', Xml.VIR_DOMAIN_CHECKPOINT_XML_SIZE)).match(/size='(\d+)'/g)).toEqual([
      `size='${2 * 64 * 1024}'`,
      `size='0'`,
    ]);
    expect(await again.current()).toBe('d');
    await vm.stop();
  });

  it('tree listings with ROOTS, DESCENDANTS, LEAVES, NO_LEAVES, TOPOLOGICAL', async () => {
    const cps = new Checkpoints(vm.ctx());
    // b ── c ── d, then a second branch from c after redefining the current one.
    const dXml = await cps.getXMLDesc('d', 0);
    await cps.create(chk('e'), 0);
    expect(await cps.parent('e')).toBe('d');
    await cps.create(
      dXml.replace('<name>d</name>', '<name>f</name>').replace(/bitmap='d'/g, "bitmap='f'"),
      Create.VIR_DOMAIN_CHECKPOINT_CREATE_REDEFINE,
    );
    expect(await cps.parent('f')).toBe('c');
    expect((await cps.listAll(0)).sort()).toEqual(['b', 'c', 'd', 'e', 'f']);
    expect(await cps.listAll(List.VIR_DOMAIN_CHECKPOINT_LIST_ROOTS)).toEqual(['b']);
    expect((await cps.listAll(List.VIR_DOMAIN_CHECKPOINT_LIST_LEAVES)).sort()).toEqual(['e', 'f']);
    expect((await cps.listAll(List.VIR_DOMAIN_CHECKPOINT_LIST_NO_LEAVES)).sort()).toEqual(['b', 'c', 'd']);
    const topo = await cps.listAll(List.VIR_DOMAIN_CHECKPOINT_LIST_TOPOLOGICAL);
    for (const [p, c] of [
      ['b', 'c'],
      ['c', 'd'],
      ['d', 'e'],
      ['c', 'f'],
    ])
      expect(topo.indexOf(p)).toBeLessThan(topo.indexOf(c));
    expect((await cps.listChildren('c', 0)).sort()).toEqual(['d', 'f']);
    expect((await cps.listChildren('c', List.VIR_DOMAIN_CHECKPOINT_LIST_DESCENDANTS)).sort()).toEqual(['d', 'e', 'f']);
    // Metadata only: the bitmaps stay; children only: e goes with its bitmap.
    await cps.delete('f', Delete.VIR_DOMAIN_CHECKPOINT_DELETE_METADATA_ONLY);
    await cps.delete('d', Delete.VIR_DOMAIN_CHECKPOINT_DELETE_CHILDREN_ONLY);
    expect(names(vm.disks[0])).toEqual(['b', 'c', 'd']);
    const reloaded = new Checkpoints(vm.ctx());
    expect((await reloaded.listAll(0)).sort()).toEqual(['b', 'c', 'd']);
    expect(await reloaded.current()).toBe('d');
    expect(fs.readdirSync(vm.ctx().dirs.checkpoints).sort()).toEqual(['b.xml', 'c.xml', 'current', 'd.xml']);
  });

  it('rejects hostile names, duplicates, unknown disks, raw disks and bad flag combinations', async () => {
    const cps = new Checkpoints(vm.ctx());
    expect((await rejection(cps.create(chk('../x'), 0))).code).toBe(ErrorNumber.VIR_ERR_XML_INVALID_SCHEMA);
    expect(fs.existsSync(path.join(vm.ctx().dirs.checkpoints, '..', 'x.xml'))).toBe(false);
    expect((await rejection(cps.create(chk('c'), 0))).message).toMatch(/domain moment c already exists/);
    expect((await rejection(cps.create(chk('g', `<disks><disk name='vdz'/></disks>`), 0))).message).toMatch(/no disk named 'vdz'/);
    expect((await rejection(cps.create('<domaincheckpoint><bogus/></domaincheckpoint>', 0))).code).toBe(
      ErrorNumber.VIR_ERR_XML_INVALID_SCHEMA,
    );
    expect((await rejection(cps.create(chk('g'), Create.VIR_DOMAIN_CHECKPOINT_CREATE_REDEFINE_VALIDATE))).code).toBe(
      ErrorNumber.VIR_ERR_INVALID_ARG,
    );
    const raw = new TestVm(1, '16M');
    try {
      const def = raw.def();
      def.devices[0].disk!.driverType = 'raw';
      const ctx = { ...raw.ctx(), def: () => def };
      const err = await rejection(new Checkpoints(ctx).create(chk('r'), 0));
      expect(err.code).toBe(ErrorNumber.VIR_ERR_CONFIG_UNSUPPORTED);
      expect(err.message).toMatch(/checkpoint for disk vda unsupported for storage type raw/);
    } finally {
      await raw.cleanup();
    }
  });
});
