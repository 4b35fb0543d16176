/** The test driver's core dumps against libvirt 9.0's (python3-libvirt on test:///default): file, errors and state. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DomainCoreDumpFlags as D, DomainCoreDumpFormat as F } from '@virtkit/core';
import { testIf } from '@virtkit/testkit';
import { failure, open, py } from './helpers';

testIf('libvirt-python')('dumps, refuses and crashes as libvirt does', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vk-test-dump-'));
  try {
    const theirs = py(`d = c.lookupByName("test")
d.coreDump("${dir}/theirs.core", 0)
out = [err(lambda: d.coreDumpWithFormat("${dir}/theirs.kdump", 1, 0)), err(lambda: d.coreDump("${dir}/x", 2 | 1)),
       err(lambda: d.coreDumpWithFormat("${dir}/x", 7, 0)), err(lambda: d.coreDump("${dir}/x", 16))]
d.coreDump("${dir}/theirs.crash", 1)
out.append(d.state())`) as unknown[];
    const c = await open();
    const d = await c.domainLookupByName('test');
    await c.domainCoreDump(d, `${dir}/ours.core`, 0);
    const ours: unknown[] = [
      await failure(c.domainCoreDumpWithFormat(d, `${dir}/ours.kdump`, F.VIR_DOMAIN_CORE_DUMP_FORMAT_KDUMP_ZLIB, 0)),
      await failure(c.domainCoreDump(d, `${dir}/x`, D.VIR_DUMP_LIVE | D.VIR_DUMP_CRASH)),
      await failure(c.domainCoreDumpWithFormat(d, `${dir}/x`, 7, 0)),
      await failure(c.domainCoreDump(d, `${dir}/x`, D.VIR_DUMP_MEMORY_ONLY)),
    ];
    await c.domainCoreDump(d, `${dir}/ours.crash`, D.VIR_DUMP_CRASH);
    const st = await c.domainGetState(d, 0);
    ours.push([st.state, st.reason]);
    expect(ours).toEqual(theirs);
    expect(fs.readFileSync(`${dir}/ours.core`)).toEqual(fs.readFileSync(`${dir}/theirs.core`));
    expect(fs.readFileSync(`${dir}/ours.kdump`)).toEqual(fs.readFileSync(`${dir}/theirs.kdump`));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
