/**
 * The programs of examples/ run as a user runs them (`tsx examples/X.ts`, resolving
 * @virtkit/core to the built packages), and print what they promise: events from an async
 * iterator, a snapshot tree, a remote connection over a unix socket and over TLS to a real
 * virtkitd, and a QEMU backup completed by its event.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { describeIf, makePki, PYTHON, ROOT, startDaemon, testIf, type RunningDaemon } from '@virtkit/testkit';

function example(name: string, ...args: string[]): { status: number | null; stdout: string; stderr: string } {
  return spawnSync(path.join(ROOT, 'node_modules/.bin/tsx'), [path.join(ROOT, 'examples', name), ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 120_000,
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

test('events.ts prints lifecycle events from an async iterator, then stops listening', () => {
  expect(example('events.ts')).toMatchObject({
    status: 0,
    stderr: '',
    stdout: [
      'test: VIR_DOMAIN_EVENT_STOPPED (detail 1)',
      'test: VIR_DOMAIN_EVENT_STARTED (detail 0)',
      'test: VIR_DOMAIN_EVENT_STOPPED (detail 1)',
      '',
    ].join('\n'),
  });
});

test('snapshots.ts grows, lists, reverts and deletes a snapshot tree', () => {
  expect(example('snapshots.ts')).toMatchObject({
    status: 0,
    stderr: '',
    stdout: [
      'first (parent -)',
      'second (parent first)',
      'branch (parent first)',
      'current: branch',
      'left after deleting the tree: 0',
      '',
    ].join('\n'),
  });
});

const REMOTE_OUTPUT = new RegExp(
  ['^connected to \\S+: TEST hypervisor', 'test: VIR_DOMAIN_RUNNING, 2 vCPU, \\d+ KiB', 'as expected: Domain not found', '$'].join('\n'),
);

describe('remote.ts', () => {
  let tmp: string;
  beforeAll(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'virtkit-examples-'));
  });
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

  test('reaches virtkitd over its unix socket', async () => {
    const daemon = await startDaemon(['--config', '/dev/null']);
    try {
      const r = example('remote.ts', `test+unix:///default?socket=${daemon.sock}`);
      expect(r.stderr).toBe('');
      expect(r.stdout).toMatch(REMOTE_OUTPUT);
    } finally {
      expect(await daemon.stop()).toBe(0);
    }
  });

  test('python/domains.py: the Python bindings list, restart, see events and errors through virtkitd', async () => {
    const daemon = await startDaemon(['--config', '/dev/null']);
    try {
      const r = spawnSync(PYTHON, [path.join(ROOT, 'examples/python/domains.py'), `test+unix:///default?socket=${daemon.sock}`], {
        encoding: 'utf8',
        timeout: 60_000,
        env: { ...process.env, PYTHONPATH: path.join(ROOT, 'packages/bindings-python') },
      });
      expect(r.stderr).toBe('');
      expect(r.stdout).toBe(
        [
          'test: state 1, 2 vCPU, 8388608 KiB',
          'restarted test as id 2 (lookup by id: test)',
          'events: test 5, test 2',
          'error 42: Domain not found',
          '',
        ].join('\n'),
      );
    } finally {
      expect(await daemon.stop()).toBe(0);
    }
  });

  describeIf('openssl')('over TLS', () => {
    let daemon: RunningDaemon;
    let uri: string;
    beforeAll(async () => {
      const pki = makePki(path.join(tmp, 'pki'));
      const port = await freePort();
      const conf = path.join(tmp, 'tls.conf');
      fs.writeFileSync(
        conf,
        `listen_tls = 1\ntls_port = ${port}\nlisten_addr = "127.0.0.1"\n` +
          `ca_file = "${pki.server.ca}"\ncert_file = "${pki.server.cert}"\nkey_file = "${pki.server.key}"\n`,
      );
      daemon = await startDaemon(['--listen', '--config', conf]);
      uri = `test+tls://localhost:${port}/default?pkipath=${pki.clientDir}`;
    });
    afterAll(async () => {
      expect(await daemon?.stop()).toBe(0);
    });

    test('reaches virtkitd with a client certificate', () => {
      const r = example('remote.ts', uri);
      expect(r.stderr).toBe('');
      expect(r.stdout).toMatch(REMOTE_OUTPUT);
    });
  });
});

testIf('qemu', 'qemu-img')('backup.ts backs up a running QEMU domain and sees JOB_COMPLETED', () => {
  expect(example('backup.ts')).toMatchObject({
    status: 0,
    stderr: '',
    stdout: ['started backup-example (id 1)', 'backup completed: 33554432 bytes of disk', 'backup image: backup.qcow2, present', ''].join(
      '\n',
    ),
  });
});
