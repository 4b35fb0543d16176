/**
 * Device commands: attach-device, detach-device, detach-device-alias, update-device,
 * attach-disk, detach-disk, change-media and blockresize, with virsh's option rules and texts.
 */
import { VirError, DomainBlockResizeFlags, DomainDeviceModifyFlags as F, DomainXMLFlags, type Domain } from '@virtkit/core';
import type { Ctl } from '../ctl';
import { parseScaledSize } from '../format';
import { lookupDomain } from '../lookup';
import { exclusive, flag, req, requires, str } from '../opt';
import type { CmdDef, OptDef, Opts } from '../types';
import { attachDiskXml, diskSourceType, findDisk, replaceMedium, type NewDisk } from './disk-xml';
import { addressMismatch, formatDiskAddress, parseDiskAddress } from './disk-address';
import { DOMAIN_OPT, readXmlFile } from './shared-options';

const b = (name: string, help: string): OptDef => ({ name, type: 'bool', help });

const PERSISTENT = b('persistent', 'make live change persistent');
const CONFIG = b('config', 'affect next boot');
const LIVE = b('live', 'affect running domain');
const CURRENT = b('current', 'affect current domain');

/** The modification flags of --config/--live/--current (and --persistent, live too when the domain runs). */
export async function modifyFlags(ctl: Ctl, opts: Opts, dom: Domain | null): Promise<{ flags: number; explicit: boolean }> {
  exclusive(ctl, opts, 'persistent', 'current');
  exclusive(ctl, opts, 'current', 'live');
  exclusive(ctl, opts, 'current', 'config');
  let flags = 0;
  if (flag(opts, 'config') || flag(opts, 'persistent')) flags |= F.VIR_DOMAIN_DEVICE_MODIFY_CONFIG;
  if (flag(opts, 'live')) flags |= F.VIR_DOMAIN_DEVICE_MODIFY_LIVE;
  if (flag(opts, 'persistent') && dom && (await dom.isActive())) flags |= F.VIR_DOMAIN_DEVICE_MODIFY_LIVE;
  return { flags, explicit: flags !== 0 || flag(opts, 'current') };
}

/** attach-device and detach-device: the flag-less call unless a flag (or --current) was given. */
function deviceFileCommand(name: 'attach-device' | 'detach-device', help: string, verb: 'attach' | 'detach'): CmdDef {
  const done = verb === 'attach' ? 'attached' : 'detached';
  return {
    name,
    group: 'domain',
    help,
    opts: [DOMAIN_OPT, { name: 'file', type: 'string', required: true, help: 'XML file' }, PERSISTENT, CONFIG, LIVE, CURRENT],
    async handler(ctl, opts) {
      const dom = await lookupDomain(ctl, req(ctl, opts, 'domain'));
      const file = req(ctl, opts, 'file');
      const { flags, explicit } = await modifyFlags(ctl, opts, dom);
      const xml = readXmlFile(file);
      await ctl.attempt(`Failed to ${verb} device from ${file}`, () => {
        if (verb === 'attach') return explicit ? dom.attachDeviceFlags(xml, flags) : dom.attachDevice(xml);
        return explicit ? dom.detachDeviceFlags(xml, flags) : dom.detachDevice(xml);
      });
      ctl.printExtra(`Device ${done} successfully\n`);
      return true;
    },
  };
}

/** The domain XML a disk command reads: the persistent one when the change is for the config only. */
async function domainXmlFor(dom: Domain, flags: number): Promise<string> {
  return dom.getXMLDesc(flags & F.VIR_DOMAIN_DEVICE_MODIFY_CONFIG ? DomainXMLFlags.VIR_DOMAIN_XML_INACTIVE : 0);
}

const SOURCE_TYPES = ['file', 'block', 'network'] as const;

