/**
 * The driver's one boundary to the Xen toolstack: every hypervisor action is an `xl` command
 * run here, so a libxl binding could replace this module without touching the driver.
 */
import { execFile } from 'node:child_process';
import * as path from 'node:path';
import { ErrorDomain, ErrorNumber, VirError } from '@virtkit/core';
import { parseXlInfo, parseXlList, type XlDomainRow, type XlInfo } from './xl-output';

export interface XenToolstack {
  info(): Promise<XlInfo>;
  list(): Promise<XlDomainRow[]>;
  create(cfgFile: string, opts: { paused: boolean }): Promise<void>;
  destroy(domid: number): Promise<void>;
  shutdown(domid: number): Promise<void>;
  reboot(domid: number): Promise<void>;
  pause(domid: number): Promise<void>;
  unpause(domid: number): Promise<void>;
  /** Balloon the domain to `kib` KiB. */
  setMemory(domid: number, kib: bigint): Promise<void>;
  /** Let the domain grow to at most `kib` KiB. */
  setMaxMemory(domid: number, kib: bigint): Promise<void>;
  /** Bring vCPUs 0..n-1 online and the rest offline. */
  setVcpus(domid: number, n: number): Promise<void>;
  /** Suspend the domain into `file` (the toolstack's own save format); the domain is gone afterwards. */
  save(domid: number, file: string): Promise<void>;
  /** Re-create a domain from a file `save` wrote. */
  restore(file: string, opts: { paused: boolean }): Promise<void>;
  /** The pty xenconsoled made for console `num` of a kind (libxl_console_get_tty), or null while it has none. */
  consoleTty(domid: number, kind: ConsoleKind, num: number): Promise<string | null>;
}

/** libxl_console_type: a PV console ring, or an emulated serial port. */
export type ConsoleKind = 'pv' | 'serial';

/** Where xenconsoled writes a console's pty path (libxl's console tty path). */
function consoleTtyKey(domid: number, kind: ConsoleKind, num: number): string {
  const dom = `/local/domain/${domid}`;
  if (kind === 'serial') return `${dom}/serial/${num}/tty`;
  return num === 0 ? `${dom}/console/tty` : `${dom}/device/console/${num}/tty`;
}

/** The toolstack through the `xl` command at `command` (a path, or a name looked up in PATH), and xenstore through `xenstoreRead`. */
export class XlCommand implements XenToolstack {
  constructor(
    readonly command: string,
    readonly xenstoreRead: string,
  ) {}

  async info(): Promise<XlInfo> {
    return parseXlInfo(await this.run(['info']));
  }

  async list(): Promise<XlDomainRow[]> {
    return parseXlList(await this.run(['list', '-v']));
  }

  async create(cfgFile: string, opts: { paused: boolean }): Promise<void> {
    await this.run(['create', ...(opts.paused ? ['-p'] : []), cfgFile]);
  }

  async destroy(domid: number): Promise<void> {
    await this.run(['destroy', String(domid)]);
  }

  async shutdown(domid: number): Promise<void> {
    await this.run(['shutdown', String(domid)]);
  }

  async reboot(domid: number): Promise<void> {
    await this.run(['reboot', String(domid)]);
  }

  async pause(domid: number): Promise<void> {
    await this.run(['pause', String(domid)]);
  }

  async unpause(domid: number): Promise<void> {
    await this.run(['unpause', String(domid)]);
  }

  async setMemory(domid: number, kib: bigint): Promise<void> {
    // An explicit unit: xl's size parser would otherwise read a bare number in its own default unit.
    await this.run(['mem-set', String(domid), `${kib}k`]);
  }

  async setMaxMemory(domid: number, kib: bigint): Promise<void> {
    await this.run(['mem-max', String(domid), `${kib}k`]);
  }

  async setVcpus(domid: number, n: number): Promise<void> {
    // --ignore-host: libxl itself lets a guest have more vCPUs than the host has CPUs; only xl's front end refuses.
    await this.run(['vcpu-set', '--ignore-host', String(domid), String(n)]);
  }

  async save(domid: number, file: string): Promise<void> {
    await this.run(['save', String(domid), file]);
  }

  async restore(file: string, opts: { paused: boolean }): Promise<void> {
    await this.run(['restore', ...(opts.paused ? ['-p'] : []), file]);
  }

  async consoleTty(domid: number, kind: ConsoleKind, num: number): Promise<string | null> {
    // A key xenconsoled has not written yet is no error: the console just has no pty to join.
    const tty = await this.run([consoleTtyKey(domid, kind, num)], this.xenstoreRead).catch(() => '');
    return tty.trim() || null;
  }

  /** Run `xl ARGS` (or another toolstack command); a failure becomes libvirt's internal error carrying its last message line. */
  private run(args: string[], command = this.command): Promise<string> {
    return new Promise((resolve, reject) => {
      execFile(command, args, { maxBuffer: 16 << 20, env: process.env }, (error, stdout, stderr) => {
        if (!error) return resolve(stdout);
        const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
        const said = stderr.trim().split('\n').pop() || error.message;
        reject(
          VirError.create(
            ErrorNumber.VIR_ERR_INTERNAL_ERROR,
            ErrorDomain.VIR_FROM_LIBXL,
            missing ? `cannot run the Xen toolstack '${command}'` : `${path.basename(command)} ${args[0]} failed: ${said}`,
          ),
        );
      });
    });
  }
}
