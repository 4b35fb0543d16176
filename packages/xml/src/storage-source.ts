/**
 * The parts of libvirt's virStorageSource that snapshot, backup and volume documents share:
 * storage and format names, network hosts, per-source security labels, encryption, and the
 * `<source>`-style element (virDomainStorageSourceParse / virDomainDiskSourceFormat) for the
 * file, block, dir and network kinds.
 */
import { ErrorDomain, ErrorNumber, VirError } from '@virtkit/core';

const unsupported = (detail: string) => VirError.create(ErrorNumber.VIR_ERR_CONFIG_UNSUPPORTED, ErrorDomain.VIR_FROM_DOMAIN, detail);
import type { XmlElement } from './tree';
import type { XmlWriter, Attrs } from './writer';
import { propEnum, propUInt, propYesNo } from './props';

export const STORAGE_TYPES = ['none', 'file', 'block', 'dir', 'network', 'volume', 'nvme', 'vhostuser', 'vhostvdpa'] as const;
export type StorageType = (typeof STORAGE_TYPES)[number];

export const FILE_FORMATS = [
  'none',
  'raw',
  'dir',
  'bochs',
  'cloop',
  'dmg',
  'iso',
  'vpc',
  'vdi',
  'fat',
  'vhd',
  'ploop',
  'cow',
  'qcow',
  'qcow2',
  'qed',
  'vmdk',
] as const;
export type FileFormat = (typeof FILE_FORMATS)[number];

export const NET_PROTOCOLS = [
  'none',
  'nbd',
  'rbd',
  'sheepdog',
  'gluster',
  'iscsi',
  'http',
  'https',
  'ftp',
  'ftps',
  'tftp',
  'ssh',
  'vxhs',
  'nfs',
] as const;
export type NetProtocol = (typeof NET_PROTOCOLS)[number];

export const HOST_TRANSPORTS = ['tcp', 'unix', 'rdma'] as const;
export type HostTransport = (typeof HOST_TRANSPORTS)[number];

/** A file format name other than `none`, or undefined for an unknown one. */
export function fileFormatFromString(s: string): FileFormat | undefined {
  const i = FILE_FORMATS.indexOf(s as FileFormat);
  return i > 0 ? FILE_FORMATS[i] : undefined;
}

// ---------------------------------------------------------------- network hosts

export interface NetHost {
  name?: string;
  port?: number;
  transport: HostTransport;
  socket?: string;
}

/** virDomainStorageNetworkParseHost. */
export function parseNetHost(el: XmlElement): NetHost {
  const host: NetHost = { transport: 'tcp' };
  const transport = el.attr('transport');
  if (transport !== undefined) {
    if (!HOST_TRANSPORTS.includes(transport as HostTransport)) {
      throw unsupported(`unknown protocol transport type '${transport}'`);
    }
    host.transport = transport as HostTransport;
  }
  host.socket = el.attr('socket');
  if (host.transport === 'unix' && host.socket === undefined) throw VirError.xml('missing socket for unix transport');
  if (host.transport !== 'unix' && host.socket !== undefined) {
    throw VirError.xml(`transport '${host.transport}' does not support socket attribute`);
  }
  if (host.transport !== 'unix') {
    host.name = el.attr('name');
    if (host.name === undefined) throw VirError.xml('missing name for host');
    host.port = propUInt(el, 'port');
  }
  return host;
}

/** Attributes of a `<host>` as the disk-source formatter writes them. */
export function netHostAttrs(h: NetHost): Attrs {
  return [
    ['name', h.name],
    ['port', h.port ? h.port : undefined],
    ['transport', h.transport !== 'tcp' ? h.transport : undefined],
    ['socket', h.socket],
  ];
}

// ---------------------------------------------------------------- security labels

export interface DeviceSeclabel {
  model?: string;
  relabel: boolean;
  labelskip: boolean;
  label?: string;
}

/** virSecurityDeviceLabelDefParseXML for every `<seclabel>` child of `el`. */
export function parseDeviceSeclabels(el: XmlElement, status = false): DeviceSeclabel[] {
  return el.elements('seclabel').map((n) => {
    const relabel = n.attr('relabel');
    if (relabel !== undefined && relabel !== 'yes' && relabel !== 'no') {
      throw VirError.xml(`invalid security relabel value '${relabel}'`);
    }
    const label: DeviceSeclabel = {
      model: n.attr('model'),
      relabel: relabel !== 'no',
      labelskip: status && n.attr('labelskip') === 'yes',
      label: n.childText('label'),
    };
    if (label.label !== undefined && !label.relabel) {
      throw VirError.xml('Cannot specify a label if relabelling is turned off');
    }
    return label;
  });
}

