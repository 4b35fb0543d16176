/**
 * The library-side checks of the migrate calls (virDomainMigrate*, run in the client as libvirt
 * does): exclusive storage flags, tunnelling without peer-to-peer, "direct" migration and
 * read-only connections are refused before any driver step, with the code, domain and text of
 * libvirt's own client library (libvirt-python on test:///default).
 */
import { execFileSync } from 'node:child_process';
import { DomainMigrateFlags as F, open, type VirError } from '@virtkit/core';
import { PYTHON, testIf } from '@virtkit/testkit';

function libvirtRefusals(): Array<[number, number, string]> {
  const script = `import libvirt, json
libvirt.registerErrorHandler(lambda *a: None, None)
c = libvirt.open("test:///default")
d = c.lookupByName("test")
ro = libvirt.openReadOnly("test:///default").lookupByName("test")
out = []
for f in (lambda: d.migrate(c, libvirt.VIR_MIGRATE_NON_SHARED_DISK | libvirt.VIR_MIGRATE_NON_SHARED_INC, None, None, 0),
          lambda: d.migrate(c, libvirt.VIR_MIGRATE_TUNNELLED, None, None, 0),
          lambda: d.migrateToURI("tcp:elsewhere", libvirt.VIR_MIGRATE_LIVE, None, 0),
          lambda: ro.migrateToURI3("qemu+tcp://elsewhere/system", {}, libvirt.VIR_MIGRATE_PEER2PEER)):
    try:
        f()
        out.append(None)
    except libvirt.libvirtError as e:
        out.append([e.get_error_code(), e.get_error_domain(), str(e)])
print(json.dumps(out))`;
  return JSON.parse(execFileSync(PYTHON, ['-c', script], { encoding: 'utf8' }));
}

testIf('libvirt-python')('refuses what libvirt refuses before migrating, with its errors', async () => {
  const conn = await open('test:///default');
  const ro = await open('test:///default', { readOnly: true });
  try {
    const dom = await conn.lookupByName('test');
    const roDom = await ro.lookupByName('test');
    const calls = [
      () => dom.migrate(conn, null, null, 0, F.VIR_MIGRATE_NON_SHARED_DISK | F.VIR_MIGRATE_NON_SHARED_INC),
      () => dom.migrate(conn, null, null, 0, F.VIR_MIGRATE_TUNNELLED),
      () => dom.migrateToURI('tcp:elsewhere', null, 0, F.VIR_MIGRATE_LIVE),
      () => roDom.migrateToURI3('qemu+tcp://elsewhere/system', {}, F.VIR_MIGRATE_PEER2PEER),
    ];
    const ours: Array<[number, number, string] | null> = [];
    for (const call of calls) {
      try {
        await call();
        ours.push(null);
      } catch (e) {
        const err = e as VirError;
        ours.push([err.code, err.domain, err.message]);
      }
    }
    expect(ours).toEqual(libvirtRefusals());
  } finally {
    await conn.close();
    await ro.close();
  }
});
