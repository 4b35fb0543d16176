/** vsh against virsh 9.0: domstats and the host monitoring commands on libvirt's test driver. */
import { compareAll } from './harness';

compareAll({
  'domstats: every domain, every group': { script: 'domstats' },
  'domstats: named domain, by id and by name': { script: 'domstats 1 test' },
  'domstats: state group, raw': { script: 'domstats --state --raw' },
  'domstats: a group the driver lacks is left out': { script: 'domstats --balloon' },
  'domstats: --enforce refuses it': { script: 'domstats --enforce --balloon --state' },
  'domstats: list filters': { script: 'domstats --list-inactive; domstats --list-running --list-persistent' },
  'domstats: filter applied to named domains': { script: 'domstats --list-inactive test' },
  'domstats: after destroy': { script: 'destroy test; domstats; domstats --list-shutoff --iothread' },
  'domstats: unknown domain': { script: 'domstats test nosuch' },
  'help domstats': { script: 'help domstats' },
  nodecpumap: { script: 'nodecpumap; nodecpumap --pretty' },
  nodecpustats: { script: 'nodecpustats; nodecpustats --cpu 2; nodecpustats --cpu 99' },
  'nodecpustats --percent': { script: 'nodecpustats --percent' },
  'nodecpustats: bad number': { script: 'nodecpustats --cpu x' },
  'nodememstats: not in the test driver': { script: 'nodememstats' },
  freecell: { script: 'freecell; freecell --all; freecell --cellno 1' },
  'freecell: out of range': { script: 'freecell --cellno 5' },
  'freecell: negative': { script: 'freecell --cellno -1' },
  'freecell: exclusive options': { script: 'freecell --all --cellno 0' },
  'help of the node commands': { script: 'help nodecpumap; help nodecpustats; help nodememstats; help freecell' },
});
