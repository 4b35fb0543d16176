/**
 * virDomainOpenChannel and virDomainOpenGraphics(FD) through virtkitd, against the tiny guest
 * under TCG.
 *
 * Channels (remote procedure 296, a two-way stream): the guest's virtio port org.virtkit.echo.0
 * sends back what it receives, behind a UNIX socket QEMU listens on. Real libvirt-python and the TS
 * API over the remote driver open it by target name, by alias and as the first channel; a second
 * stream is refused unless forced; a pty channel opens; the errors are libvirt's.
 *
 * Graphics (procedure 343, a REPLY_WITH_FDS): libvirt-python's openGraphicsFD gets a descriptor on
 * which QEMU's VNC server greets, as virt-manager uses it for local consoles; openGraphics (a
 * descriptor the client sends, which virtkitd cannot receive) is refused, and the connection goes on.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { ErrorNumber, open, VirStream, type VirError } from '@virtkit/core';
import {
  describeIf,
  killLeftoverQemu,
  PYTHON,
  startDaemon,
  tinyGuest,
  tinyGuestLines,
  waitFor,
  type RunningDaemon,
} from '@virtkit/testkit';

function domainXml(work: string): string {
  const { kernel, initrd } = tinyGuest();
  return (
    `<domain type='qemu'><name>chan</name><memory unit='MiB'>128</memory><vcpu>1</vcpu>` +
    `<os><type arch='x86_64' machine='pc'>hvm</type><kernel>${kernel}</kernel><initrd>${initrd}</initrd>` +
    `<cmdline>console=ttyS0 tg.counter=0 tg.dhcp=0</cmdline></os><devices>` +
    `<channel type='unix'><source mode='bind'/><target type='virtio' name='org.virtkit.echo.0'/></channel>` +
    `<channel type='pty'><target type='virtio' name='org.virtkit.pty.0'/></channel>` +
    `<channel type='null'><target type='virtio' name='org.virtkit.null.0'/></channel><graphics type='vnc'><listen type='socket'/></graphics>` +
    `<serial type='unix'><source mode='connect' path='${path.join(work, 'console.sock')}'/></serial></devices></domain>`
  );
}

/** Send `text` on `stream` and collect its download until `text` came back. */
async function echoed(stream: VirStream, text: string): Promise<string> {
  let got = '';
  const back = new Promise<void>((resolve) =>
    stream.download.on('data', (c: Buffer) => {
      got += c.toString();
      if (got.includes(text)) resolve();
    }),
  );
  stream.send(Buffer.from(text));
  await back;
  return got;
}

