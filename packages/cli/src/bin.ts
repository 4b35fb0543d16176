/** The vsh process: runs main() on the process arguments and exits with its status. */
import { main } from './index';

main(process.argv.slice(2), {
  stdout: (s) => process.stdout.write(s),
  stderr: (s) => process.stderr.write(s),
}).then(
  (code) => {
    process.exitCode = code;
    if (process.stdout.writableNeedDrain) process.stdout.once('drain', () => process.exit(code));
    else process.exit(code);
  },
  (e: unknown) => {
    process.stderr.write(`error: ${e instanceof Error ? e.stack ?? e.message : String(e)}\n`);
    process.exit(1);
  },
);
