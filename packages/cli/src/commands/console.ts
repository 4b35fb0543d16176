/**
 * console: the guest's console on this terminal (virsh's cmdConsole). The terminal is put in raw
 * mode, keys go to the guest and its output to stdout, until the escape character ^] or the end
 * of the console stream (the domain stopped, or another session took the console over).
 */
import { StringDecoder } from 'node:string_decoder';
import { DomainConsoleFlags, DomainState, VirStream, type Domain } from '@virtkit/core';
import type { Ctl } from '../ctl';
import { lookupDomain } from '../lookup';
import { flag, req, str } from '../opt';
import type { CmdDef } from '../types';
import { DOMAIN_OPT } from './shared-options';

/** ^], the escape character virsh uses by default. */
const ESCAPE = 0x1d;

/**
 * Relay between the terminal and `stream` until the escape character, the end of the guest's
 * output, or the failure of `call` (the console call, which lasts as long as a remote stream).
 */
async function relay(ctl: Ctl, stream: VirStream, call: Promise<void>): Promise<void> {
  const stdin = process.stdin;
  const decoder = new StringDecoder('utf8');
  stdin.setRawMode(true);
  stdin.resume();
  try {
    await new Promise<void>((resolve, reject) => {
      stdin.on('data', (chunk: Buffer) => {
        const at = chunk.indexOf(ESCAPE);
        if (at < 0) return stream.send(chunk);
        if (at > 0) stream.send(chunk.subarray(0, at));
        resolve();
      });
      stream.download.on('data', (chunk: Buffer) => ctl.print(decoder.write(chunk)));
      stream.download.on('end', resolve);
      stream.download.on('error', resolve);
      call.catch(reject);
    });
  } finally {
    stdin.setRawMode(false);
    stdin.pause();
    stdin.removeAllListeners('data');
    stream.finish();
    stream.download.resume();
  }
  await call;
}

export const consoleCommand: CmdDef = {
  name: 'console',
  group: 'domain',
  help: 'connect to the guest console',
  opts: [
    DOMAIN_OPT,
    { name: 'devname', type: 'string', help: 'character device name' },
    { name: 'force', type: 'bool', help: 'force console connection (disconnect already connected sessions)' },
    { name: 'safe', type: 'bool', help: 'only connect if safe console handling is supported' },
  ],
  async handler(ctl, opts) {
    const dom: Domain = await lookupDomain(ctl, req(ctl, opts, 'domain'));
    const { state } = await dom.getState(0);
    if (state === DomainState.VIR_DOMAIN_SHUTOFF) return ctl.fail('The domain is not running');
    if (!process.stdin.isTTY) return ctl.fail('Cannot run interactive console without a controlling TTY');
    ctl.printExtra(`Connected to domain '${dom.getName()}'\nEscape character is ^] (Ctrl + ])\n`);
    let flags = 0;
    if (flag(opts, 'force')) flags |= DomainConsoleFlags.VIR_DOMAIN_CONSOLE_FORCE;
    if (flag(opts, 'safe')) flags |= DomainConsoleFlags.VIR_DOMAIN_CONSOLE_SAFE;
    const stream = new VirStream();
    await relay(ctl, stream, dom.openConsole(str(ctl, opts, 'devname'), stream, flags));
    return true;
  },
};