describeIf(
  'libvirt-python',
  'qemu',
  'tiny-guest',
)('virDomainOpenChannel and virDomainOpenGraphicsFD through virtkitd', () => {
  let daemon: RunningDaemon;
  let work: string;
  let root: string;
  let uri: string;
  let console: net.Server;

  beforeAll(async () => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'open-channel-'));
    root = path.join(work, 'qemu-root');
    let consoleText = '';
    console = net.createServer((c) => c.on('data', (d) => (consoleText += String(d))));
    await new Promise<void>((r) => console.listen(path.join(work, 'console.sock'), r));
    daemon = await startDaemon(['--qemu-root', root]);
    uri = `qemu+unix:///system?socket=${daemon.sock}`;
    const conn = await open(uri);
    await conn.createXML(domainXml(work), 0);
    await conn.close();
    await waitFor(() => tinyGuestLines(consoleText).includes('echo on org.virtkit.echo.0'), 180_000, 'the guest to start its echo');
  }, 240_000);

  afterAll(async () => {
    if (daemon) {
      await daemon.stop();
      fs.rmSync(daemon.dir, { recursive: true, force: true });
    }
    if (root) killLeftoverQemu(root);
    console?.close();
    if (work) fs.rmSync(work, { recursive: true, force: true });
  }, 60_000);

  /** Run a fixture with libvirt-python against the guest; its JSON line. */
  function python(fixture: string): Record<string, unknown> {
    const r = spawnSync(PYTHON, [path.join(__dirname, 'fixtures', fixture), uri, 'chan'], { encoding: 'utf8', timeout: 150_000 });
    if (r.status !== 0) throw new Error(`python failed (${r.status}):\n${r.stderr}\n${r.stdout}`);
    return JSON.parse(r.stdout.trim().split('\n').pop()!) as Record<string, unknown>;
  }

  test('libvirt-python: by target name, forced by alias, the first channel, a pty channel, and the errors', () => {
    const out = python('python_channel.py');
    expect(out.by_target_name).toContain('ping-by-name\n');
    expect(out.busy).toEqual([ErrorNumber.VIR_ERR_OPERATION_FAILED, 10, 'operation failed: Active channel stream exists for this domain']);
    expect(out.forced_by_alias).toContain('ping-forced\n');
    expect(out.taken_over).not.toBeNull();
    expect(out.first_channel).toContain('ping-null\n');
    expect(out.pty_opened).toBe(true);
    expect(out.missing).toEqual([ErrorNumber.VIR_ERR_INTERNAL_ERROR, 10, 'internal error: cannot find channel nope']);
    expect(out.not_pty_or_unix).toEqual([
      ErrorNumber.VIR_ERR_INTERNAL_ERROR,
      10,
      'internal error: channel org.virtkit.null.0 is not using a PTY or UNIX socket',
    ]);
    expect(out.bad_flags).toEqual([ErrorNumber.VIR_ERR_INVALID_ARG, 10, 'unsupported flags (0x2) in function qemuDomainOpenChannel']);
  }, 180_000);

  test('the TS API over the remote driver: the echo both ways, then the lock', async () => {
    const conn = await open(uri);
    try {
      const dom = await conn.lookupByName('chan');
      const stream = new VirStream();
      await dom.openChannel('org.virtkit.echo.0', stream, 0);
      expect(await echoed(stream, 'ping-from-ts\n')).toContain('ping-from-ts\n');
      const refused = await dom.openChannel('channel0', new VirStream(), 0).then(
        () => null,
        (e: VirError) => e,
      );
      expect([refused?.code, refused?.message]).toEqual([
        ErrorNumber.VIR_ERR_OPERATION_FAILED,
        'operation failed: Active channel stream exists for this domain',
      ]);
      stream.finish();
    } finally {
      await conn.close();
    }
  }, 60_000);

  test("libvirt-python's openGraphicsFD: a descriptor on which the VNC server greets; openGraphics refused", () => {
    const out = python('python_graphics.py');
    expect(out.greeting).toBe('RFB 003.008\n');
    expect(out.is_socket).toBe(true);
    expect(out.state_after).toEqual([1, 1]);
    expect(out.no_such_index).toEqual([ErrorNumber.VIR_ERR_INTERNAL_ERROR, 10, 'internal error: No graphics backend with index 1']);
    expect(out.bad_flags).toEqual([ErrorNumber.VIR_ERR_INVALID_ARG, 10, 'unsupported flags (0x2) in function qemuDomainOpenGraphicsFD']);
    expect(out.client_fd).toEqual([
      ErrorNumber.VIR_ERR_ARGUMENT_UNSUPPORTED,
      7,
      "argument unsupported: fd passing is not supported by this connection: virtkitd cannot receive file descriptors (Node's sockets discard them)",
    ]);
    expect(out.name_after).toBe('chan');
    expect(out.second_greeting).toBe('RFB 003.008\n');
  }, 120_000);

  test('the TS remote driver refuses openGraphicsFD before sending: Node cannot receive the descriptor', async () => {
    const conn = await open(uri);
    try {
      const dom = await conn.lookupByName('chan');
      const refused = await dom.openGraphicsFD(0, 0).then(
        () => null,
        (e: VirError) => e,
      );
      expect([refused?.code, refused?.message]).toEqual([
        ErrorNumber.VIR_ERR_ARGUMENT_UNSUPPORTED,
        "argument unsupported: fd passing is not supported by this connection: Node's sockets cannot carry file descriptors",
      ]);
      expect(dom.getName()).toBe('chan');
      expect((await dom.getInfo()).state).toBe(1);
    } finally {
      await conn.close();
    }
  });
});
