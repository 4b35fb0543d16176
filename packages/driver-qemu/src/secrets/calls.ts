/** The virSecret calls of the QEMU driver over its SecretStore, with libvirt's flag and error rules. */
import {
  checkDriverFlags,
  ConnectListAllSecretsFlags as L,
  ErrorDomain,
  ErrorNumber,
  SecretDefineFlags,
  VirError,
  type SecretRef,
} from '@virtkit/core';
import { formatSecretXml, parseSecretXml } from '@virtkit/xml';
import type { QemuPaths } from '../paths';
import { noSecret, SecretStore, type SecretObj } from './store';

/** One store per secret directory, shared by every connection to the same driver instance. */
const STORES = new Map<string, SecretStore>();

export function storeOf(paths: QemuPaths): SecretStore {
  let s = STORES.get(paths.secretDir);
  if (!s) {
    s = SecretStore.load(paths.secretDir);
    STORES.set(paths.secretDir, s);
  }
  return s;
}

/** virCheckFlags in the secret driver. */
const checkFlags = (flags: number, mask: number, fn: string): void => checkDriverFlags(flags, mask, fn, ErrorDomain.VIR_FROM_SECRET);

const refOf = (o: SecretObj): SecretRef => ({ uuid: o.def.uuid, usageType: o.def.usageType, usageID: o.def.usageID });

export async function defineXML(store: SecretStore, xml: string, flags: number): Promise<SecretRef> {
  checkFlags(flags, SecretDefineFlags.VIR_SECRET_DEFINE_VALIDATE, 'secretDefineXML');
  return refOf(await store.define(parseSecretXml(xml)));
}

export const lookupByUUID = (store: SecretStore, uuid: string): SecretRef => refOf(store.byUUID(uuid));
export const lookupByUsage = (store: SecretStore, usageType: number, usageID: string): SecretRef =>
  refOf(store.byUsage(usageType, usageID));

/** virSecretObjListExport: the secrets every filter group of `flags` lets through. */
export function listAll(store: SecretStore, flags: number): SecretRef[] {
  checkFlags(
    flags,
    L.VIR_CONNECT_LIST_SECRETS_EPHEMERAL |
      L.VIR_CONNECT_LIST_SECRETS_NO_EPHEMERAL |
      L.VIR_CONNECT_LIST_SECRETS_PRIVATE |
      L.VIR_CONNECT_LIST_SECRETS_NO_PRIVATE,
    'secretConnectListAllSecrets',
  );
  const group = (a: number, b: number, hasA: boolean) => {
    const g = flags & (a | b);
    return !g || (g & a && hasA) || (g & b && !hasA);
  };
  return store
    .all()
    .filter((o) => group(L.VIR_CONNECT_LIST_SECRETS_EPHEMERAL, L.VIR_CONNECT_LIST_SECRETS_NO_EPHEMERAL, o.def.ephemeral))
    .filter((o) => group(L.VIR_CONNECT_LIST_SECRETS_PRIVATE, L.VIR_CONNECT_LIST_SECRETS_NO_PRIVATE, o.def.isPrivate))
    .map(refOf);
}

export function getXMLDesc(store: SecretStore, ref: SecretRef, flags: number): string {
  checkFlags(flags, 0, 'secretGetXMLDesc');
  return formatSecretXml(store.byUUID(ref.uuid).def);
}

export async function setValue(store: SecretStore, ref: SecretRef, value: Uint8Array, flags: number): Promise<void> {
  checkFlags(flags, 0, 'secretSetValue');
  await store.setValue(store.byUUID(ref.uuid), value);
}

/** secretGetValue: a private secret's value never leaves the driver. */
export function getValue(store: SecretStore, ref: SecretRef, flags: number): Uint8Array {
  checkFlags(flags, 0, 'secretGetValue');
  const obj = store.byUUID(ref.uuid);
  if (obj.def.isPrivate) throw VirError.create(ErrorNumber.VIR_ERR_INVALID_SECRET, ErrorDomain.VIR_FROM_SECRET, 'secret is private');
  if (!obj.value) throw noSecret(`secret '${obj.def.uuid}' does not have a value`);
  return obj.value;
}

export async function undefine(store: SecretStore, ref: SecretRef): Promise<void> {
  await store.undefine(store.byUUID(ref.uuid));
}
