/** Volumes of a dir pool against real files and qemu-img: create, clone, resize, transfer, wipe, delete. */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ErrorDomain, ErrorNumber as E, VirStream, type StoragePoolRef, type StorageVolRef } from '@virtkit/core';
import type { DirStorage } from '../src/storage';
import { POOL, failure, imgInfo, mode, scratch, type Scratch } from './storage-helpers';

const S = ErrorDomain.VIR_FROM_STORAGE;
const MiB = 1 << 20;
let s: Scratch;
let st: DirStorage;
let pool: StoragePoolRef;
let dir: string;

beforeAll(async () => {
  s = scratch();
  st = await s.open();
  dir = path.join(s.root, 'pool');
  pool = await st.storagePoolCreateXML(POOL('vols', dir), 1);
});
afterAll(() => s.cleanup());

const VOL = (name: string, body: string) => `<volume><name>${name}</name>${body}</volume>`;
const QCOW2 = "<target><format type='qcow2'/></target>";
const allocated = (file: string) => fs.statSync(file).blocks * 512;

async function upload(vol: StorageVolRef, data: Buffer, offset: number, length = 0): Promise<void> {
  const stream = new VirStream();
  const done = st.storageVolUpload(vol, stream, offset, length, 0);
  for (let i = 0; i < data.length; i += 100_000) stream.send(data.subarray(i, i + 100_000));
  stream.finish();
  await done;
}

async function download(vol: StorageVolRef, offset: number, length: number): Promise<Buffer> {
  const stream = new VirStream();
  const [, data] = await Promise.all([st.storageVolDownload(vol, stream, offset, length, 0), stream.receiveAll()]);
  return data;
}

