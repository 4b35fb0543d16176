/** Emits the reference pages (`docs/api/<Object>.md`) and the driver support matrix. */
import { OBJECT_ORDER, type ApiModel, type CallModel } from './model';
import { describeAclEntry } from './acl';
import { render, type Output } from './render';
import type { DriverSupport } from './drivers';
import { publicType } from './types';

function signature(call: CallModel, model: ApiModel): string {
  const params = call.params.map((p) => `${p.name}: ${publicType(p.type, model)}`);
  if (call.flags !== undefined) params.push(`flags?: ${call.flags === 'reserved' ? 'number' : call.flags}`);
  const ret = publicType(call.returns, model).replace(/\bR\./g, '');
  const sync = call.impl === 'handle';
  return `${call.name}(${params.join(', ')}): ${sync ? ret : `Promise<${ret}>`}`;
}

/** One page per object plus the support matrix. */
export function emitDocs(model: ApiModel, drivers: DriverSupport[]): Output[] {
  const out: Output[] = [];
  for (const object of OBJECT_ORDER) {
    const calls = model.calls.filter((c) => c.object === object);
    if (!calls.length) continue;
    const file = `docs/api/${object}.md`;
    const rows = calls.map((c) => ({
      ...c,
      signature: signature(c, model),
      flagsText: c.flags === undefined ? '—' : c.flags === 'reserved' ? 'reserved (0)' : `\`${c.flags}\``,
      aclText: c.acl.length ? c.acl.map((a) => `\`${describeAclEntry(a)}\``).join(', ') : '—',
      remoteText: c.remote ? `${c.remote.procName} (${c.remote.proc})` : 'local',
      pythonText: c.python ?? '—',
    }));
    out.push({ file, text: render('doc-object', file, { object, rows }) });
  }
  const file = 'docs/support-matrix.md';
  const driverCalls = model.calls.filter((c) => c.impl === 'driver');
  const cell = (d: DriverSupport, c: CallModel) => d.methods.get(c.spi) ?? '—';
  const lines = [
    `| call | since |${drivers.map((d) => ` ${d.name} |`).join('')}`,
    `|---|---|${drivers.map(() => '---|').join('')}`,
    ...driverCalls.map((c) => `| \`${c.c}\` | ${c.since} |${drivers.map((d) => ` ${cell(d, c)} |`).join('')}`),
  ];
  const totals = drivers.map((d) => `${d.name} ${driverCalls.filter((c) => d.methods.has(c.spi)).length}/${driverCalls.length}`);
  out.push({ file, text: render('doc-matrix', file, { lines, totals: totals.join(', ') }) });
  return out;
}
