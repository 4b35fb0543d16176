#!/usr/bin/env node
/** The vsh process: runs main() on the process arguments and exits with its status once its output is out. */
import { runProcess } from '@virtkit/core';
import { main } from './index';

runProcess(
  () =>
    main(process.argv.slice(2), {
      stdout: (s) => process.stdout.write(s),
      stderr: (s) => process.stderr.write(s),
    }),
  {
    brokenPipe: 'die',
    onError: (e) => {
      process.stderr.write(`error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
      return 1;
    },
  },
);
