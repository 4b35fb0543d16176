/**
 * QEMU's migration stream to and from a file through a UNIX socket of this process: QEMU may not
 * run programs (its seccomp sandbox denies `exec:` migration) and the monitor here passes no
 * descriptors, so the driver is QEMU's peer and copies the bytes.
 */
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { pipeline } from 'node:stream/promises';

/** How a socket reports that QEMU stopped reading. */
const PEER_CLOSED = new Set(['ERR_STREAM_PREMATURE_CLOSE', 'EPIPE', 'ECONNRESET']);

function socketPath(): string {
  return path.join(os.tmpdir(), `vk-mig-${randomBytes(6).toString('hex')}.sock`);
}

/**
 * Listen for QEMU's outgoing stream and append it to `file`: `uri` to hand to `migrate`, and
 * `done`, settled once the stream was written and the socket is gone.
 */
export async function receiveInto(file: string): Promise<{ uri: string; done: Promise<void> }> {
  const sock = socketPath();
  const server = net.createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(sock, () => resolve());
  });
  const done = new Promise<void>((resolve, reject) => {
    server.once('connection', (c) => {
      server.close();
      pipeline(c, fs.createWriteStream(file, { flags: 'a' })).then(resolve, reject);
    });
  }).finally(() => {
    server.close();
    fs.rmSync(sock, { force: true });
  });
  return { uri: `unix:${sock}`, done };
}

/** A socket path for `migrate-incoming`, and the copy of `file` from `offset` into it once QEMU listens. */
export function sendFrom(file: string, offset: number): { uri: string; send: () => Promise<void> } {
  const sock = socketPath();
  const send = async (): Promise<void> => {
    const c = await new Promise<net.Socket>((resolve, reject) => {
      const s = net.connect(sock, () => resolve(s));
      s.once('error', reject);
    });
    try {
      await pipeline(fs.createReadStream(file, { start: offset }), c);
    } catch (e) {
      // QEMU closes its end as soon as it has read the stream's end marker, which can race our own
      // end of the copy. Whether the incoming migration worked is QEMU's to say (query-migrate,
      // asked next), so only a failure to read the image is ours to report.
      if (!PEER_CLOSED.has((e as NodeJS.ErrnoException).code ?? '')) throw e;
    } finally {
      fs.rmSync(sock, { force: true });
    }
  };
  return { uri: `unix:${sock}`, send };
}
