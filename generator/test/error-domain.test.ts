import { publicCallErrorDomain } from '../src/error-domain';

describe("a public call's error domain", () => {
  it('is the VIR_FROM_THIS of the libvirt source file that holds the call', () => {
    const cases: Array<[string, string]> = [
      ['virDomainPMWakeup', 'VIR_FROM_DOMAIN'],
      ['virNodeGetMemoryStats', 'VIR_FROM_DOMAIN'], // libvirt-host.c
      ['virConnectGetCapabilities', 'VIR_FROM_DOMAIN'],
      ['virConnectListAllDomains', 'VIR_FROM_DOMAIN'],
      ['virConnectOpenAuth', 'VIR_FROM_NONE'], // libvirt.c
      ['virDomainSnapshotCreateXML', 'VIR_FROM_DOMAIN_SNAPSHOT'],
      ['virDomainRevertToSnapshot', 'VIR_FROM_DOMAIN_SNAPSHOT'],
      ['virDomainListAllCheckpoints', 'VIR_FROM_DOMAIN_CHECKPOINT'],
      ['virConnectNetworkEventRegisterAny', 'VIR_FROM_NETWORK'],
      ['virNetworkPortCreateXML', 'VIR_FROM_NETWORK'],
      ['virConnectFindStoragePoolSources', 'VIR_FROM_STORAGE'],
      ['virStorageVolWipePattern', 'VIR_FROM_STORAGE'],
      ['virNodeListDevices', 'VIR_FROM_NODEDEV'],
      ['virConnectListAllNodeDevices', 'VIR_FROM_NODEDEV'],
      ['virSecretGetValue', 'VIR_FROM_SECRET'],
      ['virConnectListAllInterfaces', 'VIR_FROM_INTERFACE'],
      ['virNWFilterBindingCreateXML', 'VIR_FROM_NWFILTER'],
      ['virStreamRecvHole', 'VIR_FROM_STREAMS'],
    ];
    expect(cases.map(([c]) => [c, publicCallErrorDomain(c)])).toEqual(cases);
  });
});
