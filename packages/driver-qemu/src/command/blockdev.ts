import { VirError } from '@virtkit/core';
import { type XmlElement } from '@virtkit/xml';
import type { CmdBuilder } from './builder';
import { secretObject } from './secrets';

/** One layer of a disk's chain. */
export interface SourceLayer {
  /** The element carrying `type` (`<disk>` or `<backingStore>`). */
  holder: XmlElement;
  type: string;
  format?: string;
  source?: XmlElement;
  /** Node-name index. */
  index: number;
  /** Explicitly terminated chain below this layer (`<backingStore/>`). */
  chainEnd: boolean;
  readonly: boolean;
  /** A translated volume: only its own source carries auth, not the `<disk>`. */
  sourceOnlyAuth?: boolean;
}

const SIZE_UNITS: Record<string, number> = {
  b: 1,
  bytes: 1,
  k: 1024,
  kib: 1024,
  kb: 1000,
  m: 1 << 20,
  mib: 1 << 20,
  mb: 1e6,
  g: 1 << 30,
  gib: 1 << 30,
  gb: 1e9,
};

/** `<metadata_cache><max_size>` in bytes (QEMU's qcow2 `cache-size`). */
function metadataCacheBytes(formatEl: XmlElement | undefined): number | undefined {
  const max = formatEl?.element('metadata_cache')?.element('max_size');
  if (!max) return undefined;
  return Number(max.text().trim()) * (SIZE_UNITS[(max.attr('unit') ?? 'bytes').toLowerCase()] ?? 1);
}

export interface CacheMode {
  direct: boolean;
  noFlush: boolean;
  writeCache: boolean;
}

export function cacheMode(mode: string | undefined): CacheMode | undefined {
  switch (mode) {
    case 'none':
      return { direct: true, noFlush: false, writeCache: true };
    case 'writethrough':
      return { direct: false, noFlush: false, writeCache: false };
    case 'writeback':
      return { direct: false, noFlush: false, writeCache: true };
    case 'directsync':
      return { direct: true, noFlush: false, writeCache: false };
    case 'unsafe':
      return { direct: false, noFlush: true, writeCache: true };
    default:
      return undefined;
  }
}

const DEFAULT_PORTS: Record<string, string> = {
  nbd: '10809',
  iscsi: '3260',
  gluster: '24007',
  http: '80',
  https: '443',
  ftp: '21',
  ftps: '990',
  tftp: '69',
};

function hosts(src: XmlElement): XmlElement[] {
  return src.elements('host');
}

function inetServer(h: XmlElement, proto: string, typeFirst = true): Record<string, unknown> {
  if (h.attr('transport') === 'unix') return { type: 'unix', path: h.attr('socket') };
  const port = h.attr('port') ?? DEFAULT_PORTS[proto];
  return typeFirst ? { type: 'inet', host: h.attr('name'), port } : { host: h.attr('name'), port, type: 'inet' };
}

/** `-object`s a layer needs before its `-blockdev`s, in libvirt's order (pr-manager, auth, encryption). */
interface LayerObjects {
  /** The layer's storage node name, the prefix of its secrets' aliases. */
  storageNode: string;
  pr?: Record<string, unknown>;
  auth?: Record<string, unknown>;
  encryption?: Record<string, unknown>;
}

/** The auth secret, named after the storage node as qemuAliasForSecret(nodestorage, "auth") names it. */
function authSecret(b: CmdBuilder, layer: SourceLayer, disk: XmlElement, objs: LayerObjects): string | undefined {
  const auth = layer.source?.element('auth') ?? (layer.holder === disk && !layer.sourceOnlyAuth ? disk.element('auth') : undefined);
  if (!auth) return undefined;
  const id = `${objs.storageNode}-auth-secret0`;
  const sec = auth.element('secret');
  objs.auth = secretObject(b, id, { uuid: sec?.attr('uuid'), usageType: sec?.attr('type'), usage: sec?.attr('usage') });
  return id;
}

