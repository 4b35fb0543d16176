/*
 * A STAND-IN for Xen's `xl` command, for testing the Xen driver on machines without a Xen
 * hypervisor (no Xen runs under this kernel). It is not Xen: it keeps its "domains" in the JSON
 * file named by XL_STAND_IN_STATE and prints what xl 4.17 prints for the subcommands the driver
 * uses, in the formats of Xen's tools/xl sources (xl_info.c, xl_vmcontrol.c, xl_utils.c).
 */
'use strict';
const { Buffer } = require('buffer');
const { execFileSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const stateFile = process.env.XL_STAND_IN_STATE;
if (!stateFile) {
  process.stderr.write('xl stand-in: XL_STAND_IN_STATE is not set\n');
  process.exit(1);
}

function load() {
  try {
    return JSON.parse(fs.readFileSync(stateFile, 'utf8'));
  } catch {
    return { nextDomid: 1, domains: [] };
  }
}

function save(state) {
  const tmp = `${stateFile}.tmp${process.pid}`;
  fs.writeFileSync(tmp, JSON.stringify(state));
  fs.renameSync(tmp, stateFile);
}

function fail(message) {
  process.stderr.write(`${message}\n`);
  process.exit(1);
}

/** find_domain (xl_utils.c): a domid or a name. */
function findDomain(state, text) {
  const d = state.domains.find((x) => String(x.domid) === text || x.name === text);
  if (!d) fail(`${text} is an invalid domain identifier (rc=-6)`);
  return d;
}

/** The `key = value` settings of an xl.cfg the stand-in needs (strings, numbers, lists skipped). */
function readCfg(file) {
  const cfg = {};
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    const m = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(?:"([^"]*)"|'([^']*)'|(\d+))\s*$/.exec(line);
    if (m) cfg[m[1]] = m[2] ?? m[3] ?? Number(m[4]);
  }
  return cfg;
}

/**
 * Give domain `d` its console: a xenconsoled stand-in holding a pty (its path goes where
 * xenconsoled writes it in xenstore, read back by `--xenstore-read`). An HVM domain's serial port
 * shares it, as one pty is all the stand-in's guest has.
 */
function attachConsole(d) {
  const out = execFileSync('python3', [path.join(__dirname, 'xenconsoled-stand-in.py'), stateFile, d.name]).toString();
  const [tty, pid] = out.trim().split(' ');
  d.consoleTty = tty;
  d.consolePid = Number(pid);
}

/** xenstore-read of a console pty key: `/local/domain/ID/console/tty` or `/local/domain/ID/serial/0/tty`. */
function xenstoreRead(args) {
  const key = args[0] ?? '';
  const m = /^\/local\/domain\/(\d+)\/(console|serial\/0)\/tty$/.exec(key);
  const d = m && load().domains.find((x) => String(x.domid) === m[1]);
  if (!d || (m[2] === 'serial/0' && !d.serial)) fail(`xenstore-read: couldn't read path ${key}`);
  process.stdout.write(`${d.consoleTty}\n`);
}

/** savefileheader_magic (xl_saverestore.c), padded to its 32 bytes. */
const SAVE_MAGIC = Buffer.alloc(32);
SAVE_MAGIC.write('Xen saved domain, xl format\n \0 \r', 'latin1');

const pad = (s, n) => String(s).padEnd(n);
const lpad = (s, n) => String(s).padStart(n);

function cpuSeconds(d) {
  return d.paused ? d.cpu : d.cpu + (Date.now() - d.since) / 10000;
}

