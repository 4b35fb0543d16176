/**
 * VMs outlive the process that started them: a child process starts a domain and exits; a new
 * connection finds it through the status files with its true state, or shut off (crashed) when
 * QEMU died meanwhile. Autostart domains start when the driver opens.
 */
import { execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DomainEventType as E, DomainState as S, DomainXMLFlags, ErrorNumber, type VirError } from '@virtkit/core';
import { pidStartTicks } from '../src/fsutil';
import { cleanupRoot, domainXml, driverOf, newRoot, openEmbed, pidAliveSync, recordLifecycle, rejection, until } from './driver-helpers';

const FIXTURE = path.join(__dirname, 'fixtures', 'start-domain.ts');

/** Start the domain of `xml` from a child process; returns its id and QEMU pid. */
function startInChild(root: string, xml: string): { id: number; pid: number } {
  const file = path.join(root, `${Date.now()}.xml`);
  fs.writeFileSync(file, xml);
  const out = execFileSync(process.execPath, ['--import', 'tsx', FIXTURE, root, file], {
    cwd: path.resolve(__dirname, '../../..'),
    encoding: 'utf8',
    timeout: 60_000,
  });
  return JSON.parse(out.trim().split('\n').pop()!);
}

describe('QEMU driver across processes', () => {
  let root: string;

  beforeEach(() => {
    root = newRoot();
  });

  afterEach(async () => {
    await cleanupRoot(root);
  });

  it('a new connection sees a domain started by another process running, and can destroy it', async () => {
    const { id, pid } = startInChild(root, domainXml('orphan'));
    expect(pidAliveSync(pid)).toBe(true);
    const conn = await openEmbed(root);
    const events = await recordLifecycle(conn);
    const dom = await conn.lookupByName('orphan');
    expect(dom.getID()).toBe(id);
    expect(await dom.getState()).toEqual({ state: S.VIR_DOMAIN_RUNNING, reason: 1 /* booted */ });
    expect(await dom.getXMLDesc()).toContain(`<domain type='qemu' id='${id}'>`);
    expect(await dom.getXMLDesc(DomainXMLFlags.VIR_DOMAIN_XML_INACTIVE)).not.toContain('<alias');
    expect(JSON.parse(await dom.qemuMonitorCommand('{"execute":"query-status"}')).return.running).toBe(true);
    await dom.suspend();
    expect(await dom.getState()).toEqual({ state: S.VIR_DOMAIN_PAUSED, reason: 1 });
    await dom.destroy();
    expect(pidAliveSync(pid)).toBe(false);
    expect(await dom.getState()).toEqual({ state: S.VIR_DOMAIN_SHUTOFF, reason: 2 /* destroyed */ });
    expect(events).toEqual([
      ['orphan', E.VIR_DOMAIN_EVENT_SUSPENDED, 0],
      ['orphan', E.VIR_DOMAIN_EVENT_SHUTDOWN, 2 /* finished after host request: QEMU's answer to SIGTERM */],
      ['orphan', E.VIR_DOMAIN_EVENT_STOPPED, 1],
    ]);
    await conn.close();
  });

  it('a QEMU that died while no process watched it shows shut off (crashed)', async () => {
    const { pid } = startInChild(root, domainXml('lost'));
    process.kill(pid, 'SIGKILL');
    await until(() => !pidAliveSync(pid));
    const conn = await openEmbed(root);
    const dom = await conn.lookupByName('lost');
    expect(await dom.getState()).toEqual({ state: S.VIR_DOMAIN_SHUTOFF, reason: 3 /* crashed */ });
    expect(dom.getID()).toBe(-1);
    expect(fs.readdirSync(path.join(root, 'run')).filter((f) => f.endsWith('.json'))).toEqual([]);
    // It starts again normally.
    await dom.create();
    expect(await dom.getState()).toEqual({ state: S.VIR_DOMAIN_RUNNING, reason: 1 });
    await dom.destroy();
    await conn.close();
  });

  it("one process at a time drives a root; a dead holder's lock is taken over", async () => {
    const holder = spawn('sleep', ['30'], { stdio: 'ignore' });
    const lock = path.join(root, 'run', '.driver.pid');
    fs.mkdirSync(path.dirname(lock), { recursive: true });
    fs.writeFileSync(lock, `${holder.pid} ${pidStartTicks(holder.pid!)}\n`);
    const e = (await rejection(openEmbed(root))) as VirError;
    expect(e.code).toBe(ErrorNumber.VIR_ERR_SYSTEM_ERROR);
    expect(e.message).toBe(`Failed to acquire pid file '${lock}': Resource temporarily unavailable`);
    holder.kill('SIGKILL');
    await until(() => holder.exitCode !== null || holder.signalCode !== null);
    const conn = await openEmbed(root);
    expect(fs.readFileSync(lock, 'utf8').split(' ')[0]).toBe(String(process.pid));
    await conn.close();
    expect(fs.existsSync(lock)).toBe(false);
  });

  it('starts autostart domains when the driver opens', async () => {
    let conn = await openEmbed(root);
    const dom = await conn.defineXML(domainXml('auto'));
    await dom.setAutostart(true);
    expect(await dom.isActive()).toBe(false);
    await conn.close();
    conn = await openEmbed(root);
    const again = await conn.lookupByName('auto');
    expect(await again.getState()).toEqual({ state: S.VIR_DOMAIN_RUNNING, reason: 1 });
    const pid = driverOf(conn).domains.findByName('auto')!.runtime.pid!;
    await conn.close();
    // Closing detaches: QEMU keeps running and the next open re-attaches instead of starting twice.
    expect(pidAliveSync(pid)).toBe(true);
    conn = await openEmbed(root);
    expect(driverOf(conn).domains.findByName('auto')!.runtime.pid).toBe(pid);
    await (await conn.lookupByName('auto')).destroy();
    const missing = (await rejection(conn.lookupByID(99))) as VirError;
    expect(missing.code).toBe(ErrorNumber.VIR_ERR_NO_DOMAIN);
    expect(missing.message).toBe('Domain not found: no domain with matching id 99');
    await conn.close();
  });
});
