/** `<pool>` ↔ StoragePoolDef (virStoragePoolDefParseXML / virStoragePoolDefFormatBuf). */
import { ErrorDomain, ErrorNumber, VirError } from '@virtkit/core';
import { parseXml, type XmlElement } from '../tree';
import { XmlWriter } from '../writer';
import { propEnum, propYesNo } from '../props';
import { childString } from '../moment';
import { ULLONG_MAX, parseIntStrict, parseScaledElement } from '../scaled';
import { formatPerms, parsePerms } from './perms';
import {
  SOURCE_ADAPTER,
  SOURCE_DEVICE,
  SOURCE_DIR,
  SOURCE_HOST,
  SOURCE_INITIATOR_IQN,
  SOURCE_NAME,
  SOURCE_NETWORK,
  poolTypeInfo,
} from './options';
import { POOL_TYPES, type PoolParseOptions, type PoolType, type StoragePoolDef, type StoragePoolSource } from './types';
import { newUuid, parseUuid } from '@virtkit/core';
import { sanitizePath } from './util';

const D = ErrorDomain.VIR_FROM_STORAGE;
const xmlError = (detail: string) => VirError.xml(detail, D);
const unsupported = (detail: string) => VirError.create(ErrorNumber.VIR_ERR_CONFIG_UNSUPPORTED, D, detail);

/** virStoragePoolDefParseSource. */
export function parsePoolSource(el: XmlElement, type: PoolType): StoragePoolSource {
  const info = poolTypeInfo(type);
  const src: StoragePoolSource = { hosts: [], devices: [] };
  src.name = childString(el, 'name');
  if (type === 'rbd' && src.name === undefined) throw xmlError("element 'name' is mandatory for RBD pool");
  if (info.poolFormats) {
    const format = el.element('format')?.attr('type');
    if (format === undefined || format === '') src.format = info.poolFormats.defaultFormat;
    else if (info.poolFormats.names.includes(format)) src.format = format;
    else throw unsupported(`unknown pool format type ${format}`);
  }
  for (const h of el.elements('host')) {
    const name = h.attr('name');
    if (name === undefined) throw xmlError('missing storage pool host name');
    const portText = h.attr('port');
    let port: number | undefined;
    if (portText !== undefined) {
      port = parseIntStrict(portText);
      if (port === undefined) throw xmlError(`Invalid value for attribute 'port' in element 'host': '${portText}'.`);
    }
    src.hosts.push({ name, port: port || undefined });
  }
  src.initiatorIqn = el.find('initiator', 'iqn')?.attr('name');
  for (const d of el.elements('device')) {
    const path = d.attr('path');
    if (path === undefined) throw xmlError('missing storage pool source device path');
    src.devices.push({ path, partSeparator: propYesNo(d, 'part_separator') });
  }
  const dir = el.element('dir')?.attr('path');
  if (dir) src.dir = sanitizePath(dir);
  if (!src.dir && type === 'gluster') src.dir = '/';
  const adapter = el.element('adapter');
  if (adapter) parseAdapter(adapter, src);
  const auth = el.element('auth');
  if (auth) {
    const username = auth.attr('username');
    if (username === undefined) throw xmlError('missing username for auth');
    const authType = auth.attr('type');
    if (authType === undefined) throw unsupported('storage pool missing auth type');
    if (authType !== 'chap' && authType !== 'ceph') throw unsupported(`unknown auth type '${authType}'`);
    const secret = auth.element('secret');
    if (!secret) throw xmlError('Missing <secret> element in auth');
    src.auth = {
      type: authType,
      username,
      secretType: secret.attr('type'),
      secretUuid: secret.attr('uuid'),
      secretUsage: secret.attr('usage'),
    };
  }
  const ver = el.element('protocol')?.attr('ver');
  if (ver !== undefined && ver !== '') {
    if (src.format !== 'nfs' && src.format !== 'auto') {
      throw unsupported(`storage pool protocol ver unsupported for pool type '${src.format}'`);
    }
    if (ver.includes(',')) {
      throw VirError.create(ErrorNumber.VIR_ERR_XML_DETAIL, D, `storage pool protocol ver '${ver}' must not contain ','`);
    }
    src.protocolVer = ver;
  }
  src.vendor = el.element('vendor')?.attr('name') || undefined;
  src.product = el.element('product')?.attr('name') || undefined;
  return src;
}

