/**
 * The ladder's verdicts in the formats CI systems read: JUnit XML (test reports), GitHub workflow commands
 * (annotations on the failing file and line) and SARIF 2.1.0 (code scanning). Each failure points at the values file,
 * and at the line of the key it names when the file has it.
 */
import { existsSync, readFileSync } from "node:fs";
import { isMap, isScalar, LineCounter, parseDocument } from "yaml";
import type { CheckResult } from "./report.js";

export const formats = ["text", "json", "junit", "github", "sarif"] as const;
export type Format = (typeof formats)[number];

interface Location {
  file: string;
  line?: number;
}

/** The YAML path a message names (`at '/tenant/tier'`, plus the unknown key it names), as map keys. */
const pathOf = (message: string): string[] => {
  const at = /at '([^']*)'/.exec(message)?.[1];
  if (at === undefined) return [];
  const segments = at.split("/").filter(Boolean);
  const unknown = /unknown key "([^"]+)"/.exec(message)?.[1];
  return unknown ? [...segments, unknown] : segments;
};

/** The line (1-based) of the deepest key of `path` present in the file; the first line when none is. */
const lineOf = (text: string, path: string[]): number => {
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter });
  let node: unknown = doc.contents;
  let offset = 0;
  for (const key of path) {
    if (!isMap(node)) break;
    const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === key);
    if (!pair || !isScalar(pair.key)) break;
    offset = pair.key.range?.[0] ?? offset;
    node = pair.value;
  }
  return counter.linePos(offset).line;
};

/** Where a result points: its values file (when it is one) and the line of the key its message names. */
export const locate = (r: CheckResult): Location | undefined => {
  if (!existsSync(r.fixture)) return undefined;
  try {
    return { file: r.fixture, line: lineOf(readFileSync(r.fixture, "utf8"), pathOf(r.message ?? "")) };
  } catch {
    return { file: r.fixture };
  }
};

const xml = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

/** JUnit XML: one test suite per chart and rung, one test case per file and check. */
const junit = (results: CheckResult[]): string => {
  const suites = new Map<string, CheckResult[]>();
  for (const r of results) suites.set(`${r.chart} ${r.rung}`, [...(suites.get(`${r.chart} ${r.rung}`) ?? []), r]);
  const failed = (rs: CheckResult[]) => rs.filter((r) => !r.ok).length;
  const lines = [
    `<?xml version="1.0" encoding="UTF-8"?>`,
    `<testsuites name="llmcharts validate" tests="${results.length}" failures="${failed(results)}">`,
  ];
  for (const [name, rs] of suites) {
    lines.push(`  <testsuite name="${xml(name)}" tests="${rs.length}" failures="${failed(rs)}">`);
    for (const r of rs) {
      const head = `    <testcase classname="${xml(`${r.chart}.${r.rung}`)}" name="${xml(`${r.fixture} ${r.check}`)}"`;
      if (r.ok) lines.push(`${head}/>`);
      else
        lines.push(
          `${head}>`,
          `      <failure message="${xml(r.message ?? "failed")}">${xml(r.message ?? "")}</failure>`,
          "    </testcase>",
        );
    }
    lines.push("  </testsuite>");
  }
  lines.push("</testsuites>");
  return lines.join("\n");
};

/** GitHub workflow commands: one `::error` per failure, on its file and line when it has one. */
const github = (results: CheckResult[]): string => {
  const data = (s: string) => s.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
  const property = (s: string) => data(s).replace(/:/g, "%3A").replace(/,/g, "%2C");
  return results
    .filter((r) => !r.ok)
    .map((r) => {
      const where = locate(r);
      const props = [
        ...(where ? [`file=${property(where.file)}`] : []),
        ...(where?.line ? [`line=${where.line}`] : []),
        `title=${property(`llmcharts ${r.chart} ${r.rung}: ${r.check}`)}`,
      ];
      return `::error ${props.join(",")}::${data(`${r.fixture}: ${r.message ?? "failed"}`)}`;
    })
    .join("\n");
};

/** SARIF 2.1.0: one rule per rung and check, one result per failure. */
const sarif = (results: CheckResult[], version: string): string => {
  const failures = results.filter((r) => !r.ok);
  const ruleId = (r: CheckResult) => `${r.rung}/${r.check.replace(/\s+/g, "-")}`;
  const rules = [...new Set(failures.map(ruleId))].map((id) => ({ id, shortDescription: { text: id } }));
  return JSON.stringify(
    {
      $schema: "https://json.schemastore.org/sarif-2.1.0.json",
      version: "2.1.0",
      runs: [
        {
          tool: { driver: { name: "llmcharts", version, rules } },
          results: failures.map((r) => {
            const where = locate(r);
            return {
              ruleId: ruleId(r),
              level: "error",
              message: { text: `${r.chart} ${r.fixture}: ${r.message ?? "failed"}` },
              ...(where
                ? {
                    locations: [
                      {
                        physicalLocation: {
                          artifactLocation: { uri: where.file },
                          ...(where.line ? { region: { startLine: where.line } } : {}),
                        },
                      },
                    ],
                  }
                : {}),
            };
          }),
        },
      ],
    },
    null,
    2,
  );
};

/** The results in a machine format (text and JSON are the CLI's own). */
export const formatResults = (
  results: CheckResult[],
  format: Exclude<Format, "text">,
  { summary, version }: { summary: string; version: string },
): string => {
  if (format === "junit") return junit(results);
  if (format === "github") return github(results);
  if (format === "sarif") return sarif(results, version);
  return JSON.stringify({ results, summary }, null, 2);
};
