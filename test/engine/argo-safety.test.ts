import { expect, it } from "vitest";
import { charts } from "../../charts-src/index.js";
import { chartFiles } from "../../src/generate/chart-files.js";
import { argoSafetyViolations } from "../../src/generate/argo-safety.js";

it.each(Object.values(charts))(
  "$name templates render the same every time (no lookup, rand*, now, uuidv4, gen*)",
  (chart) => {
    const files = Object.entries(chartFiles(chart)).filter(([path]) => path.startsWith("templates/"));
    expect(files.flatMap(([path, text]) => argoSafetyViolations(path, text))).toEqual([]);
  },
);

it("the lint catches what Argo CD cannot render stably, and ignores strings and comments", () => {
  expect(argoSafetyViolations("t.yaml", 'a: {{ randAlphaNum 8 }}\nb: {{ now | date "2006" }}')).toEqual([
    "t.yaml: uses randAlphaNum",
    "t.yaml: uses now",
    "t.yaml: uses date",
  ]);
  expect(argoSafetyViolations("t.yaml", '{{ (lookup "v1" "Secret" "ns" "x").data }}')).toEqual(["t.yaml: uses lookup"]);
  expect(argoSafetyViolations("t.yaml", '{{ "now and lookup" | toJson }}\n{{- /* lookup is forbidden */}}')).toEqual(
    [],
  );
});
