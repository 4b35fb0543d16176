/** libvirt's virCheckFlags rule: a flag bit the call does not know is an invalid argument. */
import { VirError } from './errors';
import type { CallInfo } from './generated/calls.gen';

export function checkFlags(call: CallInfo, flags: number): void {
  if (!Number.isInteger(flags) || flags < 0 || flags > 0xffffffff) {
    throw VirError.invalidArg(`flags must be an unsigned 32-bit integer in function ${call.c}`);
  }
  const unknown = (flags & ~call.flagsMask) >>> 0;
  if (unknown !== 0) throw VirError.invalidArg(`unsupported flags (0x${unknown.toString(16)}) in function ${call.c}`);
}
