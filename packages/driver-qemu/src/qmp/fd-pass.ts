/**
 * Sending a descriptor to QEMU over its monitor socket (libvirt's qemuMonitorSendFileHandle): the
 * QMP command that names it (`getfd`) must travel in the same sendmsg() as an SCM_RIGHTS message
 * carrying it. Node's sockets cannot attach ancillary data and virtkit takes no native addon, so a
 * short python3 program (Debian's interpreter; its socket module has sendmsg) inherits a duplicate
 * of the monitor connection and the descriptor and writes the command with it. The daemon's own
 * reader on that connection gets QEMU's reply as for any other command once the program is done.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import type * as net from 'node:net';
import { ErrorDomain, ErrorNumber, VirError } from '@virtkit/core';

/** Debian's interpreter when present (a `python3` found on PATH may be a slow version-manager shim). */
const PYTHON = fs.existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';

/** Inherited as fd 3 (the monitor connection) and fd 4 (the descriptor to pass); argv[1] is the command line. */
const SENDER = `
import array, socket, sys
s = socket.socket(fileno=3)
data = sys.argv[1].encode()
sent = s.sendmsg([data], [(socket.SOL_SOCKET, socket.SCM_RIGHTS, array.array('i', [4]))])
if sent < len(data):
    s.sendall(data[sent:])
s.detach()
`;

/** Write `line` on `sock` with descriptor `fd` attached; resolves once it is written. */
export function writeWithFd(sock: net.Socket, line: string, fd: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(PYTHON, ['-c', SENDER, line], { stdio: ['ignore', 'ignore', 'pipe', sock, fd] });
    let stderr = '';
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', (e) => {
      sock.resume();
      reject(
        VirError.create(
          ErrorNumber.VIR_ERR_OPERATION_UNSUPPORTED,
          ErrorDomain.VIR_FROM_QEMU,
          `passing a file descriptor to QEMU needs ${PYTHON}: ${e.message}`,
        ),
      );
    });
    child.on('close', (code) => {
      // Node stops reading a socket it lends a child as stdio (so the two do not race for its
      // data); QEMU's reply waits in the socket until reading starts again.
      sock.resume();
      if (code === 0) resolve();
      else {
        const why = stderr.trim().split('\n').pop() ?? `exit status ${code}`;
        reject(VirError.create(ErrorNumber.VIR_ERR_SYSTEM_ERROR, ErrorDomain.VIR_FROM_QEMU, `Unable to send file handle to QEMU: ${why}`));
      }
    });
  });
}