const FC_ADAPTER_ATTRS = ['parent', 'parent_wwnn', 'parent_wwpn', 'parent_fabric_wwn', 'managed', 'wwnn', 'wwpn'];

/** virStorageAdapterParseXML: a typed adapter, or the legacy form (a name alone is a scsi_host). */
function parseAdapter(adapter: XmlElement, src: StoragePoolSource): void {
  const type = adapter.attr('type');
  const parentaddr = adapter.element('parentaddr');
  if (type === undefined) {
    if (['wwnn', 'wwpn', 'parent'].some((a) => adapter.attr(a) !== undefined)) {
      throw xmlError("Use of 'wwnn', 'wwpn', and 'parent' attributes requires use of the adapter 'type'");
    }
    if (parentaddr) throw xmlError("Use of 'parentaddr' element requires use of the adapter 'type'");
    const name = adapter.attr('name');
    src.adapter = name !== undefined ? { type: 'scsi_host', name } : {};
    return;
  }
  src.adapter = Object.fromEntries(adapter.attrs);
  if (type !== 'scsi_host' || !parentaddr) return;
  const addr = parentaddr.element('address');
  if (!addr) throw xmlError('Missing scsi_host PCI address element');
  const uniqueId = parseIntStrict(parentaddr.attr('unique_id') ?? '');
  if (uniqueId === undefined || uniqueId < 0) throw xmlError("Missing or invalid scsi adapter 'unique_id' value");
  const hex = (k: string) => Number.parseInt(addr.attr(k) ?? '0', 16);
  src.adapterParent = { uniqueId, address: { domain: hex('domain'), bus: hex('bus'), slot: hex('slot'), function: hex('function') } };
}

/** virStorageAdapterFormat: scsi_host by name or parent address, fc_host with its WWNs. */
function writeAdapter(w: XmlWriter, src: StoragePoolSource): void {
  const a = src.adapter!;
  if (a.type === 'fc_host') {
    w.empty('adapter', [['type', a.type], ...FC_ADAPTER_ATTRS.map((k): [string, string | undefined] => [k, a[k]])]);
    return;
  }
  const p = src.adapterParent;
  if (a.name !== undefined || !p) {
    w.empty('adapter', [
      ['type', a.type],
      ['name', a.name],
    ]);
    return;
  }
  const x = (n: number, width: number) => `0x${n.toString(16).padStart(width, '0')}`;
  w.element('adapter', [['type', a.type]], (c) =>
    c.element('parentaddr', [['unique_id', String(p.uniqueId)]], (pa) =>
      pa.empty('address', [
        ['domain', x(p.address.domain, 4)],
        ['bus', x(p.address.bus, 2)],
        ['slot', x(p.address.slot, 2)],
        ['function', `0x${p.address.function}`],
      ]),
    ),
  );
}

const FS_NS = 'http://libvirt.org/schemas/storagepool/fs/1.0';
const RBD_NS = 'http://libvirt.org/schemas/storagepool/rbd/1.0';

/** The children of `root` in namespace `uri` named `local` (whatever prefix the document chose). */
function nsChildren(root: XmlElement, uri: string, local: string): XmlElement[] {
  const prefixes = [...root.attrs].filter(([k, v]) => k.startsWith('xmlns:') && v === uri).map(([k]) => k.slice(6));
  return root.elements().filter((e) => prefixes.some((p) => e.name === `${p}:${local}`));
}

/** The fs and rbd namespaces' pool options (virStoragePoolDefFSNamespaceParse, ...RBDNamespaceParse). */
function parsePoolNamespaces(root: XmlElement, def: StoragePoolDef): void {
  if (def.type === 'fs' || def.type === 'netfs') {
    const opts = nsChildren(root, FS_NS, 'mount_opts').flatMap((m) => m.elements().filter((e) => e.name.endsWith(':option')));
    if (opts.length) {
      def.mountOptions = opts.map((o) => {
        const name = o.attr('name');
        if (name === undefined) throw xmlError('no fs mount option name specified');
        return name;
      });
    }
  }
  if (def.type === 'rbd') {
    const opts = nsChildren(root, RBD_NS, 'config_opts').flatMap((m) => m.elements().filter((e) => e.name.endsWith(':option')));
    if (opts.length) {
      def.rbdConfigOptions = opts.map((o): [string, string] => {
        const name = o.attr('name');
        if (name === undefined) throw xmlError('no rbd option name specified');
        if (name === '') throw xmlError('empty rbd option name specified');
        const value = o.attr('value');
        if (value === undefined) throw xmlError(`no rbd option value specified for name '${name}'`);
        if (value === '') throw xmlError(`empty rbd option value specified for name '${name}'`);
        return [name, value];
      });
    }
  }
}

