/** vsh against virsh 9.0: host and connection commands. */
import { compareAll } from './harness';

compareAll({
  uri: { script: 'uri' },
  version: { script: 'version' },
  hostname: { script: 'hostname' },
  nodeinfo: { script: 'nodeinfo' },
  capabilities: { script: 'capabilities' },
  'uri read-only': { script: 'uri', globals: ['-c', 'test:///default', '-r'] },
  'quiet: several commands': { script: 'uri; hostname; nodeinfo', globals: ['-q', '-c', 'test:///default'] },
  'argv form': { script: ['nodeinfo'] },
});
