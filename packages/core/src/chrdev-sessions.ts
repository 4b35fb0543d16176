/**
 * Character device sessions (libvirt's virChrdevs): a stream joined to a character device's host
 * end, a pty or a UNIX socket the hypervisor listens on, one per device at a time. A second open
 * fails unless forced, which ends the first session. Shared by the drivers whose devices are on
 * this host (QEMU's consoles and channels, xenconsoled's consoles).
 */
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as tty from 'node:tty';
import { ErrorNumber, VirError, type ErrorDomain } from './errors';
import type { VirStream } from './stream';

interface Session {
  stream: VirStream;
  close(): void;
}

/** How a device is opened: its host end's kind, and the refusal a held device gets. */
export interface ChrdevOpenOptions {
  /** The path is a UNIX socket to connect to rather than a pty. */
  unixSocket?: boolean;
  /** The message of the VIR_ERR_OPERATION_FAILED a second, unforced open gets (libvirt words it per call). */
  busyMessage?: string;
}

/** The open sessions of one driver state, by device path. */
export class ChrdevSessions {
  private readonly byPath = new Map<string, Session>();

  /** `from`: the error domain of the driver that owns the devices. */
  constructor(private readonly from: ErrorDomain) {}

  /** Join `stream` to the device at `path`: its output to the stream's download, the upload to it. */
  open(path: string, stream: VirStream, force: boolean, opts: ChrdevOpenOptions = {}): void {
    const held = this.byPath.get(path);
    if (held && !force)
      throw VirError.create(
        ErrorNumber.VIR_ERR_OPERATION_FAILED,
        this.from,
        opts.busyMessage ?? 'Active console session exists for this domain',
      );
    if (held) {
      held.close();
      held.stream.abort(new Error('the device was taken over by another session'));
    }
    let closed = false;
    const session: Session = {
      stream,
      close: () => {
        if (closed) return;
        closed = true;
        if (this.byPath.get(path) === session) this.byPath.delete(path);
        end();
      },
    };
    const end = opts.unixSocket ? joinSocket(path, stream, session.close) : joinPty(path, stream, session.close);
    this.byPath.set(path, session);
    for (const ev of ['finish', 'end', 'close', 'error'] as const) stream.upload.on(ev, session.close);
  }

  /** End every session (the driver is closing). */
  closeAll(): void {
    for (const s of [...this.byPath.values()]) s.close();
  }
}

/** Relay between `stream` and the pty at `path`; returns what releases the pty. */
function joinPty(path: string, stream: VirStream, close: () => void): () => void {
  const readFd = fs.openSync(path, fs.constants.O_RDONLY | fs.constants.O_NOCTTY);
  const writeFd = fs.openSync(path, fs.constants.O_WRONLY | fs.constants.O_NOCTTY);
  const input = new tty.ReadStream(readFd);
  input.setRawMode(true);
  let open = true;
  // The pty ends (EIO) when the process behind it exits: the stream then ends too, as the guest is gone.
  input.on('data', (chunk: Buffer) => stream.download.write(chunk));
  for (const ev of ['error', 'end'] as const)
    input.on(ev, () => {
      close();
      stream.download.end();
    });
  stream.upload.on('data', (chunk: Buffer) => {
    if (open) fs.write(writeFd, chunk, () => undefined);
  });
  return () => {
    open = false;
    input.destroy();
    fs.close(writeFd, () => undefined);
  };
}

/** Relay between `stream` and a connection to the UNIX socket at `path`; returns what ends it. */
function joinSocket(path: string, stream: VirStream, close: () => void): () => void {
  const sock = net.createConnection(path);
  sock.on('data', (chunk: Buffer) => stream.download.write(chunk));
  // The socket ends when the hypervisor closes it (the domain stopped), or could not be reached.
  sock.on('error', (e) => {
    close();
    stream.abort(e);
  });
  sock.on('end', () => {
    close();
    stream.download.end();
  });
  stream.upload.on('data', (chunk: Buffer) => {
    if (!sock.destroyed) sock.write(chunk);
  });
  return () => sock.destroy();
}
