import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { charts } from "../../charts-src/index.js";
import { valuesSchema } from "../../charts-src/lib/engine/index.js";
import { chartFiles } from "../../src/generate/chart-files.js";

const root = join(import.meta.dirname, "..", "..");
const chartOf = (name: string) => charts[name] as NonNullable<(typeof charts)[string]>;
const readmeOf = (name: string): string => chartFiles(chartOf(name), root)["README.md"] as string;

/** The text of a `## ` section, up to the next `## ` heading. */
const section = (readme: string, title: string): string => {
  const start = readme.indexOf(`\n## ${title}\n`);
  if (start < 0) return "";
  const end = readme.indexOf("\n## ", start + 1);
  return readme.slice(start, end < 0 ? undefined : end);
};

/** Each `### ` entry of a section, by heading. */
const entries = (text: string): Map<string, string> =>
  new Map(
    text
      .split(/\n### /)
      .slice(1)
      .map((e) => [e.slice(0, e.indexOf("\n")), e] as const),
  );

const firstFailures: Record<string, string[]> = {
  tenant: [
    "Pods stay Pending",
    "An ExternalSecret is not ready",
    "OpenWebUI crash-loops once telemetry is on",
    "HTTPS answers with the wrong certificate",
    "A model is missing from the catalog",
    "Premium does not wake",
    "Premium stays awake on its fallback",
    "Kyverno refuses an object",
  ],
  platform: ["Pods stay Pending", "A model is missing from the catalog", "Kyverno refuses an object"],
  nodepools: ["Pods stay Pending", "Premium does not wake"],
};

describe("chart README: troubleshooting, grouped parameters, upgrade notes", () => {
  for (const [chart, failures] of Object.entries(firstFailures)) {
    it(`${chart}: Troubleshooting gives each first failure its symptom, the command that shows the cause and the fix`, () => {
      const found = entries(section(readmeOf(chart), "Troubleshooting"));
      expect([...found.keys()]).toEqual(failures);
      for (const [failure, text] of found) {
        expect(text, failure).toMatch(/\*\*Symptom\.\*\* \S/);
        expect(text, failure).toMatch(/```sh\n(kubectl|npx llmcharts) [^\n]+\n/);
        expect(text, failure).toMatch(/\*\*Fix\.\*\* \S/);
      }
    });
  }

  it("the catalog entry names the fleet check against the platform's catalog", () => {
    for (const chart of ["tenant", "platform"]) {
      const entry = entries(section(readmeOf(chart), "Troubleshooting")).get("A model is missing from the catalog");
      expect(entry, chart).toContain("npx llmcharts validate --chart tenant --fleet tenants/ --platform ");
    }
  });

  for (const chart of Object.keys(firstFailures)) {
    it(`${chart}: the parameter table is grouped by top-level key, in the values model's order`, () => {
      const params = section(readmeOf(chart), "Parameters");
      const groups = entries(params);
      const topKeys = Object.keys(valuesSchema(chartOf(chart).values).properties ?? {});
      expect([...groups.keys()]).toEqual(topKeys.map((k) => `\`${k}\``));
      for (const [heading, text] of groups) {
        const rows = text.split("\n").filter((l) => l.startsWith("| `"));
        expect(rows.length, heading).toBeGreaterThan(0);
        const key = heading.slice(1, -1);
        for (const row of rows) expect(row, heading).toMatch(new RegExp(`^\\| \`${key}([.[]|\`)`));
        expect(text, heading).toContain("| Key | Type | Default | Description |");
      }
    });

    it(`${chart}: the per-version upgrade notes follow the parameter table`, () => {
      const readme = readmeOf(chart);
      const table = readme.indexOf("\n## Parameters\n");
      const upgrading = readme.indexOf("\n## Upgrading\n");
      expect(table).toBeGreaterThan(0);
      expect(upgrading).toBeGreaterThan(table);
      const versions = [...readme.matchAll(/\n### (\d+\.\d+\.\d+)\n/g)];
      expect(versions.map((m) => m[1])).toContain(chartOf(chart).version);
      for (const m of versions) expect(m.index, m[1]).toBeGreaterThan(upgrading);
    });
  }
});
