/** Waiting with a deadline: every wait in the suites is on a condition, never a blind sleep of a guessed length. */

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Retries `fn` until it stops throwing or `timeoutMs` passes; the last error is the one thrown. */
export const eventually = async <T>(fn: () => Promise<T>, timeoutMs = 30_000, everyMs = 250): Promise<T> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await fn();
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await sleep(everyMs);
    }
  }
};

/** Resolves once `holds` is true (asked every second); after `timeoutMs`, throws saying what never held. */
export const until = (what: string, holds: () => Promise<boolean>, timeoutMs: number, everyMs = 1000) =>
  eventually(
    async () => {
      if (!(await holds())) throw new Error(`${what}: not after ${timeoutMs / 1000}s`);
    },
    timeoutMs,
    everyMs,
  );
