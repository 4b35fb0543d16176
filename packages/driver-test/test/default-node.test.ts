import { hostname } from 'node:os';
import { ErrorNumber } from '@virtkit/core';
import { driver } from '../src/driver';
import defaultExport from '../src';
import { testIf } from '@virtkit/testkit';
import { failure, open, py, virsh } from './helpers';

describe('test:///default node', () => {
  it('exports the driver both ways', () => {
    expect(defaultExport).toBe(driver);
    expect(driver.name).toBe('test');
    expect(driver.schemes).toEqual(['test']);
  });

  it("has libvirt's node info, type, versions and hostname", async () => {
    const c = await open();
    expect(await c.nodeGetInfo()).toEqual({
      model: 'i686',
      memory: 3145728,
      cpus: 16,
      mhz: 1400,
      nodes: 2,
      sockets: 2,
      cores: 2,
      threads: 2,
    });
    expect(await c.connectGetType()).toBe('TEST');
    expect(await c.connectGetVersion()).toBe(2);
    expect(await c.connectGetLibVersion()).toBe(9000000);
    expect(await c.connectGetHostname()).toBe(hostname());
    expect(await c.connectGetMaxVcpus(null)).toBe(32);
    expect(await c.nodeGetFreeMemory()).toBe(3145728);
    expect(await c.nodeGetCellsFreeMemory(0, 8)).toEqual([2097152, 4194304]);
    await c.close();
  });

  it('holds domain test, network default and pool default-pool', async () => {
    const c = await open();
    const dom = await c.domainLookupByName('test');
    expect(dom).toEqual({ name: 'test', uuid: '6695eb01-f6a4-8304-79aa-97f2502e193f', id: 1 });
    expect(await c.domainGetInfo(dom)).toMatchObject({ state: 1, maxMem: 8388608, memory: 2097152, nrVirtCpu: 2 });
    expect(await c.domainGetState(dom, 0)).toEqual({ state: 1, reason: 0 });
    expect(await c.domainGetOSType(dom)).toBe('linux');
    expect(await c.domainIsPersistent(dom)).toBe(true);
    expect(await c.networkLookupByName('default')).toEqual({ name: 'default', uuid: 'dd8fe884-6c02-601e-7551-cca97df1c5df' });
    const pools = await c.connectListAllStoragePools(0);
    expect(pools).toEqual([{ name: 'default-pool', uuid: 'dfe224cb-28fb-8dd0-c4b2-64eb3f0f4566' }]);
    expect(await c.storagePoolListVolumes(pools[0], 100)).toEqual([]);
    expect(await c.storagePoolGetInfo(pools[0])).toEqual({ state: 2, capacity: 107374182400, allocation: 0, available: 107374182400 });
    await c.close();
  });

  it('shares one state between simultaneous opens, and starts afresh after the last close', async () => {
    const a = await open();
    const b = await open();
    const dom = await a.domainLookupByName('test');
    await a.domainSuspend(dom);
    expect((await b.domainGetState(dom, 0)).state).toBe(3);
    await a.close();
    expect((await b.domainGetState(dom, 0)).state).toBe(3);
    await b.close();
    const c = await open();
    expect((await c.domainGetState(dom, 0)).state).toBe(1);
    await c.close();
  });

  it('refuses a URI without path like libvirt', async () => {
    const { parseUri } = await import('@virtkit/core');
    const [code, , msg] = await failure(driver.open(parseUri('test:///'), { readOnly: false }));
    expect(code).toBe(ErrorNumber.VIR_ERR_INVALID_ARG);
    expect(msg).toBe('invalid argument: testOpen: supply a path or use test:///default');
  });

  testIf('virsh')('formats domain, capabilities and pool XML exactly as libvirt', async () => {
    const c = await open();
    const dom = await c.domainLookupByName('test');
    expect((await c.domainGetXMLDesc(dom, 0)).trimEnd()).toBe(virsh('dumpxml', 'test').trimEnd());
    expect((await c.domainGetXMLDesc(dom, 2)).trimEnd()).toBe(virsh('dumpxml', '--inactive', 'test').trimEnd());
    expect((await c.connectGetCapabilities()).trimEnd()).toBe(virsh('capabilities').trimEnd());
    const pool = await c.storagePoolLookupByName('default-pool');
    expect((await c.storagePoolGetXMLDesc(pool, 0)).trimEnd()).toBe(virsh('pool-dumpxml', 'default-pool').trimEnd());
    await c.close();
  });

  testIf('libvirt-python')('answers node queries as python libvirt does', async () => {
    const real = py(`out = [c.getInfo(), c.getType(), c.getVersion(), c.getLibVersion(), c.getHostname(), c.getSysinfo()]`) as unknown[];
    const c = await open();
    const ni = await c.nodeGetInfo();
    expect([ni.model, Math.floor(Number(ni.memory) / 1024), ni.cpus, ni.mhz, ni.nodes, ni.sockets, ni.cores, ni.threads]).toEqual(real[0]);
    expect([
      await c.connectGetType(),
      await c.connectGetVersion(),
      await c.connectGetLibVersion(),
      await c.connectGetHostname(),
      await c.connectGetSysinfo(0),
    ]).toEqual(real.slice(1));
    await c.close();
  });
});
