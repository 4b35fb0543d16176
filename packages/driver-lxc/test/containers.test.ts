/**
 * Real containers through the public API: a busybox-static root filesystem made here (no
 * downloads), run by the driver's controller in fresh namespaces with cgroup limits. Checks what
 * happens inside (PID 1, hostname, mounts, memory limit) and on the host (cgroups, mounts and
 * namespaces gone after destroy), the console, pause through the freezer, events, and that a
 * container started by an API process that is killed -9 is found running by a new one.
 */
import { execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  DomainEventID,
  DomainEventStoppedDetailType,
  DomainEventType,
  DomainState,
  VirStream,
  open,
  registerDriver,
  type Connect,
  type Domain,
} from '@virtkit/core';
import { describeIf, makeBusyboxRootfs, makeNetNs } from '@virtkit/testkit';
import { escapeXml } from '@virtkit/xml';
import { driver } from '../src';

const ROOTFS_APPLETS = ['sh', 'cat', 'echo', 'hostname', 'sleep', 'ls', 'head', 'tr', 'touch', 'mount', 'ps', 'ip', 'ping'];
const ROOTFS_DIRS = ['etc', 'out', 'mnt', 'ram'];
const REPO = path.resolve(__dirname, '../../..');
const CG = '/sys/fs/cgroup';

jest.setTimeout(120_000);

let root: string;
let rootfs: string;
let out: string;
let share: string;
const conns: Connect[] = [];

function domainXml(name: string, script: string, memKiB = 65536, nics = ''): string {
  return `<domain type='lxc'><name>${name}</name><memory unit='KiB'>${memKiB}</memory>
  <os><type>exe</type><init>/bin/sh</init><initarg>-c</initarg><initarg>${escapeXml(script)}</initarg><initenv name='GREETING'>hi there</initenv></os>
  <devices>
    <filesystem type='mount'><source dir='${rootfs}'/><target dir='/'/></filesystem>
    <filesystem type='mount'><source dir='${out}'/><target dir='/out'/></filesystem>
    <filesystem type='mount'><source dir='${share}'/><target dir='/mnt'/><readonly/></filesystem>
    <filesystem type='ram'><source usage='8192'/><target dir='/ram'/></filesystem>
    ${nics}<console type='pty'/>
  </devices></domain>`;
}

async function connect(): Promise<Connect> {
  const c = await open('lxc:///');
  conns.push(c);
  return c;
}

async function until(cond: () => boolean, ms = 60_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}

const readOut = (f: string) => (fs.existsSync(path.join(out, f)) ? fs.readFileSync(path.join(out, f), 'utf8').trim() : undefined);

/** What a stopped container may leave behind on the host: nothing. */
function leftovers(name: string): string[] {
  const found: string[] = [];
  for (const c of fs.readdirSync(CG)) if (fs.existsSync(path.join(CG, c, `virtkit-lxc-${name}`))) found.push(`cgroup ${c}`);
  if (fs.existsSync(path.join(CG, `virtkit-lxc-${name}`))) found.push('cgroup v2');
  for (const line of fs.readFileSync('/proc/mounts', 'utf8').split('\n')) if (line.includes(root)) found.push(`mount ${line}`);
  if (execFileSync('ip', ['netns', 'list']).toString().includes(`vk-lxc-${name}`)) found.push('netns');
  return found;
}

function gone(pid: number): boolean {
  try {
    return /^State:\s+Z/m.test(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  } catch {
    return true;
  }
}

beforeAll(() => registerDriver(driver));

beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'vk-lxc-'));
  rootfs = path.join(root, 'rootfs');
  out = path.join(root, 'out');
  share = path.join(root, 'share');
  for (const d of [out, share]) fs.mkdirSync(d, { recursive: true });
  fs.writeFileSync(path.join(share, 'f'), 'from the host\n');
  process.env.VIRTKIT_LXC_ROOT = path.join(root, 'tree');
});

afterEach(async () => {
  for (const c of conns.splice(0)) {
    for (const d of await c.listAllDomains(0)) if (await d.isActive()) await d.destroy();
    await c.close();
  }
  fs.rmSync(root, { recursive: true, force: true });
});

