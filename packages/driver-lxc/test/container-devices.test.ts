/**
 * Real containers with the resource and device settings of a definition: cgroup limits from
 * `<cputune>`, `<vcpu cpuset>` and `<blkiotune>`, the capabilities policy, root and data file
 * systems from a raw image and a block device, `<hostdev mode='capabilities'>` device nodes, and
 * (inside a test-made network namespace) a macvlan `direct` interface and a lent host interface.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ConnectGetAllDomainStatsFlags as F, DomainStatsTypes as S, open, registerDriver, type Connect } from '@virtkit/core';
import { describeIf, makeBusyboxRootfs, makeNetNs } from '@virtkit/testkit';
import { escapeXml } from '@virtkit/xml';
import { driver } from '../src';

const REPO = path.resolve(__dirname, '../../..');
const CG = '/sys/fs/cgroup';
jest.setTimeout(120_000);

const ROOTFS_APPLETS = ['sh', 'cat', 'echo', 'grep', 'sleep', 'ls', 'ip', 'touch', 'mount', 'id', 'hostname'];
const ROOTFS_DIRS = ['out', 'data'];
let root: string;
let out: string;
const conns: Connect[] = [];
const loops: string[] = [];

/** A raw ext2 image holding the files of `dir`. */
function ext2Image(file: string, dir: string): void {
  execFileSync('mke2fs', ['-q', '-F', '-t', 'ext2', '-d', dir, file, '8M'], { stdio: 'ignore' });
}

async function until(cond: () => boolean, ms = 60_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}

const readOut = (f: string) => (fs.existsSync(path.join(out, f)) ? fs.readFileSync(path.join(out, f), 'utf8').trim() : undefined);
const capBits = (status: string) => BigInt(`0x${/^CapBnd:\s*([0-9a-f]+)$/m.exec(status)?.[1] ?? '0'}`);
const has = (bits: bigint, cap: number) => ((bits >> BigInt(cap)) & 1n) === 1n;
const CAP = { mknod: 27, sys_module: 16, sys_time: 25, net_raw: 13, kill: 5 };

function xml(name: string, script: string, extra: { devices?: string; top?: string; root?: string }): string {
  return `<domain type='lxc'><name>${name}</name><memory unit='MiB'>64</memory>${extra.top ?? ''}
  <os><type>exe</type><init>/bin/sh</init><initarg>-c</initarg><initarg>${escapeXml(script)}</initarg></os>
  <devices>${extra.root}
    <filesystem type='mount'><source dir='${out}'/><target dir='/out'/></filesystem>
    ${extra.devices ?? ''}<console type='pty'/></devices></domain>`;
}

async function connect(): Promise<Connect> {
  const c = await open('lxc:///');
  conns.push(c);
  return c;
}

beforeAll(() => registerDriver(driver));

beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'vk-lxcdev-'));
  out = path.join(root, 'out');
  fs.mkdirSync(out);
  process.env.VIRTKIT_LXC_ROOT = path.join(root, 'tree');
});

afterEach(async () => {
  for (const c of conns.splice(0)) {
    for (const d of await c.listAllDomains(0)) if (await d.isActive()) await d.destroy();
    await c.close();
  }
  for (const l of loops.splice(0)) execFileSync('losetup', ['-d', l]);
  fs.rmSync(root, { recursive: true, force: true });
});

