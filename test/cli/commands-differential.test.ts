/**
 * The differential table: command lines run through real virsh 9.0 and through vsh on
 * test:///default, stdout, stderr and exit code compared byte for byte, grouped by area. Values
 * the test driver derives from the wall clock (CPU time, block counters, creation times) and
 * the editor's random temporary file name are masked alike on both sides.
 */
import { testIf } from '@virtkit/testkit';
import { compareAll, maskCpuTime, runVirsh, runVsh, type Outcome, type Scenario } from './harness';

/** Masks for values that differ between any two runs of the test driver. */
const maskClock = (o: Outcome): Outcome => ({
  ...o,
  stdout: o.stdout
    .replace(/^(CPU time:? +)\d+\.\ds$/gm, '$1<masked>')
    .replace(/^((?:vd\w+ )?\s*(?:rd_req|rd_bytes|wr_req|wr_bytes|errs|number of [a-z ]+:|error count:)\s+)\d+$/gm, '$1<n>')
    .replace(/\d{4}-\d\d-\d\d \d\d:\d\d:\d\d [+-]\d{4}/g, '<time>'),
  stderr: o.stderr.replace(/virsh[A-Za-z0-9]{6}\.xml/g, 'virshXXXXXX.xml'),
});

/** A scenario with the editor it runs under, set as $VISUAL for both programs while it runs. */
type EditorScenario = Scenario & { editor?: string };

/** A scenario run with `editor` as $VISUAL (a script in test/fixtures/cli/editors, or a command). */
const withEditor = (editor: string, script: string): EditorScenario => ({ script, editor, mask: maskClock });

const DOMAIN: Record<string, EditorScenario> = {
  'attach-disk --print-xml needs no domain': { script: 'attach-disk --print-xml nosuch /a vdb --address pci:0.0.5.0 --multifunction' },
  'attach-disk: network source with host and port': {
    script: 'attach-disk test vol sdb --sourcetype network --source-protocol nbd --source-host-name h:10809 --print-xml',
  },
  'attach-disk: live attach then a wrong address': {
    script: 'attach-disk test /tmp/x vdc; attach-disk test /tmp/y hdc --address sata:0.0.1',
  },
  'attach-disk: bad wwn': { script: 'attach-disk test /tmp/x vdb --wwn 12' },
  vcpuinfo: { script: 'vcpuinfo test; vcpuinfo test --pretty', mask: maskClock },
  'vcpuinfo: shut off domain uses the config pinning': { script: 'destroy test; vcpuinfo test; vcpuinfo 1' },
  'domdisplay / vncdisplay / ttyconsole on a domain without graphics': { script: 'domdisplay test; vncdisplay test; ttyconsole test' },
  'domdisplay: every scheme, passwords, wildcard listens': {
    script:
      'create graphics-domain.xml; domdisplay g; domdisplay g --all; domdisplay g --all --include-password; domdisplay g --type spice; vncdisplay g',
  },
  'domdisplay: exclusive options, shut off domain': {
    script: 'domdisplay test --all --type vnc; destroy test; domdisplay test; vncdisplay test',
  },
  'update-memory-device: by node, printed, resized': {
    script:
      'define memory-devices.xml; update-memory-device m --node 0 --print-xml; update-memory-device m --node 1 --print-xml; ' +
      'update-memory-device m --print-xml --node 0 --requested-size 1G --config; update-memory-device m --node 0 --requested-size 1000 --print-xml',
  },
  'update-memory-device: refusals': {
    script:
      'define memory-devices.xml; update-memory-device m --print-xml; update-memory-device m --node 1 --requested-size 1G; ' +
      'update-memory-device m --alias x; update-memory-device m --node 0 --requested-size 1x; update-memory-device test --node 1 --alias x; update-memory-device test',
  },
  'update-memory-device: the update call': {
    script: 'define memory-devices.xml; update-memory-device m --node 0 --requested-size 1G --live',
  },
  'edit: unchanged': withEditor('./editors/unchanged.sh', 'edit test'),
  'edit: memory changed': withEditor('./editors/set-memory.sh', 'edit test; dominfo test'),
  'edit: invalid document without a terminal': withEditor('./editors/truncate.sh', 'edit test; edit test --skip-validate'),
  'edit: failing editor': withEditor('false', 'edit test'),
  'edit: editor not on PATH': withEditor('no-such-editor-virtkit', 'edit test'),
  'edit: editor through the shell': withEditor('sh -c false', 'edit test'),
  'edit: unknown domain': withEditor('true', 'edit nosuch'),
};

