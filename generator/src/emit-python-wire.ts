/**
 * Emits the Python bindings' wire tables (`virtkit/_wire.py`): every constant, handle layout,
 * procedure and event message of api/ as plain data, with each wire type already parsed into a
 * descriptor, so the hand-written runtime holds no numbers, layouts or grammar of its own.
 */
import type { ApiModel, EnumModel, WireField } from './model';
import { render, type Output } from './render';
import { expandLayout } from './wire';
import { parseWireType, type XdrType } from './xdr-type';

const FILE = 'packages/bindings-python/virtkit/_wire.py';

/** Python literal for an optional number. */
function pyNumber(n: number | null): string {
  return n === null ? 'None' : String(n);
}

/** A parsed type as the runtime's descriptor literal (see the module docstring of `_wire.py`). */
export function pyDescriptor(t: XdrType): string {
  switch (t.kind) {
    case 'scalar':
    case 'handle':
      return JSON.stringify(t.name);
    case 'optional':
      return `("optional", ${pyDescriptor(t.of)})`;
    case 'array':
      return `("array", ${pyDescriptor(t.of)}, ${pyNumber(t.max)})`;
    case 'fixed':
      return `("fixed", ${pyDescriptor(t.of)}, ${t.size})`;
    case 'typed_params':
      return `("typed_params", ${t.max})`;
    case 'opaque':
      return `("opaque", ${pyNumber(t.max)})`;
    case 'fixed_opaque':
      return `("fixed_opaque", ${t.size})`;
    case 'chars':
      return `("chars", ${pyNumber(t.max)}, ${t.signed ? 'True' : 'False'})`;
    case 'fixed_chars':
      return `("fixed_chars", ${t.size}, ${t.signed ? 'True' : 'False'})`;
    case 'struct':
      return `("struct", ${pyTuple(t.fields.map(([n, f]) => `(${JSON.stringify(n)}, ${pyDescriptor(f)})`))})`;
  }
}

function pyTuple(items: string[]): string {
  if (items.length === 0) return '()';
  return items.length === 1 ? `(${items[0]},)` : `(${items.join(', ')})`;
}

/** A layout `((name, descriptor), ...)` with nested records written out and every type parsed. */
function pyLayout(fields: readonly WireField[], model: ApiModel, handles: ReadonlySet<string>, where: string): string {
  return pyTuple(
    expandLayout(fields, model).map(([n, t]) => {
      try {
        return `(${JSON.stringify(n)}, ${pyDescriptor(parseWireType(t, handles))})`;
      } catch (e) {
        throw new Error(`${where}: field ${n}: ${(e as Error).message}`);
      }
    }),
  );
}

function constants(enums: EnumModel[]) {
  return enums.flatMap((e) => e.members.map((m) => ({ name: m.name, value: m.value })));
}

/** The Python constant naming a program (`remote` → `REMOTE_PROGRAM`), checked against api/'s RpcProgram. */
function programConstant(model: ApiModel, program: string): string {
  const name = `${program.toUpperCase()}_PROGRAM`;
  if (!model.protocolEnums.some((e) => e.members.some((m) => m.name === name))) throw new Error(`api/: no program constant ${name}`);
  return name;
}

/** `_wire.py`. */
export function emitPythonWire(model: ApiModel): Output[] {
  const protocol = model.protocol;
  if (!protocol) throw new Error('api/: the Python bindings need the wire protocol definition (api/src/protocol.ts)');
  const handles = new Set(protocol.handles.map((h) => h.name));
  const calls = model.calls
    .filter((c) => c.remote)
    .map((c) => ({
      name: c.remote!.procName,
      program: programConstant(model, c.remote!.program),
      proc: c.remote!.proc,
      args: pyLayout(c.remote!.args, model, handles, c.c),
      ret: pyLayout(c.remote!.ret, model, handles, c.c),
    }))
    .sort((a, b) => (a.program === b.program ? a.proc - b.proc : a.program.localeCompare(b.program)));
  const protocolProcs = protocol.procedures.map((p) => ({
    name: p.procName,
    program: programConstant(model, p.program),
    proc: p.proc,
    args: pyLayout(p.args, model, handles, p.procName),
    ret: p.ret === null ? null : pyLayout(p.ret, model, handles, p.procName),
  }));
  const events = [...model.events]
    .sort((a, b) => a.proc - b.proc)
    .map((e) => ({
      eventId: e.eventId,
      name: e.procName,
      proc: e.proc,
      fields: pyLayout(e.fields, model, handles, e.procName),
    }));
  const data = {
    publicNames: constants(model.enums).map((c) => c.name),
    publicConstants: constants(model.enums),
    families: model.paramFamilies,
    errorTemplates: model.errorMessages
      .filter((m) => m.withDetail !== null)
      .map((m) => ({ code: m.code, text: JSON.stringify(m.withDetail) })),
    wireConstants: constants(model.protocolEnums).map((c) => ({
      ...c,
      value: c.name.endsWith('_PROGRAM') ? `0x${c.value.toString(16).padStart(8, '0')}` : String(c.value),
    })),
    handles: protocol.handles.map((h) => ({ name: h.name, xdr: h.xdr, fields: pyLayout(h.fields, model, handles, h.xdr) })),
    arms: protocol.typedParamArms.map(([type, wire]) => ({ type, descriptor: pyDescriptor(parseWireType(wire, handles)) })),
    remoteError: pyLayout(protocol.remoteError, model, handles, 'remote_error'),
    streamHole: pyLayout(protocol.streamHole, model, handles, 'virNetStreamHole'),
    calls,
    procedures: protocolProcs.filter((p) => p.ret !== null),
    messages: protocolProcs.filter((p) => p.ret === null),
    events,
  };
  return [{ file: FILE, text: render('py-wire', FILE, data) }];
}
