/**
 * virStream: a byte stream between the caller and a driver, for volume upload and download.
 * The caller writes into `upload` or reads from `download`; the driver does the opposite.
 */
import { PassThrough } from 'node:stream';

/**
 * Destroy one direction, handing `reason` to whoever listens for errors on it. A direction nobody
 * listens to (the download of an upload, say) is destroyed without an error: an 'error' event
 * without a listener would be thrown at the process.
 */
function destroyDirection(s: PassThrough, reason: Error): void {
  if (s.destroyed) return;
  s.destroy(s.listenerCount('error') > 0 ? reason : undefined);
}

export class VirStream {
  /** Bytes the caller sends to the driver. */
  readonly upload = new PassThrough();
  /** Bytes the driver sends to the caller. */
  readonly download = new PassThrough();

  /** Send one chunk to the driver (virStreamSend). */
  send(data: Uint8Array): void {
    this.upload.write(data);
  }

  /** End the upload direction (virStreamFinish). */
  finish(): void {
    this.upload.end();
  }

  /** Cancel both directions (virStreamAbort); readers of either direction see `reason`. */
  abort(reason = new Error('stream aborted')): void {
    destroyDirection(this.upload, reason);
    destroyDirection(this.download, reason);
  }

  /** Read the whole download into one buffer (virStreamRecv until end of file). */
  async receiveAll(): Promise<Buffer> {
    const chunks: Buffer[] = [];
    for await (const c of this.download) chunks.push(c as Buffer);
    return Buffer.concat(chunks);
  }
}
