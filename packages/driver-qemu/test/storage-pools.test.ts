/** Dir pools against real directories: lifecycle, files on disk, reload, autostart, errors. */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ConnectListAllStoragePoolsFlags as L, ErrorDomain, ErrorNumber as E } from '@virtkit/core';
import { DirStorage, storageDirsOf } from '../src/storage';
import { embedPaths } from '../src/paths';
import { POOL, failure, mode, scratch, type Scratch } from './storage-helpers';

const S = ErrorDomain.VIR_FROM_STORAGE;
const UUID = '0f0e0d0c-0b0a-4908-8706-050403020100';
let s: Scratch;
let st: DirStorage;

beforeEach(async () => {
  s = scratch();
  st = await s.open();
});
afterEach(() => s.cleanup());

const names = async (flags: number) => (await st.connectListAllStoragePools(flags)).map((r) => r.name).sort();

describe('dir pool lifecycle', () => {
  it('defines, builds, starts, refreshes, stops, deletes and undefines', async () => {
    const dir = path.join(s.root, 'pools', 'p1');
    const p = await st.storagePoolDefineXML(
      POOL('p1', dir, `<uuid>${UUID}</uuid>`).replace('</path>', '</path><permissions><mode>0750</mode></permissions>'),
      0,
    );
    expect(p).toEqual({ name: 'p1', uuid: UUID });
    expect(fs.readFileSync(path.join(s.dirs.configDir, 'p1.xml'), 'utf8')).toContain('<mode>0750</mode>');
    expect([await st.storagePoolIsActive(p), await st.storagePoolIsPersistent(p)]).toEqual([false, true]);
    expect(await st.storagePoolLookupByUUIDString(UUID.toUpperCase())).toEqual(p);

    expect(await failure(st.storagePoolCreate(p, 0))).toEqual([
      E.VIR_ERR_SYSTEM_ERROR,
      ErrorDomain.VIR_FROM_NONE,
      `cannot open directory '${dir}': No such file or directory`,
    ]);
    await st.storagePoolBuild(p, 0);
    expect(mode(dir)).toBe(0o750);
    await st.storagePoolCreate(p, 0);
    expect(await st.storagePoolIsActive(p)).toBe(true);
    expect(fs.readFileSync(path.join(s.dirs.stateDir, 'p1.xml'), 'utf8')).toMatch(/^<poolstate>\n {2}<pool type='dir'>/);

    const info = await st.storagePoolGetInfo(p);
    const fsStat = fs.statfsSync(dir);
    expect(info.state).toBe(2);
    expect(info.capacity).toBe(fsStat.blocks * fsStat.bsize);
    expect(Number(info.allocation) + Number(info.available)).toBe(info.capacity);
    const xml = await st.storagePoolGetXMLDesc(p, 0);
    expect(xml).toContain(`<owner>${process.getuid!()}</owner>`);
    expect(xml).toContain(`<capacity unit='bytes'>${info.capacity}</capacity>`);

    for (const [call, text] of [
      [st.storagePoolBuild(p, 0), "storage pool 'p1' is already active"],
      [st.storagePoolCreate(p, 0), "storage pool 'p1' is already active"],
      [st.storagePoolUndefine(p), "storage pool 'p1' is still active"],
      [st.storagePoolDelete(p, 0), "storage pool 'p1' is still active"],
    ] as const)
      expect(await failure(call)).toEqual([E.VIR_ERR_OPERATION_INVALID, S, `Requested operation is not valid: ${text}`]);

    execFileSync('qemu-img', ['create', '-q', '-f', 'qcow2', path.join(dir, 'ext.qcow2'), '16M']);
    expect(await st.storagePoolNumOfVolumes(p)).toBe(0);
    await st.storagePoolRefresh(p, 0);
    expect(await st.storagePoolListVolumes(p, 10)).toEqual(['ext.qcow2']);
    const vol = await st.storageVolLookupByName(p, 'ext.qcow2');
    expect(await st.storagePoolLookupByVolume(vol)).toEqual(p);
    expect((await st.storageVolGetInfo(vol)).capacity).toBe(16 << 20);

    await st.storagePoolDestroy(p);
    expect(fs.existsSync(path.join(s.dirs.stateDir, 'p1.xml'))).toBe(false);
    expect(await failure(st.storagePoolRefresh(p, 0))).toEqual([
      E.VIR_ERR_OPERATION_INVALID,
      S,
      "Requested operation is not valid: storage pool 'p1' is not active",
    ]);
    expect(await failure(st.storageVolGetInfo(vol))).toEqual([
      E.VIR_ERR_OPERATION_INVALID,
      S,
      "Requested operation is not valid: storage pool 'p1' is not active",
    ]);
    expect(await failure(st.storagePoolDelete(p, 0))).toEqual([
      E.VIR_ERR_SYSTEM_ERROR,
      S,
      `failed to remove pool '${dir}': Directory not empty`,
    ]);
    fs.rmSync(path.join(dir, 'ext.qcow2'));
    await st.storagePoolDelete(p, 0);
    expect(fs.existsSync(dir)).toBe(false);
    await st.storagePoolUndefine(p);
    expect(fs.existsSync(path.join(s.dirs.configDir, 'p1.xml'))).toBe(false);
    expect(await failure(st.storagePoolLookupByName('p1'))).toEqual([
      E.VIR_ERR_NO_STORAGE_POOL,
      S,
      "Storage pool not found: no storage pool with matching name 'p1'",
    ]);
  });

  it('checks build flags as libvirt does for a dir pool', async () => {
    const dir = path.join(s.root, 'p2');
    const p = await st.storagePoolDefineXML(POOL('p2', dir), 0);
    expect(await failure(st.storagePoolBuild(p, 4 | 8))).toEqual([
      E.VIR_ERR_INVALID_ARG,
      S,
      "Flags 'VIR_STORAGE_POOL_BUILD_OVERWRITE' and 'VIR_STORAGE_POOL_BUILD_NO_OVERWRITE' are mutually exclusive",
    ]);
    expect(await failure(st.storagePoolBuild(p, 1))).toEqual([
      E.VIR_ERR_INVALID_ARG,
      S,
      'unsupported flags (0x1) in function virStorageBackendFileSystemBuild',
    ]);
    expect(await failure(st.storagePoolBuild(p, 8))).toEqual([
      E.VIR_ERR_OPERATION_INVALID,
      S,
      "Requested operation is not valid: No source device specified when formatting pool 'p2'",
    ]);
    // Default mode of a pool directory, and create-with-build.
    expect(mode(dir)).toBe(0o711);
    fs.rmdirSync(dir);
    await st.storagePoolCreate(p, 1);
    expect([fs.existsSync(dir), await st.storagePoolIsActive(p)]).toEqual([true, true]);
  });

  it('keeps transient pools only while they run and refuses duplicates', async () => {
    const t = await st.storagePoolCreateXML(POOL('t1', path.join(s.root, 't1')), 1);
    expect([await st.storagePoolIsActive(t), await st.storagePoolIsPersistent(t)]).toEqual([true, false]);
    expect(fs.existsSync(path.join(s.dirs.configDir, 't1.xml'))).toBe(false);
    expect(await failure(st.storagePoolSetAutostart(t, true))).toEqual([
      E.VIR_ERR_INTERNAL_ERROR,
      S,
      'internal error: pool has no config file',
    ]);
    expect(await failure(st.storagePoolUndefine(t))).toEqual([
      E.VIR_ERR_OPERATION_INVALID,
      S,
      "Requested operation is not valid: storage pool 't1' is still active",
    ]);

    expect(await failure(st.storagePoolDefineXML(POOL('t2', path.join(s.root, 't1')), 0))).toEqual([
      E.VIR_ERR_OPERATION_FAILED,
      S,
      "operation failed: Storage source conflict with pool: 't1'",
    ]);
    expect(await failure(st.storagePoolDefineXML(POOL('t1', path.join(s.root, 'x')), 0))).toEqual([
      E.VIR_ERR_OPERATION_FAILED,
      S,
      `operation failed: pool 't1' already exists with uuid ${t.uuid}`,
    ]);
    expect(await failure(st.storagePoolDefineXML(POOL('other', path.join(s.root, 'x'), `<uuid>${t.uuid}</uuid>`), 0))).toEqual([
      E.VIR_ERR_OPERATION_FAILED,
      S,
      `operation failed: pool 't1' is already defined with uuid ${t.uuid}`,
    ]);
    expect(await failure(st.storagePoolCreateXML(POOL('t1', path.join(s.root, 't1'), `<uuid>${t.uuid}</uuid>`), 0))).toEqual([
      E.VIR_ERR_OPERATION_INVALID,
      S,
      "Requested operation is not valid: pool is already active as 't1'",
    ]);
    expect(
      await failure(st.storagePoolDefineXML("<pool type='logical'><name>lv</name><source><name>vg</name></source></pool>", 0)),
    ).toEqual([E.VIR_ERR_INTERNAL_ERROR, S, 'internal error: missing backend for pool type 3 (logical)']);
    expect(await failure(st.storagePoolDefineXML("<pool type='dir'><name>a/b</name><target><path>/x</path></target></pool>", 0))).toEqual([
      E.VIR_ERR_XML_ERROR,
      S,
      "XML error: name a/b cannot contain '/'",
    ]);

    await st.storagePoolDestroy(t);
    expect(await failure(st.storagePoolLookupByUUIDString(t.uuid))).toEqual([
      E.VIR_ERR_NO_STORAGE_POOL,
      S,
      `Storage pool not found: no storage pool with matching uuid '${t.uuid}'`,
    ]);
    expect(await failure(st.storagePoolGetInfo(t))).toEqual([
      E.VIR_ERR_NO_STORAGE_POOL,
      S,
      `Storage pool not found: no storage pool with matching uuid '${t.uuid}' (t1)`,
    ]);
  });

  it("lists with libvirt's filter groups and keeps a redefinition for after the stop", async () => {
    const a = await st.storagePoolCreateXML(POOL('a', path.join(s.root, 'a')), 1);
    const b = await st.storagePoolDefineXML(POOL('b', path.join(s.root, 'b')), 0);
    const c = await st.storagePoolDefineXML(POOL('c', path.join(s.root, 'c')), 0);
    await st.storagePoolCreate(c, 1);
    await st.storagePoolSetAutostart(b, true);
    expect(await names(0)).toEqual(['a', 'b', 'c']);
    expect(await names(L.VIR_CONNECT_LIST_STORAGE_POOLS_ACTIVE)).toEqual(['a', 'c']);
    expect(await names(L.VIR_CONNECT_LIST_STORAGE_POOLS_INACTIVE)).toEqual(['b']);
    expect(await names(L.VIR_CONNECT_LIST_STORAGE_POOLS_TRANSIENT)).toEqual(['a']);
    expect(await names(L.VIR_CONNECT_LIST_STORAGE_POOLS_PERSISTENT | L.VIR_CONNECT_LIST_STORAGE_POOLS_ACTIVE)).toEqual(['c']);
    expect(await names(L.VIR_CONNECT_LIST_STORAGE_POOLS_AUTOSTART)).toEqual(['b']);
    expect(await names(L.VIR_CONNECT_LIST_STORAGE_POOLS_NO_AUTOSTART)).toEqual(['a', 'c']);
    expect(await names(L.VIR_CONNECT_LIST_STORAGE_POOLS_DIR)).toEqual(['a', 'b', 'c']);
    expect(await names(L.VIR_CONNECT_LIST_STORAGE_POOLS_FS)).toEqual([]);
    expect(a.name).toBe('a');

    await st.storagePoolDefineXML(POOL('c', path.join(s.root, 'c2'), `<uuid>${c.uuid}</uuid>`), 0);
    expect(await st.storagePoolGetXMLDesc(c, 0)).toContain(`<path>${path.join(s.root, 'c')}</path>`);
    expect(await st.storagePoolGetXMLDesc(c, 1)).toContain(`<path>${path.join(s.root, 'c2')}</path>`);
    await st.storagePoolDestroy(c);
    expect(await st.storagePoolGetXMLDesc(c, 0)).toContain(`<path>${path.join(s.root, 'c2')}</path>`);
  });
});

