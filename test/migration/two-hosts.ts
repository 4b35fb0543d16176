/**
 * Two virtkitd hosts on one machine for the migration suites: each daemon has its own QEMU root
 * and runs in its own network namespace (made here, joined by a veth pair) serving libvirt's RPC
 * on TCP. With `privateDir`, each host also sees its own directory at that one path (a mount
 * namespace binding `<work>/<letter>-disks` there), so a guest's disk path names a different
 * file on each host, as with two machines without shared storage.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { killLeftoverQemu, makeNetNs, startDaemon, type NetNs, type RunningDaemon } from '@virtkit/testkit';

export interface Host {
  letter: string;
  ns: NetNs;
  ip: string;
  root: string;
  daemon: RunningDaemon;
  /** qemu+tcp URI as seen from inside the namespaces. */
  tcp: string;
  /** qemu+unix URI for clients on this machine's own network. */
  unix: string;
  /** This host's own directory behind `privateDir` (when the hosts have one). */
  disks?: string;
}

/** virsh inside a host's namespace (so qemu+tcp reaches the daemons). */
export function virshIn(h: Host, ...args: string[]): { out: string; status: number | null } {
  const argv = h.ns.exec(['virsh', ...args]);
  const r = spawnSync(argv[0]!, argv.slice(1), { encoding: 'utf8', timeout: 120_000, env: { ...process.env, LANG: 'C', LC_ALL: 'C' } });
  return { out: `${r.stdout}${r.stderr}`, status: r.status };
}

/** virsh connected to the host's own daemon. */
export const on = (h: Host, ...args: string[]) => virshIn(h, '-c', h.tcp, ...args);

/** Bind `own` over `at` in a private mount namespace, then run the rest of the command line. */
export function privateMount(own: string, at: string): string[] {
  return ['unshare', '-m', '--propagation', 'private', 'sh', '-c', 'mount --bind "$1" "$2" && shift 2 && exec "$@"', 'sh', own, at];
}

async function startHost(work: string, letter: string, ip: string, ns: NetNs, privateDir?: string, daemonConf = ''): Promise<Host> {
  const root = path.join(work, letter);
  fs.mkdirSync(path.join(root, 'etc'), { recursive: true });
  // The destination names its own address in the migration URI (libvirt's migration_host).
  fs.writeFileSync(path.join(root, 'etc', 'qemu.conf'), `migration_host = "${ip}"\n`);
  const conf = path.join(work, `${letter}.conf`);
  fs.writeFileSync(conf, `listen_tcp = 1\nauth_tcp = "none"\nlisten_tls = 0\n${daemonConf}`);
  let wrapper = ['ip', 'netns', 'exec', ns.name];
  let disks: string | undefined;
  if (privateDir) {
    disks = path.join(work, `${letter}-disks`);
    fs.mkdirSync(disks, { recursive: true });
    wrapper = [...wrapper, ...privateMount(disks, privateDir)];
  }
  const daemon = await startDaemon(['--listen', '--config', conf, '--qemu-root', root], {}, wrapper);
  return { letter, ns, ip, root, daemon, disks, tcp: `qemu+tcp://${ip}/system`, unix: `qemu+unix:///system?socket=${daemon.sock}` };
}

/** Hosts A and B at SUBNET.1 and SUBNET.2; `daemonConf` holds more lines of both daemons' config. */
export async function startTwoHosts(work: string, subnet: string, privateDir?: string, daemonConf = ''): Promise<Host[]> {
  const nsA = makeNetNs(`${subnet.split('.').pop()}a`);
  const nsB = makeNetNs(`${subnet.split('.').pop()}b`);
  const hosts: Host[] = [];
  try {
    nsA.run('ip', 'link', 'add', 'mig0', 'type', 'veth', 'peer', 'name', 'mig1', 'netns', nsB.name);
    nsA.run('ip', 'addr', 'add', `${subnet}.1/24`, 'dev', 'mig0');
    nsB.run('ip', 'addr', 'add', `${subnet}.2/24`, 'dev', 'mig1');
    nsA.run('ip', 'link', 'set', 'mig0', 'up');
    nsB.run('ip', 'link', 'set', 'mig1', 'up');
    if (privateDir) fs.mkdirSync(privateDir, { recursive: true });
    hosts.push(await startHost(work, 'A', `${subnet}.1`, nsA, privateDir, daemonConf));
    hosts.push(await startHost(work, 'B', `${subnet}.2`, nsB, privateDir, daemonConf));
  } catch (e) {
    await stopHosts(hosts);
    nsA.remove();
    nsB.remove();
    throw e;
  }
  return hosts;
}

/** Stop the daemons, kill any QEMU they left, remove the namespaces. */
export async function stopHosts(hosts: readonly Host[]): Promise<void> {
  for (const h of hosts) {
    await h.daemon.stop();
    killLeftoverQemu(h.root);
    h.ns.remove();
  }
}