describeIf('root', 'mount namespaces')('lxc:/// resources and devices', () => {
  it('applies cputune, vcpu cpuset and blkiotune as cgroup limits and drops capabilities by policy', async () => {
    const rootfs = path.join(root, 'rootfs');
    makeBusyboxRootfs(rootfs, ROOTFS_APPLETS, ROOTFS_DIRS);
    fs.writeFileSync(path.join(root, 'disk.img'), Buffer.alloc(1 << 20));
    const loop = execFileSync('losetup', ['-f', '--show', path.join(root, 'disk.img')])
      .toString()
      .trim();
    loops.push(loop);
    const rdev = fs.statSync(loop).rdev;
    const id = `${Math.floor(rdev / 256) & 0xfff}:${(rdev & 0xff) | (Math.floor(rdev / 4096) & 0xfff00)}`;
    const c = await connect();
    const top =
      "<vcpu placement='static' cpuset='0'>1</vcpu><cputune><shares>512</shares><period>100000</period><quota>50000</quota></cputune>" +
      `<blkiotune><device><path>${loop}</path><read_bytes_sec>1048576</read_bytes_sec><write_iops_sec>100</write_iops_sec></device></blkiotune>` +
      "<features><capabilities policy='default'><mknod state='on'/><net_raw state='off'/></capabilities></features>";
    const script = 'cat /proc/1/status > /out/status; echo > /out/done; exec sleep 1000';
    const d = await c.createXML(
      xml('tune', script, { top, root: `<filesystem type='mount'><source dir='${rootfs}'/><target dir='/'/></filesystem>` }),
      0,
    );
    await until(() => readOut('done') !== undefined);
    const cg = (ctl: string, f: string) => fs.readFileSync(path.join(CG, ctl, 'virtkit-lxc-tune', f), 'utf8').trim();
    if (!fs.existsSync(path.join(CG, 'cgroup.controllers'))) {
      expect(cg('cpu', 'cpu.shares')).toBe('512');
      expect(cg('cpu', 'cpu.cfs_period_us')).toBe('100000');
      expect(cg('cpu', 'cpu.cfs_quota_us')).toBe('50000');
      expect(cg('cpuset', 'cpuset.cpus')).toBe('0');
      expect(cg('blkio', 'blkio.throttle.read_bps_device')).toBe(`${id} 1048576`);
      expect(cg('blkio', 'blkio.throttle.write_iops_device')).toBe(`${id} 100`);
    }
    const status = readOut('status')!;
    expect(status).toMatch(/^Cpus_allowed_list:\s*0$/m);
    const bnd = capBits(status);
    expect([has(bnd, CAP.mknod), has(bnd, CAP.sys_module), has(bnd, CAP.sys_time), has(bnd, CAP.net_raw), has(bnd, CAP.kill)]).toEqual([
      true,
      false,
      false,
      false,
      true,
    ]);
    const [rec] = await c.domainListGetStats([d], 0, 0);
    const stat = rec!.params;
    expect([stat['state.state'], stat['state.reason'], Number(stat['balloon.maximum']), stat['net.count']]).toEqual([1, 1, 65536, 0]);
    expect(Number(stat['cpu.time'])).toBeGreaterThan(0);
    expect(Number(stat['balloon.current'])).toBeGreaterThan(0);
    await expect(
      c.domainListGetStats([d], S.VIR_DOMAIN_STATS_BLOCK, F.VIR_CONNECT_GET_ALL_DOMAINS_STATS_ENFORCE_STATS),
    ).rejects.toMatchObject({
      code: 74,
    });
    // the tuning calls read the group and write it live
    expect(await d.getSchedulerType()).toEqual({ type: 'posix', nparams: 3 });
    expect(await d.getSchedulerParametersFlags(0)).toEqual({ cpu_shares: 512, vcpu_period: 100000, vcpu_quota: 50000 });
    await d.setSchedulerParametersFlags({ cpu_shares: 300, vcpu_quota: 20000 }, 0);
    await d.setMemoryParameters({ hard_limit: 32768 }, 0);
    expect(await d.getMemoryParameters(0)).toMatchObject({ hard_limit: 32768 });
    expect((await d.getBlkioParameters(0).catch((e: Error) => e.message)) as unknown).toEqual(
      fs.existsSync(path.join(CG, 'blkio', 'blkio.weight')) || fs.existsSync(path.join(CG, 'blkio', 'blkio.bfq.weight'))
        ? expect.objectContaining({ device_read_bytes_sec: `${loop},1048576` })
        : 'Requested operation is not valid: blkio device weight is valid only for bfq or cfq scheduler',
    );
    if (!fs.existsSync(path.join(CG, 'cgroup.controllers'))) {
      expect([cg('cpu', 'cpu.shares'), cg('cpu', 'cpu.cfs_quota_us'), cg('memory', 'memory.limit_in_bytes')]).toEqual([
        '300',
        '20000',
        String(32 << 20),
      ]);
    }
    expect(await d.getXMLDesc(0)).toMatch(/<cputune>\s*<shares>300<\/shares>\s*<period>100000<\/period>\s*<quota>20000<\/quota>/);
    await d.destroy();
    expect(fs.existsSync(path.join(CG, 'cpuset', 'virtkit-lxc-tune'))).toBe(false);
  });

  it('mounts a root file system from a raw image and data from a block device, and binds hostdev device nodes', async () => {
    const tree = path.join(root, 'tree-of-image');
    makeBusyboxRootfs(tree, ROOTFS_APPLETS, ROOTFS_DIRS);
    const rootImg = path.join(root, 'root.img');
    fs.writeFileSync(path.join(tree, 'marker'), 'in the image\n');
    ext2Image(rootImg, tree);
    // The container can only find its files in the image.
    fs.rmSync(tree, { recursive: true });
    const data = path.join(root, 'data');
    fs.mkdirSync(data);
    fs.writeFileSync(path.join(data, 'hello'), 'from the block device\n');
    const dataImg = path.join(root, 'data.img');
    ext2Image(dataImg, data);
    const loop = execFileSync('losetup', ['-f', '--show', dataImg]).toString().trim();
    loops.push(loop);
    const c = await connect();
    const devices =
      `<filesystem type='block'><source dev='${loop}'/><target dir='/data'/><readonly/></filesystem>` +
      `<hostdev mode='capabilities' type='storage'><source><block>${loop}</block></source></hostdev>` +
      "<hostdev mode='capabilities' type='misc'><source><char>/dev/net/tun</char></source></hostdev>";
    const script = [
      'cat /data/hello > /out/hello',
      '(touch /data/x 2>/dev/null && echo rw || echo ro) > /out/data-ro',
      `[ -b ${loop} ] && echo block > /out/block`,
      '[ -c /dev/net/tun ] && echo char > /out/char',
      'cat /marker > /out/rootmount',
      'echo > /out/done',
      'exec sleep 1000',
    ].join('; ');
    const rootFs = `<filesystem type='file'><driver type='loop' format='raw'/><source file='${rootImg}'/><target dir='/'/></filesystem>`;
    const d = await c.createXML(xml('img', script, { devices, root: rootFs }), 0);
    await until(() => readOut('done') !== undefined);
    expect(readOut('hello')).toBe('from the block device');
    expect(readOut('data-ro')).toBe('ro');
    expect(readOut('block')).toBe('block');
    expect(readOut('char')).toBe('char');
    expect(readOut('rootmount')).toBe('in the image');
    await d.destroy();
    // The root image's loop device went with the container's mount namespace.
    await until(() => execFileSync('losetup', ['-j', rootImg]).toString().trim() === '', 10_000);
    expect(fs.existsSync(path.join(root, 'tree', 'run', 'img.root'))).toBe(false);
  });

  it('runs a container with <idmap> in a user namespace whose root is a host id', async () => {
    const rootfs = path.join(root, 'rootfs');
    makeBusyboxRootfs(rootfs, ROOTFS_APPLETS, ROOTFS_DIRS);
    // The container's root is host uid 100000: it may reach its root only through open folders
    // and write only where anyone may.
    fs.chmodSync(root, 0o755);
    fs.chmodSync(out, 0o777);
    const c = await connect();
    const top = "<idmap><uid start='0' target='100000' count='65536'/><gid start='0' target='100000' count='65536'/></idmap>";
    const script =
      'cat /proc/self/uid_map > /out/map; id -u > /out/uid; hostname > /out/host; echo $$ > /out/pid; echo > /out/done; exec sleep 1000';
    const d = await c.createXML(
      xml('idm', script, { top, root: `<filesystem type='mount'><source dir='${rootfs}'/><target dir='/'/></filesystem>` }),
      0,
    );
    await until(() => readOut('done') !== undefined);
    expect(readOut('map')!.split(/\s+/)).toEqual(['0', '100000', '65536']);
    expect([readOut('uid'), readOut('host'), readOut('pid')]).toEqual(['0', 'idm', '1']);
    expect(fs.statSync(path.join(out, 'uid')).uid).toBe(100000);
    expect(fs.readFileSync(`/proc/${d.getID()}/status`, 'utf8')).toMatch(/^Uid:\s+100000\s/m);
    // virDomainLxcOpenNamespace: the init's namespaces, user first as it has its own.
    const fds = await d.lxcOpenNamespace(0);
    const ns = (pid: string) => ['user', 'ipc', 'mnt', 'net', 'pid', 'uts'].map((k) => fs.readlinkSync(`/proc/${pid}/ns/${k}`));
    expect(fds.map((fd) => fs.readlinkSync(`/proc/self/fd/${fd}`))).toEqual(ns(String(d.getID())));
    fds.forEach((fd) => fs.closeSync(fd));
    // virsh's lxc-enter-namespace through vsh: a command inside, as the container's root.
    const inside = execFileSync(
      path.join(REPO, 'bin', 'vsh'),
      ['-c', 'lxc:///', 'lxc-enter-namespace', 'idm', '--', '/bin/sh', '-c', 'id -u; hostname; echo $$'],
      {
        env: process.env,
      },
    ).toString();
    expect(inside.trim().split('\n').slice(0, 2)).toEqual(['0', 'idm']);
    expect(Number(inside.trim().split('\n')[2])).toBeGreaterThan(1);
    await d.destroy();
    expect(fs.existsSync(path.join(CG, 'memory', 'virtkit-lxc-idm'))).toBe(false);
    const noRoot = "<idmap><uid start='1' target='100000' count='10'/><gid start='0' target='100000' count='10'/></idmap>";
    await expect(c.createXML(xml('idm2', 'true', { top: noRoot, root: '' }), 0)).rejects.toThrow('You must map the root user of container');
  });

  it('refuses qcow2 images and subsystem hostdevs with libvirt error codes', async () => {
    const c = await connect();
    const qcow = `<filesystem type='file'><driver type='nbd' format='qcow2'/><source file='${root}/x.qcow2'/><target dir='/'/></filesystem>`;
    await expect(c.createXML(xml('bad1', 'true', { root: qcow }), 0)).rejects.toMatchObject({ code: 67 });
    const rootfs = `<filesystem type='mount'><source dir='${root}'/><target dir='/'/></filesystem>`;
    const usb = "<hostdev mode='subsystem' type='usb'><source><vendor id='0x1234'/><product id='0xbeef'/></source></hostdev>";
    await expect(c.createXML(xml('bad2', 'true', { root: rootfs, devices: usb }), 0)).rejects.toMatchObject({ code: 67 });
    expect(await c.listAllDomains(0)).toEqual([]);
  });
});

