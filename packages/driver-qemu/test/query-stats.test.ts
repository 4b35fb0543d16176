/**
 * The vm and vcpu stats groups from QEMU's query-stats (KVM's statistics; TCG, which the live tests
 * run, reports none): libvirt's naming `<prefix>.<name>.<sum|cur|max>` by the schema's type,
 * booleans kept boolean, histograms and figures without a schema left out, vCPUs matched by QOM path.
 * The answers are shaped as QEMU 7.2's KVM provider gives them.
 */
import { TypedParameterType as P } from '@virtkit/core';
import { vcpuQueried, vmStats, type QueriedStats } from '../src/domains/query-stats';

const queried: QueriedStats = {
  schemas: [
    {
      provider: 'kvm',
      target: 'vm',
      stats: [
        { name: 'remote_tlb_flush', type: 'cumulative' },
        { name: 'nx_lpage_splits', type: 'instant' },
        { name: 'max_mmu_page_hash_collisions', type: 'peak' },
      ],
    },
    {
      provider: 'kvm',
      target: 'vcpu',
      stats: [
        { name: 'halt_exits', type: 'cumulative' },
        { name: 'guest_mode', type: 'instant', unit: 'boolean' },
        { name: 'halt_poll_success_hist', type: 'log2-histogram', unit: 'seconds' },
      ],
    },
  ],
  vm: [
    {
      provider: 'kvm',
      stats: [
        { name: 'remote_tlb_flush', value: 7 },
        { name: 'nx_lpage_splits', value: 0 },
        { name: 'max_mmu_page_hash_collisions', value: 3 },
        { name: 'not_in_schema', value: 1 },
      ],
    },
  ],
  vcpu: [
    {
      provider: 'kvm',
      'qom-path': '/machine/unattached/device[0]',
      stats: [
        { name: 'halt_exits', value: 42 },
        { name: 'guest_mode', value: true },
        { name: 'halt_poll_success_hist', value: [1, 2, 3] },
      ],
    },
    { provider: 'kvm', 'qom-path': '/machine/unattached/device[1]', stats: [{ name: 'halt_exits', value: 9 }] },
  ],
};

describe('query-stats as libvirt names it', () => {
  it('gives the vm group sum, cur and max figures as unsigned long longs', () => {
    expect(vmStats(queried)).toEqual([
      { field: 'vm.remote_tlb_flush.sum', type: P.VIR_TYPED_PARAM_ULLONG, value: 7 },
      { field: 'vm.nx_lpage_splits.cur', type: P.VIR_TYPED_PARAM_ULLONG, value: 0 },
      { field: 'vm.max_mmu_page_hash_collisions.max', type: P.VIR_TYPED_PARAM_ULLONG, value: 3 },
    ]);
  });

  it('gives each vCPU its own figures, booleans as booleans, histograms left out', () => {
    expect(vcpuQueried(queried, '/machine/unattached/device[0]', 'vcpu.0')).toEqual([
      { field: 'vcpu.0.halt_exits.sum', type: P.VIR_TYPED_PARAM_ULLONG, value: 42 },
      { field: 'vcpu.0.guest_mode.cur', type: P.VIR_TYPED_PARAM_BOOLEAN, value: true },
    ]);
    expect(vcpuQueried(queried, '/machine/unattached/device[1]', 'vcpu.1')).toEqual([
      { field: 'vcpu.1.halt_exits.sum', type: P.VIR_TYPED_PARAM_ULLONG, value: 9 },
    ]);
    expect(vmStats({ schemas: [], vm: queried.vm, vcpu: [] })).toEqual([]);
  });
});
