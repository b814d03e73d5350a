/** A chart version is SemVer and never goes down; generate refuses either, naming the chart and the fix. */
import { describe, expect, it } from "vitest";
import { versionProblems } from "../../src/generate/versions.js";

const committed = { tenant: { version: "0.2.6" }, platform: { version: "0.2.3" } };

describe("chart versions", () => {
  it("accepts a version that goes up or stays, and a chart new since the last commit", () => {
    expect(
      versionProblems(committed, {
        tenant: { version: "0.2.7" },
        platform: { version: "0.2.3" },
        nodepools: { version: "0.1.0" },
      }),
    ).toEqual([]);
  });

  it("refuses a version lower than the committed one, naming both and where to raise it", () => {
    expect(versionProblems(committed, { tenant: { version: "0.2.5" } })).toEqual([
      "tenant: version 0.2.5 is lower than the committed 0.2.6; raise `version` in charts-src/tenant/chart.ts above 0.2.6",
    ]);
    // Compared as SemVer, not as text: 0.10.0 is above 0.9.0.
    expect(versionProblems({ tenant: { version: "0.9.0" } }, { tenant: { version: "0.10.0" } })).toEqual([]);
  });

  it("refuses a version that is not SemVer", () => {
    expect(versionProblems(committed, { tenant: { version: "0.3" } })).toEqual([
      'tenant: version "0.3" is not SemVer (MAJOR.MINOR.PATCH); fix `version` in charts-src/tenant/chart.ts',
    ]);
  });
});
