/**
 * The monitor command qemu-monitor-command sends, built from its words as virsh does: HMP words
 * are joined by blanks; QMP words are passed through when they already form a JSON object, else
 * the first word names the command and the rest become its `arguments` object.
 */
import type { Ctl } from './ctl';
import { formatJson, parseJson, tryParseJson, type JsonValue } from './yajl-json';

const isObject = (v: JsonValue | null): v is JsonValue => v?.kind === 'object';

/** The `arguments` of a wrapped command: one JSON object, or `"key":value` words joined into one. */
function wrapArguments(ctl: Ctl, words: string[]): JsonValue {
  const joined = words.join(' ');
  const whole = tryParseJson(joined);
  if (isObject(whole)) return whole;
  try {
    return parseJson(`{${words.join(',')}}`);
  } catch (e) {
    ctl.error(`failed to wrap arguments '${joined}' into a QMP command wrapper`);
    throw e;
  }
}

/** The text to send for `words`; a wrapping failure prints virsh's error and throws libvirt's. */
export function monitorCommand(ctl: Ctl, words: string[], hmp: boolean): string {
  const joined = words.join(' ');
  if (hmp || isObject(tryParseJson(joined))) return joined;
  const [name, ...rest] = words;
  const members: Array<[string, JsonValue]> = [['execute', { kind: 'string', value: name }]];
  if (rest.length > 0) members.push(['arguments', wrapArguments(ctl, rest)]);
  return formatJson({ kind: 'object', members });
}
