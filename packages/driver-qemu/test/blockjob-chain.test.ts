/** The disk chain model: recorded `<backingStore>` chains, probing, rewriting, lookups. */
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { formatDomainXml, parseDomainXml } from '@virtkit/xml';
import { diskChain, probeChain, readDiskChain, writeDiskChain } from '../src/blockjob';
import { imageSize, lookupBelow, lookupLayer } from '../src/blockjob/chain';
import { imageChain, makeChain, removeChain, type Chain } from './blockjob-fixture';

let chain: Chain | undefined;
afterEach(() => {
  removeChain(chain);
  chain = undefined;
});

function defWith(diskXml: string) {
  const def = parseDomainXml(
    `<domain type='qemu'><name>c</name><memory>65536</memory><os><type arch='x86_64' machine='pc'>hvm</type></os>
      <devices>${diskXml}</devices></domain>`,
    { inactive: false },
  );
  return { def, dev: def.devices.find((d) => d.disk)! };
}

describe('disk chain', () => {
  it('uses a fully recorded chain as is, and probes one that is not recorded', async () => {
    chain = makeChain();
    const recorded = defWith(`<disk type='file' device='disk'><driver name='qemu' type='qcow2'/><source file='/x/top.qcow2'/>
      <backingStore type='block'><format type='raw'/><source dev='/dev/xbase'/><backingStore/></backingStore>
      <target dev='vdb' bus='virtio'/></disk>`);
    expect(readDiskChain(recorded.dev)).toEqual({
      complete: true,
      layers: [
        { path: '/x/top.qcow2', format: 'qcow2', type: 'file' },
        { path: '/dev/xbase', format: 'raw', type: 'block' },
      ],
    });
    // Complete: no image is opened (the paths do not exist).
    expect(await diskChain(recorded.dev)).toHaveLength(2);

    const c = chain;
    const partial = defWith(`<disk type='file' device='disk'><driver name='qemu' type='qcow2'/><source file='${c.img.active}'/>
      <backingStore type='file'><format type='qcow2'/><source file='${c.img.snap2}'/></backingStore>
      <target dev='vda' bus='virtio'/></disk>`);
    expect(readDiskChain(partial.dev).complete).toBe(false);
    expect((await diskChain(partial.dev)).map((l) => l.path)).toEqual([c.img.active, c.img.snap2, c.img.snap1, c.img.base]);
  });

  it('reads qcow2 headers as qemu-img does (backing names as stored, sizes)', async () => {
    chain = makeChain({ relative: true });
    const c = chain;
    const probed = await probeChain(c.img.active);
    const reference = imageChain(c.img.active);
    expect(probed.map((l) => [l.path, l.backingRaw])).toEqual(reference.map((i) => [path.resolve(c.dir, i.filename), i.backing]));
    expect(probed.map((l) => l.format)).toEqual(['qcow2', 'qcow2', 'qcow2', 'qcow2']);
    expect(await imageSize(c.img.snap2)).toBe(32 << 20);
    // A raw base below a qcow2 overlay (format from the backing-format extension).
    const raw = path.join(c.dir, 'plain.raw');
    const top = path.join(c.dir, 'over.qcow2');
    execFileSync('qemu-img', ['create', '-q', '-f', 'raw', raw, '8M']);
    execFileSync('qemu-img', ['create', '-q', '-f', 'qcow2', '-b', raw, '-F', 'raw', top]);
    expect((await probeChain(top)).map((l) => [l.path, l.format])).toEqual([
      [top, 'qcow2'],
      [raw, 'raw'],
    ]);
  });

  it('writes a chain back into the disk element and its typed view', () => {
    const { def, dev } = defWith(`<disk type='file' device='disk'><driver name='qemu' type='qcow2' cache='none'/>
      <source file='/x/old.qcow2'/><target dev='vda' bus='virtio'/></disk>`);
    writeDiskChain(dev, [
      { path: '/x/new.raw', format: 'raw', type: 'file' },
      { path: '/x/b.qcow2', format: 'qcow2', type: 'file' },
    ]);
    expect(dev.disk!.source.path).toBe('/x/new.raw');
    expect(dev.disk!.driverType).toBe('raw');
    expect(dev.disk!.backingStore.map((b) => b.path)).toEqual(['/x/b.qcow2']);
    const xml = formatDomainXml(def);
    expect(xml).toContain(`<driver name='qemu' type='raw' cache='none'/>
      <source file='/x/new.raw'/>
      <backingStore type='file'>
        <format type='qcow2'/>
        <source file='/x/b.qcow2'/>
        <backingStore/>
      </backingStore>
      <target dev='vda' bus='virtio'/>`);
    // The written chain reads back the same.
    expect(readDiskChain(dev).layers.map((l) => l.path)).toEqual(['/x/new.raw', '/x/b.qcow2']);
  });

  it('finds images by path, relative paths resolved, and only beneath the top for a base', () => {
    const layers = ['/i/a', '/i/b', '/i/c'].map((p) => ({ path: p, format: 'qcow2', type: 'file' }));
    expect(lookupLayer(layers, '/i/b', 'vda')).toBe(1);
    expect(lookupLayer(layers, '/i/../i/c', 'vda')).toBe(2);
    expect(lookupBelow(layers, 0, null, 'vda')).toBe(2);
    expect(() => lookupBelow(layers, 1, '/i/a', 'vda')).toThrow("could not find image '/i/a' beneath '/i/b' in chain for 'vda'");
  });
});
