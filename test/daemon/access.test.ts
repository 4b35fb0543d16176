/**
 * Access control from the generated table: every write procedure of api/ is refused on a
 * read-only connection with libvirt's error, read procedures answer, and procedures outside the
 * table are answered as libvirtd answers an unknown procedure.
 */
import { spawnSync } from 'node:child_process';
import { PROCEDURES, PROGRAM, zeroStruct, type FieldLayout, type ProcedureInfo, type RemoteError } from '@virtkit/protocol';
import { PYTHON, RawClient, startDaemon, testIf, type RunningDaemon } from '@virtkit/testkit';

const OPEN: FieldLayout = [
  ['name', 'string?'],
  ['flags', 'uint'],
];
const DOM: FieldLayout = [['dom', 'Dom']];
const VIR_ERR_OPERATION_DENIED = 29;
const VIR_CONNECT_RO = 1;

let daemon: RunningDaemon;
beforeAll(async () => {
  daemon = await startDaemon();
});
afterAll(async () => {
  expect(await daemon?.stop()).toBe(0);
});

async function opened(socket: string, flags = 0): Promise<RawClient> {
  const c = new RawClient(socket);
  await c.connected();
  expect((await c.call(66, [], {}, [['types', 'int<20>']])).ok).toEqual({ types: [0] });
  expect((await c.call(1, OPEN, { name: 'test:///default', flags })).ok).toEqual({});
  return c;
}

/** Call a procedure of the table with all-zero arguments (empty names, zero UUIDs, no flags). */
async function callWithZeros(c: RawClient, p: ProcedureInfo): Promise<{ ok?: Record<string, unknown>; err?: RemoteError }> {
  const prog = p.program === 'qemu' ? PROGRAM.QEMU : PROGRAM.REMOTE;
  return c.call(p.proc, p.args, zeroStruct(p.args), p.ret, { prog });
}

const writes = PROCEDURES.filter((p) => !p.readOnlySafe);

describe('read-only connections', () => {
  test('the table has write procedures, each naming a permission a read-only connection lacks', () => {
    expect(writes.length).toBeGreaterThan(40);
    for (const p of writes) expect(p.acl.length).toBeGreaterThan(0);
  });

  test.each([
    ['the read-only socket', 'ro', 0],
    ['CONNECT_OPEN with VIR_CONNECT_RO', 'rw', VIR_CONNECT_RO],
  ] as const)('every write procedure is refused on %s', async (_what, sock, flags) => {
    const c = await opened(sock === 'ro' ? daemon.sockRo : daemon.sock, flags);
    const wrong: string[] = [];
    for (const p of writes) {
      const r = await callWithZeros(c, p);
      const want = `operation forbidden: read only access prevents ${p.c}`;
      if (r.err?.code !== VIR_ERR_OPERATION_DENIED || r.err.message !== want || r.err.level !== 2) {
        wrong.push(`${p.procName} (${p.proc}): ${JSON.stringify(r.err ?? r.ok)}`);
      }
    }
    expect(wrong).toEqual([]);
    c.close();
  });

  test('the refusal carries the error domain of the API family, as libvirt sets it', async () => {
    const c = await opened(daemon.sockRo);
    const domainOf = async (procName: string): Promise<number | undefined> =>
      (
        await callWithZeros(
          c,
          PROCEDURES.find((p) => p.procName === procName)!,
        )
      ).err?.domain;
    expect(await domainOf('REMOTE_PROC_DOMAIN_CREATE')).toBe(20);
    expect(await domainOf('REMOTE_PROC_DOMAIN_DEFINE_XML')).toBe(20);
    expect(await domainOf('REMOTE_PROC_DOMAIN_SNAPSHOT_CREATE_XML')).toBe(35);
    expect(await domainOf('REMOTE_PROC_STORAGE_POOL_DESTROY')).toBe(18);
    c.close();
  });

  test('read procedures answer on the read-only socket', async () => {
    const c = await opened(daemon.sockRo);
    const list = await c.call(
      273,
      [
        ['need_results', 'int'],
        ['flags', 'uint'],
      ],
      { need_results: 1, flags: 0 },
      [
        ['domains', 'Dom<16384>'],
        ['ret', 'uint'],
      ],
    );
    expect(list.ok?.ret).toBe(1);
    const dom = (await c.call(23, [['name', 'string']], { name: 'test' }, DOM)).ok?.dom as { name: string };
    expect(dom.name).toBe('test');
    const xml = await c.call(14, [...DOM, ['flags', 'uint']], { dom, flags: 0 }, [['xml', 'string']]);
    expect(xml.ok?.xml).toMatch(/^<domain type='test'/);
    const state = await c.call(212, [...DOM, ['flags', 'uint']], { dom, flags: 0 }, [
      ['state', 'int'],
      ['reason', 'int'],
    ]);
    expect(state.ok?.state).toBe(1);
    c.close();
  });

  test('a read-write connection may make the same write call', async () => {
    const c = await opened(daemon.sock);
    const dom = (await c.call(23, [['name', 'string']], { name: 'test' }, DOM)).ok?.dom;
    expect((await c.call(34, DOM, { dom })).ok).toEqual({});
    expect((await c.call(28, DOM, { dom })).ok).toEqual({});
    c.close();
  });

  testIf('libvirt-python')('the refusal is word for word what libvirt itself answers', async () => {
    const py = `import libvirt, json
c = libvirt.openReadOnly('test:///default')
try:
    c.lookupByName('test').suspend()
except libvirt.libvirtError as e:
    print(json.dumps([e.get_error_code(), e.get_error_domain(), e.get_error_message()]))`;
    const r = spawnSync(PYTHON, ['-c', py], { encoding: 'utf8' });
    const [code, domain, message] = JSON.parse(r.stdout.trim()) as [number, number, string];
    const c = await opened(daemon.sockRo);
    const err = (
      await callWithZeros(
        c,
        PROCEDURES.find((p) => p.procName === 'REMOTE_PROC_DOMAIN_SUSPEND')!,
      )
    ).err;
    expect([err?.code, err?.domain, err?.message]).toEqual([code, domain, message]);
    c.close();
  });
});

