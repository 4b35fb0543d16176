#!/usr/bin/env node
/**
 * virtkit_lxc: the controller of one running container (libvirt's libvirt_lxc). The driver
 * starts it with the path of a JSON plan, beside the container's process chain
 * (container/controller.ts chainCommand: cgroups, network namespace and veths already made;
 * `script` → `unshare` → setup script → `<init>`), whose console FIFOs it gets as fds 3 (input)
 * and 4 (output). It outlives the API process that started it.
 *
 * It serves the console and a monitor on a unix socket. When the console output ends (the
 * chain's shell has exited, after writing `<name>.rc`) or on SIGTERM (destroy) it kills what is
 * left in the cgroups and removes cgroups, namespace, veths and socket. It writes
 * `<name>.exit.json` saying how the container ended, then exits.
 *
 * Plain CommonJS with no dependencies, so it runs from the source tree and installed alike.
 */
'use strict';
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');
const { execFileSync } = require('node:child_process');

const plan = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
let reason = 'shutdown';
process.on('SIGTERM', () => {
  reason = 'destroyed';
  killAll();
});
const exitFile = path.join(plan.runDir, `${plan.name}.exit.json`);
const pidFile = path.join(plan.runDir, `${plan.name}.pid.json`);
const runFile = (ext) => path.join(plan.runDir, `${plan.name}${ext}`);
const rcFile = runFile('.rc');
const consoleIn = new net.Socket({ fd: 3, readable: false, writable: true });
const consoleOut = new net.Socket({ fd: 4, readable: true, writable: false });

function tryRun(cmd, args) {
  try {
    execFileSync(cmd, args, { stdio: 'ignore' });
  } catch {
    // cleanup of something already gone
  }
}

function tryRmdir(dir) {
  try {
    if (dir) fs.rmdirSync(dir);
  } catch {
    // never made, or still busy
  }
}

function writeJson(file, value) {
  const tmp = `${file}.tmp${process.pid}`;
  fs.writeFileSync(tmp, JSON.stringify(value));
  fs.renameSync(tmp, file);
}

// --- cgroups --------------------------------------------------------------------------------

function cgroupPids() {
  const pids = new Set();
  for (const dir of plan.cgroup.dirs) {
    try {
      for (const p of fs.readFileSync(path.join(dir, 'cgroup.procs'), 'utf8').split('\n')) if (p) pids.add(Number(p));
    } catch {
      // controller folder already removed
    }
  }
  return [...pids];
}

function thaw() {
  if (!plan.cgroup.freezer) return;
  try {
    fs.writeFileSync(plan.cgroup.freezer, plan.cgroup.v2 ? '0' : 'THAWED');
  } catch {
    // no freezer
  }
}

function killAll() {
  thaw();
  for (const p of cgroupPids()) {
    try {
      process.kill(p, 'SIGKILL');
    } catch {
      // gone
    }
  }
}

async function removeCgroups() {
  thaw();
  for (let i = 0; i < 200; i++) {
    const pids = cgroupPids();
    if (!pids.length) break;
    for (const p of pids) {
      try {
        process.kill(p, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    await new Promise((r) => setTimeout(r, 10));
  }
  for (const dir of [...plan.cgroup.dirs].reverse()) {
    for (let i = 0; i < 100; i++) {
      try {
        fs.rmdirSync(dir);
        break;
      } catch (e) {
        if (e.code === 'ENOENT') break;
        await new Promise((r) => setTimeout(r, 10));
      }
    }
  }
}

// --- network --------------------------------------------------------------------------------

function removeNetwork() {
  if (!plan.netns) return;
  // Lent host interfaces go back to this process's namespace (the starting API process's).
  for (const dev of plan.hostNets ?? []) tryRun('ip', ['-n', plan.netns, 'link', 'set', 'dev', dev, 'netns', String(process.pid)]);
  for (const nic of plan.nics) if (!nic.macvlanOf) tryRun('ip', ['link', 'del', nic.hostIf]);
  tryRun('ip', ['netns', 'del', plan.netns]);
}

// --- console and monitor --------------------------------------------------------------------

const consoles = new Set();
const monitors = new Set();

function serve() {
  fs.rmSync(plan.socket, { force: true });
  const server = net.createServer((sock) => {
    sock.once('data', (first) => {
      const kind = first[0];
      const rest = first.subarray(1);
      if (kind === 0x43 /* C: console */) {
        consoles.add(sock);
        if (rest.length) consoleIn.write(rest);
        sock.on('data', (d) => consoleIn.write(d));
      } else monitors.add(sock);
    });
    sock.on('error', () => undefined);
    sock.on('close', () => {
      consoles.delete(sock);
      monitors.delete(sock);
    });
  });
  // Started at a lower priority so that its start-up yields to the container's: back to normal.
  server.listen(plan.socket, () => os.setPriority(0));
  return server;
}

// --- the container's end -------------------------------------------------------------------

/** How the chain ended: the exit status its shell recorded, none when it was killed. */
function chainStatus() {
  try {
    return { code: Number(fs.readFileSync(rcFile, 'utf8').trim()), signal: null };
  } catch {
    return { code: null, signal: 'SIGKILL' };
  }
}

async function main() {
  const server = serve();
  consoleIn.on('error', () => undefined);
  consoleOut.on('error', () => undefined);
  consoleOut.on('data', (d) => {
    for (const c of consoles) c.write(d);
  });
  await new Promise((resolve) => consoleOut.once('close', resolve));
  const status = chainStatus();
  if (status.code === null && reason !== 'destroyed') reason = 'failed';
  await removeCgroups();
  removeNetwork();
  server.close();
  consoleIn.destroy();
  tryRmdir(plan.rootMount);
  for (const f of [plan.socket, plan.initScript, ...['.rc', '.console-in', '.console-out', '.controller'].map(runFile)]) {
    fs.rmSync(f, { force: true });
  }
  writeJson(exitFile, { reason, code: status.code, signal: status.signal });
  fs.rmSync(pidFile, { force: true });
  for (const s of [...consoles, ...monitors]) s.destroy();
  process.exit(0);
}

main();
