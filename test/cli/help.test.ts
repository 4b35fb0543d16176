/** vsh against virsh 9.0: `help <command>` pages of the storage, disk, block job, backup and checkpoint commands. */
import { compareAll } from './harness';

const SAME_AS_VIRSH = [
  'pool-define',
  'pool-create',
  'pool-define-as',
  'pool-create-as',
  'pool-build',
  'pool-start',
  'pool-refresh',
  'pool-destroy',
  'pool-delete',
  'pool-undefine',
  'pool-autostart',
  'pool-uuid',
  'pool-name',
  'vol-create',
  'vol-create-from',
  'vol-clone',
  'vol-delete',
  'vol-wipe',
  'vol-resize',
  'vol-path',
  'vol-key',
  'vol-name',
  'vol-pool',
  'vol-upload',
  'vol-download',
  'undefine',
  'domjobabort',
  'checkpoint-info',
  'checkpoint-parent',
  'blockcommit',
  'blockcopy',
  'blockpull',
];

compareAll(Object.fromEntries(SAME_AS_VIRSH.map((c) => [`help ${c}`, { script: `help ${c}` }])));

compareAll({ 'help of an unknown command': { script: 'help no-such-command' } });
