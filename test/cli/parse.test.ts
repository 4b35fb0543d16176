/** vsh against virsh 9.0: the command line parser, global options and their errors. */
import { compareAll } from './harness';

compareAll({
  'unknown command rejects the whole line': { script: 'uri; foo; uri' },
  'unknown option': { script: 'uri --bad' },
  'missing required option': { script: 'dominfo' },
  'unexpected data': { script: 'dominfo test extra' },
  'option without value': { script: 'domstate --domain' },
  'option seen twice': { script: 'dominfo --domain=test --domain test' },
  '= after a flag': { script: 'list --all=yes' },
  '--name=value and --name value': { script: 'domstate --domain=test --reason; domstate --domain test' },
  'quotes and escapes': { script: `domstate "te"'st'; domstate t\\est` },
  'empty commands between separators': { script: ';uri;;uri;' },
  'newlines separate commands': { script: '\n  uri\n\n  hostname;\n' },
  '# comments out the rest of the line': { script: '# a comment; uri\nuri #x; hostname\ndomstate test#x' },
  'backslash-newline is dropped': { script: 'domstate te\\\nst; domstate \\\n test' },
  'newlines inside quotes are kept': { script: 'domstate "te\nst"; domstate \'te\nst\'' },
  'carriage return stays in the word': { script: 'uri\r\nhostname' },
  '-- ends options': { script: 'domstate -- test' },
  'empty argument': { script: "dominfo ''" },
  'argv: extra word': { script: ['uri', 'x'] },
  'argv: ; is data': { script: ['uri', ';', 'hostname'] },
  'global: unknown option': { script: 'uri', globals: ['-c', 'test:///default', '--bogus'] },
  'global: unknown short option': { script: 'uri', globals: ['-c', 'test:///default', '-x'] },
  'global: -c without URI': { script: [], globals: ['-c'] },
  'global: -v': { script: [], globals: ['-v'] },
  'global: --version': { script: [], globals: ['--version'] },
  'global: --connect=URI': { script: 'uri', globals: ['--connect=test:///default'] },
  "exit status is the last command's (failure then success)": { script: 'domstate nope; uri' },
  "exit status is the last command's (success then failure)": { script: 'uri; domstate nope' },
});

test("-V: the long version names vsh's drivers, so it differs from virsh after the first lines", async () => {
  const { runVsh } = await import('./harness');
  const r = await runVsh(['-V']);
  expect(r.stdout.startsWith('Virsh command line tool of libvirt 9.0.0\nSee web site at https://libvirt.org/\n\n')).toBe(true);
  expect(r.code).toBe(0);
});
