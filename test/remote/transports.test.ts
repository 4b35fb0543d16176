/**
 * Transports other than a local UNIX socket, against a real libvirtd 9.0: plain TCP, and ssh
 * through a fake `ssh` (fixtures/fake-ssh: it runs the remote command locally, with the daemon's
 * socket dir mounted as the far host's /var/run/libvirt, so the real virt-ssh-helper reaches it). Also many calls in flight on one connection,
 * whose replies libvirtd sends back out of order.
 */
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { ErrorNumber, open } from '@virtkit/core';
import { describeIf, startLibvirtd, testIf, type RunningLibvirtd } from '@virtkit/testkit';

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

describeIf('libvirtd')('remote transports against libvirtd 9.0', () => {
  let daemon: RunningLibvirtd;
  beforeAll(async () => {
    daemon = await startLibvirtd({ tcpPort: await freePort() });
  });
  afterAll(async () => {
    await daemon?.stop();
  });

  test('+tcp: host and port from the URI, the server name without them', async () => {
    const conn = await open(`test+tcp://127.0.0.1:${daemon.tcpPort}/default`);
    expect(await conn.getType()).toBe('TEST');
    expect((await conn.lookupByName('test')).getName()).toBe('test');
    await conn.close();
  });

  test('+tcp to a port nobody listens on fails with a system error', async () => {
    const port = await freePort();
    await expect(open(`test+tcp://127.0.0.1:${port}/default`)).rejects.toMatchObject({
      code: ErrorNumber.VIR_ERR_SYSTEM_ERROR,
      message: expect.stringContaining(`unable to connect to server at '127.0.0.1:${port}'`),
    });
  });

  // The fake ssh needs a private mount namespace to show the daemon at the far host's standard path.
  testIf('mount namespaces')('+ssh: ssh runs virt-ssh-helper on the far side (a fake ssh, real helper and daemon)', async () => {
    const log = path.join(daemon.dir, 'fake-ssh.log');
    const savedPath = process.env.PATH;
    process.env.PATH = `${path.join(__dirname, 'fixtures', 'fake-ssh')}:${savedPath}`;
    process.env.FAKE_SSH_LOG = log;
    process.env.FAKE_SSH_LIBVIRT_RUNDIR = daemon.runDir;
    try {
      const conn = await open('test+ssh://far-host/default');
      expect(await conn.getType()).toBe('TEST');
      expect((await conn.listAllDomains()).map((x) => x.getName())).toContain('test');
      await conn.close();
      expect(fs.readFileSync(log, 'utf8')).toBe("fake-ssh: far-host virt-ssh-helper 'test:///default'\n");
    } finally {
      process.env.PATH = savedPath;
      delete process.env.FAKE_SSH_LOG;
      delete process.env.FAKE_SSH_LIBVIRT_RUNDIR;
    }
  });

  test('many calls in flight on one connection each get their own reply', async () => {
    const conn = await open(`test+unix:///default?socket=${daemon.sock}`);
    const names = ['alpha', 'beta', 'gamma'];
    for (const n of names)
      await conn.defineXML(`<domain type='test'><name>${n}</name><memory>65536</memory><os><type>hvm</type></os></domain>`);
    const asked = Array.from({ length: 300 }, (_, i) => (i % 4 === 3 ? 'missing' : names[i % 4]));
    const answers = await Promise.all(
      asked.map((n) =>
        conn.lookupByName(n).then(
          (x) => x.getName(),
          (e: { code: number }) => `error ${e.code}`,
        ),
      ),
    );
    expect(answers).toEqual(asked.map((n) => (n === 'missing' ? `error ${ErrorNumber.VIR_ERR_NO_DOMAIN}` : n)));
    for (const n of names) await (await conn.lookupByName(n)).undefine();
    await conn.close();
  });
});
