/**
 * Block jobs on a running QEMU (TCG, paused, no guest OS): commit, active commit + pivot, pull,
 * rebase, copy, abort, speed, info and events, checked against the image files afterwards.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { execFileSync } from 'node:child_process';
import {
  ConnectDomainEventBlockJobStatus as S,
  DomainBlockCommitFlags as C,
  DomainBlockCopyFlags as CP,
  DomainBlockJobAbortFlags as A,
  DomainBlockJobInfoFlags as I,
  DomainBlockJobSetSpeedFlags as SP,
  DomainBlockJobType as T,
  DomainBlockRebaseFlags as R,
  ErrorDomain,
  ErrorNumber,
} from '@virtkit/core';
import { type DomainDef } from '@virtkit/xml';
import { rejection } from './helpers';
import {
  VIEW,
  defChain,
  domainDef,
  events2,
  hasPattern,
  imageChain,
  jobHost,
  killVm,
  makeChain,
  removeChain,
  startVm,
  type Chain,
  type Vm,
} from './blockjob-fixture';

let chain: Chain | undefined;
let vm: Vm | undefined;
let def: DomainDef;
let host: ReturnType<typeof jobHost>;

async function setup(opts: Parameters<typeof makeChain>[0] = {}): Promise<Chain> {
  chain = makeChain(opts);
  vm = await startVm(chain);
  def = domainDef(chain.img.active);
  host = jobHost(def, vm);
  return chain;
}

afterEach(async () => {
  killVm(vm);
  await vm?.qmp.close().catch(() => undefined);
  removeChain(chain);
  vm = undefined;
  chain = undefined;
});

/**
 * After QEMU quit: the disk's top image in the definition shows every layer's pattern (and
 * `more`), i.e. the guest view survived the job.
 */
function expectDiskView(more: Array<[number, number]> = []): void {
  const top = defChain(def)[0];
  for (const [off, p] of [...VIEW, ...more]) expect([off, hasPattern(top, off, p)]).toEqual([off, true]);
}

async function settled(): Promise<number | undefined> {
  return host.jobs.settled('vda');
}

describe('argument checks (libvirt errors)', () => {
  beforeEach(() => setup());

  it('rejects unknown disks, images outside the chain and misplaced bases', async () => {
    const c = chain!;
    let e = await rejection(host.jobs.commit('vdz', null, null, 0, C.VIR_DOMAIN_BLOCK_COMMIT_ACTIVE));
    expect([e.code, e.domain, e.message]).toEqual([
      ErrorNumber.VIR_ERR_INVALID_ARG,
      ErrorDomain.VIR_FROM_QEMU,
      "invalid argument: disk 'vdz' not found in domain",
    ]);
    e = await rejection(host.jobs.commit('vda', null, '/nope.qcow2', 0, 0));
    expect(e.message).toBe("invalid argument: could not find image '/nope.qcow2' in chain for 'vda'");
    e = await rejection(host.jobs.commit('vda', c.img.snap2, c.img.snap1, 0, 0));
    expect(e.message).toBe(`invalid argument: could not find image '${c.img.snap2}' beneath '${c.img.snap1}' in chain for 'vda'`);
    e = await rejection(host.jobs.commit('vda', null, c.img.base, 0, 0));
    expect(e.message).toBe(`invalid argument: top '${c.img.base}' in chain for 'vda' has no backing file`);
    e = await rejection(host.jobs.commit('vda', c.img.base, c.img.snap2, 0, C.VIR_DOMAIN_BLOCK_COMMIT_SHALLOW));
    expect(e.message).toBe(`invalid argument: base '${c.img.base}' is not immediately below '${c.img.snap2}' in chain for 'vda'`);
    e = await rejection(host.jobs.commit('vda', null, null, 0, 0));
    expect([e.code, e.message]).toEqual([
      ErrorNumber.VIR_ERR_INVALID_ARG,
      "invalid argument: commit of 'vda' active layer requires active flag",
    ]);
    e = await rejection(host.jobs.commit('vda', null, c.img.snap2, 0, C.VIR_DOMAIN_BLOCK_COMMIT_ACTIVE));
    expect(e.message).toBe(`invalid argument: active commit requested but '${c.img.snap2}' is not active`);
    e = await rejection(host.jobs.commit('vda', c.img.snap1, c.img.snap2, 0, C.VIR_DOMAIN_BLOCK_COMMIT_RELATIVE));
    expect([e.code, e.message]).toEqual([
      ErrorNumber.VIR_ERR_OPERATION_INVALID,
      "Requested operation is not valid: can't keep relative backing relationship",
    ]);
    e = await rejection(host.jobs.rebase('vda', null, 0, R.VIR_DOMAIN_BLOCK_REBASE_RELATIVE));
    expect(e.message).toBe('invalid argument: flag VIR_DOMAIN_BLOCK_REBASE_RELATIVE is valid only with non-null base');
    e = await rejection(host.jobs.commit('vda', null, c.img.snap2, 2 ** 44, 0));
    expect([e.code, e.message]).toEqual([ErrorNumber.VIR_ERR_OVERFLOW, 'numerical overflow: bandwidth must be less than 8796093022207']);
    e = await rejection(host.jobs.abort('vda', 0));
    expect(e.message).toBe('invalid argument: disk vda does not have an active block job');
    e = await rejection(host.jobs.setSpeed('vda', 1, 0));
    expect(e.message).toBe('invalid argument: disk vda does not have an active block job');
    expect(await host.jobs.info('vda', 0)).toBeNull();
    e = await rejection(host.jobs.rebase('vda', 'rel.qcow2', 0, R.VIR_DOMAIN_BLOCK_REBASE_COPY));
    expect(e.message).toBe('invalid argument: absolute path must be used as block copy target');
    e = await rejection(
      host.jobs.rebase('vda', path.join(c.dir, 'none.qcow2'), 0, R.VIR_DOMAIN_BLOCK_REBASE_COPY | R.VIR_DOMAIN_BLOCK_REBASE_REUSE_EXT),
    );
    expect(e.message).toBe(`invalid argument: missing destination file for disk vda: ${path.join(c.dir, 'none.qcow2')}`);
    e = await rejection(host.jobs.rebase('vda', c.img.snap1, 0, R.VIR_DOMAIN_BLOCK_REBASE_COPY));
    expect(e.code).toBe(ErrorNumber.VIR_ERR_CONFIG_UNSUPPORTED);
    // Nothing started, nothing changed.
    expect(host.events).toEqual([]);
    expect(host.saved).toEqual([]);
  });
});

