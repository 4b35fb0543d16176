/**
 * Taints of running QEMU domains and virDomainGetMessages (libvirt's qemuDomainObjTaint and
 * qemuDomainObjCheckTaint, reduced): a start records running QEMU as root and custom command-line
 * arguments, a raw monitor or agent command records itself; the taints end with the process.
 */
import { DomainMessageType as MT, type DriverConnection } from '@virtkit/core';
import { DomainTaintFlag, taintMessages, type Taint } from '@virtkit/xml';
import type { QemuConnectionExtension, QemuDriverExtension } from '../connection-extensions';
import { checkFlags } from '../domains/errors';
import type { QemuDomainObj } from '../domains/obj';

function taintOf(obj: QemuDomainObj): Taint {
  return obj.extension('taint', (): Taint => ({ taint: 0, deprecations: [] }));
}

/** Record one taint of a running domain. */
export function taintDomain(obj: QemuDomainObj, flag: number): void {
  taintOf(obj).taint |= 1 << flag;
}

/** What a start taints: QEMU running as root, `<qemu:commandline>` arguments. */
function checkStartTaints(obj: QemuDomainObj): void {
  const t = taintOf(obj);
  t.taint = 0;
  t.deprecations = [];
  if (process.getuid?.() === 0) taintDomain(obj, DomainTaintFlag.HIGH_PRIVILEGES);
  const def = obj.liveDef;
  if (def?.namespaceEls.some((el) => /(^|:)commandline$/.test(el.name) && el.elements().length > 0)) {
    taintDomain(obj, DomainTaintFlag.CUSTOM_ARGV);
  }
}

export const taintHooks: QemuDriverExtension = (driver) => {
  driver.addHooks({
    started: (obj) => checkStartTaints(obj),
    stopped: (obj) => {
      taintOf(obj).taint = 0;
    },
  });
};

export const taintMethods: QemuConnectionExtension = (driver): Pick<Required<DriverConnection>, 'domainGetMessages'> => ({
  async domainGetMessages(dom, flags) {
    checkFlags(flags, MT.VIR_DOMAIN_MESSAGE_DEPRECATION | MT.VIR_DOMAIN_MESSAGE_TAINTING, 'qemuDomainGetMessages');
    const t = taintOf(driver.domains.get(dom));
    const all = flags === 0;
    return taintMessages(
      t,
      all || (flags & MT.VIR_DOMAIN_MESSAGE_TAINTING) !== 0,
      all || (flags & MT.VIR_DOMAIN_MESSAGE_DEPRECATION) !== 0,
    );
  },
});
