/**
 * The virt-install sweep's bounded slice: XML virt-install writes against a private libvirtd 9.0
 * (QEMU driver) for a few of its common option sets is defined and started on libvirtd and on
 * virtkitd (real QEMU, TCG), and both must take it alike: both run it, or both refuse it with the
 * same error; their inactive and live XML must match line for line but for the committed
 * LIVE_XML_EXCLUSIONS. The whole sweep: `npx tsx bench/virt-install-sweep.ts`.
 */
import { describeIf, startSweepPeers, SWEEP_CASES, sweepCase, type DefineOutcome, type SweepPeers } from '@virtkit/testkit';

/** The slice: the default Linux guest, the USB2 companions, an emulated TPM, UEFI autoselection. */
const SLICE = ['linux2022-defaults', 'controllers-usb2', 'tpm', 'firmware-efi'];

/** A side's verdict: refused at define (its error), started, or failed to start (its error). */
function verdict(o: DefineOutcome | undefined): string | undefined {
  if (!o) return undefined;
  if (!o.ok) return `define: ${o.text}`;
  return o.start?.ok ? 'started' : `start: ${o.start?.text}`;
}

describeIf(
  'root',
  'libvirtd',
  'virt-install',
  'qemu',
  'qemu-img',
)('virt-install sweep (slice)', () => {
  let peers: SweepPeers;
  beforeAll(async () => {
    peers = await startSweepPeers();
  }, 60000);
  afterAll(async () => {
    await peers?.stop();
  });

  test.each(SLICE)(
    '%s is defined and started alike by libvirtd and virtkitd',
    (name) => {
      const r = sweepCase(
        peers,
        SWEEP_CASES.find((c) => c.name === name)!,
        true,
      );
      expect(r.generateError).toBeUndefined();
      expect(verdict(r.virtkit)).toBe(verdict(r.libvirt));
      // Field by field: the inactive XML, and the live XML less LIVE_XML_EXCLUSIONS.
      expect(r.inactiveDiff ?? []).toEqual([]);
      expect(r.liveDiff ?? []).toEqual([]);
    },
    180000,
  );
});