function networkProps(
  b: CmdBuilder,
  layer: SourceLayer,
  disk: XmlElement,
  objs: LayerObjects,
  rbdEncrypt?: Record<string, unknown>,
): Record<string, unknown> {
  const src = layer.source!;
  const proto = src.attr('protocol') ?? '';
  const name = src.attr('name') ?? '';
  const hs = hosts(src);
  const auth = layer.source?.element('auth') ?? (layer.holder === disk && !layer.sourceOnlyAuth ? disk.element('auth') : undefined);
  switch (proto) {
    case 'nbd': {
      const out: Record<string, unknown> = { driver: 'nbd', server: inetServer(hs[0], 'nbd') };
      if (name) out.export = name;
      return out;
    }
    case 'iscsi': {
      const h = hs[0];
      const slash = name.lastIndexOf('/');
      const target = slash >= 0 ? name.slice(0, slash) : name;
      const lun = slash >= 0 ? Number(name.slice(slash + 1)) : 0;
      const out: Record<string, unknown> = {
        driver: 'iscsi',
        portal: `${h.attr('name')}:${h.attr('port') ?? '3260'}`,
        target,
        lun,
        transport: 'tcp',
      };
      if (auth) {
        out.user = auth.attr('username');
        out['password-secret'] = authSecret(b, layer, disk, objs);
      }
      const iqn = src.element('initiator')?.element('iqn')?.attr('name');
      if (iqn) out['initiator-name'] = iqn;
      return out;
    }
    case 'rbd': {
      const slash = name.indexOf('/');
      const pool = name.slice(0, slash);
      let image = name.slice(slash + 1);
      let snapshot: string | undefined = src.element('snapshot')?.attr('name');
      const at = image.indexOf('@');
      if (at >= 0) {
        snapshot = image.slice(at + 1);
        image = image.slice(0, at);
      }
      const out: Record<string, unknown> = { driver: 'rbd', pool, image };
      if (snapshot) out.snapshot = snapshot;
      const conf = src.element('config')?.attr('file');
      if (conf) out.conf = conf;
      if (hs.length) out.server = hs.map((h) => ({ host: h.attr('name'), port: h.attr('port') }));
      if (rbdEncrypt) out.encrypt = rbdEncrypt;
      if (auth) {
        out.user = auth.attr('username');
        out['auth-client-required'] = ['cephx', 'none'];
        out['key-secret'] = authSecret(b, layer, disk, objs);
      }
      return out;
    }
    case 'gluster': {
      const slash = name.indexOf('/');
      return {
        driver: 'gluster',
        volume: name.slice(0, slash),
        path: name.slice(slash + 1),
        server: hs.map((h) => inetServer(h, 'gluster')),
        debug: 4,
      };
    }
    case 'nfs': {
      const out: Record<string, unknown> = { driver: 'nfs', server: inetServer(hs[0], 'nfs', false), path: name };
      delete (out.server as Record<string, unknown>).port;
      const id = src.element('identity');
      if (id?.attr('user')) out.user = Number(id.attr('user')!.replace(/^\+/, ''));
      if (id?.attr('group')) out.group = Number(id.attr('group')!.replace(/^\+/, ''));
      return out;
    }
    case 'http':
    case 'https':
    case 'ftp':
    case 'ftps':
    case 'tftp': {
      const h = hs[0];
      const port = h.attr('port') ?? DEFAULT_PORTS[proto];
      const query = src.attr('query');
      const url = `${proto}://${h.attr('name')}:${port}${name.startsWith('/') ? '' : '/'}${name}${query ? `?${query}` : ''}`;
      const out: Record<string, unknown> = { driver: proto, url };
      if (auth) {
        out.username = auth.attr('username');
        out['password-secret'] = authSecret(b, layer, disk, objs);
      }
      const ssl = src.element('ssl')?.attr('verify');
      if (ssl && (proto === 'https' || proto === 'ftps')) out.sslverify = ssl === 'yes';
      const cookies = src.element('cookies')?.elements('cookie') ?? [];
      if (cookies.length) out.cookie = cookies.map((c) => `${c.attr('name')}=${c.text()}`).join('; ');
      const ra = src.element('readahead')?.attr('size');
      if (ra) out.readahead = Number(ra);
      const to = src.element('timeout')?.attr('seconds');
      if (to) out.timeout = Number(to);
      return out;
    }
    default:
      throw VirError.internal(`unsupported network protocol '${proto}'`);
  }
}

/** The storage layer's backend props (without the common tail). */
function storageProps(
  b: CmdBuilder,
  layer: SourceLayer,
  disk: XmlElement,
  o: ChainOpts,
  objs: LayerObjects,
  rbdEncrypt?: Record<string, unknown>,
): Record<string, unknown> {
  const src = layer.source;
  const device = o.device;
  // qemuBlockStorageSourceGetFileProps: the I/O mode belongs to the local file drivers only.
  const local = (driver: string, filename: string | undefined) => ({ driver, filename, ...(o.io ? { aio: o.io } : {}) });
  switch (layer.type) {
    case 'file':
      return local('file', src?.attr('file'));
    case 'block': {
      const dev = src?.attr('dev') ?? '';
      return local(device === 'cdrom' && b.ctx.isHostCdrom(dev) ? 'host_cdrom' : 'host_device', dev);
    }
    case 'dir':
      return { driver: 'vvfat', dir: src?.attr('dir'), floppy: device === 'floppy', rw: false };
    case 'network':
      return networkProps(b, layer, disk, objs, rbdEncrypt);
    case 'nvme': {
      const a = src?.element('address');
      const n = (k: string) => Number.parseInt(a?.attr(k) ?? '0', 16);
      const pci = `${n('domain').toString(16).padStart(4, '0')}:${n('bus').toString(16).padStart(2, '0')}:${n('slot').toString(16).padStart(2, '0')}.${n('function').toString(16)}`;
      return { driver: 'nvme', device: pci, namespace: Number(src?.attr('namespace') ?? 1) };
    }
    default:
      throw VirError.internal(`unsupported disk type '${layer.type}'`);
  }
}

