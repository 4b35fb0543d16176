/**
 * How virtkit's programs (vsh, virtkitd, the corpus runner) end. Node writes to a pipe
 * asynchronously: what the reader has not taken yet waits in the process, and `process.exit()`
 * drops it. So every program exits through `runProcess`, which waits until stdout and stderr have
 * handed all their bytes to the kernel. A reader that goes away (EPIPE; Node ignores SIGPIPE) ends
 * a tool the way it ends virsh, killed by SIGPIPE and silent, while a daemon keeps serving.
 */

/** What a broken stdout/stderr pipe does: 'die' for tools (as virsh), 'ignore' for a daemon. */
export type BrokenPipePolicy = 'die' | 'ignore';

/** How `runProcess` treats the program's end. */
export interface ProcessExitOptions {
  /** What EPIPE on stdout or stderr does. */
  brokenPipe: BrokenPipePolicy;
  /** Reports an error `main` threw (on stderr) and returns the exit status for it. */
  onError: (e: unknown) => number;
}

/** Runs `main` and exits with the status it resolves to, once stdout and stderr are flushed. */
export function runProcess(main: () => Promise<number>, options: ProcessExitOptions): void {
  watchBrokenPipe(options.brokenPipe);
  main()
    .catch(options.onError)
    .then(async (code) => {
      await flushStdio();
      process.exit(code);
    });
}

/** Resolves once everything written so far to stdout and stderr has reached the kernel. */
async function flushStdio(): Promise<void> {
  await Promise.all([flushed(process.stdout), flushed(process.stderr)]);
}

function flushed(stream: NodeJS.WriteStream): Promise<void> {
  if (stream.destroyed || stream.writableLength === 0) return Promise.resolve();
  // Writes complete in order, so the callback of an empty write runs after all earlier ones.
  return new Promise((resolve) => stream.write('', () => resolve()));
}

let watching: BrokenPipePolicy | undefined;

/** Installs the EPIPE handling of `policy` on stdout and stderr (once per process). */
function watchBrokenPipe(policy: BrokenPipePolicy): void {
  if (watching) return;
  watching = policy;
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code !== 'EPIPE') throw e;
      if (policy === 'die') dieOfBrokenPipe();
    });
  }
}

/**
 * Ends the process by SIGPIPE, as the kernel ends a C program writing to a closed pipe: the
 * shell sees status 141 and prints nothing. Node starts with SIGPIPE ignored; a listener added
 * and removed again leaves the default action in place.
 */
function dieOfBrokenPipe(): never {
  process.on('SIGPIPE', () => undefined);
  process.removeAllListeners('SIGPIPE');
  process.kill(process.pid, 'SIGPIPE');
  // Not reached where signals work as on Linux; elsewhere the same status as a shell reports.
  process.exit(128 + 13);
}
