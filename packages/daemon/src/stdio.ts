/**
 * `virtkitd --stdio`: one client on stdin/stdout, the far end of an ssh connection (the remote
 * driver's `+ssh` URIs with `?proxy=virtkitd`). Logs stay on stderr, which ssh hands back.
 */
import { Duplex } from 'node:stream';

/** stdin and stdout as one byte stream, destroyed when stdin ends (the client went away). */
export function stdioChannel(stdin: NodeJS.ReadableStream = process.stdin, stdout: NodeJS.WritableStream = process.stdout): Duplex {
  const channel = Duplex.from({ readable: stdin, writable: stdout });
  // Duplex.from closes only once both halves are done; a client that hangs up ends stdin only.
  stdin.once('end', () => channel.destroy());
  stdin.once('error', () => channel.destroy());
  // A closed stdout (EPIPE) is the same hang-up.
  stdout.on('error', () => channel.destroy());
  return channel;
}
