import * as path from 'node:path';
import { formatStoragePoolXml, formatStorageVolXml, parseStoragePoolXml, parseStorageVolXml } from '@virtkit/xml';
import { run as runPools } from '../../src/corpus/storagepoolxml2xml';
import { run as runVolumes } from '../../src/corpus/storagevolxml2xml';

const CORPUS = path.resolve(__dirname, '../../../../test/fixtures/corpus');
const failures = (results: Array<{ ok: boolean; name: string; diff?: string }>) =>
  results.filter((r) => !r.ok).map((r) => `${r.name}\n${r.diff ?? ''}`);

describe('storage pool and volume corpora', () => {
  it('passes every pool case', async () => {
    const results = await runPools(path.join(CORPUS, 'storagepoolxml2xml'));
    expect(results.length).toBeGreaterThan(20);
    expect(failures(results)).toEqual([]);
  });

  it('passes every volume case', async () => {
    const results = await runVolumes(path.join(CORPUS, 'storagevolxml2xml'));
    expect(results.length).toBeGreaterThan(10);
    expect(failures(results)).toEqual([]);
  });
});

describe('storage pool rules (storage_conf.c, storage_adapter_conf.c, the fs/rbd namespaces)', () => {
  const pool = (type: string, source: string, extra = '', ns = '') =>
    `<pool type='${type}'${ns}><name>p</name><uuid>7641d5a8-af11-f730-a34e-0a7dfcede71f</uuid><source>${source}</source><target><path>/t</path></target>${extra}</pool>`;

  it('reads a name-only adapter as a scsi_host and keeps a parent address', () => {
    expect(formatStoragePoolXml(parseStoragePoolXml(pool('scsi', `<adapter name='host3'/>`)))).toContain(
      `<adapter type='scsi_host' name='host3'/>`,
    );
    const out = formatStoragePoolXml(
      parseStoragePoolXml(
        pool(
          'scsi',
          `<adapter type='scsi_host'><parentaddr unique_id='2'><address domain='0' bus='0' slot='0x1f' function='2'/></parentaddr></adapter>`,
        ),
      ),
    );
    expect(out).toContain(`<parentaddr unique_id='2'>\n        <address domain='0x0000' bus='0x00' slot='0x1f' function='0x2'/>`);
  });

  it('keeps an NFS version string, refusing a comma', () => {
    const src = (ver: string) => pool('netfs', `<host name='h'/><dir path='/d'/><format type='nfs'/><protocol ver='${ver}'/>`);
    expect(formatStoragePoolXml(parseStoragePoolXml(src('4.1')))).toContain(`<protocol ver='4.1'/>`);
    expect(() => parseStoragePoolXml(src('4,1'))).toThrow("storage pool protocol ver '4,1' must not contain ','");
  });

  it('writes fs mount options under its own prefix, whatever the document used', () => {
    const xml = pool(
      'netfs',
      `<host name='h'/><dir path='/d'/>`,
      `<m:mount_opts><m:option name='sync'/></m:mount_opts>`,
      ` xmlns:m='http://libvirt.org/schemas/storagepool/fs/1.0'`,
    );
    const out = formatStoragePoolXml(parseStoragePoolXml(xml));
    expect(out).toContain(`<pool type='netfs' xmlns:fs='http://libvirt.org/schemas/storagepool/fs/1.0'>`);
    expect(out).toContain(`  <fs:mount_opts>\n    <fs:option name='sync'/>\n  </fs:mount_opts>\n</pool>`);
  });

  it('treats an owner of (uid_t)-1 as unset', () => {
    const p = parseStoragePoolXml(pool('dir', ''));
    const vol = parseStorageVolXml(
      `<volume><name>v</name><capacity>1</capacity><target><permissions><mode>0600</mode><owner>4294967295</owner><group>-1</group></permissions></target></volume>`,
      p.type,
    );
    expect(formatStorageVolXml(vol, p.type)).not.toContain('<owner>');
  });
});
