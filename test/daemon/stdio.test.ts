/**
 * `virtkitd --stdio`: one client on stdin/stdout, spoken to directly and through the remote
 * driver's `+ssh` transport with `?proxy=virtkitd` (a fake `ssh` that runs the command here, see
 * test/remote/fixtures/fake-ssh).
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Duplex } from 'node:stream';
import { open } from '@virtkit/core';
import { PROCEDURES, type FieldLayout } from '@virtkit/protocol';
import { ROOT, RawClient } from '@virtkit/testkit';

const OPEN: FieldLayout = [
  ['name', 'string?'],
  ['flags', 'uint'],
];

test('a client on stdin/stdout: open, calls, and the daemon exits 0 when stdin closes', async () => {
  const child = spawn(path.join(ROOT, 'bin', 'virtkitd'), ['--stdio', '--config', '/dev/null'], {
    cwd: ROOT,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += String(d)));
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  const c = new RawClient(Duplex.from({ readable: child.stdout, writable: child.stdin }));
  expect((await c.call(66, [], {}, [['types', 'int<20>']], {})).ok).toEqual({ types: [0] });
  expect((await c.call(1, OPEN, { name: 'test:///default', flags: 0 })).ok).toEqual({});
  const lookup = PROCEDURES.find((p) => p.spi === 'domainLookupByName')!;
  const found = await c.call(lookup.proc, [['name', 'string']], { name: 'test' }, lookup.ret as FieldLayout);
  expect((found.ok?.dom as { name: string }).name).toBe('test');
  const missing = await c.call(lookup.proc, [['name', 'string']], { name: 'nope' }, lookup.ret as FieldLayout);
  expect(missing.err).toMatchObject({ code: 42, domain: 12 });
  child.stdin.end();
  expect(await exited).toBe(0);
  // stdout carries frames only: every log line went to stderr.
  expect(stderr).not.toMatch(/error/);
});

test('+ssh with proxy=virtkitd runs `virtkitd --stdio` on the far side', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'virtkitd-ssh-'));
  const log = path.join(dir, 'fake-ssh.log');
  const savedPath = process.env.PATH;
  process.env.PATH = `${path.join(ROOT, 'test', 'remote', 'fixtures', 'fake-ssh')}:${path.join(ROOT, 'bin')}:${savedPath}`;
  process.env.FAKE_SSH_LOG = log;
  try {
    const conn = await open('test+ssh://far-host/default?proxy=virtkitd');
    expect(await conn.getType()).toBe('TEST');
    expect((await conn.listAllDomains()).map((d) => d.getName())).toContain('test');
    const dom = await conn.defineXML("<domain type='test'><name>over-ssh</name><memory>65536</memory><os><type>hvm</type></os></domain>");
    await dom.create();
    expect((await dom.getInfo()).state).toBe(1);
    await dom.destroy();
    await dom.undefine();
    await conn.close();
    expect(fs.readFileSync(log, 'utf8')).toBe('fake-ssh: far-host virtkitd --stdio\n');
  } finally {
    process.env.PATH = savedPath;
    delete process.env.FAKE_SSH_LOG;
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
