/**
 * Which device of a definition a device XML names, and whether one more of its kind may be
 * added, for the kinds other than disks and NICs: libvirt's virDomainChrFind, virDomainRNGFind,
 * virDomainVsockDefEquals, virDomainControllerFind and its watchdog checks, with the errors
 * libvirt's qemu_driver.c and qemu_hotplug.c give for each (they differ between the live and
 * the persistent side, as libvirt's do).
 */
import { ErrorDomain, ErrorNumber, VirError } from '@virtkit/core';
import type { DomainDef, DomainDevice, XmlElement } from '@virtkit/xml';
import { CHARDEV_KINDS } from './device-plug';

const err = (code: ErrorNumber, msg: string) => VirError.create(code, ErrorDomain.VIR_FROM_QEMU, msg);
const missing = (msg: string) => err(ErrorNumber.VIR_ERR_DEVICE_MISSING, msg);

/** The controller types a running QEMU takes and gives back (qemuDomainAttachControllerDevice). */
const HOTPLUG_CONTROLLERS = ['scsi'];

const attrsOf = (el: XmlElement | undefined) => (el ? [...el.attrs.entries()] : []);

/** Whether `wanted` (from the caller's XML) says nothing that `have` contradicts, attribute by attribute. */
function attrsAgree(wanted: XmlElement | undefined, have: XmlElement | undefined): boolean {
  return attrsOf(wanted).every(([k, v]) => have?.attr(k) === v);
}

/** virDomainDeviceInfoAddressIsEqual, when the caller gave an address at all. */
function addressAgrees(wanted: XmlElement, have: DomainDevice): boolean {
  const addr = wanted.element('address');
  if (!addr) return true;
  const own = have.address;
  if (!own || own.type !== addr.attr('type')) return false;
  const fields = own.type === 'other' ? Object.fromEntries(own.attrs) : (own as Record<string, unknown>);
  return attrsOf(addr).every(([k, v]) => k === 'type' || (k === 'multifunction' ? fields[k] === v : Number(fields[k]) === Number(v)));
}

/** virDomainChrEquals: same kind and target, same backend, same port or channel name where given. */
function chrEquals(wanted: XmlElement, have: DomainDevice): boolean {
  if (wanted.name !== have.kind) return false;
  if ((wanted.attr('type') ?? 'pty') !== (have.el.attr('type') ?? 'pty')) return false;
  const wt = wanted.element('target');
  const ht = have.el.element('target');
  if (wt?.attr('type') && wt.attr('type') !== ht?.attr('type')) return false;
  if (wt?.attr('name') !== undefined && wt.attr('name') !== ht?.attr('name')) return false;
  if (wt?.attr('port') !== undefined && Number(wt.attr('port')) !== Number(ht?.attr('port'))) return false;
  const hs = have.el.elements('source');
  return wanted.elements('source').every((s, i) => attrsAgree(s, hs[i]));
}

/** virDomainRNGFind: same model, backend and rate; the address where given. */
function rngEquals(wanted: XmlElement, have: DomainDevice): boolean {
  if ((wanted.attr('model') ?? 'virtio') !== (have.el.attr('model') ?? 'virtio')) return false;
  const wb = wanted.element('backend');
  const hb = have.el.element('backend');
  if ((wb?.attr('model') ?? 'random') !== (hb?.attr('model') ?? 'random')) return false;
  if (wb?.attr('model') !== 'egd' && (wb?.text().trim() || '/dev/urandom') !== (hb?.text().trim() || '/dev/urandom')) return false;
  if (!attrsAgree(wanted.element('rate'), have.el.element('rate'))) return false;
  return addressAgrees(wanted, have);
}

/** virDomainVsockDefEquals, as far as the caller's XML says. */
function vsockEquals(wanted: XmlElement, have: DomainDevice): boolean {
  return (
    (wanted.attr('model') ?? 'virtio') === (have.el.attr('model') ?? 'virtio') && attrsAgree(wanted.element('cid'), have.el.element('cid'))
  );
}

const controllerKey = (el: XmlElement) => ({ type: el.attr('type') ?? '', index: Number(el.attr('index') ?? 0) });