function info() {
  const u = os.userInfo();
  const lines = [
    ['host', os.hostname()],
    ['release', os.release()],
    ['version', os.version()],
    ['machine', 'x86_64'],
    ['nr_cpus', 4],
    ['max_cpu_id', 3],
    ['nr_nodes', 1],
    ['cores_per_socket', 4],
    ['threads_per_core', 1],
    ['cpu_mhz', '2394.454'],
    ['hw_caps', 'bfebfbff:77fefbff:2c100800:00000121:0000000f:009c6fbf:00000000:00000100'],
    ['virt_caps', ' hvm hvm_directio'],
    ['total_memory', 16384],
    ['free_memory', 16384 - load().domains.reduce((s, d) => s + d.mem, 0) - 1024],
    ['sharing_freed_memory', 0],
    ['sharing_used_memory', 0],
    ['outstanding_claims', 0],
    ['free_cpus', 0],
    ['xen_major', 4],
    ['xen_minor', 17],
    ['xen_extra', '.1'],
    ['xen_version', '4.17.1'],
    ['xen_caps', 'xen-3.0-x86_64 hvm-3.0-x86_32 hvm-3.0-x86_32p hvm-3.0-x86_64'],
    ['xen_scheduler', 'credit2'],
    ['xen_pagesize', 4096],
    ['platform_params', 'virt_start=0xffff800000000000'],
    ['xen_changeset', ''],
    ['xen_commandline', 'placeholder dom0_mem=1024M'],
    ['cc_compiler', 'x86_64-linux-gnu-gcc (Debian 12.2.0-14) 12.2.0'],
    ['cc_compile_by', u.username],
    ['cc_compile_domain', 'stand-in'],
    ['cc_compile_date', 'Thu Jan  1 00:00:00 UTC 2026'],
    ['build_id', ''],
    ['xend_config_format', 4],
  ];
  // maybe_printf("%-22s : %s"): keys padded to 22 columns.
  process.stdout.write(lines.map(([k, v]) => `${pad(k, 22)} : ${v}\n`).join(''));
}

function list(args) {
  const verbose = args.includes('-v') || args.includes('--verbose');
  const state = load();
  let out = 'Name                                        ID   Mem VCPUs\tState\tTime(s)';
  if (verbose) out += '   UUID                            Reason-Code\tSecurity Label';
  out += '\n';
  const dom0 = {
    name: 'Domain-0',
    domid: 0,
    mem: 1024,
    vcpus: 4,
    paused: false,
    cpu: 42,
    since: Date.now(),
    uuid: '00000000-0000-0000-0000-000000000000',
  };
  for (const d of [dom0, ...state.domains]) {
    const flags = `${d.paused ? '-' : 'r'}-${d.paused ? 'p' : '-'}---`;
    out += `${pad(d.name, 40)} ${lpad(d.domid, 5)} ${lpad(d.mem, 5)} ${lpad(d.vcpus, 5)}     ${flags}  ${lpad(cpuSeconds(d).toFixed(1), 8)}`;
    if (verbose) out += ` ${d.uuid} ${lpad('-', 8)} ${lpad('-', 16)}`;
    out += '\n';
  }
  process.stdout.write(out);
}

function create(args) {
  const paused = args.includes('-p');
  const file = args.filter((a) => !a.startsWith('-'))[0];
  if (!file) fail("'xl create' requires at least 1 argument.");
  process.stderr.write(`Parsing config from ${file}\n`);
  const cfg = readCfg(file);
  if (!cfg.name) fail('Domain name must be specified.');
  const state = load();
  if (state.domains.some((d) => d.name === cfg.name)) fail(`xl stand-in: a domain named '${cfg.name}' already exists`);
  const d = {
    name: cfg.name,
    uuid: cfg.uuid,
    domid: state.nextDomid++,
    mem: Number(cfg.memory) || 128,
    vcpus: Number(cfg.vcpus) || 1,
    maxVcpus: Number(cfg.maxvcpus) || Number(cfg.vcpus) || 1,
    serial: cfg.serial === 'pty',
    paused,
    cpu: 0,
    since: Date.now(),
  };
  attachConsole(d);
  state.domains.push(d);
  save(state);
}

function withDomain(args, fn) {
  if (!args[0]) fail('xl stand-in: a domain is required');
  const state = load();
  const d = findDomain(state, args[0]);
  fn(state, d);
  save(state);
}

function memSize(text) {
  const m = /^(\d+)([bkmgt]?)$/i.exec(text);
  if (!m) fail(`Parsing error: invalid memory size: ${text}`);
  const kib = { b: 1 / 1024, k: 1, m: 1024, g: 1024 * 1024, t: 1024 * 1024 * 1024, '': 1024 }[m[2].toLowerCase()];
  return Math.floor((Number(m[1]) * kib) / 1024);
}

