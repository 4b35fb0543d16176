import { mkEl, type DomainDef, type DomainDevice, type XmlElement } from '@virtkit/xml';

/** The QEMU device each PCI controller model is by default (qemuDomainPCIControllerSetDefaultModelName). */
const PCI_MODEL_NAMES: Record<string, string> = {
  'pci-bridge': 'pci-bridge',
  'dmi-to-pci-bridge': 'i82801b11-bridge',
  'pcie-to-pci-bridge': 'pcie-pci-bridge',
  'pcie-root-port': 'pcie-root-port',
  'pcie-switch-upstream-port': 'x3130-upstream',
  'pcie-switch-downstream-port': 'xio3130-downstream',
};

/** `<target>` attributes in the order virDomainControllerDefFormat writes them. */
const TARGET_ATTR_ORDER = ['chassisNr', 'chassis', 'port', 'busNr', 'index', 'hotplug'];

/** The target options libvirt derives from the controller's index and address, for those not given. */
function derivedTargetAttrs(d: DomainDevice): Array<[string, string]> {
  const a = d.address?.type === 'pci' ? d.address : undefined;
  const index = String(d.controller!.index);
  switch (d.controller!.model) {
    case 'pci-bridge':
      return [['chassisNr', index]];
    case 'pcie-root-port':
      return a
        ? [
            ['chassis', index],
            ['port', `0x${((a.slot << 3) + a.function).toString(16)}`],
          ]
        : [];
    case 'pcie-switch-downstream-port':
      return a
        ? [
            ['chassis', index],
            ['port', `0x${a.slot.toString(16)}`],
          ]
        : [];
    default:
      return [];
  }
}

/** Put the derived attributes into `<target>` (made after `<model>` when absent), keeping given ones. */
function fillTarget(el: XmlElement, derived: Array<[string, string]>): void {
  let target = el.element('target');
  const missing = derived.filter(([k]) => target?.attr(k) === undefined);
  if (!missing.length) return;
  if (!target) {
    target = mkEl('target', []);
    const model = el.element('model');
    el.children.splice(model ? el.children.indexOf(model) + 1 : 0, 0, target);
  }
  const merged = new Map([...target.attrs, ...missing]);
  target.attrs.clear();
  for (const k of TARGET_ATTR_ORDER) if (merged.has(k)) target.attrs.set(k, merged.get(k)!);
  for (const [k, v] of merged) if (!target.attrs.has(k)) target.attrs.set(k, v);
}

/**
 * The defaults qemuDomainAssignPCIAddresses gives every PCI controller once addresses are known:
 * the QEMU model name, a bridge's chassisNr, a port's chassis (its index) and port number (from its
 * slot and function on the parent bus).
 */
export function fillPciControllerDefaults(def: DomainDef): void {
  for (const d of def.devices) {
    if (d.controller?.type !== 'pci') continue;
    const name = PCI_MODEL_NAMES[d.controller.model ?? ''];
    if (name && !d.el.element('model')) d.el.children.unshift(mkEl('model', [['name', name]]));
    fillTarget(d.el, derivedTargetAttrs(d));
  }
}

/**
 * virDomainPCIAddressSetAllMulti: the device at function 0 of a slot whose other functions are in
 * use gets multifunction='on', unless the configuration says 'off'.
 */
export function markMultifunctionSlots(def: DomainDef): void {
  const shared = new Set<string>();
  for (const d of def.devices) {
    const a = d.address;
    if (a?.type === 'pci' && a.function !== 0) shared.add(`${a.domain}:${a.bus}:${a.slot}`);
  }
  for (const d of def.devices) {
    const a = d.address;
    if (a?.type === 'pci' && a.function === 0 && a.multifunction === undefined && shared.has(`${a.domain}:${a.bus}:${a.slot}`)) {
      a.multifunction = 'on';
    }
  }
}