export function formatDeviceSeclabels(w: XmlWriter, labels: readonly DeviceSeclabel[]): void {
  for (const l of labels) {
    const attrs: Attrs = [
      ['model', l.model],
      ['labelskip', l.labelskip ? 'yes' : undefined],
      ['relabel', l.labelskip ? undefined : l.relabel ? 'yes' : 'no'],
    ];
    if (l.label !== undefined) w.element('seclabel', attrs, (c) => c.leaf('label', l.label));
    else w.empty('seclabel', attrs);
  }
}

// ---------------------------------------------------------------- encryption

export const ENCRYPTION_FORMATS = ['default', 'qcow', 'luks', 'luks2', 'luks-any'] as const;
export const ENCRYPTION_ENGINES = ['default', 'qemu', 'librbd'] as const;

export interface EncryptionSecret {
  type: 'passphrase';
  uuid?: string;
  usage?: string;
}

export interface Encryption {
  format: (typeof ENCRYPTION_FORMATS)[number];
  engine?: (typeof ENCRYPTION_ENGINES)[number];
  secrets: EncryptionSecret[];
  cipher?: { name: string; size: number; mode?: string; hash?: string };
  ivgen?: { name: string; hash?: string };
}

const UUID_RE = /^[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}$/;

/** virStorageEncryptionParseNode (the subset libvirt documents). */
export function parseEncryption(el: XmlElement): Encryption {
  const format = el.attr('format');
  if (format === undefined) throw VirError.xml('unknown volume encryption format type (null)');
  if (!ENCRYPTION_FORMATS.includes(format as Encryption['format'])) {
    throw VirError.xml(`unknown volume encryption format type ${format}`);
  }
  const enc: Encryption = { format: format as Encryption['format'], secrets: [] };
  enc.engine = propEnum(el, 'engine', ENCRYPTION_ENGINES, { nonzero: true });
  for (const s of el.elements('secret')) {
    const type = s.attr('type');
    if (type === undefined) throw VirError.xml('unknown volume encryption secret type (null)');
    if (type !== 'passphrase') throw VirError.xml(`unknown volume encryption secret type ${type}`);
    const uuid = s.attr('uuid');
    const usage = s.attr('usage');
    if (uuid !== undefined && usage !== undefined) {
      throw VirError.xml('either secret uuid or usage expected');
    }
    if (uuid !== undefined) {
      if (!UUID_RE.test(uuid)) throw VirError.xml(`invalid secret uuid '${uuid}'`);
    } else if (usage === undefined) {
      throw VirError.xml('either secret uuid or usage expected');
    }
    enc.secrets.push({ type: 'passphrase', uuid, usage });
  }
  const cipher = el.element('cipher');
  if (cipher) {
    const name = cipher.attr('name');
    const size = cipher.attr('size');
    if (name === undefined) throw VirError.xml('cipher name attribute is required');
    if (size === undefined) throw VirError.xml('cipher size attribute is required');
    const n = propUInt(cipher, 'size')!;
    enc.cipher = { name, size: n, mode: cipher.attr('mode'), hash: cipher.attr('hash') };
  }
  const ivgen = el.element('ivgen');
  if (ivgen) {
    const name = ivgen.attr('name');
    if (name === undefined) throw VirError.xml('missing ivgen name');
    enc.ivgen = { name, hash: ivgen.attr('hash') };
  }
  return enc;
}

export function formatEncryption(w: XmlWriter, enc: Encryption): void {
  w.element(
    'encryption',
    [
      ['format', enc.format],
      ['engine', enc.engine && enc.engine !== 'default' ? enc.engine : undefined],
    ],
    (c) => {
      for (const s of enc.secrets) {
        c.empty('secret', [
          ['type', s.type],
          ['uuid', s.uuid],
          ['usage', s.uuid === undefined ? s.usage : undefined],
        ]);
      }
      if (enc.cipher) {
        c.empty('cipher', [
          ['name', enc.cipher.name],
          ['size', enc.cipher.size],
          ['mode', enc.cipher.mode],
          ['hash', enc.cipher.hash],
        ]);
      }
      if (enc.ivgen)
        c.empty('ivgen', [
          ['name', enc.ivgen.name],
          ['hash', enc.ivgen.hash],
        ]);
    },
  );
}

// ---------------------------------------------------------------- disk-style source

/** A storage source as snapshot and backup disks describe it. */
export interface DiskSource {
  type: StorageType;
  /** File or device path, directory, or the network image name. */
  path?: string;
  format?: FileFormat;
  protocol?: NetProtocol;
  /** Gluster volume (first component of the network name). */
  volume?: string;
  /** RBD snapshot (the part after `@` in the name). */
  snapshot?: string;
  configFile?: string;
  query?: string;
  tls?: 'yes' | 'no';
  hosts: NetHost[];
  seclabels: DeviceSeclabel[];
  encryption?: Encryption;
  /** Image index in the chain (`index` attribute; status XML only). */
  id?: number;
  /** qcow2 metadata cache limit in bytes (snapshots only). */
  metadataCacheMaxSize?: bigint;
}

