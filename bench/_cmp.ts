import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { startSweepPeers } from '@virtkit/testkit';
function run(args: string[]) { const r = spawnSync('virsh', args, { encoding: 'utf8' }); return r.stdout + r.stderr; }
async function main() {
  const peers = await startSweepPeers();
  try {
    for (const f of process.argv.slice(2)) {
      const name = /<name>([^<]+)</.exec(fs.readFileSync(f, 'utf8'))![1];
      for (const [side, uri] of [['libvirt', peers.libvirtUri], ['virtkit', peers.virtkitUri]]) {
        process.stdout.write(side + ': ' + run(['-c', uri, 'define', f]));
        fs.writeFileSync(`/tmp/hx/${side}.xml`, run(['-c', uri, 'dumpxml', '--inactive', name]));
        run(['-c', uri, 'undefine', name]);
      }
      process.stdout.write(spawnSync('diff', ['/tmp/hx/libvirt.xml', '/tmp/hx/virtkit.xml'], { encoding: 'utf8' }).stdout);
    }
  } finally { await peers.stop(); }
}
void main();