describe('creating volumes', () => {
  it("creates sparse and allocated raw files with libvirt's units and mode", async () => {
    const sparse = await st.storageVolCreateXML(pool, VOL('sparse.img', "<capacity unit='MiB'>16</capacity><allocation>0</allocation>"), 0);
    const file = path.join(dir, 'sparse.img');
    expect(sparse).toEqual({ pool: 'vols', name: 'sparse.img', key: file });
    expect(imgInfo(file)).toMatchObject({ format: 'raw', 'virtual-size': 16 * MiB });
    expect([allocated(file), mode(file)]).toEqual([0, 0o600]);
    expect(await st.storageVolGetInfo(sparse)).toEqual({ type: 0, capacity: 16 * MiB, allocation: 0 });

    const full = await st.storageVolCreateXML(
      pool,
      VOL('full.img', "<capacity unit='KiB'>100</capacity><target><permissions><mode>0640</mode></permissions></target>"),
      0,
    );
    expect(allocated(path.join(dir, 'full.img'))).toBeGreaterThanOrEqual(102400);
    expect(mode(path.join(dir, 'full.img'))).toBe(0o640);
    expect(await st.storageVolGetInfo(full)).toEqual({ type: 0, capacity: 102400, allocation: allocated(path.join(dir, 'full.img')) });
    expect(await st.storageVolGetPath(full)).toBe(path.join(dir, 'full.img'));
  });

  it('creates qcow2 through qemu-img, with a backing store whose chain shows in the XML', async () => {
    const base = await st.storageVolCreateXML(pool, VOL('base.qcow2', `<capacity unit='M'>32</capacity>${QCOW2}`), 0);
    const baseFile = path.join(dir, 'base.qcow2');
    expect(imgInfo(baseFile)).toMatchObject({ format: 'qcow2', 'virtual-size': 32 * MiB, 'format-specific': { data: { compat: '0.10' } } });
    expect(await st.storageVolGetInfo(base)).toEqual({ type: 0, capacity: 32 * MiB, allocation: allocated(baseFile) });

    // No capacity: the overlay takes its backing file's size.
    const top = await st.storageVolCreateXML(
      pool,
      VOL('top.qcow2', `${QCOW2}<backingStore><path>${baseFile}</path><format type='qcow2'/></backingStore>`),
      0,
    );
    const topFile = path.join(dir, 'top.qcow2');
    expect(imgInfo(topFile)).toMatchObject({ 'virtual-size': 32 * MiB, 'backing-filename': baseFile, 'backing-filename-format': 'qcow2' });
    const xml = await st.storageVolGetXMLDesc(top, 0);
    expect(xml).toMatch(new RegExp(`<target>\\n    <path>${topFile}</path>\\n    <format type='qcow2'/>`));
    expect(xml).toMatch(
      new RegExp(
        `<backingStore>\\n    <path>${baseFile}</path>\\n    <format type='qcow2'/>\\n    <permissions>\\n      <mode>0600</mode>`,
      ),
    );

    // A chain made outside the driver, with a relative backing name, after a pool refresh.
    execFileSync('qemu-img', ['create', '-q', '-f', 'qcow2', '-b', 'top.qcow2', '-F', 'qcow2', path.join(dir, 'ext.qcow2')]);
    await st.storagePoolRefresh(pool, 0);
    const ext = await st.storageVolLookupByName(pool, 'ext.qcow2');
    const extXml = await st.storageVolGetXMLDesc(ext, 0);
    expect(extXml).toContain(`<backingStore>\n    <path>${topFile}</path>\n    <format type='qcow2'/>`);
    expect(extXml).toContain("<compat>1.1</compat>\n    <clusterSize unit='B'>65536</clusterSize>\n    <features/>");
  });

  it('preallocates qcow2 metadata on request and refuses what libvirt refuses', async () => {
    await st.storageVolCreateXML(pool, VOL('pre.qcow2', `<capacity unit='M'>16</capacity><allocation>0</allocation>${QCOW2}`), 1);
    expect(fs.statSync(path.join(dir, 'pre.qcow2')).size).toBeGreaterThan(16 * MiB);
    expect(allocated(path.join(dir, 'pre.qcow2'))).toBeLessThan(MiB);

    const cases: Array<[string, number, [number, number, string]]> = [
      [
        VOL('r', '<capacity>1024</capacity>'),
        1,
        [E.VIR_ERR_CONFIG_UNSUPPORTED, S, 'unsupported configuration: metadata preallocation is not supported for raw volumes'],
      ],
      [
        VOL('r', `<capacity>1024</capacity><backingStore><path>${dir}/base.qcow2</path></backingStore>`),
        0,
        [E.VIR_ERR_NO_SUPPORT, S, 'this function is not supported by the connection driver: backing storage not supported for raw volumes'],
      ],
      [
        VOL('r', `<capacity>1024</capacity>${QCOW2}<backingStore><path>/nonexistent.qcow2</path></backingStore>`),
        0,
        [E.VIR_ERR_SYSTEM_ERROR, S, 'inaccessible backing store volume /nonexistent.qcow2: No such file or directory'],
      ],
      [VOL('full.img', '<capacity>1</capacity>'), 0, [E.VIR_ERR_STORAGE_VOL_EXIST, S, "storage volume 'full.img' exists already"]],
      [VOL('r', '<capacity>1</capacity>'), 2, [E.VIR_ERR_INVALID_ARG, S, 'unsupported flags (0x2) in function storageVolCreateXML']],
      [VOL('r', ''), 0, [E.VIR_ERR_XML_ERROR, S, 'XML error: missing capacity element']],
    ];
    for (const [xml, flags, expected] of cases) expect(await failure(st.storageVolCreateXML(pool, xml, flags))).toEqual(expected);
    expect(fs.existsSync(path.join(dir, 'r'))).toBe(false);
  });

  it('keeps hostile names inside the pool directory', async () => {
    const outside = fs.readdirSync(s.root).sort();
    for (const name of ['../escape', 'a/b', '/etc/x']) {
      expect(await failure(st.storageVolCreateXML(pool, VOL(name, '<capacity>1024</capacity>'), 0))).toEqual([
        E.VIR_ERR_OPERATION_INVALID,
        S,
        `Requested operation is not valid: volume name '${name}' cannot contain '/'`,
      ]);
    }
    for (const name of ['..', '.']) {
      expect(await failure(st.storageVolCreateXML(pool, VOL(name, '<capacity>1024</capacity>'), 0))).toEqual([
        E.VIR_ERR_OPERATION_INVALID,
        S,
        `Requested operation is not valid: volume target path '${dir}/${name}' already exists`,
      ]);
    }
    const src = await st.storageVolLookupByName(pool, 'full.img');
    expect(await failure(st.storageVolCreateXMLFrom(pool, VOL('../escape', ''), src, 0))).toEqual([
      E.VIR_ERR_OPERATION_INVALID,
      S,
      "Requested operation is not valid: volume name '../escape' cannot contain '/'",
    ]);
    expect(fs.readdirSync(s.root).sort()).toEqual(outside);
    expect(await failure(st.storageVolLookupByName(pool, '..'))).toEqual([
      E.VIR_ERR_NO_STORAGE_VOL,
      S,
      "Storage volume not found: no storage vol with matching name '..'",
    ]);
  });
});

