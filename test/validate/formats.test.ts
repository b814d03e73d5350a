/** The ladder's verdicts for CI: JUnit, GitHub annotations on the failing line, SARIF. */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { formatResults, locate } from "../../src/validate/formats.js";
import type { CheckResult } from "../../src/validate/report.js";

const dir = mkdtempSync(join(tmpdir(), "llmcharts-formats-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = join(dir, "acme.yaml");
writeFileSync(
  file,
  "# acme's tenant\ntenant:\n  name: acme\n  teir: premium\nollama:\n  standard:\n    replicas: two\n",
);

const typo: CheckResult = {
  chart: "tenant",
  fixture: file,
  rung: "values",
  check: "ajv",
  ok: false,
  message: `at '/tenant': unknown key "teir"; did you mean "tier"?`,
};
const wrongType: CheckResult = { ...typo, message: "at '/ollama/standard/replicas': must be integer" };
const passed: CheckResult = { ...typo, fixture: "good/defaults", rung: "manifests", check: "kubeconform", ok: true };
const notAFile: CheckResult = { ...typo, fixture: "-", check: "not run", message: "helm-render is not installed" };
const results = [typo, wrongType, passed, notAFile];
const options = { summary: "1 passed, 3 failed", version: "0.1.0" };

describe("where a failure points", () => {
  it("is the line of the key the message names, the unknown key itself when it is one", () => {
    expect(locate(typo)).toEqual({ file, line: 4 });
    expect(locate(wrongType)).toEqual({ file, line: 7 });
  });

  it("is nowhere for a result that is not about a file", () => {
    expect(locate(notAFile)).toBeUndefined();
  });
});

describe("--format github", () => {
  it("writes one ::error per failure, on the file and line, with newlines and separators escaped", () => {
    const lines = formatResults(results, "github", options).split("\n");
    expect(lines).toHaveLength(3);
    expect(lines[0]).toBe(
      `::error file=${file},line=4,title=llmcharts tenant values%3A ajv::${file}: at '/tenant': unknown key "teir"; did you mean "tier"?`,
    );
    expect(lines[2]).toMatch(/^::error title=llmcharts tenant values%3A not run::-: helm-render is not installed$/);
  });
});

describe("--format junit", () => {
  it("has one test case per result, failures carrying the message, counts per suite", () => {
    const xml = formatResults(results, "junit", options);
    expect(xml).toMatch(/^<\?xml version="1.0"/);
    expect(xml).toMatch(/<testsuites name="llmcharts validate" tests="4" failures="3">/);
    expect(xml).toMatch(/<testsuite name="tenant values" tests="3" failures="3">/);
    expect(xml).toMatch(/<testsuite name="tenant manifests" tests="1" failures="0">/);
    expect(xml.match(/<testcase /g)).toHaveLength(4);
    expect(xml).toContain("unknown key &quot;teir&quot;; did you mean &quot;tier&quot;?");
    expect(xml).not.toMatch(/message="[^"]*"[^>]*"teir"/);
  });
});

describe("--format sarif", () => {
  it("is SARIF 2.1.0 with one result per failure and the region of the key", () => {
    const sarif = JSON.parse(formatResults(results, "sarif", options));
    expect(sarif.version).toBe("2.1.0");
    const [run] = sarif.runs;
    expect(run.tool.driver.name).toBe("llmcharts");
    expect(run.results).toHaveLength(3);
    expect(run.results[0].locations[0].physicalLocation).toEqual({
      artifactLocation: { uri: file },
      region: { startLine: 4 },
    });
    expect(run.results[2].locations).toBeUndefined();
    expect(run.tool.driver.rules.map((r: { id: string }) => r.id)).toEqual(["values/ajv", "values/not-run"]);
  });
});
