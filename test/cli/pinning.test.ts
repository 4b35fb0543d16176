/** vsh against virsh 9.0: vcpupin and emulatorpin on the test driver, byte for byte. */
import { compareAll } from './harness';

compareAll({
  'vcpupin queries, pins a running domain and writes the pins into its XML': {
    script:
      'vcpupin test; vcpupin test 0 1-2; vcpupin test; vcpupin test 1; vcpupin test 0 --config; vcpupin test 1 r; ' +
      'vcpupin test 1 4 --current; vcpupin test --live; dumpxml test',
  },
  'vcpupin errors': {
    script:
      'vcpupin test a 0,1; vcpupin test 100 0,1; vcpupin test -100 0,1; vcpupin test --cpulist 0,1; vcpupin test 100 --live; ' +
      'vcpupin test 100; vcpupin test 100 --config; vcpupin test 100 --current; vcpupin test 1 ^1; vcpupin test 1 0-100; ' +
      'vcpupin test 1 x; vcpupin test 0 3 --live; vcpupin test 1 5 --live --config; vcpupin test 0 1 --current --live',
  },
  'vcpupin and emulatorpin of an inactive domain': {
    script:
      'define pin-ina.xml; vcpupin ina; vcpupin ina 1 2; vcpupin ina 1 3 --live; vcpupin ina 5; vcpupin ina 0 1 --current; ' +
      'vcpupin ina --live; vcpupin ina 1 2 --config; emulatorpin ina 1; emulatorpin ina; emulatorpin ina 1 --config; ' +
      'emulatorpin ina; emulatorpin ina --live; dumpxml ina',
  },
  'emulatorpin of a running domain, live and persistent': {
    script:
      'emulatorpin test; emulatorpin test 1-2; emulatorpin test; emulatorpin test --config; emulatorpin test r --config; ' +
      'emulatorpin test 3 --live; emulatorpin test 4 --current; emulatorpin test 5; emulatorpin test; emulatorpin test --config; ' +
      'dumpxml test --inactive; emulatorpin test 0-100',
  },
});
