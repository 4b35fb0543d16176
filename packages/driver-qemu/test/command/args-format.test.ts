import { formatArgs, shellQuote } from '../../src/command/args-format';

describe('shellQuote', () => {
  it('leaves plain values alone', () => {
    expect(shellQuote('/usr/bin/qemu-system-x86_64')).toBe('/usr/bin/qemu-system-x86_64');
    expect(shellQuote('guest=a,,b,debug-threads=on')).toBe('guest=a,,b,debug-threads=on');
  });
  it('quotes empty values and shell metacharacters', () => {
    expect(shellQuote('')).toBe("''");
    expect(shellQuote('a b')).toBe("'a b'");
    expect(shellQuote('{"qom-type":"secret"}')).toBe(`'{"qom-type":"secret"}'`);
    expect(shellQuote('[::]:1')).toBe("'[::]:1'");
    expect(shellQuote('tab\there')).toBe("'tab\there'");
  });
  it("escapes single quotes as '\\''", () => {
    expect(shellQuote("it's")).toBe("'it'\\''s'");
  });
});

describe('formatArgs', () => {
  it('writes the environment, then one option per line with its value', () => {
    const text = formatArgs({
      env: [
        ['LC_ALL', 'C'],
        ['HOME', '/tmp/a b'],
      ],
      argv: ['/usr/bin/qemu', '-name', 'guest=x', '-S', '-m', '214'],
    });
    expect(text).toBe("LC_ALL=C \\\nHOME='/tmp/a b' \\\n/usr/bin/qemu \\\n-name guest=x \\\n-S \\\n-m 214\n");
  });
  it('breaks before leading non-option arguments and keeps trailing values together', () => {
    expect(formatArgs({ env: [], argv: ['prog', 'a', '-x', 'b', 'c', '-y'] })).toBe('prog \\\na \\\n-x b c \\\n-y\n');
    expect(formatArgs({ env: [], argv: ['prog', '-x', 'b', 'c'] })).toBe('prog \\\n-x b \\\nc\n');
  });
  it('can write everything on one line', () => {
    expect(formatArgs({ env: [['A', '1']], argv: ['prog', '-x', 'y'] }, { lineBreaks: false })).toBe('A=1 prog -x y\n');
  });
});
