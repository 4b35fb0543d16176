/** The daemon's entry point as a function: parse the command line, start, stop on SIGTERM/SIGINT. */
import { registerDriver } from '@virtkit/core';
import type { Driver } from '@virtkit/core';
import { USAGE, parseCommandLine } from './config';
import { Logger } from './log';
import { Daemon } from './server';

export const VERSION = '0.1.0';

/** Runs until a signal; resolves with the exit code. */
export async function main(argv: string[], drivers: readonly Driver[]): Promise<number> {
  let cl;
  try {
    cl = parseCommandLine([...argv]);
  } catch (e) {
    process.stderr.write(`virtkitd: ${(e as Error).message}\n`);
    return 2;
  }
  if (cl.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  if (cl.version) {
    process.stdout.write(`virtkitd ${VERSION} (libvirt 9.0.0 RPC protocol)\n`);
    return 0;
  }
  const log = new Logger(cl.config.logLevel);
  keepServingOnStrayErrors(log);
  for (const d of drivers) registerDriver(d);
  let daemon: Daemon;
  try {
    daemon = new Daemon({ config: cl.config, log });
    await daemon.start();
  } catch (e) {
    log.error(`cannot start: ${(e as Error).message}`);
    return 1;
  }
  // A line on stderr at level info tells supervisors (and tests) the sockets are ready.
  log.info(`ready (pid ${process.pid})`);
  return new Promise<number>((resolve) => {
    const stop = (why: string): void => {
      log.info(`${why}, shutting down`);
      void daemon.stop().then(() => resolve(0));
    };
    process.once('SIGTERM', () => stop('caught SIGTERM'));
    process.once('SIGINT', () => stop('caught SIGINT'));
    if (cl.config.stdio) void daemon.serveStdio().then(() => stop('the stdio client went away'));
  });
}

/**
 * An error thrown outside any call (a driver's timer, an event handler of a child process) must
 * not take every client down with it: it is logged, and the daemon goes on serving.
 */
function keepServingOnStrayErrors(log: Logger): void {
  process.on('uncaughtException', (e) => log.error(`uncaught exception: ${(e as Error)?.stack ?? String(e)}`));
  process.on('unhandledRejection', (e) => log.error(`unhandled rejection: ${(e as Error)?.stack ?? String(e)}`));
}
