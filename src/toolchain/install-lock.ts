/**
 * One installer at a time per cache: two processes building the same tool into the same directories (a `tools
 * install` beside an `images build`, which installs the runtime toolchain first) would each remove and rewrite the
 * other's files. The lock is the cache's `install.lock` (proper-lockfile: a directory made atomically, its mtime kept
 * fresh while held, taken over once stale, so a killed installer does not block the next one for ever).
 */
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import lockfile from "proper-lockfile";
import { cacheRoot } from "./cache.js";

/** A holder that stops refreshing the lock (killed, frozen) loses it after this long. */
const staleMs = 60_000;

const acquire = async (log: (line: string) => void): Promise<() => Promise<void>> => {
  const root = cacheRoot();
  mkdirSync(root, { recursive: true });
  const options = { stale: staleMs, lockfilePath: join(root, "install.lock"), realpath: false };
  try {
    return await lockfile.lock(root, options);
  } catch (err) {
    if ((err as { code?: string }).code !== "ELOCKED") throw err;
    log(`waiting for another install into ${root} to finish (${options.lockfilePath})`);
    return lockfile.lock(root, { ...options, retries: { forever: true, minTimeout: 1_000, maxTimeout: 5_000 } });
  }
};

/**
 * The cache's install lock, taken on first need: a run that finds everything cached never takes it (nor writes to
 * the cache: the validator image's cache may be read-only). `hold` waits, saying so once, while another process
 * holds it; `release` lets it go if it was taken.
 */
export const installLock = (log: (line: string) => void) => {
  let taken: Promise<() => Promise<void>> | undefined;
  return {
    hold: async (): Promise<void> => {
      taken ??= acquire(log);
      await taken;
    },
    release: async (): Promise<void> => {
      if (taken) await (await taken)();
      taken = undefined;
    },
  };
};
