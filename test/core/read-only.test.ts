/**
 * Read-only connections in process: write calls and read-write-only flags are refused before
 * the driver sees them, with the code, domain and text real libvirt's client library gives.
 */
import { execFileSync } from 'node:child_process';
import { DomainXMLFlags, open, type VirError } from '@virtkit/core';
import { PYTHON, testIf } from '@virtkit/testkit';

/** [code, domain, message] of each refusal, from libvirt-python on a read-only test:///default. */
function libvirtRefusals(): Array<[number, number, string]> {
  const script = `import libvirt, json
libvirt.registerErrorHandler(lambda *a: None, None)
c = libvirt.openReadOnly("test:///default")
d = c.lookupByName("test")
out = []
for f in (lambda: d.XMLDesc(libvirt.VIR_DOMAIN_XML_SECURE), lambda: d.destroy(), lambda: c.defineXML("<domain/>")):
    try:
        f()
    except libvirt.libvirtError as e:
        out.append([e.get_error_code(), e.get_error_domain(), str(e)])
print(json.dumps(out))`;
  return JSON.parse(execFileSync(PYTHON, ['-c', script], { encoding: 'utf8' }));
}

testIf('libvirt-python')('refuses the secure flag and write calls as libvirt does', async () => {
  const conn = await open('test:///default', { readOnly: true });
  const dom = await conn.lookupByName('test');
  expect(await dom.getXMLDesc(DomainXMLFlags.VIR_DOMAIN_XML_INACTIVE)).toContain('<name>test</name>');
  const ours: Array<[number, number, string]> = [];
  for (const call of [() => dom.getXMLDesc(DomainXMLFlags.VIR_DOMAIN_XML_SECURE), () => dom.destroy(), () => conn.defineXML('<domain/>')]) {
    const e = (await call().then(
      () => null,
      (x: unknown) => x,
    )) as VirError | null;
    ours.push(e ? [e.code, e.domain, e.message] : [0, 0, 'no error']);
  }
  expect(ours).toEqual(libvirtRefusals());
  await conn.close();
});
