/**
 * A connection to the toy host: one method per SPI call the driver table names. Each receives the
 * owning object's ref, then the call's parameters, then `flags`; the core has already refused
 * flag bits api/ does not define and, on a read-only connection, calls that change anything.
 */
import { hostname } from 'node:os';
import {
  ConnectListAllDomainsFlags as List,
  DomainRunningReason,
  DomainShutoffReason,
  DomainState,
  VirError,
  type DomainInfo,
  type DomainRef,
  type DomainStateInfo,
  type TableConnection,
} from '@virtkit/core';
import { refOf, type ToyDomain, type ToyHost } from './host';
import type { toyDriverTable } from './table';

/** Declared against the table: a method the table does not name (a misspelling) fails to compile. */
export class ToyConnection implements TableConnection<typeof toyDriverTable, ToyConnection> {
  constructor(private readonly host: ToyHost) {}

  async close(): Promise<void> {}

  async connectGetType(): Promise<string> {
    return 'Toy';
  }

  async connectGetVersion(): Promise<number> {
    return 1_000_000; // 1.0.0, as major * 1,000,000 + minor * 1,000 + release
  }

  async connectGetHostname(): Promise<string> {
    return hostname();
  }

  async connectListAllDomains(flags: number): Promise<DomainRef[]> {
    return this.host
      .all()
      .filter((d) => matches(d, flags))
      .map(refOf);
  }

  async connectNumOfDomains(): Promise<number> {
    return this.running().length;
  }

  async connectListDomains(maxids: number): Promise<number[]> {
    return this.running()
      .map((d) => d.id)
      .slice(0, maxids);
  }

  async connectNumOfDefinedDomains(): Promise<number> {
    return this.host.all().length - this.running().length;
  }

  async connectListDefinedDomains(maxnames: number): Promise<string[]> {
    return this.host
      .all()
      .filter((d) => d.id === -1)
      .map((d) => d.name)
      .slice(0, maxnames);
  }

  async domainLookupByName(name: string): Promise<DomainRef> {
    return refOf(this.host.find((d) => d.name === name, `no domain with matching name '${name}'`));
  }

  async domainLookupByUUIDString(uuid: string): Promise<DomainRef> {
    const want = uuid.replace(/-/g, '').toLowerCase();
    return refOf(this.host.find((d) => d.uuid.replace(/-/g, '') === want, `no domain with matching uuid '${uuid}'`));
  }

  async domainLookupByID(id: number): Promise<DomainRef> {
    return refOf(this.host.find((d) => d.id !== -1 && d.id === id, `no domain with matching id ${id}`));
  }

  async domainGetInfo(dom: DomainRef): Promise<DomainInfo> {
    const d = this.host.byRef(dom);
    return { state: d.state, maxMem: d.memory, memory: d.memory, nrVirtCpu: d.vcpus, cpuTime: 0 };
  }

  async domainGetState(dom: DomainRef, _flags: number): Promise<DomainStateInfo> {
    const d = this.host.byRef(dom);
    const reason =
      d.state === DomainState.VIR_DOMAIN_RUNNING
        ? DomainRunningReason.VIR_DOMAIN_RUNNING_BOOTED
        : DomainShutoffReason.VIR_DOMAIN_SHUTOFF_UNKNOWN;
    return { state: d.state, reason };
  }

  async domainGetOSType(dom: DomainRef): Promise<string> {
    this.host.byRef(dom);
    return 'hvm';
  }

  async domainGetXMLDesc(dom: DomainRef, _flags: number): Promise<string> {
    const d = this.host.byRef(dom);
    const id = d.id === -1 ? '' : ` id='${d.id}'`;
    return `<domain type='toy'${id}>
  <name>${d.name}</name>
  <uuid>${d.uuid}</uuid>
  <memory unit='KiB'>${d.memory}</memory>
  <currentMemory unit='KiB'>${d.memory}</currentMemory>
  <vcpu placement='static'>${d.vcpus}</vcpu>
  <os>
    <type>hvm</type>
  </os>
</domain>
`;
  }

  async domainIsActive(dom: DomainRef): Promise<boolean> {
    return this.host.byRef(dom).id !== -1;
  }

  async domainIsPersistent(dom: DomainRef): Promise<boolean> {
    this.host.byRef(dom);
    return true;
  }

  async domainCreate(dom: DomainRef): Promise<void> {
    this.host.start(this.host.byRef(dom));
  }

  async domainCreateWithFlags(dom: DomainRef, flags: number): Promise<void> {
    if (flags !== 0) throw VirError.invalidArg(`unsupported flags (0x${flags.toString(16)}) in function domainCreateWithFlags`);
    this.host.start(this.host.byRef(dom));
  }

  async domainDestroy(dom: DomainRef): Promise<void> {
    this.host.stop(this.host.byRef(dom));
  }

  private running(): ToyDomain[] {
    return this.host.all().filter((d) => d.id !== -1);
  }
}

/** Whether a domain passes listAllDomains' filter flags (every toy domain is persistent). */
function matches(d: ToyDomain, flags: number): boolean {
  const active = d.id !== -1;
  if (flags & (List.VIR_CONNECT_LIST_DOMAINS_ACTIVE | List.VIR_CONNECT_LIST_DOMAINS_INACTIVE)) {
    if (!(flags & (active ? List.VIR_CONNECT_LIST_DOMAINS_ACTIVE : List.VIR_CONNECT_LIST_DOMAINS_INACTIVE))) return false;
  }
  if (flags & List.VIR_CONNECT_LIST_DOMAINS_TRANSIENT && !(flags & List.VIR_CONNECT_LIST_DOMAINS_PERSISTENT)) return false;
  return true;
}
