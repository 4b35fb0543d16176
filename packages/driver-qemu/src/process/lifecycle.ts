/**
 * A domain's state and lifecycle event as pairs of libvirt numbers: the values are the generated
 * enums of `@virtkit/core` (DomainState with its reason enums, DomainEventType with its details).
 */

export interface DomainStateInfo {
  state: number;
  reason: number;
}

export interface LifecycleEvent {
  event: number;
  detail: number;
}