describe('block commit', () => {
  it('commits an intermediate layer into the next one, keeping the dropped image without DELETE', async () => {
    const c = await setup();
    await host.jobs.commit('vda', c.img.snap1, c.img.snap2, 0, 0);
    expect(await settled()).toBe(S.VIR_DOMAIN_BLOCK_JOB_COMPLETED);
    expect(events2(host.events)).toEqual([[T.VIR_DOMAIN_BLOCK_JOB_TYPE_COMMIT, S.VIR_DOMAIN_BLOCK_JOB_COMPLETED]]);
    expect(host.events.find((e) => e.path)?.path).toBe(c.img.active);
    expect(defChain(def)).toEqual([c.img.active, c.img.snap1, c.img.base]);
    expect(host.saved.at(-1)).toContain(`<backingStore type='file'>`);
    const nodes = (await vm!.qmp.execute<Array<{ 'node-name': string }>>('query-named-block-nodes', { flat: true })).map(
      (n) => n['node-name'],
    );
    expect(nodes).not.toContain('libvirt-3-format');
    await vm!.quit();
    expectDiskView();
    expect(imageChain(c.img.active).map((i) => i.filename)).toEqual([c.img.active, c.img.snap1, c.img.base]);
    expect(imageChain(c.img.active)[0].backing).toBe(c.img.snap1);
    expect(hasPattern(c.img.snap1, 2, 0x33)).toBe(true);
    expect(hasPattern(c.img.base, 2, 0x33)).toBe(false);
    expect(fs.existsSync(c.img.snap2)).toBe(true);
  });

  it('SHALLOW picks the image right below top; DELETE removes what left the chain', async () => {
    const c = await setup();
    await host.jobs.commit('vda', null, c.img.snap2, 0, C.VIR_DOMAIN_BLOCK_COMMIT_SHALLOW | C.VIR_DOMAIN_BLOCK_COMMIT_DELETE);
    expect(await settled()).toBe(S.VIR_DOMAIN_BLOCK_JOB_COMPLETED);
    expect(defChain(def)).toEqual([c.img.active, c.img.snap1, c.img.base]);
    expect(fs.existsSync(c.img.snap2)).toBe(false);
    expect(fs.existsSync(c.img.snap1)).toBe(true);
    await vm!.quit();
    expectDiskView();
    expect(hasPattern(c.img.snap1, 2, 0x33)).toBe(true);
  });

  it('commits down to the deepest image by default and deletes every dropped layer with DELETE', async () => {
    const c = await setup();
    await host.jobs.commit('vda', null, c.img.snap2, 0, C.VIR_DOMAIN_BLOCK_COMMIT_DELETE);
    expect(await settled()).toBe(S.VIR_DOMAIN_BLOCK_JOB_COMPLETED);
    expect(defChain(def)).toEqual([c.img.active, c.img.base]);
    expect([fs.existsSync(c.img.snap1), fs.existsSync(c.img.snap2)]).toEqual([false, false]);
    await vm!.quit();
    expectDiskView();
    expect(imageChain(c.img.active).map((i) => i.filename)).toEqual([c.img.active, c.img.base]);
    expect([hasPattern(c.img.base, 1, 0x22), hasPattern(c.img.base, 2, 0x33), hasPattern(c.img.base, 3, 0x11)]).toEqual([true, true, true]);
  });

  it('RELATIVE keeps a relative backing name in the overlay', async () => {
    const c = await setup({ relative: true });
    await host.jobs.commit('vda', c.img.base, c.img.snap2, 0, C.VIR_DOMAIN_BLOCK_COMMIT_RELATIVE);
    expect(await settled()).toBe(S.VIR_DOMAIN_BLOCK_JOB_COMPLETED);
    await vm!.quit();
    expectDiskView();
    expect(imageChain(c.img.active)[0].backing).toBe('base.qcow2');
  });

  it('active commit: READY, then pivot moves the disk onto the base (DELETE removes the rest)', async () => {
    const c = await setup();
    await host.jobs.commit('vda', null, null, 0, C.VIR_DOMAIN_BLOCK_COMMIT_ACTIVE | C.VIR_DOMAIN_BLOCK_COMMIT_DELETE);
    await waitFor(() => events2(host.events).length === 1);
    expect(events2(host.events)).toEqual([[T.VIR_DOMAIN_BLOCK_JOB_TYPE_ACTIVE_COMMIT, S.VIR_DOMAIN_BLOCK_JOB_READY]]);
    const info = await host.jobs.info('vda', 0);
    expect(info?.type).toBe(T.VIR_DOMAIN_BLOCK_JOB_TYPE_ACTIVE_COMMIT);
    expect(info!.cur).toBe(info!.end);
    // Guest writes while ready are mirrored into the base.
    await vm!.guestWrite('write -P 0x55 5M 1M');
    let e = await rejection(host.jobs.commit('vda', null, c.img.snap2, 0, 0));
    expect([e.code, e.message]).toEqual([
      ErrorNumber.VIR_ERR_BLOCK_COPY_ACTIVE,
      "block copy still active: disk 'vda' already in active block job",
    ]);
    await host.jobs.abort('vda', A.VIR_DOMAIN_BLOCK_JOB_ABORT_PIVOT);
    expect(events2(host.events).at(-1)).toEqual([T.VIR_DOMAIN_BLOCK_JOB_TYPE_ACTIVE_COMMIT, S.VIR_DOMAIN_BLOCK_JOB_COMPLETED]);
    expect(defChain(def)).toEqual([c.img.base]);
    expect(host.saved.at(-1)).toContain(`<source file='${c.img.base}'/>\n      <backingStore/>`);
    expect([c.img.active, c.img.snap1, c.img.snap2].map((f) => fs.existsSync(f))).toEqual([false, false, false]);
    e = await rejection(host.jobs.abort('vda', 0));
    expect(e.code).toBe(ErrorNumber.VIR_ERR_INVALID_ARG);
    await vm!.quit();
    expectDiskView([[5, 0x55]]);
    expect(imageChain(c.img.base)).toHaveLength(1);
    for (const [off, p] of [...VIEW, [5, 0x55] as [number, number]]) expect(hasPattern(c.img.base, off, p)).toBe(true);
  });

  it('active commit aborted without pivot keeps the active layer', async () => {
    const c = await setup();
    await host.jobs.commit('vda', c.img.snap1, null, 0, C.VIR_DOMAIN_BLOCK_COMMIT_ACTIVE | C.VIR_DOMAIN_BLOCK_COMMIT_DELETE);
    await waitFor(() => events2(host.events).length === 1);
    await host.jobs.abort('vda', 0);
    expect(events2(host.events)).toEqual([
      [T.VIR_DOMAIN_BLOCK_JOB_TYPE_ACTIVE_COMMIT, S.VIR_DOMAIN_BLOCK_JOB_READY],
      [T.VIR_DOMAIN_BLOCK_JOB_TYPE_ACTIVE_COMMIT, S.VIR_DOMAIN_BLOCK_JOB_CANCELED],
    ]);
    expect(host.saved).toEqual([]);
    expect(defChain(def)).toEqual([c.img.active]);
    expect([c.img.active, c.img.snap2].map((f) => fs.existsSync(f))).toEqual([true, true]);
    await vm!.quit();
    expectDiskView();
    expect(imageChain(c.img.active)).toHaveLength(4);
    // The data went down into snap1 all the same.
    expect([hasPattern(c.img.snap1, 2, 0x33), hasPattern(c.img.snap1, 3, 0x44)]).toEqual([true, true]);
  });
});