/** cmdAttachDisk's checks and XML, from the options alone. */
function attachDiskOptionsXml(ctl: Ctl, opts: Opts): string {
  const s = (n: string) => str(ctl, opts, n);
  const source = str(ctl, opts, 'source', true) ?? '';
  const target = req(ctl, opts, 'target');
  const [driver, protocol, stype, mode, wwn, straddr] = [
    s('driver'),
    s('source-protocol'),
    s('sourcetype'),
    s('mode'),
    s('wwn'),
    s('address'),
  ];
  let type: NewDisk['type'];
  if (stype === null || stype === '') type = diskSourceType(source, driver, protocol);
  else if ((SOURCE_TYPES as readonly string[]).includes(stype)) type = stype as NewDisk['type'];
  else return ctl.fail(`Unknown source type: '${stype}'`);
  if ((type === 'network') !== (protocol !== null)) ctl.fail('--source-protocol option requires --sourcetype network');
  if (mode !== null && mode !== 'readonly' && mode !== 'shareable') ctl.fail(`No support for ${mode} in command 'attach-disk'`);
  if (wwn !== null && !/^(0x)?[0-9a-fA-F]{16}$/.test(wwn)) throw VirError.internal(`Malformed wwn: ${wwn}`);
  let address: string | null = null;
  if (straddr !== null) {
    const parsed = parseDiskAddress(straddr, flag(opts, 'multifunction'));
    if (!parsed) return ctl.fail('Invalid address.');
    const mismatch = addressMismatch(target, straddr.slice(0, straddr.indexOf(':')));
    if (mismatch) ctl.fail(mismatch);
    address = formatDiskAddress(parsed);
  }
  return attachDiskXml({
    type,
    source,
    target,
    targetBus: s('targetbus'),
    driver,
    subdriver: s('subdriver'),
    iothread: s('iothread'),
    cache: s('cache'),
    io: s('io'),
    device: s('type'),
    rawio: flag(opts, 'rawio'),
    mode,
    serial: s('serial'),
    alias: s('alias'),
    wwn,
    protocol,
    hostName: s('source-host-name'),
    hostTransport: s('source-host-transport'),
    hostSocket: s('source-host-socket'),
    address,
  });
}

type MediaAction = 'eject' | 'insert' | 'update';

const MEDIA_DONE: Record<MediaAction, string> = { eject: 'ejected', insert: 'inserted', update: 'updated' };

