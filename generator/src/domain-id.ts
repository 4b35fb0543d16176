/**
 * How a call changes the id its own Domain handle carries, as libvirt's drivers set `dom->id` on
 * the virDomainPtr they were given: starting a domain gives it a new id, destroying it makes the
 * id -1. Both the TS classes and the Python bindings keep the handle current this way; other
 * handles to the same domain keep the id they were made with, as in libvirt.
 */
export type DomainIdEffect = 'started' | 'stopped';

export function domainIdEffect(c: string): DomainIdEffect | undefined {
  if (c === 'virDomainCreate' || c === 'virDomainCreateWithFlags') return 'started';
  if (c === 'virDomainDestroy' || c === 'virDomainDestroyFlags') return 'stopped';
  return undefined;
}