describe('speed, info and abort of a job in flight', () => {
  it('reports progress and bandwidth, changes speed, refuses a second job, aborts (sync and async)', async () => {
    const c = await setup({ extraMiB: 16 });
    // 64 KiB/s: the first chunk goes, then the job waits.
    await host.jobs.commit('vda', c.img.base, c.img.snap2, 65536, C.VIR_DOMAIN_BLOCK_COMMIT_BANDWIDTH_BYTES);
    let info = await host.jobs.info('vda', I.VIR_DOMAIN_BLOCK_JOB_INFO_BANDWIDTH_BYTES);
    expect(info).toEqual(expect.objectContaining({ type: T.VIR_DOMAIN_BLOCK_JOB_TYPE_COMMIT, bandwidth: 65536, end: 32 * 1024 * 1024 }));
    expect(info!.cur).toBeLessThan(info!.end);
    expect((await host.jobs.info('vda', 0))!.bandwidth).toBe(1);
    await host.jobs.setSpeed('vda', 3, 0);
    expect((await host.jobs.info('vda', I.VIR_DOMAIN_BLOCK_JOB_INFO_BANDWIDTH_BYTES))!.bandwidth).toBe(3 * 1024 * 1024);
    await host.jobs.setSpeed('vda', 4096, SP.VIR_DOMAIN_BLOCK_JOB_SPEED_BANDWIDTH_BYTES);
    info = await host.jobs.info('vda', I.VIR_DOMAIN_BLOCK_JOB_INFO_BANDWIDTH_BYTES);
    expect(info!.bandwidth).toBe(4096);
    let e = await rejection(host.jobs.rebase('vda', null, 0, 0));
    expect([e.code, e.message]).toEqual([
      ErrorNumber.VIR_ERR_OPERATION_UNSUPPORTED,
      "Operation not supported: disk 'vda' already in active block job",
    ]);
    e = await rejection(host.jobs.abort('vda', A.VIR_DOMAIN_BLOCK_JOB_ABORT_PIVOT));
    expect([e.code, e.message]).toEqual([
      ErrorNumber.VIR_ERR_OPERATION_INVALID,
      "Requested operation is not valid: job type 'commit' does not support pivot",
    ]);
    await host.jobs.abort('vda', 0);
    expect(events2(host.events)).toEqual([[T.VIR_DOMAIN_BLOCK_JOB_TYPE_COMMIT, S.VIR_DOMAIN_BLOCK_JOB_CANCELED]]);
    expect(await host.jobs.info('vda', 0)).toBeNull();
    expect(defChain(def)).toEqual([c.img.active]);

    // Same again, ASYNC: the call returns before the end, the event follows.
    await host.jobs.rebase('vda', null, 1, R.VIR_DOMAIN_BLOCK_REBASE_BANDWIDTH_BYTES);
    expect((await host.jobs.info('vda', 0))!.type).toBe(T.VIR_DOMAIN_BLOCK_JOB_TYPE_PULL);
    await host.jobs.abort('vda', A.VIR_DOMAIN_BLOCK_JOB_ABORT_ASYNC);
    await waitFor(() => events2(host.events).length === 2);
    expect(events2(host.events).at(-1)).toEqual([T.VIR_DOMAIN_BLOCK_JOB_TYPE_PULL, S.VIR_DOMAIN_BLOCK_JOB_CANCELED]);
    await vm!.quit();
    expectDiskView();
    expect(imageChain(c.img.active)).toHaveLength(4);
  });
});

