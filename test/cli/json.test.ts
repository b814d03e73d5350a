/**
 * `--json` prints JSON and nothing else on stdout: progress and notes go to stderr. The commands that answer without a
 * cluster or a build, against an empty cache (validate's --json is tested in cli.test.ts).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { run } from "../../src/lib/run.js";

const cache = mkdtempSync(join(tmpdir(), "llmcharts-json-"));
afterAll(() => rmSync(cache, { recursive: true, force: true }));
const llmcharts = (args: string[]) =>
  run(process.execPath, ["bin/llmcharts.js", ...args], { env: { ...process.env, LLMCHARTS_CACHE: cache } });

describe("--json", { timeout: 60_000 }, () => {
  it.each([
    [["doctor", "--group", "static", "--json"], 1, "ok"],
    [["cluster", "status", "--name", "json-test", "--json"], 1, "state"],
    [["cluster", "down", "--name", "json-test", "--json"], 0, "existed"],
  ] as const)("llmcharts %j prints one JSON document on stdout", async (args, exitCode, key) => {
    const out = await llmcharts([...args]);
    expect(out.exitCode, out.stderr).toBe(exitCode);
    const parsed = JSON.parse(out.stdout) as Record<string, unknown>;
    expect(parsed).toHaveProperty(key);
  });
});
