/**
 * The test driver's security driver (libvirt's "testSecurity" model): no domain of
 * interpretation, and one enforced label that only running domains carry.
 */
import type { DomainRef, SecurityLabel, SecurityModel } from '@virtkit/core';
import type { TestState } from './state';

/** virNodeGetSecurityModel of the test driver; the capabilities' <secmodel> says the same. */
export function securityModel(): SecurityModel {
  return { model: 'testSecurity', doi: '' };
}

/** virDomainGetSecurityLabel: an inactive domain has no process, hence an empty label. */
export function securityLabel(state: TestState, ref: DomainRef): SecurityLabel {
  const d = state.domObj(ref);
  return d.active ? { label: 'libvirt-test', enforcing: 1 } : { label: '', enforcing: 0 };
}
