import { type DomainDef } from '@virtkit/xml';

export function isQ35(def: DomainDef): boolean {
  const m = def.os.machine ?? '';
  return m === 'q35' || m.startsWith('pc-q35');
}

export function isI440FX(def: DomainDef): boolean {
  const m = def.os.machine ?? '';
  return m === 'pc' || m.startsWith('pc-i440fx') || m.startsWith('pc-0') || m.startsWith('pc-1');
}

export function isX86(def: DomainDef): boolean {
  return def.os.arch === 'x86_64' || def.os.arch === 'i686';
}