describe('persistence', () => {
  it('keeps its files where the URI layout says (embed root)', async () => {
    const paths = embedPaths(s.root);
    const embedded = await DirStorage.open(storageDirsOf(paths));
    const p = await embedded.storagePoolCreateXML(POOL('e', path.join(s.root, 'e')), 1);
    await embedded.storagePoolDefineXML(POOL('e', path.join(s.root, 'e'), `<uuid>${p.uuid}</uuid>`), 0);
    await embedded.storagePoolSetAutostart(p, true);
    expect(fs.readdirSync(path.join(s.root, 'etc', 'storage')).sort()).toEqual(['autostart', 'e.xml']);
    expect(fs.readdirSync(path.join(s.root, 'etc', 'storage', 'autostart'))).toEqual(['e.xml']);
    expect(fs.readdirSync(path.join(s.root, 'run', 'storage'))).toEqual(['e.xml']);
  });

  it('reloads definitions, autostart links and running pools from disk', async () => {
    const dir = path.join(s.root, 'p');
    const p = await st.storagePoolDefineXML(POOL('p', dir), 0);
    await st.storagePoolSetAutostart(p, true);
    const link = path.join(s.dirs.autostartDir, 'p.xml');
    expect(fs.readlinkSync(link)).toBe(path.join(s.dirs.configDir, 'p.xml'));
    await st.storagePoolBuild(p, 0);
    fs.writeFileSync(path.join(dir, 'disk.img'), Buffer.alloc(4096, 1));

    // A new instance (a daemon restart, same boot): nothing runs, autostart starts p once.
    let again = await s.open();
    expect(await again.storagePoolIsActive(p)).toBe(false);
    expect(await again.storagePoolGetAutostart(p)).toBe(true);
    await again.autostartPools();
    expect(await again.storagePoolIsActive(p)).toBe(true);
    expect(await again.storagePoolListVolumes(p, 10)).toEqual(['disk.img']);

    // The active state survives the next restart, autostart does not run twice per boot.
    again = await s.open();
    expect(await again.storagePoolIsActive(p)).toBe(true);
    expect(await again.storagePoolListVolumes(p, 10)).toEqual(['disk.img']);
    await again.storagePoolDestroy(p);
    await again.autostartPools();
    expect(await again.storagePoolIsActive(p)).toBe(false);

    // A running pool whose directory vanished comes back inactive.
    await again.storagePoolCreate(p, 0);
    fs.rmSync(dir, { recursive: true });
    again = await s.open();
    expect(await again.storagePoolIsActive(p)).toBe(false);
    expect(fs.existsSync(path.join(s.dirs.stateDir, 'p.xml'))).toBe(false);

    await again.storagePoolSetAutostart(p, false);
    expect(fs.existsSync(link)).toBe(false);
    await again.storagePoolSetAutostart(p, true);
    await again.storagePoolUndefine(p);
    expect(fs.existsSync(link)).toBe(false);
  });
});
