/**
 * The connection-open policy: which URIs a client may open through virtkitd, on either socket,
 * and what the daemon opens for them. The read-only socket is world-writable, so every refusal
 * here is checked through it: no tree of the caller's choosing, no remote hop, no file outside
 * test_root, and the qemu_root mapping for every qemu URI.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseUri } from '@virtkit/core';
import { OpenPolicy } from '../src/open-policy';
import type { FieldLayout, RemoteError } from '@virtkit/protocol';
import { RawClient, killLeftoverQemu, startDaemon, type RunningDaemon } from '@virtkit/testkit';

const OPEN: FieldLayout = [
  ['name', 'string?'],
  ['flags', 'uint'],
];
const AUTH_LIST = 66;
const CONNECT_OPEN = 1;
const CONNECT_GET_URI = 110;

/** Every file and directory under `dir`, relative to it. */
function tree(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const rel = path.relative(dir, path.join(d, e.name));
      out.push(rel);
      if (e.isDirectory()) walk(path.join(d, e.name));
    }
  };
  walk(dir);
  return out.sort();
}

describe('OpenPolicy.resolve', () => {
  const policy = (over: Partial<ConstructorParameters<typeof OpenPolicy>[0]> = {}) =>
    new OpenPolicy({ qemuRoot: '/srv/vk root', testRoot: null, privileged: true, ...over });
  const refusal = (p: OpenPolicy, uri: string) => {
    try {
      p.resolve(parseUri(uri));
    } catch (e) {
      const { code, domain, message } = e as { code: number; domain: number; message: string };
      return { code, domain, message };
    }
    throw new Error(`${uri} was not refused`);
  };

  test("qemu:///system and qemu:///session are both served from qemu_root; the client's parameters are dropped", () => {
    for (const name of ['qemu:///system', 'qemu:///session', 'qemu:///system?root=/elsewhere', 'QEMU:///sys%74em']) {
      const opened = policy().resolve(parseUri(name));
      expect(opened).toMatchObject({ driver: 'qemu', path: '/embed', host: null, raw: 'qemu:///embed?root=%2Fsrv%2Fvk%20root' });
      expect(opened.params.get('root')).toBe('/srv/vk root');
    }
    expect(policy({ qemuRoot: null }).resolve(parseUri('qemu:///session')).raw).toBe('qemu:///system');
    expect(policy({ qemuRoot: null, privileged: false }).resolve(parseUri('qemu:///session')).raw).toBe('qemu:///session');
  });

  test('other qemu paths get libvirt\'s "unexpected qemu URI path"', () => {
    expect(refusal(policy(), 'qemu:///embed?root=/tmp/x')).toEqual({
      code: 1,
      domain: 0,
      message: "internal error: unexpected qemu URI path '/embed', try qemu:///system",
    });
    expect(refusal(policy(), 'qemu:///system/../embed?root=/x').message).toBe(
      "internal error: unexpected qemu URI path '/embed', try qemu:///system",
    );
    expect(refusal(policy({ qemuRoot: null, privileged: false }), 'qemu:///system').message).toBe(
      "internal error: unexpected qemu URI path '/system', try qemu:///session",
    );
  });

  test('a host, a transport or the remote scheme is never followed', () => {
    for (const name of [
      'qemu+tcp://127.0.0.1/system',
      'qemu://localhost/system',
      'test+unix:///default',
      'remote:///default',
      'qemu+ssh://u@h/system',
    ]) {
      expect(refusal(policy(), name)).toEqual({ code: 5, domain: 0, message: `no connection driver available for ${name}` });
    }
  });

  test('test:///default always; node files only under test_root, links resolved', () => {
    expect(policy().resolve(parseUri('test:///default')).raw).toBe('test:///default');
    expect(refusal(policy(), 'test:///etc/shadow')).toMatchObject({ code: 88, domain: 55 });
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'vk-testroot-'));
    try {
      fs.writeFileSync(path.join(root, 'n ode?.xml'), '<node/>');
      fs.symlinkSync('/etc', path.join(root, 'etc'));
      const p = policy({ testRoot: root });
      const opened = p.resolve(parseUri(`test://${root}/n%20ode%3F.xml`));
      expect(opened.path).toBe(path.join(root, 'n ode?.xml'));
      for (const name of [
        'test:///etc/shadow',
        `test://${root}/../x.xml`,
        `test://${root}/etc/passwd`,
        `test://${root}/etc/none.xml`,
        `test://${root}`,
      ]) {
        expect(refusal(p, name).message).toBe(`access denied: test driver node files must lie under test_root '${root}'`);
      }
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});

describe('virtkitd applies the policy on the world-writable socket', () => {
  let daemon: RunningDaemon;
  let work: string;
  let qemuRoot: string;
  let testRoot: string;

  beforeAll(async () => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'vk-open-policy-'));
    qemuRoot = path.join(work, 'qemu-root');
    testRoot = path.join(work, 'test-root');
    fs.mkdirSync(testRoot);
    fs.writeFileSync(
      path.join(testRoot, 'node.xml'),
      "<node><domain type='test'><name>from-file</name><memory>1024</memory><os><type>hvm</type></os></domain></node>",
    );
    daemon = await startDaemon(['--config', '/dev/null', '--qemu-root', qemuRoot, '--test-root', testRoot]);
  });
  afterAll(async () => {
    expect(await daemon?.stop()).toBe(0);
    killLeftoverQemu(qemuRoot);
    fs.rmSync(work, { recursive: true, force: true });
    fs.rmSync(daemon.dir, { recursive: true, force: true });
  });

  async function openRo(name: string): Promise<{ client: RawClient; err?: RemoteError }> {
    const client = new RawClient(daemon.sockRo);
    await client.connected();
    await client.call(AUTH_LIST, [], {}, [['types', 'int<20>']]);
    const r = await client.call(CONNECT_OPEN, OPEN, { name, flags: 0 });
    return { client, err: r.err };
  }

  test("qemu:///embed with a root of the caller's choosing is refused and the tree is left untouched", async () => {
    const evil = path.join(work, 'evil');
    fs.mkdirSync(path.join(evil, 'etc'), { recursive: true });
    fs.writeFileSync(path.join(evil, 'etc', 'vm.xml'), "<domain type='kvm'><name>vm</name></domain>");
    const before = tree(evil);
    const { client, err } = await openRo(`qemu:///embed?root=${evil}`);
    client.close();
    expect(err).toMatchObject({ code: 1, domain: 0, message: "internal error: unexpected qemu URI path '/embed', try qemu:///system" });
    expect(tree(evil)).toEqual(before);
  });

  test("a host-bearing URI is not followed: the daemon is nobody's remote client", async () => {
    const { client, err } = await openRo('qemu+tcp://127.0.0.1/system');
    client.close();
    expect(err).toMatchObject({ code: 5, message: 'no connection driver available for qemu+tcp://127.0.0.1/system' });
  });

  test('test:///PATH outside test_root reveals nothing about the file; inside it opens', async () => {
    const secret = path.join(work, 'secret');
    fs.writeFileSync(secret, 'a\nb\nc\nd\ne\nf\ng\n');
    const outside = await openRo(`test://${secret}`);
    const missing = await openRo(`test://${secret}-none`);
    outside.client.close();
    missing.client.close();
    expect(outside.err).toMatchObject({
      code: 88,
      domain: 55,
      message: `access denied: test driver node files must lie under test_root '${testRoot}'`,
    });
    // An existing and a missing file get the same answer.
    expect(missing.err?.message).toBe(outside.err?.message);

    const inside = await openRo(`test://${testRoot}/node.xml`);
    expect(inside.err).toBeUndefined();
    expect((await inside.client.call(CONNECT_GET_URI, [], {}, [['uri', 'string']])).ok).toEqual({ uri: `test://${testRoot}/node.xml` });
    inside.client.close();
    const dflt = await openRo('test:///default');
    expect(dflt.err).toBeUndefined();
    dflt.client.close();
  });

  test('qemu:///session is served from qemu_root like qemu:///system', async () => {
    const { client, err } = await openRo('qemu:///session');
    expect(err).toBeUndefined();
    expect((await client.call(CONNECT_GET_URI, [], {}, [['uri', 'string']])).ok).toEqual({ uri: 'qemu:///session' });
    client.close();
    expect(fs.existsSync(qemuRoot)).toBe(true);
    expect(daemon.stderr()).toMatch(/opened qemu:\/\/\/session read-only with the qemu driver/);
  });
});
