/**
 * `+tls` against a real libvirtd 9.0 with a throw-away PKI in libvirt's layout: the client
 * certificate from `?pkipath=`, the server certificate checked against our CA, and libvirtd's
 * post-handshake check byte.
 */
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { ErrorNumber, open } from '@virtkit/core';
import { describeIf, startLibvirtd, type RunningLibvirtd } from '@virtkit/testkit';
import { makePki, type Pki } from '@virtkit/testkit';

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

function readableByAll(dir: string): void {
  fs.chmodSync(dir, 0o755);
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) readableByAll(p);
    else fs.chmodSync(p, 0o644);
  }
}

describeIf('libvirtd', 'openssl')('+tls against libvirtd 9.0', () => {
  let tmp: string;
  let pki: Pki;
  let other: Pki;
  let daemon: RunningLibvirtd;
  let port: number;
  beforeAll(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'remote-tls-'));
    pki = makePki(path.join(tmp, 'pki'));
    other = makePki(path.join(tmp, 'other'));
    // The daemon runs as `nobody`: it must read its key (a throw-away one).
    readableByAll(tmp);
    port = await freePort();
    daemon = await startLibvirtd({ tls: { port, ...pki.server } });
  });
  afterAll(async () => {
    await daemon?.stop();
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  test("opens with our client certificate and the server's verified", async () => {
    const conn = await open(`test+tls://127.0.0.1:${port}/default?pkipath=${pki.clientDir}`);
    expect(await conn.getType()).toBe('TEST');
    expect((await conn.lookupByName('test')).getName()).toBe('test');
    await conn.close();
  });

  test('a server certificate from a CA we do not trust is refused', async () => {
    const mixed = path.join(tmp, 'mixed');
    fs.mkdirSync(mixed);
    fs.copyFileSync(path.join(other.clientDir, 'cacert.pem'), path.join(mixed, 'cacert.pem'));
    fs.copyFileSync(path.join(pki.clientDir, 'clientcert.pem'), path.join(mixed, 'clientcert.pem'));
    fs.copyFileSync(path.join(pki.clientDir, 'clientkey.pem'), path.join(mixed, 'clientkey.pem'));
    await expect(open(`test+tls://127.0.0.1:${port}/default?pkipath=${mixed}`)).rejects.toMatchObject({
      code: ErrorNumber.VIR_ERR_SYSTEM_ERROR,
      message: expect.stringContaining(`unable to connect to server at '127.0.0.1:${port}'`),
    });
  });

  test("a client certificate the server does not trust fails the server's check", async () => {
    const mixed = path.join(tmp, 'mixed-client');
    fs.mkdirSync(mixed);
    fs.copyFileSync(path.join(pki.clientDir, 'cacert.pem'), path.join(mixed, 'cacert.pem'));
    fs.copyFileSync(path.join(other.clientDir, 'clientcert.pem'), path.join(mixed, 'clientcert.pem'));
    fs.copyFileSync(path.join(other.clientDir, 'clientkey.pem'), path.join(mixed, 'clientkey.pem'));
    await expect(open(`test+tls://127.0.0.1:${port}/default?pkipath=${mixed}`)).rejects.toMatchObject({
      code: ErrorNumber.VIR_ERR_SYSTEM_ERROR,
      message: 'server verification (of our certificate or IP address) failed',
    });
  });
});