const MONITOR: Record<string, EditorScenario> = {
  dommemstat: { script: 'dommemstat test; dommemstat test --period 2; dommemstat test --period -3' },
  'dommemstat: exclusive options': { script: 'dommemstat test --current --config' },
  domblkstat: { script: 'domblkstat test vda; domblkstat test vda --human', mask: maskClock },
  'domblkstat: every device or an unknown one': { script: 'domblkstat test; domblkstat test hdz' },
  domiflist: { script: 'domiflist test; domiflist test --inactive; domiflist nosuch' },
};

const HOST: Record<string, EditorScenario> = {
  sysinfo: { script: 'sysinfo' },
  maxvcpus: { script: 'maxvcpus; maxvcpus --type kvm' },
  'domcapabilities: not in the test driver': { script: 'domcapabilities; domcapabilities --virttype kvm --arch x86_64' },
};

const OBJECTS: Record<string, EditorScenario> = {
  'net-edit': withEditor('./editors/net-bridge.sh', 'net-edit default; net-dumpxml default'),
  'net-edit: unchanged': withEditor('true', 'net-edit default'),
  'pool-edit: unchanged': withEditor('true', 'pool-edit default-pool; pool-edit nosuch'),
  'iface-edit: unchanged': withEditor('true', 'iface-edit eth1'),
  'snapshot-edit: unchanged, and by --current': withEditor(
    'true',
    'snapshot-create-as test s1; snapshot-edit test s1; snapshot-edit test --current',
  ),
  'snapshot-edit: rename needs --rename or --clone': withEditor(
    './editors/rename-s1.sh',
    'snapshot-create-as test s1; snapshot-edit test s1; snapshot-list test',
  ),
  'snapshot-edit: --clone and --rename': withEditor(
    './editors/rename-s1.sh',
    'snapshot-create-as test s1; snapshot-edit test s1 --clone; snapshot-edit test s1 --rename; snapshot-list test --name',
  ),
  'snapshot-edit: no name, exclusive options': withEditor('true', 'snapshot-edit test; snapshot-edit test --rename --clone'),
  'iface-bridge and iface-unbridge': {
    script:
      'iface-bridge eth1 br0 --delay 5; iface-list --all; iface-dumpxml br0; iface-unbridge br0; iface-list --all; iface-dumpxml eth1',
  },
  'iface-bridge --no-stp --no-start': {
    script: 'iface-bridge eth1 br0 --no-stp --no-start; iface-dumpxml br0 --inactive; iface-unbridge br0 --no-start',
  },
  'iface-bridge / iface-unbridge refusals': {
    script:
      'iface-bridge eth1 eth1; iface-bridge nosuch br0; iface-unbridge eth1; iface-unbridge lo; iface-bridge eth1 br0; iface-bridge br0 br1',
  },
  'iface-bridge: a bad delay also reports the failed lookup': { script: 'iface-bridge eth1 br0 --delay x' },
  'checkpoint-edit': withEditor('true', 'checkpoint-create-as test c1; checkpoint-edit test c1; checkpoint-edit test'),
};

function compareWithEditors(table: Record<string, EditorScenario>): void {
  for (const [name, s] of Object.entries(table)) {
    if (s.editor === undefined) {
      compareAll({ [name]: s });
      continue;
    }
    const editor = s.editor;
    describe(`VISUAL=${editor}`, () => {
      const saved = process.env.VISUAL;
      beforeAll(() => void (process.env.VISUAL = editor));
      afterAll(() => {
        if (saved === undefined) delete process.env.VISUAL;
        else process.env.VISUAL = saved;
      });
      compareAll({ [name]: s });
    });
  }
}

describe('domain', () => compareWithEditors(DOMAIN));
describe('monitor', () => compareWithEditors(MONITOR));
describe('host', () => compareWithEditors(HOST));
describe('network, pool, interface, snapshot, checkpoint', () => compareWithEditors(OBJECTS));

// The comparison itself must be able to fail: a differing pair is caught.
testIf('virsh 9.0')('the comparison notices a difference', async () => {
  const args = ['-c', 'test:///default'];
  const virsh = maskCpuTime(runVirsh([...args, 'list']));
  const vsh = maskCpuTime(await runVsh([...args, 'list --inactive']));
  expect(vsh).not.toEqual(virsh);
});