describeIf(
  'root',
  'mount namespaces',
  'net admin',
)('lxc:/// direct interfaces and lent host interfaces', () => {
  it('gives the container a macvlan on a host device and a host interface it returns on destroy', async () => {
    const rootfs = path.join(root, 'rootfs');
    makeBusyboxRootfs(rootfs, ROOTFS_APPLETS, ROOTFS_DIRS);
    const ns = makeNetNs('lxcdir');
    // The API process runs in the test's namespace, so the container's host side is made there.
    const vsh = (cmds: string) =>
      execFileSync('nsenter', [`--net=/run/netns/${ns.name}`, path.join(REPO, 'bin', 'vsh'), '-c', 'lxc:///', cmds], {
        env: process.env,
        stdio: ['ignore', 'pipe', 'pipe'],
      }).toString();
    try {
      ns.run('ip', 'link', 'add', 'up0', 'type', 'veth', 'peer', 'name', 'up1');
      ns.run('ip', 'link', 'set', 'up0', 'up');
      ns.run('ip', 'link', 'add', 'lent0', 'type', 'veth', 'peer', 'name', 'lent1');
      const devices =
        "<interface type='direct'><mac address='52:54:00:12:34:56'/><source dev='up0' mode='bridge'/><guest dev='mv0'/></interface>" +
        "<hostdev mode='capabilities' type='net'><source><interface>lent0</interface></source></hostdev>";
      const script = 'ip link > /out/links; echo > /out/done; exec sleep 1000';
      fs.writeFileSync(
        path.join(root, 'net.xml'),
        xml('net', script, { devices, root: `<filesystem type='mount'><source dir='${rootfs}'/><target dir='/'/></filesystem>` }),
      );
      vsh(`define ${path.join(root, 'net.xml')}; start net`);
      await until(() => readOut('done') !== undefined);
      const links = readOut('links')!;
      expect(links).toMatch(/mv0@if\d+:[^\n]*\n\s+link\/ether 52:54:00:12:34:56/);
      expect(execFileSync('ip', ['-n', 'vk-lxc-net', '-d', 'link', 'show', 'mv0']).toString()).toContain('macvlan mode bridge');
      expect(links).toContain('lent0');
      expect(ns.links().has('lent0')).toBe(false);
      vsh('destroy net');
      expect(ns.links().has('lent0')).toBe(true);
      expect([...ns.links().keys()].sort()).toEqual(['lent0', 'lent1', 'lo', 'up0', 'up1']);
    } finally {
      try {
        vsh('destroy net');
      } catch {
        // not running
      }
      ns.remove();
    }
  });
});
