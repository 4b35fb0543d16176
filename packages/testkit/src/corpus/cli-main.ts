/** Entry point of `bin/corpus` (run through tsx): its report survives a pipe, as virsh's output does. */
import { runProcess } from '@virtkit/core';
import { main } from './cli';

runProcess(() => main(process.argv.slice(2)), {
  brokenPipe: 'die',
  onError: (e) => {
    process.stderr.write(`corpus: ${(e as Error).stack ?? String(e)}\n`);
    return 2;
  },
});
