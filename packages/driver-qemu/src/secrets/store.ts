/**
 * The secrets of a QEMU driver instance (libvirt's secret driver): definitions as `<uuid>.xml`
 * and values as `<uuid>.base64` in the secret directory, each written atomically. Values are
 * encrypted at rest with AES-256-GCM under a random key kept beside them in
 * `secrets-encryption-key` (mode 0600), as libvirt keeps its own; ephemeral secrets never touch
 * the disk.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ErrorDomain, ErrorNumber, VirError } from '@virtkit/core';
import { formatSecretXml, parseSecretXml, SECRET_USAGES, type SecretDef } from '@virtkit/xml';
import { writeFileAtomic } from '../fsutil';

const FROM_SECRET = ErrorDomain.VIR_FROM_SECRET;
const KEY_FILE = 'secrets-encryption-key';

export interface SecretObj {
  def: SecretDef;
  value?: Uint8Array;
}

export const noSecret = (detail: string) => VirError.create(ErrorNumber.VIR_ERR_NO_SECRET, FROM_SECRET, detail);

/** What a usage is called in messages: "volume /path", "ceph name". */
const usageText = (def: SecretDef) => `${SECRET_USAGES[def.usageType].type} ${def.usageID}`;

export class SecretStore {
  private readonly byUuid = new Map<string, SecretObj>();

  private constructor(private readonly dir: string) {}

  /** Load every stored secret of `dir` (a missing directory holds none). */
  static load(dir: string): SecretStore {
    const store = new SecretStore(dir);
    let names: string[] = [];
    try {
      names = fs.readdirSync(dir).filter((n) => n.endsWith('.xml'));
    } catch {
      return store;
    }
    for (const n of names) {
      const def = parseSecretXml(fs.readFileSync(path.join(dir, n), 'utf8'));
      const obj: SecretObj = { def };
      const enc = readOrNull(path.join(dir, `${def.uuid}.base64`));
      if (enc !== null) obj.value = store.decrypt(Buffer.from(enc, 'base64'));
      store.byUuid.set(def.uuid, obj);
    }
    return store;
  }

  all(): SecretObj[] {
    return [...this.byUuid.values()];
  }

  byUUID(uuid: string): SecretObj {
    const obj = this.byUuid.get(uuid.toLowerCase());
    if (!obj) throw noSecret(`no secret with matching uuid '${uuid}'`);
    return obj;
  }

  byUsage(usageType: number, usageID: string): SecretObj {
    const obj = this.all().find((o) => o.def.usageType === usageType && o.def.usageID === usageID);
    if (!obj) throw noSecret(`no secret with matching usage '${usageID}'`);
    return obj;
  }

  /** virSecretObjListAdd + save: a new secret, or new description and usage for an existing UUID. */
  async define(def: SecretDef): Promise<SecretObj> {
    const clash = this.all().find(
      (o) => o.def.uuid !== def.uuid && def.usageType > 0 && o.def.usageType === def.usageType && o.def.usageID === def.usageID,
    );
    if (clash) {
      throw VirError.create(
        ErrorNumber.VIR_ERR_INTERNAL_ERROR,
        FROM_SECRET,
        `a secret with UUID ${clash.def.uuid} already defined for use with ${usageText(def)}`,
      );
    }
    const old = this.byUuid.get(def.uuid);
    if (old && (old.def.usageType !== def.usageType || old.def.usageID !== def.usageID)) {
      throw VirError.create(
        ErrorNumber.VIR_ERR_INTERNAL_ERROR,
        FROM_SECRET,
        `a secret with UUID ${def.uuid} is already defined for use with ${usageText(old.def)}`,
      );
    }
    if (old?.def.isPrivate && !def.isPrivate)
      throw VirError.create(ErrorNumber.VIR_ERR_INVALID_SECRET, FROM_SECRET, 'cannot change private flag on existing secret');
    const obj: SecretObj = { def, value: old?.value };
    if (!def.ephemeral) {
      await writeFileAtomic(path.join(this.dir, `${def.uuid}.xml`), formatSecretXml(def));
      if (old?.def.ephemeral && obj.value) await this.saveValue(obj);
    } else if (old && !old.def.ephemeral) {
      await this.removeFiles(def.uuid);
    }
    this.byUuid.set(def.uuid, obj);
    return obj;
  }

  async setValue(obj: SecretObj, value: Uint8Array): Promise<void> {
    const next = { ...obj, value: Uint8Array.from(value) };
    if (!obj.def.ephemeral) await this.saveValue(next);
    obj.value = next.value;
  }

  async undefine(obj: SecretObj): Promise<void> {
    if (!obj.def.ephemeral) await this.removeFiles(obj.def.uuid);
    this.byUuid.delete(obj.def.uuid);
  }

  private async saveValue(obj: SecretObj): Promise<void> {
    const sealed = this.encrypt(obj.value ?? new Uint8Array());
    await writeFileAtomic(path.join(this.dir, `${obj.def.uuid}.base64`), sealed.toString('base64'));
  }

  private async removeFiles(uuid: string): Promise<void> {
    await fs.promises.rm(path.join(this.dir, `${uuid}.base64`), { force: true });
    await fs.promises.rm(path.join(this.dir, `${uuid}.xml`), { force: true });
  }

  /** The key, made (32 random bytes, 0600) the first time a value is stored. */
  private key(): Buffer {
    const file = path.join(this.dir, KEY_FILE);
    try {
      return fs.readFileSync(file);
    } catch {
      fs.mkdirSync(this.dir, { recursive: true, mode: 0o700 });
      const key = randomBytes(32);
      // 'wx': two instances racing to make the key agree on the first one written.
      try {
        fs.writeFileSync(file, key, { mode: 0o600, flag: 'wx' });
        return key;
      } catch {
        return fs.readFileSync(file);
      }
    }
  }

  /** iv (12) ‖ tag (16) ‖ ciphertext. */
  private encrypt(value: Uint8Array): Buffer {
    const iv = randomBytes(12);
    const c = createCipheriv('aes-256-gcm', this.key(), iv);
    const body = Buffer.concat([c.update(value), c.final()]);
    return Buffer.concat([iv, c.getAuthTag(), body]);
  }

  private decrypt(sealed: Buffer): Uint8Array {
    const d = createDecipheriv('aes-256-gcm', this.key(), sealed.subarray(0, 12));
    d.setAuthTag(sealed.subarray(12, 28));
    return new Uint8Array(Buffer.concat([d.update(sealed.subarray(28)), d.final()]));
  }
}

function readOrNull(file: string): string | null {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return null;
  }
}