function readRuntimeSize(root: XmlElement, name: string): bigint {
  return parseScaledElement(root.element(name), `./${name}`, 1n, ULLONG_MAX) ?? 0n;
}

/** Parse a `<pool>` element. */
export function parsePoolElement(root: XmlElement, opts: PoolParseOptions = {}): StoragePoolDef {
  if (root.name !== 'pool') throw xmlError(`unexpected root element <${root.name}>, expecting <pool>`);
  const type = propEnum(root, 'type', POOL_TYPES, { required: true })!;
  const info = poolTypeInfo(type);
  const sourceEl = root.element('source');
  const source: StoragePoolSource = sourceEl
    ? parsePoolSource(sourceEl, type)
    : { hosts: [], devices: [], format: info.poolFormats?.defaultFormat };
  let name = childString(root, 'name');
  if (name === undefined && info.flags & SOURCE_NAME) name = source.name;
  if (name === undefined) throw xmlError('missing pool source name element');
  if (name.includes('/')) throw xmlError(`name ${name} cannot contain '/'`);
  const uuidText = childString(root, 'uuid');
  let uuid: string;
  if (uuidText === undefined) uuid = (opts.generateUuid ?? newUuid)();
  else {
    const u = parseUuid(uuidText);
    if (!u) throw xmlError('malformed uuid element');
    uuid = u;
  }
  const def: StoragePoolDef = { type, name, uuid, capacity: 0n, allocation: 0n, available: 0n, source, target: { perms: {} } };
  const cow = root.find('features', 'cow');
  if (cow) {
    const state = propYesNo(cow, 'state');
    if (state) {
      if (type !== 'fs' && type !== 'dir') {
        throw VirError.create(ErrorNumber.VIR_ERR_NO_SUPPORT, D, "cow feature may only be used for 'fs' and 'dir' pools");
      }
      def.cow = state;
    }
  }
  if (info.flags & SOURCE_HOST && !source.hosts.length) throw xmlError('missing storage pool source host name');
  if (info.flags & SOURCE_DIR && !source.dir) throw xmlError('missing storage pool source path');
  if (info.flags & SOURCE_NAME && source.name === undefined) source.name = name;
  if (info.flags & SOURCE_ADAPTER && !source.adapter?.type && !source.adapter?.name) {
    throw xmlError('missing storage pool source adapter');
  }
  if (info.flags === SOURCE_DEVICE && !source.devices.length) throw xmlError('missing storage pool source device name');
  if (!(info.flags & SOURCE_NETWORK)) {
    let targetPath: string | undefined;
    if (type === 'logical') targetPath = `/dev/${source.name}`;
    else if (type === 'zfs') targetPath = `/dev/zvol/${source.name}`;
    else {
      const target = root.element('target');
      targetPath = target ? childString(target, 'path') : undefined;
      if (targetPath === undefined) throw xmlError('missing storage pool target path');
    }
    def.target.path = sanitizePath(targetPath);
    def.target.perms = parsePerms(root.find('target', 'permissions'));
  }
  if (type === 'iscsi-direct' && !source.initiatorIqn) throw unsupported('missing initiator IQN');
  const refresh = root.find('refresh', 'volume')?.attr('allocation');
  if (refresh !== undefined && refresh !== '') {
    if (refresh !== 'default' && refresh !== 'capacity') {
      throw unsupported(`unknown storage pool volume refresh allocation type ${refresh}`);
    }
    def.refreshAllocation = refresh;
  }
  parsePoolNamespaces(root, def);
  if (opts.runtime) {
    def.capacity = readRuntimeSize(root, 'capacity');
    def.allocation = readRuntimeSize(root, 'allocation');
    def.available = readRuntimeSize(root, 'available');
  }
  return def;
}

