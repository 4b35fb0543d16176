/** Waiting in tests for something another process or a callback makes true. */

/** Poll `probe` until it returns true (or fail after `ms`). */
export async function waitFor(probe: () => boolean, ms = 5000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + ms;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
