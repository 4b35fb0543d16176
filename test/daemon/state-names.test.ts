/**
 * virtkitd keeps every domain of the hostile-name set across a restart (issue 12, item 5):
 * defined through the daemon, read back through a new daemon process with identical XML. A
 * corrupt and an empty config file appear in the new daemon's log; a temp file of a dead writer
 * is gone after it starts.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DomainXMLFlags, open } from '@virtkit/core';
import { HOSTILE_NAMES, hostileDomainXml } from '@virtkit/testkit';
import { startDaemon, type RunningDaemon } from '@virtkit/testkit';

const INACTIVE = DomainXMLFlags.VIR_DOMAIN_XML_INACTIVE;

describe('virtkitd state files for any legal name', () => {
  let work: string;
  const daemons: RunningDaemon[] = [];
  beforeAll(() => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'vk-names-'));
  });
  afterAll(async () => {
    for (const d of daemons) {
      await d.stop();
      fs.rmSync(d.dir, { recursive: true, force: true });
    }
    fs.rmSync(work, { recursive: true, force: true });
  });

  async function daemonOn(root: string): Promise<{ uri: string; daemon: RunningDaemon }> {
    const daemon = await startDaemon(['--qemu-root', root]);
    daemons.push(daemon);
    return { uri: `qemu+unix:///system?socket=${daemon.sock}`, daemon };
  }

  test('the hostile-name set survives a daemon restart with identical XML; load failures are logged', async () => {
    const root = path.join(work, 'root');
    const first = await daemonOn(root);
    const conn = await open(first.uri);
    const before = new Map<string, string>();
    for (const [i, [name]] of HOSTILE_NAMES.entries()) {
      before.set(name, await (await conn.defineXML(hostileDomainXml(name, i))).getXMLDesc(INACTIVE));
    }
    await conn.close();
    expect(await first.daemon.stop()).toBe(0);

    const etc = path.join(root, 'etc');
    fs.writeFileSync(path.join(etc, 'corrupt.xml'), '<domain type="qemu"><name>corrupt');
    fs.writeFileSync(path.join(etc, 'empty.xml'), '');
    const deadPid = 2 ** 22 + 1; // above pid_max: no such process
    const temp = path.join(etc, `.vk-tmp.${deadPid}.abc123`);
    fs.writeFileSync(temp, '<domain');

    const second = await daemonOn(root);
    const again = await open(second.uri);
    const after = new Map<string, string>();
    for (const d of await again.listAllDomains(0)) after.set(d.getName(), await d.getXMLDesc(INACTIVE));
    await again.close();
    expect([...after.keys()].sort()).toEqual(HOSTILE_NAMES.map(([n]) => n).sort());
    for (const [name, xml] of before) expect(after.get(name)).toBe(xml);

    const log = second.daemon.stderr();
    expect(log).toContain(`error : Failed to load state file '${path.join(etc, 'corrupt.xml')}'`);
    expect(log).toContain(`error : Failed to load state file '${path.join(etc, 'empty.xml')}': empty file`);
    expect(log).toContain(`warning : Removed '${temp}', left by an interrupted write`);
    expect(fs.existsSync(temp)).toBe(false);
  });
});
