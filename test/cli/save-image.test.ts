/** vsh against virsh 9.0: save-image-dumpxml and save-image-define on the test driver, byte for byte. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { compareAll, maskCpuTime } from './harness';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vsh-save-image-'));
const img = path.join(dir, 'test.img');
const edited = path.join(dir, 'edited.xml');
fs.writeFileSync(
  edited,
  "<domain type='test'><name>test</name><uuid>6695eb01-f6a4-8304-79aa-97f2502e193f</uuid><description>edited in the image</description>" +
    "<memory unit='KiB'>8388608</memory><vcpu>2</vcpu><os><type arch='i686'>hvm</type></os></domain>",
);
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

compareAll({
  'save-image-dumpxml and save-image-define of a saved test domain': {
    script:
      `save test ${img}; save-image-dumpxml ${img}; save-image-dumpxml ${img} --xpath //name; ` +
      `save-image-dumpxml ${img} --security-info --xpath //memory --wrap; ` +
      `save-image-define ${img} ${edited} --paused; save-image-dumpxml ${img}; restore ${img}; dominfo test; ` +
      `save-image-dumpxml ${dir}/none.img; save-image-define ${dir}/none.img ${edited}; save-image-define ${img} ${dir}/none.xml`,
    mask: maskCpuTime,
  },
});
