/**
 * Replay of libvirt's recorded QMP probe conversations (`tests/qemucapabilitiesdata/*.replies`
 * of libvirt): a file of JSON messages separated by blank lines, each command followed by its
 * reply. `qmp_capabilities` starts a new session (libvirt's second, TCG-only QEMU process).
 * Commands are answered by (command, arguments) within their session, so the probe may ask in
 * its own order; unknown commands fail like an unknown QMP command.
 */
import { qmpCommandError, type QmpTransport } from '../qmp/client';
import { probeSessions } from './probe';
import type { QemuCaps } from './types';

interface Exchange {
  execute: string;
  args: string;
  reply: { return?: unknown; error?: { class: string; desc: string } };
}

function canonical(v: unknown): string {
  if (v === undefined) return '';
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object') {
    return `{${Object.keys(v as object)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v);
}

/** Split a `.replies` file into sessions of command/reply exchanges. */
export function parseReplies(text: string): Exchange[][] {
  const messages: Array<Record<string, unknown>> = [];
  for (const block of text.split(/\n\s*\n/)) {
    if (block.trim()) messages.push(JSON.parse(block));
  }
  const sessions: Exchange[][] = [];
  for (let i = 0; i < messages.length; i++) {
    const m = messages[i]!;
    if (typeof m.execute !== 'string') continue;
    const reply = messages[i + 1] as Exchange['reply'];
    i++;
    if (m.execute === 'qmp_capabilities') {
      sessions.push([]);
      continue;
    }
    if (sessions.length === 0) sessions.push([]);
    sessions[sessions.length - 1]!.push({ execute: m.execute, args: canonical(m.arguments), reply });
  }
  return sessions;
}

export class ReplayTransport implements QmpTransport {
  private readonly byKey = new Map<string, Exchange[]>();
  readonly asked: string[] = [];

  constructor(exchanges: Exchange[]) {
    for (const e of exchanges) {
      const k = `${e.execute} ${e.args}`;
      const list = this.byKey.get(k) ?? [];
      list.push(e);
      this.byKey.set(k, list);
    }
  }

  async execute<T = unknown>(command: string, args?: Record<string, unknown>): Promise<T> {
    const k = `${command} ${canonical(args && Object.keys(args).length ? args : undefined)}`;
    this.asked.push(k);
    const list = this.byKey.get(k);
    const e = list && (list.length > 1 ? list.shift()! : list[0]!);
    if (!e) throw qmpCommandError(command, `The command ${command} has not been found`);
    if (e.reply.error) throw qmpCommandError(command, e.reply.error.desc);
    return e.reply.return as T;
  }
}

/** Parse capabilities from a recorded conversation, through the same code as a live probe. */
export async function capsFromReplies(text: string, emulator = '/usr/bin/qemu-system-x86_64'): Promise<QemuCaps> {
  const sessions = parseReplies(text);
  const main = new ReplayTransport(sessions[0] ?? []);
  const tcg = sessions[1] ? new ReplayTransport(sessions[1]) : undefined;
  return probeSessions(main, tcg, emulator);
}