describe('lxc:/// definitions', () => {
  it('defines, lists, dumps, autostarts and undefines with libvirt wording', async () => {
    makeBusyboxRootfs(rootfs, ROOTFS_APPLETS, ROOTFS_DIRS);
    const c = await connect();
    expect(await c.getType()).toBe('LXC');
    expect(Number(await c.getLibVersion())).toBe(9000000);
    const caps = await c.getCapabilities();
    expect(caps).toMatch(/<os_type>exe<\/os_type>\s*<arch name='x86_64'>[\s\S]*?virtkit_lxc\.cjs<\/emulator>\s*<domain type='lxc'\/>/);
    const d = await c.defineXML(domainXml('def1', 'true'));
    expect(fs.existsSync(path.join(root, 'tree', 'etc', 'def1.xml'))).toBe(true);
    const xml = await d.getXMLDesc(0);
    expect(xml).toContain("<console type='pty'>\n      <target type='lxc' port='0'/>");
    expect(xml).toContain("<filesystem type='ram' accessmode='passthrough'>\n      <source usage='8192' units='KiB'/>");
    expect(await c.listDefinedDomains(10)).toEqual(['def1']);
    await d.setAutostart(true);
    expect(fs.readlinkSync(path.join(root, 'tree', 'etc', 'autostart', 'def1.xml'))).toBe(path.join(root, 'tree', 'etc', 'def1.xml'));
    await expect(
      c.defineXML(domainXml('def1', 'true').replace('<name>', '<uuid>c7a5fdbd-edaf-9455-926a-d65c16db1809</uuid><name>')),
    ).rejects.toThrow(/^operation failed: domain 'def1' already exists with uuid /);
    await expect(c.defineXML("<domain type='lxc'><name>x</name><memory>1</memory><os><type>hvm</type></os></domain>")).rejects.toThrow(
      'invalid argument: could not find capabilities for arch=x86_64 domaintype=lxc ',
    );
    await d.undefine();
    expect(await c.listAllDomains(0)).toEqual([]);
    await expect(c.lookupByName('def1')).rejects.toThrow("Domain not found: no domain with matching name 'def1'");
  });

  it('converts lxc-tools configurations and refuses other formats', async () => {
    const c = await connect();
    const xml = await c.domainXMLFromNative('lxc-tools', 'lxc.rootfs.path = /srv/ct\nlxc.uts.name = ct\n', 0);
    expect(xml).toContain("<source dir='/srv/ct'/>");
    await expect(c.domainXMLFromNative('xen-xl', 'x', 0)).rejects.toThrow('invalid argument: unsupported config type xen-xl');
  });
});