describe('block pull and rebase', () => {
  it('pull flattens the whole chain into the active layer', async () => {
    const c = await setup();
    await host.jobs.pull('vda', 0, 0);
    expect(await settled()).toBe(S.VIR_DOMAIN_BLOCK_JOB_COMPLETED);
    expect(events2(host.events)).toEqual([[T.VIR_DOMAIN_BLOCK_JOB_TYPE_PULL, S.VIR_DOMAIN_BLOCK_JOB_COMPLETED]]);
    expect(defChain(def)).toEqual([c.img.active]);
    expect(fs.existsSync(c.img.snap1)).toBe(true);
    await vm!.quit();
    expectDiskView();
    expect(imageChain(c.img.active)).toHaveLength(1);
    for (const [off, p] of VIEW) expect(hasPattern(c.img.active, off, p)).toBe(true);
  });

  it('rebase onto a base pulls only the layers above it, RELATIVE keeps the name relative', async () => {
    const c = await setup({ relative: true });
    await host.jobs.rebase('vda', c.img.snap1, 0, R.VIR_DOMAIN_BLOCK_REBASE_RELATIVE);
    expect(await settled()).toBe(S.VIR_DOMAIN_BLOCK_JOB_COMPLETED);
    expect(defChain(def)).toEqual([c.img.active, c.img.snap1, c.img.base]);
    await vm!.quit();
    expectDiskView();
    const ch = imageChain(c.img.active);
    expect(ch[0].backing).toBe('snap1.qcow2');
    expect(ch).toHaveLength(3);
    expect(hasPattern(c.img.snap1, 2, 0x33)).toBe(false);
    expect(hasPattern(c.img.active, 2, 0x33)).toBe(true);
  });
});

