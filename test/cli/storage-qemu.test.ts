/**
 * Pool and volume commands through vsh on the QEMU driver (qemu:///embed, dir pools, qemu-img):
 * each command's effect is checked on disk (qemu-img info, file bytes), its text against the
 * lines virsh prints for the same command.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describeIf } from '@virtkit/testkit';
import { runVsh } from './harness';

function imgInfo(file: string): { format: string; 'virtual-size': number } {
  return JSON.parse(spawnSync('qemu-img', ['info', '--output=json', file], { encoding: 'utf8' }).stdout);
}

describeIf('qemu-img')('storage commands on qemu:///embed', () => {
  let root: string;
  let uri: string;
  let dir: string;
  const vsh = (script: string) => runVsh(['-c', uri, script]);

  beforeAll(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'vsh-storage-'));
    uri = `qemu:///embed?root=${root}`;
    dir = path.join(root, 'pool');
    const r = await vsh(`pool-define-as p dir --target ${dir}; pool-build p; pool-start p; pool-autostart p`);
    expect(r).toEqual({
      code: 0,
      stderr: '',
      stdout: 'Pool p defined\n\nPool p built\n\nPool p started\n\nPool p marked as autostarted\n\n',
    });
  });

  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  it('creates raw and qcow2 volumes that qemu-img reads back', async () => {
    const r = await vsh(
      'vol-create-as p a.qcow2 16M --format qcow2; vol-create-as p b.raw 1M --format raw; vol-list p --details; vol-info a.qcow2 --pool p --bytes',
    );
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(
      /^Vol a\.qcow2 created\n\nVol b\.raw created\n\n Name +Path +Type +Capacity +Allocation\n-+\n a\.qcow2 .* 16\.00 MiB .*\n b\.raw .* 1\.00 MiB .*\n\nName: +a\.qcow2\nType: +file\nCapacity: +16777216 bytes\nAllocation: +\d+ bytes\n\n$/,
    );
    expect(imgInfo(path.join(dir, 'a.qcow2'))).toMatchObject({ format: 'qcow2', 'virtual-size': 16 * 2 ** 20 });
    expect(fs.statSync(path.join(dir, 'b.raw')).size).toBe(2 ** 20);
  });

  it('prints volume path, key, name, pool and XML', async () => {
    const file = path.join(dir, 'a.qcow2');
    const r = await vsh(`vol-path a.qcow2 --pool p; vol-key a.qcow2 --pool p; vol-name ${file}; vol-pool ${file}; vol-dumpxml ${file}`);
    expect(r.stderr).toBe('');
    const [pathOut, key, name, pool, xml] = r.stdout.split('\n\n');
    expect([pathOut, key, name, pool]).toEqual([file, file, 'a.qcow2', 'p']);
    expect(xml).toContain(
      `<volume type='file'>\n  <name>a.qcow2</name>\n  <key>${file}</key>\n  <capacity unit='bytes'>16777216</capacity>`,
    );
    expect(xml).toContain("<format type='qcow2'/>");
  });

  it('resizes to a size and by a delta, and refuses to shrink without --shrink', async () => {
    const r = await vsh('vol-resize a.qcow2 32M --pool p; vol-resize b.raw --delta 1M --pool p; vol-resize b.raw -1M --pool p');
    expect(r.stdout).toBe(
      "Size of volume 'a.qcow2' successfully changed to 32M\n\nSize of volume 'b.raw' successfully changed by 1M\n\n\n",
    );
    expect(r.stderr).toBe('error: negative size requires --shrink\n');
    expect(imgInfo(path.join(dir, 'a.qcow2'))['virtual-size']).toBe(32 * 2 ** 20);
    expect(fs.statSync(path.join(dir, 'b.raw')).size).toBe(2 * 2 ** 20);
    const shrunk = await vsh('vol-resize b.raw -1M --pool p --shrink');
    expect(shrunk.stdout).toBe("Size of volume 'b.raw' successfully changed by 1M\n\n");
    expect(fs.statSync(path.join(dir, 'b.raw')).size).toBe(2 ** 20);
  });

  it('uploads and downloads bytes through a stream, at an offset and length', async () => {
    const data = Buffer.alloc(300_000);
    for (let i = 0; i < data.length; i++) data[i] = (i * 7 + 3) & 0xff;
    const up = path.join(root, 'up.bin');
    const down = path.join(root, 'down.bin');
    const part = path.join(root, 'part.bin');
    fs.writeFileSync(up, data);
    const r = await vsh(
      `vol-upload b.raw ${up} --pool p --offset 4096; vol-download b.raw ${down} --pool p --offset 4096 --length 300000; ` +
        `vol-download b.raw ${part} --pool p --offset 10000 --length 5`,
    );
    expect(r).toEqual({ code: 0, stderr: '', stdout: '\n\n\n' });
    expect(
      fs
        .readFileSync(path.join(dir, 'b.raw'))
        .subarray(4096, 4096 + data.length)
        .equals(data),
    ).toBe(true);
    expect(fs.readFileSync(down).equals(data)).toBe(true);
    expect(fs.readFileSync(part).equals(data.subarray(10000 - 4096, 10000 - 4096 + 5))).toBe(true);
  });

  it('reports an upload past the requested length and removes a failed download', async () => {
    const up = path.join(root, 'big.bin');
    fs.writeFileSync(up, Buffer.alloc(70_000, 1));
    const gone = path.join(root, 'gone.bin');
    const r = await vsh(`vol-upload b.raw ${up} --pool p --length 10; vol-download nope ${gone} --pool p`);
    expect(r.stderr).toBe(
      'error: cannot upload to volume b.raw\nerror: cannot write to stream: No space left on device\n' +
        "error: failed to get vol 'nope'\nerror: Storage volume not found: no storage vol with matching path 'nope'\n",
    );
    expect(fs.existsSync(gone)).toBe(false);
  });

  it('clones, wipes, creates from another volume and deletes', async () => {
    const vx = path.join(root, 'vx.xml');
    fs.writeFileSync(vx, '<volume><name>vx</name><capacity>65536</capacity></volume>');
    const r = await vsh(
      `vol-clone b.raw c.raw --pool p; vol-wipe c.raw --pool p; vol-wipe c.raw --pool p --algorithm nnsa; ` +
        `vol-create-from p ${vx} b.raw --inputpool p; vol-delete c.raw --pool p; vol-list p`,
    );
    expect(r.stdout).toBe(
      `Vol c.raw cloned from b.raw\n\nVol c.raw wiped\n\n\nVol vx created from input vol b.raw\n\nVol c.raw deleted\n\n` +
        ` Name      Path\n${'-'.repeat(13 + `${dir}/a.qcow2`.length)}\n a.qcow2   ${dir}/a.qcow2\n b.raw     ${dir}/b.raw\n vx        ${dir}/vx\n\n`,
    );
    expect(r.stderr).toBe(
      'error: Failed to wipe vol c.raw\nerror: this function is not supported by the connection driver: virStorageVolWipePattern\n',
    );
    expect(fs.existsSync(path.join(dir, 'c.raw'))).toBe(false);
    const copy = fs.readFileSync(path.join(dir, 'vx'));
    expect(copy.length).toBeGreaterThanOrEqual(65536);
    expect(copy.equals(fs.readFileSync(path.join(dir, 'b.raw')).subarray(0, copy.length))).toBe(true);
  });

  it('prints a clone as XML without creating it', async () => {
    const r = await vsh('vol-clone b.raw q.raw --pool p --print-xml');
    expect(r.stdout).toMatch(
      /^<volume type="file">\n {2}<name>q\.raw<\/name>\n {2}<key>.*\/b\.raw<\/key>[^]*<format type="raw"\/>[^]*<\/volume>\n$/,
    );
    expect(fs.existsSync(path.join(dir, 'q.raw'))).toBe(false);
  });

  it('stops, deletes and undefines the pool', async () => {
    await vsh('vol-delete a.qcow2 --pool p; vol-delete b.raw --pool p; vol-delete vx --pool p');
    const r = await vsh('pool-refresh p; pool-destroy p; pool-delete p; pool-undefine p; pool-list --all --name');
    expect(r).toEqual({
      code: 0,
      stderr: '',
      stdout: 'Pool p refreshed\n\nPool p destroyed\n\nPool p deleted\n\nPool p has been undefined\n\n\n',
    });
    expect(fs.existsSync(dir)).toBe(false);
  });
});
