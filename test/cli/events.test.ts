/** vsh against virsh 9.0: the event command (one process: no event can arrive while it waits). */
import { compareAll } from './harness';

compareAll({
  'event --list': { script: 'event --list' },
  'event --all --timeout': { script: 'event --all --timeout 1' },
  'event --event --loop --timeout': { script: 'event --event lifecycle --loop --timeout 1' },
  'event --domain': { script: 'event --domain test --event reboot --timeout 1; event --domain nope --all --timeout 1' },
  'event errors': { script: 'event; event --event foo; event --all --timeout 0; event --all --timeout x' },
});
