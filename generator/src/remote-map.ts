/**
 * How a call's parameters and result travel in its remote message: which wire field carries the
 * owning handle, which carries each parameter, and how the reply becomes the return value. The
 * Python bindings use it now; the TS remote driver and the daemon's dispatch share the same rules.
 */
import type { CallModel } from './model';

/** Wire handle type of each owning object. */
export const OWNER_WIRE: Record<string, string> = {
  Domain: 'Dom',
  DomainSnapshot: 'Snap',
  DomainCheckpoint: 'Chk',
  StoragePool: 'Pool',
  StorageVol: 'Vol',
  Network: 'Net',
  NetworkPort: 'NetPort',
  Interface: 'Iface',
  Secret: 'Secret',
  NodeDevice: 'NodeDev',
};

/** Wire arguments that say how many entries the caller can take (a count is asked with 0). */
const COUNT_ASKED = ['nparams', 'maxerrors'];

/** Where the value of one wire argument comes from. */
export type ArgSource =
  { kind: 'self' } | { kind: 'flags' } | { kind: 'const'; value: number } | { kind: 'param'; name: string; type: string };

/** How the reply fields become the call's result. */
export type RetShape =
  | { kind: 'void' }
  | { kind: 'single'; type: string }
  | { kind: 'list'; type: string }
  | { kind: 'record'; nullable: boolean; fields: string[] };

/** The source of every wire argument, or an error naming the field nobody supplies. */
export function mapArgs(call: CallModel): ArgSource[] {
  if (!call.remote) return [];
  let selfUsed = call.object === 'Connect';
  return call.remote.args.map(([field, type]) => {
    if (!selfUsed && type === OWNER_WIRE[call.object]) {
      selfUsed = true;
      return { kind: 'self' } as const;
    }
    if (field === 'flags' && call.flags !== undefined) return { kind: 'flags' } as const;
    if (field === 'need_results' || field === 'need_map' || field === 'need_online') return { kind: 'const', value: 1 } as const;
    // libvirt's "how many typed parameters (disk errors) may you send": ask for all the reply can hold.
    if (COUNT_ASKED.includes(field) && !call.params.some((x) => (x.wire ?? x.name) === field))
      return { kind: 'const', value: replyMax(call) } as const;
    const p = call.params.find((x) => (x.wire ?? x.name) === field);
    if (!p) throw new Error(`${call.file}: ${call.c}: no parameter supplies wire field '${field}' (set ParamDef.wire)`);
    return { kind: 'param', name: p.name, type: p.type };
  });
}

/** The bound of the reply's first field (`TP<16>` → 16). */
function replyMax(call: CallModel): number {
  const m = /<(\d+)>$/.exec(call.remote?.ret[0]?.[1] ?? '');
  if (!m) throw new Error(`${call.file}: ${call.c}: a count asked for needs a bounded first reply field`);
  return Number(m[1]);
}

/** The reply's shape. */
export function retShape(call: CallModel): RetShape {
  const ret = call.remote?.ret ?? [];
  if (ret.length === 0) return { kind: 'void' };
  if (ret.length === 2 && ['ret', 'nparams', 'nerrors'].includes(ret[1][0]) && /^(?!opaque)[^<]*<\d+>$/.test(ret[0][1]))
    return { kind: 'list', type: ret[0][1] };
  if (ret.length === 1) return { kind: 'single', type: ret[0][1] };
  return recordShape(call);
}

/**
 * A reply of several fields maps by name onto the fields of the returned record; a nullable
 * record (`X?`) travels with a leading `found` field that is 0 when there is none.
 */
function recordShape(call: CallModel): RetShape {
  const nullable = call.returns.endsWith('?');
  const fields = call.remote!.ret.map(([n]) => n).filter((n, i) => !(nullable && i === 0 && n === 'found'));
  return { kind: 'record', nullable, fields };
}
