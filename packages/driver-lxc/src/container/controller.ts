/**
 * Starting and reaching a container's controller (libexec/virtkit_lxc.cjs): it runs detached
 * from the API process, so containers outlive it; the driver finds it again by its pid file and
 * its unix socket, whose monitor connection closes when the controller ends.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ErrorDomain, ErrorNumber, VirError } from '@virtkit/core';
import type { DomainDef } from '@virtkit/xml';
import { findInit, groupPids, makeGroups, removeGroups } from './cgroups';
import { userNamespaceLines } from './idmap';
import { makeNetwork, removeNetwork } from './network';
import { shQuote, type ContainerPlan } from './plan';

/** This module's folder: `__dirname` in CJS builds and jest, the first stack frame under tsx. */
function moduleDir(): string {
  if (typeof __dirname === 'string') return __dirname;
  const frame = /((?:file:\/\/)?\/[^\s()]+?):\d+:\d+/.exec(new Error().stack ?? '');
  if (!frame) throw VirError.internal('cannot tell where the LXC driver is installed');
  return path.dirname(frame[1].startsWith('file:') ? fileURLToPath(frame[1]) : frame[1]);
}

/** The controller program, `<package>/libexec/virtkit_lxc.cjs`: the `<emulator>` of LXC guests. */
export function controllerProgram(start: string = moduleDir()): string {
  for (let dir = start; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'libexec', 'virtkit_lxc.cjs');
    if (fs.existsSync(candidate)) return candidate;
    if (path.dirname(dir) === dir) throw VirError.internal(`cannot find the LXC controller above '${start}'`);
  }
}

export interface ControllerPids {
  controller: number;
  init?: number;
  tty?: string;
}

export interface ExitRecord {
  reason: 'shutdown' | 'destroyed' | 'failed';
  code: number | null;
  signal: string | null;
}

const lxcError = (detail: string) => VirError.create(ErrorNumber.VIR_ERR_INTERNAL_ERROR, ErrorDomain.VIR_FROM_LXC, detail);

function readJson<T>(file: string): T | undefined {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as T;
  } catch {
    return undefined;
  }
}

const runFile = (plan: { runDir: string; name: string }, ext: string) => path.join(plan.runDir, `${plan.name}${ext}`);
export const pidFile = (plan: { runDir: string; name: string }) => path.join(plan.runDir, `${plan.name}.pid.json`);
export const exitFile = (plan: { runDir: string; name: string }) => path.join(plan.runDir, `${plan.name}.exit.json`);

export function readPids(runDir: string, name: string): ControllerPids | undefined {
  return readJson<ControllerPids>(pidFile({ runDir, name }));
}

export function takeExitRecord(runDir: string, name: string): ExitRecord | undefined {
  const file = exitFile({ runDir, name });
  const rec = readJson<ExitRecord>(file);
  fs.rmSync(file, { force: true });
  return rec;
}

