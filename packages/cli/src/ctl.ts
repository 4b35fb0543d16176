/** The control state of one vsh run: connection, output, quiet mode, the pending libvirt error. */
import type { Io } from './types';
import type { Connect } from '@virtkit/core';

/** Thrown by a handler that already printed its error lines; the command fails quietly. */
export class CommandFailed extends Error {
  constructor() {
    super('command failed');
    this.name = 'CommandFailed';
  }
}

export class Ctl {
  /** The open connection, once a command needed one. */
  conn: Connect | null = null;
  quiet = false;
  readOnly = false;
  uri: string | null = null;
  constructor(readonly io: Io) {}

  /** virsh's vshPrint: always printed. */
  print(s: string): void {
    this.io.stdout(s);
  }

  /** virsh's vshPrintExtra: suppressed by --quiet. */
  printExtra(s: string): void {
    if (!this.quiet) this.io.stdout(s);
  }

  /** virsh's vshError: `error: <message>` on stderr. */
  error(message: string): void {
    this.io.stderr(`error: ${message}\n`);
  }

  /** Print `message` as an error and fail the command without a further libvirt error. */
  fail(message: string): never {
    this.error(message);
    throw new CommandFailed();
  }

  /** Run a libvirt call; on failure print `message` first, then let the libvirt error be reported. */
  async attempt<T>(message: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (e) {
      this.error(message);
      throw e;
    }
  }

  /** The connection; commands run only after main() opened it. */
  get c(): Connect {
    if (!this.conn) throw new Error('no connection');
    return this.conn;
  }
}
