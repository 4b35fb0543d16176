/**
 * Emits the Python bindings' generated layer from api/ and libvirt-python's surface:
 * - `_generated.py`: the classes with libvirt-python's names and argument lists, one method per
 *   call of api/ that libvirt-python has, calling through the wire tables of `_wire.py`, and the
 *   constants libvirt-python has that no enum of api/ defines;
 * - `_unsupported.py`: for every other method of libvirt-python, a method with its signature that
 *   raises VIR_ERR_NO_SUPPORT, so ported code fails at call time rather than at import.
 */
import type { ApiModel, CallModel } from './model';
import type { ParamDef } from '@virtkit/api';
import { domainIdEffect } from './domain-id';
import { publicCallErrorDomain } from './error-domain';
import { render, type Output } from './render';
import { mapArgs, OWNER_WIRE, retShape } from './remote-map';
import type { PythonSurface, SurfaceMethod, SurfaceParam } from './python-surface';

const FILE = 'packages/bindings-python/virtkit/_generated.py';
const PYI_FILE = 'packages/bindings-python/virtkit/__init__.pyi';
const SUPPORT_DOC = 'docs/python-support.md';
const STUB_FILE = 'packages/bindings-python/virtkit/_unsupported.py';

const PY_CLASS: Record<string, string> = {
  Connect: 'virConnect',
  Domain: 'virDomain',
  DomainSnapshot: 'virDomainSnapshot',
  DomainCheckpoint: 'virDomainCheckpoint',
  StoragePool: 'virStoragePool',
  StorageVol: 'virStorageVol',
  Network: 'virNetwork',
  NetworkPort: 'virNetworkPort',
  Interface: 'virInterface',
  Secret: 'virSecret',
  NodeDevice: 'virNodeDevice',
};

/** libvirt-python puts a few calls of a child handle on its parent (virDomain.revertToSnapshot(snap)). */
const PARENT_CLASS: Record<string, string> = { DomainSnapshot: 'virDomain', DomainCheckpoint: 'virDomain' };

const WIRE_CLASS: Record<string, string> = Object.fromEntries(Object.entries(OWNER_WIRE).map(([obj, wire]) => [wire, PY_CLASS[obj]]));

/** Python expression turning a decoded wire value into what libvirt-python returns. */
function pyResult(type: string, value: string, conn: string): string {
  const base = type.replace(/[?]$/, '').replace(/<\d+>$/, '');
  const cls = WIRE_CLASS[base];
  // libvirt-python returns typed parameters as a dict
  if (/^TP<\d+>$/.test(type)) return `_typed_dict(${value})`;
  if (!cls) return value;
  if (/<\d+>$/.test(type)) return `[${cls}(${conn}, x) for x in ${value}]`;
  if (type.endsWith('?')) return `(None if ${value} is None else ${cls}(${conn}, ${value}))`;
  return `${cls}(${conn}, ${value})`;
}

const PY_KEYWORDS = new Set(
  (
    'False None True and as assert async await break class continue def del elif else except finally for from global if ' +
    'import in is lambda nonlocal not or pass raise return try while with yield'
  ).split(' '),
);

/** A parameter's Python name: a keyword gets libvirt-python's spelling (`from` is `frm`) or a trailing `_`. */
function pyIdent(name: string): string {
  if (!PY_KEYWORDS.has(name)) return name;
  return name === 'from' ? 'frm' : `${name}_`;
}

const HANDLE_TYPE = /^(Domain|Storage|Network$|NetworkPort$|Interface$|Secret$|NodeDevice$)/;

/** Python expression for a wire argument from the Python parameter that supplies it. */
function pyArg(pyName: string, type: string): string {
  if (type === 'uuid') return `_uuid_bytes(${pyName})`;
  if (HANDLE_TYPE.test(type)) return `${pyName}._ref`;
  // A list of strings may be None (libvirt-python's default for keys and mount points): none.
  if (type === 'string[]') return `${pyName} or []`;
  return pyName;
}

