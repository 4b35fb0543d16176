/** The size argument of the legacy list calls, refused by virtkitd as libvirtd refuses it. */
import * as fs from 'node:fs';
import { PROCEDURES, type FieldLayout } from '@virtkit/protocol';
import { LIST_BOUNDS, listSizeArgument } from '../src/list-bounds';
import { RawClient, startDaemon, type RunningDaemon } from '@virtkit/testkit';

const OPEN: FieldLayout = [
  ['name', 'string?'],
  ['flags', 'uint'],
];

test('every procedure with a list size argument has its bound recorded', () => {
  const sized = PROCEDURES.filter((p) => listSizeArgument(p))
    .map((p) => p.c)
    .sort();
  expect(sized).toEqual(Object.keys(LIST_BOUNDS).sort());
});

describe('LIST_DOMAINS and LIST_DEFINED_DOMAINS', () => {
  let daemon: RunningDaemon;
  let client: RawClient;
  beforeAll(async () => {
    daemon = await startDaemon(['--config', '/dev/null']);
    client = new RawClient(daemon.sockRo);
    await client.connected();
    expect((await client.call(1, OPEN, { name: 'test:///default', flags: 0 })).err).toBeUndefined();
  });
  afterAll(async () => {
    client?.close();
    expect(await daemon?.stop()).toBe(0);
    fs.rmSync(daemon.dir, { recursive: true, force: true });
  });

  test("a negative or too large maxids gets libvirtd's answer; the bound itself is fine", async () => {
    const list = (maxids: number) => client.call(37, [['maxids', 'int']], { maxids }, [['ids', 'int<16384>']]);
    expect((await list(-1)).err).toMatchObject({ code: 8, domain: 20, message: 'maxids in virConnectListDomains must be zero or greater' });
    expect((await list(16385)).err).toMatchObject({ code: 39, domain: 7, message: 'maxids > REMOTE_DOMAIN_LIST_MAX' });
    expect((await list(16384)).ok).toEqual({ ids: [1] });
    expect((await list(0)).ok).toEqual({ ids: [] });
  });

  test('maxnames of the defined-domain list likewise', async () => {
    const list = (maxnames: number) => client.call(21, [['maxnames', 'int']], { maxnames }, [['names', 'string<16384>']]);
    expect((await list(-5)).err).toMatchObject({
      code: 8,
      domain: 20,
      message: 'maxnames in virConnectListDefinedDomains must be zero or greater',
    });
    expect((await list(2 ** 31 - 1)).err).toMatchObject({ code: 39, message: 'maxnames > REMOTE_DOMAIN_LIST_MAX' });
    expect((await list(10)).ok).toEqual({ names: [] });
  });
});
