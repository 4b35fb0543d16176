/**
 * Malformed UTF-8 in a name on the wire is refused (VIR_ERR_RPC, "Unable to decode message
 * payload"), never replaced with U+FFFD: otherwise "a\xff" would find the domain named "a\ufffd".
 */
import { ErrorNumber } from '@virtkit/core';
import { PROCEDURES, type FieldLayout } from '@virtkit/protocol';
import { RawClient, startDaemon, type RunningDaemon } from '@virtkit/testkit';

const OPEN: FieldLayout = [
  ['name', 'string?'],
  ['flags', 'uint'],
];
const proc = (spi: string) => PROCEDURES.find((x) => x.spi === spi && x.program === 'remote')!;
const LOOKUP = proc('domainLookupByName');
const DEFINE = proc('domainDefineXML');
/** The name as raw bytes: same wire form as `string`, without our encoder's UTF-8 check. */
const RAW_NAME: FieldLayout = [['name', 'opaque<1024>']];

describe('strict UTF-8 in strings over the wire', () => {
  let daemon: RunningDaemon;
  beforeAll(async () => {
    daemon = await startDaemon(['--config', '/dev/null']);
  });
  afterAll(async () => {
    expect(await daemon?.stop()).toBe(0);
  });

  test("a name with malformed UTF-8 is refused with libvirt's decode error; the connection carries on", async () => {
    const c = new RawClient(daemon.sock);
    await c.connected();
    expect((await c.call(1, OPEN, { name: 'test:///default', flags: 0 })).err).toBeUndefined();
    const xml = `<domain type='test'><name>a\ufffd</name><memory>1024</memory><os><type>hvm</type></os></domain>`;
    expect((await c.call(DEFINE.proc, DEFINE.args as FieldLayout, { xml }, DEFINE.ret as FieldLayout)).err).toBeUndefined();

    for (const bad of [
      [0x61, 0xff],
      [0x61, 0xfe],
      [0x61, 0xc3, 0x28],
    ]) {
      const r = await c.call(LOOKUP.proc, RAW_NAME, { name: Buffer.from(bad) }, LOOKUP.ret as FieldLayout);
      expect(r.err).toMatchObject({ code: ErrorNumber.VIR_ERR_RPC, message: 'Unable to decode message payload' });
    }
    const good = await c.call(LOOKUP.proc, RAW_NAME, { name: Buffer.from('a\ufffd') }, LOOKUP.ret as FieldLayout);
    expect((good.ok!.dom as { name: string }).name).toBe('a\ufffd');
    c.close();
  });
});
