/**
 * cgroup tuning of QEMU domains on this host's real cgroups: each running QEMU in its own
 * `machine/<machine name>.libvirt-qemu` group (with emulator and vCPU groups on cgroup v1), the
 * definition's tuning applied at start, the memory/blkio/scheduler parameter calls reading and
 * writing the group's files, the group found again by a new driver, and gone after destroy.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Cgroup, cgroupLayout } from '@virtkit/cgroups';
import { DomainModificationImpact as I, DomainXMLFlags as X, ErrorNumber, type Connect, type VirError } from '@virtkit/core';
import { machineName } from '../src/cgroup/placement';
import { cleanupRoot, driverOf, newRoot, openEmbed, rejection, until } from './driver-helpers';

const v2 = cgroupLayout().v2;
const LIVE = I.VIR_DOMAIN_AFFECT_LIVE;
const CONFIG = I.VIR_DOMAIN_AFFECT_CONFIG;

const xml = (name: string) =>
  `<domain type='qemu'><name>${name}</name><memory unit='MiB'>64</memory><vcpu>2</vcpu>` +
  `<memtune><hard_limit unit='MiB'>512</hard_limit><soft_limit unit='KiB'>300000</soft_limit></memtune>` +
  `<cputune><shares>2048</shares><period>100000</period><quota>50000</quota><global_period>200000</global_period></cputune>` +
  `<os><type arch='x86_64'>hvm</type></os><devices/></domain>`;

describe('cgroups of QEMU domains', () => {
  let root: string;
  let conn: Connect;
  beforeAll(async () => {
    root = newRoot();
    conn = await openEmbed(root);
  });
  afterAll(async () => {
    await cleanupRoot(root, conn);
  });

  /** The domain's group as the host shows it, independent of the driver's bookkeeping. */
  const groupOf = (id: number, name: string) =>
    new Cgroup(`machine/${machineName(driverOf(conn).paths, id, name)}.libvirt-qemu`, ['memory', 'cpu', 'cpuacct', 'blkio']);
  const cpuDir = (g: Cgroup, child = '') => path.join(g.dir('cpu'), child);
  const read = (dir: string, file: string) => fs.readFileSync(path.join(dir, file), 'utf8').trim();

  it('places the QEMU in its group with the tuning of its definition, and removes the group on destroy', async () => {
    const dom = await conn.createXML(xml('cgplace'), 0);
    const g = groupOf(dom.getID(), 'cgplace');
    const pid = driverOf(conn).domains.get({ name: 'cgplace', uuid: dom.getUUIDString(), id: dom.getID() }).runtime.pid!;
    expect(fs.readFileSync(`/proc/${pid}/cgroup`, 'utf8')).toContain(`/${g.rel}`);
    expect(read(g.dir('memory'), v2 ? 'memory.max' : 'memory.limit_in_bytes')).toBe(String(512 * 1024 * 1024));
    expect(read(g.dir('memory'), v2 ? 'memory.high' : 'memory.soft_limit_in_bytes')).toBe(String(300000 * 1024));
    if (!v2) {
      expect(read(cpuDir(g), 'cpu.shares')).toBe('2048');
      expect(read(cpuDir(g), 'cpu.cfs_period_us')).toBe('200000');
      for (const vcpu of ['vcpu0', 'vcpu1']) {
        expect(read(cpuDir(g, vcpu), 'cpu.cfs_quota_us')).toBe('50000');
        expect(read(cpuDir(g, vcpu), 'tasks').split('\n')).toHaveLength(1);
      }
      expect(read(cpuDir(g, 'emulator'), 'cgroup.procs')).toBe(String(pid));
    }
    await dom.destroy();
    // the kernel lets the group go a moment after the process is reaped
    await until(() => !fs.existsSync(g.dir('memory')) && !fs.existsSync(cpuDir(g)), 2000);
  });

  it('sets and reads back memory, scheduler and blkio parameters live, in the group files', async () => {
    const dom = await conn.defineXML(xml('cglive'));
    await dom.create();
    const g = groupOf(dom.getID(), 'cglive');

    await dom.setMemoryParameters({ hard_limit: 400000, swap_hard_limit: 9007199254740991 }, LIVE);
    expect(read(g.dir('memory'), v2 ? 'memory.max' : 'memory.limit_in_bytes')).toBe(String(400000 * 1024));
    expect(await dom.getMemoryParameters(0)).toEqual({ hard_limit: 400000, soft_limit: 300000, swap_hard_limit: 9007199254740991 });
    expect(await dom.getMemoryParameters(CONFIG)).toEqual({ hard_limit: 524288, soft_limit: 300000, swap_hard_limit: 9007199254740991 });

    await dom.setSchedulerParametersFlags({ cpu_shares: 512, vcpu_quota: 20000, emulator_period: 50000, global_quota: -1 }, LIVE);
    expect(read(cpuDir(g), v2 ? 'cpu.weight' : 'cpu.shares')).toBe('512');
    const sched = await dom.getSchedulerParametersFlags(LIVE);
    expect(sched.cpu_shares).toBe(512);
    if (!v2) {
      expect(read(cpuDir(g, 'vcpu1'), 'cpu.cfs_quota_us')).toBe('20000');
      expect(read(cpuDir(g, 'emulator'), 'cpu.cfs_period_us')).toBe('50000');
      expect(sched).toEqual({
        cpu_shares: 512,
        vcpu_period: 100000,
        vcpu_quota: 20000,
        emulator_period: 50000,
        emulator_quota: -1,
        global_period: 200000,
        global_quota: -1,
        iothread_period: 200000,
        iothread_quota: -1,
      });
    }
    expect(await dom.getSchedulerType()).toEqual({ type: 'posix', nparams: 9 });
    expect(await dom.getXMLDesc()).toMatch(/<cputune>\s*<shares>512<\/shares>\s*<period>100000<\/period>\s*<quota>20000<\/quota>/);

    // a device throttle, on a block device node of this host
    await dom.setBlkioParameters({ device_read_bytes_sec: '/dev/loop0,1048576' }, LIVE);
    const throttle = v2 ? read(g.dir('blkio'), 'io.max') : read(g.dir('blkio'), 'blkio.throttle.read_bps_device');
    expect(throttle).toMatch(v2 ? /^7:0 rbps=1048576/m : /^7:0 1048576$/m);
    expect(await dom.getXMLDesc()).toMatch(
      /<blkiotune>\s*<device>\s*<path>\/dev\/loop0<\/path>\s*<read_bytes_sec>1048576<\/read_bytes_sec>/,
    );
    await dom.setBlkioParameters({ device_read_bytes_sec: '/dev/loop0,0' }, LIVE);
    expect(v2 ? read(g.dir('blkio'), 'io.max') : read(g.dir('blkio'), 'blkio.throttle.read_bps_device')).not.toMatch(/^7:0 /m);

    // none of it reached the persistent definition
    expect(await dom.getXMLDesc(X.VIR_DOMAIN_XML_INACTIVE)).toContain('<shares>2048</shares>');
    await dom.destroy();
    await dom.undefine();
  });

  it('keeps CONFIG changes in the persistent XML, and refuses what libvirt refuses', async () => {
    const dom = await conn.defineXML(xml('cgconf'));
    await dom.setMemoryParameters({ soft_limit: 1024 }, CONFIG);
    await dom.setSchedulerParametersFlags({ iothread_quota: 3000 }, 0);
    await dom.setBlkioParameters({ weight: 300, device_write_iops_sec: '/dev/loop1,40' }, CONFIG);
    const inactive = await dom.getXMLDesc(X.VIR_DOMAIN_XML_INACTIVE);
    expect(inactive).toMatch(/<soft_limit unit='KiB'>1024<\/soft_limit>/);
    expect(inactive).toMatch(/<global_period>200000<\/global_period>\s*<iothread_quota>3000<\/iothread_quota>/);
    expect(inactive).toMatch(
      /<blkiotune>\s*<weight>300<\/weight>\s*<device>\s*<path>\/dev\/loop1<\/path>\s*<write_iops_sec>40<\/write_iops_sec>/,
    );
    expect(await dom.getBlkioParameters(0)).toEqual({
      weight: 300,
      device_weight: '',
      device_read_iops_sec: '',
      device_write_iops_sec: '/dev/loop1,40',
      device_read_bytes_sec: '',
      device_write_bytes_sec: '',
    });
    expect(await dom.getSchedulerType()).toEqual({ type: 'posix', nparams: 9 });

    const cases: Array<[Promise<unknown>, number, string]> = [
      [
        dom.setMemoryParameters({ hard_limit: 1 }, LIVE),
        ErrorNumber.VIR_ERR_OPERATION_INVALID,
        'Requested operation is not valid: domain is not running',
      ],
      [
        dom.setMemoryParameters({ bogus: 1 }, CONFIG),
        ErrorNumber.VIR_ERR_ARGUMENT_UNSUPPORTED,
        "argument unsupported: parameter 'bogus' not supported",
      ],
      [
        dom.setSchedulerParametersFlags({ vcpu_period: 10 }, CONFIG),
        ErrorNumber.VIR_ERR_INVALID_ARG,
        "invalid argument: value of 'vcpu_period' is out of range [1000, 1000000]",
      ],
      [
        dom.setMemoryParameters({ hard_limit: 2048, swap_hard_limit: 1024 }, CONFIG),
        ErrorNumber.VIR_ERR_INVALID_ARG,
        'invalid argument: memory hard_limit tunable value must be lower than or equal to swap_hard_limit',
      ],
      [
        dom.setBlkioParameters({ device_weight: '/dev/loop0' }, CONFIG),
        ErrorNumber.VIR_ERR_INVALID_ARG,
        "invalid argument: unable to parse blkio device 'device_weight' '/dev/loop0'",
      ],
    ];
    for (const [p, code, message] of cases) {
      const e = (await rejection(p)) as VirError;
      expect([e.code, e.message]).toEqual([code, message]);
    }
    await dom.undefine();
  });

  it('a new driver finds the group of a domain it did not start', async () => {
    const dom = await conn.createXML(xml('cgfound'), 0);
    const g = groupOf(dom.getID(), 'cgfound');
    await conn.close();
    conn = await openEmbed(root);
    const again = await conn.lookupByName('cgfound');
    await again.setMemoryParameters({ hard_limit: 600000 }, LIVE);
    expect(read(g.dir('memory'), v2 ? 'memory.max' : 'memory.limit_in_bytes')).toBe(String(600000 * 1024));
    expect((await again.getSchedulerParametersFlags(0)).cpu_shares).toBe(2048);
    await again.destroy();
    await until(() => !fs.existsSync(g.dir('memory')), 2000);
  });

  it('a new driver removes the group of a QEMU that died while no driver followed it', async () => {
    const dom = await conn.createXML(xml('cglost'), 0);
    const g = groupOf(dom.getID(), 'cglost');
    const pid = driverOf(conn).domains.get({ name: 'cglost', uuid: dom.getUUIDString(), id: dom.getID() }).runtime.pid!;
    await conn.close();
    process.kill(pid, 'SIGKILL');
    await until(() => !fs.existsSync(`/proc/${pid}`));
    conn = await openEmbed(root);
    await until(() => !fs.existsSync(g.dir('memory')) && !fs.existsSync(cpuDir(g)), 2000);
  });
});
