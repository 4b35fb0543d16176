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
