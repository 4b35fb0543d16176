/** The QEMU driver through the public API with real QEMU: definitions, lifecycle, states, events. */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  ConnectListAllDomainsFlags as L,
  DomainCreateFlags,
  DomainDestroyFlags,
  DomainEventType as E,
  DomainState as S,
  DomainXMLFlags,
  ErrorNumber,
  type Connect,
  type VirError,
} from '@virtkit/core';
import {
  cleanupRoot,
  configFiles,
  domainXml,
  driverOf,
  newRoot,
  openEmbed,
  pidAliveSync,
  recordLifecycle,
  rejection,
  until,
} from './driver-helpers';

const UUID = '6b1a9e52-4a27-4b4e-9f5c-1f5b7d8c2a01';

describe('qemu:///embed lifecycle with real QEMU', () => {
  let root: string;
  let conn: Connect;
  let events: Array<[string, number, number]>;

  beforeAll(async () => {
    root = newRoot();
    conn = await openEmbed(root);
    events = await recordLifecycle(conn);
  });

  afterAll(async () => {
    await cleanupRoot(root, conn);
  });

  beforeEach(() => {
    events.length = 0;
  });

  it('defines, starts, suspends, resumes, destroys and undefines with libvirt states, reasons and events', async () => {
    const dom = await conn.defineXML(domainXml('life', { uuid: UUID }));
    expect(configFiles(root)).toEqual(['life.xml']);
    expect(await dom.getState()).toEqual({ state: S.VIR_DOMAIN_SHUTOFF, reason: 0 });
    expect(await dom.isPersistent()).toBe(true);
    expect(await dom.isActive()).toBe(false);
    expect(dom.getID()).toBe(-1);
    expect(await dom.getMaxMemory()).toBe(65536);

    await dom.create();
    const live = await conn.lookupByName('life');
    expect(live.getID()).toBe(1);
    expect(await live.getState()).toEqual({ state: S.VIR_DOMAIN_RUNNING, reason: 1 /* booted */ });
    expect((await conn.lookupByID(1)).getUUIDString()).toBe(UUID);
    expect((await conn.lookupByUUIDString(UUID.toUpperCase())).getName()).toBe('life');
    expect(await live.getOSType()).toBe('hvm');
    expect(await live.getInfo()).toMatchObject({ state: S.VIR_DOMAIN_RUNNING, maxMem: 65536, memory: 65536, nrVirtCpu: 1 });
    expect(await live.getMaxMemory()).toBe(65536);

    await live.suspend();
    expect(await live.getState()).toEqual({ state: S.VIR_DOMAIN_PAUSED, reason: 1 /* user */ });
    await live.resume();
    expect(await live.getState()).toEqual({ state: S.VIR_DOMAIN_RUNNING, reason: 5 /* unpaused */ });

    await live.destroy();
    expect(await live.getState()).toEqual({ state: S.VIR_DOMAIN_SHUTOFF, reason: 2 /* destroyed */ });
    expect(await live.isActive()).toBe(false);
    await live.undefine();
    expect(configFiles(root)).toEqual([]);
    const gone = (await rejection(conn.lookupByName('life'))) as VirError;
    expect(gone.code).toBe(ErrorNumber.VIR_ERR_NO_DOMAIN);
    expect(gone.message).toBe("Domain not found: no domain with matching name 'life'");

    expect(events).toEqual([
      ['life', E.VIR_DOMAIN_EVENT_DEFINED, 0 /* added */],
      ['life', E.VIR_DOMAIN_EVENT_RESUMED, 0 /* unpaused: the start's cont, as libvirtd reports it */],
      ['life', E.VIR_DOMAIN_EVENT_STARTED, 0 /* booted */],
      ['life', E.VIR_DOMAIN_EVENT_SUSPENDED, 0 /* paused */],
      ['life', E.VIR_DOMAIN_EVENT_RESUMED, 0 /* unpaused */],
      ['life', E.VIR_DOMAIN_EVENT_SHUTDOWN, 2 /* finished after host request: QEMU's answer to the SIGTERM */],
      ['life', E.VIR_DOMAIN_EVENT_STOPPED, 1 /* destroyed */],
      ['life', E.VIR_DOMAIN_EVENT_UNDEFINED, 0 /* removed */],
    ]);
  });

  it('shows the live XML with id and aliases, and the inactive XML without', async () => {
    const dom = await conn.defineXML(domainXml('xmlvm'));
    const inactiveBefore = await dom.getXMLDesc();
    expect(inactiveBefore).toMatch(/^<domain type='qemu'>/);
    expect(inactiveBefore).toContain("<type arch='x86_64' machine='pc-i440fx-7.2'>hvm</type>");
    await dom.create();
    const live = await dom.getXMLDesc();
    expect(live).toMatch(/^<domain type='qemu' id='\d+'>/);
    expect(live).toContain("<alias name='pci.0'/>");
    expect(live).toContain("<alias name='balloon0'/>");
    const inactive = await dom.getXMLDesc(DomainXMLFlags.VIR_DOMAIN_XML_INACTIVE);
    expect(inactive).toBe(inactiveBefore);
    await dom.destroy();
    await dom.undefine();
  });

  it('starts paused with VIR_DOMAIN_START_PAUSED and lists domains by libvirt filter groups', async () => {
    const dom = await conn.defineXML(domainXml('paused'));
    const idle = await conn.defineXML(domainXml('idle'));
    await dom.createWithFlags(DomainCreateFlags.VIR_DOMAIN_START_PAUSED);
    expect(await dom.getState()).toEqual({ state: S.VIR_DOMAIN_PAUSED, reason: 1 /* user */ });
    const status = JSON.parse(await dom.qemuMonitorCommand('{"execute":"query-status"}'));
    // Paused before the first instruction: QEMU calls that `prelaunch`.
    expect(status.return).toMatchObject({ running: false, status: 'prelaunch' });
    const names = async (flags: number) => (await conn.listAllDomains(flags)).map((d) => d.getName()).sort();
    expect(await names(0)).toEqual(['idle', 'paused']);
    expect(await names(L.VIR_CONNECT_LIST_DOMAINS_ACTIVE)).toEqual(['paused']);
    expect(await names(L.VIR_CONNECT_LIST_DOMAINS_INACTIVE)).toEqual(['idle']);
    expect(await names(L.VIR_CONNECT_LIST_DOMAINS_PAUSED)).toEqual(['paused']);
    expect(await names(L.VIR_CONNECT_LIST_DOMAINS_RUNNING)).toEqual([]);
    expect(await names(L.VIR_CONNECT_LIST_DOMAINS_TRANSIENT)).toEqual([]);
    await idle.setAutostart(true);
    expect(await idle.getAutostart()).toBe(true);
    expect(fs.readlinkSync(path.join(root, 'etc', 'autostart', 'idle.xml'))).toBe(path.join(root, 'etc', 'idle.xml'));
    expect(await names(L.VIR_CONNECT_LIST_DOMAINS_AUTOSTART)).toEqual(['idle']);
    await idle.setAutostart(false);
    expect(await names(L.VIR_CONNECT_LIST_DOMAINS_NO_AUTOSTART)).toEqual(['idle', 'paused']);
    expect(events).toContainEqual(['paused', E.VIR_DOMAIN_EVENT_SUSPENDED, 0]);
    const again = (await rejection(dom.create())) as VirError;
    expect(again.message).toBe('Requested operation is not valid: domain is already running');
    await dom.destroy();
    await dom.undefine();
    await idle.undefine();
  });

  it('runs a transient domain from createXML that disappears after destroy', async () => {
    const dom = await conn.createXML(domainXml('transient'));
    expect(await dom.isPersistent()).toBe(false);
    expect(await dom.getState()).toEqual({ state: S.VIR_DOMAIN_RUNNING, reason: 1 });
    expect(configFiles(root)).toEqual([]);
    expect((await conn.listAllDomains(L.VIR_CONNECT_LIST_DOMAINS_TRANSIENT)).map((d) => d.getName())).toEqual(['transient']);
    const undef = (await rejection(dom.undefine())) as VirError;
    expect(undef.message).toBe('Requested operation is not valid: cannot undefine transient domain');
    await dom.destroy();
    expect(((await rejection(conn.lookupByName('transient'))) as VirError).code).toBe(ErrorNumber.VIR_ERR_NO_DOMAIN);
    expect(((await rejection(dom.getState())) as VirError).message).toBe(
      `Domain not found: no domain with matching uuid '${dom.getUUIDString()}' (transient)`,
    );
    expect(events).toEqual([
      ['transient', E.VIR_DOMAIN_EVENT_RESUMED, 0],
      ['transient', E.VIR_DOMAIN_EVENT_STARTED, 0],
      ['transient', E.VIR_DOMAIN_EVENT_SHUTDOWN, 2],
      ['transient', E.VIR_DOMAIN_EVENT_STOPPED, 1],
    ]);
  });

  it('undefining a running domain leaves it running as transient until destroyed', async () => {
    const dom = await conn.defineXML(domainXml('undef-live'));
    await dom.create();
    await dom.undefine();
    expect(await dom.isPersistent()).toBe(false);
    expect(await dom.isActive()).toBe(true);
    const log = path.join(root, 'log', 'undef-live.log');
    expect(fs.existsSync(log)).toBe(true);
    // SIGTERM alone is enough for QEMU; REMOVE_LOGS drops the domain log.
    await dom.destroyFlags(DomainDestroyFlags.VIR_DOMAIN_DESTROY_GRACEFUL | DomainDestroyFlags.VIR_DOMAIN_DESTROY_REMOVE_LOGS);
    expect(fs.existsSync(log)).toBe(false);
    expect((await conn.listAllDomains(0)).map((d) => d.getName())).not.toContain('undef-live');
    expect(events.map(([, e, d]) => [e, d])).toEqual([
      [E.VIR_DOMAIN_EVENT_DEFINED, 0],
      [E.VIR_DOMAIN_EVENT_RESUMED, 0],
      [E.VIR_DOMAIN_EVENT_STARTED, 0],
      [E.VIR_DOMAIN_EVENT_UNDEFINED, 0],
      [E.VIR_DOMAIN_EVENT_SHUTDOWN, 2],
      [E.VIR_DOMAIN_EVENT_STOPPED, 1],
    ]);
  });

  it('shutdown and reboot press the power button; a guest-less VM keeps running', async () => {
    const dom = await conn.createXML(domainXml('acpi'));
    const obj = driverOf(conn).domains.findByName('acpi')!;
    const qmpEvents: string[] = [];
    obj.runtime.on('qmp-event', (e: { event: string }) => qmpEvents.push(e.event));
    await dom.shutdown();
    await until(() => qmpEvents.includes('POWERDOWN'));
    await dom.reboot();
    await until(() => qmpEvents.filter((e) => e === 'POWERDOWN').length === 2);
    expect(await dom.getState()).toEqual({ state: S.VIR_DOMAIN_RUNNING, reason: 1 });
    const reboots: number[] = [];
    await conn.domainEventRegisterAny(dom, 1 /* REBOOT */, () => reboots.push(1));
    await dom.reset();
    await until(() => reboots.length === 1);
    await dom.destroy();
  });

  it('a QEMU that quits on its own is shut off (shutdown) after a SHUTDOWN event', async () => {
    const dom = await conn.createXML(domainXml('quitter'));
    expect(JSON.parse(await dom.qemuMonitorCommand('{"execute":"quit"}'))).toHaveProperty('return');
    await until(() => events.some(([n, e]) => n === 'quitter' && e === E.VIR_DOMAIN_EVENT_STOPPED));
    expect(events).toEqual([
      ['quitter', E.VIR_DOMAIN_EVENT_RESUMED, 0],
      ['quitter', E.VIR_DOMAIN_EVENT_STARTED, 0],
      ['quitter', E.VIR_DOMAIN_EVENT_SHUTDOWN, 2 /* host */],
      ['quitter', E.VIR_DOMAIN_EVENT_STOPPED, 0 /* shutdown */],
    ]);
  });

  it('a QEMU killed from outside is shut off (crashed)', async () => {
    const dom = await conn.defineXML(domainXml('victim'));
    await dom.create();
    const pid = driverOf(conn).domains.findByName('victim')!.runtime.pid!;
    process.kill(pid, 'SIGKILL');
    await until(() => events.some(([n, e]) => n === 'victim' && e === E.VIR_DOMAIN_EVENT_STOPPED));
    expect(await dom.getState()).toEqual({ state: S.VIR_DOMAIN_SHUTOFF, reason: 3 /* crashed */ });
    expect(events).toContainEqual(['victim', E.VIR_DOMAIN_EVENT_STOPPED, 5 /* failed */]);
    expect(fs.readdirSync(path.join(root, 'run')).filter((f) => f.endsWith('.json'))).toEqual([]);
    await dom.undefine();
  });

  it('destroy and undefine of a shut-off domain kill a QEMU that holds its pid file untracked', async () => {
    const dom = await conn.defineXML(domainXml('orphaned'));
    const pidFile = path.join(root, 'run', 'orphaned.pid');
    /** A QEMU no record tracks (as an interrupted start leaves it), holding the domain's pid file. */
    const orphan = async (): Promise<number> => {
      const q = spawn('/usr/bin/qemu-system-x86_64', ['-S', '-machine', 'none', '-display', 'none', '-nodefaults', '-pidfile', pidFile], {
        detached: true,
        stdio: 'ignore',
      });
      q.unref();
      await until(() => fs.existsSync(pidFile) && fs.readFileSync(pidFile, 'utf8').trim() === String(q.pid));
      return q.pid!;
    };
    const first = await orphan();
    const e = (await rejection(dom.destroy())) as VirError;
    expect(e.message).toBe('Requested operation is not valid: domain is not running');
    expect(pidAliveSync(first)).toBe(false);
    const second = await orphan();
    await dom.undefine();
    expect(pidAliveSync(second)).toBe(false);
    expect(fs.existsSync(pidFile)).toBe(false);
  });
});
