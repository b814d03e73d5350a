import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { installLock } from "../../src/toolchain/install-lock.js";
import { installToolchain } from "../../src/toolchain/install.js";
import { tools } from "../../src/toolchain/pins.js";

/** Runs `fn` holding the cache's install lock, as an installer with something to build does. */
const holding = async <T>(log: (line: string) => void, fn: () => Promise<T>): Promise<T> => {
  const lock = installLock(log);
  try {
    await lock.hold();
    return await fn();
  } finally {
    await lock.release();
  }
};

const lockModule = resolve("src/toolchain/install-lock.ts");
let cache: string;
let previous: string | undefined;

beforeEach(() => {
  cache = mkdtempSync(join(tmpdir(), "llmcharts-lock-"));
  previous = process.env.LLMCHARTS_CACHE;
  process.env.LLMCHARTS_CACHE = cache;
});
afterEach(() => {
  if (previous === undefined) delete process.env.LLMCHARTS_CACHE;
  else process.env.LLMCHARTS_CACHE = previous;
  rmSync(cache, { recursive: true, force: true });
});

/** Another installer: a process that holds the cache's lock for `ms`, printing when it has it and when it lets go. */
const otherInstaller = (ms: number) => {
  const script = join(cache, "holder.mts");
  writeFileSync(
    script,
    `import { installLock } from ${JSON.stringify(lockModule)};
const lock = installLock(() => {});
await lock.hold();
console.log("held");
await new Promise((r) => setTimeout(r, ${ms}));
await lock.release();
console.log("released " + Date.now());`,
  );
  const child = spawn(resolve("node_modules/.bin/tsx"), [script], { env: process.env });
  let out = "";
  const held = new Promise<void>((done, fail) => {
    child.stdout.on("data", (d) => {
      out += d;
      if (out.includes("held")) done();
    });
    child.on("exit", (code) => fail(new Error(`the holder exited (${code}) before it held the lock: ${out}`)));
  });
  const exited = new Promise<string>((done) => child.on("exit", () => done(out)));
  return { held, exited, kill: () => child.kill() };
};

describe("the install lock: one installer per cache at a time", () => {
  it("an install waits, saying so once, while another process installs into the same cache", async () => {
    const other = otherInstaller(1_500);
    await other.held;
    const lines: string[] = [];
    const ranAt = await holding(
      (line: string) => lines.push(line),
      async () => Date.now(),
    );
    const releasedAt = Number(/released (\d+)/.exec(await other.exited)?.[1]);
    expect(ranAt).toBeGreaterThanOrEqual(releasedAt);
    expect(lines).toEqual([expect.stringMatching(/^waiting for another install into .* to finish/)]);
  }, 30_000);

  it("a lock its holder stopped refreshing (a killed installer) is taken over, not waited on for ever", async () => {
    const lock = join(cache, "install.lock");
    mkdirSync(lock);
    const longAgo = new Date(Date.now() - 5 * 60_000);
    utimesSync(lock, longAgo, longAgo);
    const lines: string[] = [];
    expect(
      await holding(
        (line: string) => lines.push(line),
        async () => "ran",
      ),
    ).toBe("ran");
    expect(lines).toEqual([]);
  });

  it("a run that finds everything installed never takes the lock, nor waits for it", async () => {
    const other = otherInstaller(20_000);
    await other.held;
    const debian = tools.find((t) => t.kind === "debian");
    const lines: string[] = [];
    const reports = await installToolchain({ only: [debian?.name ?? ""], log: (line) => lines.push(line) });
    expect(reports.map((r) => r.outcome)).toEqual(["cached"]);
    expect(lines.filter((l) => l.startsWith("waiting"))).toEqual([]);
    other.kill();
  }, 30_000);

  it("the lock is let go when the install fails, so the next one runs", async () => {
    await expect(
      holding(
        () => {},
        async () => {
          throw new Error("the build failed");
        },
      ),
    ).rejects.toThrow("the build failed");
    expect(
      await holding(
        () => {},
        async () => "next",
      ),
    ).toBe("next");
  });
});
