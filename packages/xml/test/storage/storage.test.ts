import { ErrorNumber, VirError } from '@virtkit/core';
import { formatStoragePoolXml, formatStorageVolXml, parseStoragePoolXml, parseStorageVolXml } from '../../src/storage/index';

const POOL = `<pool type='dir'>
  <name>default</name>
  <uuid>dfe224cb-28fb-8dd0-c4b2-64eb3f0f4566</uuid>
  <capacity unit='bytes'>107374182400</capacity>
  <allocation unit='bytes'>21474836480</allocation>
  <available unit='bytes'>85899345920</available>
  <source>
  </source>
  <target>
    <path>/var/lib/libvirt/images</path>
    <permissions>
      <mode>0711</mode>
      <owner>0</owner>
      <group>0</group>
      <label>system_u:object_r:virt_image_t:s0</label>
    </permissions>
  </target>
</pool>
`;

const VOLUME = `<volume type='file'>
  <name>guest.qcow2</name>
  <key>/var/lib/libvirt/images/guest.qcow2</key>
  <capacity unit='bytes'>10737418240</capacity>
  <allocation unit='bytes'>1966080</allocation>
  <physical unit='bytes'>1966080</physical>
  <target>
    <path>/var/lib/libvirt/images/guest.qcow2</path>
    <format type='qcow2'/>
    <permissions>
      <mode>0600</mode>
      <owner>107</owner>
      <group>107</group>
    </permissions>
    <timestamps>
      <atime>1700000000.123456789</atime>
      <mtime>1700000001</mtime>
      <ctime>1700000002.000000500</ctime>
    </timestamps>
    <compat>1.1</compat>
    <clusterSize unit='B'>65536</clusterSize>
    <features>
      <lazy_refcounts/>
    </features>
  </target>
  <backingStore>
    <path>/var/lib/libvirt/images/base.qcow2</path>
    <format type='qcow2'/>
  </backingStore>
</volume>
`;

function expectVirError(fn: () => unknown, code: number, message: string | RegExp): void {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(VirError);
    expect((e as VirError).code).toBe(code);
    if (typeof message === 'string') expect((e as VirError).message).toBe(message);
    else expect((e as VirError).message).toMatch(message);
    return;
  }
  throw new Error('no error raised');
}