describe('volume contents', () => {
  it('uploads and downloads bytes at an offset, and clones raw and qcow2 with the data', async () => {
    const vol = await st.storageVolCreateXML(pool, VOL('data.img', "<capacity unit='MiB'>4</capacity><allocation>0</allocation>"), 0);
    const data = randomBytes(1536 * 1024);
    await upload(vol, data, 4096);
    expect((await download(vol, 4096, data.length)).equals(data)).toBe(true);
    expect((await download(vol, 0, 4096)).equals(Buffer.alloc(4096))).toBe(true);
    expect((await download(vol, 0, 0)).length).toBe(4 * MiB);
    expect((await download(vol, 8 * MiB, 10)).length).toBe(0);

    const stream = new VirStream();
    const done = st.storageVolUpload(vol, stream, 0, 10, 0);
    stream.send(Buffer.from('0123456789abcdef'));
    stream.finish();
    expect(await failure(done)).toEqual([
      E.VIR_ERR_SYSTEM_ERROR,
      ErrorDomain.VIR_FROM_STREAMS,
      'cannot write to stream: No space left on device',
    ]);
    expect((await download(vol, 0, 16)).toString('latin1')).toBe('0123456789\0\0\0\0\0\0');

    const q = await st.storageVolCreateXMLFrom(pool, VOL('data.qcow2', `<capacity unit='MiB'>1</capacity>${QCOW2}`), vol, 0);
    expect(imgInfo(path.join(dir, 'data.qcow2'))).toMatchObject({ format: 'qcow2', 'virtual-size': 4 * MiB });
    execFileSync('qemu-img', ['compare', '-q', '-f', 'raw', '-F', 'qcow2', path.join(dir, 'data.img'), path.join(dir, 'data.qcow2')]);
    expect((await st.storageVolGetInfo(q)).capacity).toBe(4 * MiB);

    const back = await st.storageVolCreateXMLFrom(
      pool,
      VOL('back.img', "<capacity unit='MiB'>8</capacity><allocation>0</allocation>"),
      q,
      0,
    );
    expect((await st.storageVolGetInfo(back)).capacity).toBe(4 * MiB);
    const copy = await st.storageVolCreateXMLFrom(
      pool,
      VOL('copy.img', "<capacity unit='MiB'>8</capacity><allocation>0</allocation>"),
      vol,
      0,
    );
    expect(await st.storageVolGetInfo(copy)).toEqual({ type: 0, capacity: 8 * MiB, allocation: allocated(path.join(dir, 'copy.img')) });
    expect(allocated(path.join(dir, 'copy.img'))).toBeLessThanOrEqual(2 * MiB);
    expect((await download(copy, 4096, data.length)).equals(data)).toBe(true);
    expect(await failure(st.storageVolCreateXMLFrom(pool, VOL('copy.img', ''), vol, 0))).toEqual([
      E.VIR_ERR_INTERNAL_ERROR,
      S,
      "internal error: storage volume name 'copy.img' already in use.",
    ]);
    expect(await failure(st.storageVolCreateXMLFrom(pool, VOL('r.qcow2', QCOW2), vol, 2))).toEqual([
      E.VIR_ERR_INVALID_ARG,
      S,
      'unsupported flags (0x2) in function storageBackendCreateQemuImg',
    ]);

    await st.storageVolWipe(copy, 0);
    expect((await download(copy, 0, 0)).equals(Buffer.alloc(8 * MiB))).toBe(true);
    await st.storageVolWipe(q, 0);
    expect(imgInfo(path.join(dir, 'data.qcow2')).format).toBe('raw');
    expect(await failure(st.storageVolWipe(copy, 1))).toEqual([
      E.VIR_ERR_INVALID_ARG,
      S,
      'unsupported flags (0x1) in function storageVolWipePattern',
    ]);
  });

  it("resizes raw and qcow2 volumes with libvirt's flag rules", async () => {
    const raw = await st.storageVolCreateXML(pool, VOL('grow.img', "<capacity unit='MiB'>8</capacity><allocation>0</allocation>"), 0);
    const file = path.join(dir, 'grow.img');
    expect(await failure(st.storageVolResize(raw, 4 * MiB, 0))).toEqual([
      E.VIR_ERR_INVALID_ARG,
      S,
      "invalid argument: Can't shrink capacity below current capacity unless shrink flag explicitly specified",
    ]);
    await st.storageVolResize(raw, 4 * MiB, 4);
    expect(fs.statSync(file).size).toBe(4 * MiB);
    await st.storageVolResize(raw, 2 * MiB, 2);
    expect(fs.statSync(file).size).toBe(6 * MiB);
    await st.storageVolResize(raw, MiB, 2 | 4);
    expect(await st.storageVolGetInfo(raw)).toEqual({ type: 0, capacity: 5 * MiB, allocation: 0 });
    await st.storageVolResize(raw, 8 * MiB, 1);
    expect(await st.storageVolGetInfo(raw)).toEqual({ type: 0, capacity: 8 * MiB, allocation: allocated(file) });
    expect(allocated(file)).toBeGreaterThanOrEqual(3 * MiB);
    expect(await failure(st.storageVolResize(raw, MiB, 4))).toEqual([
      E.VIR_ERR_INVALID_ARG,
      S,
      "invalid argument: can't shrink capacity below existing allocation",
    ]);
    expect(await failure(st.storageVolResize(raw, 2 ** 52, 1))).toEqual([
      E.VIR_ERR_OPERATION_FAILED,
      S,
      'operation failed: Not enough space left in storage pool',
    ]);

    const q = await st.storageVolCreateXML(pool, VOL('grow.qcow2', `<capacity unit='MiB'>16</capacity>${QCOW2}`), 0);
    const qfile = path.join(dir, 'grow.qcow2');
    await st.storageVolResize(q, 40 * MiB, 0);
    expect(imgInfo(qfile)['virtual-size']).toBe(40 * MiB);
    await st.storageVolResize(q, 24 * MiB, 4);
    expect(imgInfo(qfile)['virtual-size']).toBe(24 * MiB);
    expect((await st.storageVolGetInfo(q)).capacity).toBe(24 * MiB);
    expect(await failure(st.storageVolResize(q, 48 * MiB, 1))).toEqual([
      E.VIR_ERR_OPERATION_UNSUPPORTED,
      S,
      'Operation not supported: preallocate is only supported for raw type volume',
    ]);
  });
});