/** Whether process `pid` runs (a zombie, not yet reaped by its parent, does not). */
export function alive(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z/.test(fs.readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

/** The last lines of the controller's log, for an error message. */
function logTail(plan: ContainerPlan): string {
  try {
    return fs.readFileSync(runFile(plan, '.log'), 'utf8').trim().split('\n').slice(-3).join('; ');
  } catch {
    return '';
  }
}

/**
 * One `sh -c` command that starts the controller and the container side by side, so that the
 * controller's own start-up (a Node process) is not on the container's start path. The shell
 * makes two FIFOs for the console, starts the controller in the background with them as fds 3
 * (console input) and 4 (console output), records its pid, joins the container's groups, then
 * runs `script` (a pty: the console) → `nsenter --net` (with a namespace) → `unshare` of
 * mount/UTS/IPC/PID → the setup script, which execs `<init>`. The shell stays to record the
 * chain's exit status; its end closes the console output, which tells the controller.
 */
export function chainCommand(plan: ContainerPlan, controller: string[], script: string): string {
  const [fifoIn, fifoOut] = [shQuote(runFile(plan, '.console-in')), shQuote(runFile(plan, '.console-out'))];
  // With <idmap>, the setup script runs as the mapped root, who may not read the driver's folder: inline.
  const setup = plan.idmap ? ['sh', '-c', script] : ['sh', plan.initScript];
  const inner = ['unshare', '--mount', '--uts', '--ipc', '--pid', '--fork', '--propagation', 'private', ...setup];
  const user = plan.idmap ? ['nsenter', '--user=$userns', '--setuid=0', '--setgid=0'] : [];
  const cmd = [...(plan.netns ? ['nsenter', `--net=/run/netns/${plan.netns}`] : []), ...user, ...inner];
  // Quoted for the shell `script` runs; it expands $userns, exported by this one.
  const quoted = cmd.map((w) => (w.includes('$userns') ? `"${w}"` : shQuote(w))).join(' ');
  return [
    `rm -f ${fifoIn} ${fifoOut}; mkfifo -m 600 ${fifoIn} ${fifoOut} || exit 1`,
    `nice -n 10 ${controller.map(shQuote).join(' ')} 3<>${fifoIn} 4<${fifoOut} </dev/null >/dev/null &`,
    `echo $! > ${shQuote(runFile(plan, '.controller'))}`,
    ...plan.cgroup.dirs.map((d) => `echo $$ > ${shQuote(path.join(d, 'cgroup.procs'))}`),
    ...(plan.idmap ? userNamespaceLines(plan.idmap, shQuote) : []),
    `{ script -qefc ${shQuote(`exec ${quoted}`)} /dev/null; echo $? > ${shQuote(runFile(plan, '.rc'))}; } 0<>${fifoIn} 1<>${fifoOut}`,
  ].join('\n');
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function readPid(file: string): number {
  try {
    return Number(fs.readFileSync(file, 'utf8').trim()) || 0;
  } catch {
    return 0;
  }
}

/**
 * Start the container and its controller (see chainCommand), and return once the container's
 * init runs the program `<init>` names; the controller may still be starting then.
 */
export async function startController(plan: ContainerPlan, def: DomainDef, script: string, timeoutMs = 20000): Promise<ControllerPids> {
  fs.mkdirSync(plan.runDir, { recursive: true, mode: 0o700 });
  for (const ext of ['.exit.json', '.rc', '.log', '.controller']) fs.rmSync(runFile(plan, ext), { force: true });
  fs.writeFileSync(plan.initScript, script, { mode: 0o700 });
  const planFile = runFile(plan, '.plan.json');
  fs.writeFileSync(planFile, JSON.stringify(plan));
  const log = fs.openSync(runFile(plan, '.log'), 'a');
  let chain;
  try {
    makeGroups(plan.cgroup, def);
    makeNetwork(plan);
    chain = spawn('sh', ['-c', chainCommand(plan, [process.execPath, controllerProgram(), planFile], script)], {
      detached: true,
      stdio: ['ignore', 'ignore', log],
    });
  } catch (e) {
    await removeGroups(plan.cgroup);
    removeNetwork(plan);
    throw lxcError(`guest failed to start: ${(e as Error).message}`);
  } finally {
    fs.closeSync(log);
  }
  chain.unref();
  const deadline = Date.now() + timeoutMs;
  const want = path.basename(plan.init);
  while (Date.now() < deadline && chain.exitCode === null && chain.signalCode === null) {
    const init = findInit(plan.cgroup, want);
    if (init) {
      let tty = '';
      try {
        tty = fs.readlinkSync(`/proc/${init}/fd/0`);
      } catch {
        // init closed its stdin
      }
      const pids = { controller: readPid(runFile(plan, '.controller')), init, tty };
      fs.writeFileSync(pidFile(plan), JSON.stringify(pids));
      return pids;
    }
    await sleep(1);
  }
  // The chain ended (or hung) before its init ran: the controller cleans up and says so.
  const controller = readPid(runFile(plan, '.controller'));
  if (controller) {
    for (const pid of groupPids(plan.cgroup)) process.kill(pid, 'SIGKILL');
    for (let i = 0; i < 1000 && alive(controller); i++) await sleep(10);
  } else {
    await removeGroups(plan.cgroup);
    removeNetwork(plan);
  }
  takeExitRecord(plan.runDir, plan.name);
  throw lxcError(`guest failed to start: ${logTail(plan) || 'its init did not run'}`);
}

/** Open a connection to the controller: `M` for the monitor, `C` for the console. */
export function connectController(socket: string, kind: 'M' | 'C'): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const s = net.connect(socket, () => {
      s.write(kind);
      resolve(s);
    });
    s.once('error', reject);
  });
}