export const deviceCommands: CmdDef[] = [
  deviceFileCommand('attach-device', 'attach device from an XML file', 'attach'),
  deviceFileCommand('detach-device', 'detach device from an XML file', 'detach'),
  {
    name: 'update-device',
    group: 'domain',
    help: 'update device from an XML file',
    opts: [
      DOMAIN_OPT,
      { name: 'file', type: 'string', required: true, help: 'XML file' },
      PERSISTENT,
      CONFIG,
      LIVE,
      CURRENT,
      b('force', 'force device update'),
    ],
    async handler(ctl, opts) {
      const dom = await lookupDomain(ctl, req(ctl, opts, 'domain'));
      const file = req(ctl, opts, 'file');
      let { flags } = await modifyFlags(ctl, opts, dom);
      if (flag(opts, 'force')) flags |= F.VIR_DOMAIN_DEVICE_MODIFY_FORCE;
      const xml = readXmlFile(file);
      await ctl.attempt(`Failed to update device from ${file}`, () => dom.updateDeviceFlags(xml, flags));
      ctl.printExtra('Device updated successfully\n');
      return true;
    },
  },
  {
    name: 'detach-device-alias',
    group: 'domain',
    help: 'detach device from an alias',
    opts: [DOMAIN_OPT, { name: 'alias', type: 'string', required: true, help: 'device alias' }, CONFIG, LIVE, CURRENT],
    async handler(ctl, opts) {
      const dom = await lookupDomain(ctl, req(ctl, opts, 'domain'));
      const alias = req(ctl, opts, 'alias');
      const { flags } = await modifyFlags(ctl, opts, null);
      await ctl.attempt(`Failed to detach device with alias ${alias}`, () => dom.detachDeviceAlias(alias, flags));
      ctl.printExtra('Device detach request sent successfully\n');
      return true;
    },
  },
  {
    name: 'attach-disk',
    group: 'domain',
    help: 'attach disk device',
    // The options come from virsh's table (commands/index.ts joins them by name).
    opts: [],
    async handler(ctl, opts) {
      exclusive(ctl, opts, 'persistent', 'current');
      exclusive(ctl, opts, 'current', 'live');
      exclusive(ctl, opts, 'current', 'config');
      requires(ctl, opts, 'source-host-name', 'source-protocol');
      requires(ctl, opts, 'source-host-transport', 'source-protocol');
      requires(ctl, opts, 'source-host-socket', 'source-protocol');
      requires(ctl, opts, 'source-host-socket', 'source-host-transport');
      exclusive(ctl, opts, 'source-host-name', 'source-host-socket');
      const xml = attachDiskOptionsXml(ctl, opts);
      // virsh builds (and may print) the XML before it looks the domain up.
      if (flag(opts, 'print-xml')) {
        ctl.print(xml);
        return true;
      }
      const dom = await lookupDomain(ctl, req(ctl, opts, 'domain'));
      const { flags, explicit } = await modifyFlags(ctl, opts, dom);
      await ctl.attempt('Failed to attach disk', () => (explicit ? dom.attachDeviceFlags(xml, flags) : dom.attachDevice(xml)));
      ctl.printExtra('Disk attached successfully\n');
      return true;
    },
  },
  {
    name: 'detach-disk',
    group: 'domain',
    help: 'detach disk device',
    opts: [
      DOMAIN_OPT,
      { name: 'target', type: 'string', required: true, help: 'target of disk device' },
      PERSISTENT,
      CONFIG,
      LIVE,
      CURRENT,
      b('print-xml', 'print XML document rather than detach the disk'),
    ],
    async handler(ctl, opts) {
      const dom = await lookupDomain(ctl, req(ctl, opts, 'domain'));
      const target = req(ctl, opts, 'target');
      const { flags, explicit } = await modifyFlags(ctl, opts, dom);
      const disk = findDisk(await domainXmlFor(dom, flags), target, false);
      if (!disk) return ctl.fail(`No disk found whose source path or target is ${target}`);
      if (flag(opts, 'print-xml')) {
        ctl.print(disk.text);
        return true;
      }
      await ctl.attempt('Failed to detach disk', () => (explicit ? dom.detachDeviceFlags(disk.text, flags) : dom.detachDevice(disk.text)));
      ctl.printExtra('Disk detached successfully\n');
      return true;
    },
  },
  {
    name: 'change-media',
    group: 'domain',
    help: 'Change media of CD or floppy drive',
    opts: [
      DOMAIN_OPT,
      { name: 'path', type: 'string', required: true, help: 'Fully-qualified path or target of disk device' },
      { name: 'source', type: 'string', help: 'source of the media' },
      b('eject', 'Eject the media'),
      b('insert', 'Insert the media'),
      b('update', 'Update the media'),
      CURRENT,
      LIVE,
      CONFIG,
      b('force', 'force media changing'),
      b('print-xml', 'print XML document rather than change media'),
      b('block', 'source media is a block device'),
    ],
    async handler(ctl, opts) {
      exclusive(ctl, opts, 'eject', 'insert');
      exclusive(ctl, opts, 'eject', 'update');
      exclusive(ctl, opts, 'insert', 'update');
      const dom = await lookupDomain(ctl, req(ctl, opts, 'domain'));
      const path = req(ctl, opts, 'path');
      const source = str(ctl, opts, 'source');
      let { flags } = await modifyFlags(ctl, opts, null);
      if (flag(opts, 'force')) flags |= F.VIR_DOMAIN_DEVICE_MODIFY_FORCE;
      const action: MediaAction = flag(opts, 'eject') ? 'eject' : flag(opts, 'insert') ? 'insert' : 'update';
      // --update without a source takes the media out, as --eject does.
      const ejecting = action === 'eject' || (action === 'update' && flag(opts, 'update') && source === null);
      const disk = findDisk(await domainXmlFor(dom, flags), path, true);
      if (!disk) return ctl.fail(`No disk found whose source path or target is ${path}`);
      if (ejecting && disk.source === null) ctl.fail(`The disk device '${disk.target}' doesn't have media`);
      if (!ejecting && source === null) ctl.fail('New disk media source was not specified');
      if (action === 'insert' && disk.source !== null) ctl.fail(`The disk device '${disk.target}' already has media`);
      const xml = replaceMedium(disk.text, ejecting ? null : source, flag(opts, 'block'));
      if (flag(opts, 'print-xml')) {
        ctl.print(xml);
        return true;
      }
      await ctl.attempt(`Failed to complete action ${action} on media`, () => dom.updateDeviceFlags(xml, flags));
      ctl.printExtra(`Successfully ${MEDIA_DONE[ejecting && action !== 'update' ? 'eject' : action]} media.`);
      return true;
    },
  },
  {
    name: 'blockresize',
    group: 'domain-monitor',
    help: 'Resize block device of domain.',
    opts: [
      DOMAIN_OPT,
      { name: 'path', type: 'string', required: true, help: 'Fully-qualified path of block device' },
      { name: 'size', type: 'string', required: true, help: 'New size of the block device, as scaled integer (default KiB)' },
    ],
    async handler(ctl, opts) {
      const dom = await lookupDomain(ctl, req(ctl, opts, 'domain'));
      const path = req(ctl, opts, 'path');
      const text = req(ctl, opts, 'size');
      const bytes = parseScaledSize(text, 1024);
      if (bytes === null) return ctl.fail(`Numeric value '${text}' for <size> option is malformed or out of range`);
      await ctl.attempt(`Failed to resize block device '${path}'`, () =>
        dom.blockResize(path, bytes, DomainBlockResizeFlags.VIR_DOMAIN_BLOCK_RESIZE_BYTES),
      );
      ctl.printExtra(`Block device '${path}' is resized`);
      return true;
    },
  },
];
