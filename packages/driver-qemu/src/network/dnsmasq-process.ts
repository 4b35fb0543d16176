/**
 * The dnsmasq of a network (libvirt's networkStartDhcpDaemon / networkKillDaemon): the
 * configuration generated as libvirt's (`@virtkit/xml` networkDnsmasqConfContents) is written to
 * `dnsmasqDir/NAME.conf` with its hosts files, and dnsmasq is started on it; it daemonizes and
 * writes `stateDir/NAME.pid`, so it outlives the driver and is found again through that file.
 *
 * Leases: libvirt runs dnsmasq with `--leasefile-ro --dhcp-script=libvirt_leaseshelper`, a
 * helper binary that keeps `BRIDGE.status` as JSON. We have no helper binary to install, so
 * dnsmasq keeps its own lease database, `dnsmasqDir/BRIDGE.leases` (`--dhcp-leasefile`), and the
 * driver reads that file (leases.ts): the same facts, in dnsmasq's documented format.
 */
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ErrorDomain, ErrorNumber, VirError } from '@virtkit/core';
import { dnsmasqContext, networkDnsmasqConfContents, parseDnsmasqVersion, type NetworkDef } from '@virtkit/xml';
import { pidAlive, sleep } from '../fsutil';
import type { NetworkDriverDirs } from './dirs';

const DNSMASQ = 'dnsmasq';

export function pidFile(dirs: NetworkDriverDirs, name: string): string {
  return path.join(dirs.stateDir, `${name}.pid`);
}

export function confFile(dirs: NetworkDriverDirs, name: string): string {
  return path.join(dirs.dnsmasqDir, `${name}.conf`);
}

/** dnsmasq's lease database of the network on `bridge`. */
export function leaseFile(dirs: NetworkDriverDirs, bridge: string): string {
  return path.join(dirs.dnsmasqDir, `${bridge}.leases`);
}

function run(args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(DNSMASQ, args, { encoding: 'utf8', timeout: 30_000 }, (err, stdout, stderr) =>
      err ? reject(new Error((stderr || stdout).trim() || err.message)) : resolve(stdout),
    );
  });
}

/** Write the configuration and hosts files (hosts files readable by dnsmasq's own user for SIGHUP). */
export function writeDnsmasqFiles(dirs: NetworkDriverDirs, def: NetworkDef): string {
  fs.mkdirSync(dirs.dnsmasqDir, { recursive: true });
  const ctx = dnsmasqContext(def.name, dirs.dnsmasqDir);
  const files = networkDnsmasqConfContents(def, { ctx, pidfile: pidFile(dirs, def.name) });
  const conf = confFile(dirs, def.name);
  fs.writeFileSync(conf, files.conf, { mode: 0o600 });
  if (files.hostsfile !== undefined) fs.writeFileSync(ctx.hostsfilePath, files.hostsfile, { mode: 0o644 });
  else fs.rmSync(ctx.hostsfilePath, { force: true });
  fs.writeFileSync(ctx.addnhostsPath, files.addnhosts, { mode: 0o644 });
  return conf;
}

/** The pid in the network's pid file when that process is its dnsmasq (running on its conf file). */
export function runningDnsmasq(dirs: NetworkDriverDirs, name: string): number | undefined {
  let pid: number;
  try {
    pid = Number(fs.readFileSync(pidFile(dirs, name), 'utf8').trim());
  } catch {
    return undefined;
  }
  if (!pidAlive(pid)) return undefined;
  try {
    const argv = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    return argv.includes(`--conf-file=${confFile(dirs, name)}`) ? pid : undefined;
  } catch {
    return undefined;
  }
}

/** Start dnsmasq for `def` (its bridge is up); resolves once it has daemonized and written its pid. */
export async function startDnsmasq(dirs: NetworkDriverDirs, def: NetworkDef): Promise<number> {
  let version: string;
  try {
    version = await run(['--version']);
  } catch (e) {
    throw VirError.create(
      ErrorNumber.VIR_ERR_INTERNAL_ERROR,
      ErrorDomain.VIR_FROM_NETWORK,
      `Cannot check dnsmasq binary ${DNSMASQ}: ${(e as Error).message}`,
    );
  }
  parseDnsmasqVersion(version, DNSMASQ);
  fs.mkdirSync(dirs.stateDir, { recursive: true });
  fs.rmSync(pidFile(dirs, def.name), { force: true });
  const conf = writeDnsmasqFiles(dirs, def);
  // dnsmasq returns once its child is ready (or reports the child's start-up error).
  await run([`--conf-file=${conf}`, `--dhcp-leasefile=${leaseFile(dirs, def.bridge!)}`]).catch((e: Error) => {
    throw VirError.create(
      ErrorNumber.VIR_ERR_INTERNAL_ERROR,
      ErrorDomain.VIR_FROM_NETWORK,
      `Child process (${DNSMASQ} --conf-file=${conf}) unexpected exit status: ${e.message}`,
    );
  });
  for (let i = 0; i < 50; i++) {
    const pid = runningDnsmasq(dirs, def.name);
    if (pid) return pid;
    await sleep(20);
  }
  throw VirError.create(
    ErrorNumber.VIR_ERR_INTERNAL_ERROR,
    ErrorDomain.VIR_FROM_NETWORK,
    `dnsmasq of network '${def.name}' wrote no pid file`,
  );
}

/** Stop the network's dnsmasq (SIGTERM, then SIGKILL after 2 s) and remove its pid file. */
export async function stopDnsmasq(dirs: NetworkDriverDirs, name: string): Promise<void> {
  const pid = runningDnsmasq(dirs, name);
  if (pid) {
    process.kill(pid, 'SIGTERM');
    for (let i = 0; i < 100 && pidAlive(pid); i++) await sleep(20);
    if (pidAlive(pid)) process.kill(pid, 'SIGKILL');
  }
  fs.rmSync(pidFile(dirs, name), { force: true });
}

/** Make a running dnsmasq re-read its hosts files (networkRefreshDhcpDaemon). */
export function reloadDnsmasq(dirs: NetworkDriverDirs, def: NetworkDef): void {
  const pid = runningDnsmasq(dirs, def.name);
  if (!pid) return;
  writeDnsmasqFiles(dirs, def);
  process.kill(pid, 'SIGHUP');
}
