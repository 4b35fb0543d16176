/**
 * The capabilities of an LXC host as libvirt's LXC driver describes them (virLXCDriverCapsInit):
 * `exe` guests of domain type `lxc` for the host architecture, plus i686 on an x86_64 host, all
 * run by the container controller named as their emulator.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import { parseUuid } from '@virtkit/core';
import { CapabilitiesBuilder, formatCapabilitiesXml, type Capabilities } from '@virtkit/xml';

/** The host architecture in libvirt's spelling. */
export function hostArch(): string {
  const a = os.arch();
  return a === 'x64' ? 'x86_64' : a === 'arm64' ? 'aarch64' : a === 'ia32' ? 'i686' : a;
}

export interface LxcHost {
  arch: string;
  emulator: string;
  /** The host's UUID, written when known. */
  uuid?: string;
}

export function lxcCapabilities(host: LxcHost): Capabilities {
  const builder = new CapabilitiesBuilder({ cpu: { arch: host.arch }, uuid: host.uuid, powerManagement: [], secModels: [] });
  builder.addGuest('exe', host.arch, { emulator: host.emulator }).addDomain('lxc');
  if (host.arch === 'x86_64') builder.addGuest('exe', 'i686', { emulator: host.emulator }).addDomain('lxc');
  return builder.build();
}

export function lxcCapabilitiesXml(host: LxcHost): string {
  return formatCapabilitiesXml(lxcCapabilities(host));
}

/** The machine id as a UUID, as libvirt's host UUID defaults to it. */
export function machineUuid(): string | undefined {
  try {
    const id = fs.readFileSync('/etc/machine-id', 'utf8').trim();
    return /^[0-9a-f]{32}$/.test(id) ? parseUuid(id) : undefined;
  } catch {
    return undefined;
  }
}