describeIf('root', 'mount namespaces')('lxc:/// running containers', () => {
  beforeEach(() => makeBusyboxRootfs(rootfs, ROOTFS_APPLETS, ROOTFS_DIRS));

  it('runs <init> as PID 1 with its hostname, mounts, environment and memory limit; destroy leaves nothing', async () => {
    const c = await connect();
    const events: Array<[number, number]> = [];
    await c.domainEventRegisterAny<Domain>(null, DomainEventID.VIR_DOMAIN_EVENT_ID_LIFECYCLE, (_c, _d, ev) => {
      events.push([ev.event as number, ev.detail as number]);
    });
    const script = [
      'echo $$ > /out/pid',
      'hostname > /out/host',
      'cat /mnt/f > /out/f',
      '(touch /mnt/new 2>/dev/null && echo writable || echo readonly) > /out/ro',
      'echo "$GREETING" > /out/env',
      'head -c 4000000 /dev/zero > /ram/x && echo ramok > /out/ram',
      // Over the 32 MiB limit: the cgroup's OOM killer ends the subshell, not the container. The
      // subshell offers itself first: cgroup v1 may take a second victim while the first one's
      // memory is still being freed, and that must not be the container's init.
      '( echo 1000 > /proc/self/oom_score_adj; x=$(head -c 100000000 /dev/zero | tr "\\000" a); echo survived ); echo "oom=$?" > /out/oom',
      'exec sleep 1000',
    ].join('; ');
    const d = await c.defineXML(domainXml('ct1', script, 32768));
    await d.create();
    await until(() => readOut('oom') !== undefined);
    expect(readOut('pid')).toBe('1');
    expect(readOut('host')).toBe('ct1');
    expect(readOut('f')).toBe('from the host');
    expect(readOut('ro')).toBe('readonly');
    expect(readOut('env')).toBe('hi there');
    expect(readOut('ram')).toBe('ramok');
    expect(readOut('oom')).toBe('oom=137');
    expect(fs.readFileSync(path.join(CG, 'memory', 'virtkit-lxc-ct1', 'memory.limit_in_bytes'), 'utf8').trim()).toBe(String(32768 * 1024));

    const initPid = d.getID();
    expect(fs.readFileSync(`/proc/${initPid}/comm`, 'utf8').trim()).toBe('sleep');
    const info = await d.getInfo();
    expect(info.state).toBe(DomainState.VIR_DOMAIN_RUNNING);
    expect(Number(info.cpuTime)).toBeGreaterThan(0);
    expect(Number(info.memory)).toBeGreaterThan(0);

    await d.suspend();
    expect(fs.readFileSync(`/proc/${initPid}/status`, 'utf8')).toMatch(/State:\s+[SD]/);
    expect(fs.readFileSync(path.join(CG, 'freezer', 'virtkit-lxc-ct1', 'freezer.state'), 'utf8').trim()).toBe('FROZEN');
    await d.resume();
    expect(fs.readFileSync(path.join(CG, 'freezer', 'virtkit-lxc-ct1', 'freezer.state'), 'utf8').trim()).toBe('THAWED');

    await d.destroy();
    expect((await d.getState()).state).toBe(DomainState.VIR_DOMAIN_SHUTOFF);
    // Killed: gone, or a zombie until the host's init reaps it.
    expect(gone(initPid)).toBe(true);
    expect(leftovers('ct1')).toEqual([]);
    expect(events).toEqual([
      [DomainEventType.VIR_DOMAIN_EVENT_DEFINED, 0],
      [DomainEventType.VIR_DOMAIN_EVENT_STARTED, 0],
      [DomainEventType.VIR_DOMAIN_EVENT_SUSPENDED, 0],
      [DomainEventType.VIR_DOMAIN_EVENT_RESUMED, 0],
      [DomainEventType.VIR_DOMAIN_EVENT_STOPPED, DomainEventStoppedDetailType.VIR_DOMAIN_EVENT_STOPPED_DESTROYED],
    ]);
  });

  it('carries console bytes both ways and reports a container that ends by itself', async () => {
    const c = await connect();
    const stops: number[] = [];
    await c.domainEventRegisterAny<Domain>(null, DomainEventID.VIR_DOMAIN_EVENT_ID_LIFECYCLE, (_c, _d, ev) => {
      if (ev.event === DomainEventType.VIR_DOMAIN_EVENT_STOPPED) stops.push(ev.detail as number);
    });
    const d = await c.createXML(domainXml('ct2', 'exec sh'), 0);
    expect(await d.getXMLDesc(0)).toMatch(/<console type='pty' tty='\/dev\/pts\/\d+'>/);
    const stream = new VirStream();
    let seen = '';
    stream.download.on('data', (b: Buffer) => (seen += b.toString()));
    await d.openConsole(null, stream, 0);
    stream.send(Buffer.from('echo answer=$((6*7))\n'));
    await until(() => seen.includes('answer=42'));
    stream.send(Buffer.from('exit\n'));
    await until(() => stops.length > 0);
    expect(stops).toEqual([DomainEventStoppedDetailType.VIR_DOMAIN_EVENT_STOPPED_SHUTDOWN]);
    expect(await c.listAllDomains(0)).toEqual([]);
    expect(leftovers('ct2')).toEqual([]);
  });

  it('keeps a container running when the API process that started it is killed -9', async () => {
    fs.mkdirSync(path.join(root, 'tree', 'etc'), { recursive: true });
    fs.writeFileSync(path.join(root, 'ct3.xml'), domainXml('ct3', 'exec sleep 1000'));
    const vsh = spawn(path.join(REPO, 'bin', 'vsh'), ['-c', 'lxc:///'], { env: process.env, stdio: ['pipe', 'pipe', 'inherit'] });
    let said = '';
    vsh.stdout.on('data', (b: Buffer) => (said += b.toString()));
    vsh.stdin.write(`define ${path.join(root, 'ct3.xml')}\nstart ct3\n`);
    await until(() => said.includes("Domain 'ct3' started"), 60_000);
    vsh.kill('SIGKILL');
    await new Promise((r) => vsh.once('exit', r));
    const c = await connect();
    const d = await c.lookupByName('ct3');
    expect((await d.getState()).state).toBe(DomainState.VIR_DOMAIN_RUNNING);
    await until(() => fs.readFileSync(`/proc/${d.getID()}/comm`, 'utf8').trim() === 'sleep');
    await d.destroy();
    expect(leftovers('ct3')).toEqual([]);
  });
});

