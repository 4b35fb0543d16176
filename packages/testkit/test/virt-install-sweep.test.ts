/**
 * The virt-install sweep's bounded slice: XML virt-install writes against a private libvirtd 9.0
 * (QEMU driver) for a few of its common option sets is defined on libvirtd and on virtkitd, and
 * both must take it alike. The whole sweep: `npx tsx bench/virt-install-sweep.ts`.
 */
import { describeIf, startSweepPeers, SWEEP_CASES, sweepCase, type SweepPeers } from '@virtkit/testkit';

/** The slice: the default Linux guest, the USB2 companion controllers, an emulated TPM with an RNG. */
const SLICE = ['linux2022-defaults', 'controllers-usb2', 'tpm-rng'];

describeIf(
  'root',
  'libvirtd',
  'virt-install',
  'qemu',
)('virt-install sweep (slice)', () => {
  let peers: SweepPeers;
  beforeAll(async () => {
    peers = await startSweepPeers();
  }, 60000);
  afterAll(async () => {
    await peers?.stop();
  });

  test.each(SLICE)(
    '%s is taken alike by libvirtd and virtkitd',
    (name) => {
      const r = sweepCase(
        peers,
        SWEEP_CASES.find((c) => c.name === name)!,
      );
      expect(r.generateError).toBeUndefined();
      expect({ libvirt: r.libvirt?.ok ? 'defined' : r.libvirt?.text, virtkit: r.virtkit?.ok ? 'defined' : r.virtkit?.text }).toEqual({
        libvirt: r.libvirt?.ok ? 'defined' : r.libvirt?.text,
        virtkit: r.libvirt?.ok ? 'defined' : r.libvirt?.text,
      });
    },
    120000,
  );
});
