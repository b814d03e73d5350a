import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { charts } from "../../charts-src/index.js";
import { entryOf, parseChangelog, readChangelog } from "../../src/generate/changelog.js";
import { chartFiles } from "../../src/generate/chart-files.js";
import { generate } from "../../src/generate/generate.js";

const root = join(import.meta.dirname, "..", "..");
const git = (args: string[]) => spawnSync("git", args, { cwd: root, encoding: "utf8" }).stdout;

/** Every version each chart was ever committed at (generated/<chart>/Chart.yaml in git history), and today's. */
const versionsEver = (chart: string): string[] => {
  const commits = git(["log", "--format=%H", "--", `generated/${chart}/Chart.yaml`])
    .split("\n")
    .filter(Boolean);
  const versions = commits.map(
    (c) => /^version:\s*(\S+)/m.exec(git(["show", `${c}:generated/${chart}/Chart.yaml`]))?.[1] as string,
  );
  return [...new Set([(charts[chart] as { version: string }).version, ...versions.filter(Boolean)])];
};

describe("CHANGELOG.md", () => {
  const log = readChangelog(root);

  for (const chart of Object.keys(charts)) {
    it(`has an entry for every version of ${chart} ever committed, and for the current one`, () => {
      const versions = versionsEver(chart);
      expect(versions.length).toBeGreaterThan(0);
      expect(versions.filter((v) => !entryOf(log, chart, v))).toEqual([]);
    });
  }

  it("lists each chart's versions newest first", () => {
    for (const [chart, entries] of Object.entries(log)) {
      const versions = entries.map((e) => e.version);
      const sorted = [...versions].sort((a, b) => b.localeCompare(a, undefined, { numeric: true }));
      expect(versions, chart).toEqual(sorted);
    }
  });

  it("becomes the chart's artifacthub.io/changes and its README's upgrade notes", () => {
    const tenant = charts.tenant as NonNullable<(typeof charts)["tenant"]>;
    const files = chartFiles(tenant, root);
    const current = entryOf(log, "tenant", tenant.version);
    expect(current).toBeDefined();
    // Read as YAML: a description with quotes or colons is written quoted.
    const annotations = parse(files["Chart.yaml"] ?? "").annotations as Record<string, string>;
    expect(parse(annotations["artifacthub.io/changes"] ?? "")).toEqual(current?.changes);
    const renamed = entryOf(log, "tenant", "0.1.1");
    expect(files["README.md"]).toContain(`### 0.1.1`);
    expect(files["README.md"]).toContain(`**Upgrade:** ${renamed?.upgrade}`);
  });

  it("refuses a change kind Artifact Hub does not know, naming the line and the kinds", () => {
    expect(() => parseChangelog("## tenant\n\n### 0.2.0\n- tweaked: something\n")).toThrow(
      /CHANGELOG.md:4: change kind "tweaked" is not one of added, changed, deprecated, removed, fixed, security/,
    );
  });

  it("refuses a version that lists no change, and text that is neither a bullet nor an upgrade note", () => {
    expect(() => parseChangelog("## tenant\n\n### 0.2.0\n\n### 0.1.0\n- added: x\n")).toThrow(
      /tenant 0.2.0 lists no change/,
    );
    expect(() => parseChangelog("## tenant\n\n### 0.2.0\n- added: x\nUpgrade: do this\n")).toThrow(
      /CHANGELOG.md:5: "Upgrade: do this" is neither/,
    );
  });

  it("joins wrapped lines to the bullet or upgrade note above them", () => {
    const parsed = parseChangelog("## a\n### 1.0.0\n- fixed: one\n  two\n**Upgrade:** three\n  four\n");
    expect(parsed.a?.[0]).toEqual({
      version: "1.0.0",
      changes: [{ kind: "fixed", description: "one two" }],
      upgrade: "three four",
    });
  });
});

describe("generate and the changelog", () => {
  it("refuses a chart version without a CHANGELOG.md entry, saying how to add one, and writes nothing", () => {
    const scratch = mkdtempSync(join(tmpdir(), "llmcharts-changelog-"));
    try {
      symlinkSync(join(root, "charts-src"), join(scratch, "charts-src"));
      symlinkSync(join(root, "KEYS"), join(scratch, "KEYS"));
      const tenant = charts.tenant as NonNullable<(typeof charts)["tenant"]>;
      const [before, section] = readFileSync(join(root, "CHANGELOG.md"), "utf8").split("\n## tenant\n");
      const text = `${before}\n## tenant\n${section?.replace(`### ${tenant.version}\n`, "### 0.0.1\n")}`;
      writeFileSync(join(scratch, "CHANGELOG.md"), text);
      const result = generate(scratch);
      expect(result.needsChangelog).toEqual([
        `tenant ${tenant.version}: add a "### ${tenant.version}" entry under "## tenant" in CHANGELOG.md (bullets "- changed: …"; kinds added, changed, deprecated, removed, fixed, security)`,
      ]);
      expect(existsSync(join(scratch, "generated"))).toBe(false);
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  });
});