function handleAccessor(call: CallModel): string {
  switch (call.name) {
    case 'getName':
      return 'return self._ref.name';
    case 'getUUIDString':
      return 'return _uuid_text(self._ref.uuid)';
    case 'getID':
      return 'return self._ref.id';
    case 'getKey':
      return 'return self._ref.key';
    case 'getMACString':
      return 'return self._ref.mac';
    case 'getDomain':
      return 'return virDomain(self._conn, self._ref.dom)';
    case 'getNetwork':
      return 'return virNetwork(self._conn, self._ref.net)';
    case 'getUsageID':
      return 'return self._ref.usageID';
    case 'getUsageType':
      return 'return self._ref.usageType';
    default:
      throw new Error(`${call.file}: no Python accessor for handle call ${call.c}`);
  }
}

/** Methods libvirt-python answers from the handle without calling the library. */
const HANDLE_METHOD: Record<string, string> = {
  connect: 'return self._conn',
  getConnect: 'return self._conn',
  domain: 'return virDomain(self._conn, self._ref.dom)',
  // libvirt-python's virDomainCheckpoint.getDomain is domain() under another name
  getDomain: 'return virDomain(self._conn, self._ref.dom)',
  // the raw 16 bytes, where UUIDString() gives the text form
  UUID: 'return bytes(self._ref.uuid)',
};

/**
 * Results that libvirt-python shapes by hand (its libvirt-override.c) instead of listing the
 * record's fields; `at(name)` is the reply field of that name.
 */
const PY_RESULT: Record<string, (at: (name: string) => string) => string[]> = {
  // Host memory in MiB, where the record holds KiB.
  virNodeGetInfo: (at) => [
    `return [${['model', 'memory', 'cpus', 'mhz', 'nodes', 'sockets', 'cores', 'threads'].map((f) => (f === 'memory' ? `${at(f)} >> 10` : at(f))).join(', ')}]`,
  ],
  virDomainGetSecurityLabel: (at) => [`return [${at('label')}, bool(${at('enforcing')})]`],
  // A dict, empty when no job runs.
  virDomainGetBlockJobInfo: (at) => [
    `if not ${at('found')}:`,
    '    return {}',
    `return {"type": ${at('type')}, "bandwidth": ${at('bandwidth')}, "cur": ${at('cur')}, "end": ${at('end')}}`,
  ],
  // Tuples, where other records are lists.
  virDomainBlockStats: (at) => [`return (${['rd_req', 'rd_bytes', 'wr_req', 'wr_bytes', 'errs'].map(at).join(', ')})`],
  virDomainInterfaceStats: (at) => [
    `return (${['rx_bytes', 'rx_packets', 'rx_errs', 'rx_drop', 'tx_bytes', 'tx_packets', 'tx_errs', 'tx_drop'].map(at).join(', ')})`,
  ],
  // {'seconds', 'nseconds'}, the dict setTime takes.
  virDomainGetTime: (at) => [`return {"seconds": ${at('seconds')}, "nseconds": ${at('nseconds')}}`],
  // A dict of the typed parameters plus the job type.
  virDomainGetJobStats: (at) => [`stats = {p.field: p.value for p in ${at('params')}}`, `stats["type"] = ${at('type')}`, 'return stats'],
};

/**
 * libvirt-python parameters that pack several parameters of the call (setTime's dict): the
 * Python parameter, the call's parameters it supplies, and the hand-written unpacker in
 * `_overrides.py` that applies libvirt-python's checks.
 */
const PY_PACKED: Record<string, { param: string; supplies: string[]; unpack: string }> = {
  virDomainSetTime: { param: 'time', supplies: ['seconds', 'nseconds'], unpack: '_overrides.time_fields(time, flags)' },
};

/** The names bindParams binds: a packed parameter stands for the call's parameters it supplies. */
function unpackedNames(call: CallModel, pyNames: string[]): string[] {
  const packed = PY_PACKED[call.c];
  return packed ? [...pyNames.filter((n) => n !== packed.param), ...packed.supplies] : pyNames;
}

/** Replies of one field that libvirt-python reshapes: memory statistics become {tag name: value}. */
const PY_SINGLE: Record<string, (value: string) => string> = {
  virDomainMemoryStats: (v) => `{_MEMORY_STAT_NAMES.get(s.tag, str(s.tag)): s.val for s in (_stat_pair(x) for x in ${v})}`,
};

