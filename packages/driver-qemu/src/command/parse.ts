import { type DomainDef, type DomainParseHooks } from '@virtkit/xml';
import type { QemuCaps } from '../caps/types';
import { qemuParseHooks } from '../domain-postparse';
import { dropInternalVncSockets } from '../domain-postparse/internal-paths';
import type { QemuBuildContext } from './types';
import { qemuValidateDomain, scsiHostdevConflicts, validateEmulator } from './validate-def';

export function qemuArgvParseHooks(caps: QemuCaps, ctx: QemuBuildContext): DomainParseHooks {
  const base = qemuParseHooks(true);
  return {
    ...base,
    randomBytes: ctx.randomBytes,
    postParse: (def: DomainDef) => {
      base.postParse?.(def);
      dropInternalVncSockets(def, ctx.config.libDir);
      validateEmulator(def, caps);
      scsiHostdevConflicts(def);
    },
    validate: (def: DomainDef) => {
      base.validate?.(def);
      qemuValidateDomain(def, caps, ctx);
    },
  };
}
