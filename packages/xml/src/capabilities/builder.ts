/** Building a Capabilities description step by step, as drivers do with virCapabilitiesNew & co. */
import type { Capabilities, CapsGuest, CapsGuestFeature, CapsHost, CapsMachine, GuestFeatureName } from './types';

/** Word size of the architectures drivers describe. */
const WORDSIZE: Record<string, number> = {
  i686: 32,
  x86_64: 64,
  aarch64: 64,
  armv6l: 32,
  armv7l: 32,
  ppc: 32,
  ppc64: 64,
  ppc64le: 64,
  riscv32: 32,
  riscv64: 64,
  s390: 32,
  s390x: 64,
  sparc: 32,
  sparc64: 64,
  mips: 32,
  mipsel: 32,
  mips64: 64,
  mips64el: 64,
};

export function archWordsize(arch: string): number {
  return WORDSIZE[arch] ?? 64;
}

export class CapabilitiesBuilder {
  private readonly caps: Capabilities;

  constructor(host: Partial<CapsHost> & { cpu: CapsHost['cpu'] }) {
    this.caps = { host: { iommu: false, ...host }, guests: [] };
  }

  /** Add a guest kind (os type + architecture); returns a handle to add domains and features. */
  addGuest(
    osType: string,
    arch: string,
    opts: { emulator?: string; loader?: string; machines?: Array<string | CapsMachine> } = {},
  ): GuestBuilder {
    const guest: CapsGuest = {
      osType,
      arch,
      wordsize: archWordsize(arch),
      emulator: opts.emulator,
      loader: opts.loader,
      machines: (opts.machines ?? []).map(toMachine),
      domains: [],
      features: {},
    };
    this.caps.guests.push(guest);
    return new GuestBuilder(guest);
  }

  addStoragePool(type: string): this {
    (this.caps.pools ??= []).push(type);
    return this;
  }

  build(): Capabilities {
    return this.caps;
  }
}

function toMachine(m: string | CapsMachine): CapsMachine {
  return typeof m === 'string' ? { name: m } : m;
}

export class GuestBuilder {
  constructor(readonly guest: CapsGuest) {}

  addDomain(type: string, opts: { emulator?: string; loader?: string; machines?: Array<string | CapsMachine> } = {}): this {
    this.guest.domains.push({ type, emulator: opts.emulator, loader: opts.loader, machines: opts.machines?.map(toMachine) });
    return this;
  }

  addFeature(name: GuestFeatureName, feature: CapsGuestFeature = {}): this {
    this.guest.features[name] = feature;
    return this;
  }
}