/**
 * Getters whose libvirt public call adds VIR_TYPED_PARAM_STRING_OKAY to the flags when the daemon
 * takes string typed parameters (libvirt-domain.c, libvirt-host.c): without it a daemon leaves
 * the string fields out.
 */
const STRING_OKAY = new Set([
  'virDomainBlockStatsFlags',
  'virDomainGetBlkioParameters',
  'virDomainGetBlockIoTune',
  'virDomainGetCPUStats',
  'virDomainGetInterfaceParameters',
  'virDomainGetMemoryParameters',
  'virDomainGetNumaParameters',
  'virDomainGetSchedulerParametersFlags',
  'virNodeGetMemoryParameters',
]);

/** The Python expression of a call's flags argument: `flags`, with the string flag where libvirt adds it. */
function flagsArg(call: CallModel, flags: string, conn: string): string {
  return STRING_OKAY.has(call.c) ? `_string_okay(${conn}._rpc, ${flags})` : flags;
}

/** Python statements returning a record reply as libvirt-python does: a list in the record's field order. */
function recordBody(call: CallModel, model: ApiModel): string[] {
  const wire = call.remote!.ret.map(([n]) => n);
  const custom = PY_RESULT[call.c];
  if (custom) {
    return custom((name) => {
      if (!wire.includes(name)) throw new Error(`${call.file}: ${call.c}: no reply field '${name}'`);
      return `r[${wire.indexOf(name)}]`;
    });
  }
  const struct = model.structs.find((st) => st.name === call.returns.replace(/\?$/, ''))!;
  const list = `[${struct.fields.map((f) => `r[${wire.indexOf(f.name)}]`).join(', ')}]`;
  return call.returns.endsWith('?') ? [`if not r[${wire.indexOf('found')}]:`, '    return None', `return ${list}`] : [`return ${list}`];
}

/**
 * libvirt's remote driver keeps a domain handle's id current: virDomainCreate's reply carries no
 * domain, so the client looks the domain up by UUID afterwards; the destroy calls reset it to -1.
 */
function idRefresh(call: CallModel, model: ApiModel): string[] {
  const effect = domainIdEffect(call.c);
  if (effect === 'stopped') return ['self._ref = self._ref._replace(id=-1)'];
  if (effect !== 'started') return [];
  const lookup = model.calls.find((c) => c.c === 'virDomainLookupByUUIDString')?.remote;
  if (!lookup) throw new Error(`${call.file}: virDomainCreate needs virDomainLookupByUUIDString to learn the new id`);
  return [`self._ref = self._conn._rpc.invoke(_wire.${lookup.procName}, [self._ref.uuid])[0]`];
}

/** The bound of the reply's first list (`string<16384>` → 16384): what "at most N" asks for when libvirt-python asks for all. */
function replyBound(call: CallModel): number | null {
  const m = /<(\d+)>$/.exec(call.remote?.ret[0]?.[1] ?? '');
  return m ? Number(m[1]) : null;
}

/**
 * Which Python parameter supplies each parameter of the call: the same name, a stream for
 * `st`/`stream`, then position. A count libvirt-python does not take (`maxids`, `nameslen`) asks
 * for as many as the reply can hold, as libvirt-python's override asks for all.
 */
function bindParams(call: CallModel, pyParams: string[], where: string): Map<string, string> {
  const free = [...pyParams];
  const bound = new Map<string, string>();
  const take = (name: string) => free.splice(free.indexOf(name), 1)[0];
  const rest = call.params.filter((p) => {
    if (free.includes(pyIdent(p.name))) return !bound.set(p.name, take(pyIdent(p.name)));
    if (p.type === 'Stream') {
      const st = free.find((n) => n === 'st' || n === 'stream');
      if (st) return !bound.set(p.name, take(st));
    }
    return true;
  });
  for (const p of rest) {
    if (free.length) {
      bound.set(p.name, free.shift()!);
      continue;
    }
    const max = replyBound(call);
    if (!['int', 'uint'].includes(p.type) || max === null)
      throw new Error(`${where}: libvirt-python has no parameter for '${p.name}' of ${call.c}`);
    bound.set(p.name, String(max));
  }
  // libvirt-python keeps C's length argument beside a list (sendKey's nkeycodes); the list carries its own length.
  const lengths = free.filter((n) => n.startsWith('n') && [...bound.values()].includes(n.slice(1)));
  const unbound = free.filter((n) => !lengths.includes(n));
  if (unbound.length) throw new Error(`${where}: libvirt-python's parameters ${unbound.join(', ')} have no parameter in ${call.c}`);
  return bound;
}

