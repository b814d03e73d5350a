import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { charts } from "../../charts-src/index.js";
import { mergeValues, valuesSchema } from "../../charts-src/lib/engine/index.js";
import { loadFixtures } from "../../src/validate/fixtures.js";
import { valuesChecker } from "../../src/validate/rung-values.js";
import { mendDraw, valuesArbitrary } from "../../src/validate/values-arbitrary.js";

const tenant = charts.tenant;
if (!tenant) throw new Error("tenant chart missing");
const check = valuesChecker(tenant);
const required =
  loadFixtures(process.cwd(), "tenant").find((f) => f.name === `good/${tenant.lintFixture}`)?.values ?? {};
const complete = (draw: unknown) => mergeValues(required, draw);

describe("random values for the equivalence proof", () => {
  it("a draw the schema refuses is mended: what a message names goes, the rest of the draw stays", () => {
    const draw = {
      tenant: { tier: "standard" },
      quota: { gpus: 2, requestsCpu: 8 },
      openwebui: { replicas: 1, vectorDb: "pgvector" },
    };
    expect(check(complete(draw)).length).toBeGreaterThan(0);
    const mended = mendDraw(draw, check, complete) as typeof draw;
    expect(check(mended)).toEqual([]);
    // quota.gpus must be 0 on the standard tier: it goes, quota.requestsCpu stays; pgvector needs Postgres: it goes.
    expect(mended.quota).toEqual({ requestsCpu: 8 });
    expect(mended.openwebui.replicas).toBe(1);
    expect(mended.openwebui.vectorDb).not.toBe("pgvector");
  });

  it("the tenant chart's random draws, rarely valid as drawn, are all made valid by mending", () => {
    const draws = fc.sample(valuesArbitrary(valuesSchema(tenant.values)), { numRuns: 30, seed: 1 });
    expect(draws.filter((d) => check(complete(d)).length === 0).length).toBeLessThan(10);
    for (const d of draws) expect(check(mendDraw(d, check, complete))).toEqual([]);
  });

  it("a message naming nothing the draw holds leaves it unmendable", () => {
    expect(
      mendDraw(
        {},
        () => ["at '/tenant/name': not set"],
        (d) => d,
      ),
    ).toBeUndefined();
  });
});
