/**
 * TEST HOOKS: deterministic crash points for the recovery tests. With
 * `VIRTKIT_TEST_HOOK_<POINT>=1` in its environment the process kills itself (SIGKILL: no exit
 * handler, no flush, as a crash) when it reaches `<POINT>`. Unset, a crash point does nothing.
 */

/** The crash points, each named after what the process has just done or is about to do. */
export type CrashPoint = 'SNAPSHOT_BEFORE_METADATA' | 'SNAPSHOT_OVERLAYS_CREATED';

export function crashPoint(point: CrashPoint): void {
  if (process.env[`VIRTKIT_TEST_HOOK_${point}`] === '1') process.kill(process.pid, 'SIGKILL');
}
