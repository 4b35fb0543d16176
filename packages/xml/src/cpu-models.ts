/**
 * The CPU models of libvirt's CPU map (src/cpu_map/index.xml) as virCPUGetModels lists them:
 * each model file an architecture's section includes, in order; the arm and s390 CPU drivers
 * accept any model and list none.
 */
import { ErrorDomain, ErrorNumber, VirError } from '@virtkit/core';
import { ARCH_NAMES } from './arch';
import { parseXml } from './tree';

/** The CPU map section of each architecture whose CPU driver lists models; null: any model is accepted. */
const SECTION: Readonly<Record<string, string | null>> = {
  i686: 'x86',
  x86_64: 'x86',
  ppc64: 'ppc64',
  ppc64le: 'ppc64',
  s390: null,
  s390x: null,
  armv6l: null,
  armv7l: null,
  armv7b: null,
  aarch64: null,
};

/**
 * virConnectGetCPUModelNames over a CPU map index: an unknown architecture name fails in the
 * driver (its error domain `from`), one without a CPU driver in libvirt's CPU code.
 */
export function cpuModelNames(indexXml: string, arch: string, from: ErrorDomain): string[] {
  if (!ARCH_NAMES.has(arch)) throw VirError.invalidArg(`cannot find architecture ${arch}`, from);
  const section = SECTION[arch];
  if (section === undefined) {
    throw VirError.create(
      ErrorNumber.VIR_ERR_NO_SUPPORT,
      ErrorDomain.VIR_FROM_CPU,
      `'${arch}' architecture is not supported by CPU driver`,
    );
  }
  if (section === null) return [];
  const el = parseXml(indexXml)
    .elements('arch')
    .find((a) => a.attr('name') === section);
  const prefix = `${section}_`;
  return (el?.elements('include') ?? [])
    .map((inc) => inc.attr('filename') ?? '')
    .filter((f) => f.startsWith(prefix) && !/_(vendors|features)\.xml$/.test(f))
    .map((f) => f.slice(prefix.length, -'.xml'.length));
}
