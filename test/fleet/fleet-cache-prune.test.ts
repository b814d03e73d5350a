/**
 * The fleet cache does not grow forever: each run keeps its own generation and the few used last, removes the older
 * ones (whose entries no run can find again: another chart, validator, pin or site layer) a bounded number at a time,
 * touches nothing else, and never fails a run.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { keptGenerations, pruneGenerations } from "../../src/validate/fleet-cache.js";

const work = mkdtempSync(join(tmpdir(), "llmcharts-fleet-prune-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const generationName = (i: number) => i.toString(16).padStart(64, "0");

/** A cache holding `count` generations, each with an entry, the i-th last used i hours ago. */
const cacheWith = (name: string, count: number): string => {
  const dir = join(work, name);
  for (let i = 1; i <= count; i++) {
    const generation = join(dir, generationName(i));
    mkdirSync(join(generation, "ab"), { recursive: true });
    writeFileSync(join(generation, "ab", "ab12.json"), "{}");
    const usedAt = new Date(Date.now() - i * 3_600_000);
    utimesSync(generation, usedAt, usedAt);
  }
  return dir;
};

describe("pruning the fleet cache", () => {
  test("keeps the run's generation and those used last, removes the older ones and format 1's folders, and nothing else", () => {
    const dir = cacheWith("kept", 6);
    // Format 1 kept entries in folders named by their keys' first two digits.
    mkdirSync(join(dir, "3f"));
    writeFileSync(join(dir, "3f", `3f${"0".repeat(62)}.json`), "{}");
    // What is not the cache's: left alone.
    mkdirSync(join(dir, "notes"));
    writeFileSync(join(dir, "README"), "mine");
    const current = join(dir, generationName(99));
    const removed = pruneGenerations(dir, current);
    expect(removed.sort()).toEqual(["3f", generationName(4), generationName(5), generationName(6)].sort());
    expect(readdirSync(dir).sort()).toEqual(
      ["README", "notes", generationName(99), ...[1, 2, 3].map(generationName)].sort(),
    );
    expect(readdirSync(dir).filter((n) => n.length === 64)).toHaveLength(keptGenerations);
  });

  test("a generation used again is kept over older ones: used means run, not written", () => {
    const dir = cacheWith("used", 4);
    // The oldest generation is the one a run uses now: the next oldest goes instead.
    pruneGenerations(dir, join(dir, generationName(4)));
    const removed = pruneGenerations(dir, join(dir, generationName(98)));
    expect(removed).toEqual([generationName(3)]);
    expect(existsSync(join(dir, generationName(4), "ab", "ab12.json"))).toBe(true);
  });

  test("removes a bounded number of folders per run, oldest first: a long-neglected cache empties over a few runs", () => {
    const dir = cacheWith("neglected", 30);
    const current = join(dir, generationName(99));
    const first = pruneGenerations(dir, current);
    expect(first.length).toBeGreaterThan(0);
    expect(first.length).toBeLessThan(30 - keptGenerations);
    // Oldest first: the 30th generation was used longest ago.
    expect(first[0]).toBe(generationName(30));
    let runs = 1;
    while (pruneGenerations(dir, current).length > 0) runs++;
    expect(runs).toBeGreaterThan(1);
    expect(readdirSync(dir)).toHaveLength(keptGenerations);
  });

  test("never fails a run: a cache that is a file, or missing its folder, is left as it is", () => {
    const file = join(work, "a-file");
    writeFileSync(file, "not a folder");
    expect(pruneGenerations(file, join(file, generationName(1)))).toEqual([]);
    const fresh = join(work, "fresh", "fleet");
    expect(pruneGenerations(fresh, join(fresh, generationName(1)))).toEqual([]);
    expect(readdirSync(fresh)).toEqual([generationName(1)]);
  });
});
