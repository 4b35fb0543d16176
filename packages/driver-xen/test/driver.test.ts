/**
 * The Xen driver through the public API, against the xl STAND-IN (test/xl-stand-in/xl): no Xen
 * hypervisor runs on this kernel, so the toolstack is replaced by a program printing what xl
 * 4.17 prints. Every driver call and its errors are exercised; files on disk are checked.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { execFileSync } from 'node:child_process';
import {
  open,
  registerDriver,
  typedParamType,
  DomainConsoleFlags,
  DomainEventID,
  DomainGetJobStatsFlags,
  DomainJobType,
  DomainMemoryModFlags,
  DomainPausedReason,
  DomainState,
  TypedParameterType,
  VirError,
  VirStream,
  type Connect,
  type Domain,
} from '@virtkit/core';
import { driver, xenDriverTable } from '../src';
import { XenConnection } from '../src/connection';

const STAND_IN = path.join(__dirname, 'xl-stand-in', 'xl');
const XML = (name: string, uuid: string, mem = 262144) =>
  `<domain type='xen'><name>${name}</name><uuid>${uuid}</uuid><memory unit='KiB'>${mem}</memory><vcpu>2</vcpu>` +
  `<os><type arch='x86_64' machine='xenpv'>linux</type><kernel>/boot/vmlinuz</kernel></os></domain>`;
const HVM_XML = (name: string, uuid: string) =>
  `<domain type='xen'><name>${name}</name><uuid>${uuid}</uuid><memory unit='KiB'>262144</memory><vcpu>1</vcpu>` +
  `<os><type arch='x86_64' machine='xenfv'>hvm</type><loader>/usr/lib/xen/boot/hvmloader</loader></os>` +
  `<devices><serial type='pty'><target port='0'/></serial><console type='pty'><target type='serial' port='0'/></console></devices></domain>`;
const U1 = 'c7a5fdbd-edaf-9455-926a-d65c16db1801';
const U2 = 'c7a5fdbd-edaf-9455-926a-d65c16db1802';

let root: string;
const conns: Connect[] = [];

function xl(...args: string[]): string {
  return execFileSync(STAND_IN, args, { env: { ...process.env, XL_STAND_IN_STATE: path.join(root, 'xl.json') } }).toString();
}

async function connect(): Promise<Connect> {
  const c = await open('xen:///system');
  conns.push(c);
  return c;
}

async function until(cond: () => boolean | Promise<boolean>, ms = 30_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function failure(p: Promise<unknown>): Promise<[number, number, string]> {
  const e = await p.then(
    () => undefined,
    (x: unknown) => x,
  );
  if (!(e instanceof VirError)) throw new Error(`expected a VirError, got ${String(e)}`);
  return [e.code, e.domain, e.message];
}

// Every toolstack call starts a process; on a loaded machine a lifecycle takes a while.
jest.setTimeout(120_000);

beforeAll(() => registerDriver(driver));

beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'vk-xen-'));
  process.env.VIRTKIT_XEN_ROOT = path.join(root, 'tree');
  process.env.VIRTKIT_XL = STAND_IN;
  process.env.XL_STAND_IN_STATE = path.join(root, 'xl.json');
  process.env.VIRTKIT_XENSTORE_READ = path.join(__dirname, 'xl-stand-in', 'xenstore-read');
});

afterEach(async () => {
  for (const c of conns.splice(0)) await c.close();
  fs.rmSync(root, { recursive: true, force: true });
});

describe('xen:///system against the xl stand-in', () => {
  it('describes the host from xl info', async () => {
    const c = await connect();
    expect(await c.getType()).toBe('Xen');
    expect(Number(await c.getVersion())).toBe(4017001);
    expect(Number(await c.getLibVersion())).toBe(9000000);
    const node = await c.getInfo();
    expect({ ...node, memory: Number(node.memory) }).toEqual({
      model: 'x86_64',
      memory: 16384 * 1024,
      cpus: 4,
      mhz: 2394,
      nodes: 1,
      sockets: 1,
      cores: 4,
      threads: 1,
    });
    expect(await c.getMaxVcpus(null)).toBe(4);
    const caps = await c.getCapabilities();
    expect(caps).toContain('<arch>x86_64</arch>');
    expect(caps).toContain("<topology sockets='1' dies='1' cores='4' threads='1'/>");
    expect(caps).toContain('<uri_transport>xenmigr</uri_transport>');
    expect(caps).toMatch(/<os_type>xen<\/os_type>\s*<arch name='x86_64'>[\s\S]*?<machine>xenpv<\/machine>/);
    expect(caps).toMatch(/<os_type>hvm<\/os_type>\s*<arch name='i686'>[\s\S]*?<loader>\/usr\/lib\/xen\/boot\/hvmloader<\/loader>/);
    expect(caps).toContain('<os_type>xenpvh</os_type>');
    const hvm = await c.getDomainCapabilities(null, null, 'xenfv', null);
    expect(hvm).toContain('<value>/usr/lib/xen/boot/ovmf.bin</value>\n      <value>/usr/lib/xen/boot/hvmloader</value>');
    expect(await failure(c.getDomainCapabilities(null, null, null, 'kvm'))).toEqual([8, 41, 'invalid argument: unknown virttype: kvm']);
  });

  it('refuses other paths and a missing toolstack', async () => {
    expect(await failure(open('xen:///session'))).toEqual([1, 41, "internal error: unexpected Xen URI path '/session', try xen:///system"]);
    process.env.VIRTKIT_XL = path.join(root, 'no-such-xl');
    const [code, dom, msg] = await failure(open('xen:///system'));
    expect([code, dom]).toEqual([1, 41]);
    expect(msg).toContain('cannot run the Xen toolstack');
  });

  it('converts xl.cfg both ways and names an unknown format', async () => {
    const c = await connect();
    const cfg = 'name = "pv"\nuuid = "' + U1 + '"\nmemory = 256\nvcpus = 2\nkernel = "/boot/vmlinuz"\n';
    const xml = await c.domainXMLFromNative('xen-xl', cfg);
    expect(xml).toContain("<domain type='xen'>");
    expect(xml).toContain('<name>pv</name>');
    expect(xml).toContain("<memory unit='KiB'>262144</memory>");
    const back = await c.domainXMLToNative('xen-xl', xml);
    expect(back).toContain('name = "pv"');
    expect(back).toContain('memory = 256');
    expect(await failure(c.domainXMLFromNative('xen-sxpr', cfg))).toEqual([8, 41, 'invalid argument: unsupported config type xen-sxpr']);
    expect(await failure(c.domainXMLFromNative('xen-xl', cfg, 4))).toEqual([
      8,
      0,
      'invalid argument: unsupported flags (0x4) in function virConnectDomainXMLFromNative',
    ]);
  });

  it('defines, starts through xl, pauses, balloons, reboots, shuts down and undefines', async () => {
    const c = await connect();
    const events: Array<[string, number, number]> = [];
    await c.domainEventRegisterAny<Domain>(null, DomainEventID.VIR_DOMAIN_EVENT_ID_LIFECYCLE, (_c, d, ev) => {
      events.push([d.getName(), ev.event as number, ev.detail as number]);
    });
    const d = await c.defineXML(XML('pv1', U1));
    expect(fs.existsSync(path.join(root, 'tree', 'etc', 'pv1.xml'))).toBe(true);
    expect(await d.isPersistent()).toBe(true);
    expect(await c.listDefinedDomains(10)).toEqual(['pv1']);
    expect(await failure(c.defineXML(XML('pv1', U2)))).toEqual([9, 41, `operation failed: domain 'pv1' already exists with uuid ${U1}`]);

    await d.create();
    const domid = (await c.lookupByName('pv1')).getID();
    expect(domid).toBeGreaterThan(0);
    expect(xl('list')).toMatch(/^pv1\s+\d+\s+256\s+2\s+r-----/m);
    const cfg = fs.readFileSync(path.join(root, 'tree', 'run', 'pv1.cfg'), 'utf8');
    expect(cfg).toContain(`uuid = "${U1}"`);
    expect((await c.lookupByID(domid)).getName()).toBe('pv1');
    let info = await d.getInfo();
    expect([info.state, Number(info.memory), info.nrVirtCpu]).toEqual([DomainState.VIR_DOMAIN_RUNNING, 262144, 2]);

    await d.suspend();
    expect(xl('list')).toMatch(/^pv1\s+\d+\s+256\s+2\s+--p---/m);
    expect((await d.getState()).state).toBe(DomainState.VIR_DOMAIN_PAUSED);
    await d.resume();
    expect((await d.getState()).state).toBe(DomainState.VIR_DOMAIN_RUNNING);

    await d.setMemory(131072);
    info = await d.getInfo();
    expect(Number(info.memory)).toBe(131072);
    expect(await failure(d.setMemory(1048576))).toEqual([8, 41, 'invalid argument: cannot set memory higher than max memory']);

    await d.reboot();
    await d.getState(); // xl re-created the domain: the next look at the toolstack sees its new domid
    expect((await c.lookupByName('pv1')).getID()).not.toBe(domid);

    await d.shutdown();
    const deadline = Date.now() + 5000;
    while ((await d.isActive()) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(await d.getState()).toEqual({ state: DomainState.VIR_DOMAIN_SHUTOFF, reason: 1 });
    expect(fs.existsSync(path.join(root, 'tree', 'run', 'pv1.cfg'))).toBe(false);

    await d.undefine();
    expect(fs.existsSync(path.join(root, 'tree', 'etc', 'pv1.xml'))).toBe(false);
    expect(await failure(c.lookupByName('pv1'))).toEqual([42, 41, "Domain not found: no domain with matching name 'pv1'"]);
    // defined, started, suspended, resumed, stopped (shutdown), undefined — as libvirt's libxl driver sends them
    expect(events.map(([, e, det]) => `${e}/${det}`)).toEqual(['0/0', '2/0', '3/0', '4/0', '5/0', '1/0']);
  });

  it('sets the balloon target and the maximum live through xl and persistently in the definition, as libxlDomainSetMemoryFlags', async () => {
    const c = await connect();
    const d = await c.defineXML(XML('mem', U1));
    const LIVE = 1,
      CONFIG = 2,
      MAXIMUM = 4;
    const inactive = async () => {
      const xml = await d.getXMLDesc(2);
      return [/<memory unit='KiB'>(\d+)/.exec(xml)![1], /<currentMemory unit='KiB'>(\d+)/.exec(xml)![1]];
    };
    // CURRENT on a shut-off domain is CONFIG; a maximum below the target pulls the target down.
    await d.setMemoryFlags(200000, 0);
    expect(await inactive()).toEqual(['262144', '200000']);
    await d.setMaxMemory(150000);
    expect(await inactive()).toEqual(['150000', '150000']);
    // virDomainObjGetDefs reports this from domain_conf.c (VIR_FROM_DOMAIN), not from the libxl driver.
    expect(await failure(d.setMemoryFlags(100000, LIVE))).toEqual([55, 20, 'Requested operation is not valid: domain is not running']);
    expect(await failure(d.setMemoryFlags(100000, 8 as DomainMemoryModFlags))).toEqual([
      8,
      0,
      'invalid argument: unsupported flags (0x8) in function virDomainSetMemoryFlags',
    ]);
    await d.setMemoryFlags(262144, MAXIMUM | CONFIG);

    await d.create();
    const standIn = () =>
      JSON.parse(fs.readFileSync(path.join(root, 'xl.json'), 'utf8')).domains.find((x: { name: string }) => x.name === 'mem');
    // A live maximum reaches the hypervisor (xl mem-max; the stand-in keeps MiB); the running definition keeps its <memory>.
    await d.setMaxMemory(307200);
    expect(standIn().maxMem).toBe(300);
    expect(Number((await d.getInfo()).maxMem)).toBe(262144);
    await d.setMemoryFlags(131072, LIVE | CONFIG);
    expect(standIn().mem).toBe(128);
    expect(Number((await d.getInfo()).memory)).toBe(131072);
    expect(await inactive()).toEqual(['262144', '131072']);
    expect(await failure(d.setMemoryFlags(300000, LIVE))).toEqual([8, 41, 'invalid argument: cannot set memory higher than max memory']);
    await d.destroy();
    await d.undefine();
  });

  it('sets running vCPUs through xl vcpu-set and persistent or maximum counts in the definition', async () => {
    const c = await connect();
    const d = await c.defineXML(XML('cpus', U1));
    const LIVE = 1,
      CONFIG = 2,
      MAXIMUM = 4;
    expect([await d.getVcpusFlags(0), await d.getVcpusFlags(MAXIMUM)]).toEqual([2, 2]);
    await d.setVcpusFlags(4, CONFIG | MAXIMUM);
    expect(fs.readFileSync(path.join(root, 'tree', 'etc', 'cpus.xml'), 'utf8')).toContain("<vcpu placement='static' current='2'>4</vcpu>");
    expect(await failure(d.setVcpus(1))).toEqual([55, 41, 'Requested operation is not valid: cannot set vcpus on an inactive domain']);
    expect(await failure(d.setVcpusFlags(3, 0))).toEqual([8, 41, 'invalid argument: invalid flag combination: (0x0)']);
    expect(await failure(d.getVcpusFlags(LIVE))).toEqual([55, 41, 'Requested operation is not valid: Domain is not running']);

    await d.create();
    expect(xl('list')).toMatch(/^cpus\s+\d+\s+256\s+2\s/m);
    await d.setVcpus(3);
    expect(xl('list')).toMatch(/^cpus\s+\d+\s+256\s+3\s/m);
    expect([await d.getVcpusFlags(LIVE), await d.getVcpusFlags(CONFIG), await d.getMaxVcpus()]).toEqual([3, 2, 4]);
    expect((await d.getInfo()).nrVirtCpu).toBe(3);
    expect(await failure(d.setVcpus(5))).toEqual([
      8,
      41,
      'invalid argument: requested vcpus is greater than max allowable vcpus for the domain: 5 > 4',
    ]);
    expect(await failure(d.setVcpusFlags(2, LIVE | MAXIMUM))).toEqual([8, 41, 'invalid argument: invalid flag combination: (0x5)']);
    await d.setVcpusFlags(1, LIVE | CONFIG);
    expect([await d.getVcpusFlags(LIVE), await d.getVcpusFlags(CONFIG)]).toEqual([1, 1]);
    expect(xl('list')).toMatch(/^cpus\s+\d+\s+256\s+1\s/m);
    await d.destroy();
  });

  it("saves into an image with libvirt's header, restores it, and starts from a managed save", async () => {
    const c = await connect();
    const events: string[] = [];
    await c.domainEventRegisterAny<Domain>(null, DomainEventID.VIR_DOMAIN_EVENT_ID_LIFECYCLE, (_c, _d, ev) => {
      events.push(`${ev.event as number}/${ev.detail as number}`);
    });
    const d = await c.defineXML(XML('sv', U1));
    await d.create();
    const image = path.join(root, 'sv.img');
    await d.save(image);
    expect(await d.getState()).toEqual({ state: DomainState.VIR_DOMAIN_SHUTOFF, reason: 5 /* SAVED */ });
    expect(xl('list')).not.toMatch(/^sv\s/m);
    const bytes = fs.readFileSync(image);
    expect(bytes.subarray(0, 16).toString('latin1')).toBe('libvirt-xml\n \0 \r');
    expect([bytes.readUInt32LE(16), bytes.subarray(64).toString()]).toEqual([2, expect.stringContaining('<name>sv</name>')]);
    expect(fs.readdirSync(path.join(root, 'tree', 'run'))).toEqual([]);

    await c.restoreFlags(image, null, 4 /* VIR_DOMAIN_SAVE_PAUSED */);
    expect((await d.getState()).state).toBe(DomainState.VIR_DOMAIN_PAUSED);
    expect(xl('list')).toMatch(/^sv\s+\d+\s+256\s+2\s+--p---/m);
    expect(await failure(c.restore(image))).toEqual([55, 41, "Requested operation is not valid: domain 'sv' is already active"]);
    expect(await failure(d.save(image))).toEqual([
      55,
      41,
      `Requested operation is not valid: Domain '${(await c.lookupByName('sv')).getID()}' has to be running because libxenlight will suspend it`,
    ]);
    await d.resume();

    await d.managedSave();
    expect(await d.hasManagedSaveImage()).toBe(true);
    expect((await c.listAllDomains(64 /* MANAGEDSAVE */)).map((x) => x.getName())).toEqual(['sv']);
    expect(await failure(d.undefine())).toEqual([
      55,
      41,
      'Requested operation is not valid: Refusing to undefine while domain managed save image exists',
    ]);
    await d.create();
    expect(await d.hasManagedSaveImage()).toBe(false);
    expect((await d.getState()).state).toBe(DomainState.VIR_DOMAIN_RUNNING);
    await d.destroy();

    fs.writeFileSync(path.join(root, 'bad.img'), 'not an image at all, but long enough to hold a header of sixty-four bytes');
    expect(await failure(c.restore(path.join(root, 'bad.img')))).toEqual([8, 41, 'invalid argument: image magic is incorrect']);
    expect(await failure(d.saveFlags(image, '<domain/>', 0))).toEqual([74, 41, 'argument unsupported: xml modification unsupported']);
    // started, saved, restored (paused), suspended, resumed, managed save, restored at start, destroyed
    expect(events.filter((e) => !e.startsWith('0/'))).toEqual(['2/0', '5/4', '2/2', '3/0', '4/0', '5/4', '2/2', '5/1']);
  });

  it('joins a console stream to the pty xenconsoled names, one session unless forced', async () => {
    const c = await connect();
    const pv = await c.defineXML(XML('pv1', U1));
    expect(await pv.getXMLDesc(0)).toContain("<console type='pty'>\n      <target type='xen' port='0'/>\n    </console>");
    await pv.create();
    const live = await pv.getXMLDesc(0);
    const tty = /<console type='pty' tty='(\/dev\/pts\/\d+)'>\s*<source path='\1'\/>\s*<target type='xen' port='0'\/>/.exec(live)?.[1];
    expect(tty).toBe(xl('--xenstore-read', `/local/domain/${pv.getID()}/console/tty`).trim());
    const stream = new VirStream();
    let seen = '';
    stream.download.on('data', (b: Buffer) => (seen += b.toString()));
    await pv.openConsole(null, stream, 0);
    await until(() => seen.includes('pv1 console'));
    stream.send(Buffer.from('ping\r'));
    await until(() => seen.includes('ping'));
    expect(await failure(pv.openConsole(null, new VirStream(), 0))).toEqual([
      9,
      41,
      'operation failed: Active console session exists for this domain',
    ]);
    const second = new VirStream();
    let seenBySecond = '';
    second.download.on('data', (b: Buffer) => (seenBySecond += b.toString()));
    await pv.openConsole(null, second, DomainConsoleFlags.VIR_DOMAIN_CONSOLE_FORCE);
    second.send(Buffer.from('pong\r'));
    await until(() => seenBySecond.includes('pong'));
    expect(await failure(pv.openConsole('serial0', new VirStream(), 0))).toEqual([
      1,
      41,
      'internal error: cannot find character device serial0',
    ]);
    expect(await failure(pv.openConsole(null, new VirStream(), DomainConsoleFlags.VIR_DOMAIN_CONSOLE_SAFE))).toEqual([
      8,
      41,
      'unsupported flags (0x2) in function libxlDomainOpenConsole',
    ]);
    second.abort(new Error('done'));
    await pv.destroy();
    expect(await failure(pv.openConsole(null, new VirStream(), 0))).toEqual([
      55,
      41,
      'Requested operation is not valid: domain is not running',
    ]);

    // An HVM guest's console is its serial port: the stream goes through serial0.
    const hvm = await c.createXML(HVM_XML('hvm1', U2), 0);
    expect(await hvm.getXMLDesc(0)).toMatch(
      /<serial type='pty'>\s*<source path='\/dev\/pts\/\d+'\/>\s*<target port='0'\/>\s*<alias name='serial0'\/>/,
    );
    const s3 = new VirStream();
    let seen3 = '';
    s3.download.on('data', (b: Buffer) => (seen3 += b.toString()));
    await hvm.openConsole('serial0', s3, 0);
    await until(() => seen3.includes('hvm1 console'));
    s3.abort(new Error('done'));
    await hvm.destroy();
  });

  it('reports a running job with its elapsed time, and none when idle', async () => {
    const c = await connect();
    const d = await c.defineXML(XML('pv1', U1));
    await d.create();
    expect((await d.getJobInfo()).type).toBe(DomainJobType.VIR_DOMAIN_JOB_NONE);
    expect(await d.getJobStats(0)).toEqual({ type: DomainJobType.VIR_DOMAIN_JOB_NONE, params: {} });
    process.env.XL_STAND_IN_SAVE_MS = '3000';
    const saving = d.save(path.join(root, 'pv1.save'));
    try {
      await until(async () => (await d.getJobInfo()).type === DomainJobType.VIR_DOMAIN_JOB_UNBOUNDED);
      await new Promise((r) => setTimeout(r, 300));
      const info = await d.getJobInfo();
      expect(Number(info.timeElapsed)).toBeGreaterThanOrEqual(300);
      expect([info.dataTotal, info.memTotal, info.fileTotal].map(Number)).toEqual([0, 0, 0]);
      const stats = await d.getJobStats(0);
      expect(stats.type).toBe(DomainJobType.VIR_DOMAIN_JOB_UNBOUNDED);
      expect(Object.keys(stats.params)).toEqual(['time_elapsed']);
      expect(typedParamType(stats.params, 'time_elapsed')).toBe(TypedParameterType.VIR_TYPED_PARAM_ULLONG);
    } finally {
      await saving;
      delete process.env.XL_STAND_IN_SAVE_MS;
    }
    expect((await d.getJobInfo()).type).toBe(DomainJobType.VIR_DOMAIN_JOB_NONE);
    expect(await failure(d.getJobStats(DomainGetJobStatsFlags.VIR_DOMAIN_JOB_STATS_COMPLETED))).toEqual([
      8,
      41,
      'unsupported flags (0x1) in function libxlDomainGetJobStats',
    ]);
  });

  it('creates a transient domain that is gone once destroyed', async () => {
    const c = await connect();
    const d = await c.createXML(XML('tr', U2), 1 /* VIR_DOMAIN_START_PAUSED */);
    expect((await d.getState()).state).toBe(DomainState.VIR_DOMAIN_PAUSED);
    expect(await d.isPersistent()).toBe(false);
    expect(await failure(d.undefine())).toEqual([55, 41, 'Requested operation is not valid: cannot undefine transient domain']);
    await d.destroy();
    expect(xl('list')).not.toMatch(/^tr\s/m);
    expect((await c.listAllDomains()).map((x) => x.getName())).toEqual([]);
    expect(await failure(d.destroy())).toEqual([42, 41, `Domain not found: no domain with matching uuid '${U2}' (tr)`]);
  });

  it('finds its running domains again after the last connection closed', async () => {
    const c = await connect();
    const first = await c.defineXML(XML('keep', U1));
    await first.create();
    await first.suspend();
    await c.close();
    conns.splice(0);
    const again = await connect();
    const d = await again.lookupByName('keep');
    expect(await d.isActive()).toBe(true);
    expect(d.getID()).toBeGreaterThan(0);
    // why it was paused is the driver's record, not the toolstack's
    expect(await d.getState()).toEqual({ state: DomainState.VIR_DOMAIN_PAUSED, reason: DomainPausedReason.VIR_DOMAIN_PAUSED_USER });
    expect(await d.hasManagedSaveImage()).toBe(false);
    // a domain that ended while no one watched is shut off on the next look
    xl('destroy', 'keep');
    expect((await d.getState()).state).toBe(DomainState.VIR_DOMAIN_SHUTOFF);
    await d.setAutostart(true);
    expect(fs.readlinkSync(path.join(root, 'tree', 'etc', 'autostart', 'keep.xml'))).toBe(path.join(root, 'tree', 'etc', 'keep.xml'));
    expect(await d.getAutostart()).toBe(true);
  });

  it('rejects guests its capabilities lack and hostile names, writing nothing', async () => {
    const c = await connect();
    const kvm = XML('k', U1).replace("type='xen'", "type='kvm'");
    const [code, , msg] = await failure(c.defineXML(kvm));
    expect(code).toBe(8);
    expect(msg).toContain('could not find capabilities for ostype=xen arch=x86_64 domaintype=kvm');
    expect((await failure(c.defineXML(XML('../evil', U1))))[0]).toBe(27);
    expect(fs.existsSync(path.join(root, 'tree', 'etc')) ? fs.readdirSync(path.join(root, 'tree', 'etc')) : []).toEqual([]);
  });

  it('has exactly the methods of its driver table', () => {
    const methods = Object.getOwnPropertyNames(XenConnection.prototype).filter((m) => m !== 'constructor' && m !== 'close');
    const spi = methods.filter((m) => /^(connect|domain|node)[A-Z]/.test(m));
    expect(spi.sort()).toEqual(Object.keys(xenDriverTable).sort());
  });
});
