/**
 * ajv's compiled values schema, kept as standalone code (src/validate/values-schema-cache.ts): a validator loaded
 * from the cache says what one compiled there and then says, error for error; a kept file not to be trusted is
 * ignored, and the schema compiled and kept again.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { charts } from "../../charts-src/index.js";
import { defaultsOf, mergeValues, valuesSchema } from "../../charts-src/lib/engine/index.js";
import { loadFixtures } from "../../src/validate/fixtures.js";
import { valuesChecker } from "../../src/validate/rung-values.js";
import { compiledSchemaFile, keptValidator, valuesValidator } from "../../src/validate/values-schema-cache.js";
import { present } from "../rendered.js";

const tenant = present(charts.tenant, "the tenant chart");
const schema = valuesSchema(tenant.values);
const work = mkdtempSync(join(tmpdir(), "llmcharts-schema-cache-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** The tenant chart's bad fixtures: values files each refused for a reason of its own. */
const bad = loadFixtures(process.cwd(), "tenant").filter((f) => f.kind === "bad" && !f.unreadable);
const compiled = valuesChecker(tenant);

describe("the values schema's compiled validator, kept in the fleet cache", { timeout: 120_000 }, () => {
  const dir = join(work, "kept");

  test("loaded from the cache, it says what the compiled one says, error for error, on every bad tenant fixture", () => {
    expect(keptValidator(schema, dir)).toBeUndefined();
    valuesChecker(tenant, { compiledIn: dir });
    expect(readdirSync(dir)).toEqual([compiledSchemaFile(schema)]);
    const kept = present(keptValidator(schema, dir), "the kept validator");
    const fresh = valuesValidator(schema);
    const loaded = valuesChecker(tenant, { compiledIn: dir });
    const defaults = defaultsOf(schema);
    let refused = 0;
    for (const f of bad) {
      // The report's lines, and ajv's own errors under them (paths, params, the value at fault).
      expect(loaded(f.values), f.name).toEqual(compiled(f.values));
      const values = mergeValues(defaults, f.values ?? {});
      expect(kept(values), f.name).toBe(fresh(values));
      expect(kept.errors, f.name).toEqual(fresh.errors);
      if (fresh.errors?.length) refused++;
    }
    // The comparison is worth something only if the schema refuses most of them (some are for the templates).
    expect(refused).toBeGreaterThan(bad.length / 2);
  });

  test("a kept file cut short, changed on disk or not code at all is ignored, and compiled and kept again", () => {
    const file = join(dir, compiledSchemaFile(schema));
    const original = readFileSync(file, "utf8");
    const premium = bad.find((f) => JSON.stringify(f.values).includes('"premium"'));
    if (!premium) throw new Error("no bad fixture of a premium tenant");
    const damages: [string, string][] = [
      ["cut short", original.slice(0, original.length / 2)],
      // Still code that runs: only its checksum tells (it would refuse every premium tenant's tier).
      ["changed on disk", original.replace('"premium"', '"premiun"')],
      ["not code at all", `${original.split("\n")[0]}\nnot javascript`],
    ];
    for (const [what, damaged] of damages) {
      expect(damaged, what).not.toBe(original);
      writeFileSync(file, damaged);
      expect(keptValidator(schema, dir), what).toBeUndefined();
      const check = valuesChecker(tenant, { compiledIn: dir });
      expect(check(premium.values), what).toEqual(compiled(premium.values));
      expect(readFileSync(file, "utf8"), what).toBe(original);
      expect(keptValidator(schema, dir), what).toBeDefined();
    }
  });

  test("is kept under a name of the schema's own: another schema is compiled, not loaded", () => {
    const other = { ...schema, description: `${schema.description ?? ""} (changed)` };
    expect(compiledSchemaFile(other)).not.toBe(compiledSchemaFile(schema));
    expect(keptValidator(other, dir)).toBeUndefined();
  });
});
