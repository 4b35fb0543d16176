/**
 * What qemu-monitor-command sends to the monitor (not visible on test:///, whose driver lacks the
 * call): the forms virsh's manual documents, and libvirt's JSON formatting (numbers keep their
 * text, yajl's beautified layout for --pretty).
 */
import { Ctl } from '../src/ctl';
import { monitorCommand } from '../src/qmp-command';
import { formatJson, parseJson } from '../src/yajl-json';

function build(words: string[], hmp = false): { sent: string | null; stderr: string } {
  const err: string[] = [];
  const ctl = new Ctl({ stdout: () => undefined, stderr: (s) => err.push(s) });
  try {
    return { sent: monitorCommand(ctl, words, hmp), stderr: err.join('') };
  } catch (e) {
    return { sent: null, stderr: err.join('') + (e as Error).message };
  }
}

test('a command name alone, or with one argument object or key:value words, is wrapped', () => {
  expect(build(['query-status']).sent).toBe('{"execute":"query-status"}');
  expect(build(['query-block', '{"flat":true}']).sent).toBe('{"execute":"query-block","arguments":{"flat":true}}');
  expect(build(['cmd', '"arg1":123', '"arg2":"test"']).sent).toBe('{"execute":"cmd","arguments":{"arg1":123,"arg2":"test"}}');
  expect(build(['cmd', '"n":1.50e+3', '"s":"a\\u0041\\n"']).sent).toBe('{"execute":"cmd","arguments":{"n":1.50e+3,"s":"aA\\n"}}');
});

test('a JSON object is sent as given, HMP words joined by blanks', () => {
  expect(build(['{"execute":"commandname", "arguments":{"arg1":123}}']).sent).toBe('{"execute":"commandname", "arguments":{"arg1":123}}');
  expect(build(['{"execute":', '"x"}']).sent).toBe('{"execute": "x"}');
  expect(build(['info', 'status'], true).sent).toBe('info status');
});

test("words that form no object fail with virsh's line and libvirt's parser error", () => {
  expect(build(['cmd', 'b', 'c'])).toEqual({
    sent: null,
    stderr:
      "error: failed to wrap arguments 'b c' into a QMP command wrapper\n" +
      'internal error: cannot parse json {b,c}: lexical error: invalid char in json text.\n' +
      `${' '.repeat(38)}{b,c}\n                     (right here) ------^\n`,
  });
});

test("pretty JSON uses yajl's layout", () => {
  const reply = parseJson('{"return":{"status":"running","running":true,"list":[1,2]},"id":"libvirt-1"}');
  expect(formatJson(reply, true)).toBe(
    '{\n  "return": {\n    "status": "running",\n    "running": true,\n    "list": [\n' +
      '      1,\n      2\n    ]\n  },\n  "id": "libvirt-1"\n}\n',
  );
});
