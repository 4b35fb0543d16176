/**
 * virsh's view of the network driver, virtkitd next to libvirtd 9.0: the same sequence of
 * `virsh net-*` commands (define, start, start again, dumpxml live and inactive, autostart,
 * create/undefine/destroy of a transient network, a bad definition, undefine of a running one,
 * net-update, unknown names) against each daemon, each in a network namespace of its own; UUIDs
 * and generated MACs masked, the two transcripts written to DIR/ours.txt and DIR/libvirt.txt and
 * compared. Exit status 1 when they differ.
 *
 *   npx tsx bench/network-diff.ts [DIR]      (root, libvirtd 9.0)
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { makeNetNs, startDaemon } from '@virtkit/testkit';
import { PrivateLibvirtd } from './qemu-compare/libvirtd';

const OUT = process.argv[2] ?? path.join(os.tmpdir(), 'network-diff');

const XML = `<network>
  <name>cmpnet</name>
  <forward mode='nat'/>
  <ip address='192.168.190.1' netmask='255.255.255.0'>
    <dhcp><range start='192.168.190.2' end='192.168.190.254'/></dhcp>
  </ip>
</network>
`;
async function main() {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'netcmp-'));
  const ns = makeNetNs('netcmp');
  const daemon = await startDaemon(['--qemu-root', path.join(work, 'root')], {}, ns.exec([]));
  const ns2 = makeNetNs('netcmp2');
  const lv = new PrivateLibvirtd(path.join(work, 'libvirt'), ns2.exec([]));
  fs.writeFileSync(path.join(work, 'n.xml'), XML);
  fs.writeFileSync(path.join(work, 'n2.xml'), XML.replace('cmpnet', 'cmpnet2').replace(/190/g, '191'));
  fs.writeFileSync(path.join(work, 'bad.xml'), `<network><name>bad</name><forward mode='nat'/></network>`);
  try {
    await lv.start();
    const uris = [`qemu+unix:///system?socket=${daemon.sock}`, lv.uri];
    const seq = [
      ['net-define', 'n.xml'],
      ['net-list', '--all'],
      ['net-info', 'cmpnet'],
      ['net-dumpxml', 'cmpnet'],
      ['net-start', 'cmpnet'],
      ['net-start', 'cmpnet'],
      ['net-dumpxml', 'cmpnet'],
      ['net-dumpxml', '--inactive', 'cmpnet'],
      ['net-list'],
      ['net-autostart', 'cmpnet'],
      ['net-list', '--autostart'],
      ['net-info', 'cmpnet'],
      ['net-dhcp-leases', 'cmpnet'],
      ['net-create', 'n2.xml'],
      ['net-undefine', 'cmpnet2'],
      ['net-autostart', 'cmpnet2'],
      ['net-destroy', 'cmpnet2'],
      ['net-info', 'cmpnet2'],
      ['net-create', 'bad.xml'],
      ['net-undefine', 'cmpnet'],
      ['net-list', '--all'],
      ['net-info', 'cmpnet'],
      ['net-destroy', 'cmpnet'],
      ['net-destroy', 'cmpnet'],
      ['net-list', '--all'],
      ['net-uuid', 'nosuch'],
      ['net-define', 'n.xml'],
      ['net-update', 'cmpnet', 'add', 'ip-dhcp-host', "<host mac='52:54:00:00:00:99' ip='192.168.190.99'/>", '--config'],
      ['net-dumpxml', 'cmpnet'],
      ['net-undefine', 'cmpnet'],
    ];
    const outs = uris.map(() => [] as string[]);
    for (const args of seq) {
      uris.forEach((u, i) => {
        const r = spawnSync('sh', ['-c', 'exec virsh "$@" 2>&1', 'virsh', '-c', u, ...args], { cwd: work, encoding: 'utf8' });
        outs[i]!.push(
          `$ virsh ${args.join(' ')}\n${r.stdout.replace(/[0-9a-f]{8}-[0-9a-f-]{27}/g, 'UUID').replace(/52:54:00(:[0-9a-f]{2}){3}/g, 'MAC')}`,
        );
      });
    }
    fs.mkdirSync(OUT, { recursive: true });
    fs.writeFileSync(path.join(OUT, 'ours.txt'), outs[0]!.join(''));
    fs.writeFileSync(path.join(OUT, 'libvirt.txt'), outs[1]!.join(''));
    const same = outs[0]!.join('') === outs[1]!.join('');
    console.log(same ? `identical (${seq.length} commands)` : `differ: diff ${OUT}/ours.txt ${OUT}/libvirt.txt`);
    if (!same) process.exitCode = 1;
  } finally {
    await lv.stop();
    lv.removeMountPoints();
    await daemon.stop();
    ns.remove();
    ns2.remove();
    fs.rmSync(work, { recursive: true, force: true });
  }
}
main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
