/**
 * Emits `packages/protocol/src/generated/remote.gen.ts`: the procedure table of libvirt's RPC
 * programs, with each call's wire layouts, its ACL permissions and how its arguments and reply map
 * onto the driver SPI. The daemon dispatches from it and the remote driver calls through it; the
 * XDR codec reads the layouts' type strings.
 */
import { flagPermissions, isReadPermission, parseAclEntry, unconditionalPermissions } from './acl';
import { legacyEventFields, type ApiModel } from './model';
import { render, type Output } from './render';
import { mapArgs, retShape } from './remote-map';
import { expandLayout } from './wire';

const FILE = 'packages/protocol/src/generated/remote.gen.ts';

/** The numeric value of an enum member named anywhere in api/. */
function enumValue(model: ApiModel, member: string): number {
  for (const e of model.enums) {
    const m = e.members.find((x) => x.name === member);
    if (m) return m.value;
  }
  throw new Error(`no enum member ${member} in api/`);
}

function procedures(model: ApiModel) {
  return model.calls
    .filter((c) => c.remote)
    .map((c) => ({
      c: c.c,
      spi: c.spi,
      impl: c.impl,
      object: c.object,
      program: c.remote!.program,
      proc: c.remote!.proc,
      procName: c.remote!.procName,
      args: JSON.stringify(expandLayout(c.remote!.args, model)),
      ret: JSON.stringify(expandLayout(c.remote!.ret, model)),
      argMap: c.impl === 'core' ? 'null' : JSON.stringify(mapArgs(c)),
      retShape: JSON.stringify(retShape(c)),
      paramOrder: JSON.stringify(c.params.map((p) => p.name)),
      hasFlags: c.flags !== undefined,
      stream: c.remote!.stream ? `'${c.remote!.stream}'` : 'null',
      fds: c.remote!.fds ? `'${c.remote!.fds}'` : 'null',
      streamParam: JSON.stringify(c.params.find((p) => p.type === 'Stream')?.name ?? null),
      acl: JSON.stringify(unconditionalPermissions(c)),
      flagAcl: JSON.stringify(flagPermissions(c, model)),
      readOnlySafe: c.readOnlySafe,
      highPriority: c.remote!.priority === 'high',
      returns: JSON.stringify(c.returns),
    }))
    .sort((a, b) => (a.program === b.program ? a.proc - b.proc : a.program.localeCompare(b.program)));
}

/** A program number of api/src/protocol.ts's RpcProgram (`remote` → REMOTE_PROGRAM), as hex. */
function programNumber(model: ApiModel, program: string): string {
  const name = `${program.toUpperCase()}_PROGRAM`;
  const m = model.protocolEnums.find((e) => e.name === 'RpcProgram')?.members.find((x) => x.name === name);
  if (!m) throw new Error(`api/: no program constant ${name}`);
  return `0x${m.value.toString(16).padStart(8, '0')}`;
}

export function emitRemote(model: ApiModel): Output[] {
  const events = [...model.events]
    .sort((a, b) => a.proc - b.proc)
    .map((e) => ({
      eventId: enumValue(model, e.eventId),
      eventIdName: e.eventId,
      proc: e.proc,
      procName: e.procName,
      legacyProc: JSON.stringify(e.legacyProc),
      fields: JSON.stringify(expandLayout(e.fields, model)),
      legacyFields: JSON.stringify(legacyEventFields(e, expandLayout(e.fields, model))),
    }));
  const perms = [...new Set(model.calls.flatMap((c) => c.acl.map((a) => parseAclEntry(a).permission)))].sort();
  const readPermissions = JSON.stringify(perms.filter(isReadPermission));
  return [
    {
      file: FILE,
      text: render('ts-remote', FILE, {
        procs: procedures(model),
        events,
        readPermissions,
        remoteProgram: programNumber(model, 'remote'),
        qemuProgram: programNumber(model, 'qemu'),
      }),
    },
  ];
}
