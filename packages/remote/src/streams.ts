/**
 * Volume upload and download over the wire (docs/wire-protocol.md §7), bridged to the Node
 * streams of a `VirStream`: upload reads `stream.upload` into STREAM CONTINUE frames, then
 * finishes with STREAM OK and waits for the server's OK; download writes the server's frames into
 * `stream.download` until the empty end-of-file frame, then finishes the same way.
 */
import { VirError } from '@virtkit/core';
import { MessageStatus, MessageType, STREAM_CHUNK_MAX, STREAM_HOLE_LAYOUT, decodeStruct, type MessageHeader } from '@virtkit/protocol';
import type { VirStream } from '@virtkit/core';
import { errorFromReply, type RpcClient, type StreamSink } from './rpc-client';

/**
 * End both directions after a failure. No error is attached: the failure reaches the caller
 * through the promise of the call, and an error on a stream nobody listens to would be unhandled.
 */
function discard(stream: VirStream): void {
  stream.upload.destroy();
  stream.download.destroy();
}

const ZEROS = Buffer.alloc(STREAM_CHUNK_MAX);

/** One open stream: frames from the server, and the end of the exchange. */
class StreamExchange implements StreamSink {
  private finishResolve!: () => void;
  private finishReject!: (e: VirError) => void;
  /** Settles when the server confirms the finish (or abort), or reports a failure. */
  readonly finished = new Promise<void>((resolve, reject) => {
    this.finishResolve = resolve;
    this.finishReject = reject;
  });
  failure: VirError | null = null;
  serial = -1;

  constructor(
    private readonly rpc: RpcClient,
    private readonly prog: number,
    private readonly proc: number,
    private readonly stream: VirStream,
    private readonly receiving: boolean,
  ) {
    this.finished.catch(() => undefined);
  }

  frame(h: MessageHeader, payload: Buffer): void {
    if (h.status === MessageStatus.ERROR) return this.fail(errorFromReply(payload));
    if (h.status === MessageStatus.OK) {
      this.rpc.endStream(this.serial);
      this.finishResolve();
      return;
    }
    if (!this.receiving) return;
    if (h.type === MessageType.STREAM_HOLE) return this.writeHole(payload);
    if (payload.length > 0) {
      this.stream.download.write(Buffer.from(payload));
      return;
    }
    // Empty CONTINUE: end of file; the client finishes.
    void this.send(MessageStatus.OK).catch((e: VirError) => this.fail(e));
  }

  closed(reason: VirError): void {
    this.fail(reason);
  }

  private writeHole(payload: Buffer): void {
    let left = Number(decodeStruct(STREAM_HOLE_LAYOUT, payload, 0, false).length);
    for (; left > 0; left -= STREAM_CHUNK_MAX) this.stream.download.write(ZEROS.subarray(0, Math.min(left, STREAM_CHUNK_MAX)));
  }

  send(status: MessageStatus, data?: Buffer): Promise<void> {
    return this.rpc.sendStream(this.prog, this.proc, this.serial, status, data);
  }

  fail(e: VirError): void {
    if (this.failure) return;
    this.failure = e;
    this.rpc.endStream(this.serial);
    discard(this.stream);
    this.finishReject(e);
  }
}

/** Send our bytes in frames of at most 262120 bytes, then finish; abort when the caller destroys the upload. */
async function pumpUpload(x: StreamExchange, stream: VirStream): Promise<void> {
  try {
    for await (const chunk of stream.upload) {
      const buf = Buffer.from(chunk as Uint8Array);
      for (let off = 0; off < buf.length; off += STREAM_CHUNK_MAX) {
        if (x.failure) throw x.failure;
        await x.send(MessageStatus.CONTINUE, buf.subarray(off, off + STREAM_CHUNK_MAX));
      }
    }
  } catch (e) {
    if (x.failure) throw x.failure;
    await x.send(MessageStatus.ERROR).catch(() => undefined);
    await x.finished.catch(() => undefined);
    throw e;
  }
  if (x.failure) throw x.failure;
  await x.send(MessageStatus.OK);
}

/**
 * Run a stream procedure: the call, then the data in the procedure's direction. Resolves when
 * the server confirmed the end of the stream.
 */
export async function runStream(
  rpc: RpcClient,
  prog: number,
  proc: number,
  payload: Buffer,
  stream: VirStream,
  direction: 'upload' | 'download' | 'both',
): Promise<Buffer> {
  const x = new StreamExchange(rpc, prog, proc, stream, direction !== 'upload');
  // The caller may destroy the upload before we read it; its error then surfaces through the
  // read loop (or is moot once the call failed) rather than as an unhandled 'error' event.
  stream.upload.on('error', () => undefined);
  const { serial, reply } = rpc.call(prog, proc, payload, x);
  x.serial = serial;
  let answer: Buffer;
  try {
    answer = await reply;
  } catch (e) {
    discard(stream);
    throw e;
  }
  const rest = (async () => {
    if (direction !== 'download') await pumpUpload(x, stream);
    await x.finished;
    if (direction !== 'upload') stream.download.end();
  })();
  // A two-way stream (a console, a channel) lives on after its call, as a local driver's does: the
  // call answers once the stream is open, and a later failure ends the stream.
  if (direction === 'both') {
    rest.catch((e: unknown) => stream.abort(e instanceof Error ? e : new Error(String(e))));
    return answer;
  }
  await rest;
  return answer;
}
