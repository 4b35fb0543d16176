/**
 * Real virsh 9.0 and vsh against virtkitd's QEMU driver for the cgroup tuning commands
 * (schedinfo, memtune, blkiotune): a running TCG guest with `<cputune>` and `<memtune>`, each
 * command shown and set live and in the persistent definition, virsh's output checked for the
 * values the guest's cgroup holds and vsh's output compared with virsh's byte for byte.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describeIf, killLeftoverQemu, startDaemon, type RunningDaemon } from '@virtkit/testkit';
import { runVirsh, runVsh, type Outcome } from '../cli/harness';

const DOM = 'vkcg-vm';
const XML =
  `<domain type='qemu'><name>${DOM}</name><memory unit='MiB'>64</memory><vcpu>1</vcpu>` +
  `<memtune><hard_limit unit='MiB'>512</hard_limit></memtune>` +
  `<cputune><shares>2048</shares><quota>50000</quota></cputune>` +
  `<os><type arch='x86_64'>hvm</type></os><devices/></domain>\n`;

describeIf('virsh', 'qemu')('schedinfo, memtune and blkiotune against virtkitd on the QEMU driver', () => {
  let daemon: RunningDaemon;
  let work: string;
  let root: string;
  let uri: string;
  const run = (...args: string[]) => runVirsh(['-c', uri, ...args]);
  const vsh = (...args: string[]) => runVsh(['-c', uri, ...args]);

  beforeAll(async () => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'virsh-cgroup-'));
    root = path.join(work, 'qemu-root');
    daemon = await startDaemon(['--qemu-root', root]);
    uri = `qemu+unix:///system?socket=${daemon.sock}`;
    fs.writeFileSync(path.join(work, 'dom.xml'), XML);
    expect(run('define', path.join(work, 'dom.xml')).code).toBe(0);
    expect(run('start', DOM).code).toBe(0);
  }, 60_000);

  afterAll(async () => {
    if (daemon) {
      run('destroy', DOM);
      run('undefine', DOM);
      await daemon.stop();
    }
    if (root) killLeftoverQemu(root);
    if (work) fs.rmSync(work, { recursive: true, force: true });
    if (daemon) fs.rmSync(daemon.dir, { recursive: true, force: true });
  }, 30_000);

  /** virsh's outcome of `args`, after checking vsh gives the same. */
  async function same(...args: string[]): Promise<Outcome> {
    const v = run(...args);
    expect(await vsh(...args)).toEqual(v);
    return v;
  }

  test('schedinfo shows the live and persistent CPU tunables and sets them', async () => {
    const live = await same('schedinfo', DOM);
    expect(live.code).toBe(0);
    expect(live.stdout).toMatch(/^Scheduler {6}: posix\ncpu_shares {5}: 2048\nvcpu_period {4}: 100000\nvcpu_quota {5}: 50000\n/);
    expect(live.stdout).toMatch(/^iothread_quota : -?\d+\n\n$/m);
    expect((await same('schedinfo', DOM, '--config')).stdout).toBe(
      'Scheduler      : posix\ncpu_shares     : 2048\nvcpu_period    : 0\nvcpu_quota     : 50000\nemulator_period: 0\n' +
        'emulator_quota : 0\nglobal_period  : 0\nglobal_quota   : 0\niothread_period: 0\niothread_quota : 0\n\n',
    );
    // sets are compared by what they leave: each tool's own set runs once
    expect(run('schedinfo', DOM, '--live', '--set', 'cpu_shares=700').stdout).toMatch(/^cpu_shares {5}: 700$/m);
    expect((await vsh('schedinfo', DOM, '--live', '--set', 'vcpu_quota=30000')).stdout).toMatch(/^vcpu_quota {5}: 30000$/m);
    expect((await same('schedinfo', DOM)).stdout).toMatch(/^cpu_shares {5}: 700\nvcpu_period {4}: 100000\nvcpu_quota {5}: 30000$/m);
    const bad = await same('schedinfo', DOM, '--set', 'vcpu_period=5');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain("error: invalid argument: value of 'vcpu_period' is out of range [1000, 1000000]");
  });

  test('memtune shows the limits in KiB and sets them live', async () => {
    const shown = await same('memtune', DOM);
    expect(shown.stdout).toBe('hard_limit     : 524288\nsoft_limit     : unlimited\nswap_hard_limit: unlimited\n\n');
    expect(run('memtune', DOM, '--hard-limit', '400000', '--live').code).toBe(0);
    expect((await same('memtune', DOM)).stdout).toMatch(/^hard_limit {5}: 400000$/m);
    expect((await vsh('memtune', DOM, '--soft-limit', '300000', '--config')).code).toBe(0);
    expect((await same('memtune', DOM, '--config')).stdout).toBe(
      'hard_limit     : 524288\nsoft_limit     : 300000\nswap_hard_limit: unlimited\n\n',
    );
  });

  test('blkiotune: persistent values shown and set; the live weight needs a bfq or cfq I/O scheduler, as with libvirtd', async () => {
    expect(run('blkiotune', DOM, '--config', '--device-read-bytes-sec', '/dev/loop0,1048576').code).toBe(0);
    expect((await vsh('blkiotune', DOM, '--config', '--weight', '300')).code).toBe(0);
    expect((await same('blkiotune', DOM, '--config')).stdout).toBe(
      'weight         : 300\ndevice_weight  : \ndevice_read_iops_sec: \ndevice_write_iops_sec: \n' +
        'device_read_bytes_sec: /dev/loop0,1048576\ndevice_write_bytes_sec: \n\n',
    );
    const live = await same('blkiotune', DOM);
    if (!fs.readdirSync('/sys/fs/cgroup/blkio').some((f) => /^blkio\.(bfq\.)?weight$/.test(f))) {
      expect(live.code).toBe(1);
      expect(live.stderr).toContain('blkio device weight is valid only for bfq or cfq scheduler');
    }
  });
});
