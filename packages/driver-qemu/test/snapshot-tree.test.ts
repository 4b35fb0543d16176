/**
 * Snapshots on a real QEMU (TCG, no guest OS): a tree built from internal snapshots taken
 * running and shut off and external disk-only ones, listed with every filter group, reverted
 * (disk contents checked), deleted with each flag (image tags checked), reloaded from disk.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DomainSnapshotCreateFlags as CF, DomainSnapshotDeleteFlags as DF, ErrorNumber, VirError } from '@virtkit/core';
import { QemuSnapshots } from '../src/snapshot';
import { SnapVm, backingOf, hasPattern, imageTags } from './snapshot-fixture';

jest.setTimeout(60_000);

const DISK_ONLY = CF.VIR_DOMAIN_SNAPSHOT_CREATE_DISK_ONLY;
const RUNNING = 1;
const SHUTOFF = 5;

interface Fact {
  parent?: string;
  state: 'running' | 'paused' | 'shutoff' | 'disk-snapshot';
  external: boolean;
}

/** The tree this suite builds: s1 → s2 → {s3, s4}; s1 → s5. */
const TREE: Record<string, Fact> = {
  s1: { state: 'shutoff', external: false },
  s2: { parent: 's1', state: 'running', external: false },
  s3: { parent: 's2', state: 'running', external: false },
  s4: { parent: 's2', state: 'disk-snapshot', external: true },
  s5: { parent: 's1', state: 'shutoff', external: true },
};

const names = Object.keys(TREE);
const children = (n: string) => names.filter((m) => TREE[m].parent === n);
const descendants = (n: string): string[] => children(n).flatMap((c) => [c, ...descendants(c)]);

/** The listing libvirt defines for `flags`, written out plainly (independent of the module's tree code). */
function expected(from: string | null, flags: number): string[] {
  let set = from === null ? (flags & 1 ? names.filter((n) => !TREE[n].parent) : names) : flags & 1 ? descendants(from) : children(from);
  if (flags & 16 && !(flags & 2)) return [];
  if (flags & 4) set = set.filter((n) => children(n).length === 0);
  if (flags & 8) set = set.filter((n) => children(n).length > 0);
  const status = flags & (32 | 64 | 128);
  if (status) {
    set = set.filter((n) => {
      const s = TREE[n].state;
      return (
        (status & 32 && s === 'shutoff') || (status & 64 && (s === 'running' || s === 'paused')) || (status & 128 && s === 'disk-snapshot')
      );
    });
  }
  const location = flags & (256 | 512);
  if (location) set = set.filter((n) => (location & 256 && !TREE[n].external) || (location & 512 && TREE[n].external));
  return [...set].sort();
}

/** Every combination of the groups: [roots/descendants] × leaves × metadata × status × location × topological. */
function allFlagCombos(): number[] {
  const out: number[] = [];
  for (const roots of [0, 1])
    for (const leaves of [0, 4, 8, 12])
      for (const meta of [0, 2, 16, 18])
        for (const status of [0, 32, 64, 128, 96, 160, 192, 224])
          for (const loc of [0, 256, 512, 768]) for (const topo of [0, 1024]) out.push(roots | leaves | meta | status | loc | topo);
  return out;
}

/** With TOPOLOGICAL every listed snapshot comes after its listed ancestors. */
function checkTopological(list: string[]): void {
  list.forEach((n, i) => {
    let p = TREE[n].parent;
    while (p) {
      if (list.includes(p)) expect(list.indexOf(p)).toBeLessThan(i);
      p = TREE[p].parent;
    }
  });
}

