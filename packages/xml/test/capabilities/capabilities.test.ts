import { CapabilitiesBuilder, formatCapabilitiesXml } from '../../src/capabilities/index';

describe('capabilities', () => {
  it('formats host and guests in libvirt layout', () => {
    const b = new CapabilitiesBuilder({
      uuid: '6ba7b810-9dad-11d1-80b4-00c04fd430c8',
      cpu: {
        arch: 'x86_64',
        model: 'core2duo',
        vendor: 'Intel',
        topology: { sockets: 1, dies: 1, cores: 2, threads: 1 },
        features: ['ds', 'vmx'],
      },
      numa: [{ id: 0, memory: 2097152n, cpus: [{ id: 0, socketId: 0, dieId: 0, coreId: 0, siblings: '0' }] }],
      secModels: [{ model: 'none', doi: '0' }],
    });
    b.addGuest('hvm', 'x86_64', {
      emulator: '/usr/bin/qemu-system-x86_64',
      machines: ['pc', { name: 'pc-q35-8.0', canonical: 'q35', maxCpus: 288 }],
    })
      .addDomain('qemu')
      .addDomain('kvm')
      .addFeature('acpi', { default: 'on', toggle: 'yes' })
      .addFeature('disksnapshot', { default: 'on', toggle: 'no' });
    expect(formatCapabilitiesXml(b.build())).toBe(`<capabilities>

  <host>
    <uuid>6ba7b810-9dad-11d1-80b4-00c04fd430c8</uuid>
    <cpu>
      <arch>x86_64</arch>
      <model>core2duo</model>
      <vendor>Intel</vendor>
      <topology sockets='1' dies='1' cores='2' threads='1'/>
      <feature name='ds'/>
      <feature name='vmx'/>
    </cpu>
    <power_management/>
    <iommu support='no'/>
    <topology>
      <cells num='1'>
        <cell id='0'>
          <memory unit='KiB'>2097152</memory>
          <cpus num='1'>
            <cpu id='0' socket_id='0' die_id='0' core_id='0' siblings='0'/>
          </cpus>
        </cell>
      </cells>
    </topology>
    <secmodel>
      <model>none</model>
      <doi>0</doi>
    </secmodel>
  </host>

  <guest>
    <os_type>hvm</os_type>
    <arch name='x86_64'>
      <wordsize>64</wordsize>
      <emulator>/usr/bin/qemu-system-x86_64</emulator>
      <machine>pc</machine>
      <machine canonical='q35' maxCpus='288'>pc-q35-8.0</machine>
      <domain type='qemu'/>
      <domain type='kvm'/>
    </arch>
    <features>
      <acpi default='on' toggle='yes'/>
      <disksnapshot default='on' toggle='no'/>
    </features>
  </guest>

</capabilities>
`);
  });
});
