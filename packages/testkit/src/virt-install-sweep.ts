/**
 * The virt-install sweep: domain XML that `virt-install --print-xml` writes for its common
 * options (disks, NICs, graphics, channels, controllers, TPM, RNG, sound, USB, firmware), asked
 * of a private libvirtd 9.0 with the QEMU driver, then defined on that libvirtd and on virtkitd,
 * and (when asked) started on both with real QEMU. Both must accept and run it, or refuse it with
 * the same error; the inactive and live XML of both are kept for the report.
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
  { name: 'tpm', options: ['--osinfo', 'linux2022', '--disk', 'none', '--network', 'none', '--tpm', 'emulator,model=tpm-crb'] },
  { name: 'rng', options: ['--osinfo', 'linux2022', '--disk', 'none', '--network', 'none', '--rng', '/dev/urandom'] },
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
  /** When asked to start it: whether it ran, and the error text or the live XML. */
  start?: { ok: boolean; text: string };
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
  /** Lines of the inactive XML that differ (`-` libvirt, `+` virtkit), after host paths are made alike. */
  inactiveDiff?: string[];
  /** The same for the live XML of the running domain, less the excluded lines. */
  liveDiff?: string[];
}

/**
 * Live XML lines that differ between libvirtd and virtkitd for reasons outside the definition:
 * each is a regular expression over a diff line, with why it is excluded.
 */
export const LIVE_XML_EXCLUSIONS: Array<{ line: RegExp; why: string }> = [
  {
    line: /^[-+]\s*<source path='\/dev\/pts\/\d+'\/>$|^[-+]\s*<(serial|console) type='pty' tty='\/dev\/pts\/\d+'>$/,
    why: 'pty numbers depend on what else runs on the host',
  },
  {
    line: /^[-+]\s*<cpu mode='custom' match='exact' check='(none|full)'>$|^-\s*<feature policy='require' name='[^']+'\/>$/,
    why: "not implemented: the guest CPU as QEMU expanded it (check='full' and the features QEMU added)",
  },
];

/** The XML with each daemon's private directory replaced by one token, so the two compare. */
function hostNeutral(xml: string, dirs: Array<[RegExp, string]>): string[] {
  let out = xml;
  for (const [re, token] of dirs) out = out.replace(re, token);
  return out
    .split('\n')
    .map((l) => l.trimEnd())
    .filter((l) => l !== '');
}

/** A line diff (LCS): `-` lines only in `a`, `+` lines only in `b`. */
export function lineDiff(a: string[], b: string[]): string[] {
  const n = a.length;
  const m = b.length;
  const lcs = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--)
    for (let j = m - 1; j >= 0; j--) lcs[i][j] = a[i] === b[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
  const out: string[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[i] === b[j]) {
      i++;
      j++;
    } else if (j < m && (i === n || lcs[i][j + 1] >= lcs[i + 1][j])) out.push(`+${b[j++]}`);
    else out.push(`-${a[i++]}`);
  }
  return out;
}

