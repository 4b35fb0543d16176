/** virtkitd configuration parsing, and the server's own keepalive timer. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { MessageType, PROGRAM } from '@virtkit/protocol';
import { defaultConfig, parseCommandLine, parseConfigText } from '../src/config';
import { RawClient, startDaemon } from '@virtkit/testkit';

describe('configuration', () => {
  test('libvirt-style key = value with comments, and JSON', () => {
    const c = parseConfigText(
      `# comment\nsocket_dir = "/tmp/x"\nlog_level = 1\nkeepalive_interval = 2\nkeepalive_count = 3\nmax_clients = 7\n`,
      defaultConfig(),
    );
    expect(c).toMatchObject({ socketDir: '/tmp/x', logLevel: 'debug', keepaliveInterval: 2, keepaliveCount: 3, maxClients: 7 });
    const j = parseConfigText('{"socket_dir": "/tmp/y", "log_level": "error", "max_clients": 1}', defaultConfig());
    expect(j).toMatchObject({ socketDir: '/tmp/y', logLevel: 'error', maxClients: 1 });
    expect(() => parseConfigText('bogus = 1', defaultConfig())).toThrow(/unknown setting 'bogus'/);
    expect(() => parseConfigText('max_clients = many', defaultConfig())).toThrow(/integer/);
    expect(() => parseConfigText('just words', defaultConfig())).toThrow(/key = value/);
  });

  test('command line overrides the config file; --verbose means debug', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'virtkitd-cfg-'));
    const file = path.join(dir, 'virtkitd.conf');
    fs.writeFileSync(file, 'socket_dir = "/from/file"\nkeepalive_count = 9\n');
    const cl = parseCommandLine(['--config', file, '--socket-dir', '/from/cli', '--verbose']);
    expect(cl.config).toMatchObject({ socketDir: '/from/cli', keepaliveCount: 9, logLevel: 'debug' });
    expect(() => parseCommandLine(['--nope'])).toThrow(/unknown option/);
    // The procedure table is generated and built in: nothing supplements it at run time.
    expect(() => parseCommandLine(['--extra-procedures', 'x.json'])).toThrow(/unknown option '--extra-procedures'/);
    expect(() => parseConfigText('extra_procedures = x.json', defaultConfig())).toThrow(/unknown setting 'extra_procedures'/);
    expect(parseCommandLine(['--help']).help).toBe(true);
  });
});

describe('server keepalive', () => {
  test('after feature 10 the server pings an idle client and drops it when pings go unanswered', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'virtkitd-ka-'));
    const conf = path.join(dir, 'ka.json');
    fs.writeFileSync(conf, JSON.stringify({ keepalive_interval: 1, keepalive_count: 1 }));
    const daemon = await startDaemon(['--config', conf]);
    try {
      const c = new RawClient(daemon.sock);
      await c.connected();
      expect((await c.call(60, [['feature', 'int']], { feature: 10 }, [['supported', 'int']])).ok).toEqual({ supported: 1 });
      const t0 = Date.now();
      const ping = await c.next((f) => f.header.prog === PROGRAM.KEEPALIVE, 5000);
      expect(ping.header).toMatchObject({ proc: 1, type: MessageType.MESSAGE, serial: 0 });
      await expect(c.next(() => false, 8000)).rejects.toThrow(/closed/);
      expect(Date.now() - t0).toBeGreaterThanOrEqual(1000);
      expect(daemon.stderr()).toMatch(/no keepalive response/);
    } finally {
      await daemon.stop();
    }
  }, 20000);
});
