/**
 * A block job survives a restart of virtkitd, as it survives one of libvirtd: real virsh starts
 * an active commit, the daemon is stopped and started again on the same private root, and the
 * new daemon reports the job and pivots it.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describeIf, killLeftoverQemu, startDaemon, virsh, type RunningDaemon } from '@virtkit/testkit';

const DOM = 'vk-restart';

describeIf('virsh', 'qemu')('block jobs across a virtkitd restart', () => {
  let work: string;
  let root: string;
  let daemon: RunningDaemon | undefined;
  const dirs: string[] = [];
  const run = (...args: string[]) => virsh(['-c', `qemu+unix:///system?socket=${daemon!.sock}`, ...args], work);
  const restart = async () => {
    await daemon?.stop();
    daemon = await startDaemon(['--qemu-root', root]);
    dirs.push(daemon.dir);
  };

  beforeAll(async () => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'virsh-restart-'));
    root = path.join(work, 'qemu-root');
    await restart();
  }, 60_000);

  afterAll(async () => {
    if (daemon) await daemon.stop();
    killLeftoverQemu(root);
    for (const dir of [work, ...dirs]) fs.rmSync(dir, { recursive: true, force: true });
  }, 30_000);

  test('an active commit started before the restart is reported and pivoted after it', async () => {
    const base = path.join(work, 'base.qcow2');
    const top = path.join(work, 'top.qcow2');
    expect(spawnSync('qemu-img', ['create', '-q', '-f', 'qcow2', base, '16M']).status).toBe(0);
    expect(spawnSync('qemu-img', ['create', '-q', '-f', 'qcow2', '-b', base, '-F', 'qcow2', top]).status).toBe(0);
    fs.writeFileSync(
      path.join(work, 'dom.xml'),
      `<domain type='qemu'><name>${DOM}</name><memory unit='MiB'>64</memory><os><type arch='x86_64'>hvm</type></os>` +
        `<devices><disk type='file' device='disk'><driver name='qemu' type='qcow2'/><source file='${top}'/>` +
        `<target dev='hda' bus='ide'/></disk></devices></domain>\n`,
    );
    expect(run('define', 'dom.xml').status).toBe(0);
    expect(run('start', DOM).status).toBe(0);
    expect(run('blockcommit', DOM, 'hda', '--active').out).toBe('Active Block Commit started\n');

    await restart();
    expect(run('domstate', DOM).out).toBe('running\n\n');
    // virsh prints job info as a progress line, starting with a carriage return.
    expect(run('blockjob', DOM, 'hda', '--info').out).toBe('\rActive Block Commit: [100 %]\n\n');
    expect(run('blockjob', DOM, 'hda', '--pivot').status).toBe(0);
    expect(run('blockjob', DOM, 'hda', '--info').out).toBe('No current block job for hda\n');
    expect(run('domblklist', DOM).out).toContain(` hda      ${base}\n`);
    expect(run('destroy', DOM).status).toBe(0);
  }, 90_000);
});
