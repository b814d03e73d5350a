/**
 * The CLI starts from its bundle (bin/cli-bundle.js), kept in the cache, and says what it says through tsx; without a
 * cache to keep it in, it runs through tsx.
 */
import { mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { run } from "../../src/lib/run.js";
import { cacheRoot } from "../../src/toolchain/cache.js";

const root = process.cwd();
const work = mkdtempSync(join(tmpdir(), "llmcharts-bundle-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const home = join(work, "cache");
mkdirSync(home);
for (const d of ["tools", "data"]) symlinkSync(join(cacheRoot(), d), join(home, d));

const llmcharts = (args: string[], env: Record<string, string>) =>
  run(process.execPath, [join(root, "bin", "llmcharts.js"), ...args], {
    env: { ...process.env, NO_COLOR: "1", LLMCHARTS_NO_BUNDLE: "", ...env },
  });

describe("the CLI's bundle", { timeout: 300_000 }, () => {
  test("is built once into the cache, and the CLI run from it says what it says through tsx", async () => {
    const values = join(root, "generated", "tenant", "values-lab.yaml");
    const args = ["validate", "--chart", "tenant", "-f", values, "--json"];
    const bundled = await llmcharts(args, { LLMCHARTS_CACHE: home });
    expect(readdirSync(join(home, "cli")).filter((f) => f.endsWith(".mjs"))).toHaveLength(1);
    const throughTsx = await llmcharts(args, { LLMCHARTS_CACHE: home, LLMCHARTS_NO_BUNDLE: "1" });
    expect(bundled.exitCode).toBe(throughTsx.exitCode);
    expect(JSON.parse(bundled.stdout).summary).toMatch(/passed/);
    expect(bundled.stdout).toBe(throughTsx.stdout);
    // Found again, not built again.
    await llmcharts(["--version"], { LLMCHARTS_CACHE: home });
    expect(readdirSync(join(home, "cli"))).toHaveLength(1);
  });

  test("without a cache it can be written to, the CLI runs through tsx", async () => {
    const notAFolder = join(work, "a-file");
    writeFileSync(notAFolder, "");
    const out = await llmcharts(["--version"], { LLMCHARTS_CACHE: notAFolder });
    expect(out.exitCode).toBe(0);
    expect(out.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });
});
