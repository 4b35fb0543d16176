/** Emits `packages/core/src/generated/`: errors, enums, records, call table, driver SPI, classes. */
import { publicCallErrorDomain } from './error-domain';
import { OBJECT_ORDER, type ApiModel, type CallModel } from './model';
import { describeAclEntry, flagPermissions, isReadPermission, type FlagPermission } from './acl';
import { domainIdEffect } from './domain-id';
import { render, type Output } from './render';
import { flagsMask, handleFields, handleOf, OWNER_PARAM, publicType, recordOf, spiType } from './types';

const DIR = 'packages/core/src/generated';
const ERROR_ENUMS = ['ErrorNumber', 'ErrorDomain', 'ErrorLevel'];

/** Handle accessors answered from the handle's own fields (impl: 'handle'). */
const HANDLE_FIELDS: Record<string, { field: string; wrap?: string }> = {
  getName: { field: 'name' },
  getUUIDString: { field: 'uuid' },
  getID: { field: 'id' },
  getKey: { field: 'key' },
  getMACString: { field: 'mac' },
  getDomain: { field: 'domain', wrap: 'Domain' },
  getNetwork: { field: 'network', wrap: 'Network' },
  getUsageType: { field: 'usageType' },
  getUsageID: { field: 'usageID' },
};

function docLines(call: CallModel, model: ApiModel): string[] {
  const facts = [`libvirt: \`${call.c}\``];
  if (call.flags && call.flags !== 'reserved') facts.push(`flags: {@link ${call.flags}}`);
  if (call.acl.length) facts.push(`ACL: ${call.acl.map(describeAclEntry).join(', ')}`);
  if (!call.readOnlySafe) facts.push('refused on read-only connections');
  void model;
  return [call.doc, '', facts.join(' · '), `@since ${call.since}`];
}

/** The result as the public API returns it: refs (also those inside records) become handle objects. */
function wrapResult(type: string, connExpr: string, model: ApiModel): string {
  const rec = recordOf(type, model);
  const fields = rec ? handleFields(rec.struct) : [];
  if (rec && fields.length) {
    const one = (x: string) => `({ ...${x}, ${fields.map((f) => `${f.name}: new ${f.kind}(${connExpr}, ${x}.${f.name})`).join(', ')} })`;
    if (rec.shape === 'list') return `r.map((x) => ${one('x')})`;
    return rec.shape === 'nullable' ? `r === null ? null : ${one('r')}` : one('r');
  }
  const h = handleOf(type);
  if (!h) return 'r';
  if (h.shape === 'list') return `r.map((x) => new ${h.kind}(${connExpr}, x))`;
  if (h.shape === 'nullable') return `r === null ? null : new ${h.kind}(${connExpr}, r)`;
  return `new ${h.kind}(${connExpr}, r)`;
}

function unwrapArg(name: string, type: string): string {
  const h = handleOf(type);
  if (!h) return name;
  if (h.shape === 'list') return `${name}.map((x) => x._ref)`;
  if (h.shape === 'nullable') return `${name} === null ? null : ${name}._ref`;
  return `${name}._ref`;
}

/**
 * The flags parameter's type: the call's flags enum (with `0`, "no flags", when the enum has no
 * zero member), or plain number for reserved flags.
 */
function flagsParamType(call: CallModel, model: ApiModel): string {
  if (!call.flags || call.flags === 'reserved') return '';
  const e = model.enums.find((x) => x.name === call.flags)!;
  return e.members.some((m) => m.value === 0) ? `: ${e.name}` : `: ${e.name} | 0`;
}

function methodView(call: CallModel, model: ApiModel) {
  const isConnect = call.object === 'Connect';
  const connExpr = isConnect ? 'this' : 'this._conn';
  const hasFlags = call.flags !== undefined;
  const params = call.params.map((p) => `${p.name}: ${publicType(p.type, model)}`);
  if (hasFlags) params.push(`flags${flagsParamType(call, model)} = 0`);
  const args = [...(isConnect ? [] : ['this._ref']), ...call.params.map((p) => unwrapArg(p.name, p.type))];
  if (hasFlags) args.push('flags');
  const handle = call.impl === 'handle' ? HANDLE_FIELDS[call.name] : undefined;
  if (call.impl === 'handle' && !handle) throw new Error(`${call.file}: no handle field known for ${call.c} (${call.name})`);
  return {
    c: call.c,
    name: call.name,
    spi: call.spi,
    doc: docLines(call, model),
    params: params.join(', '),
    ret: publicType(call.returns, model),
    isVoid: call.returns === 'void',
    hasFlags,
    args: args.join(', '),
    connExpr,
    wrapped: wrapResult(call.returns, connExpr, model),
    handleField: handle?.field,
    handleWrap: handle?.wrap,
    idStarted: domainIdEffect(call.c) === 'started',
    idStopped: domainIdEffect(call.c) === 'stopped',
  };
}