describe('block copy', () => {
  it('rebase COPY mirrors the whole chain into a new image and pivots to it', async () => {
    const c = await setup();
    const dest = path.join(c.dir, 'copy.qcow2');
    await host.jobs.rebase('vda', dest, 0, R.VIR_DOMAIN_BLOCK_REBASE_COPY);
    await waitFor(() => events2(host.events).length === 1);
    expect(events2(host.events)).toEqual([[T.VIR_DOMAIN_BLOCK_JOB_TYPE_COPY, S.VIR_DOMAIN_BLOCK_JOB_READY]]);
    await vm!.guestWrite('write -P 0x77 6M 1M');
    await host.jobs.abort('vda', A.VIR_DOMAIN_BLOCK_JOB_ABORT_PIVOT);
    expect(events2(host.events).at(-1)).toEqual([T.VIR_DOMAIN_BLOCK_JOB_TYPE_COPY, S.VIR_DOMAIN_BLOCK_JOB_COMPLETED]);
    expect(defChain(def)).toEqual([dest]);
    await vm!.quit();
    expectDiskView([[6, 0x77]]);
    expect(imageChain(dest)).toHaveLength(1);
    for (const [off, p] of [...VIEW, [6, 0x77] as [number, number]]) expect(hasPattern(dest, off, p)).toBe(true);
    // The old chain did not see the write made after the pivot... nor lose anything.
    expect(imageChain(c.img.active)).toHaveLength(4);
  });

  it('SHALLOW copy keeps the backing chain; REUSE_EXT uses a prepared image', async () => {
    const c = await setup();
    const dest = path.join(c.dir, 'shallow.qcow2');
    execFileSync('qemu-img', ['create', '-q', '-f', 'qcow2', '-b', c.img.snap2, '-F', 'qcow2', dest, '32M']);
    await host.jobs.rebase(
      'vda',
      dest,
      0,
      R.VIR_DOMAIN_BLOCK_REBASE_COPY | R.VIR_DOMAIN_BLOCK_REBASE_SHALLOW | R.VIR_DOMAIN_BLOCK_REBASE_REUSE_EXT,
    );
    await waitFor(() => events2(host.events).length === 1);
    await host.jobs.abort('vda', A.VIR_DOMAIN_BLOCK_JOB_ABORT_PIVOT);
    expect(defChain(def)).toEqual([dest, c.img.snap2, c.img.snap1, c.img.base]);
    await vm!.quit();
    expectDiskView();
    expect(imageChain(dest).map((i) => i.filename)).toEqual([dest, c.img.snap2, c.img.snap1, c.img.base]);
    expect(hasPattern(dest, 3, 0x44)).toBe(true);
    // Shallow: only the top layer's data was copied.
    expect(execFileSync('qemu-io', ['-f', 'qcow2', '-r', '-U', '-c', 'map', dest], { encoding: 'utf8' })).toMatch(
      /1 MiB \(0x100000\) bytes\s+allocated at offset 3 MiB/,
    );
  });

  it('blockCopy with destination XML: abort after READY leaves the disk and a complete copy', async () => {
    const c = await setup();
    const dest = path.join(c.dir, 'copy2.qcow2');
    await host.jobs.copy(
      'vda',
      `<disk type='file'><source file='${dest}'/><driver type='qcow2'/></disk>`,
      { bandwidth: 64 * 1024 * 1024 },
      CP.VIR_DOMAIN_BLOCK_COPY_SHALLOW,
    );
    const e = await rejection(host.jobs.commit('vda', null, c.img.snap2, 0, 0));
    expect(e.code).toBe(ErrorNumber.VIR_ERR_BLOCK_COPY_ACTIVE);
    await waitFor(() => events2(host.events).length === 1);
    expect((await host.jobs.info('vda', 0))!.bandwidth).toBe(64);
    await host.jobs.abort('vda', 0);
    expect(events2(host.events)).toEqual([
      [T.VIR_DOMAIN_BLOCK_JOB_TYPE_COPY, S.VIR_DOMAIN_BLOCK_JOB_READY],
      [T.VIR_DOMAIN_BLOCK_JOB_TYPE_COPY, S.VIR_DOMAIN_BLOCK_JOB_CANCELED],
    ]);
    expect(defChain(def)).toEqual([c.img.active]);
    const nodes = (await vm!.qmp.execute<Array<{ file: string }>>('query-named-block-nodes', { flat: true })).map((n) => n.file);
    expect(nodes).not.toContain(dest);
    await vm!.quit();
    expectDiskView();
    expect(execFileSync('qemu-img', ['compare', '-f', 'qcow2', '-F', 'qcow2', dest, c.img.active], { encoding: 'utf8' })).toMatch(
      /Images are identical/,
    );
  });

  it('COPY_RAW copies into a raw image (never shallow over a backing chain)', async () => {
    const c = await setup();
    const dest = path.join(c.dir, 'copy.raw');
    const shallowRaw = R.VIR_DOMAIN_BLOCK_REBASE_COPY | R.VIR_DOMAIN_BLOCK_REBASE_COPY_RAW | R.VIR_DOMAIN_BLOCK_REBASE_SHALLOW;
    const e = await rejection(host.jobs.rebase('vda', dest, 0, shallowRaw));
    expect([e.code, e.message]).toEqual([
      ErrorNumber.VIR_ERR_INVALID_ARG,
      "invalid argument: shallow copy of disk 'vda' into a raw file is not possible",
    ]);
    expect(fs.existsSync(dest)).toBe(false);
    await host.jobs.rebase('vda', dest, 0, R.VIR_DOMAIN_BLOCK_REBASE_COPY | R.VIR_DOMAIN_BLOCK_REBASE_COPY_RAW);
    await waitFor(() => events2(host.events).length === 1);
    await host.jobs.abort('vda', A.VIR_DOMAIN_BLOCK_JOB_ABORT_PIVOT);
    expect(def.devices[0].disk!.driverType).toBe('raw');
    expect(host.saved.at(-1)).toContain(`<driver name='qemu' type='raw'/>\n      <source file='${dest}'/>`);
    await vm!.quit();
    const raw = fs.readFileSync(dest);
    for (const [off, p] of VIEW) expect([off, raw.subarray(off << 20, (off + 1) << 20).every((b) => b === p)]).toEqual([off, true]);
  });

  it('pivot before READY is refused', async () => {
    const c = await setup({ extraMiB: 16 });
    const dest = path.join(c.dir, 'slow.qcow2');
    await host.jobs.rebase('vda', dest, 65536, R.VIR_DOMAIN_BLOCK_REBASE_COPY | R.VIR_DOMAIN_BLOCK_REBASE_BANDWIDTH_BYTES);
    const info = await host.jobs.info('vda', 0);
    expect(info!.cur).toBeLessThan(info!.end);
    const e = await rejection(host.jobs.abort('vda', A.VIR_DOMAIN_BLOCK_JOB_ABORT_PIVOT));
    expect([e.code, e.message]).toEqual([
      ErrorNumber.VIR_ERR_BLOCK_COPY_ACTIVE,
      "block copy still active: block job 'vda' not ready for pivot yet",
    ]);
    await host.jobs.abort('vda', 0);
    expect(events2(host.events)).toEqual([[T.VIR_DOMAIN_BLOCK_JOB_TYPE_COPY, S.VIR_DOMAIN_BLOCK_JOB_CANCELED]]);
    expect(defChain(def)).toEqual([c.img.active]);
  });
});

async function waitFor(cond: () => boolean, timeoutMs = 20_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 20));
  }
}
