/** inject-nmi, domrename, desc and metadata: vsh prints what virsh 9.0 prints on test:///default, byte for byte. */
import { compareAll, maskCpuTime } from './harness';

compareAll({
  'inject-nmi on a running and a shut-off domain': { script: 'inject-nmi test; destroy test; inject-nmi test' },
  domrename: {
    script: 'domrename test t2; destroy test; domrename test test; domrename test a/b; domrename test t2; dominfo t2; domrename t2 test',
    mask: maskCpuTime,
  },
  'desc and its title, live and persistent': {
    script:
      "desc test; desc test --title; desc test --new-desc hello world; desc test; desc test --title --new-desc 'a\nb'; " +
      "destroy test; desc test --config --title --new-desc Tt; desc test --title --config; desc test --title --live; desc test --new-desc ''; desc test",
  },
  'metadata set, get, replace and remove': {
    script:
      `metadata test http://example.org/ --key ex --set '<a x="1"><c>b</c></a>'; metadata test http://example.org/; ` +
      `metadata test http://example.org/ --set '<b/>'; metadata test --uri http://e2/ --key e2 --set '<q/>'; dumpxml test; ` +
      'metadata test http://example.org/ --config; metadata test http://example.org/ --remove; metadata test http://example.org/; ' +
      'metadata test http://example.org/ --set x --remove',
  },
});