function pySignature(params: SurfaceParam[]): string {
  return ['self', ...params.map((p) => (p.default === undefined ? p.name : `${p.name}=${p.default}`))].join(', ');
}

/** A method of libvirt-python bound to a call of api/. `owner` is the Python parameter holding the call's handle when the method sits on the parent class. */
function boundMethod(name: string, sig: SurfaceMethod, call: CallModel, model: ApiModel, owner: string | null) {
  const where = `${call.file}: Python ${name}`;
  const doc = `${call.doc} (${call.c})`;
  const params = pySignature(sig.params);
  if (call.impl === 'handle') return { python: name, doc, params, body: [handleAccessor(call)] };
  const pyNames = sig.params.map((p) => p.name).filter((n) => n !== owner && !(n === 'flags' && call.flags !== undefined));
  // A call whose flags libvirt-python does not expose (memoryStats()) gets 0, as libvirt-python passes.
  const flagsExpr = sig.params.some((p) => p.name === 'flags') ? 'flags' : '0';
  const bound = bindParams(call, unpackedNames(call, pyNames), where);
  const self = owner === null ? 'self' : owner;
  const conn = call.object === 'Connect' ? 'self' : 'self._conn';
  const remote = call.remote!;
  const args = mapArgs(call).map((a) => {
    if (a.kind === 'self') return `${self}._ref`;
    if (a.kind === 'flags') return flagsArg(call, flagsExpr, conn);
    if (a.kind === 'const') return String(a.value);
    const py = bound.get(call.params.find((p) => (p.wire ?? p.name) === a.name || p.name === a.name)!.name)!;
    return /^\d+$/.test(py) ? py : pyArg(py, a.type);
  });
  const stream = call.params.find((p) => p.type === 'Stream');
  const shape = retShape(call);
  const callExpr = `${conn}._rpc.invoke(_wire.${remote.procName}, [${args.join(', ')}]${stream ? `, stream=${bound.get(stream.name)}` : ''})`;
  const packed = PY_PACKED[call.c];
  const body: string[] = [
    ...(packed ? [`${packed.supplies.join(', ')} = ${packed.unpack}`] : []),
    ...typedParamTypes(call, model, bound, self),
  ];
  if (shape.kind === 'void') body.push(callExpr, ...(owner === null ? idRefresh(call, model) : []), 'return 0');
  else if (call.returns === 'void') {
    // The reply holds the owner's handle updated (e.g. the id of a started domain): keep it, return 0.
    const ownReply = shape.kind === 'single' && shape.type === OWNER_WIRE[call.object] && owner === null;
    body.push(ownReply ? `self._ref = ${callExpr}[0]` : callExpr, 'return 0');
  } else {
    body.push(`r = ${callExpr}`);
    if (PY_SINGLE[call.c]) body.push(`return ${PY_SINGLE[call.c]('r[0]')}`);
    else if (shape.kind === 'single' || shape.kind === 'list') body.push(`return ${pyResult(shape.type, 'r[0]', conn)}`);
    else body.push(...recordBody(call, model));
  }
  return { python: name, doc, params, body };
}

/** The Python type of an api/ type as a parameter (`param`) or as what the method returns. */
function pyType(t: string, use: 'param' | 'return'): string {
  const handle = Object.entries(PY_CLASS).find(([o]) => t.replace(/(\?|\[\])$/, '') === o)?.[1];
  if (handle) return t.endsWith('[]') ? `List[${handle}]` : t.endsWith('?') ? `Optional[${handle}]` : handle;
  const scalar: Record<string, string> = {
    string: 'str',
    xml: 'str',
    uuid: 'str',
    int: 'int',
    uint: 'int',
    long: 'int',
    ulong: 'int',
    double: 'float',
    bytes: 'bytes',
    'string?': 'Optional[str]',
    TypedParams: 'Dict[str, Any]',
    Stream: 'virStream',
    'string[]': 'List[str]',
    'int[]': 'List[int]',
    'ulong[]': 'List[int]',
    Callback: 'Callable[..., Any]',
  };
  if (t === 'bool') return 'int';
  if (t === 'void') return use === 'return' ? 'int' : 'None';
  return scalar[t] ?? 'Any';
}

