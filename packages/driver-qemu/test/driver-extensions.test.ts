/** The plug-in points other modules use: hooks, per-domain state, saveDef, connection and driver extensions. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ConnectListAllDomainsFlags as L, ErrorDomain, VirError, type Connect } from '@virtkit/core';
import { connectionExtensions, driverExtensions, type QemuDomainObj } from '../src';
import { cleanupRoot, domainXml, driverOf, newRoot, openEmbed, rejection } from './driver-helpers';

describe('QEMU driver extension points', () => {
  let root: string;
  let conn: Connect;
  const seen: string[] = [];
  /** A stand-in for a snapshot module's per-domain state. */
  const snapshotsOf = (obj: QemuDomainObj) => obj.extension('stand-in-snapshots', () => ({ count: 0 }));

  beforeAll(async () => {
    driverExtensions.push((d) =>
      d.addHooks({
        started: (obj) => seen.push(`started ${obj.name} ${obj.monitor().closed ? 'closed' : 'open'}`),
        stopped: (obj, reason) => seen.push(`stopped ${obj.name} ${reason}`),
        beforeUndefine: async (obj, flags) => {
          const n = snapshotsOf(obj).count;
          if (n > 0 && !(flags & 2 /* SNAPSHOTS_METADATA */)) {
            throw VirError.operationInvalid(`cannot delete inactive domain with ${n} snapshots`, ErrorDomain.VIR_FROM_QEMU);
          }
        },
        listFacts: (obj) => ({ hasSnapshot: snapshotsOf(obj).count > 0 }),
      }),
    );
    connectionExtensions.push((d) => ({ connectGetMaxVcpus: async () => (await d.caps()).machines.tcg[0]!.maxCpus }));
    root = newRoot();
    conn = await openEmbed(root);
  });

  afterAll(async () => {
    driverExtensions.length = 0;
    connectionExtensions.length = 0;
    await cleanupRoot(root, conn);
  });

  it('hooks see starts and stops, veto undefine and feed the list filters', async () => {
    const dom = await conn.defineXML(domainXml('ext'));
    const obj: QemuDomainObj = driverOf(conn).domains.findByName('ext')!;
    snapshotsOf(obj).count = 1;
    expect((await conn.listAllDomains(L.VIR_CONNECT_LIST_DOMAINS_HAS_SNAPSHOT)).map((d) => d.getName())).toEqual(['ext']);
    await dom.create();
    await dom.destroy();
    expect(seen).toEqual(['started ext open', 'stopped ext 2']);
    const refused = (await rejection(dom.undefine())) as VirError;
    expect(refused.message).toBe('Requested operation is not valid: cannot delete inactive domain with 1 snapshots');
    expect(fs.existsSync(path.join(root, 'etc', 'ext.xml'))).toBe(true);
    await dom.undefineFlags(2 /* SNAPSHOTS_METADATA */);
    expect(fs.existsSync(path.join(root, 'etc', 'ext.xml'))).toBe(false);
  });

  it('saveDef stores a changed live definition in the status file and a persistent one in the config', async () => {
    const dom = await conn.defineXML(domainXml('saved'));
    await dom.create();
    const driver = driverOf(conn);
    const obj = driver.domains.findByName('saved')!;
    obj.liveDef!.description = 'changed live';
    await driver.saveDef(obj, obj.liveDef!);
    const status = JSON.parse(fs.readFileSync(path.join(root, 'run', 'saved.json'), 'utf8')) as { xml: string };
    expect(status.xml).toContain('<description>changed live</description>');
    expect(await dom.getXMLDesc()).toContain('<description>changed live</description>');
    obj.persistentDef!.description = 'changed config';
    await driver.saveDef(obj, obj.persistentDef!);
    expect(fs.readFileSync(path.join(root, 'etc', 'saved.xml'), 'utf8')).toContain('<description>changed config</description>');
    await dom.destroy();
    await dom.undefine();
  });

  it('connection extensions add SPI methods', async () => {
    expect(await conn.getMaxVcpus(null)).toBe(255);
  });
});
