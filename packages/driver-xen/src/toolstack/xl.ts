/**
 * The driver's one boundary to the Xen toolstack: every hypervisor action is an `xl` command
 * run here, so a libxl binding could replace this module without touching the driver.
 */
import { execFile } from 'node:child_process';
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
  /** Bring vCPUs 0..n-1 online and the rest offline. */
  setVcpus(domid: number, n: number): Promise<void>;
  /** Suspend the domain into `file` (the toolstack's own save format); the domain is gone afterwards. */
  save(domid: number, file: string): Promise<void>;
  /** Re-create a domain from a file `save` wrote. */
  restore(file: string, opts: { paused: boolean }): Promise<void>;
}

/** The toolstack through the `xl` command at `command` (a path, or a name looked up in PATH). */
export class XlCommand implements XenToolstack {
  constructor(readonly command: string) {}

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

  /** Run `xl ARGS`; a failure becomes libvirt's internal error carrying xl's last message line. */
  private run(args: string[]): Promise<string> {
    return new Promise((resolve, reject) => {
      execFile(this.command, args, { maxBuffer: 16 << 20, env: process.env }, (error, stdout, stderr) => {
        if (!error) return resolve(stdout);
        const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
        const said = stderr.trim().split('\n').pop() || error.message;
        reject(
          VirError.create(
            ErrorNumber.VIR_ERR_INTERNAL_ERROR,
            ErrorDomain.VIR_FROM_LIBXL,
            missing ? `cannot run the Xen toolstack '${this.command}'` : `xl ${args[0]} failed: ${said}`,
          ),
        );
      });
    });
  }
}