/** A stub signature: libvirt-python's parameters typed from the call of api/ they carry (Any when none). */
function stubSignature(sig: SurfaceMethod, types: Map<string, string>): string {
  const typed = sig.params.map((p) => {
    const t = types.get(p.name) ?? (p.name === 'flags' ? 'int' : 'Any');
    return p.default === undefined
      ? `${p.name}: ${t}`
      : `${p.name}: ${p.default === 'None' && !t.startsWith('Optional') && t !== 'Any' ? `Optional[${t}]` : t} = ...`;
  });
  return ['self', ...typed].join(', ');
}

/** Parameter types of a libvirt-python method bound to `call`. */
function boundTypes(call: CallModel, sig: SurfaceMethod, owner: string | null): Map<string, string> {
  const types = new Map<string, string>();
  if (owner !== null) types.set(owner, PY_CLASS[call.object]);
  if (call.impl === 'handle') return types;
  const pyNames = sig.params.map((p) => p.name).filter((n) => n !== owner && !(n === 'flags' && call.flags !== undefined));
  const bound = bindParams(call, unpackedNames(call, pyNames), call.c);
  const packed = PY_PACKED[call.c];
  if (packed) types.set(packed.param, 'Optional[Dict[str, int]]');
  for (const p of call.params) {
    const py = bound.get(p.name);
    if (py && !/^\d+$/.test(py)) types.set(py, p.type === 'TypedParams' ? 'Dict[str, Any]' : pyType(p.type, 'param'));
  }
  return types;
}

/** What a bound method returns, as a Python type (Any for records libvirt-python shapes by hand). */
function returnType(call: CallModel): string {
  if (call.impl !== 'handle' && (PY_RESULT[call.c] || PY_SINGLE[call.c])) return 'Any';
  if (call.impl === 'handle' && call.name === 'getUsageType') return 'int';
  return pyType(call.returns, 'return');
}

/**
 * The hand-written classes (`module.Class`) a generated class inherits from, before its
 * `Unsupported` base: they hold the methods of HAND_WRITTEN.
 */
const HAND_BASES: Record<string, string[]> = {
  virConnect: ['_connect.virConnectBase', '_node.virConnectNodeBase'],
  virDomain: ['_domain.virDomainBase', '_migrate.virDomainMigrateBase'],
};

/** Classes the runtime defines by hand (on top of their `Unsupported` base). */
const HAND_WRITTEN_CLASSES = new Set(['virStream']);

/**
 * libvirt-python methods the hand-written runtime implements (`_connect.py`, `_stream.py`): they
 * get no VIR_ERR_NO_SUPPORT stand-in; test/python/test_libvirt_python_surface.py checks each exists.
 */
const HAND_WRITTEN: Record<string, string[]> = {
  virConnect: [
    'close',
    'domainEventDeregisterAny',
    'domainEventRegisterAny',
    'domainListGetStats',
    'getAllDomainStats',
    'getCPUMap',
    'getCPUStats',
    'getMemoryStats',
    'getURI',
    'isAlive',
    'networkEventDeregisterAny',
    'networkEventRegisterAny',
    'newStream',
    'nodeDeviceEventDeregisterAny',
    'nodeDeviceEventRegisterAny',
    'registerCloseCallback',
    'secretEventDeregisterAny',
    'secretEventRegisterAny',
    'setKeepAlive',
    'storagePoolEventDeregisterAny',
    'storagePoolEventRegisterAny',
    'unregisterCloseCallback',
  ],
  virDomain: [
    'emulatorPinInfo',
    'ioThreadInfo',
    'migrate',
    'migrate2',
    'migrate3',
    'migrateToURI',
    'migrateToURI2',
    'migrateToURI3',
    'pinEmulator',
    'pinIOThread',
    'pinVcpu',
    'pinVcpuFlags',
    'setIOThreadParams',
    'vcpuPinInfo',
    'vcpus',
  ],
  virStream: [
    'abort',
    'connect',
    'finish',
    'recv',
    'recvAll',
    'recvFlags',
    'recvHole',
    'send',
    'sendAll',
    'sendHole',
    'sparseRecvAll',
    'sparseSendAll',
  ],
};

