/**
 * Writing on a UNIX socket with a file descriptor attached (SCM_RIGHTS). Node's sockets cannot
 * attach ancillary data and virtkit takes no native addon, so a short python3 program (Debian's
 * interpreter; its socket module has sendmsg) inherits a duplicate of the connection and the
 * descriptor and does the write. Used for QEMU's monitor (`getfd`: the command and the descriptor
 * in one sendmsg) and for libvirt's RPC protocol (a `*_WITH_FDS` frame, then one zero byte per
 * descriptor carrying it).
 *
 * Node stops reading a socket it lends a child as stdio (so the two do not race for its data);
 * reading starts again once the program is done. The caller keeps its own writes on the socket
 * out of the way until then: the program's bytes must not interleave with Node's.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import type * as net from 'node:net';
import { ErrorNumber, VirError, type ErrorDomain } from './errors';

/** Debian's interpreter when present (a `python3` found on PATH may be a slow version-manager shim). */
const PYTHON = fs.existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';

/**
 * Inherited as fd 3 (the connection) and fd 4 (the descriptor); argv[1] is the data in hex,
 * argv[2] where the descriptor rides: `with` the data, or `after` it on a byte of its own.
 */
const SENDER = `
import array, socket, sys
s = socket.socket(fileno=3)
data = bytes.fromhex(sys.argv[1])
fds = [(socket.SOL_SOCKET, socket.SCM_RIGHTS, array.array('i', [4]))]
if sys.argv[2] == 'with':
    sent = s.sendmsg([data], fds)
    s.sendall(data[sent:])
else:
    s.sendall(data)
    s.sendmsg([b'\\0'], fds)
s.detach()
`;

/** Where the descriptor rides: in the same sendmsg as the data, or after all of it on one zero byte. */
export type FdPlacement = 'with' | 'after';

/**
 * Write `data` on `sock` with descriptor `fd` attached; resolves once it is written. Failures are
 * VirErrors of error domain `from`.
 */
export function writeWithFd(sock: net.Socket, data: Buffer, fd: number, placement: FdPlacement, from: ErrorDomain): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(PYTHON, ['-c', SENDER, data.toString('hex'), placement], { stdio: ['ignore', 'ignore', 'pipe', sock, fd] });
    let stderr = '';
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', (e) => {
      sock.resume();
      reject(VirError.create(ErrorNumber.VIR_ERR_OPERATION_UNSUPPORTED, from, `passing a file descriptor needs ${PYTHON}: ${e.message}`));
    });
    child.on('close', (code) => {
      sock.resume();
      if (code === 0) resolve();
      else {
        const why = stderr.trim().split('\n').pop() ?? `exit status ${code}`;
        reject(VirError.create(ErrorNumber.VIR_ERR_SYSTEM_ERROR, from, `Unable to send file handle: ${why}`));
      }
    });
  });
}
