import { parseBitmap, type DomainDef } from '@virtkit/xml';
import type { QemuCaps } from '../caps/types';
import type { QemuBuildContext } from './types';

export function validateForStart(def: DomainDef, caps: QemuCaps, ctx: QemuBuildContext): void {
  void caps;
  const nt = def.preserved.get('numatune')?.[0];
  if (nt) {
    for (const el of [...nt.elements('memory'), ...nt.elements('memnode')]) {
      const ns = el.attr('nodeset');
      if (ns === undefined) continue;
      ctx.checkNodesetAvailable(parseBitmap(ns) ?? []);
    }
  }
}