/** A Python argument list from api/'s parameters: the stream first, defaults as declared, then `flags=0`. */
function apiSignature(call: CallModel): SurfaceMethod {
  const pyDefault = (d: ParamDef['default']) => (d === undefined ? undefined : d === null ? 'None' : JSON.stringify(d));
  const stream = call.params.filter((p) => p.type === 'Stream');
  const params: SurfaceParam[] = [...stream, ...call.params.filter((p) => p.type !== 'Stream')].map((p) => ({
    name: pyIdent(p.name),
    default: pyDefault(p.default),
  }));
  if (call.flags !== undefined) params.push({ name: 'flags', default: '0' });
  return { params, c: call.c };
}

/**
 * libvirt-python takes typed parameters as a dict of values and learns each field's type from
 * the matching getter (virDomainSetSchedulerParameters asks virDomainGetSchedulerParameters,
 * virDomainSetBlockIoTune asks virDomainGetBlockIoTune about the same disk).
 */
function typedParamTypes(call: CallModel, model: ApiModel, bound: Map<string, string>, self: string): string[] {
  const param = call.params.find((p) => p.type === 'TypedParams');
  if (!param) return [];
  const getter = model.calls.find((c) => c.c === call.c.replace(/^(vir\w+?)Set/, '$1Get') && c.remote && c.object === call.object);
  if (!getter || getter === call) return [];
  const kinds = mapArgs(getter);
  // The getter's own parameters must be the setter's, passed on by name.
  if (kinds.some((a) => a.kind === 'param' && !bound.has(a.name))) return [];
  if (kinds.some((a) => a.kind === 'flags') && call.flags === undefined) return [];
  const conn = call.object === 'Connect' ? self : `${self}._conn`;
  const args = kinds.map((a) => {
    if (a.kind === 'self') return `${self}._ref`;
    if (a.kind === 'flags') return flagsArg(getter, 'flags', conn);
    if (a.kind === 'param') return bound.get(a.name)!;
    return String(a.value);
  });
  const py = bound.get(param.name)!;
  return [`${py} = _typed_like(${conn}._rpc, ${py}, ${conn}._rpc.invoke(_wire.${getter.remote!.procName}, [${args.join(', ')}])[0])`];
}

// A call whose descriptor travels beside the message is left to its stand-in: the runtime's RPC
// client neither sends nor receives descriptors.
const bindable = (c: CallModel) => c.python !== null && c.impl !== 'core' && (c.impl === 'handle' || (c.remote !== null && !c.remote.fds));

/** The call of api/ behind libvirt-python's `cls.method`, and the parameter holding its handle when it sits on the parent. */
function findCall(model: ApiModel, cls: string, method: string, sig: SurfaceMethod): { call: CallModel; owner: string | null } | null {
  const own = model.calls.find((c) => bindable(c) && c.python === method && PY_CLASS[c.object] === cls);
  if (own) return { call: own, owner: null };
  const moved = model.calls.find((c) => bindable(c) && c.python === method && PARENT_CLASS[c.object] === cls);
  if (moved && sig.params.length > 0) return { call: moved, owner: sig.params[0].name };
  return null;
}

/** libvirt-python's constants that no enum of api/ defines; one defined by both must agree. */
function extraConstants(model: ApiModel, surface: PythonSurface) {
  const ours = new Map(model.enums.flatMap((e) => e.members.map((m) => [m.name, m.value] as const)));
  const extra: { name: string; value: string }[] = [];
  for (const [name, value] of Object.entries(surface.constants)) {
    const have = ours.get(name);
    if (have === undefined) extra.push({ name, value: typeof value === 'string' ? JSON.stringify(value) : String(value) });
    else if (have !== value) throw new Error(`api/: ${name} is ${have} but libvirt-python 9.0 has ${value}`);
  }
  return extra;
}

