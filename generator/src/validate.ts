/** Consistency rules of the API definition that no type checker can see. */
import { flagPermissions, isReadPermission, unconditionalPermissions } from './acl';
import type { ApiModel, CallModel } from './model';
import { retShape } from './remote-map';
import { flagsMask, handleOf, publicType } from './types';

export function validateModel(model: ApiModel): string[] {
  const errors: string[] = [];
  const seen = new Map<string, string>();
  const procs = new Map<string, string>();
  for (const call of model.calls) {
    const key = `${call.object}.${call.name}`;
    if (seen.has(key)) errors.push(`${call.file}: ${call.c} and ${seen.get(key)} are both ${key}`);
    seen.set(key, call.c);
    if (seen.has(call.c)) errors.push(`${call.file}: ${call.c} is defined twice`);
    seen.set(call.c, call.c);
    if (call.remote) {
      const p = `${call.remote.program}:${call.remote.proc}`;
      if (procs.has(p))
        errors.push(`${call.file}: ${call.c} reuses ${call.remote.program} procedure ${call.remote.proc} of ${procs.get(p)}`);
      procs.set(p, call.c);
    }
    if (!/^\d+\.\d+\.\d+$/.test(call.since)) errors.push(`${call.file}: ${call.c} has a malformed since '${call.since}'`);
    if (call.impl === 'driver' && !call.readOnlySafe && call.acl.length === 0) {
      errors.push(`${call.file}: ${call.c} changes state but names no ACL permission`);
    }
    errors.push(...checkAcl(call));
    try {
      flagsMask(call, model);
      flagPermissions(call, model);
      publicType(call.returns, model);
      for (const p of call.params) publicType(p.type, model);
    } catch (e) {
      errors.push(`${call.file}: ${call.c}: ${(e as Error).message}`);
    }
    if (call.remote && retShape(call).kind === 'record') errors.push(...checkRecordReply(call, model));
    if (call.impl === 'handle' && handleOf(call.returns)?.shape === 'list')
      errors.push(`${call.file}: ${call.c}: handle accessors return one value`);
  }
  for (const p of model.protocol?.procedures ?? []) {
    const key = `${p.program}:${p.proc}`;
    if (procs.has(key)) errors.push(`api/src/protocol.ts: ${p.procName} reuses ${p.program} procedure ${p.proc} of ${procs.get(key)}`);
    procs.set(key, p.procName);
  }
  return errors;
}

/**
 * A read-only connection holds only the observing permissions: `readOnlySafe` must agree with the
 * permissions `acl` checks whatever the flags (those checked only with some flags refuse just those calls).
 */
function checkAcl(call: CallModel): string[] {
  const always = unconditionalPermissions(call);
  const writes = always.filter((p) => !isReadPermission(p));
  if (call.readOnlySafe && writes.length) return [`${call.file}: ${call.c} is readOnlySafe but checks ${writes.join(', ')}`];
  if (!call.readOnlySafe && always.length && !writes.length) {
    return [`${call.file}: ${call.c} is not readOnlySafe but checks only observing permissions (${always.join(', ')})`];
  }
  return [];
}

/**
 * A reply of several fields becomes a record: every record field must come from the reply field
 * of the same name. A nullable record (`X?`) takes a leading `found` field that says whether there
 * is one (virDomainGetBlockJobInfo's rule).
 */
function checkRecordReply(call: CallModel, model: ApiModel): string[] {
  const nullable = call.returns.endsWith('?');
  const struct = model.structs.find((st) => st.name === call.returns.replace(/\?$/, ''));
  if (!struct) return [`${call.file}: ${call.c}: a reply of several fields needs a record return type, not ${call.returns}`];
  const wire = call.remote!.ret.map(([n]) => n);
  const extra = wire.filter((n) => !struct.fields.some((f) => f.name === n) && !(nullable && n === 'found'));
  const missing = struct.fields.filter((f) => !wire.includes(f.name)).map((f) => f.name);
  if (nullable && wire[0] !== 'found') return [`${call.file}: ${call.c}: a nullable record needs a leading 'found' reply field`];
  if (extra.length || missing.length) {
    return [
      `${call.file}: ${call.c}: record ${struct.name} and the reply differ (reply only: ${extra.join(',') || '-'}; record only: ${missing.join(',') || '-'})`,
    ];
  }
  return [];
}
