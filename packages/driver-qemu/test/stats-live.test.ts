/**
 * Domain statistics with real QEMU (TCG): the fields of each group as libvirt names and types
 * them, with values that come from the running process (QMP and /proc), not from the definition.
 */
import * as fs from 'node:fs';
import {
  ConnectGetAllDomainStatsFlags as F,
  DomainMemoryStatTags as T,
  DomainStatsTypes as S,
  ErrorNumber,
  TypedParameterType as P,
  typedParamType,
  type Connect,
  type TypedParams,
  type VirError,
} from '@virtkit/core';
import { cleanupRoot, driverOf, makeDisk, newRoot, openEmbed, rejection, until } from './driver-helpers';

const xml = (name: string, disk: string) =>
  `<domain type='qemu'><name>${name}</name><memory unit='MiB'>64</memory><vcpu>1</vcpu><os><type arch='x86_64'>hvm</type></os><devices>` +
  `<disk type='file' device='disk'><driver name='qemu' type='qcow2'/><source file='${disk}'/><target dev='hda' bus='ide'/></disk>` +
  `<memballoon model='virtio'/></devices></domain>`;

describe('domain statistics of a running QEMU', () => {
  let root: string;
  let conn: Connect;
  let disk: string;
  beforeAll(async () => {
    root = newRoot();
    conn = await openEmbed(root);
    disk = makeDisk(root, 'stats.qcow2', '16M');
  });
  afterAll(async () => {
    await cleanupRoot(root, conn);
  });

  const statsOf = async (name: string, groups = 0, flags = 0): Promise<TypedParams> => {
    const rec = (await conn.getAllDomainStats(groups, flags)).find((r) => r.dom.getName() === name);
    if (!rec) throw new Error(`no record for ${name}`);
    return rec.params;
  };

  it('reports every group libvirt has for a running domain, with its field names and types', async () => {
    const dom = await conn.createXML(xml('live', disk));
    // SeaBIOS reads the boot sector of the disk through the emulated IDE controller.
    await until(async () => Number((await statsOf('live', S.VIR_DOMAIN_STATS_BLOCK))['block.0.rd.reqs'] ?? 0) > 0, 20_000);
    const p = await statsOf('live');
    expect(Object.keys(p)).toEqual([
      'state.state',
      'state.reason',
      'cpu.time',
      'cpu.user',
      'cpu.system',
      'cpu.cache.monitor.count',
      'cpu.haltpoll.success.time',
      'cpu.haltpoll.fail.time',
      'balloon.current',
      'balloon.maximum',
      'balloon.last-update',
      'balloon.rss',
      'vcpu.current',
      'vcpu.maximum',
      'vcpu.0.state',
      'vcpu.0.time',
      'vcpu.0.wait',
      'vcpu.0.delay',
      'net.count',
      'block.count',
      'block.0.name',
      'block.0.path',
      'block.0.backingIndex',
      'block.0.rd.reqs',
      'block.0.rd.bytes',
      'block.0.rd.times',
      'block.0.wr.reqs',
      'block.0.wr.bytes',
      'block.0.wr.times',
      'block.0.fl.reqs',
      'block.0.fl.times',
      'block.0.allocation',
      'block.0.capacity',
      'block.0.physical',
      'dirtyrate.calc_status',
      'dirtyrate.calc_start_time',
      'dirtyrate.calc_period',
      'dirtyrate.calc_mode',
    ]);
    expect([p['dirtyrate.calc_status'], p['dirtyrate.calc_mode']]).toEqual([0, 'page-sampling']);
    const types = Object.fromEntries(Object.keys(p).map((k) => [k, typedParamType(p, k)]));
    expect(types['state.state']).toBe(P.VIR_TYPED_PARAM_INT);
    expect(types['vcpu.current']).toBe(P.VIR_TYPED_PARAM_UINT);
    expect(types['block.0.name']).toBe(P.VIR_TYPED_PARAM_STRING);
    expect(types['cpu.time']).toBe(P.VIR_TYPED_PARAM_ULLONG);
    expect(types['cpu.cache.monitor.count']).toBe(P.VIR_TYPED_PARAM_UINT);
    expect(types['cpu.haltpoll.fail.time']).toBe(P.VIR_TYPED_PARAM_ULLONG);
    expect(types['balloon.last-update']).toBe(P.VIR_TYPED_PARAM_ULLONG);
    expect(types['block.0.backingIndex']).toBe(P.VIR_TYPED_PARAM_UINT);
    expect(p['state.state']).toBe(1);
    expect(Number(p['cpu.time'])).toBeGreaterThan(0);
    expect(p['balloon.current']).toBe(65536);
    expect(p['balloon.maximum']).toBe(65536);
    // The QEMU process's resident memory, read from /proc.
    const pid = driverOf(conn)
      .domains.all()
      .find((d) => d.name === 'live')!.runtime.pid!;
    const rss = Number(/^VmRSS:\s+(\d+)/m.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))![1]);
    expect(Math.abs(Number(p['balloon.rss']) - rss)).toBeLessThan(rss / 4);
    expect([p['vcpu.current'], p['vcpu.maximum'], p['vcpu.0.state']]).toEqual([1, 1, 1]);
    expect(Number(p['vcpu.0.time'])).toBeGreaterThan(0);
    expect([p['block.count'], p['block.0.name'], p['block.0.path']]).toEqual([1, 'hda', disk]);
    expect(Number(p['block.0.rd.bytes'])).toBeGreaterThanOrEqual(512);
    expect(p['block.0.capacity']).toBe(16 * 1024 * 1024);
    expect(p['block.0.physical']).toBe(fs.statSync(disk).size);

    const bs = await dom.blockStats('hda');
    expect(Number(bs.rd_bytes)).toBeGreaterThanOrEqual(Number(p['block.0.rd.bytes']));
    expect(bs.errs).toBe(-1);
    expect(await dom.blockStats(disk)).toMatchObject({ rd_req: expect.any(Number) });
    const e = (await rejection(dom.blockStats('vdz'))) as VirError;
    expect([e.code, e.message]).toEqual([ErrorNumber.VIR_ERR_INVALID_ARG, 'invalid argument: invalid path: vdz']);

    const mem = await dom.memoryStats(16);
    // As libvirtd 9.0's dommemstat: the guest has not reported yet, yet its last-update (0) is given.
    expect(mem.map((m) => m.tag)).toEqual([
      T.VIR_DOMAIN_MEMORY_STAT_ACTUAL_BALLOON,
      T.VIR_DOMAIN_MEMORY_STAT_LAST_UPDATE,
      T.VIR_DOMAIN_MEMORY_STAT_RSS,
    ]);
    expect(mem[0].val).toBe(65536);
    expect(await dom.memoryStats(1)).toHaveLength(1);

    await dom.suspend();
    expect((await statsOf('live', S.VIR_DOMAIN_STATS_STATE))['state.state']).toBe(3);
    await dom.destroy();
  });

  it('describes an inactive domain from its definition and filters by state', async () => {
    const dom = await conn.defineXML(xml('idle', disk));
    const p = await statsOf('idle');
    const st = fs.statSync(disk);
    expect(p).toEqual({
      'state.state': 5,
      'state.reason': 0,
      // libvirt 9.0 reads pid 0's stat file, its own process's: the daemon's times (here, this process's).
      'cpu.time': expect.any(Number),
      'cpu.user': expect.any(Number),
      'cpu.system': expect.any(Number),
      'balloon.current': 65536,
      'balloon.maximum': 65536,
      'vcpu.current': 1,
      'vcpu.maximum': 1,
      'block.count': 1,
      'block.0.name': 'hda',
      'block.0.path': disk,
      'block.0.allocation': st.blocks * 512,
      'block.0.capacity': 16 * 1024 * 1024,
      'block.0.physical': st.size,
    });
    expect((await conn.getAllDomainStats(0, F.VIR_CONNECT_GET_ALL_DOMAINS_STATS_ACTIVE)).map((r) => r.dom.getName())).not.toContain('idle');
    expect((await conn.domainListGetStats([dom], S.VIR_DOMAIN_STATS_STATE, 0))[0].params).toEqual({ 'state.state': 5, 'state.reason': 0 });
    // Without a QEMU there are no IOThreads to ask for: enforced, that is libvirt's error.
    const e = (await rejection(
      conn.domainListGetStats([dom], S.VIR_DOMAIN_STATS_IOTHREAD, F.VIR_CONNECT_GET_ALL_DOMAINS_STATS_ENFORCE_STATS),
    )) as VirError;
    expect([e.code, e.message]).toEqual([
      ErrorNumber.VIR_ERR_ARGUMENT_UNSUPPORTED,
      'argument unsupported: Stats types bits 0x80 are not supported by this daemon or QEMU',
    ]);
    expect((await conn.domainListGetStats([dom], S.VIR_DOMAIN_STATS_IOTHREAD, 0))[0].params).toEqual({});
    expect((await rejection(dom.memoryStats(4))) as VirError).toMatchObject({ code: ErrorNumber.VIR_ERR_OPERATION_INVALID });
    await dom.undefine();
  });
});
