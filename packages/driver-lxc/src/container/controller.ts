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
import type { ContainerPlan } from './plan';

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

export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The last lines of the controller's log, for an error message. */
function logTail(plan: ContainerPlan): string {
  try {
    return fs
      .readFileSync(path.join(plan.runDir, `${plan.name}.log`), 'utf8')
      .trim()
      .split('\n')
      .slice(-3)
      .join('; ');
  } catch {
    return '';
  }
}

/** Start the controller with the plan and script, and wait until the container's init runs. */
export async function startController(plan: ContainerPlan, script: string, timeoutMs = 20000): Promise<ControllerPids> {
  fs.mkdirSync(plan.runDir, { recursive: true, mode: 0o700 });
  fs.rmSync(exitFile(plan), { force: true });
  fs.rmSync(path.join(plan.runDir, `${plan.name}.log`), { force: true });
  fs.writeFileSync(plan.initScript, script, { mode: 0o700 });
  const planFile = path.join(plan.runDir, `${plan.name}.plan.json`);
  fs.writeFileSync(planFile, JSON.stringify(plan));
  const child = spawn(process.execPath, [controllerProgram(), planFile], { detached: true, stdio: 'ignore' });
  child.unref();
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const pids = readPids(plan.runDir, plan.name);
    if (pids?.init) return pids;
    const ended = takeExitRecord(plan.runDir, plan.name);
    if (ended) throw lxcError(`guest failed to start: ${logTail(plan) || ended.reason}`);
    await new Promise((r) => setTimeout(r, 3));
  }
  if (child.pid) process.kill(child.pid, 'SIGTERM');
  throw lxcError('guest failed to start: timed out waiting for its init');
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
