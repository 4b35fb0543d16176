/**
 * Emits `packages/core/src/generated/remote.gen.ts`: the procedure table of libvirt's RPC
 * programs, with each call's wire layouts and how its arguments and reply map onto the driver
 * SPI. The daemon dispatches from it and the remote driver calls through it; the XDR codec reads
 * the layouts' type strings.
 */
import type { ApiModel } from './model';
import { render, type Output } from './render';
import { mapArgs, retShape } from './remote-map';

const FILE = 'packages/core/src/generated/remote.gen.ts';

export function emitRemote(model: ApiModel): Output[] {
  const procs = model.calls
    .filter((c) => c.remote)
    .map((c) => ({
      c: c.c,
      spi: c.spi,
      impl: c.impl,
      object: c.object,
      program: c.remote!.program,
      proc: c.remote!.proc,
      procName: c.remote!.procName,
      args: JSON.stringify(c.remote!.args),
      ret: JSON.stringify(c.remote!.ret),
      argMap: c.impl === 'core' ? 'null' : JSON.stringify(mapArgs(c)),
      retShape: JSON.stringify(retShape(c)),
      paramOrder: JSON.stringify(c.params.map((p) => p.name)),
      hasFlags: c.flags !== undefined,
      stream: c.remote!.stream ? `'${c.remote!.stream}'` : 'null',
    }))
    .sort((a, b) => (a.program === b.program ? a.proc - b.proc : a.program.localeCompare(b.program)));
  const events = [...model.events].sort((a, b) => a.proc - b.proc).map((e) => ({ ...e, fields: JSON.stringify(e.fields) }));
  return [{ file: FILE, text: render('ts-remote', FILE, { procs, events }) }];
}
