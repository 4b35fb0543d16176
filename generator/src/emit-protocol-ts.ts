/**
 * Emits `packages/protocol/src/generated/protocol.gen.ts`: the RPC protocol's own numbers and
 * layouts from `api/src/protocol.ts` (programs, message types and statuses, size limits, driver
 * features, auth types, typed-parameter types, remote_error, stream holes) and the procedure
 * numbers and layouts of the calls the RPC ends handle themselves. The TS protocol code holds none.
 */
import type { ApiModel, EnumModel, WireField } from './model';
import { render, type Output } from './render';
import { expandLayout } from './wire';

const FILE = 'packages/protocol/src/generated/protocol.gen.ts';

/** One `NAME: value` member of an emitted table, with libvirt's name in the doc comment. */
interface Member {
  key: string;
  value: string;
  cName: string;
}

function protocolEnum(model: ApiModel, name: string): EnumModel {
  const e = model.protocolEnums.find((x) => x.name === name);
  if (!e) throw new Error(`api/src/protocol.ts: no enum ${name}`);
  return e;
}

/** The members of an api/ protocol enum, named without libvirt's common prefix or suffix. */
function members(e: EnumModel, strip: RegExp, hex = false): Member[] {
  return e.members.map((m) => {
    const key = m.name.replace(strip, '');
    if (key === m.name) throw new Error(`api/: ${e.name}.${m.name} does not match ${strip}`);
    return { key, value: hex ? `0x${m.value.toString(16).padStart(8, '0')}` : String(m.value), cName: m.name };
  });
}

/** The numeric value of a public enum member (typed-parameter types live in the public API). */
function publicValue(model: ApiModel, member: string): number {
  for (const e of model.enums) {
    const m = e.members.find((x) => x.name === member);
    if (m) return m.value;
  }
  throw new Error(`no enum member ${member} in api/`);
}

/** Procedures of the REMOTE program the RPC ends implement themselves: api/'s core calls and the protocol-only ones. */
function coreProcedures(model: ApiModel) {
  const protocol = model.protocol!;
  const fromCalls = model.calls
    .filter((c) => c.remote && c.impl === 'core' && c.remote.program === 'remote')
    .map((c) => ({
      procName: c.remote!.procName,
      proc: c.remote!.proc,
      priority: c.remote!.priority,
      args: c.remote!.args,
      ret: c.remote!.ret as WireField[] | null,
    }));
  const own = protocol.procedures.filter((p) => p.program === 'remote');
  return [...fromCalls, ...own]
    .sort((a, b) => a.proc - b.proc)
    .map((p) => ({
      key: p.procName.replace(/^REMOTE_PROC_/, ''),
      proc: p.proc,
      procName: p.procName,
      args: JSON.stringify(expandLayout(p.args, model)),
      ret: p.ret === null ? null : JSON.stringify(expandLayout(p.ret, model)),
      highPriority: p.priority === 'high',
    }));
}

/** `protocol.gen.ts`. */
export function emitProtocolTs(model: ApiModel): Output[] {
  const protocol = model.protocol;
  if (!protocol) throw new Error('api/: the TS protocol needs the wire protocol definition (api/src/protocol.ts)');
  const version = protocolEnum(model, 'RpcProgramVersion').members;
  if (version.length !== 1) throw new Error('api/: RpcProgramVersion must have one member');
  const data = {
    programs: members(protocolEnum(model, 'RpcProgram'), /_PROGRAM$/, true),
    version: version[0].value,
    messageTypes: members(protocolEnum(model, 'NetMessageType'), /^VIR_NET_/),
    messageStatuses: members(protocolEnum(model, 'NetMessageStatus'), /^VIR_NET_/),
    limits: protocolEnum(model, 'NetMessageLimit').members.map((m) => ({ key: m.name, value: String(m.value), cName: m.name })),
    features: members(protocolEnum(model, 'DriverFeature'), /^VIR_DRV_FEATURE_/),
    authTypes: members(protocolEnum(model, 'RemoteAuthType'), /^REMOTE_AUTH_/),
    typedParamTypes: protocol.typedParamArms.map(([type, wire]) => ({
      key: type.replace(/^VIR_TYPED_PARAM_/, ''),
      value: publicValue(model, type),
      cName: type,
      wire,
    })),
    keepalive: protocol.procedures
      .filter((p) => p.program === 'keepalive')
      .map((p) => ({ key: p.procName.replace(/^KEEPALIVE_PROC_/, ''), value: String(p.proc), cName: p.procName })),
    coreProcs: coreProcedures(model),
    handles: protocol.handles.map((h) => ({ name: h.name, xdr: h.xdr, fields: JSON.stringify(h.fields) })),
    remoteError: JSON.stringify(expandLayout(protocol.remoteError, model)),
    streamHole: JSON.stringify(expandLayout(protocol.streamHole, model)),
  };
  return [{ file: FILE, text: render('ts-protocol', FILE, data) }];
}