describe('busy volumes', () => {
  it('keeps the pool and the volume while a transfer runs', async () => {
    const vol = await st.storageVolCreateXML(pool, VOL('busy.img', "<capacity unit='MiB'>4</capacity><allocation>0</allocation>"), 0);
    // Nobody reads yet, so the download waits on the stream's buffer.
    const stream = new VirStream();
    const transfer = st.storageVolDownload(vol, stream, 0, 0, 0);
    await new Promise((r) => setTimeout(r, 50));
    expect(await failure(st.storagePoolDestroy(pool))).toEqual([
      E.VIR_ERR_OPERATION_INVALID,
      S,
      "Requested operation is not valid: pool 'vols' has asynchronous jobs running.",
    ]);
    expect(await failure(st.storagePoolRefresh(pool, 0))).toEqual([
      E.VIR_ERR_OPERATION_INVALID,
      S,
      "Requested operation is not valid: pool 'vols' has asynchronous jobs running.",
    ]);
    expect(await failure(st.storageVolDelete(vol, 0))).toEqual([
      E.VIR_ERR_OPERATION_INVALID,
      S,
      "Requested operation is not valid: volume 'busy.img' is still in use.",
    ]);
    expect(await failure(st.storageVolResize(vol, 8 * MiB, 0))).toEqual([
      E.VIR_ERR_OPERATION_INVALID,
      S,
      "Requested operation is not valid: volume 'busy.img' is still in use.",
    ]);
    const [, data] = await Promise.all([transfer, stream.receiveAll()]);
    expect(data.length).toBe(4 * MiB);
    await st.storageVolDelete(vol, 0);
  });

  it('lets only one of two simultaneous creations of a name win', async () => {
    const xml = VOL('race.qcow2', `<capacity unit='MiB'>8</capacity>${QCOW2}`);
    const results = await Promise.allSettled([st.storageVolCreateXML(pool, xml, 0), st.storageVolCreateXML(pool, xml, 0)]);
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    const lost = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(lost.reason.message).toBe("storage volume 'race.qcow2' exists already");
    expect(imgInfo(path.join(dir, 'race.qcow2'))['virtual-size']).toBe(8 * MiB);
  });
});

