/**
 * Each pinned version is stated once in src/toolchain/pins.ts: build flags, CRD sources, file names and include
 * directories derive from it, so a bump cannot leave a stale copy behind. The check changes one version literal at a
 * time in a copy of the source and evaluates the copy: a pin whose version moved but which still holds the old one,
 * or a pin of the same module that did not move, repeats the version literally.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { runInNewContext } from "node:vm";
import ts from "typescript";
import { describe, expect, it } from "vitest";

const pinsFile = join(import.meta.dirname, "..", "..", "src", "toolchain", "pins.ts");

/** Far from every pinned version, so no old version is found inside it. */
const movedVersion = "v99.99.99-9";

/** The module's exports; pins.ts imports nothing, so it runs on its own. */
const evaluate = (source: string): Record<string, unknown> => {
  const { outputText } = ts.transpileModule(source, {
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 },
  });
  const exports: Record<string, unknown> = {};
  runInNewContext(outputText, { exports });
  return exports;
};

interface Pin {
  /** Where the pin sits in the exports (`tools.3`, `tools.20.cgo.pypiHeaders`): the same in every copy. */
  path: string;
  version: string;
  module?: string;
  /** Every string the pin holds, keys too (file names), but its version. */
  strings: string[];
}

const stringsOf = (value: unknown): string[] => {
  if (typeof value === "string") return [value];
  if (typeof value !== "object" || value === null) return [];
  return Object.entries(value).flatMap(([key, child]) => [...(Array.isArray(value) ? [] : [key]), ...stringsOf(child)]);
};

/** Every object of the exports with a string `version`: tools, CRD sources, and pins nested in them. */
const pinsOf = (value: unknown, path: string[] = []): Pin[] => {
  if (typeof value !== "object" || value === null) return [];
  const { version, module, ...rest } = value as { version?: unknown; module?: string };
  const own = typeof version === "string" ? [{ path: path.join("."), version, module, strings: stringsOf(rest) }] : [];
  return [...own, ...Object.entries(value).flatMap(([key, child]) => pinsOf(child, [...path, key]))];
};

/** The numbers of a version (`0.8.0` of `0.8.0-1`, `0.7.0` of `v0.7.0`): what any copy of it holds. */
const core = (version: string): string => version.match(/\d+(\.\d+)+/)?.[0] ?? version;

const stringLiterals = (source: string): { start: number; end: number; text: string }[] => {
  const file = ts.createSourceFile("pins.ts", source, ts.ScriptTarget.ES2022);
  const found: { start: number; end: number; text: string }[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node))
      found.push({ start: node.getStart(file), end: node.getEnd(), text: node.text });
    ts.forEachChild(node, visit);
  };
  visit(file);
  return found;
};

interface Findings {
  /** Pins that keep their old version after the literal their version comes from changed, or their module's did. */
  repeated: string[];
  /** Pins whose version moved with some literal: the ones the check covers. */
  covered: Set<string>;
}

/** Changes each literal that states some pin's version, one at a time, and reports the pins that keep a copy. */
const versionRepeats = (source: string): Findings => {
  const original = new Map(pinsOf(evaluate(source)).map((p) => [p.path, p]));
  const versions = new Set([...original.values()].map((p) => p.version));
  const findings: Findings = { repeated: [], covered: new Set() };
  for (const literal of stringLiterals(source).filter((l) => versions.has(l.text))) {
    const copy = `${source.slice(0, literal.start)}"${movedVersion}"${source.slice(literal.end)}`;
    const after = pinsOf(evaluate(copy));
    const moved = after.filter((p) => p.version === movedVersion && original.has(p.path));
    for (const pin of moved) {
      findings.covered.add(pin.path);
      const copies = pin.strings.filter((text) => text.includes(core(literal.text)));
      if (copies.length > 0) findings.repeated.push(`${pin.path} keeps ${literal.text} in ${copies.join(", ")}`);
    }
    const movedModules = new Set(moved.map((p) => p.module).filter((m) => m !== undefined));
    for (const pin of after.filter((p) => p.module && movedModules.has(p.module) && p.version !== movedVersion))
      findings.repeated.push(`${pin.path} keeps ${pin.version} of ${pin.module}, which moved elsewhere`);
  }
  return findings;
};

describe("pinned versions", () => {
  it("a version repeated in a build flag is found", () => {
    const source = `export const tools = [{ name: "kubeconform", version: "v0.7.0", ldflags: ["-X main.version=v0.7.0"] }];`;
    expect(versionRepeats(source).repeated).toEqual(["tools.0 keeps v0.7.0 in -X main.version=v0.7.0"]);
  });

  it("a version repeated without its v is found", () => {
    const source = `export const tools = [{ name: "ollama", version: "v0.24.0", ldflags: ["-X version.Version=0.24.0"] }];`;
    expect(versionRepeats(source).repeated).toEqual(["tools.0 keeps v0.24.0 in -X version.Version=0.24.0"]);
  });

  it("a CRD source stating its module's version again is found", () => {
    const source = `
      export const tools = [{ name: "kyverno", module: "github.com/kyverno/kyverno", version: "v1.17.2" }];
      export const crdSources = [{ name: "kyverno", module: "github.com/kyverno/kyverno", version: "v1.17.2" }];`;
    expect(versionRepeats(source).repeated).toEqual([
      "crdSources.0 keeps v1.17.2 of github.com/kyverno/kyverno, which moved elsewhere",
      "tools.0 keeps v1.17.2 of github.com/kyverno/kyverno, which moved elsewhere",
    ]);
  });

  it("a version derived everywhere is not", () => {
    const source = `
      const kyverno = { module: "github.com/kyverno/kyverno", version: "v1.17.2" };
      export const tools = [{ name: "kyverno", ...kyverno, ldflags: [\`-X version.BuildVersion=\${kyverno.version}\`] }];
      export const crdSources = [{ name: "kyverno", ...kyverno }];`;
    expect(versionRepeats(source)).toEqual({ repeated: [], covered: new Set(["tools.0", "crdSources.0"]) });
  });

  const pins = versionRepeats(readFileSync(pinsFile, "utf8"));

  it("every version in pins.ts is stated once: flags, CRD sources and file names derive from it", () => {
    expect(pins.repeated).toEqual([]);
  });

  it("the check covers every tool and every CRD source", () => {
    const exported = evaluate(readFileSync(pinsFile, "utf8"));
    const tools = (exported.tools as { kind: string; name: string }[]).map((t, i) => ({ ...t, path: `tools.${i}` }));
    const crds = (exported.crdSources as { name: string }[]).map((c, i) => ({ ...c, path: `crdSources.${i}` }));
    // A PyPI tool's version is a label built from its packages' versions: no literal states it.
    const stated = [...tools.filter((t) => t.kind !== "pypi"), ...crds];
    expect(stated.filter((p) => !pins.covered.has(p.path)).map((p) => p.name)).toEqual([]);
  });
});
