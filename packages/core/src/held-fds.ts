/**
 * Descriptors a driver hands across the SPI (virDomainOpenGraphicsFD's socket). Without a native
 * addon Node makes sockets only as `net.Socket`s, whose descriptor libuv owns: the socket is kept
 * here, paused so that Node reads nothing the receiver is owed, until the receiver releases it
 * (the daemon once it has sent the descriptor on to its client; an in-process caller once it has
 * given it to a child process or no longer needs it).
 */
import type * as net from 'node:net';

const held = new Map<number, net.Socket>();

/** The descriptor of a connected, paused socket, kept open until `releaseFd`. */
export function holdSocketFd(sock: net.Socket): number {
  sock.pause();
  // libuv's descriptor is not part of Node's public API; a connected UNIX socket always has one.
  const fd = (sock as unknown as { _handle?: { fd?: number } })._handle?.fd;
  if (typeof fd !== 'number' || fd < 0) throw new Error('the socket has no descriptor');
  held.set(fd, sock);
  return fd;
}

/** Close a descriptor `holdSocketFd` kept (a descriptor it does not know is left alone). */
export function releaseFd(fd: number): void {
  held.get(fd)?.destroy();
  held.delete(fd);
}