describe('finding and deleting volumes', () => {
  it('looks volumes up by key and path, deletes them, and answers for missing ones', async () => {
    const vol = await st.storageVolCreateXML(pool, VOL('gone.img', '<capacity>4096</capacity>'), 0);
    const file = path.join(dir, 'gone.img');
    expect(await st.storageVolLookupByKey(file)).toEqual(vol);
    expect(await st.storageVolLookupByPath(file.replace('/pool/', '//pool/'))).toEqual(vol);
    expect(await failure(st.storageVolLookupByPath(`${dir}/../pool/gone.img`))).toEqual([
      E.VIR_ERR_NO_STORAGE_VOL,
      S,
      `Storage volume not found: no storage vol with matching path '${dir}/../pool/gone.img'`,
    ]);
    expect(await failure(st.storageVolDelete(vol, 1))).toEqual([
      E.VIR_ERR_INVALID_ARG,
      S,
      'unsupported flags (0x1) in function virStorageBackendVolDeleteLocal',
    ]);
    await st.storageVolDelete(vol, 0);
    expect(fs.existsSync(file)).toBe(false);
    expect(await failure(st.storageVolLookupByKey(file))).toEqual([
      E.VIR_ERR_NO_STORAGE_VOL,
      S,
      `Storage volume not found: no storage vol with matching key ${file}`,
    ]);
    expect(await failure(st.storageVolGetInfo(vol))).toEqual([
      E.VIR_ERR_NO_STORAGE_VOL,
      S,
      "Storage volume not found: no storage vol with matching name 'gone.img'",
    ]);
    expect((await st.storagePoolListAllVolumes(pool, 0)).map((v) => v.name)).not.toContain('gone.img');
  });
});
