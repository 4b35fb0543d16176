/** virDomainQemuMonitorCommand with real QEMU: QMP passthrough, HMP, and a disk written through HMP qemu-io. */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DomainQemuMonitorCommandFlags as M, ErrorNumber, type Connect, type VirError } from '@virtkit/core';
import { cleanupRoot, domainXml, makeDisk, newRoot, openEmbed, rejection } from './driver-helpers';

describe('QEMU monitor passthrough', () => {
  let root: string;
  let conn: Connect;

  beforeAll(async () => {
    root = newRoot();
    conn = await openEmbed(root);
  });

  afterAll(async () => {
    await cleanupRoot(root, conn);
  });

  it("passes QMP JSON through and returns QEMU's reply, errors included", async () => {
    const dom = await conn.createXML(domainXml('qmp'));
    const ok = JSON.parse(await dom.qemuMonitorCommand('{"execute":"query-status"}'));
    expect(ok.return).toMatchObject({ running: true, status: 'running' });
    expect(typeof ok.id).toBe('string');
    const bad = JSON.parse(await dom.qemuMonitorCommand('{"execute":"no-such-command"}'));
    expect(bad.error).toEqual({ class: 'CommandNotFound', desc: 'The command no-such-command has not been found' });
    const garbage = (await rejection(dom.qemuMonitorCommand('not json'))) as VirError;
    expect(garbage.code).toBe(ErrorNumber.VIR_ERR_INTERNAL_ERROR);
    expect(garbage.message).toMatch(/^internal error: cannot parse json not json: /);
    expect(await dom.qemuMonitorCommand('info status', M.VIR_DOMAIN_QEMU_MONITOR_COMMAND_HMP)).toBe('VM status: running\n');
    await dom.suspend();
    expect(await dom.qemuMonitorCommand('info status', M.VIR_DOMAIN_QEMU_MONITOR_COMMAND_HMP)).toBe('VM status: paused\n');
    await dom.destroy();
  });

  it('refuses a domain that is not running', async () => {
    const dom = await conn.defineXML(domainXml('idle'));
    const e = (await rejection(dom.qemuMonitorCommand('{"execute":"query-status"}'))) as VirError;
    expect(e.code).toBe(ErrorNumber.VIR_ERR_OPERATION_INVALID);
    expect(e.message).toBe('Requested operation is not valid: domain is not running');
    await dom.undefine();
  });

  it('writes a disk with HMP qemu-io that reads back after destroy', async () => {
    const disk = makeDisk(root, 'data.qcow2', '16M');
    const dom = await conn.createXML(domainXml('writer', { disk }));
    expect(await dom.getXMLDesc()).toContain("<alias name='ide0-0-0'/>");
    const out = await dom.qemuMonitorCommand('qemu-io -d ide0-0-0 "write -P 0xab 0 64k"', M.VIR_DOMAIN_QEMU_MONITOR_COMMAND_HMP);
    // qemu-io inside QEMU prints to QEMU's stdout (the domain log), not to the monitor.
    expect(out).toBe('');
    await dom.destroy();
    expect(fs.readFileSync(path.join(root, 'log', 'writer.log'), 'utf8')).toMatch(/wrote 65536\/65536 bytes at offset 0/);
    const read = (pattern: string) => spawnSync('qemu-io', ['-f', 'qcow2', '-c', `read -P ${pattern} 0 64k`, disk], { encoding: 'utf8' });
    expect(read('0xab')).toMatchObject({ status: 0, stdout: expect.stringMatching(/read 65536\/65536 bytes at offset 0/) });
    expect(read('0xcd').stdout).toMatch(/Pattern verification failed/);
  });
});
