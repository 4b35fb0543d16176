/**
 * The toy host: a few domains kept in memory, shared by every connection of the process (as a
 * daemon's clients share one hypervisor). Replace it with your hypervisor's own state.
 */
import { DomainState, ErrorDomain, ErrorNumber, VirError, type DomainRef } from '@virtkit/core';

export interface ToyDomain {
  name: string;
  uuid: string;
  /** The running domain's id, or -1 when it is shut off. */
  id: number;
  state: DomainState;
  /** Memory in KiB. */
  memory: number;
  vcpus: number;
}

export class ToyHost {
  private readonly domains: ToyDomain[] = [
    { name: 'alpha', uuid: 'c7a5fdbd-edaf-9455-926a-d65c16db1809', id: 1, state: DomainState.VIR_DOMAIN_RUNNING, memory: 524288, vcpus: 2 },
    { name: 'beta', uuid: 'c7a5fdbd-edaf-9455-926a-d65c16db1810', id: -1, state: DomainState.VIR_DOMAIN_SHUTOFF, memory: 262144, vcpus: 1 },
  ];
  private nextId = 2;

  all(): readonly ToyDomain[] {
    return this.domains;
  }

  /** The domain a ref names, found again by UUID (a ref is plain data, never a pointer). */
  byRef(ref: DomainRef): ToyDomain {
    return this.find((d) => d.uuid === ref.uuid, `no domain with matching uuid '${ref.uuid}' (${ref.name})`);
  }

  find(match: (d: ToyDomain) => boolean, detail: string): ToyDomain {
    const d = this.domains.find(match);
    if (!d) throw VirError.create(ErrorNumber.VIR_ERR_NO_DOMAIN, ErrorDomain.VIR_FROM_DOM, detail);
    return d;
  }

  start(d: ToyDomain): void {
    if (d.state !== DomainState.VIR_DOMAIN_SHUTOFF) throw VirError.operationInvalid('domain is already running', ErrorDomain.VIR_FROM_DOM);
    d.id = this.nextId++;
    d.state = DomainState.VIR_DOMAIN_RUNNING;
  }

  stop(d: ToyDomain): void {
    if (d.state === DomainState.VIR_DOMAIN_SHUTOFF) throw VirError.operationInvalid('domain is not running', ErrorDomain.VIR_FROM_DOM);
    d.id = -1;
    d.state = DomainState.VIR_DOMAIN_SHUTOFF;
  }
}

/** The identity a public handle is made from. */
export const refOf = (d: ToyDomain): DomainRef => ({ name: d.name, uuid: d.uuid, id: d.id });
