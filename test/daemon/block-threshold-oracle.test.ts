/**
 * Write thresholds and disk errors, virsh 9.0 against libvirtd 9.0's QEMU driver and against
 * virtkitd's, on the same TCG guest configuration: `virsh event --event block-threshold` watches
 * while `domblkthreshold` sets a threshold, `domstats --block` shows it, a real write into the
 * disk (QEMU's qemu-io through `qemu-monitor-command --hmp`) passes it, and `domblkerror` reads
 * QEMU's io-status. Both daemons must print the same text, image paths aside.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  describeIf,
  killLeftoverQemu,
  startDaemon,
  startLibvirtd,
  virsh,
  type RunningDaemon,
  type RunningLibvirtd,
} from '@virtkit/testkit';

const DOM = 'thr-oracle';

function domainXml(image: string): string {
  return (
    `<domain type='qemu'><name>${DOM}</name><memory unit='MiB'>64</memory><vcpu>1</vcpu>` +
    `<os><type arch='x86_64' machine='pc'>hvm</type></os><devices><emulator>/usr/bin/qemu-system-x86_64</emulator>` +
    `<disk type='file' device='disk'><driver name='qemu' type='raw'/><source file='${image}'/>` +
    `<target dev='hda' bus='ide'/></disk></devices></domain>\n`
  );
}

/** `virsh event` running while `fn` acts, and everything it printed once it timed out. */
async function watchEvents(uri: string, fn: () => Promise<void>): Promise<string> {
  const watcher = spawn('virsh', ['-c', uri, 'event', DOM, '--event', 'block-threshold', '--loop', '--timeout', '6'], {
    env: { ...process.env, LANG: 'C', LC_ALL: 'C' },
  });
  let out = '';
  watcher.stdout.on('data', (b) => (out += String(b)));
  const exited = new Promise((r) => watcher.on('exit', r));
  await new Promise((r) => setTimeout(r, 1500));
  await fn();
  await exited;
  return out;
}

/** The whole scenario on one daemon, as the text virsh printed; the image path reads IMAGE. */
async function scenario(uri: string, work: string, image: string): Promise<string> {
  const run = (...args: string[]) => virsh(['-c', uri, ...args], work).out;
  const xml = path.join(work, `${path.basename(image)}.xml`);
  fs.writeFileSync(xml, domainXml(image));
  const parts: string[] = [run('define', xml), run('start', DOM)];
  const events = await watchEvents(uri, async () => {
    parts.push(run('domblkthreshold', DOM, 'hda', '1M'));
    parts.push(run('domstats', DOM, '--block').replace(/^.*(rd|wr|fl)\.\w+=.*\n/gm, ''));
    parts.push(run('qemu-monitor-command', DOM, '--hmp', 'qemu-io -d ide0-0-0 "write 0 3M"'));
    parts.push(run('domblkthreshold', DOM, 'hda[1]', '4M'));
    parts.push(run('qemu-monitor-command', DOM, '--hmp', 'qemu-io -d ide0-0-0 "write 4M 1M"'));
    parts.push(
      run('domblkthreshold', DOM, 'hdz', '1M'),
      run('domblkthreshold', DOM, 'hda[x]', '1M'),
      run('domblkthreshold', DOM, 'hda[9]', '1M'),
    );
  });
  parts.push(
    events,
    run('domblkerror', DOM),
    run('destroy', DOM),
    run('domblkerror', DOM),
    run('domblkthreshold', DOM, 'hda', '1'),
    run('undefine', DOM),
  );
  return parts.join('---\n').split(image).join('IMAGE');
}

describeIf(
  'virsh',
  'qemu',
  'qemu-img',
  'libvirtd',
)('virsh domblkthreshold, block-threshold events and domblkerror: libvirtd 9.0 and virtkitd', () => {
  let libvirtd: RunningLibvirtd;
  let daemon: RunningDaemon;
  let work: string;
  let root: string;

  beforeAll(async () => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'thr-oracle-'));
    fs.chmodSync(work, 0o777);
    root = path.join(work, 'qemu-root');
    libvirtd = await startLibvirtd({ drivers: ['qemu'] });
    daemon = await startDaemon(['--qemu-root', root]);
  }, 60_000);

  afterAll(async () => {
    await libvirtd?.stop();
    await daemon?.stop();
    if (root) killLeftoverQemu(root);
    if (daemon) fs.rmSync(daemon.dir, { recursive: true, force: true });
    fs.rmSync(work, { recursive: true, force: true });
  }, 60_000);

  /** An 8 MiB raw image libvirtd's QEMU (running as nobody) can write. */
  const image = (name: string): string => {
    const file = path.join(work, name);
    fs.writeFileSync(file, Buffer.alloc(0));
    fs.truncateSync(file, 8 * 1024 * 1024);
    fs.chmodSync(file, 0o666);
    return file;
  };

  it('prints the same text through both daemons', async () => {
    const oracle = await scenario(`qemu+unix:///session?socket=${libvirtd.sock}`, work, image('lv.raw'));
    const ours = await scenario(`qemu+unix:///system?socket=${daemon.sock}`, work, image('vk.raw'));
    expect(oracle).toContain("event 'block-threshold' for domain 'thr-oracle': dev: hda(IMAGE) 1048576 2097152");
    expect(ours).toBe(oracle);
  }, 120_000);
});
