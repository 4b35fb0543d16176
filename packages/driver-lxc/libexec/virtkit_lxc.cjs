#!/usr/bin/env node
/**
 * virtkit_lxc: the controller of one running container (libvirt's libvirt_lxc). The driver
 * starts it detached with the path of a JSON plan; it outlives the API process that started it.
 *
 * It joins the container's cgroups, makes the network namespace and veth pairs, then runs the
 * container through util-linux: `script` gives it a pty for its console, `nsenter` puts it in the
 * network namespace, `unshare` makes fresh mount/UTS/IPC/PID namespaces, and a generated shell
 * script mounts its filesystems and execs `<init>` chrooted as PID 1. The controller serves the
 * console and a monitor on a unix socket, and on the container's end (or SIGTERM: destroy)
 * kills what is left in its cgroups and removes cgroups, namespace, veths and socket. It writes
 * `<name>.exit.json` saying how the container ended, then exits.
 *
 * Plain CommonJS with no dependencies, so it runs from the source tree and installed alike.
 */
'use strict';
const fs = require('node:fs');
const net = require('node:net');
const path = require('node:path');
const { spawn, execFileSync } = require('node:child_process');

const plan = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
const exitFile = path.join(plan.runDir, `${plan.name}.exit.json`);
const pidFile = path.join(plan.runDir, `${plan.name}.pid.json`);
const log = fs.openSync(path.join(plan.runDir, `${plan.name}.log`), 'a');
let reason = 'shutdown';
let child;

function note(text) {
  fs.writeSync(log, `${new Date().toISOString()} ${text}\n`);
}

function run(cmd, args) {
  execFileSync(cmd, args, { stdio: ['ignore', 'ignore', log] });
}

function tryRun(cmd, args) {
  try {
    run(cmd, args);
  } catch {
    // cleanup of something already gone
  }
}

function writeJson(file, value) {
  const tmp = `${file}.tmp${process.pid}`;
  fs.writeFileSync(tmp, JSON.stringify(value));
  fs.renameSync(tmp, file);
}

// --- cgroups --------------------------------------------------------------------------------

function makeCgroups() {
  for (const dir of plan.cgroup.dirs) fs.mkdirSync(dir, { recursive: true });
  for (const [file, value] of plan.cgroup.limits) fs.writeFileSync(file, value);
}

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

function makeNetwork() {
  if (!plan.netns) return;
  run('ip', ['netns', 'add', plan.netns]);
  run('ip', ['-n', plan.netns, 'link', 'set', 'lo', 'up']);
  for (const nic of plan.nics) {
    run('ip', ['link', 'add', nic.hostIf, 'type', 'veth', 'peer', 'name', nic.peerIf]);
    if (nic.bridge) run('ip', ['link', 'set', nic.hostIf, 'master', nic.bridge]);
    run('ip', ['link', 'set', nic.hostIf, 'up']);
    for (const ip of nic.hostIps) run('ip', ['addr', 'add', ip, 'dev', nic.hostIf]);
    run('ip', ['link', 'set', nic.peerIf, 'netns', plan.netns]);
    const inNs = (...args) => run('ip', ['-n', plan.netns, ...args]);
    inNs('link', 'set', nic.peerIf, 'name', nic.guestIf);
    if (nic.mac) inNs('link', 'set', nic.guestIf, 'address', nic.mac);
    for (const ip of nic.ips) inNs('addr', 'add', ip, 'dev', nic.guestIf);
    if (nic.up) inNs('link', 'set', nic.guestIf, 'up');
    for (const r of nic.routes) inNs('route', 'add', r.dest, 'via', r.gateway, 'dev', nic.guestIf);
  }
}

function removeNetwork() {
  if (!plan.netns) return;
  for (const nic of plan.nics) tryRun('ip', ['link', 'del', nic.hostIf]);
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
        if (rest.length) child.stdin.write(rest);
        sock.on('data', (d) => child.stdin.write(d));
      } else monitors.add(sock);
    });
    sock.on('error', () => undefined);
    sock.on('close', () => {
      consoles.delete(sock);
      monitors.delete(sock);
    });
  });
  server.listen(plan.socket);
  return server;
}

// --- the container --------------------------------------------------------------------------

/** The host pid of the container's PID 1: the process of the cgroup whose innermost pid is 1. */
function findInit() {
  for (const pid of cgroupPids()) {
    try {
      const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
      const ns = /^NSpid:\s*(.*)$/m.exec(status);
      const ids = ns ? ns[1].trim().split(/\s+/) : [];
      if (ids.length > 1 && ids[ids.length - 1] === '1') return pid;
    } catch {
      // exited meanwhile
    }
  }
  return 0;
}

function startContainer() {
  const inner = ['unshare', '--mount', '--uts', '--ipc', '--pid', '--fork', '--propagation', 'private', 'sh', plan.initScript];
  const cmd = plan.netns ? ['nsenter', `--net=/run/netns/${plan.netns}`, ...inner] : inner;
  const quoted = cmd.map((a) => `'${a.replaceAll("'", "'\\''")}'`).join(' ');
  const procs = plan.cgroup.dirs.map((d) => `echo $$ > '${path.join(d, 'cgroup.procs')}'`).join('; ');
  child = spawn('sh', ['-c', `${procs}; exec script -qefc "exec ${quoted.replaceAll('"', '\\"')}" /dev/null`], {
    stdio: ['pipe', 'pipe', log],
  });
  child.stdout.on('data', (d) => {
    for (const c of consoles) c.write(d);
  });
  child.stdin.on('error', () => undefined);
  return new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
}

async function main() {
  fs.writeFileSync(pidFile, JSON.stringify({ controller: process.pid }));
  let server;
  let ended;
  try {
    makeCgroups();
    makeNetwork();
    server = serve();
    ended = startContainer();
    let init = 0;
    for (let i = 0; i < 500 && !init; i++) {
      init = findInit();
      if (!init) await Promise.race([new Promise((r) => setTimeout(r, 5)), ended]);
      if (child.exitCode !== null || child.signalCode !== null) break;
    }
    if (!init) throw new Error('the container ended before its init ran');
    // Ready once init is the program named by <init>, not the setup script before its exec.
    const want = path.basename(plan.init);
    for (let i = 0; i < 400; i++) {
      let comm = '';
      try {
        comm = fs.readFileSync(`/proc/${init}/comm`, 'utf8').trim();
      } catch {
        break;
      }
      if (comm === want.slice(0, 15)) break;
      await new Promise((r) => setTimeout(r, 2));
    }
    let tty = '';
    try {
      tty = fs.readlinkSync(`/proc/${init}/fd/0`);
    } catch {
      // init closed its stdin
    }
    writeJson(pidFile, { controller: process.pid, init, tty });
    note(`container ${plan.name} running, init pid ${init}`);
  } catch (e) {
    note(`start failed: ${e.message}`);
    reason = 'failed';
    if (child) child.kill('SIGKILL');
  }
  process.on('SIGTERM', () => {
    reason = 'destroyed';
    thaw();
    for (const p of cgroupPids()) {
      try {
        process.kill(p, 'SIGKILL');
      } catch {
        // gone
      }
    }
  });
  const status = ended ? await ended : { code: null, signal: null };
  await removeCgroups();
  removeNetwork();
  if (server) server.close();
  fs.rmSync(plan.socket, { force: true });
  fs.rmSync(plan.initScript, { force: true });
  writeJson(exitFile, { reason, code: status.code, signal: status.signal });
  fs.rmSync(pidFile, { force: true });
  for (const s of [...consoles, ...monitors]) s.destroy();
  process.exit(0);
}

main();
