/** vsh against virsh 9.0: domain lifecycle and information commands. */
import { compareAll, maskCpuTime } from './harness';

compareAll({
  list: { script: 'list; list --all; list --inactive; list --table' },
  'list --name/--uuid': { script: 'define demo.xml; list --all --name; list --uuid; list --all --uuid --name' },
  'list state filters': {
    script: 'define demo.xml; list --state-running; list --state-shutoff; list --all --state-shutoff; list --persistent; list --autostart',
  },
  'list quiet': { script: 'define demo.xml; list --all', globals: ['-q', '-c', 'test:///default'] },
  dominfo: { script: 'dominfo test; define demo.xml; dominfo demo', mask: maskCpuTime },
  'dominfo by id and uuid': { script: 'dominfo 1; dominfo 6695eb01-f6a4-8304-79aa-97f2502e193f', mask: maskCpuTime },
  'dominfo paused, destroyed and read-only': { script: 'suspend test; dominfo test; destroy test; dominfo test', mask: maskCpuTime },
  'dominfo read-only': { script: 'dominfo test', globals: ['-r', '-c', 'test:///default'], mask: maskCpuTime },
  'dominfo missing domain': { script: 'dominfo nope; dominfo 42; dominfo 6695eb01-f6a4-8304-79aa-97f2502e193e' },
  domstate: { script: 'domstate test; domstate test --reason; domstate nope' },
  domid: { script: 'define demo.xml; domid test; domid demo; domid 6695eb01-f6a4-8304-79aa-97f2502e193f; domid nope' },
  domname: { script: 'domname 1; domname 6695eb01-f6a4-8304-79aa-97f2502e193f; domname test' },
  domuuid: { script: 'domuuid test; domuuid 1; domuuid nope' },
  dumpxml: { script: 'dumpxml test; dumpxml test --inactive; dumpxml test --security-info; dumpxml nope' },
  define: { script: 'define demo.xml; list --all; define missing.xml' },
  undefine: { script: 'define demo.xml; undefine demo; list --all; undefine nope' },
  'undefine with snapshot metadata': {
    script: 'define demo.xml; snapshot-create-as demo s; undefine demo; undefine demo --snapshots-metadata; list --all',
  },
  'undefine with checkpoint metadata': { script: 'define demo.xml; undefine demo --checkpoints-metadata; list --all' },
  create: { script: 'create demo.xml; list --all; domstate demo --reason; create missing.xml' },
  start: { script: 'define demo.xml; start demo; list; start demo; start test; start nope' },
  'start --paused/--force-boot': {
    script: 'define demo.xml; start demo --paused; domstate demo --reason; destroy demo; start demo --force-boot; list --all',
  },
  'create --validate': { script: 'create demo.xml --validate; domstate demo --reason' },
  shutdown: { script: 'define demo.xml; shutdown demo; start demo; shutdown demo; domstate demo --reason' },
  destroy: { script: 'destroy test; domstate test --reason; destroy test' },
  'destroy read-only': { script: 'destroy test', globals: ['-c', 'test:///default', '-r'] },
  suspend: { script: 'suspend test; domstate test --reason; suspend test; destroy test; suspend test' },
  resume: { script: 'resume test; suspend test; resume test; domstate test --reason' },
  reboot: { script: 'reboot test; destroy test; reboot test' },
  reset: { script: 'reset test; destroy test; reset test' },
  autostart: {
    script: 'define demo.xml; autostart demo; dominfo demo; autostart demo --disable; list --all --autostart; autostart nope',
    mask: maskCpuTime,
  },
  'lifecycle quiet': {
    script: 'define demo.xml; start demo; suspend demo; resume demo; destroy demo; undefine demo',
    globals: ['-q', '-c', 'test:///default'],
  },
});

compareAll({
  'undefine option checks': {
    script:
      'undefine test --remove-all-storage; undefine test --storage vda; undefine test --wipe-storage; ' +
      'undefine test --delete-storage-volume-snapshots; undefine test --nvram --keep-nvram; undefine test --tpm --keep-tpm; undefine nope',
  },
  'undefine --remove-all-storage of an unmanaged disk': {
    script: 'destroy test; undefine test --remove-all-storage --wipe-storage; list --all',
  },
  'undefine --storage with an unknown target': { script: 'destroy test; undefine test --storage /guest/diskimage1,vdx; list --all' },
  'undefine falls back from refused flags': {
    script:
      'destroy test; undefine test --snapshots-metadata --checkpoints-metadata --nvram --managed-save; undefine test --keep-nvram; list --all',
  },
  'undefine --checkpoints-metadata, --tpm, --keep-tpm': { script: 'destroy test; undefine test --checkpoints-metadata; list --all' },
  'undefine --tpm': { script: 'destroy test; undefine test --tpm; list --all' },
  'undefine --delete-snapshots alias': { script: 'destroy test; undefine test --delete-snapshots --remove-all-storage; list --all' },
  'undefine with snapshots': {
    script: 'destroy test; snapshot-create-as test s1; undefine test; undefine test --snapshots-metadata; list --all',
    mask: (o) => ({ ...o, stdout: o.stdout.replace(/Domain snapshot s1 created.*/, 'Domain snapshot s1 created') }),
  },
});
