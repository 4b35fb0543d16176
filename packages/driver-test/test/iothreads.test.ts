/** The test driver's IOThreads and blkio tuning in the domain XML, against libvirt 9.0's test driver. */
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { DomainModificationImpact as M, TypedParameterType as T, typedParams } from '@virtkit/core';
import { testIf } from '@virtkit/testkit';
import { open } from './helpers';

const NODE = path.resolve(__dirname, '../../../test/fixtures/libvirt-virsh/examples/xml/test/testnode.xml');

/** The <iothreads>, <iothreadids>, <cputune> and <blkiotune> elements of a domain XML. */
function tuning(xml: string): string[] {
  return ['iothreads', 'iothreadids', 'cputune', 'blkiotune'].map((n) => new RegExp(`  <${n}>[\\s\\S]*?</${n}>\\n`).exec(xml)?.[0] ?? '');
}

const VIRSH_STEPS =
  'iothreadadd fc4 6; iothreaddel fc4 2; iothreadpin fc4 4 1-2; iothreadadd fc4 8 --config; ' +
  'blkiotune fv0 --weight 500 --device-weights /dev/hda,1000 --device-read-iops-sec /dev/sdb,5';

testIf('virsh 9.0')('IOThread, pin and blkio changes appear in the XML as libvirt writes them', async () => {
  const c = await open(`test://${NODE}`);
  try {
    const fc4 = await c.domainLookupByName('fc4');
    const fv0 = await c.domainLookupByName('fv0');
    await c.domainAddIOThread(fc4, 6, 0);
    await c.domainDelIOThread(fc4, 2, 0);
    await c.domainPinIOThread(fc4, 4, Uint8Array.of(0b110), 0);
    await c.domainAddIOThread(fc4, 8, M.VIR_DOMAIN_AFFECT_CONFIG);
    await c.domainSetBlkioParameters(
      fv0,
      typedParams([
        { field: 'weight', type: T.VIR_TYPED_PARAM_UINT, value: 500 },
        { field: 'device_weight', type: T.VIR_TYPED_PARAM_STRING, value: '/dev/hda,1000' },
        { field: 'device_read_iops_sec', type: T.VIR_TYPED_PARAM_STRING, value: '/dev/sdb,5' },
      ]),
      0,
    );
    const virsh = (cmd: string) =>
      execFileSync('virsh', ['-c', `test://${NODE}`, `${VIRSH_STEPS}; ${cmd}`], { encoding: 'utf8', timeout: 30_000 });
    for (const [dom, ref, flags] of [
      ['fc4', fc4, 0],
      ['fc4', fc4, 2],
      ['fv0', fv0, 0],
    ] as const) {
      const theirs = virsh(`dumpxml ${dom}${flags ? ' --inactive' : ''}`);
      expect([dom, flags, tuning(await c.domainGetXMLDesc(ref, flags))]).toEqual([dom, flags, tuning(theirs)]);
    }
  } finally {
    await c.close();
  }
});
