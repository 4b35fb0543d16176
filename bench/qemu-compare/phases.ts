/**
 * Where our start's time goes, seen from outside the driver: timestamps taken by wrapping the
 * seams it calls through (child_process.spawn, net.createConnection, QmpClient.execute,
 * FileHandle.sync). Nothing in the driver is changed; the wrappers only record `performance.now()`.
 */
// Default imports: the module objects themselves, so the wrappers are seen by every caller.
import childProcess from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import { QmpClient } from '@virtkit/driver-qemu';
import type { FloorTimes } from './floor';
import { now } from './measure';

/** The marks of one start, in ms relative to the call. */
export interface StartMarks {
  spawnCalled?: number;
  spawnReturned?: number;
  connectAttempts: number;
  capsSent?: number;
  capsReplied?: number;
  contSent?: number;
  contReplied?: number;
  end?: number;
  /** fsync calls (atomic writes: file + directory) and the ms spent in them, before spawn and in all. */
  syncs: number;
  syncMs: number;
  syncMsBeforeSpawn: number;
}

type Phase = readonly [label: string, ours: (m: StartMarks) => number | undefined, floor?: (f: FloorTimes) => number];

/** The phases shown in the report, from our marks and, where it has the same step, from a floor launch. */
export const PHASES: readonly Phase[] = [
  ['before spawn (caps, argv build, dirs, key file, log header)', (m) => m.spawnCalled],
  ['  of which fsync (atomic writes)', (m) => m.syncMsBeforeSpawn],
  ['spawn() call', (m) => d(m.spawnCalled, m.spawnReturned), (f) => f.spawnedAt],
  ['QEMU up to the QMP greeting (incl. socket polling)', (m) => d(m.spawnReturned, m.capsSent), (f) => f.greetingAt - f.spawnedAt],
  ['qmp_capabilities round trip', (m) => d(m.capsSent, m.capsReplied), (f) => f.capsAt - f.greetingAt],
  ['status file write before cont', (m) => d(m.capsReplied, m.contSent)],
  ['cont round trip', (m) => d(m.contSent, m.contReplied), (f) => f.startMs - f.capsAt],
  ['after cont (status write, events)', (m) => d(m.contReplied, m.end)],
  ['fsync in the whole start (ms)', (m) => m.syncMs],
  ['fsync calls', (m) => m.syncs],
  ['monitor connect attempts', (m) => m.connectAttempts],
];

function d(a: number | undefined, b: number | undefined): number | undefined {
  return a === undefined || b === undefined ? undefined : b - a;
}

/** Record the marks of the next `fn()` call (one domain start). */
export async function traceStart(fn: () => Promise<void>): Promise<StartMarks> {
  const marks: StartMarks = { connectAttempts: 0, syncs: 0, syncMs: 0, syncMsBeforeSpawn: 0 };
  const fhProto = await fileHandlePrototype();
  const sync0 = fhProto.sync;
  fhProto.sync = async function (this: fs.promises.FileHandle) {
    const t = now();
    try {
      return await sync0.call(this);
    } finally {
      marks.syncs++;
      marks.syncMs += now() - t;
      if (marks.spawnCalled === undefined) marks.syncMsBeforeSpawn += now() - t;
    }
  };
  const t0 = now();
  const rel = () => now() - t0;
  const cp = childProcess as { spawn: typeof childProcess.spawn };
  const nt = net as { createConnection: typeof net.createConnection };
  const proto = QmpClient.prototype as { execute: QmpClient['execute'] };
  const [spawn0, connect0, execute0] = [cp.spawn, nt.createConnection, proto.execute];
  cp.spawn = ((...args: Parameters<typeof childProcess.spawn>) => {
    marks.spawnCalled = rel();
    const c = (spawn0 as (...a: unknown[]) => childProcess.ChildProcess)(...args);
    marks.spawnReturned = rel();
    return c;
  }) as typeof childProcess.spawn;
  nt.createConnection = ((...args: unknown[]) => {
    marks.connectAttempts++;
    return (connect0 as (...a: unknown[]) => net.Socket)(...args);
  }) as typeof net.createConnection;
  proto.execute = function (this: QmpClient, command: string, ...rest: unknown[]) {
    const key = command === 'qmp_capabilities' ? 'caps' : command === 'cont' ? 'cont' : undefined;
    if (key) marks[`${key}Sent`] = rel();
    const p = (execute0 as (...a: unknown[]) => Promise<unknown>).call(this, command, ...rest);
    if (key)
      void p.then(
        () => (marks[`${key}Replied`] = rel()),
        () => undefined,
      );
    return p;
  } as QmpClient['execute'];
  try {
    await fn();
    marks.end = rel();
  } finally {
    [cp.spawn, nt.createConnection, proto.execute, fhProto.sync] = [spawn0, connect0, execute0, sync0];
  }
  return marks;
}

async function fileHandlePrototype(): Promise<{ sync: fs.promises.FileHandle['sync'] }> {
  const fh = await fs.promises.open('/dev/null', 'r');
  await fh.close();
  return Object.getPrototypeOf(fh) as { sync: fs.promises.FileHandle['sync'] };
}
