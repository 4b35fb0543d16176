/**
 * libvirt-lxc's calls (include/libvirt/libvirt-lxc.h): the namespaces of a running container,
 * for running a command inside it. The namespace file descriptors are this process's: the call
 * is local only (libvirt passes them over its LXC program with fd passing, which the remote
 * protocol here does not carry).
 */
import type { CallDef } from './dsl';

export const domainLxcOpenNamespace: CallDef = {
  c: 'virDomainLxcOpenNamespace',
  object: 'Domain',
  name: 'lxcOpenNamespace',
  doc: "File descriptors open on the namespaces of the container's init (user when it has its own, then ipc, mnt, net, pid, uts), in that order; the caller closes them.",
  params: [],
  flags: 'reserved',
  returns: 'int[]',
  since: '0.2.0',
  acl: ['domain:open_namespace'],
  readOnlySafe: false,
  impl: 'driver',
  remote: null,
  python: null,
};