/** Parse pool XML text (virStoragePoolDefParseString). */
export function parseStoragePoolXml(text: string, opts: PoolParseOptions = {}): StoragePoolDef {
  return parsePoolElement(parseXml(text), opts);
}

/** virStoragePoolSourceFormat. */
export function writePoolSource(w: XmlWriter, type: PoolType, src: StoragePoolSource): void {
  const info = poolTypeInfo(type);
  w.open('source');
  if (info.flags & SOURCE_HOST)
    for (const h of src.hosts)
      w.empty('host', [
        ['name', h.name],
        ['port', h.port || undefined],
      ]);
  if (info.flags & SOURCE_DEVICE) {
    for (const d of src.devices) {
      w.element(
        'device',
        [
          ['path', d.path],
          ['part_separator', d.partSeparator],
        ],
        (c) => {
          for (const e of d.freeExtents ?? [])
            c.empty('freeExtent', [
              ['start', String(e.start)],
              ['end', String(e.end)],
            ]);
        },
      );
    }
  }
  if (info.flags & SOURCE_DIR && src.dir !== undefined) w.empty('dir', [['path', src.dir]]);
  if (info.flags & SOURCE_ADAPTER && src.adapter && (src.adapter.type === 'fc_host' || src.adapter.type === 'scsi_host')) {
    writeAdapter(w, src);
  }
  if (info.flags & SOURCE_NAME) w.leaf('name', src.name);
  if (info.flags & SOURCE_INITIATOR_IQN && src.initiatorIqn !== undefined) {
    w.element('initiator', [], (c) => c.empty('iqn', [['name', src.initiatorIqn]]));
  }
  if (info.poolFormats) w.empty('format', [['type', src.format ?? info.poolFormats.defaultFormat]]);
  if (src.auth) {
    const a = src.auth;
    w.element(
      'auth',
      [
        ['type', a.type],
        ['username', a.username],
      ],
      (c) =>
        c.empty('secret', [
          ['type', a.secretType],
          ['uuid', a.secretUuid],
          ['usage', a.secretUuid ? undefined : a.secretUsage],
        ]),
    );
  }
  if (src.protocolVer) w.empty('protocol', [['ver', src.protocolVer]]);
  if (src.vendor !== undefined) w.empty('vendor', [['name', src.vendor]]);
  if (src.product !== undefined) w.empty('product', [['name', src.product]]);
  w.close('source');
}

export function writeStoragePool(w: XmlWriter, def: StoragePoolDef): void {
  const ns = def.mountOptions ? ['fs', FS_NS] : def.rbdConfigOptions ? ['rbd', RBD_NS] : undefined;
  w.open('pool', [['type', def.type], ...(ns ? [[`xmlns:${ns[0]}`, ns[1]] as [string, string]] : [])]);
  w.leaf('name', def.name);
  w.leaf('uuid', def.uuid);
  w.leaf('capacity', String(def.capacity), [['unit', 'bytes']]);
  w.leaf('allocation', String(def.allocation), [['unit', 'bytes']]);
  w.leaf('available', String(def.available), [['unit', 'bytes']]);
  if (def.cow) w.element('features', [], (c) => c.empty('cow', [['state', def.cow]]));
  writePoolSource(w, def.type, def.source);
  if (def.type !== 'rbd' && def.type !== 'sheepdog' && def.type !== 'gluster' && def.type !== 'iscsi-direct') {
    w.open('target');
    w.leaf('path', def.target.path);
    formatPerms(w, def.target.perms);
    w.close('target');
  }
  if (def.refreshAllocation) w.element('refresh', [], (c) => c.empty('volume', [['allocation', def.refreshAllocation]]));
  if (def.mountOptions) w.element('fs:mount_opts', [], (c) => def.mountOptions!.forEach((o) => c.empty('fs:option', [['name', o]])));
  if (def.rbdConfigOptions) {
    w.element('rbd:config_opts', [], (c) =>
      def.rbdConfigOptions!.forEach(([name, value]) =>
        c.empty('rbd:option', [
          ['name', name],
          ['value', value],
        ]),
      ),
    );
  }
  w.close('pool');
}

/** Format pool XML (virStoragePoolDefFormat). */
export function formatStoragePoolXml(def: StoragePoolDef): string {
  const w = new XmlWriter();
  writeStoragePool(w, def);
  return w.toString();
}