export function newDiskSource(type: StorageType = 'file'): DiskSource {
  return { type, hosts: [], seclabels: [] };
}

/** True when the source names no media (virStorageSourceIsEmpty). */
export function diskSourceIsEmpty(src: DiskSource): boolean {
  if (src.type === 'none') return true;
  return (src.type === 'file' || src.type === 'block' || src.type === 'dir') && !src.path;
}

function parseNetworkSource(el: XmlElement, src: DiskSource): void {
  const protocol = el.attr('protocol');
  if (protocol === undefined) throw VirError.xml('missing network source protocol type');
  const idx = NET_PROTOCOLS.indexOf(protocol as NetProtocol);
  if (idx <= 0) throw VirError.xml(`unknown protocol type '${protocol}'`);
  src.protocol = NET_PROTOCOLS[idx];
  let name = el.attr('name');
  if (name === undefined && src.protocol !== 'nbd' && src.protocol !== 'vxhs') {
    throw VirError.xml(`missing name for '${protocol}' protocol`);
  }
  if (name !== undefined && src.protocol === 'rbd') {
    const at = name.indexOf('@');
    if (at >= 0) {
      src.snapshot = name.slice(at + 1);
      name = name.slice(0, at);
    }
  }
  if (name !== undefined && src.protocol === 'gluster') {
    const slash = name.indexOf('/');
    if (slash < 0 || slash === name.length - 1) {
      throw VirError.xml(`missing volume name or file name in gluster source path '${name}'`);
    }
    src.volume = name.slice(0, slash);
    name = name.slice(slash).replace(/^\/+/, '');
  }
  src.path = name;
  src.query = el.attr('query');
  src.tls = propYesNo(el, 'tls');
  src.hosts = el.elements('host').map(parseNetHost);
  src.snapshot ??= el.element('snapshot')?.attr('name');
  src.configFile = el.element('config')?.attr('file');
}

/** virDomainStorageSourceParse: fill `src` (whose type is already set) from a source element. */
export function parseDiskSourceElement(el: XmlElement, src: DiskSource, status = false): void {
  switch (src.type) {
    case 'file':
      src.path = el.attr('file');
      break;
    case 'block':
      src.path = el.attr('dev');
      break;
    case 'dir':
      src.path = el.attr('dir');
      break;
    case 'network':
      parseNetworkSource(el, src);
      break;
    default:
      throw unsupported(`unsupported storage source type '${src.type}'`);
  }
  // libvirt treats an empty path as no path at all.
  if (src.path === '') src.path = undefined;
  if (src.type !== 'network') src.seclabels = parseDeviceSeclabels(el, status);
  const enc = el.element('encryption');
  if (enc) src.encryption = parseEncryption(enc);
  if (status) {
    const index = el.attr('index');
    if (index !== undefined) src.id = propUInt(el, 'index');
  }
}

/** True when the source is a relative local path (virStorageSourceIsRelative). */
export function diskSourceIsRelative(src: DiskSource): boolean {
  if (!src.path) return false;
  return (src.type === 'file' || src.type === 'block' || src.type === 'dir') && !src.path.startsWith('/');
}

/** virDomainDiskSourceFormat: `<element ...>` for the source; left out when it would be empty. */
export function formatDiskSourceElement(w: XmlWriter, element: string, src: DiskSource, opts: { attrIndex?: boolean } = {}): void {
  const attrs: Array<[string, string | number | undefined]> = [];
  switch (src.type) {
    case 'file':
      attrs.push(['file', src.path]);
      break;
    case 'block':
      attrs.push(['dev', src.path]);
      break;
    case 'dir':
      attrs.push(['dir', src.path]);
      break;
    case 'network': {
      attrs.push(['protocol', src.protocol]);
      attrs.push(['name', src.volume !== undefined ? `${src.volume}/${src.path ?? ''}` : src.path]);
      attrs.push(['query', src.query]);
      attrs.push(['tls', src.tls]);
      break;
    }
    default:
      break;
  }
  if (opts.attrIndex && src.id) attrs.push(['index', src.id]);
  w.element(
    element,
    attrs,
    (c) => {
      if (src.type === 'network') {
        for (const h of src.hosts) c.empty('host', netHostAttrs(h));
        if (src.snapshot !== undefined) c.empty('snapshot', [['name', src.snapshot]]);
        if (src.configFile !== undefined) c.empty('config', [['file', src.configFile]]);
      } else {
        formatDeviceSeclabels(c, src.seclabels);
      }
      if (src.encryption) formatEncryption(c, src.encryption);
    },
    true,
  );
}