export interface ChainOpts {
  cache?: CacheMode;
  discard?: string;
  detectZeroes?: string;
  /** `<driver io>`: the I/O mode of every layer's local file. */
  io?: string;
  device: string;
  /** Node-name prefix instead of `libvirt-<index>` (pflash nodes). */
  nodePrefix?: string;
}

/** Emit the `-blockdev`s for a chain (bottom layer first); returns the top format node name. */
export function buildChain(b: CmdBuilder, disk: XmlElement, layers: SourceLayer[], o: ChainOpts): string {
  for (let i = layers.length - 1; i >= 0; i--) {
    const layer = layers[i];
    const top = i === 0;
    const prefix = o.nodePrefix ?? `libvirt-${layer.index}`;
    const storageName = `${prefix}-storage`;
    const formatName = `${prefix}-format`;
    const enc = top ? (layer.source?.element('encryption') ?? disk.element('encryption')) : layer.source?.element('encryption');
    const objs: LayerObjects = { storageNode: storageName };
    let encSecret: string | undefined;
    const engine = enc?.attr('engine') ?? 'qemu';
    const encEngineQemu = enc && enc.attr('format') === 'luks' && engine === 'qemu';
    const encLibrbd = enc !== undefined && engine === 'librbd';
    if (encEngineQemu || encLibrbd) {
      encSecret = `${formatName}-encryption-secret0`;
      const sec = enc!.element('secret');
      objs.encryption = secretObject(b, encSecret, { uuid: sec?.attr('uuid'), usageType: 'volume', usage: sec?.attr('usage') });
    }
    const rbdEncrypt = encLibrbd ? { format: enc!.attr('format'), 'key-secret': encSecret } : undefined;
    const slice = layer.source
      ?.element('slices')
      ?.elements('slice')
      .find((x) => x.attr('type') === 'storage');
    const sp = storageProps(b, layer, disk, o, objs, rbdEncrypt);
    const pr = layer.source?.element('reservations');
    if (pr && (pr.attr('enabled') ?? 'yes') === 'yes') {
      if (pr.attr('managed') === 'yes') sp['pr-manager'] = 'pr-helper0';
      else {
        const prId = `pr-helper-${storageName}`;
        objs.pr = { 'qom-type': 'pr-manager-helper', id: prId, path: pr.element('source')?.attr('path') };
        sp['pr-manager'] = prId;
      }
    }
    for (const obj of [objs.pr, objs.auth, objs.encryption]) if (obj) b.json('-object', obj);
    sp['node-name'] = storageName;
    if (o.cache) sp.cache = { direct: o.cache.direct, 'no-flush': o.cache.noFlush };
    sp['auto-read-only'] = true;
    sp.discard = 'unmap';
    b.json('-blockdev', sp);
    let fileNode = storageName;
    const fmt = layer.format === 'fat' || !layer.format ? 'raw' : layer.format;
    if (slice && (fmt !== 'raw' || encEngineQemu)) {
      fileNode = `${prefix}-slice-sto`;
      const sl: Record<string, unknown> = {
        driver: 'raw',
        'node-name': fileNode,
        offset: Number(slice.attr('offset')),
        size: Number(slice.attr('size')),
        file: storageName,
        'auto-read-only': true,
        discard: 'unmap',
      };
      if (o.cache) sl.cache = { direct: o.cache.direct, 'no-flush': o.cache.noFlush };
      b.json('-blockdev', sl);
    }
    const fp: Record<string, unknown> = { 'node-name': formatName, 'read-only': layer.readonly };
    if (o.cache) fp.cache = { direct: o.cache.direct, 'no-flush': o.cache.noFlush };
    if (top && o.discard) fp.discard = o.discard;
    if (top && o.detectZeroes) fp['detect-zeroes'] = o.detectZeroes;
    if (encEngineQemu && fmt === 'raw') {
      fp.driver = 'luks';
      fp['key-secret'] = encSecret;
    } else {
      fp.driver = fmt;
      if (slice && fmt === 'raw') {
        fp.offset = Number(slice.attr('offset'));
        fp.size = Number(slice.attr('size'));
      }
      if (encEngineQemu) fp.encrypt = { format: 'luks', 'key-secret': encSecret };
      const cacheSize = fmt === 'qcow2' ? metadataCacheBytes(top ? disk.element('driver') : layer.holder.element('format')) : undefined;
      if (cacheSize) fp['cache-size'] = cacheSize;
    }
    fp.file = fileNode;
    if (fmt !== 'raw') {
      if (i + 1 < layers.length) fp.backing = `libvirt-${layers[i + 1].index}-format`;
      else if (layer.chainEnd) fp.backing = null;
    }
    b.json('-blockdev', fp);
  }
  return `${o.nodePrefix ?? `libvirt-${layers[0].index}`}-format`;
}
