/**
 * The guest's memory dirty rate (libvirt's virDomainStartDirtyRateCalc): QEMU measures it over a
 * period; the `dirtyrate` group of the domain stats reports the result.
 */
import type { CallDef } from './dsl';

/** virDomainDirtyRateCalcFlags: how QEMU measures the dirty rate. */
export enum DomainDirtyRateCalcFlags {
  /** sample pages (the default) */
  VIR_DOMAIN_DIRTYRATE_MODE_PAGE_SAMPLING = 0,
  /** the dirty bitmap */
  VIR_DOMAIN_DIRTYRATE_MODE_DIRTY_BITMAP = 1 << 0,
  /** KVM's dirty ring */
  VIR_DOMAIN_DIRTYRATE_MODE_DIRTY_RING = 1 << 1,
}

/** virDomainDirtyRateStatus: the dirtyrate.calc_status of the domain stats. */
export enum DomainDirtyRateStatus {
  /** no measurement started */
  VIR_DOMAIN_DIRTYRATE_UNSTARTED = 0,
  /** measuring */
  VIR_DOMAIN_DIRTYRATE_MEASURING = 1,
  /** measured */
  VIR_DOMAIN_DIRTYRATE_MEASURED = 2,
}

export const domainStartDirtyRateCalc: CallDef = {
  c: 'virDomainStartDirtyRateCalc',
  object: 'Domain',
  name: 'startDirtyRateCalc',
  doc: 'Start measuring how fast the guest dirties its memory, over `seconds` (1 to 60); the dirtyrate stats group reports it.',
  params: [{ name: 'seconds', type: 'int', doc: 'the measuring period in seconds' }],
  flags: 'DomainDirtyRateCalcFlags',
  returns: 'void',
  since: '0.2.0',
  acl: ['domain:write'],
  readOnlySafe: false,
  impl: 'driver',
  remote: {
    program: 'remote',
    proc: 427,
    procName: 'REMOTE_PROC_DOMAIN_START_DIRTY_RATE_CALC',
    args: [
      ['dom', 'Dom'],
      ['seconds', 'int'],
      ['flags', 'uint'],
    ],
    ret: [],
  },
  python: 'startDirtyRateCalc',
};
