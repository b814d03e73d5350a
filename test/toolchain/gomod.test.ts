/**
 * The tools module of a Go tool repeats upstream's go.mod where Go would ignore it (a dependency's requires may be
 * lifted by `go mod tidy`, its replaces are ignored): what is copied, and the replace that cannot be.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { toolRequires, toolsGoMod, upstreamReplaceBlock, upstreamRequireBlock } from "../../src/toolchain/gomod.js";
import { goTool } from "../../src/toolchain/tools.js";

const dir = mkdtempSync(join(tmpdir(), "llmcharts-gomod-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const upstream = join(dir, "go.mod");
writeFileSync(
  upstream,
  [
    "module example.com/up",
    "go 1.26.3",
    "require example.com/single v1.0.0",
    "require (",
    "\texample.com/a v1.2.3",
    "\texample.com/b v0.1.0 // indirect",
    ")",
    "replace (",
    "\tk8s.io/api => k8s.io/api v0.36.1",
    "\t// a comment",
    "\tgopkg.in/yaml.v2 => gopkg.in/yaml.v2 v2.4.0",
    ")",
    "replace example.com/nested => ./nested",
    "",
  ].join("\n"),
);

const argocd = goTool("argo-cd");

describe("tools module from upstream's go.mod", () => {
  it("copies every require, single-line and in blocks, without comments", () => {
    expect(upstreamRequireBlock(upstream)).toEqual([
      "example.com/single v1.0.0",
      "example.com/a v1.2.3",
      "example.com/b v0.1.0",
    ]);
  });

  it("copies the replaces by a version; a directory of upstream's repository must be pinned by the tool", () => {
    const tool = { ...argocd, replaces: { "example.com/nested": "example.com/nested v0.0.1" } };
    expect(upstreamReplaceBlock(tool, upstream)).toEqual({
      "k8s.io/api": "k8s.io/api v0.36.1",
      "gopkg.in/yaml.v2": "gopkg.in/yaml.v2 v2.4.0",
    });
    expect(() => upstreamReplaceBlock({ ...argocd, replaces: {} }, upstream)).toThrow(
      /upstream replaces example\.com\/nested with its directory \.\/nested.*pin a published version/,
    );
  });

  it("writes the requires and the replaces into one go.mod", () => {
    const mod = toolsGoMod(argocd, { "k8s.io/api": "k8s.io/api v0.36.1" }, ["example.com/a v1.2.3"]);
    expect(mod).toContain("require (\n\texample.com/a v1.2.3\n)");
    expect(mod).toContain("replace (\n\tk8s.io/api => k8s.io/api v0.36.1\n)");
    expect(mod).toContain("tool (\n\tgithub.com/argoproj/argo-cd/v3/cmd\n)");
  });

  it("adds a program's own requires, each at its pinned version, over upstream's line for the same module", () => {
    const otelcol = goTool("otelcol");
    const requires = toolRequires(
      { ...otelcol, requires: { "example.com/a": "v1.9.0", "example.com/new": "v0.2.0" } },
      upstreamRequireBlock(upstream),
    );
    expect(requires).toEqual([
      "example.com/single v1.0.0",
      "example.com/b v0.1.0",
      "example.com/a v1.9.0",
      "example.com/new v0.2.0",
    ]);
  });

  it("pins every collector module of the log collector at one release", () => {
    const versions = new Set(Object.values(goTool("otelcol").requires ?? {}));
    expect(versions).toEqual(new Set(["v0.165.0", "v1.71.0", "v0.165.1"]));
    const contrib = Object.entries(goTool("otelcol").requires ?? {}).filter(([m]) => m.includes("-contrib/"));
    expect(contrib.every(([, v]) => v === "v0.165.1")).toBe(true);
  });
});
