/** Consoles: a stream to a character device of a running domain (its serial console, say). */
import type { CallDef } from './dsl';

/** virDomainConsoleFlags: flags of virDomainOpenConsole. */
export enum DomainConsoleFlags {
  /** take the console over from a session that holds it */
  VIR_DOMAIN_CONSOLE_FORCE = 1 << 0,
  /** refuse when the driver cannot keep a second session out */
  VIR_DOMAIN_CONSOLE_SAFE = 1 << 1,
}

export const domainOpenConsole: CallDef = {
  c: 'virDomainOpenConsole',
  object: 'Domain',
  name: 'openConsole',
  doc: 'Connect a stream to a console (or serial port) of the running domain.',
  params: [
    {
      name: 'devName',
      type: 'string?',
      doc: 'the alias of the console, serial or parallel port, or null for the first console',
      wire: 'dev_name',
    },
    { name: 'stream', type: 'Stream', doc: 'the stream the guest console is read from and written to' },
  ],
  flags: 'DomainConsoleFlags',
  returns: 'void',
  since: '0.2.0',
  acl: ['domain:open_device'],
  readOnlySafe: false,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 201,
    procName: 'REMOTE_PROC_DOMAIN_OPEN_CONSOLE',
    args: [
      ['dom', 'Dom'],
      ['dev_name', 'string?'],
      ['flags', 'uint'],
    ],
    ret: [],
    stream: 'both',
  },
  python: 'openConsole',
};

/** virDomainChannelFlags: flags of virDomainOpenChannel. */
export enum DomainChannelFlags {
  /** take the channel over from a stream that holds it */
  VIR_DOMAIN_CHANNEL_FORCE = 1 << 0,
}

export const domainOpenChannel: CallDef = {
  c: 'virDomainOpenChannel',
  object: 'Domain',
  name: 'openChannel',
  doc: 'Connect a stream to a channel (a guest-host data path such as a virtio-serial port) of the running domain.',
  params: [
    {
      name: 'name',
      type: 'string?',
      doc: "the channel's alias, or the target name of a virtio channel, or null for the first channel",
    },
    { name: 'stream', type: 'Stream', doc: 'the stream the channel is read from and written to' },
  ],
  flags: 'DomainChannelFlags',
  returns: 'void',
  since: '0.2.0',
  acl: ['domain:open_device'],
  readOnlySafe: false,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 296,
    procName: 'REMOTE_PROC_DOMAIN_OPEN_CHANNEL',
    args: [
      ['dom', 'Dom'],
      ['name', 'string?'],
      ['flags', 'uint'],
    ],
    ret: [],
    stream: 'both',
  },
  python: 'openChannel',
};
