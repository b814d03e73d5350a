import { existsSync, readdirSync, readFileSync } from "node:fs";
import { basename, join } from "node:path";
import { parse } from "yaml";

export interface Expectation {
  /** JSON pointer of the value at fault, as Helm prints it (`/premium/gpuLimit`). */
  pointer: string;
  /** Further words the error message must hold (a misspelt key, say). */
  words: string[];
}

/** A values file kept beside its chart: good ones must pass every rung, bad ones must be rejected naming the field. */
export interface Fixture {
  chart: string;
  name: string;
  path: string;
  kind: "good" | "bad";
  values: unknown;
  expect?: Expectation;
}

const expectation = (text: string, path: string): Expectation => {
  const line = text.split("\n").find((l) => l.startsWith("# expect:"));
  if (!line) throw new Error(`${path}: a bad fixture starts with "# expect: <json-pointer> [words…]"`);
  const [pointer = "", ...words] = line.slice("# expect:".length).trim().split(/\s+/);
  return { pointer, words };
};

export const fixturesDir = (root: string, chart: string) => join(root, "charts-src", chart, "fixtures");

/** The fixtures of one chart, good then bad, in name order. */
export const loadFixtures = (root: string, chart: string): Fixture[] =>
  (["good", "bad"] as const).flatMap((kind) => {
    const dir = join(fixturesDir(root, chart), kind);
    if (!existsSync(dir)) return [];
    return readdirSync(dir)
      .filter((f) => f.endsWith(".yaml"))
      .sort()
      .map((f) => {
        const path = join(dir, f);
        const text = readFileSync(path, "utf8");
        return {
          chart,
          name: `${kind}/${basename(f, ".yaml")}`,
          path,
          kind,
          values: parse(text, { version: "1.1" }) ?? {},
          ...(kind === "bad" ? { expect: expectation(text, path) } : {}),
        };
      });
  });

/** True when an error message names the expected field and words. */
export const namesField = (message: string, e: Expectation): boolean =>
  message.includes(e.pointer) && e.words.every((w) => message.includes(w));