const [cmd, ...args] = process.argv.slice(2);
switch (cmd) {
  case '--xenstore-read':
    xenstoreRead(args);
    break;
  case 'info':
    info();
    break;
  case 'list':
    list(args);
    break;
  case 'create':
    create(args);
    break;
  case 'destroy':
    withDomain(args, (s, d) => (s.domains = s.domains.filter((x) => x !== d)));
    break;
  case 'shutdown':
    // The guest acts on the request at once: it leaves the list, as a shut-down domain does.
    withDomain(args, (s, d) => {
      process.stderr.write(`Shutting down domain ${d.domid}\n`);
      s.domains = s.domains.filter((x) => x !== d);
    });
    break;
  case 'reboot':
    // xl re-creates a rebooted domain: same name and UUID, a new domid.
    withDomain(args, (s, d) => {
      process.stderr.write(`Rebooting domain ${d.domid}\n`);
      d.domid = s.nextDomid++;
      attachConsole(d);
    });
    break;
  case 'pause':
    withDomain(args, (_s, d) => {
      d.cpu = cpuSeconds(d);
      d.paused = true;
    });
    break;
  case 'unpause':
    withDomain(args, (_s, d) => {
      d.paused = false;
      d.since = Date.now();
    });
    break;
  case 'mem-set':
    withDomain(args, (_s, d) => (d.mem = memSize(args[1] ?? '')));
    break;
  case 'mem-max':
    withDomain(args, (_s, d) => (d.maxMem = memSize(args[1] ?? '')));
    break;
  case 'vcpu-set': {
    // vcpuset (xl_vcpu.c): without --ignore-host, more vCPUs than host CPUs is refused by xl itself.
    const ignoreHost = args[0] === '-i' || args[0] === '--ignore-host';
    const [dom, count] = ignoreHost ? args.slice(1) : args;
    withDomain([dom], (_s, d) => {
      const n = Number(count);
      if (!Number.isInteger(n) || n < 1) fail(`Invalid argument ${count}.`);
      if (!ignoreHost && n > 4)
        fail(`You are overcommmitting! You have 4 physical CPUs and want ${n} vCPUs! Aborting, use --ignore-host to continue`);
      // libxl_set_vcpuonline refuses vCPUs beyond the domain's maximum.
      if (n > d.maxVcpus) fail(`libxl: error: libxl_domain.c: Requested ${n} VCPUs, however maxcpus is ${d.maxVcpus}!`);
      d.vcpus = n;
    });
    break;
  }
  case 'save': {
    // xl save DOMAIN FILE: the domain is suspended into FILE (xl's header first) and destroyed.
    const [dom, file] = args;
    if (!file) fail("'xl save' requires at least 2 arguments.");
    // A real save takes as long as the guest's memory takes to write: XL_STAND_IN_SAVE_MS lets a test see it running.
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, Number(process.env.XL_STAND_IN_SAVE_MS) || 0);
    withDomain([dom], (s, d) => {
      fs.writeFileSync(file, Buffer.concat([SAVE_MAGIC, Buffer.from(JSON.stringify({ ...d, cpu: cpuSeconds(d) }))]));
      process.stderr.write(`Saving to ${file} new xl format (info 0x3/0x0/0)\n`);
      s.domains = s.domains.filter((x) => x !== d);
    });
    break;
  }
  case 'restore': {
    // xl restore [-p] FILE: the saved domain is re-created with a new domid.
    const paused = args.includes('-p');
    const file = args.filter((a) => !a.startsWith('-'))[0];
    if (!file) fail("'xl restore' requires at least 1 argument.");
    const bytes = fs.readFileSync(file);
    if (!bytes.subarray(0, SAVE_MAGIC.length).equals(SAVE_MAGIC)) fail(`File has wrong magic number - corrupt or for a different tool?`);
    const d = JSON.parse(bytes.subarray(SAVE_MAGIC.length).toString());
    const state = load();
    if (state.domains.some((x) => x.name === d.name)) fail(`xl stand-in: a domain named '${d.name}' already exists`);
    const restored = { ...d, domid: state.nextDomid++, paused, since: Date.now() };
    attachConsole(restored);
    state.domains.push(restored);
    save(state);
    break;
  }
  default:
    fail(`command not implemented`);
}
