/**
 * The same files seen by real libvirt 9.0 and by DirStorage: a private libvirtd (storage driver
 * only, running unprivileged) creates volumes with virsh; both refresh the pool and must print
 * the same volume and pool XML (access times and filesystem sizes, which move, left out).
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as readline from 'node:readline';
import type { DirStorage } from '../src/storage';
import { describeIf } from '@virtkit/testkit';
import { POOL, scratch, type Scratch } from './storage-helpers';

const VIRSH = ['/usr/bin/virsh', '/usr/local/bin/virsh'].find((f) => fs.existsSync(f));
const UUID = '5d1c9a36-8f7e-4c1b-9a55-0e2f6b7d3c11';

let daemon: ChildProcess;
let uri: string;
let dir: string;
let s: Scratch;
let st: DirStorage;

/** Run virsh commands (several separated by ` ; ` in one process). */
const virsh = (commands: string) => execFileSync(VIRSH!, ['-q', '-c', uri, commands], { encoding: 'utf8' });
/** Access times change whenever a prober reads a file. */
const stable = (xml: string) =>
  xml
    .split('\n')
    .filter((l) => !/<atime>/.test(l))
    .join('\n');
/** Allocation and free space of the filesystem move between two reads (the capacity does not). */
const stablePool = (xml: string) =>
  xml
    .split('\n')
    .filter((l) => !/^ {2}<(allocation|available) unit='bytes'>/.test(l))
    .join('\n');
const availableBytes = (xml: string) => Number(/<available unit='bytes'>(\d+)</.exec(xml)![1]);

describeIf('libvirtd', 'virsh')('dir pool XML compared with libvirt 9.0', () => {
  beforeAll(async () => {
    daemon = spawn('/usr/bin/python3', [path.join(__dirname, 'storage-libvirtd.py')], { stdio: ['pipe', 'pipe', 'inherit'] });
    const line = await new Promise<string>((resolve, reject) => {
      readline.createInterface({ input: daemon.stdout! }).once('line', resolve);
      daemon.once('exit', (code) => reject(new Error(`libvirtd helper exited with ${code}`)));
    });
    ({ uri, data: dir } = JSON.parse(line) as { uri: string; data: string });
    dir = path.join(dir, 'pool');
    s = scratch();
    const def = path.join(s.root, 'pool.xml');
    fs.writeFileSync(def, POOL('cmp', dir, `<uuid>${UUID}</uuid>`));
    virsh(
      [
        `pool-define ${def}`,
        'pool-build cmp',
        'pool-start cmp',
        'vol-create-as cmp sparse.img 16M --allocation 0',
        'vol-create-as cmp full.img 100K',
        'vol-create-as cmp base.qcow2 32M --format qcow2',
        `vol-create-as cmp top.qcow2 32M --format qcow2 --backing-vol ${dir}/base.qcow2 --backing-vol-format qcow2`,
        'vol-create-as cmp pre.qcow2 8M --format qcow2 --allocation 0 --prealloc-metadata',
      ].join(' ; '),
    );
    // A subdirectory is a volume of type dir; the daemon runs as an unprivileged user.
    const owner = fs.statSync(dir);
    fs.mkdirSync(path.join(dir, 'sub'));
    fs.chownSync(path.join(dir, 'sub'), owner.uid, owner.gid);
    virsh('pool-refresh cmp');
    st = await s.open();
    await st.storagePoolCreateXML(POOL('cmp', dir, `<uuid>${UUID}</uuid>`), 0);
  }, 60_000);

  afterAll(() => {
    daemon?.stdin?.end();
    s?.cleanup();
  });

  it('prints the same volume XML for raw, qcow2, backed qcow2 and directory volumes', async () => {
    const pool = await st.storagePoolLookupByName('cmp');
    const ours = (await st.storagePoolListVolumes(pool, 100)).sort();
    expect(ours).toContain('sub');
    expect(ours).toEqual(
      virsh('vol-list cmp')
        .trim()
        .split('\n')
        .map((l) => l.trim().split(/\s+/)[0])
        .sort(),
    );
    // One virsh run for all the documents: each starts at its own `<volume`.
    const real = virsh(ours.map((n) => `vol-dumpxml --pool cmp ${n}`).join(' ; ')).split(/^(?=<volume)/m);
    for (const [i, name] of ours.entries()) {
      const mine = await st.storageVolGetXMLDesc(await st.storageVolLookupByName(pool, name), 0);
      expect(stable(mine).trimEnd()).toBe(stable(real[i]).trimEnd());
    }
  });

  it('prints the same pool XML', async () => {
    const mine = await st.storagePoolGetXMLDesc(await st.storagePoolLookupByName('cmp'), 0);
    const real = virsh('pool-dumpxml cmp');
    expect(stablePool(mine).trimEnd()).toBe(stablePool(real).trimEnd());
    expect(Math.abs(availableBytes(mine) - availableBytes(real))).toBeLessThan(256 << 20);
  });

  it('describes a volume it just created as libvirt does', async () => {
    // Ours go to a pool of our own (root-owned files), libvirt's to its pool; paths, owners and
    // times are made comparable, the rest must match.
    const own = path.join(s.root, 'own');
    const pool = await st.storagePoolCreateXML(POOL('own', own), 1);
    const volumes: Array<[string, string, string]> = [
      ['new.img', "<capacity unit='M'>8</capacity><allocation>0</allocation>", 'vol-create-as cmp new.img 8M --allocation 0'],
      [
        'new.qcow2',
        `<capacity unit='M'>16</capacity><target><format type='qcow2'/></target><backingStore><path>${dir}/base.qcow2</path><format type='qcow2'/></backingStore>`,
        `vol-create-as cmp new.qcow2 16M --format qcow2 --backing-vol ${dir}/base.qcow2 --backing-vol-format qcow2`,
      ],
    ];
    const comparable = (xml: string) =>
      xml
        .split('\n')
        .filter((l) => !/<[amc]time>/.test(l))
        .join('\n')
        .replaceAll(own, dir)
        .replace(/<(owner|group)>\d+</g, '<$1>ID<');
    for (const [name, body, command] of volumes) {
      const mine = await st.storageVolGetXMLDesc(await st.storageVolCreateXML(pool, `<volume><name>${name}</name>${body}</volume>`, 0), 0);
      const real = virsh(`${command} ; vol-dumpxml --pool cmp ${name}`);
      expect(comparable(mine).trimEnd()).toBe(comparable(real.slice(real.indexOf('<volume'))).trimEnd());
    }
  });
});