async function checkAllListings(snaps: QemuSnapshots): Promise<number> {
  let checked = 0;
  for (const flags of allFlagCombos()) {
    const got = await snaps.listAll(flags);
    expect({ flags, got: [...got].sort() }).toEqual({ flags, got: expected(null, flags) });
    if (flags & 1024) checkTopological(got);
    for (const from of names) {
      const kids = await snaps.listChildren(from, flags);
      expect({ from, flags, kids: [...kids].sort() }).toEqual({ from, flags, kids: expected(from, flags) });
      if (flags & 1024) checkTopological(kids);
      checked++;
    }
    checked++;
  }
  return checked;
}

function filesIn(dir: string): string[] {
  return fs.existsSync(dir) ? fs.readdirSync(dir).sort() : [];
}

describe('QEMU snapshots on a real domain', () => {
  const vm = new SnapVm(2);
  let snaps = new QemuSnapshots(vm.ctx());
  const [disk0, disk1] = vm.disks;
  const overlay = (i: number, snap: string) => path.join(vm.dir, `disk${i}.${snap}`);

  afterAll(() => vm.cleanup());

  it('builds s1 → s2 → {s3, s4}; s1 → s5 from internal and external snapshots, tracking current', async () => {
    // s1: internal, shut off (qemu-img snapshot -c)
    expect(await snaps.create('<domainsnapshot><name>s1</name></domainsnapshot>', 0)).toBe('s1');
    expect(imageTags(disk0)).toEqual(['s1']);
    expect(imageTags(disk1)).toEqual(['s1']);
    expect(await snaps.current(0)).toBe('s1');

    // s2, s3: internal with memory, running (snapshot-save jobs)
    await vm.start();
    await vm.resume();
    await vm.write(0, 'write -P 0x5a 0 1M');
    await snaps.create('<domainsnapshot><name>s2</name><description>running</description></domainsnapshot>', 0);
    expect(vm.state).toBe(RUNNING);
    expect(await snaps.parent('s2', 0)).toBe('s1');
    expect(await snaps.current(0)).toBe('s2');
    await vm.write(0, 'write -P 0x11 0 1M');
    await snaps.create('<domainsnapshot><name>s3</name></domainsnapshot>', 0);
    expect(imageTags(disk0)).toEqual(['s1', 's2', 's3']);
    await vm.write(0, 'write -P 0x22 0 1M');
    expect(vm.reads(0, 0, 0x22)).toBe(true);

    // back to s2 (snapshot-load): the data written after it is gone
    await snaps.revert('s2', 0);
    expect(vm.reads(0, 0, 0x5a)).toBe(true);
    expect(vm.state).toBe(RUNNING);
    expect(await snaps.current(0)).toBe('s2');
    expect(await snaps.isCurrent('s3', 0)).toBe(false);

    // s4: external disk-only, running (blockdev-snapshot transaction)
    await snaps.create('<domainsnapshot><name>s4</name></domainsnapshot>', DISK_ONLY);
    expect(vm.tops()).toEqual([overlay(0, 's4'), overlay(1, 's4')]);
    expect(vm.tops(vm.persistent)).toEqual([overlay(0, 's4'), overlay(1, 's4')]);
    expect(backingOf(overlay(0, 's4'))).toBe(disk0);
    expect(vm.live!.devices.find((d) => d.disk)!.disk!.backingStore.map((b) => b.path)).toEqual([disk0]);
    await vm.write(0, 'write -P 0x33 0 1M');
    expect(vm.reads(0, 0, 0x33)).toBe(true);
    expect(hasPattern(disk0, 0, 0x5a)).toBe(true);
    expect(await snaps.parent('s4', 0)).toBe('s2');

    // back to s1 (shut off): QEMU stops, the images roll back, s1's definition returns
    await snaps.revert('s1', 0);
    expect(vm.qmp).toBeUndefined();
    expect(vm.tops()).toEqual([disk0, disk1]);
    expect(hasPattern(disk0, 0, 0)).toBe(true);
    expect(await snaps.current(0)).toBe('s1');

    // s5: external while shut off, without DISK_ONLY
    await snaps.create(
      "<domainsnapshot><name>s5</name><disks><disk name='vda' snapshot='external'/><disk name='vdb' snapshot='external'/></disks></domainsnapshot>",
      0,
    );
    expect(vm.tops()).toEqual([overlay(0, 's5'), overlay(1, 's5')]);
    expect(backingOf(overlay(1, 's5'))).toBe(disk1);
    expect(await snaps.current(0)).toBe('s5');
    expect(filesIn(vm.snapshotDir)).toEqual(names.map((n) => `${n}.xml`));
  });

  it('lists snapshots and children with every combination of filter groups', async () => {
    const checked = await checkAllListings(snaps);
    expect(checked).toBe(allFlagCombos().length * (names.length + 1));
    expect(await snaps.num(0)).toBe(5);
    expect(await snaps.listNames(2, 0)).toHaveLength(2);
    expect(await snaps.numChildren('s2', 0)).toBe(2);
    expect((await snaps.listChildrenNames('s1', 10, 1)).sort()).toEqual(['s2', 's3', 's4', 's5']);
    const xml = await snaps.getXMLDesc('s4', 0);
    expect(xml).toContain('<state>disk-snapshot</state>');
    expect(xml).toContain('<parent>\n    <name>s2</name>');
    expect(xml).toContain(`<source file='${overlay(0, 's4')}'/>`);
  });

  it('reads the same tree back from the metadata directory', async () => {
    const before = await Promise.all(names.map((n) => snaps.getXMLDesc(n, 1)));
    snaps = new QemuSnapshots(vm.ctx());
    expect(await snaps.current(0)).toBe('s5');
    expect(await Promise.all(names.map((n) => snaps.getXMLDesc(n, 1)))).toEqual(before);
    await checkAllListings(snaps);
  });

  it('refuses hostile names before writing anything', async () => {
    const before = fs.readdirSync(vm.dir).sort();
    const stored = filesIn(vm.snapshotDir);
    for (const [name, flags] of [
      ['../x', 0],
      ['../x', DISK_ONLY],
      ['a/b', 0],
      ['.hidden', 0],
    ] as const) {
      const e = await snaps.create(`<domainsnapshot><name>${name}</name></domainsnapshot>`, flags).catch((x) => x);
      expect(e).toBeInstanceOf(VirError);
      expect(e.code).toBe(ErrorNumber.VIR_ERR_XML_DETAIL);
    }
    const redefine = (await snaps.getXMLDesc('s1', 1)).replace('<name>s1</name>', '<name>../x</name>');
    await expect(snaps.create(redefine, CF.VIR_DOMAIN_SNAPSHOT_CREATE_REDEFINE)).rejects.toMatchObject({
      code: ErrorNumber.VIR_ERR_XML_DETAIL,
    });
    expect(fs.readdirSync(vm.dir).sort()).toEqual(before);
    expect(fs.readdirSync(path.dirname(vm.snapshotDir)).sort()).toEqual(['snap']);
    expect(filesIn(vm.snapshotDir)).toEqual(stored);
  });

  it('shows either the tree before or after a running create to concurrent listings', async () => {
    await vm.start();
    await vm.resume();
    const before = [...names].sort();
    const after = [...names, 'c1'].sort();
    const seen: string[][] = [];
    let done = false;
    const creating = snaps.create('<domainsnapshot><name>c1</name></domainsnapshot>', 0).finally(() => (done = true));
    while (!done) {
      seen.push([...(await snaps.listAll(0))].sort());
      await new Promise((r) => setTimeout(r, 5));
    }
    await creating;
    seen.push([...(await snaps.listAll(0))].sort());
    expect(seen.length).toBeGreaterThan(3);
    for (const s of seen) expect([before, after]).toContainEqual(s);
    expect(seen[0]).toEqual(before);
    expect(seen[seen.length - 1]).toEqual(after);
    expect(await snaps.parent('c1', 0)).toBe('s5');
    expect(imageTags(overlay(0, 's5'))).toEqual(['c1']);

    // deleted while running: QEMU's snapshot-delete job; current goes back to the parent
    await snaps.delete('c1', 0);
    expect(imageTags(overlay(0, 's5'))).toEqual([]);
    expect(imageTags(overlay(1, 's5'))).toEqual([]);
    expect(await snaps.current(0)).toBe('s5');

    // metadata only: the tag stays in the images
    await snaps.create('<domainsnapshot><name>c2</name></domainsnapshot>', 0);
    await snaps.delete('c2', DF.VIR_DOMAIN_SNAPSHOT_DELETE_METADATA_ONLY);
    expect(imageTags(overlay(0, 's5'))).toEqual(['c2']);
    expect(filesIn(vm.snapshotDir)).toEqual(names.map((n) => `${n}.xml`));

    await expect(snaps.create("<domainsnapshot><name>m</name><memory snapshot='no'/></domainsnapshot>", 0)).rejects.toMatchObject({
      code: ErrorNumber.VIR_ERR_OPERATION_UNSUPPORTED,
      message: 'Operation not supported: internal snapshot of a running VM must include the memory state',
    });

    // metadata whose tag no image has: the snapshot-load job's failure comes back
    const ghost = (await snaps.getXMLDesc('s2', 1)).replace('<name>s2</name>', '<name>ghost</name>');
    await snaps.create(ghost, CF.VIR_DOMAIN_SNAPSHOT_CREATE_REDEFINE);
    await expect(snaps.revert('ghost', 0)).rejects.toMatchObject({
      code: ErrorNumber.VIR_ERR_INTERNAL_ERROR,
      message: expect.stringContaining("Snapshot 'ghost' does not exist"),
    });
    expect(await snaps.current(0)).toBe('s5');
    await snaps.delete('ghost', DF.VIR_DOMAIN_SNAPSHOT_DELETE_METADATA_ONLY);
    await vm.stop();
    expect(vm.state).toBe(SHUTOFF);
  });

  it('deletes with CHILDREN_ONLY, METADATA_ONLY and CHILDREN, refusing external data deletion', async () => {
    const unsupported = { code: ErrorNumber.VIR_ERR_CONFIG_UNSUPPORTED };
    await expect(snaps.delete('s2', DF.VIR_DOMAIN_SNAPSHOT_DELETE_CHILDREN_ONLY)).rejects.toMatchObject({
      ...unsupported,
      message: 'unsupported configuration: external children disk snapshots not supported',
    });
    await expect(snaps.delete('s4', 0)).rejects.toMatchObject(unsupported);
    expect(await snaps.num(0)).toBe(5);

    await snaps.delete('s4', DF.VIR_DOMAIN_SNAPSHOT_DELETE_METADATA_ONLY);
    expect(fs.existsSync(overlay(0, 's4'))).toBe(true);
    await snaps.delete('s2', DF.VIR_DOMAIN_SNAPSHOT_DELETE_CHILDREN_ONLY);
    expect(imageTags(disk0)).toEqual(['s1', 's2']);
    expect(imageTags(disk1)).toEqual(['s1', 's2']);
    expect(await snaps.listChildren('s2', 0)).toEqual([]);

    await snaps.delete('s5', DF.VIR_DOMAIN_SNAPSHOT_DELETE_METADATA_ONLY);
    expect(await snaps.current(0)).toBe('s1');
    await snaps.delete('s1', DF.VIR_DOMAIN_SNAPSHOT_DELETE_CHILDREN);
    expect(imageTags(disk0)).toEqual([]);
    expect(imageTags(disk1)).toEqual([]);
    expect(await snaps.hasCurrent(0)).toBe(false);
    expect(filesIn(vm.snapshotDir)).toEqual([]);
    expect(await new QemuSnapshots(vm.ctx()).listAll(0)).toEqual([]);
  });
});
