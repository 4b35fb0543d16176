/**
 * Secrets on qemu:///embed: define, look up, set and read values, list with filters, undefine;
 * values encrypted at rest under the secret directory's key and back after a new driver instance
 * loads the directory; ephemeral secrets never on disk; private values never handed out.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ConnectListAllSecretsFlags as L, ErrorNumber, SecretUsageType as U, type Connect, type VirError } from '@virtkit/core';
import { cleanupRoot, newRoot, openEmbed, rejection } from './driver-helpers';
import { SecretStore } from '../src/secrets/store';

const UUID = 'c8d5a21b-4c8e-4b8e-9a6f-0d4b3c2a1f00';
const volumeXml = `<secret ephemeral='no' private='no'><uuid>${UUID}</uuid><description>disk pass</description><usage type='volume'><volume>/var/lib/images/a.qcow2</volume></usage></secret>`;

describe('secrets on the QEMU driver', () => {
  let root: string;
  let conn: Connect;
  beforeAll(async () => {
    root = newRoot();
    conn = await openEmbed(root);
  });
  afterAll(async () => {
    await cleanupRoot(root, conn);
  });
  const dir = () => path.join(root, 'etc', 'secrets');

  it('defines, stores encrypted, reads back and undefines a volume secret', async () => {
    const s = await conn.secretDefineXML(volumeXml);
    expect([s.getUUIDString(), s.getUsageType(), s.getUsageID()]).toEqual([
      UUID,
      U.VIR_SECRET_USAGE_TYPE_VOLUME,
      '/var/lib/images/a.qcow2',
    ]);
    expect(await s.getXMLDesc()).toBe(
      `<secret ephemeral='no' private='no'>\n  <uuid>${UUID}</uuid>\n  <description>disk pass</description>\n  <usage type='volume'>\n    <volume>/var/lib/images/a.qcow2</volume>\n  </usage>\n</secret>\n`,
    );
    expect(((await rejection(s.getValue())) as VirError).message).toBe(`Secret not found: secret '${UUID}' does not have a value`);
    const value = Buffer.from('correct horse battery staple');
    await s.setValue(value);
    expect(Buffer.from(await s.getValue())).toEqual(value);
    // On disk: the definition, the value sealed with a 32-byte key of mode 0600, never the plain text.
    const sealed = fs.readFileSync(path.join(dir(), `${UUID}.base64`), 'utf8');
    expect(Buffer.from(sealed, 'base64').includes(value)).toBe(false);
    expect(sealed.includes(value.toString('base64'))).toBe(false);
    const key = path.join(dir(), 'secrets-encryption-key');
    expect(fs.statSync(key).size).toBe(32);
    expect(fs.statSync(key).mode & 0o777).toBe(0o600);
    // A new driver instance decrypts what the first one wrote.
    const again = SecretStore.load(dir()).byUUID(UUID);
    expect(Buffer.from(again.value!)).toEqual(value);

    const byUsage = await conn.secretLookupByUsage(U.VIR_SECRET_USAGE_TYPE_VOLUME, '/var/lib/images/a.qcow2');
    expect(byUsage.getUUIDString()).toBe(UUID);
    expect((await conn.secretLookupByUUIDString(UUID.toUpperCase())).getUsageID()).toBe('/var/lib/images/a.qcow2');
    await s.undefine();
    expect(fs.readdirSync(dir()).sort()).toEqual(['secrets-encryption-key']);
    const e = (await rejection(conn.secretLookupByUUIDString(UUID))) as VirError;
    expect([e.code, e.message]).toEqual([ErrorNumber.VIR_ERR_NO_SECRET, `Secret not found: no secret with matching uuid '${UUID}'`]);
  });

  it('keeps ephemeral secrets in memory, hides private values and filters the list', async () => {
    const eph = await conn.secretDefineXML(
      `<secret ephemeral='yes' private='no'><usage type='ceph'><name>client.admin</name></usage></secret>`,
    );
    await eph.setValue(Buffer.from('AQB...=='));
    expect(fs.existsSync(path.join(dir(), `${eph.getUUIDString()}.xml`))).toBe(false);
    expect(fs.existsSync(path.join(dir(), `${eph.getUUIDString()}.base64`))).toBe(false);
    const priv = await conn.secretDefineXML(
      `<secret ephemeral='no' private='yes'><usage type='iscsi'><target>iqn.x</target></usage></secret>`,
    );
    await priv.setValue(Buffer.from('chap'));
    const e = (await rejection(priv.getValue())) as VirError;
    expect([e.code, e.message]).toEqual([ErrorNumber.VIR_ERR_INVALID_SECRET, 'Invalid secret: secret is private']);
    const names = async (flags: number) => (await conn.listAllSecrets(flags)).map((s) => s.getUsageID()).sort();
    expect(await names(0)).toEqual(['client.admin', 'iqn.x']);
    expect(await names(L.VIR_CONNECT_LIST_SECRETS_EPHEMERAL)).toEqual(['client.admin']);
    expect(await names(L.VIR_CONNECT_LIST_SECRETS_PRIVATE)).toEqual(['iqn.x']);
    expect(await names(L.VIR_CONNECT_LIST_SECRETS_NO_PRIVATE | L.VIR_CONNECT_LIST_SECRETS_NO_EPHEMERAL)).toEqual([]);
    expect(await conn.numOfSecrets()).toBe(2);
    // A second secret for the same usage is refused.
    const clash = (await rejection(
      conn.secretDefineXML(`<secret><usage type='ceph'><name>client.admin</name></usage></secret>`),
    )) as VirError;
    expect(clash.message).toBe(`internal error: a secret with UUID ${eph.getUUIDString()} already defined for use with ceph client.admin`);
    await eph.undefine();
    await priv.undefine();
  });

  it("refuses bad XML with libvirt's messages", async () => {
    const msg = async (xml: string) => ((await rejection(conn.secretDefineXML(xml))) as VirError).message;
    expect(await msg('<pool/>')).toMatch(/unexpected root element <pool>, expecting <secret>/);
    expect(await msg(`<secret><uuid>nope</uuid></secret>`)).toMatch(/malformed uuid element/);
    expect(await msg(`<secret><usage type='volume'/></secret>`)).toMatch(/volume usage specified, but volume path is missing/);
    expect(await msg(`<secret><usage type='bogus'/></secret>`)).toMatch(/unknown secret usage type bogus/);
  });

  it('refuses reading a value on a read-only connection', async () => {
    const s = await conn.secretDefineXML(`<secret><usage type='tls'><name>t1</name></usage></secret>`);
    await s.setValue(Buffer.from('x'));
    const ro = await openEmbed(root, true);
    try {
      const e = (await rejection((await ro.secretLookupByUUIDString(s.getUUIDString())).getValue())) as VirError;
      expect(e.code).toBe(ErrorNumber.VIR_ERR_OPERATION_DENIED);
    } finally {
      await ro.close();
    }
    await s.undefine();
  });
});