describeIf(
  'root',
  'mount namespaces',
  'net admin',
)('lxc:/// veth networking', () => {
  beforeEach(() => makeBusyboxRootfs(rootfs, ROOTFS_APPLETS, ROOTFS_DIRS));

  it('joins the container to a bridge of a test-made namespace through a veth pair it removes on destroy', async () => {
    const ns = makeNetNs('lxcnet');
    try {
      ns.run('ip', 'link', 'add', 'br0', 'type', 'bridge');
      ns.run('ip', 'addr', 'add', '10.77.0.1/24', 'dev', 'br0');
      ns.run('ip', 'link', 'set', 'br0', 'up');
      // A second NIC joins the same bridge through a virtual network, found by its status file.
      const netState = path.join(root, 'network');
      fs.mkdirSync(netState);
      fs.writeFileSync(
        path.join(netState, 'lan.xml'),
        "<networkstatus><network><name>lan</name><forward mode='nat'/><bridge name='br0'/></network></networkstatus>\n",
      );
      process.env.VIRTKIT_LXC_NETWORK_STATE_DIR = netState;
      const nic =
        "<interface type='bridge'><mac address='52:54:00:aa:bb:cc'/><source bridge='br0'/><ip address='10.77.0.2' family='ipv4' prefix='24'/>" +
        "<route family='ipv4' address='0.0.0.0' gateway='10.77.0.1'/><guest dev='eth1'/></interface>" +
        "<interface type='network'><source network='lan'/><guest dev='eth2'/></interface>";
      const script =
        'ip link > /out/links; ip addr show eth1 > /out/addr; ip route > /out/route; ping -c 1 -W 5 10.77.0.1 > /out/ping 2>&1; echo "ping=$?" > /out/pinged; exec sleep 1000';
      fs.writeFileSync(path.join(root, 'ct4.xml'), domainXml('ct4', script, 65536, nic));
      // The API process runs in the test's namespace, so the container's host side is made there
      // (nsenter, not `ip netns exec`, which would hide the cgroup mounts under a fresh /sys).
      const vsh = (cmds: string) =>
        execFileSync('nsenter', [`--net=/run/netns/${ns.name}`, path.join(REPO, 'bin', 'vsh'), '-c', 'lxc:///', cmds], {
          env: process.env,
        }).toString();
      vsh(`define ${path.join(root, 'ct4.xml')}; start ct4`);
      await until(() => readOut('pinged') !== undefined);
      expect(readOut('addr')).toContain('inet 10.77.0.2/24');
      expect(readOut('addr')).toContain('link/ether 52:54:00:aa:bb:cc');
      expect(readOut('route')).toContain('default via 10.77.0.1 dev eth1');
      expect(readOut('pinged')).toBe('ping=0');
      const links = ns.links();
      expect([links.get('veth0')?.master, links.get('veth1')?.master]).toEqual(['br0', 'br0']);
      expect(readOut('links')).toContain('eth2');
      // The guest's view of its first NIC, read from the host end: the ping went out and came back.
      const stats = vsh('domstats ct4 --interface');
      expect(stats).toContain('net.count=2');
      expect(stats).toContain('net.0.name=veth0');
      expect(Number(/net\.0\.tx\.pkts=(\d+)/.exec(stats)?.[1])).toBeGreaterThan(0);
      expect(Number(/net\.0\.rx\.pkts=(\d+)/.exec(stats)?.[1])).toBeGreaterThan(0);
      vsh('destroy ct4');
      expect(ns.links().has('veth0') || ns.links().has('veth1')).toBe(false);
      expect(leftovers('ct4')).toEqual([]);
    } finally {
      try {
        execFileSync('nsenter', [`--net=/run/netns/${ns.name}`, path.join(REPO, 'bin', 'vsh'), '-c', 'lxc:///', 'destroy ct4'], {
          stdio: 'ignore',
        });
      } catch {
        // not running
      }
      delete process.env.VIRTKIT_LXC_NETWORK_STATE_DIR;
      ns.remove();
    }
  });
});
