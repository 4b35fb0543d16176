/** Entry point of `bin/corpus` (run through tsx). */
import { main } from './cli';

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e: unknown) => {
    process.stderr.write(`corpus: ${(e as Error).stack ?? String(e)}\n`);
    process.exit(2);
  },
);
