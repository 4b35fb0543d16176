/**
 * The command line for the real host where it differs from libvirt's fd-passing one: a tap the
 * driver made is opened by QEMU by name, and direct kernel boot writes -kernel/-initrd/-append.
 */
import * as path from 'node:path';
import { latestCaps, testHostContext } from '@virtkit/testkit';
import { parseDomainXml } from '@virtkit/xml';
import { buildCommandLine, qemuArgvParseHooks } from '../../src';

const FIXTURES = path.resolve(__dirname, '../../../../test/fixtures');

function argv(devices: string, os = '', named = true): string[] {
  const caps = latestCaps(FIXTURES);
  const ctx = testHostContext(FIXTURES);
  // The real host's answer: the tap exists, QEMU opens it itself.
  if (named) ctx.openTap = (ifname) => ({ ifname: ifname ?? 'missing', fds: [] });
  ctx.openVhostNet = () => [];
  const xml =
    `<domain type='qemu'><name>n</name><uuid>c7a5fdbd-edaf-9455-926a-d65c16db1809</uuid><memory unit='MiB'>64</memory>` +
    `<os><type arch='x86_64' machine='pc'>hvm</type>${os}</os><devices>${devices}</devices></domain>`;
  return buildCommandLine(parseDomainXml(xml, qemuArgvParseHooks(caps, ctx)), caps, ctx).argv;
}

const after = (args: string[], opt: string) => args.filter((_, i) => args[i - 1] === opt);

describe('host command line for NICs and kernel boot', () => {
  test('a tap opened by name: ifname, no scripts, no fd, no vhost', () => {
    const nic = `<interface type='ethernet'><mac address='52:54:00:11:22:33'/><target dev='mytap7'/><model type='virtio'/></interface>`;
    expect(after(argv(nic), '-netdev').map((a) => JSON.parse(a))).toEqual([
      { type: 'tap', ifname: 'mytap7', script: 'no', downscript: 'no', id: 'hostnet0' },
    ]);
  });

  test('multiqueue by name says how many queues', () => {
    const nic = `<interface type='bridge'><source bridge='br0'/><target dev='mytap1'/><model type='virtio'/><driver queues='2'/></interface>`;
    expect(JSON.parse(after(argv(nic), '-netdev')[0]!)).toMatchObject({ ifname: 'mytap1', queues: 2 });
  });

  test('the corpus host still passes descriptors', () => {
    const nic = `<interface type='ethernet'><target dev='mytap7'/><model type='virtio'/></interface>`;
    expect(JSON.parse(after(argv(nic, '', false), '-netdev')[0]!)).toMatchObject({ type: 'tap', fd: '3' });
  });

  test('direct kernel boot follows -boot in libvirt order', () => {
    const args = argv('', '<kernel>/k</kernel><initrd>/i</initrd><cmdline>console=ttyS0 x</cmdline>');
    const at = args.indexOf('-boot');
    expect(args.slice(at + 2, at + 8)).toEqual(['-kernel', '/k', '-initrd', '/i', '-append', 'console=ttyS0 x']);
  });
});
