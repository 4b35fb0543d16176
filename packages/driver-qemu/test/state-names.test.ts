/**
 * State files on qemu:///embed for any legal name (issue 12, item 5): the hostile-name set
 * survives a driver restart with identical XML; config files stay valid XML; a corrupt or empty
 * file is logged and counted, not skipped silently; temp files of a writer that died are removed
 * at start-up; roots in the unescaped layout still load; a domain named `..` owns only its own
 * snapshot directory.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DomainSnapshotCreateFlags, DomainUndefineFlags, DomainXMLFlags, ErrorNumber, type Connect, type VirError } from '@virtkit/core';
import { cleanupRoot, configFiles, driverOf, newRoot, openEmbed, rejection } from './driver-helpers';
import { HOSTILE_NAMES, hostileDomainXml, xmlText } from '@virtkit/testkit';
import { parseXml } from '@virtkit/xml';

const INACTIVE = DomainXMLFlags.VIR_DOMAIN_XML_INACTIVE;

/** Open, run `fn`, close: the last close ends the driver instance, so the next open loads from disk. */
async function withDriver<T>(root: string, fn: (conn: Connect) => Promise<T>): Promise<T> {
  const conn = await openEmbed(root);
  try {
    return await fn(conn);
  } finally {
    await conn.close();
  }
}

/** What a driver instance logs to stderr while opening (libvirt logs load failures there too). */
async function stderrOfOpen(root: string): Promise<{ lines: string; problems: string[]; removed: string[] }> {
  const chunks: string[] = [];
  const spy = jest.spyOn(process.stderr, 'write').mockImplementation((c: string | Uint8Array) => {
    chunks.push(String(c));
    return true;
  });
  try {
    return await withDriver(root, async (conn) => {
      const report = driverOf(conn).loadReport;
      return { lines: chunks.join(''), problems: report.problems.map((p) => p.file), removed: report.removedTempFiles };
    });
  } finally {
    spy.mockRestore();
  }
}

/** Temp files left the way a writer killed between write and rename leaves them (a real process, killed). */
function leaveTempFilesOfDeadWriter(dirs: string[]): string[] {
  for (const d of dirs) fs.mkdirSync(d, { recursive: true });
  const script =
    `const { tempFileIn } = require(${JSON.stringify(path.join(__dirname, '../src/state/temp-files'))});` +
    `for (const d of ${JSON.stringify(dirs)}) { const f = tempFileIn(d); require('fs').writeFileSync(f, '<domain'); console.log(f); }` +
    `process.kill(process.pid, 'SIGKILL');`;
  const r = spawnSync(process.execPath, ['--import', 'tsx', '-e', script], { cwd: path.resolve(__dirname, '../../..'), encoding: 'utf8' });
  expect(r.signal).toBe('SIGKILL');
  const files = r.stdout.trim().split('\n');
  for (const f of files) expect(fs.existsSync(f)).toBe(true);
  return files;
}

