import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { UsageError } from "../lib/usage-error.js";
import { basename, join, resolve } from "node:path";
import { parse } from "yaml";

export interface Expectation {
  /** JSON pointer of the value at fault, as Helm prints it (`/premium/gpuLimit`). */
  pointer: string;
  /** Further words the error message must hold (a misspelt key, say). */
  words: string[];
  /**
   * Who refuses the file: the values schema (ajv and Helm alike), or only the chart's templates, for a rule no
   * schema can state (`h.refuse`: two fields that must differ); the schema then accepts it.
   */
  by: "schema" | "templates";
}

/** A values file kept beside its chart: good ones must pass every rung, bad ones must be rejected naming the field. */
export interface Fixture {
  chart: string;
  name: string;
  path: string;
  kind: "good" | "bad";
  values: unknown;
  expect?: Expectation;
  /** Why the file is not a values file at all (malformed YAML, not a mapping): its checks stop at rung 1. */
  unreadable?: string;
  /** The file Helm renders when it is not `path`: a fleet file merged over its site layer (`values` is that merge). */
  helmValues?: string;
}

const expectations = { "# expect:": "schema", "# expect-refused-by-templates:": "templates" } as const;

const expectation = (text: string, path: string): Expectation => {
  for (const line of text.split("\n"))
    for (const [prefix, by] of Object.entries(expectations))
      if (line.startsWith(prefix)) {
        const [pointer = "", ...words] = line.slice(prefix.length).trim().split(/\s+/);
        return { pointer, words, by };
      }
  throw new Error(
    `${path}: a bad fixture starts with "# expect: <json-pointer> [words…]" (or "# expect-refused-by-templates: …" when only the templates refuse it)`,
  );
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

/** Reads a values file as Helm does (YAML 1.1); a malformed one is kept with the reason, so others still get checked. */
const readValues = (path: string): { values: unknown; unreadable?: string } => {
  try {
    const values = parse(readFileSync(path, "utf8"), { version: "1.1" }) ?? {};
    if (typeof values === "object" && !Array.isArray(values)) return { values };
    return {
      values: {},
      unreadable: "the top level must be a mapping of keys (tenant:, quota:, …), not a list or a scalar",
    };
  } catch (err) {
    const why = ((err as Error).message.split("\n")[0] ?? "").replace(/:$/, "");
    return { values: {}, unreadable: `not valid YAML: ${why}; fix the syntax at that line` };
  }
};

/** A user's own values file, checked as a good fixture and named by its path. */
export const userFixture = (chart: string, path: string): Fixture => ({
  chart,
  name: path,
  path,
  kind: "good",
  ...readValues(path),
});

/**
 * Every values file under a fleet folder, recursively, in path order, but the fleet's site layer (`site`), which is no
 * tenant; an empty or missing folder is an error.
 */
export const fleetFiles = (dir: string, site?: string): string[] => {
  if (!existsSync(dir) || !statSync(dir).isDirectory())
    throw new UsageError(`--fleet ${dir}: no such folder; give the folder that holds one values file per tenant`);
  const files = readdirSync(dir, { recursive: true })
    .map(String)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort()
    .map((f) => join(dir, f))
    .filter((f) => statSync(f).isFile() && !(site && resolve(f) === resolve(site)));
  if (files.length === 0)
    throw new UsageError(
      `--fleet ${dir}: the folder holds no values files (*.yaml, *.yml); put one file per tenant in it`,
    );
  return files;
};