function spiView(call: CallModel, model: ApiModel) {
  const params: string[] = [];
  if (call.object !== 'Connect') params.push(`${OWNER_PARAM[call.object]}: ${call.object}Ref`);
  for (const p of call.params) params.push(`${p.name}: ${spiType(p.type, model)}`);
  if (call.flags !== undefined) params.push('flags: number');
  return { c: call.c, spi: call.spi, doc: call.doc, params: params.join(', '), ret: spiType(call.returns, model) };
}

/** Every file of the core's generated folder. */
/** The flags whose permissions a read-only connection lacks, merged into one mask (null: none). */
function deniedReadOnlyFlags(perms: FlagPermission[]): { mask: number; flagNames: string[] } | null {
  const denied = perms.filter((p) => !isReadPermission(p.permission));
  if (!denied.length) return null;
  return { mask: denied.reduce((m, p) => (m | p.mask) >>> 0, 0), flagNames: denied.flatMap((p) => p.flagNames) };
}

export function emitCore(model: ApiModel): Output[] {
  const byName = (n: string) => model.enums.find((e) => e.name === n);
  const errorEnums = ERROR_ENUMS.map((n) => {
    const e = byName(n);
    if (!e) throw new Error(`api/src must define enum ${n}`);
    return e;
  });
  const otherEnums = model.enums.filter((e) => !ERROR_ENUMS.includes(e.name));
  const calls = model.calls.map((c) => ({
    c: c.c,
    object: c.object,
    name: c.name,
    acl: c.acl,
    readOnlySafe: c.readOnlySafe,
    deniedReadOnlyFlags: deniedReadOnlyFlags(flagPermissions(c, model)),
    flagsMask: flagsMask(c, model),
    since: c.since,
    remote: c.remote ? { program: c.remote.program, proc: c.remote.proc } : null,
    errorDomain: publicCallErrorDomain(c.c),
  }));
  const classes = OBJECT_ORDER.filter((o) => o !== 'Stream').map((object) => ({
    object,
    isConnect: object === 'Connect',
    isDomain: object === 'Domain',
    methods: model.calls.filter((c) => c.object === object && c.impl !== 'core').map((c) => methodView(c, model)),
  }));
  const flagEnums = [
    ...new Set(model.calls.filter((c) => c.impl !== 'core' && c.flags && c.flags !== 'reserved').map((c) => c.flags!)),
  ].sort();
  const structs = model.structs.map((s) => ({
    ...s,
    fields: s.fields.map((f) => ({ ...f, ts: publicType(f.type, model).replace(/^R\./, '') })),
    refFields: handleFields(s).length ? s.fields.map((f) => ({ ...f, ts: spiType(f.type, model).replace(/^R\./, '') })) : null,
  }));
  const recordHandles = [...new Set(structs.flatMap((s) => handleFields(s).map((f) => f.kind)))].sort();
  const spi = model.calls.filter((c) => c.impl === 'driver').map((c) => spiView(c, model));
  const out = (name: string, data: object): Output => {
    const file = `${DIR}/${name}.gen.ts`;
    const uses = JSON.stringify(data);
    const refs = [
      'DomainRef',
      'DomainSnapshotRef',
      'DomainCheckpointRef',
      'StoragePoolRef',
      'StorageVolRef',
      'NetworkRef',
      'NetworkPortRef',
      'InterfaceRef',
      'SecretRef',
      'NodeDeviceRef',
    ]
      .filter((r) => name === 'api' || uses.includes(r))
      .sort();
    const flags = {
      usesTypedParams: uses.includes('TypedParams'),
      usesWide: /\bWide\b/.test(uses),
      usesStream: uses.includes('VirStream'),
      usesRecords: uses.includes('R.'),
      usesStartedRef: uses.includes('"idStarted":true'),
      refs: refs.join(', '),
    };
    return { file, text: render(`ts-${name}`, file, { ...data, ...flags }) };
  };
  return [
    out('errors', { enums: errorEnums, messages: model.errorMessages }),
    out('enums', { enums: otherEnums, families: model.paramFamilies }),
    out('records', { structs, recordHandles: recordHandles.join(', '), recordRefs: recordHandles.map((k) => `${k}Ref`).join(', ') }),
    out('calls', { calls }),
    out('spi', { calls: spi }),
    out('api', { classes, flagEnums: flagEnums.join(', ') }),
  ];
}
