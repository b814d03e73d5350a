import { expect, test } from "vitest";
import { buildChains } from "../../src/toolchain/install.js";
import type { GoTool, Tool } from "../../src/toolchain/pins.js";

const go = (name: string, buildAfter?: string): GoTool => ({
  kind: "go",
  name,
  module: `example.com/${name}`,
  version: "v1.0.0",
  go: "1.26",
  binaries: [{ exe: name, pkg: "." }],
  versionArgs: [],
  buildAfter,
});

const pins: Tool[] = [go("kyverno"), go("helm"), go("kyverno-apply", "kyverno"), go("kwok")];
const names = (chains: { name: string }[][]) => chains.map((c) => c.map((u) => u.name));

// kyverno-apply's packages come from the Go build cache kyverno's build fills: built beside it, in the other slot, it
// would compile them all a second time.
test("a tool built after another runs in that one's chain, right after it", () => {
  const units = pins.map((p) => ({ name: p.name }));
  expect(names(buildChains(units, pins))).toEqual([["kyverno", "kyverno-apply"], ["helm"], ["kwok"]]);
});

test("a tool whose predecessor is cached (not built) stands alone", () => {
  expect(names(buildChains([{ name: "kyverno-apply" }, { name: "kwok" }], pins))).toEqual([
    ["kyverno-apply"],
    ["kwok"],
  ]);
});
