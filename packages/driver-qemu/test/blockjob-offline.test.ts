/**
 * Block jobs of a shut-off domain: qemu-img commit / rebase run as jobs with the same info,
 * abort and events as QEMU's, checked against the image files.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  ConnectDomainEventBlockJobStatus as S,
  DomainBlockCommitFlags as C,
  DomainBlockJobAbortFlags as A,
  DomainBlockJobType as T,
  DomainBlockRebaseFlags as R,
  ErrorNumber,
  DomainEventID,
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
  makeChain,
  removeChain,
  type Chain,
} from './blockjob-fixture';

let chain: Chain | undefined;
let def: DomainDef;
let host: ReturnType<typeof jobHost>;

function setup(opts: Parameters<typeof makeChain>[0] = {}): Chain {
  chain = makeChain(opts);
  def = domainDef(chain.img.active);
  host = jobHost(def);
  return chain;
}

afterEach(async () => {
  // A test that failed mid-job must not leave qemu-img running on removed files.
  if (chain) await host.jobs.abort('vda', 0).catch(() => undefined);
  removeChain(chain);
  chain = undefined;
});

function expectDiskView(): void {
  const top = defChain(def)[0];
  for (const [off, p] of VIEW) expect([off, hasPattern(top, off, p)]).toEqual([off, true]);
}

describe('offline commit (qemu-img commit + rebase -u)', () => {
  it('commits an intermediate layer and points its overlay at the base', async () => {
    const c = setup();
    await host.jobs.commit('vda', c.img.snap1, c.img.snap2, 0, 0);
    expect(await host.jobs.settled('vda')).toBe(S.VIR_DOMAIN_BLOCK_JOB_COMPLETED);
    expect(host.events).toEqual([
      {
        eventId: DomainEventID.VIR_DOMAIN_EVENT_ID_BLOCK_JOB,
        path: c.img.active,
        type: T.VIR_DOMAIN_BLOCK_JOB_TYPE_COMMIT,
        status: S.VIR_DOMAIN_BLOCK_JOB_COMPLETED,
      },
      {
        eventId: DomainEventID.VIR_DOMAIN_EVENT_ID_BLOCK_JOB_2,
        dst: 'vda',
        type: T.VIR_DOMAIN_BLOCK_JOB_TYPE_COMMIT,
        status: S.VIR_DOMAIN_BLOCK_JOB_COMPLETED,
      },
    ]);
    expect(defChain(def)).toEqual([c.img.active, c.img.snap1, c.img.base]);
    expect(imageChain(c.img.active).map((i) => i.filename)).toEqual([c.img.active, c.img.snap1, c.img.base]);
    expect(hasPattern(c.img.snap1, 2, 0x33)).toBe(true);
    expect(fs.existsSync(c.img.snap2)).toBe(true);
    expectDiskView();
  });

  it('an overlay another process holds open is left to qemu-img, whose refusal fails the job; the chain stays whole', async () => {
    const c = setup();
    const recorded = defChain(def);
    const onDisk = imageChain(c.img.active).map((i) => i.filename);
    // snap2's overlay, the image the job must point at the base.
    const holder = spawn('qemu-io', ['-f', 'qcow2', '-r', c.img.active], { stdio: ['pipe', 'pipe', 'ignore'] });
    try {
      await new Promise<void>((resolve) => holder.stdout!.once('data', () => resolve()));
      await host.jobs.commit('vda', c.img.snap1, c.img.snap2, 0, 0);
      expect(await host.jobs.settled('vda')).toBe(S.VIR_DOMAIN_BLOCK_JOB_FAILED);
    } finally {
      holder.kill('SIGKILL');
    }
    expect(defChain(def)).toEqual(recorded);
    expect(imageChain(c.img.active).map((i) => i.filename)).toEqual(onDisk);
    expectDiskView();
  });

  it('DELETE removes the dropped layers; RELATIVE keeps the backing name relative', async () => {
    const c = setup({ relative: true });
    await host.jobs.commit('vda', null, c.img.snap2, 0, C.VIR_DOMAIN_BLOCK_COMMIT_DELETE | C.VIR_DOMAIN_BLOCK_COMMIT_RELATIVE);
    expect(await host.jobs.settled('vda')).toBe(S.VIR_DOMAIN_BLOCK_JOB_COMPLETED);
    expect(defChain(def)).toEqual([c.img.active, c.img.base]);
    expect([fs.existsSync(c.img.snap1), fs.existsSync(c.img.snap2)]).toEqual([false, false]);
    expect(imageChain(c.img.active)[0].backing).toBe('base.qcow2');
    expectDiskView();
  });

  it('active commit: READY after the copy, PIVOT switches the definition to the base', async () => {
    const c = setup();
    await host.jobs.commit('vda', c.img.snap1, null, 0, C.VIR_DOMAIN_BLOCK_COMMIT_ACTIVE | C.VIR_DOMAIN_BLOCK_COMMIT_DELETE);
    await waitFor(() => events2(host.events).length === 1);
    expect(events2(host.events)).toEqual([[T.VIR_DOMAIN_BLOCK_JOB_TYPE_ACTIVE_COMMIT, S.VIR_DOMAIN_BLOCK_JOB_READY]]);
    const info = await host.jobs.info('vda', 0);
    expect(info).toEqual({ type: T.VIR_DOMAIN_BLOCK_JOB_TYPE_ACTIVE_COMMIT, bandwidth: 0, cur: 32 << 20, end: 32 << 20 });
    await host.jobs.abort('vda', A.VIR_DOMAIN_BLOCK_JOB_ABORT_PIVOT);
    expect(events2(host.events).at(-1)).toEqual([T.VIR_DOMAIN_BLOCK_JOB_TYPE_ACTIVE_COMMIT, S.VIR_DOMAIN_BLOCK_JOB_COMPLETED]);
    expect(defChain(def)).toEqual([c.img.snap1, c.img.base]);
    expect([fs.existsSync(c.img.active), fs.existsSync(c.img.snap2)]).toEqual([false, false]);
    expectDiskView();
  });

  it('active commit aborted after READY keeps the active layer', async () => {
    const c = setup();
    await host.jobs.commit('vda', null, null, 0, C.VIR_DOMAIN_BLOCK_COMMIT_ACTIVE);
    await waitFor(() => events2(host.events).length === 1);
    await host.jobs.abort('vda', 0);
    expect(events2(host.events).at(-1)).toEqual([T.VIR_DOMAIN_BLOCK_JOB_TYPE_ACTIVE_COMMIT, S.VIR_DOMAIN_BLOCK_JOB_CANCELED]);
    expect(defChain(def)).toEqual([c.img.active]);
    expect(host.saved).toEqual([]);
    expect(imageChain(c.img.active)).toHaveLength(4);
    expectDiskView();
    expect(hasPattern(c.img.base, 3, 0x44)).toBe(true);
  });

  it('shows progress of a rate-limited commit and cancels it; speed cannot change offline', async () => {
    const c = setup({ extraMiB: 12 });
    await host.jobs.commit('vda', c.img.base, c.img.snap2, 4, 0);
    await new Promise((r) => setTimeout(r, 700));
    const info = await host.jobs.info('vda', 0);
    expect(info).toEqual(expect.objectContaining({ type: T.VIR_DOMAIN_BLOCK_JOB_TYPE_COMMIT, bandwidth: 4, end: 32 << 20 }));
    expect(info!.cur).toBeLessThan(info!.end);
    expect(host.events).toEqual([]);
    const e = await rejection(host.jobs.setSpeed('vda', 8, 0));
    expect(e.code).toBe(ErrorNumber.VIR_ERR_ARGUMENT_UNSUPPORTED);
    await host.jobs.abort('vda', 0);
    expect(events2(host.events)).toEqual([[T.VIR_DOMAIN_BLOCK_JOB_TYPE_COMMIT, S.VIR_DOMAIN_BLOCK_JOB_CANCELED]]);
    expect(await host.jobs.info('vda', 0)).toBeNull();
    expect(defChain(def)).toEqual([c.img.active]);
    expect(imageChain(c.img.active)).toHaveLength(4);
    expectDiskView();
  });
});

describe('offline pull (qemu-img rebase)', () => {
  it('pull flattens the chain into the active layer', async () => {
    const c = setup();
    await host.jobs.pull('vda', 0, 0);
    expect(await host.jobs.settled('vda')).toBe(S.VIR_DOMAIN_BLOCK_JOB_COMPLETED);
    expect(events2(host.events)).toEqual([[T.VIR_DOMAIN_BLOCK_JOB_TYPE_PULL, S.VIR_DOMAIN_BLOCK_JOB_COMPLETED]]);
    expect(defChain(def)).toEqual([c.img.active]);
    expect(imageChain(c.img.active)).toHaveLength(1);
    expectDiskView();
  });

  it('rebase onto snap1 pulls snap2 only, RELATIVE keeps the name relative', async () => {
    const c = setup({ relative: true });
    await host.jobs.rebase('vda', c.img.snap1, 0, R.VIR_DOMAIN_BLOCK_REBASE_RELATIVE);
    expect(await host.jobs.settled('vda')).toBe(S.VIR_DOMAIN_BLOCK_JOB_COMPLETED);
    expect(defChain(def)).toEqual([c.img.active, c.img.snap1, c.img.base]);
    const ch = imageChain(c.img.active);
    expect([ch.length, ch[0].backing]).toEqual([3, 'snap1.qcow2']);
    expect(hasPattern(c.img.snap1, 2, 0x33)).toBe(false);
    expectDiskView();
  });

  it('refuses what only a running domain can do', async () => {
    const c = setup();
    let e = await rejection(host.jobs.rebase('vda', path.join(c.dir, 'copy.qcow2'), 0, R.VIR_DOMAIN_BLOCK_REBASE_COPY));
    expect([e.code, e.message]).toEqual([ErrorNumber.VIR_ERR_OPERATION_INVALID, 'Requested operation is not valid: domain is not running']);
    // Disks are named by target or by source path.
    expect(await host.jobs.info(c.img.active, 0)).toBeNull();
    e = await rejection(host.jobs.info(c.img.snap1, 0));
    expect(e.message).toBe(`invalid argument: disk '${c.img.snap1}' not found in domain`);
    e = await rejection(host.jobs.pull('vda', 1, 0));
    expect(e.code).toBe(ErrorNumber.VIR_ERR_ARGUMENT_UNSUPPORTED);
    e = await rejection(host.jobs.rebase('vda', null, 0, R.VIR_DOMAIN_BLOCK_REBASE_SHALLOW));
    expect(e.message).toBe('invalid argument: unsupported flags (0x1) in function qemuDomainBlockPullCommon');
    expect(host.events).toEqual([]);
  });
});

async function waitFor(cond: () => boolean, timeoutMs = 20_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 20));
  }
}
