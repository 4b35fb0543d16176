import { type DomainDef } from '@virtkit/xml';

export function isQ35Machine(def: DomainDef): boolean {
  const m = def.os.machine ?? '';
  return m === 'q35' || m.startsWith('pc-q35');
}

export function isI440fxMachine(def: DomainDef): boolean {
  const m = def.os.machine ?? '';
  return m === 'pc' || m.startsWith('pc-i440fx') || m.startsWith('pc-0') || m.startsWith('pc-1');
}
