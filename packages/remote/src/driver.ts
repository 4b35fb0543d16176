/**
 * The remote driver: serves every URI with a transport or a host (`qemu+unix:///system`,
 * `test+tcp://host/default`, `qemu+ssh://user@host/system`, `qemu+tls://host/system`) by talking
 * libvirt's RPC protocol to virtkitd or libvirtd.
 */
import type { Driver } from '@virtkit/core';
import { DEFAULT_OPTIONS, RemoteConnection, type RemoteOptions } from './connection';
import { remoteTarget } from './target';

/** A remote driver with its own keepalive, reconnect and transport settings. */
export function createRemoteDriver(overrides: Partial<RemoteOptions> = {}): Driver {
  const opts: RemoteOptions = { ...DEFAULT_OPTIONS, ...overrides };
  return {
    name: 'remote',
    schemes: ['remote'],
    open: (uri, { readOnly }) => new RemoteConnection(remoteTarget(uri, readOnly), opts).open(),
  };
}

/** The remote driver with libvirt's client defaults (keepalive every 5 s, 6 misses allowed). */
export const remoteDriver: Driver = createRemoteDriver();