function findController(def: DomainDef, wanted: XmlElement): DomainDevice | undefined {
  const { type, index } = controllerKey(wanted);
  return def.devices.find((d) => d.controller?.type === type && d.controller.index === index);
}

/** Refuse a second device where only one may be, and a controller QEMU cannot take live. */
export function checkAttach(def: DomainDef, wanted: XmlElement, live: boolean): void {
  switch (wanted.name) {
    case 'controller': {
      const { type, index } = controllerKey(wanted);
      if (live && !HOTPLUG_CONTROLLERS.includes(type)) {
        throw err(ErrorNumber.VIR_ERR_OPERATION_UNSUPPORTED, `'${type}' controller cannot be hot plugged.`);
      }
      if (wanted.attr('index') !== undefined && findController(def, wanted)) {
        throw live
          ? err(ErrorNumber.VIR_ERR_OPERATION_FAILED, `target ${type}:${index} already exists`)
          : err(ErrorNumber.VIR_ERR_OPERATION_INVALID, `controller index='${index}' already exists`);
      }
      return;
    }
    case 'watchdog':
      if (def.devices.some((d) => d.kind === 'watchdog')) throw err(ErrorNumber.VIR_ERR_OPERATION_INVALID, 'domain already has a watchdog');
      return;
    case 'vsock':
      if (def.devices.some((d) => d.kind === 'vsock')) {
        throw err(ErrorNumber.VIR_ERR_OPERATION_INVALID, `${live ? 'the ' : ''}domain already has a vsock device`);
      }
      return;
    default:
      if (CHARDEV_KINDS.includes(wanted.name) && def.devices.some((d) => chrEquals(wanted, d))) {
        throw err(ErrorNumber.VIR_ERR_OPERATION_INVALID, 'chardev already exists');
      }
  }
}

/** The device of `def` that `wanted` names for a detach, or libvirt's error for its absence. */
export function findForDetach(def: DomainDef, wanted: XmlElement, live: boolean): DomainDevice {
  let found: DomainDevice | undefined;
  switch (wanted.name) {
    case 'controller': {
      const { type, index } = controllerKey(wanted);
      if (live && !HOTPLUG_CONTROLLERS.includes(type)) {
        throw err(ErrorNumber.VIR_ERR_OPERATION_UNSUPPORTED, `'${type}' controller cannot be hot unplugged.`);
      }
      found = findController(def, wanted);
      if (!found) throw missing(live ? `controller ${type}:${index} not found` : 'device not present in domain configuration');
      const busy = def.devices.some(
        (d) => d.disk && d.address?.type === 'drive' && d.disk.targetBus === type && d.address.controller === index,
      );
      if (live && busy) throw err(ErrorNumber.VIR_ERR_OPERATION_FAILED, 'device cannot be detached: device is busy');
      return found;
    }
    case 'watchdog': {
      const have = def.devices.find((d) => d.kind === 'watchdog');
      if (!live && !have) throw missing('domain has no watchdog');
      const model = wanted.attr('model') ?? 'i6300esb';
      const same =
        have &&
        (have.el.attr('model') ?? 'i6300esb') === model &&
        (wanted.attr('action') ?? 'reset') === (have.el.attr('action') ?? 'reset') &&
        addressAgrees(wanted, have);
      if (!same)
        throw missing(
          live
            ? `model '${model}' watchdog device not present in domain configuration`
            : 'watchdog device not present in domain configuration',
        );
      return have;
    }
    case 'rng':
      found = def.devices.find((d) => d.kind === 'rng' && rngEquals(wanted, d));
      if (!found) {
        throw missing(
          live
            ? `model '${wanted.attr('model') ?? 'virtio'}' RNG device not present in domain configuration`
            : 'no matching RNG device was found',
        );
      }
      return found;
    case 'vsock':
      found = def.devices.find((d) => d.kind === 'vsock' && vsockEquals(wanted, d));
      if (!found)
        throw live
          ? missing('matching vsock device not found')
          : err(ErrorNumber.VIR_ERR_OPERATION_FAILED, 'matching vsock device not found');
      return found;
    default:
      found = def.devices.find((d) => chrEquals(wanted, d));
      if (!found) throw missing(`chr type '${wanted.name}' device not present in domain configuration`);
      return found;
  }
}
