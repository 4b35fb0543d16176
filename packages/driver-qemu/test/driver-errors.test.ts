/** Refusals with libvirt's errors (bad XML, hostile names, clashes, kvm without /dev/kvm, read-only, URIs) and host facts. */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ErrorNumber, open, type Connect, type VirError } from '@virtkit/core';
import { kvmUsable, testUnless } from '@virtkit/testkit';
import { QEMU } from './helpers';
import { cleanupRoot, configFiles, domainXml, newRoot, openEmbed, rejection } from './driver-helpers';

const UUID = '0d7e3c1a-55b2-4f8e-9a61-3c2b1d0e9f77';

describe('QEMU driver refusals', () => {
  let root: string;
  let conn: Connect;

  beforeAll(async () => {
    root = newRoot();
    conn = await openEmbed(root);
  });

  afterAll(async () => {
    await cleanupRoot(root, conn);
  });

  /** Everything under the config dir, to prove a refusal wrote nothing. */
  const etcListing = () => (fs.existsSync(path.join(root, 'etc')) ? fs.readdirSync(path.join(root, 'etc'), { recursive: true }) : []);

  it('refuses hostile names and malformed XML without writing a file', async () => {
    const before = etcListing();
    for (const name of ['../x', 'a/b']) {
      const e = (await rejection(conn.defineXML(domainXml(name)))) as VirError;
      expect(e.code).toBe(ErrorNumber.VIR_ERR_XML_ERROR);
      expect(e.message).toBe(`XML error: name ${name} cannot contain '/'`);
    }
    const bad = (await rejection(conn.defineXML("<domain type='qemu'><name>bad"))) as VirError;
    expect(bad.code).toBe(ErrorNumber.VIR_ERR_XML_ERROR);
    const transient = (await rejection(conn.createXML(domainXml('../y')))) as VirError;
    expect(transient.code).toBe(ErrorNumber.VIR_ERR_XML_ERROR);
    expect(etcListing()).toEqual(before);
    expect(fs.existsSync(path.join(root, 'x.xml'))).toBe(false);
    expect(fs.readdirSync(path.join(root, 'run')).filter((f) => f.endsWith('.json'))).toEqual([]);
  });

  testUnless(kvmUsable() ? '/dev/kvm is usable here, and the refusal only exists without it' : null)(
    "refuses virt type kvm when KVM is not available, with libvirt's text",
    async () => {
      const e = (await rejection(conn.defineXML(domainXml('kvm1', { type: 'kvm' })))) as VirError;
      expect(e.code).toBe(ErrorNumber.VIR_ERR_CONFIG_UNSUPPORTED);
      expect(e.message).toBe(`unsupported configuration: Emulator '${QEMU}' does not support virt type 'kvm'`);
      expect(configFiles(root)).toEqual([]);
    },
  );

  it("applies libvirt's name and UUID clash rules", async () => {
    const first = await conn.defineXML(domainXml('clash', { uuid: UUID }));
    const sameName = (await rejection(conn.defineXML(domainXml('clash')))) as VirError;
    expect(sameName.code).toBe(ErrorNumber.VIR_ERR_OPERATION_FAILED);
    expect(sameName.message).toBe(`operation failed: domain 'clash' already exists with uuid ${UUID}`);
    const sameUuid = (await rejection(conn.defineXML(domainXml('other', { uuid: UUID })))) as VirError;
    expect(sameUuid.message).toBe(`operation failed: domain 'clash' is already defined with uuid ${UUID}`);
    // Redefining the same name and UUID updates the definition.
    const updated = await conn.defineXML(domainXml('clash', { uuid: UUID }).replace('<vcpu>1</vcpu>', '<vcpu>2</vcpu>'));
    expect((await updated.getInfo()).nrVirtCpu).toBe(2);
    expect(fs.readFileSync(path.join(root, 'etc', 'clash.xml'), 'utf8')).toContain("<vcpu placement='static'>2</vcpu>");
    await first.undefine();
  });

  it('refuses state changes of a domain that is not running', async () => {
    const dom = await conn.defineXML(domainXml('idle'));
    for (const call of [
      () => dom.destroy(),
      () => dom.suspend(),
      () => dom.resume(),
      () => dom.shutdown(),
      () => dom.reboot(),
      () => dom.reset(),
    ]) {
      const e = (await rejection(call())) as VirError;
      expect(e.code).toBe(ErrorNumber.VIR_ERR_OPERATION_INVALID);
      expect(e.message).toBe('Requested operation is not valid: domain is not running');
    }
    // INITCTL is a libvirt shutdown method the QEMU driver does not offer.
    const flags = (await rejection(dom.shutdownFlags(4))) as VirError;
    expect(flags.code).toBe(ErrorNumber.VIR_ERR_INVALID_ARG);
    expect(flags.message).toBe('unsupported flags (0x4) in function qemuDomainShutdownFlags');
    await dom.undefine();
  });

  it('refuses writes on a read-only connection', async () => {
    const ro = await openEmbed(root, true);
    const e = (await rejection(ro.defineXML(domainXml('ro')))) as VirError;
    expect(e.code).toBe(ErrorNumber.VIR_ERR_OPERATION_DENIED);
    expect(e.message).toBe('operation forbidden: read only access prevents virDomainDefineXML');
    expect(await ro.getType()).toBe('QEMU');
    await ro.close();
    expect(configFiles(root)).toEqual([]);
  });

  it('refuses URIs libvirt refuses', async () => {
    const other = (await rejection(open('qemu:///other'))) as VirError;
    expect(other.code).toBe(ErrorNumber.VIR_ERR_INTERNAL_ERROR);
    expect(other.message).toBe("internal error: unexpected qemu URI path '/other', try qemu:///system");
    expect(((await rejection(open('qemu:///embed'))) as VirError).message).toBe("invalid argument: Missing URI parameter 'root'");
    expect(((await rejection(open('qemu:///embed?root=rel'))) as VirError).message).toBe(
      'unsupported configuration: root path must be absolute',
    );
  });

  it('qemu:///session keeps its files under the XDG directories', async () => {
    const vars = ['XDG_CONFIG_HOME', 'XDG_DATA_HOME', 'XDG_CACHE_HOME', 'XDG_RUNTIME_DIR'] as const;
    const saved = vars.map((v) => process.env[v]);
    const home = path.join(root, 'home');
    vars.forEach((v) => (process.env[v] = path.join(home, v.toLowerCase())));
    try {
      const session = await open('qemu:///session');
      const dom = await session.defineXML(domainXml('sess'));
      expect(fs.existsSync(path.join(home, 'xdg_config_home', 'virtkit', 'qemu', 'sess.xml'))).toBe(true);
      expect(fs.existsSync(path.join(home, 'xdg_runtime_dir', 'virtkit', 'qemu', '.driver.pid'))).toBe(true);
      await dom.undefine();
      await session.close();
    } finally {
      vars.forEach((v, i) => (saved[i] === undefined ? delete process.env[v] : (process.env[v] = saved[i])));
    }
  });

  it('describes the host and the emulator', async () => {
    expect(await conn.getType()).toBe('QEMU');
    const m = /version (\d+)\.(\d+)\.(\d+)/.exec(execFileSync(QEMU, ['--version'], { encoding: 'utf8' }))!;
    expect(await conn.getVersion()).toBe(Number(m[1]) * 1e6 + Number(m[2]) * 1e3 + Number(m[3]));
    expect(await conn.getHostname()).toBe(os.hostname());
    const info = await conn.getInfo();
    expect(info.cpus).toBe(os.cpus().length);
    expect(info.memory).toBe(Number(/MemTotal:\s+(\d+)/.exec(fs.readFileSync('/proc/meminfo', 'utf8'))![1]));
    expect(info.nodes * info.sockets * info.cores * info.threads).toBe(info.cpus);
    const caps = await conn.getCapabilities();
    expect(caps).toContain(`<emulator>${QEMU}</emulator>`);
    expect(caps).toContain("<domain type='qemu'/>");
    expect(caps).toMatch(/<machine canonical='pc-i440fx-\d+\.\d+' maxCpus='255'>pc<\/machine>/);
    const dc = await conn.getDomainCapabilities(null, null, null, 'qemu');
    expect(dc).toContain(`<path>${QEMU}</path>`);
    expect(dc).toMatch(/<machine>pc-i440fx-\d+\.\d+<\/machine>/);
    expect(dc).toContain("<model usable='yes'>qemu64</model>");
    const q35 = await conn.getDomainCapabilities(null, 'x86_64', 'q35', 'qemu');
    expect(q35).toMatch(/<machine>pc-q35-\d+\.\d+<\/machine>/);
    if (!kvmUsable()) {
      const e = (await rejection(conn.getDomainCapabilities(null, null, null, 'kvm'))) as VirError;
      expect(e.message).toBe(`unsupported configuration: KVM is not supported by '${QEMU}' on this host`);
    }
  });
});