/** The two daemons a sweep defines on. */
export interface SweepPeers {
  libvirtd: RunningLibvirtd;
  virtkitd: RunningDaemon;
  libvirtUri: string;
  virtkitUri: string;
  /** virtkitd's private QEMU root (where its NVRAM, channel sockets and logs live). */
  virtkitRoot: string;
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
    virtkitRoot: root,
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

/** virsh's error text without its "error: Failed to ..." line. */
function errorText(out: string): string {
  return out
    .trim()
    .replace(/^error: Failed to (define domain from|start domain) \S+\s*/, '')
    .replace(/^error: /gm, '');
}

/**
 * Define `xml` through virsh on `uri` and read back its inactive XML; with `start`, start it,
 * read its live XML and destroy it; then undefine it (with its NVRAM).
 */
function defineOn(uri: string, name: string, xml: string, start: boolean): DefineOutcome {
  const file = path.join(os.tmpdir(), `virtkit-sweep-${process.pid}-${name}.xml`);
  fs.writeFileSync(file, xml);
  try {
    const def = run('virsh', ['-q', '-c', uri, 'define', file]);
    if (def.status !== 0) return { ok: false, text: errorText(def.out) };
    const dump = run('virsh', ['-q', '-c', uri, 'dumpxml', '--inactive', name]);
    const outcome: DefineOutcome = { ok: true, text: dump.out };
    if (start) {
      const st = run('virsh', ['-q', '-c', uri, 'start', name]);
      if (st.status === 0) {
        outcome.start = { ok: true, text: run('virsh', ['-q', '-c', uri, 'dumpxml', name]).out };
        run('virsh', ['-q', '-c', uri, 'destroy', name]);
      } else outcome.start = { ok: false, text: errorText(st.out) };
    }
    const flags = /<os firmware=|<nvram/.test(dump.out) ? ['--nvram'] : [];
    run('virsh', ['-q', '-c', uri, 'undefine', ...flags, name]);
    return outcome;
  } finally {
    fs.rmSync(file, { force: true });
  }
}

/**
 * Create the disk images a case's XML names (virt-install's `--dry-run` creates none), readable
 * and writable by the unprivileged libvirtd; returns them for removal.
 */
function createImages(xml: string): string[] {
  const made: string[] = [];
  for (const m of xml.matchAll(/<disk type="file" device="disk">[\s\S]*?<\/disk>/g)) {
    const src = /<source file="([^"]+)"/.exec(m[0])?.[1];
    const format = /<driver name="qemu" type="([^"]+)"/.exec(m[0])?.[1] ?? 'raw';
    if (!src || fs.existsSync(src)) continue;
    const r = run('qemu-img', ['create', '-q', '-f', format, src, '64M']);
    if (r.status !== 0) throw new Error(`qemu-img create ${src}: ${r.out}`);
    fs.chmodSync(src, 0o666);
    made.push(src);
  }
  return made;
}

/** Same verdict on both sides, and the same error when refused. */
function sameOutcome(a: { ok: boolean; text: string } | undefined, b: { ok: boolean; text: string } | undefined): boolean {
  if (!a || !b) return a === b;
  return a.ok === b.ok && (a.ok || a.text === b.text);
}

/**
 * Run one case: generate with libvirtd's connection, define on both; with `start`, also start
 * it on both (one after the other: they share its disk images) and compare the verdicts.
 */
export function sweepCase(peers: SweepPeers, c: SweepCase, start = false): SweepReport {
  const name = `sweep-${c.name}`;
  const gen = run('virt-install', ['--connect', peers.libvirtUri, '--print-xml', '--dry-run', '--name', name, ...BASE, ...c.options]);
  if (gen.status !== 0) return { name: c.name, generateError: gen.out.trim(), same: false };
  const xml = gen.out;
  const images = start ? createImages(xml) : [];
  try {
    const libvirt = defineOn(peers.libvirtUri, name, xml, start);
    const virtkit = defineOn(peers.virtkitUri, name, xml, start);
    const same = sameOutcome(libvirt, virtkit) && sameOutcome(libvirt.start, virtkit.start);
    const report: SweepReport = { name: c.name, xml, libvirt, virtkit, same };
    // libvirtd (session) keeps its files under XDG_CONFIG_HOME/libvirt/qemu, virtkitd under its root.
    const lvDirs: Array<[RegExp, string]> = [[new RegExp(`${peers.libvirtd.dir}/cfg/libvirt/qemu`, 'g'), 'STATE']];
    const vkDirs: Array<[RegExp, string]> = [[new RegExp(`${peers.virtkitRoot}/lib`, 'g'), 'STATE']];
    if (libvirt.ok && virtkit.ok) report.inactiveDiff = lineDiff(hostNeutral(libvirt.text, lvDirs), hostNeutral(virtkit.text, vkDirs));
    if (libvirt.start?.ok && virtkit.start?.ok) {
      report.liveDiff = lineDiff(hostNeutral(libvirt.start.text, lvDirs), hostNeutral(virtkit.start.text, vkDirs)).filter(
        (l) => !LIVE_XML_EXCLUSIONS.some((x) => x.line.test(l)),
      );
    }
    return report;
  } finally {
    for (const f of images) fs.rmSync(f, { force: true });
  }
}
