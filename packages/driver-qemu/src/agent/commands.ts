/**
 * The guest agent commands behind the domain calls, with libvirt's checks of their replies
 * (qemu_agent.c: qemuAgentGetHostname, GetTime, SetTime, FSFreeze, FSThaw, GetFSInfo,
 * SetUserPassword, SSHGetAuthorizedKeys, SSHAddAuthorizedKeys, SSHRemoveAuthorizedKeys, Suspend,
 * Shutdown, GetUsers, GetOSInfo, GetTimezone, GetDisks, GetInterfaces).
 */
import { ErrorNumber, VirError } from '@virtkit/core';
import { FROM_QEMU } from '../domains/errors';
import { replyError, type AgentClient } from './client';

function malformed(what = 'malformed return value'): VirError {
  return VirError.internal(what, FROM_QEMU);
}

export async function agentHostname(agent: AgentClient): Promise<string> {
  const r = await agent.call<Record<string, unknown>>({ execute: 'guest-get-host-name' });
  if (!r || typeof r !== 'object') throw malformed();
  if (typeof r['host-name'] !== 'string') throw malformed("'host-name' missing in guest-get-host-name reply");
  return r['host-name'];
}

export async function agentGetTime(agent: AgentClient): Promise<{ seconds: number; nseconds: number }> {
  const { text } = await agent.callText({ execute: 'guest-get-time' });
  // Nanoseconds since the epoch pass 2^53: read the digits from the reply's text, not the number.
  const m = /"return"\s*:\s*(\d+)\s*}\s*$/.exec(text);
  if (!m) throw malformed();
  const ns = BigInt(m[1]);
  return { seconds: Number(ns / 1_000_000_000n), nseconds: Number(ns % 1_000_000_000n) };
}

const LLONG_MAX = (1n << 63n) - 1n;

export async function agentSetTime(agent: AgentClient, seconds: number | bigint, nseconds: number, rtcSync: boolean): Promise<void> {
  if (rtcSync) {
    await agent.call({ execute: 'guest-set-time' });
    return;
  }
  const s = BigInt(seconds);
  if (s > LLONG_MAX / 1_000_000_000n) {
    throw VirError.create(ErrorNumber.VIR_ERR_INVALID_ARG, FROM_QEMU, `Time '${s}' is too big for guest agent`);
  }
  // JSON.stringify would round the nanosecond count (past 2^53): the command is written as text.
  const time = s * 1_000_000_000n + BigInt(nseconds);
  await agent.call(`{"execute":"guest-set-time","arguments":{"time":${time}}}`);
}

export async function agentFSFreeze(agent: AgentClient, mountpoints: string[]): Promise<number> {
  const cmd = mountpoints.length
    ? { execute: 'guest-fsfreeze-freeze-list', arguments: { mountpoints } }
    : { execute: 'guest-fsfreeze-freeze' };
  const n = await agent.call<unknown>(cmd);
  if (typeof n !== 'number') throw malformed();
  return n;
}

export async function agentFSThaw(agent: AgentClient): Promise<number> {
  const n = await agent.call<unknown>({ execute: 'guest-fsfreeze-thaw' });
  if (typeof n !== 'number') throw malformed();
  return n;
}

export async function agentSetUserPassword(agent: AgentClient, user: string, password: string, crypted: boolean): Promise<void> {
  await agent.call({
    execute: 'guest-set-user-password',
    arguments: { crypted, username: user, password: Buffer.from(password, 'utf8').toString('base64') },
  });
}

export async function agentSSHGetAuthorizedKeys(agent: AgentClient, user: string): Promise<string[]> {
  const r = await agent.call<Record<string, unknown>>({ execute: 'guest-ssh-get-authorized-keys', arguments: { username: user } });
  const keys = r && typeof r === 'object' ? r.keys : undefined;
  if (!Array.isArray(keys)) throw malformed('Malformed return value');
  if (!keys.every((k): k is string => typeof k === 'string')) throw malformed('Malformed return value');
  return keys;
}

/** Add `keys` to the user's authorized keys; `reset` first empties the file (the set without APPEND). */
export async function agentSSHAddAuthorizedKeys(agent: AgentClient, user: string, keys: string[], reset: boolean): Promise<void> {
  await agent.call({ execute: 'guest-ssh-add-authorized-keys', arguments: { username: user, keys, reset } });
}

export async function agentSSHRemoveAuthorizedKeys(agent: AgentClient, user: string, keys: string[]): Promise<void> {
  await agent.call({ execute: 'guest-ssh-remove-authorized-keys', arguments: { username: user, keys } });
}

/** A disk as guest-get-fsinfo names it: where it sits on the guest's buses. */
export interface AgentDiskAddress {
  pci?: { domain: number; bus: number; slot: number; function: number };
  busType?: string;
  serial?: string;
  dev?: string;
}

export interface AgentFSInfo {
  mountpoint: string;
  name: string;
  fstype: string;
  totalBytes?: number;
  usedBytes?: number;
  disks: AgentDiskAddress[];
}

function fsEntry(e: Record<string, unknown>): AgentFSInfo {
  const str = (k: string, what: string) => {
    if (typeof e[k] !== 'string') throw malformed(what);
    return e[k] as string;
  };
  const mountpoint = str('mountpoint', "'mountpoint' missing in reply of guest-get-fsinfo");
  const name = str('name', "'name' missing in reply of guest-get-fsinfo");
  const fstype = str('type', "'type' missing in reply of guest-get-fsinfo");
  if (!Array.isArray(e.disk)) throw malformed("'disk' missing in reply of guest-get-fsinfo");
  const disks = (e.disk as Record<string, unknown>[]).map((d): AgentDiskAddress => {
    const pci = d['pci-controller'] as AgentDiskAddress['pci'] | undefined;
    if (!pci) throw malformed("'pci-controller' missing");
    return { pci, busType: d['bus-type'] as string, serial: d.serial as string | undefined, dev: d.dev as string | undefined };
  });
  return {
    mountpoint,
    name,
    fstype,
    totalBytes: typeof e['total-bytes'] === 'number' ? e['total-bytes'] : undefined,
    usedBytes: typeof e['used-bytes'] === 'number' ? e['used-bytes'] : undefined,
    disks,
  };
}

export async function agentGetFSInfo(agent: AgentClient): Promise<AgentFSInfo[]> {
  const r = await agent.call<unknown>({ execute: 'guest-get-fsinfo' });
  if (!Array.isArray(r)) throw malformed('Malformed guest-get-fsinfo data array');
  return r.map((e) => fsEntry(e as Record<string, unknown>));
}

/** libvirt's VIR_DOMAIN_QEMU_AGENT_COMMAND_SHUTDOWN: seconds an agent shutdown may take. */
const SHUTDOWN_WAIT_S = 60;

/**
 * Run a shutdown or reboot in the guest. The agent answers only a refusal (a frozen agent, no
 * shutdown program): that fails; when the guest goes down instead the agent goes silent or
 * away, and the promise never settles (the caller waits for QEMU to see the guest go down).
 */
export function agentShutdown(agent: AgentClient, reboot: boolean): Promise<void> {
  const cmd = { execute: 'guest-shutdown', arguments: { mode: reboot ? 'reboot' : 'powerdown' } };
  return agent.command(cmd, SHUTDOWN_WAIT_S).then(
    (r) => {
      const err = r && replyError('guest-shutdown', r.obj);
      if (err) throw err;
      return new Promise<void>(() => undefined);
    },
    () => new Promise<void>(() => undefined),
  );
}
