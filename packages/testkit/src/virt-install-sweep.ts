/**
 * The virt-install sweep: domain XML that `virt-install --print-xml` writes for its common
 * options (disks, NICs, graphics, channels, controllers, TPM, RNG, sound, USB, firmware), asked
 * of a private libvirtd 9.0 with the QEMU driver, then defined on that libvirtd and on virtkitd.
 * Both must accept it, or refuse it with the same error; `dumpxml --inactive` of both is kept
 * for the report.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startDaemon, type RunningDaemon } from './daemon';
import { startLibvirtd, type RunningLibvirtd } from './libvirtd';

/** One virt-install invocation: a name for the report and the options after the common ones. */
export interface SweepCase {
  name: string;
  options: string[];
}

const BASE = ['--memory', '512', '--vcpus', '2', '--noautoconsole'];

/** virt-install's common options, a few per area (each case's own options follow BASE). */
export const SWEEP_CASES: SweepCase[] = [
  { name: 'linux2022-defaults', options: ['--osinfo', 'linux2022', '--disk', 'none', '--network', 'none'] },
  {
    name: 'generic-i440fx-bios',
    options: ['--osinfo', 'generic', '--machine', 'pc', '--boot', 'hd', '--disk', 'none', '--network', 'none'],
  },
  { name: 'win11-defaults', options: ['--osinfo', 'win11', '--disk', 'none', '--network', 'none'] },
  {
    name: 'disks',
    options: [
      '--osinfo',
      'linux2022',
      '--disk',
      'path=/var/tmp/sweep-a.qcow2,size=1,format=qcow2,bus=virtio,cache=none,io=native,discard=unmap',
      '--disk',
      'path=/var/tmp/sweep-b.img,size=1,format=raw,bus=sata,serial=SWEEP1',
      '--disk',
      'device=cdrom,bus=scsi',
      '--controller',
      'type=scsi,model=virtio-scsi',
      '--network',
      'none',
    ],
  },
  {
    name: 'nics',
    options: [
      '--osinfo',
      'linux2022',
      '--disk',
      'none',
      '--network',
      'user,model=virtio',
      '--network',
      'user,model=e1000e,mac=52:54:00:12:34:56',
    ],
  },
  {
    name: 'graphics-spice',
    options: ['--osinfo', 'linux2022', '--disk', 'none', '--network', 'none', '--graphics', 'spice', '--video', 'qxl'],
  },
  {
    name: 'graphics-vnc',
    options: ['--osinfo', 'linux2022', '--disk', 'none', '--network', 'none', '--graphics', 'vnc,listen=127.0.0.1,password=s3cret'],
  },
  {
    name: 'channels-consoles',
    options: [
      '--osinfo',
      'linux2022',
      '--disk',
      'none',
      '--network',
      'none',
      '--channel',
      'unix,target.type=virtio,name=org.qemu.guest_agent.0',
      '--channel',
      'spicevmc',
      '--serial',
      'pty',
      '--console',
      'pty,target.type=virtio',
    ],
  },
  {
    name: 'controllers-usb2',
    options: ['--osinfo', 'linux2022', '--machine', 'pc', '--disk', 'none', '--network', 'none', '--controller', 'usb2'],
  },
  {
    name: 'tpm-rng',
    options: ['--osinfo', 'linux2022', '--disk', 'none', '--network', 'none', '--tpm', 'emulator,model=tpm-crb', '--rng', '/dev/urandom'],
  },
  { name: 'sound', options: ['--osinfo', 'linux2022', '--disk', 'none', '--network', 'none', '--sound', 'ich9'] },
  {
    name: 'usb-input',
    options: [
      '--osinfo',
      'linux2022',
      '--disk',
      'none',
      '--network',
      'none',
      '--controller',
      'usb3',
      '--input',
      'tablet,bus=usb',
      '--input',
      'keyboard,bus=usb',
    ],
  },
  { name: 'firmware-efi', options: ['--osinfo', 'linux2022', '--disk', 'none', '--network', 'none', '--boot', 'uefi'] },
];

/** How one side took a definition. */
export interface DefineOutcome {
  ok: boolean;
  /** The error text when refused, the inactive XML when accepted. */
  text: string;
}

export interface SweepReport {
  name: string;
  /** virt-install's own failure (no XML to define). */
  generateError?: string;
  xml?: string;
  libvirt?: DefineOutcome;
  virtkit?: DefineOutcome;
  /** Same verdict, and the same error when refused. */
  same: boolean;
}

/** The two daemons a sweep defines on. */
export interface SweepPeers {
  libvirtd: RunningLibvirtd;
  virtkitd: RunningDaemon;
  libvirtUri: string;
  virtkitUri: string;
  stop: () => Promise<void>;
}

/** Start the private libvirtd (QEMU driver, session) and virtkitd (private qemu root). */
export async function startSweepPeers(): Promise<SweepPeers> {
  const libvirtd = await startLibvirtd({ drivers: ['qemu', 'storage', 'network', 'secret', 'nodedev'] });
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'virtkit-sweep-root-'));
  let virtkitd: RunningDaemon;
  try {
    virtkitd = await startDaemon(['--qemu-root', root]);
  } catch (e) {
    await libvirtd.stop();
    throw e;
  }
  return {
    libvirtd,
    virtkitd,
    libvirtUri: `qemu+unix:///session?socket=${libvirtd.sock}`,
    virtkitUri: `qemu+unix:///system?socket=${virtkitd.sock}`,
    stop: async () => {
      await virtkitd.stop();
      await libvirtd.stop();
      fs.rmSync(root, { recursive: true, force: true });
    },
  };
}

function run(cmd: string, args: string[], input?: string): { status: number | null; out: string } {
  const r = spawnSync(cmd, args, { encoding: 'utf8', input, timeout: 120000, env: { ...process.env, LANG: 'C', LC_ALL: 'C' } });
  return { status: r.status, out: `${r.stdout ?? ''}${r.stderr ?? ''}` };
}

/** Define `xml` through virsh on `uri`, read back its inactive XML, then undefine it. */
function defineOn(uri: string, name: string, xml: string): DefineOutcome {
  const file = path.join(os.tmpdir(), `virtkit-sweep-${process.pid}-${name}.xml`);
  fs.writeFileSync(file, xml);
  try {
    const def = run('virsh', ['-q', '-c', uri, 'define', file]);
    if (def.status !== 0) return { ok: false, text: def.out.trim().replace(/^error: Failed to define domain from \S+\s*/, '') };
    const dump = run('virsh', ['-q', '-c', uri, 'dumpxml', '--inactive', name]);
    const flags = /<os firmware=|<nvram/.test(dump.out) ? ['--nvram'] : [];
    run('virsh', ['-q', '-c', uri, 'undefine', ...flags, name]);
    return { ok: true, text: dump.out };
  } finally {
    fs.rmSync(file, { force: true });
  }
}

/** Run one case: generate with libvirtd's connection, define on both. */
export function sweepCase(peers: SweepPeers, c: SweepCase): SweepReport {
  const name = `sweep-${c.name}`;
  const gen = run('virt-install', ['--connect', peers.libvirtUri, '--print-xml', '--dry-run', '--name', name, ...BASE, ...c.options]);
  if (gen.status !== 0) return { name: c.name, generateError: gen.out.trim(), same: false };
  const xml = gen.out;
  const libvirt = defineOn(peers.libvirtUri, name, xml);
  const virtkit = defineOn(peers.virtkitUri, name, xml);
  const same = libvirt.ok === virtkit.ok && (libvirt.ok || libvirt.text === virtkit.text);
  return { name: c.name, xml, libvirt, virtkit, same };
}
