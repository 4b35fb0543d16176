/** Storage volume commands: create, create-from, clone, delete, wipe, resize, dumpxml, path, key, name, pool. */
import {
  StorageVolCreateFlags as C,
  StorageVolDeleteFlags,
  StorageVolResizeFlags as R,
  StorageVolWipeAlgorithm,
  VirError,
  type StorageVol,
} from '@virtkit/core';
import type { Ctl } from '../ctl';
import type { CmdDef, OptDef, Opts } from '../types';
import { lookupPool, lookupVol } from '../lookup';
import { flag, req, str } from '../opt';
import { readXmlFile, volSize, withNewline } from './shared-options';

/** libvirt's VIR_STORAGE_VOL_CREATE_VALIDATE, which the API's flags enum does not list yet. */
const CREATE_VALIDATE = 1 << 2;

const VOL_OPT: OptDef = { name: 'vol', type: 'string', required: true, help: 'vol name, key or path' };
const POOL_OPT: OptDef = { name: 'pool', type: 'string', help: 'pool name or uuid' };
const PREALLOC: OptDef = { name: 'prealloc-metadata', type: 'bool', help: 'preallocate metadata (for qcow2 instead of full allocation)' };
const REFLINK: OptDef = { name: 'reflink', type: 'bool', help: 'use btrfs COW lightweight copy' };
const VALIDATE: OptDef = { name: 'validate', type: 'bool', help: 'validate the XML against the schema' };

/** virsh's algorithm names for vol-wipe --algorithm, in the enum's order. */
const WIPE_ALGORITHMS = ['zero', 'nnsa', 'dod', 'bsi', 'gutmann', 'schneier', 'pfitzner7', 'pfitzner33', 'random', 'trim'];

function createFlags(opts: Opts): number {
  let flags = 0;
  if (flag(opts, 'prealloc-metadata')) flags |= C.VIR_STORAGE_VOL_CREATE_PREALLOC_METADATA;
  if (flag(opts, 'reflink')) flags |= C.VIR_STORAGE_VOL_CREATE_REFLINK;
  if (flag(opts, 'validate')) flags |= CREATE_VALIDATE;
  return flags;
}

/** The volume of `--vol`, looked up in `--pool` when given. */
function volOf(ctl: Ctl, opts: Opts): Promise<StorageVol> {
  return lookupVol(ctl, req(ctl, opts, 'vol'), str(ctl, opts, 'pool'));
}

/**
 * The volume's XML as libxml2 serializes it after virsh renamed it for vol-clone --print-xml:
 * attribute values in double quotes.
 */
export function cloneXml(xml: string, newName: string): string {
  const renamed = xml.replace(
    /<name>[^<]*<\/name>/,
    () => `<name>${newName.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')}</name>`,
  );
  return renamed.replace(
    /(\s[\w:-]+)='([^']*)'/g,
    (_, attr: string, v: string) => `${attr}="${v.replace(/&apos;/g, "'").replace(/"/g, '&quot;')}"`,
  );
}

/** A one-value query on a volume (vol-path, vol-key, vol-name). */
function volQuery(
  name: string,
  help: string,
  volHelp: string,
  withPool: boolean,
  value: (v: StorageVol) => Promise<string> | string,
): CmdDef {
  return {
    name,
    group: 'volume',
    help,
    opts: [{ ...VOL_OPT, help: volHelp }, ...(withPool ? [POOL_OPT] : [])],
    async handler(ctl, opts) {
      const vol = withPool ? await volOf(ctl, opts) : await lookupVol(ctl, req(ctl, opts, 'vol'), null, null);
      ctl.print(`${await value(vol)}\n`);
      return true;
    },
  };
}

