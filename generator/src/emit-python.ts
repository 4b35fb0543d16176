/** Emits the Python bindings' generated layer: classes with libvirt-python's names, calling through the wire tables of `_wire.py`. */
import type { ApiModel, CallModel } from './model';
import { domainIdEffect } from './domain-id';
import { render, type Output } from './render';
import { mapArgs, OWNER_WIRE, retShape } from './remote-map';

const FILE = 'packages/bindings-python/virtkit/_generated.py';

const PY_CLASS: Record<string, string> = {
  Connect: 'virConnect',
  Domain: 'virDomain',
  DomainSnapshot: 'virDomainSnapshot',
  DomainCheckpoint: 'virDomainCheckpoint',
  StoragePool: 'virStoragePool',
  StorageVol: 'virStorageVol',
  Network: 'virNetwork',
  Interface: 'virInterface',
  Secret: 'virSecret',
  NodeDevice: 'virNodeDevice',
};

const WIRE_CLASS: Record<string, string> = Object.fromEntries(Object.entries(OWNER_WIRE).map(([obj, wire]) => [wire, PY_CLASS[obj]]));

/** Python expression turning a decoded wire value into what libvirt-python returns. */
function pyResult(type: string, value: string, conn: string): string {
  const base = type.replace(/[?]$/, '').replace(/<\d+>$/, '');
  const cls = WIRE_CLASS[base];
  if (!cls) return value;
  if (/<\d+>$/.test(type)) return `[${cls}(${conn}, x) for x in ${value}]`;
  if (type.endsWith('?')) return `(None if ${value} is None else ${cls}(${conn}, ${value}))`;
  return `${cls}(${conn}, ${value})`;
}

/** Python expression for a wire argument from a parameter. */
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

function pyArg(wireName: string, type: string): string {
  const name = pyIdent(wireName);
  if (type === 'uuid') return `_uuid_bytes(${name})`;
  if (
    type.startsWith('Domain') ||
    type.startsWith('Storage') ||
    type === 'Network' ||
    type === 'Interface' ||
    type === 'Secret' ||
    type === 'NodeDevice'
  )
    return `${name}._ref`;
  return name;
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
    default:
      throw new Error(`${call.file}: no Python accessor for handle call ${call.c}`);
  }
}

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
  // A dict of the typed parameters plus the job type.
  virDomainGetJobStats: (at) => [`stats = {p.field: p.value for p in ${at('params')}}`, `stats["type"] = ${at('type')}`, 'return stats'],
};

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

function methodView(call: CallModel, model: ApiModel) {
  const conn = call.object === 'Connect' ? 'self' : 'self._conn';
  const params = call.params
    .filter((p) => p.type !== 'Stream')
    .map((p) =>
      p.default !== undefined ? `${pyIdent(p.name)}=${p.default === null ? 'None' : JSON.stringify(p.default)}` : pyIdent(p.name),
    );
  if (call.flags !== undefined) params.push('flags=0');
  if (call.impl === 'handle')
    return { python: call.python, c: call.c, doc: call.doc, params: ['self', ...params].join(', '), body: [handleAccessor(call)] };
  const remote = call.remote!;
  const args = mapArgs(call).map((a) => {
    if (a.kind === 'self') return 'self._ref';
    if (a.kind === 'flags') return 'flags';
    if (a.kind === 'const') return String(a.value);
    return pyArg(a.name, a.type);
  });
  const stream = call.params.find((p) => p.type === 'Stream');
  const shape = retShape(call);
  const callExpr = `${conn}._rpc.invoke(_wire.${remote.procName}, [${args.join(', ')}]${stream ? `, stream=${stream.name}` : ''})`;
  const body: string[] = [];
  if (shape.kind === 'void') body.push(callExpr, ...idRefresh(call, model), 'return 0');
  else if (call.returns === 'void') {
    // The reply holds the owner's handle updated (e.g. the id of a started domain): keep it, return 0.
    const ownReply = shape.kind === 'single' && shape.type === OWNER_WIRE[call.object];
    body.push(ownReply ? `self._ref = ${callExpr}[0]` : callExpr, 'return 0');
  } else {
    body.push(`r = ${callExpr}`);
    if (shape.kind === 'single' || shape.kind === 'list') body.push(`return ${pyResult(shape.type, 'r[0]', conn)}`);
    else body.push(...recordBody(call, model));
  }
  return { python: call.python, c: call.c, doc: call.doc, params: ['self', ...(stream ? [stream.name] : []), ...params].join(', '), body };
}

/** `_generated.py`. */
export function emitPython(model: ApiModel): Output[] {
  const bindable = (c: CallModel) => c.python !== null && c.impl !== 'core' && (c.impl === 'handle' || c.remote !== null);
  const classes = Object.entries(PY_CLASS).map(([object, name]) => ({
    name,
    object,
    methods: model.calls.filter((c) => c.object === object && bindable(c)).map((c) => methodView(c, model)),
  }));
  return [{ file: FILE, text: render('py-generated', FILE, { classes }) }];
}
