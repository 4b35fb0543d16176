/**
 * virtkitd's TCP and TLS listeners (`--listen` with listen_tcp / listen_tls), reached by our remote
 * driver and by real virsh, with a throw-away PKI in libvirt's layout (test/remote/pki.ts).
 */
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { ErrorNumber, open } from '@virtkit/core';
import { defaultConfig, parseConfigText } from '../src/config';
import { networkSettingsProblem } from '../src/listeners';
import { describeIf, makePki, testIf, type Pki } from '@virtkit/testkit';
import { ROOT, startDaemon, virsh, type RunningDaemon } from '@virtkit/testkit';

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

let tmp: string;
beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'virtkitd-net-'));
});
afterAll(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
});

/** Start virtkitd with `--listen` and a config file holding `settings`. */
function startListening(name: string, settings: string): Promise<RunningDaemon> {
  const conf = path.join(tmp, `${name}.conf`);
  fs.writeFileSync(conf, settings);
  return startDaemon(['--listen', '--config', conf]);
}

describe('settings', () => {
  test('libvirt keys and defaults: TLS on 16514 with /etc/pki files, TCP off on 16509, auth_tcp sasl', () => {
    expect(defaultConfig()).toMatchObject({
      listen: false,
      listenTls: true,
      listenTcp: false,
      tlsPort: 16514,
      tcpPort: 16509,
      listenAddr: null,
      authTcp: 'sasl',
      caFile: '/etc/pki/CA/cacert.pem',
      certFile: '/etc/pki/libvirt/servercert.pem',
      keyFile: '/etc/pki/libvirt/private/serverkey.pem',
    });
    const c = parseConfigText(
      'listen_tcp = 1\ntcp_port = "1234"\nlisten_addr = "*"\nauth_tcp = "none"\ntls_no_verify_certificate = 1\n',
      defaultConfig(),
    );
    expect(c).toMatchObject({ listenTcp: true, tcpPort: 1234, listenAddr: null, authTcp: 'none', tlsNoVerifyCertificate: true });
    expect(() => parseConfigText('tcp_port = 70000', defaultConfig())).toThrow(/'tcp_port' needs a port number/);
    expect(() => parseConfigText('listen_tcp = maybe', defaultConfig())).toThrow(/'listen_tcp' needs 0 or 1/);
    // Command-line switches are not config keys.
    expect(() => parseConfigText('stdio = 1', defaultConfig())).toThrow(/unknown setting 'stdio'/);
  });

  test('TCP is served only with auth_tcp = "none": the daemon refuses to start otherwise', async () => {
    const sasl = { ...defaultConfig(), listen: true, listenTcp: true, listenTls: false };
    expect(networkSettingsProblem(sasl)).toMatch(/auth_tcp = "sasl" is not supported: virtkitd has no SASL/);
    expect(networkSettingsProblem({ ...sasl, listen: false })).toBeNull();
    await expect(startListening('sasl', `listen_tcp = 1\nlisten_tls = 0\ntcp_port = ${await freePort()}\n`)).rejects.toThrow(
      /cannot start: auth_tcp = "sasl" is not supported/,
    );
  });

  test('TLS without readable certificates refuses to start, naming the file', async () => {
    await expect(
      startListening('nocert', `listen_tls = 1\ntls_port = ${await freePort()}\nca_file = "${tmp}/missing.pem"\n`),
    ).rejects.toThrow(new RegExp(`cannot start: Cannot read CA certificate '${tmp}/missing.pem': No such file or directory`));
  });
});

describe('plain TCP', () => {
  let daemon: RunningDaemon;
  let port: number;
  beforeAll(async () => {
    port = await freePort();
    daemon = await startListening(
      'tcp',
      `listen_tcp = 1\nlisten_tls = 0\nauth_tcp = "none"\ntcp_port = "${port}"\nlisten_addr = "127.0.0.1"\n`,
    );
  });
  afterAll(async () => {
    expect(await daemon?.stop()).toBe(0);
  });

  test('the remote driver over test+tcp:// (read-write)', async () => {
    const conn = await open(`test+tcp://127.0.0.1:${port}/default`);
    expect(await conn.getType()).toBe('TEST');
    const dom = await conn.defineXML("<domain type='test'><name>over-tcp</name><memory>65536</memory><os><type>hvm</type></os></domain>");
    expect((await conn.lookupByName('over-tcp')).getName()).toBe('over-tcp');
    await dom.undefine();
    await conn.close();
    expect(daemon.stderr()).toMatch(new RegExp(`listening on tcp 127\\.0\\.0\\.1:${port}\n`));
  });

  testIf('virsh')('real virsh over tcp lists the domains', () => {
    const r = virsh(['-c', `test+tcp://127.0.0.1:${port}/default`, 'list', '--all'], ROOT);
    expect(r.status).toBe(0);
    expect(r.out).toMatch(/^ 1\s+test\s+running$/m);
  });
});