/** Every public constant with its Python type, for the stubs. */
function stubConstants(model: ApiModel, surface: PythonSurface) {
  const names = new Map<string, string>();
  for (const e of model.enums) for (const m of e.members) names.set(m.name, 'int');
  for (const [name, value] of Object.entries(surface.constants))
    if (!names.has(name)) names.set(name, typeof value === 'string' ? 'str' : 'int');
  return [...names].sort(([a], [b]) => a.localeCompare(b)).map(([name, type]) => ({ name, type }));
}

/** `_generated.py`, `_unsupported.py` and the typing stubs `__init__.pyi`. */
export function emitPython(model: ApiModel, surface: PythonSurface): Output[] {
  const classes = [];
  const stubs = [];
  const plain = [];
  const support: { name: string; total: number; bound: number; hand: string; missing: string }[] = [];
  const typed: { name: string; methods: { python: string; params: string; returns: string }[] }[] = [];
  for (const [cls, { methods }] of Object.entries(surface.classes)) {
    const object = Object.keys(PY_CLASS).find((o) => PY_CLASS[o] === cls) ?? null;
    const bound = [];
    const missing = [];
    const typedMethods = [];
    for (const [name, sig] of Object.entries(methods)) {
      const found = object === null ? null : findCall(model, cls, name, sig);
      typedMethods.push(
        found
          ? { python: name, params: stubSignature(sig, boundTypes(found.call, sig, found.owner)), returns: returnType(found.call) }
          : { python: name, params: stubSignature(sig, new Map()), returns: 'Any' },
      );
      if (found) bound.push(boundMethod(name, sig, found.call, model, found.owner));
      else if (object !== null && (sig.c === null || name === 'UUID') && HANDLE_METHOD[name])
        bound.push({ python: name, doc: `libvirt-python's ${name}()`, params: pySignature(sig.params), body: [HANDLE_METHOD[name]] });
      else if (!HAND_WRITTEN[cls]?.includes(name)) {
        const c = sig.c ?? `${cls}.${name}`;
        missing.push({ python: name, params: pySignature(sig.params), c, errorDomain: publicCallErrorDomain(c) });
      }
    }
    // Calls of api/ libvirt-python does not have (virtkit's additions) keep api/'s argument list.
    for (const call of model.calls.filter((c) => bindable(c) && PY_CLASS[c.object] === cls && !(c.python! in methods))) {
      bound.push(boundMethod(call.python!, apiSignature(call), call, model, null));
      const sig = apiSignature(call);
      typedMethods.push({ python: call.python!, params: stubSignature(sig, boundTypes(call, sig, null)), returns: returnType(call) });
    }
    typed.push({ name: cls, methods: typedMethods });
    support.push({
      name: cls,
      total: Object.keys(methods).length,
      bound: Object.keys(methods).length - missing.length - (HAND_WRITTEN[cls]?.length ?? 0),
      hand: (HAND_WRITTEN[cls] ?? []).join(', ') || '—',
      missing: missing.map((m) => m.python).join(', ') || '—',
    });
    stubs.push({ name: cls, methods: missing });
    if (object !== null)
      classes.push({ name: cls, object, bases: [...(HAND_BASES[cls] ?? []), `_unsupported.${cls}Unsupported`].join(', '), methods: bound });
    else if (!HAND_WRITTEN_CLASSES.has(cls)) plain.push(cls);
  }
  return [
    {
      file: FILE,
      text: render('py-generated', FILE, {
        classes,
        plain,
        handModules: [...new Set(Object.values(HAND_BASES).flatMap((bases) => bases.map((b) => b.split('.')[0])))].sort(),
        constants: extraConstants(model, surface),
      }),
    },
    { file: STUB_FILE, text: render('py-unsupported', STUB_FILE, { classes: stubs }) },
    { file: SUPPORT_DOC, text: render('doc-python-support', SUPPORT_DOC, { classes: support }) },
    { file: PYI_FILE, text: render('py-stubs', PYI_FILE, { classes: typed, constants: stubConstants(model, surface) }) },
  ];
}
