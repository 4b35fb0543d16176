import { type XmlElement } from '@virtkit/xml';

const onOff = (v: string | undefined) => (v === undefined ? undefined : v === 'on');

/** The virtio options in libvirt's order, from the device's `<driver>` element. */
export function virtioOptions(driver: XmlElement | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (!driver) return out;
  const iommu = onOff(driver.attr('iommu'));
  if (iommu !== undefined) out.iommu_platform = iommu;
  const ats = onOff(driver.attr('ats'));
  if (ats !== undefined) out.ats = ats;
  const packed = onOff(driver.attr('packed'));
  if (packed !== undefined) out.packed = packed;
  const ppv = onOff(driver.attr('page_per_vq'));
  if (ppv !== undefined) out['page-per-vq'] = ppv;
  return out;
}

/** `virtio-X-pci`, with the transitional suffix for `virtio-transitional` / `virtio-non-transitional` models. */
export function virtioPciName(base: string, model: string | undefined): string {
  if (model === 'virtio-transitional') return `${base}-pci-transitional`;
  if (model === 'virtio-non-transitional') return `${base}-pci-non-transitional`;
  return `${base}-pci`;
}