export const volumeCommands: CmdDef[] = [
  {
    name: 'vol-create',
    group: 'volume',
    help: 'create a vol from an XML file',
    opts: [
      { name: 'pool', type: 'string', required: true, help: 'pool name' },
      { name: 'file', type: 'string', required: true, help: 'file containing an XML vol description' },
      PREALLOC,
      VALIDATE,
    ],
    async handler(ctl, opts) {
      const pool = await lookupPool(ctl, req(ctl, opts, 'pool'));
      const file = req(ctl, opts, 'file');
      const xml = readXmlFile(file);
      const vol = await ctl.attempt(`Failed to create vol from ${file}`, () => pool.createXML(xml, createFlags(opts)));
      ctl.printExtra(`Vol ${vol.getName()} created from ${file}\n`);
      return true;
    },
  },
  {
    name: 'vol-create-from',
    group: 'volume',
    help: 'create a vol, using another volume as input',
    opts: [
      { name: 'pool', type: 'string', required: true, help: 'pool name or uuid' },
      { name: 'file', type: 'string', required: true, help: 'file containing an XML vol description' },
      VOL_OPT,
      { name: 'inputpool', type: 'string', help: "pool name or uuid of the input volume's pool" },
      PREALLOC,
      REFLINK,
      VALIDATE,
    ],
    async handler(ctl, opts) {
      const pool = await lookupPool(ctl, req(ctl, opts, 'pool'));
      const file = req(ctl, opts, 'file');
      const input = await lookupVol(ctl, req(ctl, opts, 'vol'), str(ctl, opts, 'inputpool'), 'inputpool');
      const xml = readXmlFile(file);
      const vol = await ctl.attempt(`Failed to create vol from ${file}`, () => pool.createXMLFrom(xml, input, createFlags(opts)));
      ctl.printExtra(`Vol ${vol.getName()} created from input vol ${input.getName()}\n`);
      return true;
    },
  },
  {
    name: 'vol-clone',
    group: 'volume',
    help: 'clone a volume.',
    opts: [
      VOL_OPT,
      { name: 'newname', type: 'string', required: true, help: 'clone name' },
      POOL_OPT,
      PREALLOC,
      REFLINK,
      { name: 'print-xml', type: 'bool', help: 'print XML document rather than clone the volume' },
    ],
    async handler(ctl, opts) {
      const orig = await volOf(ctl, opts);
      const newName = req(ctl, opts, 'newname');
      const pool = await ctl.attempt('failed to get parent pool', () => orig.storagePoolLookupByVolume());
      const xml = cloneXml((await orig.getXMLDesc(0)).trimEnd(), newName);
      if (flag(opts, 'print-xml')) {
        ctl.print(xml);
        return true;
      }
      await ctl.attempt(`Failed to clone vol from ${orig.getName()}`, () => pool.createXMLFrom(xml, orig, createFlags(opts)));
      ctl.printExtra(`Vol ${newName} cloned from ${orig.getName()}\n`);
      return true;
    },
  },
  {
    name: 'vol-delete',
    group: 'volume',
    help: 'delete a vol',
    opts: [
      VOL_OPT,
      POOL_OPT,
      { name: 'delete-snapshots', type: 'bool', help: 'delete snapshots associated with volume (must be supported by storage driver)' },
    ],
    async handler(ctl, opts) {
      const vol = await volOf(ctl, opts);
      const n = vol.getName();
      const flags = flag(opts, 'delete-snapshots') ? StorageVolDeleteFlags.VIR_STORAGE_VOL_DELETE_WITH_SNAPSHOTS : 0;
      await ctl.attempt(`Failed to delete vol ${n}`, () => vol.delete(flags));
      ctl.printExtra(`Vol ${n} deleted\n`);
      return true;
    },
  },
  {
    name: 'vol-wipe',
    group: 'volume',
    help: 'wipe a vol',
    opts: [VOL_OPT, POOL_OPT, { name: 'algorithm', type: 'string', help: 'perform selected wiping algorithm' }],
    async handler(ctl, opts) {
      const vol = await volOf(ctl, opts);
      const algText = str(ctl, opts, 'algorithm');
      const alg = algText === null ? StorageVolWipeAlgorithm.VIR_STORAGE_VOL_WIPE_ALG_ZERO : WIPE_ALGORITHMS.indexOf(algText);
      if (alg < 0) ctl.fail(`Unsupported algorithm '${algText}'`);
      const n = vol.getName();
      // The zero pattern is virStorageVolWipe; the others need virStorageVolWipePattern, not in the API yet.
      await ctl.attempt(`Failed to wipe vol ${n}`, () =>
        alg === StorageVolWipeAlgorithm.VIR_STORAGE_VOL_WIPE_ALG_ZERO
          ? vol.wipe(0)
          : Promise.reject(VirError.noSupport('virStorageVolWipePattern')),
      );
      ctl.printExtra(`Vol ${n} wiped\n`);
      return true;
    },
  },
  {
    name: 'vol-resize',
    group: 'volume',
    help: 'resize a vol',
    opts: [
      VOL_OPT,
      { name: 'capacity', type: 'string', required: true, help: 'new capacity for the vol, as scaled integer (default bytes)' },
      POOL_OPT,
      { name: 'allocate', type: 'bool', help: 'allocate the new capacity, rather than leaving it sparse' },
      { name: 'delta', type: 'bool', help: 'use capacity as a delta to current size, rather than the new size' },
      { name: 'shrink', type: 'bool', help: 'allow the resize to shrink the volume' },
    ],
    async handler(ctl, opts) {
      let flags = 0;
      if (flag(opts, 'allocate')) flags |= R.VIR_STORAGE_VOL_RESIZE_ALLOCATE;
      if (flag(opts, 'delta')) flags |= R.VIR_STORAGE_VOL_RESIZE_DELTA;
      if (flag(opts, 'shrink')) flags |= R.VIR_STORAGE_VOL_RESIZE_SHRINK;
      const vol = await volOf(ctl, opts);
      let text = req(ctl, opts, 'capacity');
      if (text.startsWith('-')) {
        if (!flag(opts, 'shrink')) ctl.fail('negative size requires --shrink');
        flags |= R.VIR_STORAGE_VOL_RESIZE_DELTA;
        text = text.slice(1);
      }
      const capacity = volSize(ctl, text);
      const how = flags & R.VIR_STORAGE_VOL_RESIZE_DELTA ? 'by' : 'to';
      const n = vol.getName();
      await ctl.attempt(`Failed to change size of volume '${n}' ${how} ${text}`, () => vol.resize(capacity, flags));
      ctl.printExtra(`Size of volume '${n}' successfully changed ${how} ${text}\n`);
      return true;
    },
  },
  {
    name: 'vol-dumpxml',
    group: 'volume',
    help: 'vol information in XML',
    opts: [VOL_OPT, POOL_OPT],
    async handler(ctl, opts) {
      const vol = await volOf(ctl, opts);
      ctl.print(withNewline(await vol.getXMLDesc(0)));
      return true;
    },
  },
  volQuery('vol-path', 'returns the volume path for a given volume name or key', 'volume name or key', true, (v) => v.getPath()),
  volQuery('vol-key', 'returns the volume key for a given volume name or path', 'volume name or path', true, (v) => v.getKey()),
  volQuery('vol-name', 'returns the volume name for a given volume key or path', 'volume key or path', false, (v) => v.getName()),
  {
    name: 'vol-pool',
    group: 'volume',
    help: 'returns the storage pool for a given volume key or path',
    opts: [
      { ...VOL_OPT, help: 'volume key or path' },
      { name: 'uuid', type: 'bool', help: 'return the pool uuid rather than pool name' },
    ],
    async handler(ctl, opts) {
      const vol = await lookupVol(ctl, req(ctl, opts, 'vol'), null, null);
      const pool = await ctl.attempt('failed to get parent pool', () => vol.storagePoolLookupByVolume());
      ctl.print(`${flag(opts, 'uuid') ? pool.getUUIDString() : pool.getName()}\n`);
      return true;
    },
  },
];
