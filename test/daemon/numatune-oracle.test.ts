/**
 * virDomainGet/SetNumaParameters on running QEMU guests: real virsh 9.0 against virtkitd and
 * against a privileged libvirtd 9.0 QEMU driver (in its own mount namespace, see testkit's
 * startLibvirtd), the same `numatune` commands compared byte for byte through restrictive,
 * strict and unset memory policies, live and persistent; and the memory binding virtkit gives
 * each of the guest's thread groups (`cpuset.mems`) checked on the host.
 */
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

/** A TCG guest named `name` with the given `<numatune>`. */
const domainXml = (name: string, numatune: string) =>
  `<domain type='qemu'><name>${name}</name><memory unit='MiB'>64</memory><vcpu>1</vcpu>${numatune}` +
  `<os><type arch='x86_64'>hvm</type></os><devices/></domain>\n`;

const POLICIES: Record<string, string> = {
  restrictive: "<numatune><memory mode='restrictive' nodeset='0'/></numatune>",
  strict: "<numatune><memory mode='strict' nodeset='0'/></numatune>",
  unset: '',
};

/** cpuset.mems of one of a running guest's thread groups (under the daemon's machine name for it). */
function memsOf(name: string, thread: string): string {
  const machines = '/sys/fs/cgroup/cpuset/machine';
  const group = fs.readdirSync(machines).find((d) => d.endsWith(`-${name}.libvirt-qemu`));
  if (!group) throw new Error(`no cpuset group of ${name} in ${machines}`);
  return fs.readFileSync(path.join(machines, group, thread, 'cpuset.mems'), 'utf8').trim();
}

describeIf(
  'virsh 9.0',
  'root',
  'qemu',
  'libvirtd',
  'mount namespaces',
  'cgroup v1 cpuset',
)('numatune on running QEMU guests: virsh on virtkitd against virsh on libvirt 9.0', () => {
  let work: string;
  let root: string;
  let ours: RunningDaemon;
  let libvirt: RunningLibvirtd;
  /** [libvirt's, ours], each with the prefix of the names its guests get. */
  const sides: Array<{ uri: string; prefix: string }> = [];
  /** virsh's output for one command on both daemons, a guest's name in it written as NAME. */
  const both = (policy: string, ...args: string[]) =>
    sides.map(({ uri, prefix }) =>
      virsh(['-c', uri, ...args.map((a) => a.replace('NAME', prefix + policy))], work).out.replaceAll(prefix + policy, 'NAME'),
    );

  beforeAll(async () => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'numatune-'));
    root = path.join(work, 'qemu-root');
    libvirt = await startLibvirtd({
      drivers: ['qemu'],
      privateSystemDirs: true,
      qemuConf: 'user = "root"\ngroup = "root"\nsecurity_driver = "none"\nstdio_handler = "file"\n',
    });
    ours = await startDaemon(['--qemu-root', root]);
    // the two daemons' guests must not share cgroup folders (machine/qemu-ID-NAME), so the names differ
    sides.push(
      { uri: `qemu+unix:///system?socket=${libvirt.sock}`, prefix: 'lv-' },
      { uri: `qemu+unix:///system?socket=${ours.sock}`, prefix: 'vk-' },
    );
    for (const { uri, prefix } of sides) {
      for (const [policy, numatune] of Object.entries(POLICIES)) {
        const file = path.join(work, `${prefix}${policy}.xml`);
        fs.writeFileSync(file, domainXml(prefix + policy, numatune));
        expect(virsh(['-c', uri, 'define', file], work).status).toBe(0);
        expect(virsh(['-c', uri, 'start', prefix + policy], work)).toMatchObject({ status: 0 });
      }
    }
  }, 120_000);

  afterAll(async () => {
    for (const { uri, prefix } of sides) {
      for (const policy of Object.keys(POLICIES)) {
        virsh(['-c', uri, 'destroy', prefix + policy], work);
        virsh(['-c', uri, 'undefine', prefix + policy], work);
      }
    }
    await libvirt?.stop();
    await ours?.stop();
    if (root) killLeftoverQemu(root);
    fs.rmSync(work, { recursive: true, force: true });
  }, 60_000);

  const compare = (policy: string, commands: string[][]) => {
    for (const args of commands) {
      const [theirs, mine] = both(policy, ...args);
      expect({ args, out: mine }).toEqual({ args, out: theirs });
    }
  };

  it('binds every thread group of a restrictive guest and moves the binding live', () => {
    expect(memsOf('vk-restrictive', 'vcpu0')).toBe('0');
    expect(memsOf('vk-restrictive', 'emulator')).toBe('0');
    compare('restrictive', [
      ['numatune', 'NAME'],
      ['numatune', 'NAME', '--nodeset', '0'],
      ['numatune', 'NAME', '--mode', 'strict'],
      ['numatune', 'NAME', '--mode', 'restrictive', '--nodeset', '0'],
      ['numatune', 'NAME', '--nodeset', '3'],
      ['numatune', 'NAME', '--nodeset', 'x'],
      ['numatune', 'NAME', '--mode', '9'],
      ['numatune', 'NAME', '--config', '--nodeset', '0-1,3', '--mode', 'interleave'],
      ['numatune', 'NAME', '--config'],
      ['numatune', 'NAME'],
    ]);
    const [theirs, mine] = both('restrictive', 'dumpxml', '--inactive', 'NAME').map((x) => /<numatune>[^]*<\/numatune>/.exec(x)?.[0]);
    expect(mine).toBe("<numatune>\n    <memory mode='interleave' nodeset='0-1,3'/>\n  </numatune>");
    expect(mine).toBe(theirs);
  });

  it('keeps a strict guest where it is', () => {
    expect(memsOf('vk-strict', 'vcpu0')).toBe('0');
    compare('strict', [
      ['numatune', 'NAME'],
      ['numatune', 'NAME', '--nodeset', '0'],
      ['numatune', 'NAME', '--mode', 'strict'],
      ['numatune', 'NAME', '--mode', 'strict', '--nodeset', '0'],
      ['numatune', 'NAME', '--mode', 'interleave'],
      ['numatune', 'NAME', '--live', '--config', '--nodeset', '0'],
    ]);
  });

  it('binds a guest without a policy once asked to, and records the choice', () => {
    compare('unset', [
      ['numatune', 'NAME'],
      ['numatune', 'NAME', '--config'],
      ['numatune', 'NAME', '--nodeset', '0'],
      ['numatune', 'NAME'],
      ['numatune', 'NAME', '--mode', 'preferred', '--config'],
      ['numatune', 'NAME', '--config'],
    ]);
    expect(memsOf('vk-unset', 'vcpu0')).toBe('0');
    const [theirs, mine] = both('unset', 'dumpxml', 'NAME').map((x) => /<numatune>[^]*<\/numatune>/.exec(x)?.[0]);
    expect(mine).toBe(theirs);
  });
});
