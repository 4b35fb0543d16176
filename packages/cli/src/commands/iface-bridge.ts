/**
 * iface-bridge and iface-unbridge: virsh's rewrite of a host interface's definition into a bridge
 * holding it (and back), defined through virInterfaceDefineXML, with virsh's checks and texts.
 */
import { InterfaceXMLFlags, VirError, type Interface } from '@virtkit/core';
import { parseXml, XmlElement } from '@virtkit/xml';
import { CommandFailed, type Ctl } from '../ctl';
import { flag, req, uint } from '../opt';
import type { CmdDef } from '../types';
import { escapeXml } from './echo';
import { lookupInterface } from './interface';

/** The children that describe the device itself and move with it between the two levels. */
const DEVICE_CHILDREN = new Set(['mac', 'bond', 'vlan']);

/** The element as XML text (what the driver parses; layout does not matter). */
function dump(el: XmlElement): string {
  const attrs = [...el.attrs].map(([k, v]) => ` ${k}="${escapeXml(v)}"`).join('');
  const inner = el.children.map((c) => (c.kind === 'text' ? escapeXml(c.text) : dump(c))).join('');
  return inner ? `<${el.name}${attrs}>${inner}</${el.name}>` : `<${el.name}${attrs}/>`;
}

/** Move the device children of `from` to the end of `to`, in order. */
function moveDeviceChildren(from: XmlElement, to: XmlElement): void {
  const moving = from.elements().filter((c) => DEVICE_CHILDREN.has(c.name));
  from.children.splice(0, from.children.length, ...from.children.filter((c) => c.kind === 'text' || !DEVICE_CHILDREN.has(c.name)));
  to.children.push(...moving);
}

/** The interface's inactive definition, with virsh's checks that it is the one named `name`. */
async function definitionOf(ctl: Ctl, iface: Interface, name: string): Promise<XmlElement> {
  const xml = await iface.getXMLDesc(InterfaceXMLFlags.VIR_INTERFACE_XML_INACTIVE);
  let top: XmlElement;
  try {
    top = parseXml(xml);
  } catch {
    return ctl.fail(`Failed to parse configuration of ${name}`);
  }
  if (top.attr('type') === undefined) ctl.fail(`Existing device ${name} has no type`);
  return top;
}

/** virsh's check that the definition's name is the one given (C's "(null)" for a missing name). */
function checkName(ctl: Ctl, top: XmlElement, name: string): void {
  const inXml = top.attr('name');
  if (inXml !== name) ctl.fail(`Interface name from config ${inXml ?? '(null)'} doesn't match given supplied name ${name}`);
}

export const ifaceBridgeCommands: CmdDef[] = [
  {
    name: 'iface-bridge',
    group: 'interface',
    help: 'create a bridge device and attach an existing network device to it',
    opts: [],
    async handler(ctl, opts) {
      const ifName = req(ctl, opts, 'interface');
      const iface = await lookupInterface(ctl, ifName, { name: true, mac: false });
      const brName = req(ctl, opts, 'bridge');
      // The failed lookup's error stays libvirt's last one until the next call, so a bad --delay reports it too.
      const lookupError = await ctl.c.interfaceLookupByName(brName).then(
        () => null,
        (e: unknown) => (e instanceof VirError ? e : new Error(String(e))),
      );
      if (lookupError === null) return ctl.fail(`Network device ${brName} already exists`);
      const stp = !flag(opts, 'no-stp');
      let delay = 0;
      try {
        delay = uint(ctl, opts, 'delay') ?? 0;
      } catch (e) {
        if (e instanceof CommandFailed) ctl.error(lookupError.message);
        throw e;
      }
      const top = await definitionOf(ctl, iface, ifName);
      const ifType = top.attr('type')!;
      if (ifType === 'bridge') ctl.fail(`Existing device ${ifName} is already a bridge`);
      checkName(ctl, top, ifName);
      const bridge = new XmlElement('bridge');
      bridge.attrs.set('stp', stp ? 'on' : 'off');
      // virsh writes the delay as a signed int.
      if (stp) bridge.attrs.set('delay', String(delay | 0));
      top.attrs.set('type', 'bridge');
      top.attrs.set('name', brName);
      const inner = new XmlElement('interface');
      inner.attrs.set('type', ifType);
      inner.attrs.set('name', ifName);
      bridge.children.push(inner);
      top.children.push(bridge);
      moveDeviceChildren(top, inner);
      const br = await ctl.attempt(`Failed to define new bridge interface ${brName}`, () => ctl.c.interfaceDefineXML(dump(top), 0));
      ctl.printExtra(`Created bridge ${brName} with attached device ${ifName}\n`);
      if (!flag(opts, 'no-start')) {
        await ctl.attempt(`Failed to start bridge interface ${brName}`, () => br.create(0));
        ctl.printExtra(`Bridge interface ${brName} started\n`);
      }
      return true;
    },
  },
  {
    name: 'iface-unbridge',
    group: 'interface',
    help: 'undefine a bridge device after detaching its device(s)',
    opts: [],
    async handler(ctl, opts) {
      const brName = req(ctl, opts, 'bridge');
      const br = await lookupInterface(ctl, brName, { name: true, mac: false });
      const top = await definitionOf(ctl, br, brName);
      if (top.attr('type') !== 'bridge') ctl.fail(`Device ${brName} is not a bridge`);
      checkName(ctl, top, brName);
      const bridge = top.element('bridge');
      if (!bridge) return ctl.fail('No bridge node in xml document');
      const attached = bridge.elements('interface');
      if (attached.length > 1) ctl.fail('Multiple interfaces attached to bridge');
      const inner = attached[0];
      if (!inner) return ctl.fail('No interface attached to bridge');
      const ifName = inner.attr('name');
      if (ifName === undefined) return ctl.fail(`Device attached to bridge ${brName} has no name`);
      const ifType = inner.attr('type');
      if (ifType === undefined) return ctl.fail(`Attached device ${ifName} has no type`);
      top.attrs.set('type', ifType);
      top.attrs.set('name', ifName);
      moveDeviceChildren(inner, top);
      await ctl.attempt(`Failed to destroy bridge interface ${brName}`, () => br.destroy(0));
      await ctl.attempt(`Failed to undefine bridge interface ${brName}`, () => br.undefine());
      const iface = await ctl.attempt(`Failed to define new interface ${ifName}`, () => ctl.c.interfaceDefineXML(dump(top), 0));
      ctl.printExtra(`Device ${ifName} un-attached from bridge ${brName}\n`);
      if (!flag(opts, 'no-start')) {
        await ctl.attempt(`Failed to start interface ${ifName}`, () => iface.create(0));
        ctl.printExtra(`Interface ${ifName} started\n`);
      }
      return true;
    },
  },
];
