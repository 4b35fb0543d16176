/**
 * Real virsh against virtkitd serving `xen:///system`. No Xen hypervisor runs on this kernel, so
 * the daemon's Xen driver drives the xl STAND-IN (packages/driver-xen/test/xl-stand-in/xl), which
 * prints what xl 4.17 prints. The conversions are libvirt's corpus, both ways; the lifecycle is
 * checked against the text virsh prints for libvirt's libxl driver.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describeIf, startDaemon, virsh, type RunningDaemon } from '@virtkit/testkit';

const ROOT = path.resolve(__dirname, '..', '..');
const CORPUS = path.join(ROOT, 'test', 'fixtures', 'corpus', 'xlconfig');
const STAND_IN = path.join(ROOT, 'packages', 'driver-xen', 'test', 'xl-stand-in', 'xl');

interface XlCase {
  name: string;
  directions: Set<string>;
  notes: Set<string>;
}

function cases(): XlCase[] {
  return fs
    .readFileSync(path.join(CORPUS, 'cases.tsv'), 'utf8')
    .split('\n')
    .filter((l) => l && !l.startsWith('#'))
    .map((l) => l.split('\t'))
    .map(([name, directions, notes]) => ({ name, directions: new Set(directions.split(',')), notes: new Set(notes.split(',')) }));
}

describeIf('virsh')('virsh against virtkitd on the Xen driver (xl stand-in)', () => {
  let daemon: RunningDaemon;
  let work: string;
  let uri: string;
  const run = (...args: string[]) => virsh(['-c', uri, ...args], work);

  beforeAll(async () => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'virsh-xen-'));
    daemon = await startDaemon([], {
      VIRTKIT_XEN_ROOT: path.join(work, 'xen'),
      VIRTKIT_XL: STAND_IN,
      VIRTKIT_XENSTORE_READ: path.join(path.dirname(STAND_IN), 'xenstore-read'),
      XL_STAND_IN_STATE: path.join(work, 'xl.json'),
    });
    uri = `xen+unix:///system?socket=${daemon.sock}`;
  }, 60_000);

  afterAll(async () => {
    await daemon?.stop();
    fs.rmSync(work, { recursive: true, force: true });
  });

  it('converts libvirt xlconfig corpus both ways, byte for byte', () => {
    const wrong: string[] = [];
    for (const c of cases()) {
      const cfgFile = path.join(CORPUS, `${c.name}.cfg`);
      let xml = fs.readFileSync(path.join(CORPUS, `${c.name}.xml`), 'utf8');
      if (c.notes.has('replace-firmware-dir')) xml = xml.replaceAll('/LIBXL_FIRMWARE_DIR', '/usr/lib/xen/boot');
      const xmlFile = path.join(work, `${c.name}.xml`);
      fs.writeFileSync(xmlFile, xml);
      if (c.directions.has('cfg2xml') && run('domxml-from-native', 'xen-xl', cfgFile).out !== `${xml}\n`) wrong.push(`${c.name} cfg2xml`);
      const cfg = fs.readFileSync(cfgFile, 'utf8');
      if (c.directions.has('xml2cfg') && run('domxml-to-native', 'xen-xl', '--xml', xmlFile).out !== `${cfg}\n`)
        wrong.push(`${c.name} xml2cfg`);
    }
    expect(wrong).toEqual([]);
  }, 300_000);

  it('names an unsupported native format as libvirt does', () => {
    const r = run('domxml-from-native', 'xen-sxpr', path.join(CORPUS, 'channel-pty.cfg'));
    expect(r.status).toBe(1);
    expect(r.out).toBe('error: invalid argument: unsupported config type xen-sxpr\n\n');
  });

  it('runs a domain through define, start, suspend, resume, destroy and undefine', () => {
    const xml = path.join(work, 'pv.xml');
    fs.writeFileSync(
      xml,
      "<domain type='xen'><name>pv</name><uuid>4f1a1ee7-5b55-4c2b-a1c1-7d8f0e2f6a01</uuid><memory unit='MiB'>128</memory>" +
        "<vcpu>1</vcpu><os><type arch='x86_64' machine='xenpv'>xen</type><kernel>/boot/vmlinuz</kernel></os></domain>\n",
    );
    expect(run('define', xml).out).toBe(`Domain 'pv' defined from ${xml}\n\n`);
    expect(run('start', 'pv').out).toBe("Domain 'pv' started\n\n");
    expect(run('list').out).toBe(' Id   Name   State\n----------------------\n 1    pv     running\n\n');
    expect(run('suspend', 'pv').out).toBe("Domain 'pv' suspended\n\n");
    expect(run('domstate', 'pv', '--reason').out).toBe('paused (user)\n\n');
    expect(run('resume', 'pv').out).toBe("Domain 'pv' resumed\n\n");
    expect(run('domstate', 'pv', '--reason').out).toBe('running (unpaused)\n\n');
    expect(run('domjobinfo', 'pv').out).toBe('Job type:         None        \n\n');
    // virsh console wants a terminal: `script` gives it one; ^] ends the session. The stand-in's guest echoes.
    const session = spawnSync(
      'sh',
      ['-c', `(sleep 2; printf 'hello-xen\\r'; sleep 2; printf '\\035') | script -qec "virsh -c '${uri}' console pv" /dev/null`],
      { encoding: 'utf8', timeout: 30_000 },
    );
    expect(session.stdout).toContain("Connected to domain 'pv'");
    expect(session.stdout).toContain('pv console (xenconsoled stand-in)');
    expect(session.stdout).toContain('hello-xen');
    expect(run('destroy', 'pv').out).toBe("Domain 'pv' destroyed\n\n");
    expect(run('domstate', 'pv', '--reason').out).toBe('shut off (destroyed)\n\n');
    expect(run('undefine', 'pv').out).toBe("Domain 'pv' has been undefined\n\n");
    expect(run('list', '--all').out).toBe(' Id   Name   State\n--------------------\n\n');
  }, 120_000);
});