describe('procedures outside the table', () => {
  test('a libvirt procedure api/ does not define is an unknown procedure, as libvirtd says', async () => {
    const c = await opened(daemon.sock);
    // 443 is libvirt 9.0's DOMAIN_FD_ASSOCIATE (FD passing, which virtkitd does not offer).
    const missing = [443, 9999].filter((n) => !PROCEDURES.some((p) => p.program === 'remote' && p.proc === n));
    expect(missing).toEqual([443, 9999]);
    for (const n of missing) {
      const r = await c.call(n);
      expect(r.frame.header.proc).toBe(n);
      expect(r.err).toMatchObject({ code: 39, domain: 7, level: 2, message: `unknown procedure: ${n}` });
    }
    c.close();
  });
});

describe('permissions checked only with some flags', () => {
  // Write calls may name flag-conditioned permissions too (domain:save for VIR_DOMAIN_AFFECT_CONFIG);
  // a read-only connection is refused those calls whatever the flags, so only read calls are checked here.
  const flagged = PROCEDURES.filter((p) => p.flagAcl.length > 0 && p.readOnlySafe);
  const SECURE_DENIED = (p: ProcedureInfo): string => `operation forbidden: ${p.c} with secure flag`;

  test('api/ records read_secure for the secure flag of each XML description call', () => {
    expect(flagged.map((p) => [p.c, p.flagAcl.map((f) => `${f.permission}:${f.flagNames.join('|')}=${f.mask}`)])).toEqual(
      expect.arrayContaining([
        ['virDomainGetXMLDesc', ['domain:read_secure:VIR_DOMAIN_XML_SECURE=1']],
        ['virDomainSnapshotGetXMLDesc', ['domain:read_secure:VIR_DOMAIN_SNAPSHOT_XML_SECURE=1']],
        ['virDomainCheckpointGetXMLDesc', ['domain:read_secure:VIR_DOMAIN_CHECKPOINT_XML_SECURE=1']],
      ]),
    );
  });

  test('on a read-only connection each such call is refused with its flag, and not without it', async () => {
    const c = await opened(daemon.sockRo);
    const wrong: string[] = [];
    for (const p of flagged) {
      const flagsField = p.args[(p.argMap ?? []).findIndex((s) => s.kind === 'flags')][0];
      const prog = p.program === 'qemu' ? PROGRAM.QEMU : PROGRAM.REMOTE;
      const mask = p.flagAcl.reduce((m, f) => m | f.mask, 0);
      const withFlag = await c.call(p.proc, p.args, { ...zeroStruct(p.args), [flagsField]: mask }, p.ret, { prog });
      if (withFlag.err?.code !== VIR_ERR_OPERATION_DENIED || withFlag.err.message !== SECURE_DENIED(p))
        wrong.push(`${p.c} with flags: ${JSON.stringify(withFlag.err ?? withFlag.ok)}`);
      const without = await callWithZeros(c, p);
      if (without.err?.code === VIR_ERR_OPERATION_DENIED) wrong.push(`${p.c} without flags: ${without.err.message}`);
    }
    expect(wrong).toEqual([]);
    c.close();
  });

  test('a real domain: secure XML for read-write connections only', async () => {
    const getXml = PROCEDURES.find((p) => p.c === 'virDomainGetXMLDesc')!;
    const ask = async (c: RawClient) => {
      const dom = (await c.call(23, [['name', 'string']], { name: 'test' }, DOM)).ok?.dom;
      return c.call(getXml.proc, getXml.args, { dom, flags: 1 }, getXml.ret);
    };
    const ro = await opened(daemon.sock, VIR_CONNECT_RO);
    expect((await ask(ro)).err).toMatchObject({ code: VIR_ERR_OPERATION_DENIED, domain: 20, message: SECURE_DENIED(getXml) });
    ro.close();
    const rw = await opened(daemon.sock);
    expect((await ask(rw)).ok?.xml).toMatch(/^<domain type='test'/);
    rw.close();
  });

  testIf('libvirt-python')('the refusal is word for word what libvirt answers for VIR_DOMAIN_XML_SECURE', async () => {
    const py = `import libvirt, json
libvirt.registerErrorHandler(lambda *a: None, None)
c = libvirt.openReadOnly('test:///default')
try:
    c.lookupByName('test').XMLDesc(libvirt.VIR_DOMAIN_XML_SECURE)
except libvirt.libvirtError as e:
    print(json.dumps([e.get_error_code(), e.get_error_domain(), e.get_error_message()]))`;
    const r = spawnSync(PYTHON, ['-c', py], { encoding: 'utf8' });
    const [code, domain, message] = JSON.parse(r.stdout.trim()) as [number, number, string];
    const c = await opened(daemon.sockRo);
    const dom = (await c.call(23, [['name', 'string']], { name: 'test' }, DOM)).ok?.dom;
    const err = (await c.call(14, [...DOM, ['flags', 'uint']], { dom, flags: 1 }, [['xml', 'string']])).err;
    expect([err?.code, err?.domain, err?.message]).toEqual([code, domain, message]);
    c.close();
  });
});