describe('QEMU driver state files for any legal name', () => {
  let root: string;
  beforeEach(() => {
    root = newRoot();
  });
  afterEach(async () => {
    await cleanupRoot(root);
  });

  test('every name of the hostile set survives a restart with identical XML, in valid XML files', async () => {
    const before = await withDriver(root, async (conn) => {
      const out = new Map<string, string>();
      for (const [i, [name]] of HOSTILE_NAMES.entries()) {
        const dom = await conn.defineXML(hostileDomainXml(name, i));
        out.set(name, await dom.getXMLDesc(INACTIVE));
      }
      return out;
    });
    const files = fs.readdirSync(path.join(root, 'etc')).filter((f) => f.endsWith('.xml'));
    expect(files).toHaveLength(HOSTILE_NAMES.length);
    for (const f of files) {
      expect(f.startsWith('.')).toBe(false);
      expect(Buffer.byteLength(f)).toBeLessThanOrEqual(255);
      const text = fs.readFileSync(path.join(root, 'etc', f), 'utf8');
      expect(() => parseXml(text)).not.toThrow();
      // libvirt's rule: the name when shell-safe and comment-safe, else the UUID.
      expect(text).toMatch(/^ {2}virsh edit (\S+)$/m);
    }
    expect(fs.readFileSync(path.join(root, 'etc', 'a--b.xml'), 'utf8')).toContain('virsh edit 00000000-0000-4000-8000-000000000001\n');
    expect(fs.readFileSync(path.join(root, 'etc', '%2Ehidden.xml'), 'utf8')).toContain('virsh edit .hidden\n');

    const after = await withDriver(root, async (conn) => {
      const out = new Map<string, string>();
      for (const d of await conn.listAllDomains(0)) out.set(d.getName(), await d.getXMLDesc(INACTIVE));
      return out;
    });
    expect([...after.keys()].sort()).toEqual(HOSTILE_NAMES.map(([n]) => n).sort());
    for (const [name, xml] of before) expect(after.get(name)).toBe(xml);
  });

  test('a newline or a slash in a name is refused before anything is written', async () => {
    await withDriver(root, async (conn) => {
      for (const name of ['new\nline', 'a/b']) {
        const e = (await rejection(conn.defineXML(hostileDomainXml(name, 1)))) as VirError;
        expect(e.code).toBe(ErrorNumber.VIR_ERR_XML_ERROR);
      }
    });
    expect(configFiles(root)).toEqual([]);
  });

  test('a corrupt, an empty and a misnamed config file are each logged and counted; the rest loads', async () => {
    await withDriver(root, (conn) => conn.defineXML(hostileDomainXml('good', 1)));
    const etc = path.join(root, 'etc');
    fs.writeFileSync(path.join(etc, 'corrupt.xml'), '<domain type="qemu"><name>corrupt</name');
    fs.writeFileSync(path.join(etc, 'empty.xml'), '');
    fs.writeFileSync(path.join(etc, 'other.xml'), hostileDomainXml('not-other', 2));
    const { lines, problems } = await stderrOfOpen(root);
    for (const f of ['corrupt.xml', 'empty.xml', 'other.xml']) {
      expect(problems).toContain(path.join(etc, f));
      expect(lines).toMatch(new RegExp(`error : Failed to load state file '${path.join(etc, f)}': .+\\n`));
    }
    expect(lines).toContain(`'${path.join(etc, 'empty.xml')}': empty file`);
    await withDriver(root, async (conn) => expect((await conn.listAllDomains(0)).map((d) => d.getName())).toEqual(['good']));
  });

  test("temp files of a writer that died are removed at start-up; a live writer's stays", async () => {
    await withDriver(root, (conn) => conn.defineXML(hostileDomainXml('vm', 1)));
    const stale = leaveTempFilesOfDeadWriter([path.join(root, 'etc'), path.join(root, 'run'), path.join(root, 'lib', 'snapshot', 'vm')]);
    const live = path.join(root, 'etc', `.vk-tmp.1.livewriter`); // pid 1 is alive
    fs.writeFileSync(live, '');
    const removed = await withDriver(root, async (conn) => {
      await (await conn.lookupByName('vm')).listAllSnapshots(0); // loads the snapshot directory
      return driverOf(conn).loadReport.removedTempFiles;
    });
    expect([...removed].sort()).toEqual(stale.sort());
    for (const f of stale) expect(fs.existsSync(f)).toBe(false);
    expect(fs.existsSync(live)).toBe(true);
  });

  test('a root written in the unescaped layout still loads, renamed into the escaped one', async () => {
    const etc = path.join(root, 'etc');
    fs.mkdirSync(etc, { recursive: true });
    const legacy: Array<[string, string]> = [
      ['.hidden', '.hidden.xml'],
      ['%2E', '%2E.xml'],
      ['vm1', 'vm1.xml'],
    ];
    // No emulator to run: the autostart link must be found again, the start it asks for fails at once.
    const noEmulator = (xml: string) => xml.replace('</os>', '</os><devices><emulator>/nonexistent/qemu</emulator></devices>');
    for (const [i, [name, file]] of legacy.entries()) fs.writeFileSync(path.join(etc, file), noEmulator(hostileDomainXml(name, i)));
    fs.mkdirSync(path.join(etc, 'autostart'));
    fs.symlinkSync(path.join(etc, '.hidden.xml'), path.join(etc, 'autostart', '.hidden.xml'));
    await withDriver(root, async (conn) => {
      expect((await conn.listAllDomains(0)).map((d) => d.getName()).sort()).toEqual(['%2E', '.hidden', 'vm1']);
      expect(await (await conn.lookupByName('.hidden')).getAutostart()).toBe(true);
      expect(await (await conn.lookupByName('%2E')).getAutostart()).toBe(false);
    });
    expect(
      fs
        .readdirSync(etc)
        .filter((f) => f.endsWith('.xml'))
        .sort(),
    ).toEqual(['%252E.xml', '%2Ehidden.xml', 'vm1.xml']);
    expect(fs.readdirSync(path.join(etc, 'autostart'))).toEqual(['%2Ehidden.xml']);
    expect(fs.readlinkSync(path.join(etc, 'autostart', '%2Ehidden.xml'))).toBe(path.join(etc, '%2Ehidden.xml'));
  });

  test('a domain named ".." keeps its snapshot metadata in its own directory, and undefine removes only that', async () => {
    const REDEFINE = DomainSnapshotCreateFlags.VIR_DOMAIN_SNAPSHOT_CREATE_REDEFINE;
    await withDriver(root, async (conn) => {
      for (const [i, name] of ['..', 'neighbour'].entries()) {
        const dom = await conn.defineXML(hostileDomainXml(name, i));
        const domXml = await dom.getXMLDesc(INACTIVE);
        await dom.snapshotCreateXML(
          `<domainsnapshot><name>s-${xmlText(name)}</name><state>shutoff</state><creationTime>1000</creationTime>${domXml}</domainsnapshot>`,
          REDEFINE,
        );
      }
      expect(fs.readdirSync(path.join(root, 'lib', 'snapshot')).sort()).toEqual(['%2E.', 'neighbour']);
      await (await conn.lookupByName('..')).undefineFlags(DomainUndefineFlags.VIR_DOMAIN_UNDEFINE_SNAPSHOTS_METADATA);
    });
    expect(fs.readdirSync(path.join(root, 'lib', 'snapshot'))).toEqual(['neighbour']);
    await withDriver(root, async (conn) => {
      const snaps = await (await conn.lookupByName('neighbour')).listAllSnapshots(0);
      expect(snaps.map((s) => s.getName())).toEqual(['s-neighbour']);
    });
  });
});