describe('storage pool XML', () => {
  it('round-trips a dir pool (runtime fields read back)', () => {
    const def = parseStoragePoolXml(POOL, { runtime: true });
    expect(def.capacity).toBe(107374182400n);
    expect(def.target.perms).toEqual({ mode: 0o711, owner: 0, group: 0, label: 'system_u:object_r:virt_image_t:s0' });
    // libvirt writes <source/> as an open/close pair for a dir pool.
    expect(formatStoragePoolXml(def)).toBe(POOL.replace('<source>\n  </source>', '<source>\n  </source>'));
  });

  it('ignores sizes in a definition like libvirt, and normalises paths, uuid and units', () => {
    const def = parseStoragePoolXml(
      `<pool type='dir'><name>p</name><uuid>DFE224CB28FB8DD0C4B264EB3F0F4566</uuid>
       <capacity unit='GiB'>1</capacity><target><path>//srv//pool/</path></target></pool>`,
    );
    expect(def.capacity).toBe(0n);
    expect(def.uuid).toBe('dfe224cb-28fb-8dd0-c4b2-64eb3f0f4566');
    expect(def.target.path).toBe('//srv/pool');
    expect(formatStoragePoolXml(def)).toBe(`<pool type='dir'>
  <name>p</name>
  <uuid>dfe224cb-28fb-8dd0-c4b2-64eb3f0f4566</uuid>
  <capacity unit='bytes'>0</capacity>
  <allocation unit='bytes'>0</allocation>
  <available unit='bytes'>0</available>
  <source>
  </source>
  <target>
    <path>//srv/pool</path>
  </target>
</pool>
`);
    const scaled = parseStoragePoolXml(
      `<pool type='dir'><name>p</name><uuid>dfe224cb-28fb-8dd0-c4b2-64eb3f0f4566</uuid>
       <capacity unit='GiB'>1</capacity><allocation unit='KB'>2</allocation><target><path>/p</path></target></pool>`,
      { runtime: true },
    );
    expect(scaled.capacity).toBe(1073741824n);
    expect(scaled.allocation).toBe(2000n);
  });

  it('rejects what libvirt rejects', () => {
    expectVirError(
      () => parseStoragePoolXml("<pool type='dir'><name>a/b</name><target><path>/x</path></target></pool>"),
      ErrorNumber.VIR_ERR_XML_ERROR,
      "XML error: name a/b cannot contain '/'",
    );
    expectVirError(
      () => parseStoragePoolXml("<pool type='dir'><name>a</name></pool>"),
      ErrorNumber.VIR_ERR_XML_ERROR,
      'XML error: missing storage pool target path',
    );
    expectVirError(
      () => parseStoragePoolXml("<pool type='dir'><name>a</name><uuid>nope</uuid><target><path>/x</path></target></pool>"),
      ErrorNumber.VIR_ERR_XML_ERROR,
      'XML error: malformed uuid element',
    );
    expectVirError(
      () => parseStoragePoolXml("<pool type='bogus'><name>a</name></pool>"),
      ErrorNumber.VIR_ERR_XML_ERROR,
      "XML error: Invalid value for attribute 'type' in element 'pool': 'bogus'.",
    );
    expectVirError(
      () => parseStoragePoolXml('<volume/>'),
      ErrorNumber.VIR_ERR_XML_ERROR,
      'XML error: unexpected root element <volume>, expecting <pool>',
    );
    expectVirError(
      () =>
        parseStoragePoolXml(
          "<pool type='dir'><name>a</name><target><path>/x</path><permissions><mode>0999</mode></permissions></target></pool>",
        ),
      ErrorNumber.VIR_ERR_XML_ERROR,
      'XML error: malformed octal mode',
    );
  });

  it('generates a uuid when none is given', () => {
    const def = parseStoragePoolXml("<pool type='dir'><name>a</name><target><path>/x</path></target></pool>", {
      generateUuid: () => '00010203-0405-4607-8809-0a0b0c0d0e0f',
    });
    expect(def.uuid).toBe('00010203-0405-4607-8809-0a0b0c0d0e0f');
  });
});

describe('storage volume XML', () => {
  it('round-trips a file volume with runtime data (an empty <source> is left out)', () => {
    const def = parseStorageVolXml(VOLUME, 'dir', { runtime: true });
    expect(def.capacity).toBe(10737418240n);
    expect(def.target.timestamps?.atime).toEqual([1700000000n, 123456789]);
    expect(formatStorageVolXml(def, 'dir')).toBe(VOLUME);
  });

  it('fills defaults like libvirt: raw format, allocation = capacity, unit scaling', () => {
    const def = parseStorageVolXml("<volume><name>v</name><capacity unit='G'>2</capacity></volume>", 'dir');
    expect(formatStorageVolXml(def, 'dir')).toBe(`<volume type='file'>
  <name>v</name>
  <capacity unit='bytes'>2147483648</capacity>
  <allocation unit='bytes'>2147483648</allocation>
  <target>
    <format type='raw'/>
  </target>
</volume>
`);
  });

  it('rejects bad volumes', () => {
    expectVirError(
      () => parseStorageVolXml('<volume><name>v</name></volume>', 'dir'),
      ErrorNumber.VIR_ERR_XML_ERROR,
      'XML error: missing capacity element',
    );
    expectVirError(
      () => parseStorageVolXml('<volume><capacity>1</capacity></volume>', 'dir'),
      ErrorNumber.VIR_ERR_XML_ERROR,
      'XML error: missing volume name element',
    );
    expectVirError(
      () => parseStorageVolXml('<volume><name>v</name><capacity>-1</capacity></volume>', 'dir'),
      ErrorNumber.VIR_ERR_XML_ERROR,
      'XML error: malformed capacity element',
    );
    expectVirError(
      () => parseStorageVolXml("<volume><name>v</name><capacity unit='EiB'>9</capacity></volume>", 'dir'),
      ErrorNumber.VIR_ERR_OVERFLOW,
      /value too large: 9EiB$/,
    );
    expectVirError(
      () => parseStorageVolXml("<volume><name>v</name><capacity>1</capacity><target><format type='none'/></target></volume>", 'dir'),
      ErrorNumber.VIR_ERR_CONFIG_UNSUPPORTED,
      'unsupported configuration: unknown volume format type none',
    );
  });
});
