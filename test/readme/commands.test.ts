/**
 * Every shell command of README.md and of each chart's README is run by a test as written, or visibly marked in the
 * README as not run, with why: each ```sh block is either marked (listed here, one test each) or in a section that
 * exactly one runner claims (src/lib/readme-claims.ts), and each claim is honest: the runner's source reads that
 * section by name from that README.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { charts } from "../../charts-src/index.js";
import { readmeShellBlocks, type ShellBlock } from "../../src/lib/readme-commands.js";
import {
  chartReadmePath,
  dishonesty,
  inventoryOf,
  type ReadmeClaim,
  readmeClaims,
} from "../../src/lib/readme-claims.js";

const root = join(import.meta.dirname, "..", "..");
const readmes = ["README.md", ...Object.keys(charts).map(chartReadmePath)];
const blocks = readmes.flatMap((f) => readmeShellBlocks(join(root, f), f));

const sourceOf = (c: ReadmeClaim) => {
  const p = join(root, c.source);
  return existsSync(p) ? readFileSync(p, "utf8") : undefined;
};

describe("every README shell command is run by a test, or marked not run with why", () => {
  it("READMEs have shell blocks to judge", () => {
    for (const f of readmes) expect(blocks.filter((b) => b.file === f).length, f).toBeGreaterThan(0);
  });

  it("every unmarked block sits in a section exactly one runner claims", () => {
    const errors = blocks.flatMap((b) => {
      const v = inventoryOf(b, readmeClaims);
      return "error" in v ? [v.error] : [];
    });
    expect(errors).toEqual([]);
  });

  it("each claim is honest: its runner's source reads that section with readmeShellBlocks, and the section has a block it runs", () => {
    const errors = readmeClaims.flatMap((c) => {
      const why = dishonesty(c, sourceOf(c));
      const runnable = blocks.filter((b) => b.file === c.file && b.section === c.section && !b.notRun);
      return [
        ...(why ? [why] : []),
        ...(runnable.length === 0 ? [`${c.file} "${c.section}" (${c.runner}): no unmarked block to run`] : []),
      ];
    });
    expect(errors).toEqual([]);
  });

  describe("marked not run (listed, with the README's reason)", () => {
    for (const b of blocks.filter((x) => x.notRun))
      it(`${b.file}:${b.line} [${b.section}] ${b.script.trim().split("\n")[0]}: ${b.notRun}`, () => {
        expect(b.notRun?.length).toBeGreaterThan(10);
      });
  });

  describe("run (by the runner of their section)", () => {
    for (const b of blocks.filter((x) => !x.notRun)) {
      const v = inventoryOf(b, readmeClaims);
      it(`${b.file}:${b.line} [${b.section}] by ${"claim" in v ? v.claim.runner : "nothing"}`, () => {
        expect(v).toHaveProperty("claim");
      });
    }
  });

  it("an unmarked, unclaimed block fails naming file:line and the two ways out", () => {
    const stray: ShellBlock = { file: "README.md", line: 7, section: "Nowhere", script: "helm list\n" };
    expect(inventoryOf(stray, readmeClaims)).toEqual({
      error: expect.stringMatching(/^README\.md:7: `helm list` .*readme-claims\.ts, or mark it .*Not run by the tests/),
    });
  });

  it("a claim whose runner does not read its section is refused", () => {
    const claim = readmeClaims[0] as ReadmeClaim;
    expect(dishonesty(claim, "// reads nothing\n")).toMatch(/reads no README with readmeShellBlocks/);
    expect(dishonesty(claim, 'readmeShellBlocks("README.md")')).toMatch(/never names the section/);
    expect(dishonesty(claim, undefined)).toMatch(/does not exist/);
  });
});

describe("README.md's install commands name the charts' current versions", () => {
  it('"Installing the charts" installs the tenant chart at charts-src/tenant/chart.ts\'s version', () => {
    const [install] = readmeShellBlocks(join(root, "README.md"), "README.md").filter(
      (b) => b.section === "Installing the charts",
    );
    const named = /oci:\/\/\S+\/tenant --version (\S+)/.exec(install?.script ?? "")?.[1];
    expect(named, "README.md: Installing the charts").toBe(charts.tenant?.version);
  });
});