describeIf('openssl')('TLS', () => {
  let pki: Pki;
  let other: Pki;
  let daemon: RunningDaemon;
  let port: number;

  /** A client pki dir: our CA, and the client certificate of `from`. */
  function clientDir(name: string, from: Pki): string {
    const dir = path.join(tmp, name);
    fs.mkdirSync(dir);
    fs.copyFileSync(path.join(pki.clientDir, 'cacert.pem'), path.join(dir, 'cacert.pem'));
    fs.copyFileSync(path.join(from.clientDir, 'clientcert.pem'), path.join(dir, 'clientcert.pem'));
    fs.copyFileSync(path.join(from.clientDir, 'clientkey.pem'), path.join(dir, 'clientkey.pem'));
    return dir;
  }

  const tlsSettings = (p: number, extra = ''): string =>
    `listen_tls = 1\ntls_port = ${p}\nca_file = "${pki.server.ca}"\ncert_file = "${pki.server.cert}"\nkey_file = "${pki.server.key}"\n${extra}`;

  beforeAll(async () => {
    pki = makePki(path.join(tmp, 'pki'));
    other = makePki(path.join(tmp, 'other'));
    port = await freePort();
    daemon = await startListening('tls', tlsSettings(port));
  });
  afterAll(async () => {
    expect(await daemon?.stop()).toBe(0);
  });

  test('a trusted client certificate gets the check byte and a working connection', async () => {
    const conn = await open(`test+tls://localhost:${port}/default?pkipath=${pki.clientDir}`);
    expect(await conn.getType()).toBe('TEST');
    expect((await conn.lookupByName('test')).getName()).toBe('test');
    await conn.close();
  });

  testIf('virsh')('real virsh over tls, with its own check of the byte', () => {
    const ok = virsh(['-c', `test+tls://localhost:${port}/default?pkipath=${pki.clientDir}`, 'list', '--all'], ROOT);
    expect(ok.out).toMatch(/^ 1\s+test\s+running$/m);
    expect(ok.status).toBe(0);
    // virsh first checks its own certificate against its CA file: trust both CAs there, so that
    // only the server's verdict can refuse it.
    const untrusted = clientDir('untrusted-virsh', other);
    fs.appendFileSync(path.join(untrusted, 'cacert.pem'), fs.readFileSync(path.join(other.clientDir, 'cacert.pem')));
    const refused = virsh(['-c', `test+tls://localhost:${port}/default?pkipath=${untrusted}`, 'list'], ROOT);
    expect(refused.status).toBe(1);
    expect(refused.out).toMatch(/server verification \(of our certificate or IP address\) failed/);
  });

  test('a client certificate from a CA the server does not trust fails the check byte', async () => {
    const untrusted = clientDir('untrusted', other);
    await expect(open(`test+tls://localhost:${port}/default?pkipath=${untrusted}`)).rejects.toMatchObject({
      code: ErrorNumber.VIR_ERR_SYSTEM_ERROR,
      message: 'server verification (of our certificate or IP address) failed',
    });
    const deadline = Date.now() + 5000;
    while (!/client certificate refused/.test(daemon.stderr()) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(daemon.stderr()).toMatch(/tls 127\.0\.0\.1:\d+: client certificate refused/);
  });

  test('tls_no_verify_certificate = 1 lets the same certificate in', async () => {
    const lenientPort = await freePort();
    const lenient = await startListening('tls-lenient', tlsSettings(lenientPort, 'tls_no_verify_certificate = 1\n'));
    try {
      const conn = await open(`test+tls://localhost:${lenientPort}/default?pkipath=${clientDir('untrusted-2', other)}`);
      expect(await conn.getType()).toBe('TEST');
      await conn.close();
    } finally {
      expect(await lenient.stop()).toBe(0);
    }
  });
});
