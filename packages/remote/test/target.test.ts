/** Where remote URIs lead: transport, CONNECT_OPEN name, default sockets, and the ssh command line. */
import { parseUri } from '@virtkit/core';
import { remoteTarget } from '../src';
import { sshArguments } from '../src/transport';

const target = (uri: string, readOnly = false) => remoteTarget(parseUri(uri), readOnly);

test('the server name drops transport, user, host, port and client parameters', () => {
  expect(target('test+unix:///default?socket=/tmp/s').serverName).toBe('test:///default');
  expect(target('qemu+ssh://root@host:2222/system?keyfile=/k&no_tty=1').serverName).toBe('qemu:///system');
  expect(target('qemu+tls://host/system?pkipath=/p&no_verify=1').serverName).toBe('qemu:///system');
  expect(target('qemu+tcp://host/embed?root=/srv/vm').serverName).toBe('qemu:///embed?root=/srv/vm');
  expect(target('qemu+tcp://host/system?name=qemu:///session').serverName).toBe('qemu:///session');
});

test('a host without transport means TLS; unknown transports are refused', () => {
  expect(target('qemu://host/system').transport).toBe('tls');
  expect(() => target('qemu+pigeon://host/system')).toThrow(/transport in URL not recognised/);
});

test('system sockets: virtkitd first, then libvirtd, read-only variants for read-only opens', () => {
  expect(target('qemu+unix:///system').sockets).toEqual([
    '/run/virtkit/virtkit-sock',
    '/var/run/libvirt/libvirt-sock',
    '/var/run/libvirt/virtqemud-sock',
  ]);
  expect(target('qemu+unix:///system', true).sockets).toEqual([
    '/run/virtkit/virtkit-sock-ro',
    '/var/run/libvirt/libvirt-sock-ro',
    '/var/run/libvirt/virtqemud-sock-ro',
  ]);
  expect(target('qemu+unix:///system?socket=/x/sock', true).sockets).toEqual(['/x/sock']);
});

test('session sockets live in $XDG_RUNTIME_DIR', () => {
  const saved = process.env.XDG_RUNTIME_DIR;
  process.env.XDG_RUNTIME_DIR = '/run/user/1000';
  try {
    expect(target('qemu+unix:///session').sockets).toEqual([
      '/run/user/1000/virtkit/virtkit-sock',
      '/run/user/1000/libvirt/libvirt-sock',
      '/run/user/1000/libvirt/virtqemud-sock',
    ]);
  } finally {
    if (saved === undefined) delete process.env.XDG_RUNTIME_DIR;
    else process.env.XDG_RUNTIME_DIR = saved;
  }
});

test('ssh: port, user, key, no tty; virt-ssh-helper by default, netcat for a named socket, virtkitd on request', () => {
  expect(sshArguments(target('qemu+ssh://admin@far:2222/system?keyfile=/k&no_tty=1', true))).toEqual([
    '-p',
    '2222',
    '-l',
    'admin',
    '-i',
    '/k',
    '-T',
    '-o',
    'BatchMode=yes',
    '-e',
    'none',
    '--',
    'far',
    "virt-ssh-helper -r 'qemu:///system'",
  ]);
  expect(sshArguments(target('qemu+ssh://far/system?socket=/run/x sock')).slice(-1)).toEqual(["nc -U '/run/x sock'"]);
  expect(sshArguments(target('qemu+ssh://far/system?proxy=virtkitd')).slice(-1)).toEqual(['virtkitd --stdio']);
  expect(() => sshArguments(target('qemu+ssh://far/system?proxy=telnet'))).toThrow(/unknown proxy mode/);
});
