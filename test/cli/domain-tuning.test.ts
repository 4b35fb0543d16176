/** vsh against virsh 9.0: setmem, setmaxmem, setvcpus, vcpucount, domcontrol, schedinfo and cpu-stats's option checks. */
import { compareAll, maskCpuTime } from './harness';

compareAll({
  setmem: {
    script: 'setmem test 1000; dominfo test; setmem test 9999999; setmem test 1G --config; dumpxml test --inactive',
    mask: maskCpuTime,
  },
  'setmem impact flags': {
    script: 'setmem test 1000 --current --live; destroy test; setmem test 1000 --live; setmem test 1000 --current; dominfo test',
    mask: maskCpuTime,
  },
  setmaxmem: {
    script: 'setmaxmem test 42MB --config; dumpxml test --inactive; setmaxmem test 4096; destroy test; setmaxmem test 2048; dominfo test',
    mask: maskCpuTime,
  },
  'setmaxmem bad sizes': {
    script:
      'setmaxmem test abc; setmaxmem test 42WB; setmaxmem test -1; setmaxmem test 0; setmaxmem test 99999999999999999T --config; setmaxmem test 1KB --config',
  },
  setvcpus: {
    script:
      'setvcpus test 1; vcpucount test; setvcpus test 3; setvcpus test 3 --maximum --config; setvcpus test 3 --config; vcpucount test',
  },
  'setvcpus checks': {
    script:
      'setvcpus test 0; setvcpus test -1; setvcpus test 33; setvcpus test 2 --maximum; setvcpus test 2 --guest --config; setvcpus test 2 --maximum --live --config',
  },
  'setvcpus on an inactive and a transient domain': {
    script:
      'destroy test; setvcpus test 1; setvcpus test 1 --config; vcpucount test; create demo.xml; setvcpus demo 1 --config; vcpucount demo',
  },
  vcpucount: {
    script:
      'vcpucount test --maximum; vcpucount test --live --active; vcpucount test --current; vcpucount test --config --maximum; vcpucount test --live --config; vcpucount test --active --maximum',
  },
  schedinfo: {
    script: 'schedinfo test; schedinfo 1 --set j=k; schedinfo test --set weight=100; schedinfo test --set weight; schedinfo nope',
  },
  'schedinfo with impact flags': {
    script:
      'schedinfo test --weight 100 --config; schedinfo test --live --config; schedinfo test --current; destroy test; schedinfo test --live',
  },
  domcontrol: { script: 'domcontrol test; destroy test; domcontrol test; domcontrol nope' },
  'cpu-stats option checks': {
    script:
      'cpu-stats test --start abc; cpu-stats test --start 42MB; cpu-stats test --start 2147483648; cpu-stats test --start -1; cpu-stats test --count -1; cpu-stats nope',
  },
});
