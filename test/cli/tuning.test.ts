/** vsh against virsh 9.0: setmem, setmaxmem, setvcpus and schedinfo on libvirt's test driver. */
import { compareAll, maskCpuTime } from './harness';

compareAll({
  'setmem live, then dominfo': { script: 'setmem test 1024; dominfo test', mask: maskCpuTime },
  'setmem with a unit and --config': { script: 'setmem test 1M --config; dumpxml test --inactive' },
  'setmem above the maximum': { script: 'setmem test 99999999' },
  'setmem: malformed size': { script: 'setmem test 12x' },
  'setmem: exclusive options': { script: 'setmem test 1024 --current --live' },
  'setmaxmem on a running domain': { script: 'setmaxmem test 4096000' },
  'setmaxmem --config lowers current memory too': { script: 'setmaxmem test 1000 --config; dumpxml test --inactive' },
  'setvcpus live and config': { script: 'setvcpus test 1; vcpucount test; setvcpus test 1 --config; vcpucount test' },
  'setvcpus --maximum --config': { script: 'setvcpus test 1 --maximum --config; vcpucount test; dumpxml test --inactive' },
  'setvcpus: limits': { script: 'setvcpus test 0; setvcpus test 99; setvcpus test 3' },
  'setvcpus: --maximum needs --config': { script: 'setvcpus test 2 --maximum' },
  'setvcpus on a shut-off domain': { script: 'destroy test; setvcpus test 1; vcpucount test; setvcpus test 1 --live' },
  schedinfo: { script: 'schedinfo test; schedinfo test --set weight=100; schedinfo 1' },
  'schedinfo: unknown parameter': { script: 'schedinfo test --set cap=5' },
  'schedinfo: bad value': { script: 'schedinfo test --set weight=abc' },
  vcpucount: {
    script: 'vcpucount test --maximum; vcpucount test --live --maximum; vcpucount test --config; vcpucount test --active --maximum',
  },
  'vcpucount --guest': { script: 'vcpucount test --guest' },
  'help of the tuning commands': { script: 'help setmem; help setmaxmem; help setvcpus; help vcpucount' },
});
