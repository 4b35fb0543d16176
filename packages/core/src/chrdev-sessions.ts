/**
 * Console sessions (libvirt's virChrdevs): a stream joined to a character device's pty, one per
 * device at a time. A second open fails unless forced, which ends the first session. Shared by
 * the drivers whose consoles are ptys on this host (QEMU's, xenconsoled's).
 */
import * as fs from 'node:fs';
import * as tty from 'node:tty';
import { ErrorNumber, VirError, type ErrorDomain } from './errors';
import type { VirStream } from './stream';

interface Session {
  stream: VirStream;
  close(): void;
}

/** The open sessions of one driver state, by pty path. */
export class ChrdevSessions {
  private readonly byPath = new Map<string, Session>();

  /** `from`: the error domain of the driver that owns the devices. */
  constructor(private readonly from: ErrorDomain) {}

  /** Join `stream` to the pty at `path`: guest output to its download, its upload to the guest. */
  open(path: string, stream: VirStream, force: boolean): void {
    const held = this.byPath.get(path);
    if (held && !force)
      throw VirError.create(ErrorNumber.VIR_ERR_OPERATION_FAILED, this.from, 'Active console session exists for this domain');
    if (held) {
      held.close();
      held.stream.abort(new Error('the console was taken over by another session'));
    }
    const readFd = fs.openSync(path, fs.constants.O_RDONLY | fs.constants.O_NOCTTY);
    const writeFd = fs.openSync(path, fs.constants.O_WRONLY | fs.constants.O_NOCTTY);
    const input = new tty.ReadStream(readFd);
    input.setRawMode(true);
    let closed = false;
    const close = () => {
      if (closed) return;
      closed = true;
      if (this.byPath.get(path) === session) this.byPath.delete(path);
      input.destroy();
      fs.close(writeFd, () => undefined);
    };
    const session: Session = { stream, close };
    this.byPath.set(path, session);
    // The pty ends (EIO) when the process behind it exits: the stream then ends too, as the guest is gone.
    input.on('data', (chunk: Buffer) => stream.download.write(chunk));
    input.on('error', () => {
      close();
      stream.download.end();
    });
    input.on('end', () => {
      close();
      stream.download.end();
    });
    stream.upload.on('data', (chunk: Buffer) => {
      if (!closed) fs.write(writeFd, chunk, () => undefined);
    });
    for (const ev of ['finish', 'end', 'close', 'error'] as const) stream.upload.on(ev, close);
  }

  /** End every session (the driver is closing). */
  closeAll(): void {
    for (const s of [...this.byPath.values()]) s.close();
  }
}
